"""jwstmodels.compat.install(): the reference's module names resolve to jwstmodels, in a fresh interpreter
(the switch changes sys.modules, so each check runs in its own process)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-W", "error", "-W", "ignore::DeprecationWarning", "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_reference_imports_resolve_here() -> None:
    out = _run(
        """
        import jwstmodels, jwstmodels.compat
        jwstmodels.compat.install()
        from stdatamodels.jwst import datamodels
        import stdatamodels.jwst.datamodels as same
        from stdatamodels.jwst.datamodels import ImageModel, RampModel, JwstDataModel, dqflags
        from stdatamodels.jwst.datamodels.util import open as util_open
        assert same is datamodels
        assert ImageModel is jwstmodels.ImageModel and RampModel is jwstmodels.RampModel
        assert datamodels.open is jwstmodels.open is util_open
        assert JwstDataModel is jwstmodels.DataModel
        assert dqflags.pixel["SATURATED"] == 2
        print(type(datamodels.open((4, 4))).__module__.split(".")[0])
        """
    )
    assert out.split() == ["jwstmodels_generated"]


def test_without_the_switch_the_reference_is_untouched() -> None:
    out = _run(
        """
        import jwstmodels, jwstmodels.compat
        from stdatamodels.jwst import datamodels
        assert not jwstmodels.compat.installed()
        print(datamodels.ImageModel.__module__)
        """
    )
    assert out.split() == ["stdatamodels.jwst.datamodels.image"]


def test_uninstall_restores_the_reference() -> None:
    out = _run(
        """
        import jwstmodels.compat as compat
        compat.install(); compat.install()
        compat.uninstall()
        from stdatamodels.jwst import datamodels
        print(datamodels.ImageModel.__module__, compat.installed())
        """
    )
    assert out.split() == ["stdatamodels.jwst.datamodels.image", "False"]


def test_names_not_here_fall_back_to_the_reference() -> None:
    out = _run(
        """
        import jwstmodels.compat as compat
        compat.install()
        from stdatamodels.jwst import datamodels
        assert "ImageModel" in compat.provided() and "open" in compat.provided()
        print(datamodels.AmiOIModel.__module__, datamodels.util.is_association.__module__)
        print(datamodels.DistortionModel.__module__)
        """
    )
    assert out.split() == [
        "jwstmodels_generated.amioi",  # every class of the reference is here now (issue 14)
        "stdatamodels.jwst.datamodels.util",  # a name jwstmodels does not provide falls back
        "jwstmodels_generated.distortion",
    ]


def test_undeclared_metadata_attributes_are_kept_while_the_switch_is_on() -> None:
    """As the reference's: jwst's ModelLibrary sets ``model.meta.group_id``, which no schema declares; the
    value is kept in the preserved tree and saved where the reference saves it. Off, it is an error again."""
    out = _run(
        """
        import tempfile, warnings
        from pathlib import Path
        import jwstmodels, jwstmodels.compat
        from jwstmodels import UnknownFieldError
        jwstmodels.compat.install()
        from stdatamodels.jwst import datamodels
        model = datamodels.ImageModel((2, 2))
        assert getattr(model.meta, "group_id", None) is None
        setattr(model.meta, "group_id", "jw01234001001_01101_00001")
        model.meta.wcsinfo.latpole = -69.5
        print(model.meta.group_id, model.meta.instance["group_id"], model.meta.wcsinfo.latpole)
        folder = Path(tempfile.mkdtemp())
        model.save(folder / "x_cal.fits")
        jwstmodels.compat.uninstall()
        try:
            model.meta.tweak_id = 1
        except UnknownFieldError:
            print("refused")
        from stdatamodels.jwst import datamodels as reference
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with reference.open(folder / "x_cal.fits") as saved:
                print(saved.meta.group_id, saved.meta.wcsinfo.latpole)
        """
    )
    assert out.split() == [
        "jw01234001001_01101_00001",
        "jw01234001001_01101_00001",
        "-69.5",
        "refused",
        "jw01234001001_01101_00001",
        "-69.5",
    ]


@pytest.mark.pipeline
def test_the_pipeline_package_sees_jwstmodels() -> None:
    out = _run(
        """
        import jwstmodels, jwstmodels.compat
        jwstmodels.compat.install()
        import jwst.datamodels
        from jwst.stpipe import Step
        from stpipe.datamodel import AbstractDataModel
        assert jwst.datamodels.RampModel is jwstmodels.RampModel
        assert isinstance(Step._datamodels_open((2, 2)), jwstmodels.ImageModel)
        assert isinstance(jwstmodels.ImageModel((2, 2)), AbstractDataModel)
        print("ok")
        """
    )
    assert out.split() == ["ok"]
