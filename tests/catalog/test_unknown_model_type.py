"""Files whose DATAMODL names no class here: a dedicated warning naming file and type, identity kept on save.

The files are written by the reference (stdatamodels), then given a model type it has no class for either
(as a file of a newer pipeline release would have); a raw ``_uncal`` file (Level1bModel, uint16 ramps)
written by the reference keeps its class and dtypes through a round trip here.
"""

from __future__ import annotations

import pickle
import warnings
from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits

import jwstmodels
from jwstmodels import ImageModel, InvalidValueWarning, UnknownModelTypeWarning

st = pytest.importorskip("stdatamodels.jwst.datamodels", reason="stdatamodels is a test dependency")

FUTURE = "FutureSpectrumModel"


def _reference_image(path: Path, suffix: str) -> Path:
    """An ImageModel file written by the reference, then relabelled with a model type no one has."""
    model = st.ImageModel(np.arange(12, dtype=np.float32).reshape(3, 4))
    model.dq = np.arange(12, dtype=np.uint32).reshape(3, 4)
    model.meta.exposure.nframes = 4
    target = path / f"future{suffix}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the reference's own warnings while saving are not under test
        model.save(target)
    model.close()
    if suffix == ".fits":
        with fits.open(target, mode="update") as hdul:
            hdul[0].header["DATAMODL"] = FUTURE
    else:
        import asdf

        with asdf.open(target, mode="rw", lazy_load=False) as af:
            af.tree["meta"]["model_type"] = FUTURE
            af.update()
    return target


def test_the_warning_is_public_and_an_invalid_value_warning() -> None:
    assert issubclass(UnknownModelTypeWarning, InvalidValueWarning)  # existing filters still catch it
    assert jwstmodels.UnknownModelTypeWarning is UnknownModelTypeWarning
    assert "UnknownModelTypeWarning" in jwstmodels.__all__


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
def test_unknown_type_warns_naming_file_and_type(tmp_path: Path, suffix: str) -> None:
    path = _reference_image(tmp_path, suffix)
    with pytest.warns(UnknownModelTypeWarning) as caught:
        model = jwstmodels.open(path)
    message = str(caught[0].message)
    assert str(path) in message and repr(FUTURE) in message and "ImageModel" in message
    with model:
        assert type(model) is ImageModel  # the closest class: the one its data fit
        assert model.meta.model_type == FUTURE
        assert model.meta.exposure.nframes == 4


def test_explicit_class_warns_too(tmp_path: Path) -> None:
    path = _reference_image(tmp_path, ".fits")
    with pytest.warns(
        UnknownModelTypeWarning, match=rf"future\.fits: DATAMODL '{FUTURE}' names no model class"
    ):
        model = ImageModel(path)
    model.close()


def test_known_type_does_not_warn(tmp_path: Path) -> None:
    path = tmp_path / "known.fits"
    ImageModel(np.zeros((3, 4), np.float32)).save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", InvalidValueWarning)
        jwstmodels.open(path).close()


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
def test_unknown_type_round_trips_with_identity_and_dtypes(tmp_path: Path, suffix: str) -> None:
    path = _reference_image(tmp_path, suffix)
    with pytest.warns(UnknownModelTypeWarning), jwstmodels.open(path) as model:
        saved = model.save(tmp_path / f"again{suffix}")
    with pytest.warns(UnknownModelTypeWarning), jwstmodels.open(saved) as back:
        assert back.meta.model_type == FUTURE  # saving kept the type the file names
        assert back.data.dtype.newbyteorder("=") == np.float32  # FITS data are big-endian
        assert back.dq.dtype.newbyteorder("=") == np.uint32
        np.testing.assert_array_equal(back.data, np.arange(12, dtype=np.float32).reshape(3, 4))
        np.testing.assert_array_equal(back.dq, np.arange(12, dtype=np.uint32).reshape(3, 4))
    if suffix == ".fits":
        assert fits.getval(saved, "DATAMODL") == FUTURE
    # a model type a class has is still stamped with the saving class (as the reference does)
    with pytest.warns(UnknownModelTypeWarning), jwstmodels.open(saved) as model:
        model.meta.model_type = "ImageModel"
        relabelled = model.save(tmp_path / f"relabelled{suffix}")
    with jwstmodels.open(relabelled) as back:
        assert back.meta.model_type == "ImageModel"


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
def test_unknown_type_survives_pickling(tmp_path: Path, suffix: str) -> None:
    """A model sent to another process (a Dask worker, multiprocessing) and saved there keeps the type its
    file named, as one saved where it was read does."""
    path = _reference_image(tmp_path, suffix)
    with pytest.warns(UnknownModelTypeWarning), jwstmodels.open(path) as model:
        far = pickle.loads(pickle.dumps(model))
    with far:
        assert far.meta.model_type == FUTURE
        saved = far.save(tmp_path / f"far{suffix}")
    with pytest.warns(UnknownModelTypeWarning), jwstmodels.open(saved) as back:
        assert back.meta.model_type == FUTURE
        np.testing.assert_array_equal(back.data, np.arange(12, dtype=np.float32).reshape(3, 4))
    # once set in memory on the far side, the value is stamped over with the class, as before pickling
    with pytest.warns(UnknownModelTypeWarning), jwstmodels.open(path) as model:
        far = pickle.loads(pickle.dumps(model))
    with far:
        far.meta.model_type = "SomethingElse"
        stamped = far.save(tmp_path / f"stamped{suffix}")
    with jwstmodels.open(stamped) as back:
        assert back.meta.model_type == "ImageModel"


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
def test_reference_uncal_keeps_class_and_dtypes(tmp_path: Path, suffix: str) -> None:
    ramp = np.arange(2 * 3 * 4 * 5, dtype=np.uint16).reshape(2, 3, 4, 5)
    model = st.Level1bModel(data=ramp)
    model.meta.exposure.ngroups = 3
    path = tmp_path / f"x_uncal{suffix}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save(path)
    model.close()
    with warnings.catch_warnings():
        warnings.simplefilter("error", InvalidValueWarning)
        with jwstmodels.open(path) as ours:
            assert type(ours).__name__ == "Level1bModel"
            assert ours.data.dtype.newbyteorder("=") == np.uint16
            saved = ours.save(tmp_path / f"again_uncal{suffix}")
    with st.open(saved) as theirs:
        assert type(theirs).__name__ == "Level1bModel"
        assert theirs.meta.model_type == "Level1bModel"
        assert theirs.data.dtype.newbyteorder("=") == np.uint16
        np.testing.assert_array_equal(theirs.data, ramp)
