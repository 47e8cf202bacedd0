"""Arrays not read before close(): read from the file when it is unchanged, else FileChangedError naming the
model, the array and the file (issue 17); errors on a first read name the file and its format (issue 18)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest

import jwstmodels
from jwstmodels import FileChangedError, FileFormatError
from tests.support.sample_files import image_model, multislit_model, write_image, write_multislit


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
def test_unread_array_is_read_after_close_when_the_file_is_unchanged(suffix: str, tmp_path: Path) -> None:
    path = write_image(tmp_path, suffix)
    with jwstmodels.open(path) as model:
        assert isinstance(model, jwstmodels.ImageModel)
        data = np.array(model.data)  # read while open
    assert "dq" in model.__jwst_state__.store.loaders
    np.testing.assert_array_equal(model.dq, image_model().dq)  # read after close
    np.testing.assert_array_equal(model.data, data)
    assert model.__jwst_state__.close_hooks == []  # nothing left open by the re-read


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
def test_multi_model_item_array_after_close(suffix: str, tmp_path: Path) -> None:
    path = write_multislit(tmp_path, suffix)
    with jwstmodels.open(path) as model:
        assert isinstance(model, jwstmodels.MultiSlitModel)
    expected = multislit_model()
    for got, want in zip(model.slits, expected.slits, strict=True):
        np.testing.assert_array_equal(got.wavelength, want.wavelength)
        np.testing.assert_array_equal(got.dq, want.dq)


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
@pytest.mark.parametrize("change", ["rewritten", "touched", "removed"])
def test_unread_array_after_close_of_a_changed_file_raises(suffix: str, change: str, tmp_path: Path) -> None:
    path = write_image(tmp_path, suffix)
    model = jwstmodels.open(path)
    np.asarray(model["data"])
    model.close()
    if change == "rewritten":
        image_model(salt=3).save(path)
    elif change == "touched":  # same bytes, another modification time
        status = os.stat(path)
        os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
    else:
        os.remove(path)
    where = "HDU DQ" if suffix == ".fits" else "ASDF node dq"
    with pytest.raises(FileChangedError) as caught:
        model["dq"]
    message = str(caught.value)
    assert message.startswith("ImageModel.dq: ")
    assert where in message and str(path) in message
    assert isinstance(caught.value, FileFormatError) and isinstance(caught.value, OSError)
    np.testing.assert_array_equal(model["data"], image_model().data)  # what was read stays usable
    with pytest.raises(FileChangedError):  # and it stays unread: the error repeats, nothing is invented
        model["dq"]


def test_model_from_a_file_object_cannot_read_after_close(tmp_path: Path) -> None:
    path = write_image(tmp_path, ".fits")
    with jwstmodels.ImageModel(io.BytesIO(path.read_bytes())) as model:
        pass
    with pytest.raises(FileChangedError, match=r"ImageModel\.err: .*HDU ERR.*cannot be opened again"):
        _ = model.err


def test_unread_array_of_an_hdulist_closed_by_its_owner(tmp_path: Path) -> None:
    from astropy.io import fits

    path = write_image(tmp_path, ".fits")
    with fits.open(path) as hdul:
        model = jwstmodels.ImageModel(hdul)
    np.testing.assert_array_equal(model.err, image_model().err)  # the file is opened again


def test_first_read_error_of_an_asdf_array_names_the_file_and_node(tmp_path: Path) -> None:
    import asdf

    path = tmp_path / "flat.asdf"
    tree = {"meta": {"model_type": "ImageModel"}, "data": np.zeros((2, 3, 4), dtype=np.float32)}
    asdf.AsdfFile(tree).write_to(path)
    with jwstmodels.open(path) as model, pytest.raises(jwstmodels.ValidationError) as caught:
        model["data"]
    message = str(caught.value)
    assert message.startswith(f"{path}: ASDF node data: ImageModel: data")
    assert "FITS" not in message
    assert caught.value.hdu is None


class _ShortHDU:
    """Stands in for an HDU whose data part is cut short: astropy raises TypeError when it is read."""

    name = "ERR"
    ver = 1

    @property
    def data(self) -> object:
        raise TypeError("buffer is too small for requested array")


def test_first_read_error_of_a_damaged_fits_array_names_the_file_and_hdu(tmp_path: Path) -> None:
    path = write_image(tmp_path, ".fits")
    with jwstmodels.open(path) as model:
        assert isinstance(model, jwstmodels.ImageModel)
        source = model.__jwst_state__.store.loaders["err"]
        setattr(source, "hdu", _ShortHDU())  # the FITS source of the open file
        with pytest.raises(
            FileFormatError, match=rf"^{path}: HDU ERR: ImageModel\.err cannot be read: .*\(TypeError\)"
        ):
            _ = model.err
        assert "err" in model.__jwst_state__.store.loaders  # not replaced by a default


def test_gzip_compressed_fits_after_close_and_pickled(tmp_path: Path) -> None:
    import gzip
    import pickle

    plain = write_image(tmp_path, ".fits")
    path = tmp_path / "image.fits.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    with jwstmodels.open(path) as model:
        blob = pickle.dumps(model)
    np.testing.assert_array_equal(model["var_poisson"], image_model().var_poisson)
    np.testing.assert_array_equal(pickle.loads(blob)["dq"], image_model().dq)


def test_unread_array_of_an_asdf_file_closed_by_its_owner(tmp_path: Path) -> None:
    import asdf

    path = write_image(tmp_path, ".asdf")
    with asdf.open(path, lazy_load=True) as af:
        model = jwstmodels.ImageModel(af)
    np.testing.assert_array_equal(model.err, image_model().err)  # the file is opened again
