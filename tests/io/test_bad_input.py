"""Bad files and failed saves: clear errors, warnings that name the place, and no damaged files."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from astropy.io import fits

import jwstmodels
from jwstmodels import FileFormatError, ImageModel, InvalidValueWarning


def write_image(path: Path, **header: object) -> Path:
    primary = fits.PrimaryHDU()
    primary.header["DATAMODL"] = "ImageModel"
    for key, value in header.items():
        primary.header[key] = value
    fits.HDUList([primary, fits.ImageHDU(np.zeros((2, 2), np.float32), name="SCI")]).writeto(path)
    return path


def test_invalid_keyword_value_warns_and_is_kept_for_resaving(tmp_path: Path) -> None:
    path = write_image(tmp_path / "bad.fits", NFRAMES="lots", NGROUPS=4)
    with pytest.warns(InvalidValueWarning) as record:
        m = jwstmodels.open(path)
    message = str(record[0].message)
    for part in (str(path), "HDU PRIMARY", "NFRAMES", "meta.exposure.nframes", "'lots'"):
        assert part in message
    with m:
        assert m.meta.exposure.nframes is None
        assert m.meta.exposure.ngroups == 4
        out = m.save(tmp_path / "resaved.fits")
    with fits.open(out) as hdul:
        assert hdul[0].header["NFRAMES"] == "lots"
        assert hdul[0].header["NGROUPS"] == 4


def test_pass_invalid_values_keeps_the_value_in_place(tmp_path: Path) -> None:
    path = write_image(tmp_path / "bad.fits", NFRAMES="lots")
    with pytest.warns(InvalidValueWarning), jwstmodels.open(path, pass_invalid_values=True) as m:
        assert m.meta.exposure.nframes == "lots"
        out = m.save(tmp_path / "resaved.fits")
    with fits.open(out) as hdul:
        assert hdul[0].header["NFRAMES"] == "lots"


def test_not_fits_nor_asdf(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(FileFormatError, match=r"notes.txt: neither a FITS nor an ASDF file"):
        jwstmodels.open(path)
    with pytest.raises(FileFormatError, match="is a directory"):
        jwstmodels.open(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"missing\.fits"):
        jwstmodels.open(tmp_path / "missing.fits")


def test_truncated_fits_file(tmp_path: Path) -> None:
    path = ImageModel(np.ones((64, 64), np.float32)).save(tmp_path / "whole.fits")
    cut = tmp_path / "cut.fits"
    cut.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(FileFormatError, match=r"cut.fits: not a readable FITS file"):
        jwstmodels.open(cut)


def test_truncated_asdf_file(tmp_path: Path) -> None:
    path = ImageModel(np.ones((64, 64), np.float32)).save(tmp_path / "whole.asdf")
    cut = tmp_path / "cut.asdf"
    cut.write_bytes(path.read_bytes()[:300])
    with pytest.raises(FileFormatError, match=r"cut.asdf: not a readable ASDF file"):
        jwstmodels.open(cut)


def test_failed_write_leaves_existing_file_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = ImageModel(np.ones((2, 2), np.float32)).save(tmp_path / "keep.fits")
    before = target.read_bytes()

    def broken_writeto(self: fits.HDUList, handle: Any, *args: object, **kwargs: object) -> None:
        handle.write(b"SIMPLE  = partial")
        raise OSError("disk full")

    monkeypatch.setattr(fits.HDUList, "writeto", broken_writeto)
    with pytest.raises(OSError, match="disk full"):
        ImageModel(np.zeros((2, 2), np.float32)).save(target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.fits"], "no temporary file left behind"


def test_invalid_model_is_not_saved(tmp_path: Path) -> None:
    target = ImageModel(np.ones((2, 2), np.float32)).save(tmp_path / "keep.asdf")
    before = target.read_bytes()
    m = ImageModel((2, 2))
    vars(m.meta.exposure)["nframes"] = "x"
    with pytest.raises(jwstmodels.ValidationErrors, match=r"meta.exposure.nframes \(FITS NFRAMES"):
        m.save(target)
    assert target.read_bytes() == before


def test_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"out.txt: cannot tell the format"):
        ImageModel((1, 1)).save(tmp_path / "out.txt")


def test_fallback_class_by_dimensionality_without_datamodl(tmp_path: Path) -> None:
    path = tmp_path / "cube.fits"
    fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(np.zeros((2, 3, 4), np.float32), name="SCI")]).writeto(
        path
    )
    with jwstmodels.open(path) as m:
        assert type(m) is jwstmodels.CubeModel
        assert m.data.shape == (2, 3, 4)


def test_asdf_with_an_unknown_tag_warns_and_keeps_the_content(tmp_path: Path) -> None:
    import asdf
    import asdf.tagged
    import asdf.util

    path = tmp_path / "unknown.asdf"
    thing = asdf.tagged.TaggedDict({"a": 1}, "tag:example.org/unknown-1.0.0")
    tree = {"meta": {"model_type": "ImageModel", "exposure": {"nframes": 2}}, "thing": thing}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # asdf itself warns that it does not know the tag it writes
        asdf.AsdfFile(tree).write_to(path)
    message = r"unknown\.asdf: tag:example.org/unknown-1.0.0 is not recognized"
    with pytest.warns(InvalidValueWarning, match=message):
        model = jwstmodels.open(path)
    with model:
        assert model.meta.exposure.nframes == 2
        out = model.save(tmp_path / "again.asdf")
    again = asdf.util.load_yaml(out, tagged=True)  # the YAML alone: the tag survived the round trip
    assert again["thing"]["a"] == 1
    assert again["thing"]._tag == "tag:example.org/unknown-1.0.0"


def test_non_ascii_header_warns_and_opens(tmp_path: Path) -> None:
    path = write_image(tmp_path / "accent.fits", OBSERVER="Rene")
    raw = bytearray(path.read_bytes())
    at = raw.index(b"Rene") + 1
    raw[at] = 0xE9  # "é" in latin-1: not allowed in a FITS header
    path.write_bytes(bytes(raw))
    warning = pytest.warns(InvalidValueWarning, match=r"accent\.fits: non-ASCII characters")
    with warning, jwstmodels.open(path) as m:
        assert m.extra_fits["PRIMARY"][-1][:2] == ("OBSERVER", "R?ne")
