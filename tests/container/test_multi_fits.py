"""Multi-model items in FITS: one set of HDUs per item told apart by EXTVER, each item's keywords in its own
headers, the primary header the multi-model's, and every value back when the file is opened again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from astropy.io import fits

import jwstmodels
from jwstmodels import (
    DrizProductModel,
    InvalidValueWarning,
    MultiExposureModel,
    MultiProductModel,
    MultiSlitModel,
    MultiSpecModel,
    SlitModel,
    SpecModel,
    ValidationErrors,
)
from tests.support.populate import get_path, populate, same_value

SHAPES = [(3, 5), (4, 7), (6, 2)]


def scalars_of(model: Any, salt: int) -> dict[str, object]:
    """Set every scalar field outside ``meta`` (``name``, ``source_id``, ...) to a distinct valid value."""
    values: dict[str, object] = {}
    for offset, (name, field) in enumerate(type(model).__jwst_layout__.scalar_fields.items()):
        if field.enum is not None:
            value: object = field.enum[(salt + offset) % len(field.enum)]
        else:
            value = {str: f"{name}-{salt}", int: salt + offset, float: salt + offset + 0.25}.get(
                field.kind, (salt + offset) % 2 == 0
            )
        setattr(model, name, value)
        values[name] = value
    return values


def cards(path: Path) -> dict[tuple[str, int], fits.Header]:
    """Every header of a file by (EXTNAME, EXTVER), read with astropy alone."""
    with fits.open(path) as hdul:
        return {(str(hdu.name), int(hdu.ver)): hdu.header.copy() for hdu in hdul}


def three_slits() -> tuple[MultiSlitModel, list[dict[str, object]], list[dict[str, object]]]:
    multi = MultiSlitModel()
    multi.meta.instrument.name = "NIRSPEC"
    multi.meta.exposure.start_time_mjd = 60000.5  # the multi-model's keyword in SCI: lives in SCI,1
    multi.meta.target.source_type = "EXTENDED"
    metas: list[dict[str, object]] = []
    scalars: list[dict[str, object]] = []
    for index, shape in enumerate(SHAPES):
        slit = SlitModel(np.arange(np.prod(shape), dtype=np.float32).reshape(shape) + 100 * index)
        slit.dq = np.full(shape, index + 1, dtype=np.uint32)
        slit.wavelength = np.full(shape, 1.5 + index, dtype=np.float32)
        if index != 1:
            slit.err = np.full(shape, 0.5, dtype=np.float32)
        metas.append(populate(slit.meta, start=10_000 * (index + 1)))
        scalars.append(scalars_of(slit, 100 * (index + 1)))
        multi.slits.append(slit)
    return multi, metas, scalars


def test_slits_round_trip_through_fits(tmp_path: Path) -> None:
    multi, metas, scalars = three_slits()
    path = multi.save(tmp_path / "multi_cal.fits")

    headers = cards(path)
    layout = [key for key in headers if key[0] in ("SCI", "DQ", "ERR", "WAVELENGTH")]
    assert layout == [
        ("SCI", 1), ("DQ", 1), ("ERR", 1), ("WAVELENGTH", 1),
        ("SCI", 2), ("DQ", 2), ("WAVELENGTH", 2), ("ERR", 2),  # ERR,2: BUNIT alone, no data
        ("SCI", 3), ("DQ", 3), ("ERR", 3), ("WAVELENGTH", 3),
    ]  # fmt: skip
    for ver, shape in enumerate(SHAPES, start=1):
        sci = headers[("SCI", ver)]
        assert sci["EXTVER"] == ver
        assert (sci["NAXIS2"], sci["NAXIS1"]) == shape
        assert sci["SLTNAME"] == scalars[ver - 1]["name"]
        assert sci["SOURCEID"] == scalars[ver - 1]["source_id"]
        assert sci["CRPIX1"] == metas[ver - 1]["meta.wcsinfo.crpix1"]
        assert headers[("ERR", ver)]["BUNIT"] == metas[ver - 1]["meta.bunit_err"]
    assert headers[("ERR", 2)]["NAXIS"] == 0
    primary = headers[("PRIMARY", 1)]
    assert primary["DATAMODL"] == "MultiSlitModel" and primary["INSTRUME"] == "NIRSPEC"
    assert "NFRAMES" not in primary  # an item's primary keywords are the item's: ASDF extension only
    assert headers[("SCI", 1)]["MJD-BEG"] == 60000.5 and headers[("SCI", 1)]["SRCTYPE"] == "EXTENDED"
    assert "MJD-BEG" not in headers[("SCI", 2)]  # the multi-model's keyword: the items keep theirs in ASDF
    assert headers[("SCI", 2)]["SRCTYPE"] == scalars[1]["source_type"]

    with jwstmodels.open(path) as again:
        assert isinstance(again, MultiSlitModel)
        assert again.meta.instrument.name == "NIRSPEC"
        assert again.meta.exposure.start_time_mjd == 60000.5
        assert again.meta.target.source_type == "EXTENDED"
        assert not again.extra_fits and not again.__jwst_state__.extra_hdus
        assert len(again.slits) == 3
        for index, slit in enumerate(again.slits):
            assert "data" in slit.__jwst_state__.store.loaders and slit.shape == SHAPES[index]  # not read yet
            for dotted, value in metas[index].items():
                assert same_value(get_path(slit, dotted), value), (index, dotted)
            for name, value in scalars[index].items():
                assert getattr(slit, name) == value, (index, name)
            original = multi.slits[index]
            np.testing.assert_array_equal(slit.data, original.data)
            np.testing.assert_array_equal(slit.dq, original.dq)
            np.testing.assert_array_equal(slit.wavelength, original.wavelength)
            assert slit.dq.dtype == np.uint32
            assert ("err" in slit.array_names()) == (index != 1)
            assert not slit.extra_fits and not slit.__jwst_state__.extra_tree


def test_reopened_slits_save_the_same_file(tmp_path: Path) -> None:
    multi, _, _ = three_slits()
    first = multi.save(tmp_path / "first.fits")
    with jwstmodels.open(first) as again:
        second = again.save(tmp_path / "second.fits")
    one, two = cards(first), cards(second)
    assert list(one) == list(two)
    for key, header in one.items():
        if key[0] != "ASDF":
            assert {c.keyword: c.value for c in header.cards if c.keyword not in ("DATE", "FILENAME")} == {
                c.keyword: c.value for c in two[key].cards if c.keyword not in ("DATE", "FILENAME")
            }, key


def test_spectra_round_trip_through_fits(tmp_path: Path) -> None:
    multi = MultiSpecModel()
    multi.meta.exposure.start_time_mjd = 60001.25  # a header-only SCI HDU: the spectra use EXTRACT1D
    times = np.zeros(2, dtype=MultiSpecModel.int_times.dtype)
    times["integration_number"] = [1, 2]
    multi.int_times = times
    scalars: list[dict[str, object]] = []
    for index, rows in enumerate((4, 9)):
        spec = SpecModel()
        table = np.zeros(rows, dtype=SpecModel.spec_table.dtype)
        table["WAVELENGTH"] = np.linspace(1.0, 2.0, rows) + index
        table["DQ"] = index
        spec.spec_table = table
        spec.meta.exposure.nframes = 7 + index
        spec.meta.exposure.end_time_mjd = 60002.0 + index  # SCI is the multi-model's: kept in ASDF
        scalars.append(scalars_of(spec, 500 + 100 * index))
        multi.spec.append(spec)
    path = multi.save(tmp_path / "x1d.fits")

    with fits.open(path) as hdul:
        assert sorted((h.name, h.ver) for h in hdul) == [
            ("ASDF", 1), ("EXTRACT1D", 1), ("EXTRACT1D", 2), ("INT_TIMES", 1), ("PRIMARY", 1), ("SCI", 1)
        ]  # fmt: skip
        assert hdul["SCI"].header["MJD-BEG"] == 60001.25 and hdul["SCI"].data is None
        for ver in (1, 2):
            table_hdu = hdul["EXTRACT1D", ver]
            assert isinstance(table_hdu, fits.BinTableHDU) and table_hdu.header["EXTVER"] == ver
            assert table_hdu.header["SLTNAME"] == scalars[ver - 1]["name"]
            assert table_hdu.header["MJD-BEG"] == scalars[ver - 1]["start_time_mjd"]
            assert len(table_hdu.data) == (4, 9)[ver - 1]

    with jwstmodels.open(path) as again:
        assert isinstance(again, MultiSpecModel)
        assert again.meta.exposure.start_time_mjd == 60001.25
        assert again.meta.exposure.end_time_mjd is None  # the items' values stay the items'
        assert list(again.int_times["integration_number"]) == [1, 2]
        assert len(again.spec) == 2
        for index, spec in enumerate(again.spec):
            original = multi.spec[index].spec_table
            for column in ("WAVELENGTH", "DQ"):
                np.testing.assert_array_equal(spec.spec_table[column], original[column])
            assert spec.meta.exposure.nframes == 7 + index
            assert spec.meta.exposure.end_time_mjd == 60002.0 + index
            assert {name: getattr(spec, name) for name in scalars[index]} == scalars[index]
            assert not spec.extra_fits and not spec.__jwst_state__.extra_tree


def test_exposures_keep_their_own_exposure_metadata(tmp_path: Path) -> None:
    multi = MultiExposureModel()
    multi.meta.exposure.nframes = 1
    for index in range(2):
        exposure = SlitModel(np.full((2, 3 + index), index, dtype=np.float32))
        exposure.meta.exposure.nframes = 10 + index  # PRIMARY keyword of the item: not in the primary header
        exposure.meta.observation.date = f"2024-01-0{index + 1}"
        exposure.name = f"exposure-{index}"
        multi.exposures.append(exposure)
    path = multi.save(tmp_path / "exposures.fits")
    headers = cards(path)
    assert headers[("PRIMARY", 1)]["NFRAMES"] == 1 and "DATE-OBS" not in headers[("PRIMARY", 1)]
    assert [headers[("SCI", v)]["SLTNAME"] for v in (1, 2)] == ["exposure-0", "exposure-1"]
    with jwstmodels.open(path) as again:
        assert isinstance(again, MultiExposureModel)
        assert again.meta.exposure.nframes == 1
        assert [e.meta.exposure.nframes for e in again.exposures] == [10, 11]
        assert [e.meta.observation.date for e in again.exposures] == ["2024-01-01", "2024-01-02"]
        assert [e.name for e in again.exposures] == ["exposure-0", "exposure-1"]
        assert [e.data.shape for e in again.exposures] == [(2, 3), (2, 4)]


def test_products_round_trip_through_fits(tmp_path: Path) -> None:
    multi = MultiProductModel()
    for index in range(3):
        product = DrizProductModel(np.full((4, 4 + index), index, dtype=np.float32))
        product.wht = np.full((4, 4 + index), 2.0, dtype=np.float32)
        product.meta.wcsinfo.crval1 = 10.0 + index
        multi.products.append(product)
    path = multi.save(tmp_path / "products.fits")
    headers = cards(path)
    assert [headers[("SCI", v)]["CRVAL1"] for v in (1, 2, 3)] == [10.0, 11.0, 12.0]
    assert [headers[("WHT", v)]["EXTVER"] for v in (1, 2, 3)] == [1, 2, 3]
    with MultiProductModel(path) as again:
        assert [p.meta.wcsinfo.crval1 for p in again.products] == [10.0, 11.0, 12.0]
        assert [p.data.shape for p in again.products] == [(4, 4), (4, 5), (4, 6)]
        np.testing.assert_array_equal(again.products[2].wht, np.full((4, 6), 2.0, dtype=np.float32))
        assert [p.array_names() for p in again.products] == [["data", "wht"]] * 3


def test_an_item_keyword_that_does_not_fit_warns_and_is_kept(tmp_path: Path) -> None:
    multi, _, _ = three_slits()
    path = multi.save(tmp_path / "multi.fits")
    with fits.open(path, mode="update") as hdul:
        hdul["SCI", 2].header["SLTSTRT1"] = "left"  # an int field
        hdul["SCI", 2].header["CRPIX1"] = "middle"  # a float metadata field
        hdul["SCI", 3].header["MYCARD"] = (7, "a card no schema names")
    with (
        pytest.warns(InvalidValueWarning, match=r"multi.fits: HDU SCI,2 \(slits\[1\]\), keyword SLTSTRT1"),
        pytest.warns(
            InvalidValueWarning, match=r"SCI,2 \(slits\[1\]\), keyword CRPIX1 \(meta.wcsinfo.crpix1\)"
        ),
    ):
        again = MultiSlitModel(path)
    with again:
        slit = again.slits[1]
        assert slit.xstart is None and slit.meta.wcsinfo.crpix1 is None
        assert again.slits[0].xstart == multi.slits[0].xstart
        assert ("MYCARD", 7, "a card no schema names") in again.slits[2].extra_fits["SCI"]
        resaved = again.save(tmp_path / "again.fits")
    headers = cards(resaved)
    assert headers[("SCI", 2)]["SLTSTRT1"] == "left" and headers[("SCI", 2)]["CRPIX1"] == "middle"
    assert headers[("SCI", 3)]["MYCARD"] == 7 and "MYCARD" not in headers[("SCI", 1)]


def test_a_save_with_an_invalid_item_writes_nothing(tmp_path: Path) -> None:
    bad_file = tmp_path / "slit.fits"
    SlitModel(np.zeros((2, 2), dtype=np.float32)).save(bad_file)
    with fits.open(bad_file, mode="update") as hdul:
        hdul["SCI"].header["SLTNAME"] = 12  # a str field
    with pytest.warns(InvalidValueWarning, match="SLTNAME"):
        kept = SlitModel(bad_file, pass_invalid_values=True)
    multi = MultiSlitModel()
    multi.slits.append(SlitModel(np.zeros((2, 2), dtype=np.float32)))
    multi.slits.append(kept)
    with pytest.raises(ValidationErrors, match=r"MultiSlitModel: slits\[1\].name \(FITS SLTNAME in SCI\)"):
        multi.validate()
    for suffix in (".fits", ".asdf"):  # both formats validate every item before writing
        target = tmp_path / f"multi{suffix}"
        target.write_bytes(b"old contents")
        with pytest.raises(ValidationErrors, match=r"slits\[1\].name \(FITS SLTNAME in SCI\)"):
            multi.save(target)
        assert target.read_bytes() == b"old contents"
        assert multi.meta.filename is None  # the refused save stamped nothing
    kept.close()


def test_items_are_found_by_extver_without_the_asdf_extension(tmp_path: Path) -> None:
    multi, _, scalars = three_slits()
    path = multi.save(tmp_path / "multi.fits")
    with fits.open(path) as hdul:
        del hdul["ASDF"]
        hdul.writeto(tmp_path / "plain.fits")
    with MultiSlitModel(tmp_path / "plain.fits") as again:
        assert [s.name for s in again.slits] == [s["name"] for s in scalars]
        assert [s.data.shape for s in again.slits] == SHAPES
        assert [s.meta.wcsinfo.crpix1 for s in again.slits] == [s.meta.wcsinfo.crpix1 for s in multi.slits]


def test_each_slit_has_its_own_fits_wcs() -> None:
    multi = MultiSlitModel()
    for index in range(3):
        slit = SlitModel(np.zeros((4, 4), dtype=np.float32))
        slit.meta.wcsinfo.crpix1 = 1.5 + index
        multi.slits.append(slit)
    assert [multi.get_fits_wcs("SCI", hdu_ver=ver).wcs.crpix[0] for ver in (1, 2, 3)] == [1.5, 2.5, 3.5]


def test_a_single_slit_file_opens_as_one_slit(tmp_path: Path) -> None:
    slit = SlitModel(np.arange(6, dtype=np.float32).reshape(2, 3))
    slit.name = "S200A1"
    slit.meta.wcsinfo.crpix1 = 4.5
    slit.meta.instrument.name = "NIRSPEC"
    path = slit.save(tmp_path / "slit.fits")
    with MultiSlitModel(path) as multi:
        assert multi.meta.instrument.name == "NIRSPEC"  # the primary header is the multi-model's
        assert len(multi.slits) == 1
        assert multi.slits[0].name == "S200A1" and multi.slits[0].meta.wcsinfo.crpix1 == 4.5
        np.testing.assert_array_equal(multi.slits[0].data, slit.data)


def test_pass_invalid_values_reaches_the_items(tmp_path: Path) -> None:
    multi, _, _ = three_slits()
    path = multi.save(tmp_path / "multi.fits")
    with fits.open(path, mode="update") as hdul:
        hdul["SCI", 3].header["SLTSTRT1"] = "left"
    with pytest.warns(InvalidValueWarning, match=r"HDU SCI,3 \(slits\[2\]\), keyword SLTSTRT1"):
        again = MultiSlitModel(path, pass_invalid_values=True)
    with again:
        assert again.slits[2].xstart == "left"  # kept in place, as for a single model
        with pytest.raises(ValidationErrors, match=r"SlitModel: xstart \(FITS SLTSTRT1 in SCI\)"):
            again.slits[2].validate()
        resaved = again.save(tmp_path / "resaved.fits")  # written as it is, without validation
    assert cards(resaved)[("SCI", 3)]["SLTSTRT1"] == "left"
