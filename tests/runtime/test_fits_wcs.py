"""get_fits_wcs / set_fits_wcs: a celestial WCS through the model and through saved FITS and ASDF files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits
from astropy.wcs import WCS

import jwstmodels
from jwstmodels import ImageModel

PIXELS = (np.array([0.0, 10.0, 39.0]), np.array([0.0, 25.0, 29.0]))


def celestial(alt: str = " ", rotation: float = 0.1) -> WCS:
    w = WCS(naxis=2)
    w.wcs.alt = alt
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.cunit = ["deg", "deg"]
    w.wcs.crval = [53.16, -27.79]
    w.wcs.crpix = [20.5, 15.5]
    w.wcs.cdelt = [-8.6e-6, 8.6e-6]
    w.wcs.pc = [[np.cos(rotation), -np.sin(rotation)], [np.sin(rotation), np.cos(rotation)]]
    w.wcs.radesys = "ICRS"
    return w


def same_sky(a: WCS, b: WCS) -> None:
    ra_a, dec_a = a.pixel_to_world_values(*PIXELS)
    ra_b, dec_b = b.pixel_to_world_values(*PIXELS)
    np.testing.assert_allclose(ra_a, ra_b, rtol=0, atol=1e-10)
    np.testing.assert_allclose(dec_a, dec_b, rtol=0, atol=1e-10)


def test_set_then_get_gives_the_same_transform() -> None:
    m = ImageModel((30, 40))
    w = celestial()
    m.set_fits_wcs(w)
    got = m.get_fits_wcs()
    same_sky(w, got)
    assert list(got.wcs.ctype) == ["RA---TAN", "DEC--TAN"]
    assert got.pixel_shape == (40, 30), "the header the model would write carries the data's size"
    assert got.wcs.radesys == "ICRS"


def test_the_returned_wcs_is_a_copy() -> None:
    m = ImageModel((30, 40))
    m.set_fits_wcs(celestial())
    got = m.get_fits_wcs()
    got.wcs.crval = [0.0, 0.0]
    np.testing.assert_allclose(m.get_fits_wcs().wcs.crval, [53.16, -27.79])


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
def test_wcs_round_trips_through_a_saved_file(tmp_path: Path, suffix: str) -> None:
    m = ImageModel(np.zeros((30, 40), np.float32))
    w = celestial()
    m.set_fits_wcs(w)
    path = m.save(tmp_path / f"wcs{suffix}")
    with jwstmodels.open(path) as back:
        same_sky(w, back.get_fits_wcs())
        again = back.save(tmp_path / f"again{suffix}")
    with jwstmodels.open(again) as third:
        same_sky(w, third.get_fits_wcs())


def test_the_saved_fits_header_is_a_wcs_astropy_reads(tmp_path: Path) -> None:
    m = ImageModel(np.zeros((30, 40), np.float32))
    w = celestial()
    m.set_fits_wcs(w)
    path = m.save(tmp_path / "wcs.fits")
    with fits.open(path) as hdul:
        header = hdul["SCI"].header
        assert header["CTYPE1"] == "RA---TAN" and header["CRVAL2"] == -27.79
        same_sky(w, WCS(header))


def test_a_new_wcs_replaces_the_old_one_entirely() -> None:
    m = ImageModel((30, 40))
    m.set_fits_wcs(celestial(rotation=0.3))
    plain = celestial(rotation=0.0)
    plain.wcs.pc = [[1.0, 0.0], [0.0, 1.0]]
    m.set_fits_wcs(plain)
    same_sky(plain, m.get_fits_wcs())
    m.extra_fits.setdefault("SCI", []).append(("MYKEY", 1, "not a WCS card"))
    m.set_fits_wcs(celestial())
    assert ("MYKEY", 1, "not a WCS card") in m.extra_fits["SCI"], "other cards of the HDU are kept"


def test_alternate_keys_and_other_hdus() -> None:
    m = ImageModel((30, 40))
    primary_wcs, alternate = celestial(), celestial("A", rotation=0.5)
    m.set_fits_wcs(primary_wcs)
    m.set_fits_wcs(alternate)
    same_sky(primary_wcs, m.get_fits_wcs())
    same_sky(alternate, m.get_fits_wcs(key="A"))
    with pytest.raises(KeyError, match=r"ImageModel: HDU SCI: .*B"):
        m.get_fits_wcs(key="B")
    m.set_fits_wcs(celestial(rotation=1.0), hdu_name="PRIMARY")
    same_sky(celestial(rotation=1.0), m.get_fits_wcs(hdu_name="PRIMARY"))
    same_sky(primary_wcs, m.get_fits_wcs("SCI", 1))


def test_missing_hdu_names_what_exists() -> None:
    m = ImageModel((2, 2))
    with pytest.raises(
        KeyError, match=r"ImageModel: no HDU ERR \(version 1\) to read a WCS from; it has PRIMARY, SCI"
    ):
        m.get_fits_wcs("ERR")
    with pytest.raises(KeyError, match=r"no HDU SCI \(version 2\)"):
        m.get_fits_wcs("SCI", hdu_ver=2)


def field_for(m: ImageModel, keyword: str, entry: dict[str, object]) -> str:
    """The dotted path the schema gives ``keyword`` in SCI; added as ``meta.my_wcs.*`` if it has none."""
    paths = [
        match.path for match in m.search_schema(keyword) if (match.keyword, match.hdu) == (keyword, "SCI")
    ]
    if paths:
        return paths[0]
    path = f"meta.my_wcs.{keyword.lower()}"
    m.add_schema_entry(path, {**entry, "fits_keyword": keyword, "fits_hdu": "SCI"})
    return path


def test_wcs_cards_that_the_schema_names_go_to_their_fields() -> None:
    m = ImageModel((30, 40))
    path = field_for(m, "CTYPE1", {"type": "string"})
    w = celestial()
    m.set_fits_wcs(w)
    assert m[path] == "RA---TAN"
    assert "CTYPE1" not in {card[0] for card in m.extra_fits.get("SCI", [])}, "stored once, in its field"
    same_sky(w, m.get_fits_wcs())


def test_a_card_that_does_not_fit_its_field_refuses_the_whole_wcs() -> None:
    m = ImageModel((30, 40))
    path = field_for(m, "RADESYS", {"type": "string", "enum": ["ICRS"]})
    m.set_fits_wcs(celestial())
    before = (m.to_flat_dict(include_arrays=False), {hdu: list(cards) for hdu, cards in m.extra_fits.items()})
    fk5 = celestial(rotation=0.7)
    fk5.wcs.radesys = "FK5"
    fk5.wcs.equinox = 2000.0
    with pytest.raises(jwstmodels.ValidationErrors, match=rf"{path} \(FITS RADESYS in SCI\).*'FK5'"):
        m.set_fits_wcs(fk5)
    assert (m.to_flat_dict(include_arrays=False), m.extra_fits) == before, "nothing of the new WCS applied"
    same_sky(celestial(), m.get_fits_wcs())


def test_a_wcsaxes_no_fits_wcs_can_have_is_refused_at_once() -> None:
    model = ImageModel((4, 4))
    model.meta.wcsinfo.wcsaxes = 1125  # astropy would spend seconds building 1125 axes before failing
    with pytest.raises(ValueError, match=r"HDU SCI, keyword WCSAXES \(meta\.wcsinfo\.wcsaxes\) is 1125"):
        model.get_fits_wcs()
    model.meta.wcsinfo.wcsaxes = 2
    assert model.get_fits_wcs().naxis == 2
