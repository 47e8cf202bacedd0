"""FITS fidelity: nothing a file holds is lost through jwstmodels; bad HDUs are refused from the headers."""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from astropy.io import fits

import jwstmodels
from jwstmodels import ArrayField, Column, DataModel, ImageModel, Meta, RampModel, TableField, ValidationError
from jwstmodels._io.fits_cards import STRUCTURAL as _STRUCTURAL

st = pytest.importorskip("stdatamodels.jwst.datamodels", reason="stdatamodels is a test dependency")

STAMPED = {"DATE", "FILENAME"}  # on_save writes the save time and the new file name


def cards(hdu: Any) -> dict[str, object]:
    """Keyword -> value of every card astropy does not derive from the data."""
    return {
        card.keyword: card.value
        for card in hdu.header.cards
        if card.keyword and not _STRUCTURAL.match(card.keyword) and card.keyword not in STAMPED
    }


def reference_file(path: Path) -> Path:
    """A file written by the reference, then given a card and an HDU that no schema describes."""
    ref = st.ImageModel((3, 4))
    ref.data[...] = np.arange(12, dtype=np.float32).reshape(3, 4)
    ref.meta.exposure.nframes = 2
    ref.meta.target.proper_motion_ra = 1.25  # a keyword our schema does not (yet) describe
    ref.meta.asn.exptype = "background"  # a value with no FITS keyword: only the ASDF extension has it
    ref.save(path)
    ref.close()
    with fits.open(path, mode="update") as hdul:
        hdul[0].header["OBSERVER"] = ("Cannon", "a card no schema names")
        hdul[0].header.add_history("flat-fielded by hand")
        hdul["SCI"].header["SCIEXTRA"] = 7
        hdul.append(fits.ImageHDU(np.eye(3, dtype=np.int16), name="MYNOTES"))
    return path


def test_read_then_save_keeps_every_card_and_hdu(tmp_path: Path) -> None:
    source = reference_file(tmp_path / "ref.fits")
    with jwstmodels.open(source) as model:
        out = model.save(tmp_path / "ours.fits")
    with fits.open(source) as before, fits.open(out) as after:
        names_before = [hdu.name for hdu in before if hdu.name != "ASDF"]
        names_after = [hdu.name for hdu in after if hdu.name != "ASDF"]
        assert names_after == names_before
        assert "ASDF" in [hdu.name for hdu in after]
        compared = 0
        for name in names_before:
            want, have = cards(before[name]), cards(after[name])
            for keyword, value in want.items():
                assert have.get(keyword) == value, f"{name} {keyword}"
                compared += 1
            if before[name].data is not None:
                np.testing.assert_array_equal(after[name].data, before[name].data, err_msg=name)
        assert compared >= 6
        assert after[0].header["OBSERVER"] == "Cannon"
        assert "flat-fielded by hand" in str(after[0].header["HISTORY"])


def test_values_only_the_asdf_extension_holds_survive_both_ways(tmp_path: Path) -> None:
    source = reference_file(tmp_path / "ref.fits")
    with jwstmodels.open(source) as model:
        out = model.save(tmp_path / "ours.fits")
        asdf_out = model.save(tmp_path / "ours.asdf")
    for path in (out, asdf_out):
        with st.open(path) as again:
            assert again.meta.asn.exptype == "background", path.suffix
            assert again.meta.target.proper_motion_ra == 1.25, path.suffix
            assert again.meta.exposure.nframes == 2


def test_fits_save_writes_an_asdf_extension_the_reference_reads(tmp_path: Path) -> None:
    model = ImageModel((2, 2))
    model.meta.exposure.nframes = 3
    path = model.save(tmp_path / "a.fits")
    with fits.open(path) as hdul:
        assert hdul[-1].name == "ASDF"
        payload = bytes(hdul["ASDF"].data["ASDF_METADATA"][0])
    assert payload.startswith(b"#ASDF 1.0.0")
    with st.open(path, strict_validation=True) as theirs:
        assert theirs.meta.exposure.nframes == 3


def test_table_units_are_written(tmp_path: Path) -> None:
    class SpectrumModel(DataModel[Meta]):
        meta_class = Meta
        table = TableField(
            hdu="EXTRACT1D",
            columns=(Column("wavelength", "float64", unit="um"), Column("flux", "float32", unit="Jy")),
        )

    model = SpectrumModel()
    rows = np.zeros(4, dtype=SpectrumModel.table.dtype)
    rows["wavelength"] = np.linspace(1, 2, 4)
    model.table = rows
    path = model.save(tmp_path / "spec.fits")
    with fits.open(path) as hdul:
        assert hdul["EXTRACT1D"].columns["wavelength"].unit == "um"
        assert hdul["EXTRACT1D"].columns["flux"].unit == "Jy"
    with SpectrumModel(path) as again:
        np.testing.assert_array_equal(again.table["wavelength"], rows["wavelength"])


def write(path: Path, *hdus: Any, model_type: str = "ImageModel") -> Path:
    primary = fits.PrimaryHDU()
    primary.header["DATAMODL"] = model_type
    fits.HDUList([primary, *hdus]).writeto(path)
    return path


@pytest.mark.parametrize(
    ("hdu", "message"),
    [
        (fits.ImageHDU(np.zeros((2, 2, 2), np.float32), name="SCI"), r"HDU SCI: ImageModel: data .*3-D"),
        (fits.ImageHDU(np.zeros((2, 2), np.float64), name="DQ"), r"HDU DQ: ImageModel: dq .*uint32.*float64"),
    ],
    ids=["wrong-dimensionality", "wrong-dtype"],
)
def test_hdu_that_does_not_fit_its_field_is_refused(tmp_path: Path, hdu: Any, message: str) -> None:
    path = write(tmp_path / "bad.fits", hdu)
    with pytest.raises(ValidationError, match=rf"bad\.fits: {message}"):
        jwstmodels.open(path)


def test_image_where_a_table_belongs_is_refused(tmp_path: Path) -> None:
    image = fits.ImageHDU(np.zeros((2, 2), np.float32), name="GROUP")
    path = write(tmp_path / "bad.fits", image, model_type="RampModel")
    with pytest.raises(ValidationError, match=r"bad\.fits: HDU GROUP: RampModel: group .*ImageHDU"):
        jwstmodels.open(path)


def test_castable_hdu_dtype_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path / "int.fits", fits.ImageHDU(np.arange(4, dtype=np.int16).reshape(2, 2), name="SCI"))
    with jwstmodels.open(path) as model:
        assert isinstance(model, ImageModel)
        assert model.data.dtype == np.float32 and model.data[1, 1] == 3


def test_reading_one_group_of_a_ramp_does_not_read_the_others(tmp_path: Path) -> None:
    ramp = RampModel((1, 10, 256, 256))
    ramp.data[:] = 1.0
    path = ramp.save(tmp_path / "ramp.fits")
    size = 10 * 256 * 256 * 4
    with jwstmodels.open(path) as model:
        assert isinstance(model, RampModel)
        tracemalloc.start()
        try:
            total = float(model.data[0, 3].sum())
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert total == 256 * 256
        assert peak < size / 5, f"reading one group allocated {peak} bytes of a {size}-byte array"
        assert model.shape == (1, 10, 256, 256)


def test_arrays_are_not_read_until_touched(tmp_path: Path) -> None:
    path = ImageModel(np.ones((16, 16), np.float32)).save(tmp_path / "a.fits")
    with jwstmodels.open(path) as model:
        field = type(model).data
        assert isinstance(field, ArrayField)
        assert (
            "data" in model.__jwst_state__.store.loaders and "data" not in model.__jwst_state__.store.values
        )
        assert model.shape == (16, 16)
        _ = model.data
        assert "data" in model.__jwst_state__.store.values


def test_a_gzip_compressed_file_reads_its_asdf_extension(tmp_path: Path) -> None:
    model = ImageModel(np.ones((4, 4), np.float32))
    model.meta.exposure.nframes = 3
    model.meta.asn.exptype = "background"  # in the ASDF extension only
    model.add_history_entry("flat-fielded", software={"name": "jwst", "version": "1.19"})
    path = model.save(tmp_path / "a.fits.gz")
    with open(path, "rb") as raw:
        assert raw.read(2) == b"\x1f\x8b"  # astropy compressed it, by the suffix
    with jwstmodels.open(path) as again:
        assert again.meta.exposure.nframes == 3
        assert again.meta.asn.exptype == "background"
        assert again.meta.history[0].software is not None
        assert again.meta.history[0].software.version == "1.19"
        assert float(again.data.sum()) == 16.0
