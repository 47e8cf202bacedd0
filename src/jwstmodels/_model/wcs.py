"""FITS WCS of a model through ``astropy.wcs``: ``get_fits_wcs`` and ``set_fits_wcs``.

A model keeps WCS header cards the way a file does: a card whose keyword the schema names in that HDU is a
metadata field (``meta.wcsinfo.crpix1`` for ``CRPIX1`` in ``SCI``), any other card is kept in ``extra_fits``.
Reading builds the header the model would write (``_fits.build_hdulist``) and hands it to astropy.
"""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false
# (astropy.wcs ships no annotations: this module is the typed boundary around it)

from __future__ import annotations

import contextlib
import re
import warnings
from collections.abc import Generator
from typing import TYPE_CHECKING, Any, cast

from jwstmodels._core.errors import ValidationError, describe_location
from jwstmodels._core.meta import keyword_leaves
from jwstmodels._model.update import assign_all

if TYPE_CHECKING:
    from astropy.wcs import WCS

    from jwstmodels._core.content import Card, FileContent
    from jwstmodels._core.meta import MetaNode

# Keywords of one WCS description (paper I-IV) that a new description replaces; {a} is the alternate key.
_PER_KEY = (
    r"WCSAXES|WCSNAME|LONPOLE|LATPOLE|RADESYS|EQUINOX|RESTFRQ|RESTWAV|SPECSYS|SSYSOBS|SSYSSRC|VELOSYS|"
    r"VELANGL|ZSOURCE|(CRPIX|CRVAL|CDELT|CTYPE|CUNIT|CRDER|CSYER|CNAME)\d+|(PC|CD|PV|PS)\d+_\d+"
)
_PRIMARY_ONLY = r"CROTA\d+|(A|B|AP|BP)_(ORDER|\d+_\d+)|A_DMAX|B_DMAX"


def _wcs_keyword(key: str) -> re.Pattern[str]:
    if key:
        return re.compile(rf"^({_PER_KEY}){key}$")
    return re.compile(rf"^({_PER_KEY}|{_PRIMARY_ONLY})$")


def get_fits_wcs(content: FileContent, hdu_name: str = "SCI", hdu_ver: int = 1, key: str = " ") -> WCS:
    """An ``astropy.wcs.WCS`` from the header a model would write (its ``content``) for HDU ``hdu_name``,
    version ``hdu_ver``.

    astropy's header fixes (``fix=True``) are applied silently: they complete values (such as MJD-OBS from
    DATE-OBS) rather than report problems with the model.
    """
    from astropy.io import fits
    from astropy.wcs import WCS, FITSFixedWarning

    from jwstmodels._io.fits_format import build_hdulist

    name = hdu_name.strip().upper()
    hdul = build_hdulist(content)
    model_name = content.layout.name
    matches = [hdu for hdu in cast(list[Any], hdul) if str(hdu.name).upper() == name]
    if not 1 <= hdu_ver <= len(matches):
        present = ", ".join(str(hdu.name) for hdu in cast(list[Any], hdul))
        raise KeyError(
            f"{model_name}: no HDU {name} (version {hdu_ver}) to read a WCS from; it has {present}"
        )
    header = cast(fits.Header, matches[hdu_ver - 1].header)
    _check_axes(content.meta_tree, model_name, name, header, key)
    with warnings.catch_warnings(), _astropy_quiet():
        warnings.simplefilter("ignore", FITSFixedWarning)
        try:
            return WCS(header, key=key, relax=True, fix=True)
        except KeyError as exc:
            raise KeyError(f"{model_name}: HDU {name}: {exc.args[0] if exc.args else exc}") from None
        except (ValueError, TypeError, ArithmeticError) as exc:  # astropy's WcsError are ValueErrors
            raise _wcs_error(content.meta_tree, model_name, name, header, exc) from None


@contextlib.contextmanager
def _astropy_quiet() -> Generator[None]:
    """astropy's logger held to errors: building a WCS logs advice blocks (the SIP notice, a page long) to
    the terminal, which a library call must not print; problems are raised as errors instead."""
    from astropy import log

    level = log.level
    log.setLevel("ERROR")
    try:
        yield
    finally:
        log.setLevel(level)


def _wcs_error(
    meta: MetaNode, model_name: str, hdu_name: str, header: Any, exc: Exception
) -> ValidationError:
    """astropy's refusal of a header as a ValidationError naming the HDU and, where the message or the
    value shows which, the keyword and its metadata field (``extra_fits`` for a card the schema does not
    name)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    reason = lines[-1] if lines else type(exc).__name__  # wcslib's first line is its source location
    cards = {str(card.keyword).upper(): card.value for card in header.cards if card.keyword}
    named = [word for word in re.findall(r"[A-Z][A-Z0-9_-]{1,7}", reason) if word in cards]
    shown = re.search(r": '(.*)'$", reason)  # "could not convert string to float: 'x'"
    valued = [kw for kw, value in cards.items() if shown and isinstance(value, str) and value == shown[1]]
    keyword = (named or valued or [None])[0]
    leaf = next(
        (leaf for leaf in keyword_leaves(type(meta)) if leaf.keyword == keyword and leaf.hdu == hdu_name),
        None,
    )
    if leaf is not None:
        path = leaf.path
    elif keyword is not None:
        path = f"extra_fits.{hdu_name}.{keyword}"
    else:
        path = "meta.wcsinfo"
    where = describe_location(model_name, path, keyword, hdu_name)
    got = cards.get(keyword) if keyword is not None else None
    return ValidationError(
        f"{where}: not a valid FITS WCS: {reason}",
        model=model_name,
        path=path,
        keyword=keyword,
        hdu=hdu_name,
        expected="a valid FITS WCS",
        got=got,
    )


_MOST_AXES = 99
"""FITS WCS numbers axes with at most two digits (WCSAXES, CRPIXn)."""


def _check_axes(meta: MetaNode, model_name: str, hdu_name: str, header: Any, key: str) -> None:
    """Refuse a WCSAXES a FITS WCS cannot have, naming the field: astropy would try to build a WCS of that
    many axes (for seconds, for a few thousand) before failing."""
    keyword = "WCSAXES" + key.strip()
    axes: object = header.get(keyword)
    if axes is None or (isinstance(axes, int) and not isinstance(axes, bool) and 1 <= axes <= _MOST_AXES):
        return
    leaf = next(
        (leaf for leaf in keyword_leaves(type(meta)) if leaf.keyword == keyword and leaf.hdu == hdu_name),
        None,
    )
    field = f" (meta.{'.'.join(leaf.names)})" if leaf is not None else ""
    expected = f"1 to {_MOST_AXES} axes"
    raise ValidationError(
        f"{model_name}: HDU {hdu_name}, keyword {keyword}{field} is {axes!r}: a FITS WCS has {expected}",
        model=model_name,
        path=leaf.path if leaf is not None else f"extra_fits.{hdu_name}.{keyword}",
        keyword=keyword,
        hdu=hdu_name,
        expected=expected,
        got=axes,
    )


def set_fits_wcs(meta: MetaNode, extra_fits: dict[str, list[Card]], wcs: WCS, hdu_name: str = "SCI") -> None:
    """Store the header cards of ``wcs`` for HDU ``hdu_name`` in a model's ``meta`` and ``extra_fits``; see
    ``DataModel.set_fits_wcs``."""
    name = hdu_name.strip().upper()
    key = str(wcs.wcs.alt).strip()
    header = wcs.to_header(relax=True)
    replaced = _wcs_keyword(key)
    leaves = {leaf.keyword: leaf for leaf in keyword_leaves(type(meta)) if leaf.hdu == name}

    cards: list[Card] = [card for card in extra_fits.get(name, []) if not replaced.match(card[0].upper())]
    assignments: list[tuple[tuple[str, ...], object]] = [
        (leaf.names, None) for keyword, leaf in leaves.items() if replaced.match(keyword)
    ]
    for card in header.cards:
        keyword, value, comment = str(card.keyword).upper(), card.value, str(card.comment)
        leaf = leaves.get(keyword)
        if leaf is not None:
            assignments.append((leaf.names, value))
            continue
        cards = [existing for existing in cards if existing[0].upper() != keyword]
        cards.append((keyword, value, comment))
    assign_all(meta, assignments)
    if cards:
        extra_fits[name] = cards
    else:
        extra_fits.pop(name, None)
