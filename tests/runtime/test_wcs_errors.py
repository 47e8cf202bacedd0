"""get_fits_wcs on a WCS astropy refuses: nothing printed (astropy's log blocks held back), a ValidationError
naming the HDU, the keyword and its field."""

from __future__ import annotations

import pytest

from jwstmodels import ImageModel, ValidationError


def tangent_model() -> ImageModel:
    m = ImageModel((4, 4))
    w = m.meta.wcsinfo
    w.ctype1, w.ctype2 = "RA---TAN", "DEC--TAN"
    w.crpix1 = w.crpix2 = 1.0
    w.crval1 = w.crval2 = 10.0
    w.cdelt1 = w.cdelt2 = 1e-5
    return m


SIP_CARDS = [("A_ORDER", 2, ""), ("A_0_2", 1e-5, ""), ("B_ORDER", 2, ""), ("B_0_2", 1e-5, "")]


def test_sip_coefficients_without_sip_ctype_print_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    m = tangent_model()
    m.extra_fits["SCI"] = list(SIP_CARDS)  # astropy logs a page of advice about this, and applies SIP
    wcs = m.get_fits_wcs()
    assert wcs.sip is not None
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_an_unknown_projection_names_hdu_keyword_and_field(capfd: pytest.CaptureFixture[str]) -> None:
    m = tangent_model()
    m.extra_fits["SCI"] = list(SIP_CARDS)
    m.meta.wcsinfo.ctype1, m.meta.wcsinfo.ctype2 = "RA---XYZ", "DEC--XYZ"
    with pytest.raises(ValidationError) as caught:
        m.get_fits_wcs()
    error = caught.value
    assert (error.hdu, error.keyword, error.path) == ("SCI", "CTYPE1", "meta.wcsinfo.ctype1")
    assert error.got == "RA---XYZ"
    assert str(error).startswith("ImageModel: meta.wcsinfo.ctype1 (FITS CTYPE1 in SCI): not a valid FITS WCS")
    assert "XYZ" in str(error) and "wcs.c" not in str(error), "astropy's reason, without wcslib's location"
    assert capfd.readouterr() == ("", "")


def test_inconsistent_axes_name_the_second_axis() -> None:
    m = tangent_model()
    m.meta.wcsinfo.ctype2 = "RA---TAN"
    with pytest.raises(ValidationError, match=r"meta\.wcsinfo\.ctype2 \(FITS CTYPE2 in SCI\)"):
        m.get_fits_wcs()


def test_a_card_outside_the_schema_is_named_in_extra_fits() -> None:
    m = tangent_model()
    m.meta.wcsinfo.ctype1, m.meta.wcsinfo.ctype2 = "RA---TAN-SIP", "DEC--TAN-SIP"
    m.extra_fits["SCI"] = [("A_ORDER", 7, ""), ("B_ORDER", 2, ""), ("A_7_0", "x", "")]
    with pytest.raises(ValidationError) as caught:
        m.get_fits_wcs()
    assert (caught.value.hdu, caught.value.keyword) == ("SCI", "A_7_0")
    assert caught.value.path == "extra_fits.SCI.A_7_0" and caught.value.got == "x"


def test_astropy_logging_is_restored_afterwards() -> None:
    from astropy import log

    level = log.level
    with pytest.raises(ValidationError):
        m = tangent_model()
        m.meta.wcsinfo.ctype1 = "RA---XYZ"
        m.get_fits_wcs()
    assert log.level == level
