"""A header card's value read from its 80 columns, as astropy reads it, without astropy's per-card overhead.

Opening a model reads the value of every card its schema names. astropy's ``Card.value`` parses the card
image with a regular expression, but around it looks up two configuration items and checks for a
record-valued card on every call: for a header read once, that overhead is most of the cost. Here the
common, fixed-format cards (``KEYWORD = value / comment`` in one card: a string, ``T``/``F``, an integer or a
float) are parsed by astropy's own rules (its string pattern, its number conversion); every other card (no
value, a complex number, free-format numbers, a long string continued on ``CONTINUE`` cards, HIERARCH and
record-valued cards, a card changed since it was read) is left to astropy. ``tests/io/test_card_values.py``
checks the two agree on every kind of value astropy writes. ``header_scan.shortened`` reads a string's
trailing blanks with the same pattern (:func:`string_in_field`).
"""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false
# (the typed boundary around astropy's cards, which ship without annotations)

from __future__ import annotations

import re
from typing import Any

from astropy.io import fits

_CARD = 80
_COMMENTARY = frozenset({"", "COMMENT", "HISTORY", "END", "CONTINUE"})
"""Keywords whose card astropy reads as text after column 8, whatever follows."""
_VALUE = re.compile(
    # astropy's string pattern (a quote closes the string where a blank, a slash or the end follows it)
    r" *(?:'(?P<strg>(?:[ -~]+?|''|) *?)'(?=$|/| )"
    r"|(?P<bool>[FT])"
    # a fixed-format number: astropy reads the same digits (after D -> E) as an int, else a float
    r"|(?P<numr>[+-]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[DE][+-]?[0-9]+)?))"
    r" *(?:/ *(?:.|\n)*)?$"
)
_DOUBLE_QUOTES = re.compile("''")
_EXPONENT_D = str.maketrans("D", "E")


def strips_blanks() -> bool:
    """Whether astropy drops trailing blanks of string values (its ``strip_header_whitespace`` setting)."""
    return bool(fits.conf.strip_header_whitespace)


def read_value(card: Any, strip: bool | None = None) -> object:
    """``card.value``, read from the card's image when it is a plain fixed-format card astropy has not parsed
    yet (``strip``: :func:`strips_blanks`, looked up once per header; None: looked up for a string)."""
    image = getattr(card, "_image", None)
    if (
        type(image) is not str
        or len(image) != _CARD
        or image[8:10] != "= "
        or getattr(card, "_value", 0) is not None  # parsed, or set since: astropy knows
        or getattr(card, "_modified", True)
        or getattr(card, "_hierarch", True)
        or "= " in image[:8]
        or "." in (keyword := card.keyword)  # a record-valued card (``DP1.AXIS.1``)
        or keyword in _COMMENTARY
    ):
        return card.value
    match = _VALUE.match(image[10:].strip())
    if match is None:
        return card.value  # no value, a complex or free-format number, or a card astropy rejects
    text = match.group("strg")
    if text is not None:
        value = _unquoted(text)
        return value.rstrip() if (strips_blanks() if strip is None else strip) else value
    flag = match.group("bool")
    if flag is not None:
        return flag == "T"
    number = match.group("numr").translate(_EXPONENT_D)
    try:
        return int(number)
    except ValueError:
        return float(number)


def string_in_field(field: str) -> str | None:
    """The string a card's value field (its columns after ``= ``: ``'O''Hara   ' / comment``) holds, read as
    :func:`read_value` and astropy read it, its quotes unescaped and its trailing blanks kept (whatever
    ``strip_header_whitespace`` says); None when the field holds no string of the fixed format."""
    match = _VALUE.match(field.strip())
    text = match.group("strg") if match is not None else None
    return _unquoted(text) if text is not None else None


def _unquoted(text: str) -> str:
    """A string value as the card holds it between its quotes, each doubled quote made one."""
    return _DOUBLE_QUOTES.sub("'", text)
