"""Scalars outside ``meta`` in files.

FITS keywords go in the header of the HDU their schema names (``SLTNAME`` in ``SCI``), fields without a
keyword in the ``ASDF`` extension of FITS files; ASDF keeps them as top-level keys. Values that do not fit
warn and are kept so that saving loses nothing."""

from __future__ import annotations

from pathlib import Path

import asdf
import numpy as np
import pytest
from astropy.io import fits

import jwstmodels
from jwstmodels import InvalidValueWarning, SlitModel, SpecModel, ValidationErrors
from jwstmodels._core.content import FileContent
from jwstmodels._core.policy import apply_header


def _slit() -> SlitModel:
    slit = SlitModel((3, 4))
    slit.name = "S200A1"
    slit.xstart = 5
    slit.ysize = 40
    slit.source_id = 7
    slit.source_type = "POINT"
    slit.source_xpos = 0.125
    slit.is_extended = False  # no FITS keyword
    slit.slit_ymin = -0.5  # no FITS keyword
    return slit


def test_slit_fits_round_trip_puts_keywords_in_the_sci_header(tmp_path: Path) -> None:
    path = _slit().save(tmp_path / "slit.fits")
    with fits.open(path) as hdul:
        sci = hdul["SCI"].header
        assert (sci["SLTNAME"], sci["SLTSTRT1"], sci["SLTSIZE2"], sci["SOURCEID"]) == ("S200A1", 5, 40, 7)
        assert (sci["SRCTYPE"], sci["SRCXPOS"]) == ("POINT", 0.125)
        assert "SLTNAME" not in hdul["PRIMARY"].header and "SLTSTRT2" not in sci
    with jwstmodels.open(path) as model:
        assert isinstance(model, SlitModel)
        assert (model.name, model.xstart, model.ysize, model.source_id) == ("S200A1", 5, 40, 7)
        assert (model.source_type, model.source_xpos) == ("POINT", 0.125)
        assert (model.is_extended, model.slit_ymin) == (False, -0.5)  # from the ASDF extension
        assert model.xsize is None and model.extra_fits == {}


def test_slit_asdf_round_trip_keeps_top_level_keys(tmp_path: Path) -> None:
    path = _slit().save(tmp_path / "slit.asdf")
    with asdf.open(path) as af:
        tree = af.tree
        assert (tree["name"], tree["xstart"], tree["is_extended"], tree["slit_ymin"]) == (
            "S200A1",
            5,
            False,
            -0.5,
        )
        assert "name" not in tree["meta"]
    with SlitModel(path) as model:
        assert (model.name, model.xstart, model.source_type, model.is_extended) == (
            "S200A1",
            5,
            "POINT",
            False,
        )


def test_spec_keywords_live_in_the_extract1d_header(tmp_path: Path) -> None:
    spec = SpecModel()
    spec.spec_table = np.zeros(4, dtype=SpecModel.spec_table.dtype)
    spec.name = "S200A1"
    spec.spectral_order = 2
    spec.start_time_mjd = 60000.5
    path = spec.save(tmp_path / "spec.fits")
    with fits.open(path) as hdul:
        header = hdul["EXTRACT1D"].header
        assert (header["SLTNAME"], header["SPORDER"], header["MJD-BEG"]) == ("S200A1", 2, 60000.5)
    with SpecModel(path) as again:
        assert (again.name, again.spectral_order, again.start_time_mjd) == ("S200A1", 2, 60000.5)


def test_headers_are_authoritative_for_keywords(tmp_path: Path) -> None:
    path = _slit().save(tmp_path / "slit.fits")
    with fits.open(path, mode="update") as hdul:
        del hdul["SCI"].header["SLTNAME"]  # the ASDF extension still says S200A1
        hdul["SCI"].header["SLTSTRT1"] = 11
    with SlitModel(path) as model:
        assert model.name is None and model.xstart == 11
        assert model.slit_ymin == -0.5  # no keyword: the extension's value


def test_a_keyword_that_does_not_fit_warns_and_is_kept(tmp_path: Path) -> None:
    path = _slit().save(tmp_path / "slit.fits")
    with fits.open(path, mode="update") as hdul:
        hdul["SCI"].header["SLTSTRT1"] = "left"
    with pytest.warns(
        InvalidValueWarning, match=r"slit\.fits: HDU SCI, keyword SLTSTRT1 \(xstart\): value 'left'"
    ):
        model = SlitModel(path)
    with model:
        assert model.xstart is None and model.name == "S200A1"
        assert ("SLTSTRT1", "left") in [(k, v) for k, v, _ in model.extra_fits["SCI"]]
        again = model.save(tmp_path / "again.fits")  # the card is written back as it was read
    with fits.open(again) as hdul:
        assert hdul["SCI"].header["SLTSTRT1"] == "left"

    with pytest.warns(InvalidValueWarning):
        kept = SlitModel(path, pass_invalid_values=True)
    with kept:
        assert kept.xstart == "left"  # pyright: ignore[reportUnnecessaryComparison]
        with pytest.raises(ValidationErrors, match=r"xstart \(FITS SLTSTRT1 in SCI\)"):
            kept.validate()


def test_a_tree_value_that_does_not_fit_warns_and_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "slit.asdf"
    asdf.AsdfFile({"meta": {"model_type": "SlitModel"}, "name": 42, "xstart": 3}).write_to(path)
    with pytest.warns(InvalidValueWarning, match=r"slit\.asdf: name: value 42"):
        model = SlitModel(path)
    with model:
        assert model.name is None and model.xstart == 3
        again = model.save(tmp_path / "again.asdf")
    with asdf.open(again) as af:
        assert af.tree["name"] == 42 and af.tree["xstart"] == 3


def test_apply_header_fills_one_hdu() -> None:
    """The per-HDU hook a multi-model reader calls for each item's headers."""
    header = fits.Header([("SLTNAME", "S200A2"), ("SOURCEID", 3), ("OTHER", 1)])
    content = FileContent(SlitModel.__jwst_layout__, "x.fits")  # what the FITS reader fills for an item
    assert apply_header(content, "SCI", header, "x.fits: HDU SCI,2") == {"SLTNAME", "SOURCEID"}
    assert content.scalars == {"name": "S200A2", "source_id": 3}
    assert apply_header(content, "DQ", header, "x.fits: HDU DQ,2") == set()
