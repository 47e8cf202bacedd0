"""save/write, to_fits/to_asdf (extra arguments reach astropy and asdf), on_save; saving validates first."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import asdf
import numpy as np
import pytest
from astropy.io import fits

import jwstmodels
from jwstmodels import ImageModel, ValidationErrors


def test_save_and_write_choose_the_format_by_suffix(tmp_path: Path) -> None:
    m = ImageModel(np.ones((2, 3), np.float32))
    fits_path = m.save(tmp_path / "a.fits")
    asdf_path = m.write(str(tmp_path / "a.asdf"))
    assert fits_path.read_bytes().startswith(b"SIMPLE  =")
    assert asdf_path.read_bytes().startswith(b"#ASDF")
    for path in (fits_path, asdf_path):
        with jwstmodels.open(path) as back:
            assert back.data.shape == (2, 3)


def test_to_fits_passes_extra_arguments_to_astropy(tmp_path: Path) -> None:
    path = ImageModel(np.ones((2, 2), np.float32)).to_fits(tmp_path / "c.fits", checksum=True)
    with fits.open(path, checksum=True) as hdul:
        assert "CHECKSUM" in hdul["SCI"].header and "DATASUM" in hdul["SCI"].header


def test_to_asdf_passes_extra_arguments_to_asdf(tmp_path: Path) -> None:
    path = ImageModel(np.ones((50, 50), np.float32)).to_asdf(
        tmp_path / "z.asdf", all_array_compression="zlib"
    )
    with asdf.open(path) as af:
        assert af.get_array_compression(af.tree["data"]) == "zlib"
        np.testing.assert_array_equal(af.tree["data"], np.ones((50, 50), np.float32))


def test_to_fits_and_to_asdf_write_regardless_of_suffix(tmp_path: Path) -> None:
    m = ImageModel((1, 1))
    assert m.to_fits(tmp_path / "plain.dat").read_bytes().startswith(b"SIMPLE")
    assert m.to_asdf(tmp_path / "plain.bin").read_bytes().startswith(b"#ASDF")


def test_on_save_stamps_date_filename_and_model_type(tmp_path: Path) -> None:
    m = ImageModel((2, 2))
    before = datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0)
    m.save(tmp_path / "stamped.fits")
    assert m.meta.filename == "stamped.fits" and m.meta.model_type == "ImageModel"
    assert m.meta.date is not None
    stamped = datetime.datetime.fromisoformat(m.meta.date)
    assert before <= stamped <= datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    with fits.open(tmp_path / "stamped.fits") as hdul:
        assert hdul[0].header["FILENAME"] == "stamped.fits" and hdul[0].header["DATE"] == m.meta.date


class CountingImage(ImageModel):
    """A subclass that extends on_save: it records calls and derives a keyword from the data."""

    __slots__ = ("calls",)  # a subclass's own attributes are declared as slots
    calls: list[str | None]

    def on_save(self, path: str | os.PathLike[str] | None = None) -> None:
        super().on_save(path)
        self.calls.append(None if path is None else Path(path).name)
        self.meta.exposure.nframes = int(self.data.sum())


def test_a_subclass_extends_on_save_and_runs_before_writing(tmp_path: Path) -> None:
    m = CountingImage(np.full((2, 2), 3, np.float32))
    m.calls = []
    path = m.save(tmp_path / "sub.fits")
    assert m.calls == ["sub.fits"]
    assert m.meta.filename == "sub.fits", "chained up to the base class"
    with fits.open(path) as hdul:
        assert hdul[0].header["NFRAMES"] == 12, "the value set in on_save is in the file"
    m.to_asdf(tmp_path / "sub.asdf")
    assert m.calls == ["sub.fits", "sub.asdf"]


def test_on_save_without_a_path_leaves_the_filename() -> None:
    m = ImageModel()
    m.meta.filename = "kept.fits"
    m.on_save()
    assert m.meta.filename == "kept.fits" and m.meta.date is not None


def test_a_refused_save_writes_nothing_and_leaves_the_model_unchanged(tmp_path: Path) -> None:
    m = ImageModel((2, 2))
    m.meta.filename = "original.fits"
    vars(m.meta.exposure)["nframes"] = "bad"  # as pass_invalid_values could leave it
    for name in ("x.fits", "x.asdf"):
        with pytest.raises(ValidationErrors, match=r"ImageModel: meta.exposure.nframes \(FITS NFRAMES"):
            m.save(tmp_path / name)
    assert list(tmp_path.iterdir()) == []
    assert m.meta.filename == "original.fits" and m.meta.date is None and m.meta.model_type is None


def test_pass_invalid_values_lets_save_write_the_value(tmp_path: Path) -> None:
    path = tmp_path / "bad.fits"
    primary = fits.PrimaryHDU()
    primary.header["NFRAMES"] = "many"
    fits.HDUList([primary]).writeto(path)
    with pytest.warns(jwstmodels.InvalidValueWarning), ImageModel(path, pass_invalid_values=True) as m:
        out = m.save(tmp_path / "out.asdf")
    with asdf.open(out) as af:
        assert af.tree["meta"]["exposure"]["nframes"] == "many"
