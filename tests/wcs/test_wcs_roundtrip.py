"""``meta.wcs`` on files written by the reference: typed, read when first touched, and kept whole (binary
blocks included) through every save, in both formats."""

from __future__ import annotations

import io
import pickle
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path
from typing import Any

import asdf
import asdf.exceptions
import numpy as np
import pytest
from astropy.io import fits

import jwstmodels
from jwstmodels import ValidationError
from jwstmodels._io import asdf_blocks
from tests.wcs.conftest import (
    assert_same_wcs,
    imaging_wcs,
    reference_open,
    reference_save,
    st,
)

DIRECTIONS = [(a, b) for a in (".fits", ".asdf") for b in (".fits", ".asdf")]


def extension_bytes(path: Path) -> bytes:
    with fits.open(path) as hdul:
        return bytes(np.asarray(hdul["ASDF"].data[0][0]))


def blocks_of(payload: bytes) -> list[bytes]:
    """The data of each binary block of an ASDF document, read by asdf."""
    with (
        warnings.catch_warnings(),  # the arrays of FITS HDUs (source: fits:SCI,1) are not in the document
        asdf.open(io.BytesIO(payload), lazy_load=False, memmap=False, lazy_tree=True) as af,
    ):
        warnings.simplefilter("ignore", asdf.exceptions.AsdfConversionWarning)
        found: list[bytes] = []

        def walk(node: object) -> None:
            if isinstance(node, np.ndarray):
                found.append(np.ascontiguousarray(node).tobytes())
            elif isinstance(node, dict):
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(af.tree.get("unknown_calibration"))
        return found


def test_the_reference_stores_the_wcs_arrays_as_blocks(reference_files: dict[str, Path]) -> None:
    """The premise of the tests below: the pipeline-like WCS puts its arrays in binary blocks."""
    payload = extension_bytes(reference_files[".fits"])
    assert payload.count(asdf_blocks.BLOCK_MAGIC) >= 4
    assert b"source: 0" in payload


@pytest.mark.parametrize(("source", "target"), DIRECTIONS)
def test_every_direction_keeps_the_wcs(
    source: str, target: str, reference_files: dict[str, Path], tmp_path: Path
) -> None:
    expected = imaging_wcs()
    with jwstmodels.open(reference_files[source]) as ours:
        ours.meta.exposure.nframes = 4  # a keyword changed; the WCS left untouched
        saved = ours.save(tmp_path / f"ours{target}")
    with reference_open(saved) as theirs:
        assert type(theirs.meta.wcs).__name__ == "WCS"
        assert_same_wcs(theirs.meta.wcs, expected)
        assert theirs.meta.exposure.nframes == 4
        assert theirs.instance["unknown_calibration"]["label"] == "kept"
        np.testing.assert_array_equal(theirs.instance["unknown_calibration"]["curve"], np.linspace(1, 2, 300))
    with jwstmodels.open(saved) as again:
        assert_same_wcs(again.meta.wcs, expected)


@pytest.mark.parametrize(("source", "target"), DIRECTIONS)
def test_a_wcs_read_here_and_saved_keeps_its_values(
    source: str, target: str, reference_files: dict[str, Path], tmp_path: Path
) -> None:
    """Touching meta.wcs converts it; the save then writes the converted object (asdf writes its arrays)."""
    with jwstmodels.open(reference_files[source]) as ours:
        assert_same_wcs(ours.meta.wcs, imaging_wcs())
        saved = ours.save(tmp_path / f"touched{target}")
    with reference_open(saved) as theirs:
        assert_same_wcs(theirs.meta.wcs, imaging_wcs())
        np.testing.assert_array_equal(theirs.instance["unknown_calibration"]["curve"], np.linspace(1, 2, 300))


def test_an_unchanged_extension_keeps_its_blocks_byte_for_byte(
    reference_files: dict[str, Path], tmp_path: Path
) -> None:
    before = extension_bytes(reference_files[".fits"])
    with jwstmodels.open(reference_files[".fits"]) as ours:
        saved = ours.save(tmp_path / "again.fits")
    after = extension_bytes(saved)
    start = before.index(asdf_blocks.BLOCK_MAGIC)
    end = before.find(b"#ASDF BLOCK INDEX")
    assert asdf_blocks.BLOCK_MAGIC + after.split(asdf_blocks.BLOCK_MAGIC, 1)[1] == before[start:end]
    assert blocks_of(after) == blocks_of(before)


def test_a_wcs_assigned_here_is_saved_for_the_reference(tmp_path: Path) -> None:
    for suffix in (".fits", ".asdf"):
        model = jwstmodels.ImageModel((8, 9))
        model.meta.wcs = imaging_wcs(ra=12.0, dec=34.0)
        saved = model.save(tmp_path / f"assigned{suffix}")
        with reference_open(saved) as theirs:
            assert_same_wcs(theirs.meta.wcs, imaging_wcs(ra=12.0, dec=34.0))
        with jwstmodels.open(saved) as again:
            assert_same_wcs(again.meta.wcs, imaging_wcs(ra=12.0, dec=34.0))


def test_replacing_a_read_wcs_writes_the_new_one(reference_files: dict[str, Path], tmp_path: Path) -> None:
    for suffix in (".fits", ".asdf"):
        with jwstmodels.open(reference_files[".fits"]) as ours:
            ours.meta.wcs = imaging_wcs(ra=200.0, dec=10.0)
            saved = ours.save(tmp_path / f"replaced{suffix}")
        with reference_open(saved) as theirs:
            assert_same_wcs(theirs.meta.wcs, imaging_wcs(ra=200.0, dec=10.0))
            assert theirs.instance["unknown_calibration"]["label"] == "kept"


def test_assigning_something_else_is_refused_by_name() -> None:
    model = jwstmodels.ImageModel((4, 4))
    with pytest.raises(ValidationError, match=r"ImageModel: meta\.wcs.*gwcs\.wcs\.WCS.*got 'not a wcs'"):
        model.meta.wcs = "not a wcs"  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]
    assert model.meta.wcs is None
    model.meta.wcs = imaging_wcs()
    model.meta.wcs = None
    assert model.meta.wcs is None


def test_the_wcs_is_not_converted_at_open(
    reference_files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening, reading keywords and re-saving (FITS) never converts the WCS; touching it does."""

    def refuse(self: asdf_blocks.Document, path: object, raw: object = None) -> object:
        raise AssertionError(f"converted {path}")

    monkeypatch.setattr(asdf_blocks.Document, "node", refuse)
    with jwstmodels.open(reference_files[".fits"]) as ours:
        assert ours.meta.exposure.nframes == 2 and ours.meta.instrument.name == "NIRCAM"
        saved = ours.save(tmp_path / "untouched.fits")
        with pytest.raises(AssertionError, match=r"converted \('meta', 'wcs'\)"):
            _ = ours.meta.wcs
    monkeypatch.undo()
    with reference_open(saved) as theirs:
        assert_same_wcs(theirs.meta.wcs, imaging_wcs())


def test_gwcs_is_imported_only_when_meta_wcs_is_touched(reference_files: dict[str, Path]) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        import jwstmodels
        m = jwstmodels.open({str(reference_files[".fits"])!r})
        assert m.meta.exposure.nframes == 2
        assert "gwcs" not in sys.modules, "imported at open"
        m.meta.wcs(1.0, 2.0)
        assert "gwcs" in sys.modules
        m.close()
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_copies_and_pickles_carry_the_wcs(reference_files: dict[str, Path]) -> None:
    for suffix in (".fits", ".asdf"):
        with jwstmodels.open(reference_files[suffix]) as ours:
            copied = ours.copy()
            pickled: Any = pickle.loads(pickle.dumps(ours))
            assert_same_wcs(copied.meta.wcs, imaging_wcs())
            assert_same_wcs(pickled.meta.wcs, imaging_wcs())
            assert copied.meta.wcs is not ours.meta.wcs  # independent objects


def test_multislit_items_keep_their_own_wcs(tmp_path: Path) -> None:
    theirs = st.MultiSlitModel()
    for index in range(3):
        slit = st.SlitModel((5, 6))
        slit.name = f"S{index}"
        slit.meta.wcs = imaging_wcs(ra=10.0 * (index + 1), dec=-5.0 * index)
        theirs.slits.append(slit)
    written = reference_save(theirs, tmp_path / "slits.fits")

    with jwstmodels.MultiSlitModel(written) as ours:
        assert [slit.name for slit in ours.slits] == ["S0", "S1", "S2"]
        as_fits = ours.save(tmp_path / "ours_slits.fits")
        for index, slit in enumerate(ours.slits):
            assert_same_wcs(slit.meta.wcs, imaging_wcs(ra=10.0 * (index + 1), dec=-5.0 * index))
        as_asdf = ours.save(tmp_path / "ours_slits.asdf")
    for saved in (as_fits, as_asdf):
        with reference_open(saved) as back:
            for index, slit in enumerate(back.slits):
                assert_same_wcs(slit.meta.wcs, imaging_wcs(ra=10.0 * (index + 1), dec=-5.0 * index))
        with jwstmodels.MultiSlitModel(saved) as again:
            for index, slit in enumerate(again.slits):
                assert_same_wcs(slit.meta.wcs, imaging_wcs(ra=10.0 * (index + 1), dec=-5.0 * index))


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
def test_the_wcs_is_read_after_the_model_closed(suffix: str, reference_files: dict[str, Path]) -> None:
    model = jwstmodels.open(reference_files[suffix])
    model.close()
    assert_same_wcs(model.meta.wcs, imaging_wcs())


def test_a_wcs_node_asdf_cannot_convert_warns_and_survives(
    reference_files: dict[str, Path], tmp_path: Path
) -> None:
    """A WCS tag no installed extension knows (here, a future version): reading meta.wcs warns and gives None;
    a save writes the node back as it was, blocks included."""
    payload = extension_bytes(reference_files[".fits"])
    assert payload.count(b"tag:stsci.edu:gwcs/wcs-1.4.0") == 1
    future = payload.replace(b"tag:stsci.edu:gwcs/wcs-1.4.0", b"tag:stsci.edu:gwcs/wcs-9.9.0")
    crafted = tmp_path / "future.fits"
    with fits.open(reference_files[".fits"]) as hdul:
        column = fits.Column(
            name="ASDF_METADATA", format=f"{len(future)}B", array=np.frombuffer(future, np.uint8)[None]
        )
        hdul["ASDF"] = fits.BinTableHDU.from_columns([column], name="ASDF")
        hdul.writeto(crafted)
    with jwstmodels.open(crafted) as ours:
        with pytest.warns(
            jwstmodels.InvalidValueWarning, match=r"future\.fits: the ASDF extension: ImageModel: meta\.wcs"
        ):
            assert ours.meta.wcs is None
        saved = ours.save(tmp_path / "future_again.fits")
    assert extension_bytes(saved).count(b"tag:stsci.edu:gwcs/wcs-9.9.0") == 1
    assert blocks_of(extension_bytes(saved)) == blocks_of(payload)
