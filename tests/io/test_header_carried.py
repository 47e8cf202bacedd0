"""The ``ASDF`` extension of a FITS save holds only what header cards cannot say exactly, and a read takes
those values back from it: nothing is lost, and a metadata-only read parses a small document."""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any, cast

import asdf.util
import pytest
from astropy.io import fits

import jwstmodels
from jwstmodels import ImageModel, MultiSlitModel, SlitModel

st = pytest.importorskip("stdatamodels.jwst.datamodels", reason="stdatamodels is a test dependency")

TINY = 1.2345678901234567e-100  # 23 characters: a FITS card keeps 16 significant digits of it


def extension_tree(path: Path) -> dict[str, Any]:
    with fits.open(path) as hdul:
        payload = bytes(hdul["ASDF"].data["ASDF_METADATA"][0])
    return cast(dict[str, Any], asdf.util.load_yaml(io.BytesIO(payload), tagged=True))


def test_values_the_headers_carry_are_not_repeated_in_the_extension(tmp_path: Path) -> None:
    model = ImageModel((2, 2))
    model.meta.exposure.nframes = 3
    model.meta.exposure.start_time = 60000.5
    model.meta.instrument.name = "NIRCAM"
    model.meta.target.catalog_name = "it's M 31"  # a quote is written twice in a card
    model.meta.asn.exptype = "background"  # no FITS keyword: only the extension can hold it
    path = model.save(tmp_path / "a.fits")
    assert extension_tree(path)["meta"] == {"asn": {"exptype": "background"}}
    with fits.open(path) as hdul:
        assert (hdul[0].header["NFRAMES"], hdul[0].header["TARGNAME"]) == (3, "it's M 31")
    with jwstmodels.open(path) as again, st.open(path) as theirs:
        for opened in (again, theirs):
            assert opened.meta.exposure.nframes == 3
            assert opened.meta.exposure.start_time == 60000.5
            assert opened.meta.instrument.name == "NIRCAM"
            assert opened.meta.target.catalog_name == "it's M 31"
            assert opened.meta.asn.exptype == "background"


def test_values_a_card_cannot_say_exactly_round_trip_through_the_extension(tmp_path: Path) -> None:
    model = ImageModel((2, 2))
    model.meta.target.ra = TINY
    model.meta.exposure.exposure_time = math.nan  # FITS has no NaN: no card is written
    model.meta.target.catalog_name = "NGC 1234  "  # FITS drops trailing blanks
    model.meta.target.description = "x" * 100  # CONTINUE cards
    model.meta.exposure.nframes = 3
    path = model.save(tmp_path / "a.fits")
    with fits.open(path) as hdul:
        header = hdul[0].header
        assert "EFFEXPTM" not in header
        assert header["TARGNAME"] == "NGC 1234"
    stored = extension_tree(path)["meta"]
    assert stored["target"] == {"catalog_name": "NGC 1234  ", "description": "x" * 100}
    assert "nframes" not in stored["exposure"]
    with jwstmodels.open(path) as again:
        assert again.meta.target.ra == TINY
        assert again.meta.exposure.exposure_time is not None
        assert math.isnan(again.meta.exposure.exposure_time)
        assert again.meta.target.catalog_name == "NGC 1234  "
        assert again.meta.target.description == "x" * 100
        assert again.meta.exposure.nframes == 3


def test_a_float_longer_than_a_fixed_format_card_gets_every_digit_in_free_format(tmp_path: Path) -> None:
    """astropy cuts such a float to 16 digits in 20 columns; the reference, which trusts cards over our
    extension, and a scan of the headers would then read a value we never held."""
    model = ImageModel((2, 2))
    model.meta.target.ra = TINY
    model.meta.photometry.pixelarea_steradians = 2.2587683987499075e-14  # what resample computes
    model.meta.photometry.pixelarea_arcsecsq = 0.0009609968618438184  # 21 characters, no exponent
    model.meta.target.dec = -69.50000000000001  # 18 characters: astropy's own card is exact
    path = model.save(tmp_path / "a.fits")
    with fits.open(path) as hdul:
        primary, sci = hdul[0].header, hdul["SCI"].header
        assert primary.cards["TARG_RA"].image.startswith("TARG_RA = 1.2345678901234567E-100 / ")
        assert sci.cards["PIXAR_SR"].image.startswith("PIXAR_SR= 2.2587683987499075E-14 / ")
        assert sci.cards["PIXAR_A2"].image.startswith("PIXAR_A2= 0.0009609968618438184 / ")
        # fixed format, as astropy writes it
        assert primary.cards["TARG_DEC"].image[:30] == fits.Card("TARG_DEC", -69.50000000000001).image[:30]
        assert (primary["TARG_RA"], sci["PIXAR_SR"], sci["PIXAR_A2"]) == (
            TINY,
            2.2587683987499075e-14,
            0.0009609968618438184,
        )
        assert primary.index("TARG_RA") < primary.index("TARG_DEC")  # in schema order, as other cards
        hdul.verify("exception")  # valid FITS
    assert "ra" not in extension_tree(path)["meta"].get("target", {})
    with jwstmodels.open(path) as again, st.open(path, strict_validation=True) as theirs:
        for opened in (again, theirs):
            assert opened.meta.target.ra == TINY
            assert opened.meta.target.dec == -69.50000000000001
            assert opened.meta.photometry.pixelarea_steradians == 2.2587683987499075e-14
            assert opened.meta.photometry.pixelarea_arcsecsq == 0.0009609968618438184
    fields = ["meta.target.ra", "meta.photometry.pixelarea_steradians", "meta.photometry.pixelarea_arcsecsq"]
    table = jwstmodels.scan([path], fields)
    assert [table[name][0] for name in fields] == [TINY, 2.2587683987499075e-14, 0.0009609968618438184]
    with jwstmodels.open(path) as opened:
        again_path = opened.save(tmp_path / "b.fits")  # saved again: the same cards
    with fits.open(path) as first, fits.open(again_path) as second:
        assert first["SCI"].header.cards["PIXAR_SR"].image == second["SCI"].header.cards["PIXAR_SR"].image


def test_values_no_card_can_hold_get_no_card_and_survive(tmp_path: Path) -> None:
    model = SlitModel((2, 2))
    model.meta.target.catalog_name = "Śmiały"  # FITS cards hold printable ASCII only
    model.meta.exposure.exposure_time = math.inf
    model.name = "S200A1\tB"  # a scalar field outside meta (SLTNAME in SCI)
    path = model.save(tmp_path / "slit.fits")
    with fits.open(path) as hdul:
        assert "TARGNAME" not in hdul[0].header and "EFFEXPTM" not in hdul[0].header
        assert "SLTNAME" not in hdul["SCI"].header
    with SlitModel(path) as again:
        assert again.meta.target.catalog_name == "Śmiały"
        assert again.meta.exposure.exposure_time == math.inf
        assert again.name == "S200A1\tB"
    with st.open(path) as theirs:
        assert theirs.meta.target.catalog_name == "Śmiały"


def test_a_card_edited_since_the_save_wins_over_the_extension(tmp_path: Path) -> None:
    model = ImageModel((2, 2))
    model.meta.target.ra = TINY
    model.meta.target.dec = TINY
    model.meta.exposure.exposure_time = math.nan
    path = model.save(tmp_path / "a.fits")
    with fits.open(
        path, mode="update"
    ) as hdul:  # edited with astropy: the extension still has the old values
        hdul[0].header["TARG_RA"] = 10.5
        del hdul[0].header["TARG_DEC"]
        hdul[0].header["EFFEXPTM"] = 100.0
    with jwstmodels.open(path) as again:
        assert again.meta.target.ra == 10.5
        assert again.meta.target.dec is None  # the card is gone: so is the value
        assert again.meta.exposure.exposure_time == 100.0


def test_a_reference_file_edited_with_astropy_reads_its_headers(tmp_path: Path) -> None:
    path = tmp_path / "ref.fits"
    with st.ImageModel((2, 2)) as ref:  # the reference repeats every value in its extension
        ref.meta.exposure.nframes = 3
        ref.meta.target.ra = 150.125
        ref.save(path)
    assert extension_tree(path)["meta"]["exposure"]["nframes"] == 3
    with fits.open(path, mode="update") as hdul:
        hdul[0].header["NFRAMES"] = 5
        del hdul[0].header["TARG_RA"]
    with jwstmodels.open(path) as again:
        assert again.meta.exposure.nframes == 5
        assert again.meta.target.ra is None


def test_item_keywords_leave_the_item_subtree_unless_no_card_holds_them(tmp_path: Path) -> None:
    multi = MultiSlitModel()
    for name, scale in (("S1", 1.0), ("S2", TINY), ("S3", math.nan)):
        slit = SlitModel((2, 2))
        slit.name = name
        slit.meta.velocity_aberration.scale_factor = scale  # VA_SCALE in the item's SCI header
        multi.slits.append(slit)
    path = multi.save(tmp_path / "multi.fits")
    subtrees = extension_tree(path)["slits"]
    assert "velocity_aberration" not in subtrees[0].get("meta", {})
    assert "velocity_aberration" not in subtrees[1].get("meta", {})  # every digit on its card
    scale_s3 = subtrees[2]["meta"]["velocity_aberration"]["scale_factor"]
    assert math.isnan(scale_s3)  # no card can hold NaN
    with jwstmodels.open(path) as again:
        assert isinstance(again, MultiSlitModel)
        scales = [s.meta.velocity_aberration.scale_factor for s in again.slits]
        assert scales[:2] == [1.0, TINY] and scales[2] is not None and math.isnan(scales[2])
    with st.open(path) as theirs:
        assert theirs.slits[0].meta.velocity_aberration.scale_factor == 1.0
        assert theirs.slits[1].meta.velocity_aberration.scale_factor == TINY
        assert theirs.slits[1].name == "S2"
