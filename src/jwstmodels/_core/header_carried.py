"""Which metadata values FITS header cards carry exactly, and how the ``ASDF`` extension fills in the rest.

Headers are authoritative for every field with a FITS keyword, here and in the reference, which reads them
whenever a file has no hash of its headers (ours never has). So a save leaves out of the extension the values
the cards give back unchanged, and the extension stays small: a metadata-only read parses little. A float
whose shortest text is longer than FITS's 20 fixed-format columns gets a free-format card with all its digits
(``_io.fits_cards``; astropy would cut it to 16), so its card says it exactly too. The extension keeps the
values a card cannot say exactly: a string with trailing blanks (FITS drops them) or long enough to need
CONTINUE cards, and the values no card can hold at all, which get no card: NaN and infinities, strings with
characters outside printable ASCII. Files whose cards astropy cut (the reference's) keep such floats in their
extension: a read takes them from there (``restore_inexact``).

A read takes such an extension value back instead of its card when the card says what the value's card would
say (the same value, as far as FITS can tell), or when there is no card and no card could hold the value. Any
other extension value of a keyword's field is dropped: the card, or its absence, decides.
"""

# pyright: reportUnknownMemberType=false
# (astropy's Card ships without annotations)

from __future__ import annotations

import math
from typing import Any, cast

from jwstmodels._core.loading import Location, put_path

_LONGEST_ONE_CARD_STRING = 68
"""80 columns less the keyword and ``= `` (10) and the two quotes."""


def card_can_hold(value: object) -> bool:
    """False for a value no card can hold: NaN or an infinity, a string with characters outside printable
    ASCII. Such a value is kept in the extension alone."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return value.isascii() and value.isprintable()
    return True


def card_is_exact(value: object) -> bool:
    """Whether a header card holding ``value``, as astropy writes it, reads back as ``value`` itself (a longer
    float's card is cut: the extension of a file the reference wrote holds the value in full)."""
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return abs(value) < 10**18
    if isinstance(value, float):
        return math.isfinite(value) and len(repr(value)) <= 20
    if isinstance(value, str):
        return (
            len(value) + value.count("'") <= _LONGEST_ONE_CARD_STRING  # a quote is written twice
            and value.isascii()
            and value.isprintable()
            and not value.endswith(" ")
        )
    return False


def drop_carried(tree: dict[str, Any], carried: set[Location]) -> None:
    """Remove from ``tree["meta"]`` the values at ``carried`` places (their cards carry them exactly), and the
    groups that leaves empty."""
    meta = tree.get("meta")
    if not isinstance(meta, dict) or not carried:
        return

    def drop(node: dict[str, Any], prefix: Location) -> None:
        for key in list(node):
            place = (*prefix, key)
            value = node[key]
            if place in carried:
                del node[key]
            elif isinstance(value, dict):
                drop(cast(dict[str, Any], value), place)
                if not value:
                    del node[key]

    drop(cast(dict[str, Any], meta), ())


def take_keyword_values(tree: dict[str, Any], names: frozenset[Location]) -> dict[Location, object]:
    """Remove from an extension's ``meta`` tree every value whose place a FITS keyword owns (``names``); the
    removed values no card can carry exactly, by place, for ``restore_inexact``."""
    kept: dict[Location, object] = {}

    def take(node: dict[str, Any], prefix: Location) -> None:
        for key in list(node):
            place = (*prefix, key)
            value = node[key]
            if place in names:
                del node[key]
                if value is not None and not card_is_exact(value):
                    kept[place] = value
            elif isinstance(value, dict):
                take(cast(dict[str, Any], value), place)

    take(tree, ())
    return kept


def restore_inexact(
    tree: dict[str, Any], kept: dict[Location, object], where: dict[Location, tuple[str, Any]]
) -> None:
    """Put back into ``tree`` the values ``take_keyword_values`` kept that the headers agree with: the card
    read at that place (``where``: place -> (HDU name, card)) says what the value's own card would say, or
    there is no card and no card could hold the value."""
    for place, value in kept.items():
        found = where.get(place)
        if found is None:
            if not card_can_hold(value):
                put_path(tree, place, value)
        elif _as_card_says(found[1].keyword, value) == found[1].value:
            put_path(tree, place, value)


def _as_card_says(keyword: str, value: object) -> object:
    """``value`` as a card of ``keyword`` gives it back; a value no card can hold gives a unique object."""
    from astropy.io import fits  # this module is imported with the package; astropy is loaded on first use

    try:
        said = cast(object, fits.Card.fromstring(fits.Card(keyword, value).image).value)
    except (ValueError, TypeError):
        return object()
    return said
