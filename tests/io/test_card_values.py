"""A header card's value read from its image (``_io.card_values``) is astropy's ``Card.value``, whatever
the card holds: what astropy writes, what other writers put in a fixed-format card, and the rest."""

from __future__ import annotations

import math
import warnings

import pytest
from astropy.io import fits
from hypothesis import given, settings
from hypothesis import strategies as st

from jwstmodels._io.card_values import read_value, strips_blanks

_PRINTABLE = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=80)
_VALUES = st.one_of(
    _PRINTABLE,
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e5, max_value=1e5),
)


def _same(mine: object, theirs: object) -> bool:
    if type(mine) is not type(theirs):
        return False
    if isinstance(mine, float) and isinstance(theirs, float):
        return math.copysign(1, mine) == math.copysign(1, theirs) and (mine == theirs)
    return mine == theirs


def _read_both(image: str) -> tuple[object, object]:
    """(ours, astropy's) for a card read from ``image`` (each from its own freshly read card)."""
    mine = read_value(fits.Card.fromstring(image), strips_blanks())
    theirs = fits.Card.fromstring(image).value
    return mine, theirs


@settings(max_examples=400, deadline=None)
@given(value=_VALUES, comment=_PRINTABLE)
def test_a_card_astropy_writes_reads_as_astropy_reads_it(value: object, comment: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a comment too long for the card is cut, with a warning
        image = fits.Card("KEYWORD", value, comment[:40]).image
    mine, theirs = _read_both(image)  # a long string (CONTINUE cards): astropy reads it for us
    assert _same(mine, theirs), (image, mine, theirs)


@pytest.mark.parametrize(
    "text",
    [
        "'O''Hara'",
        "'it'' / x' / a slash inside",
        "''",
        "'    '",
        "'ends in blanks   '",
        "'abc'/no blank before the slash",
        "'abc' /",
        "T",
        "F / a flag",
        "7",
        "-007",
        "+12",
        "123456789012345678901234567890",
        "1.5",
        "-0.0",
        ".5",
        "5.",
        "1.0E+05",
        "1.0D-05",
        "1E5",
        "1.5e3",
        "1.5 E3",
        "- 3",
        "(1.0, 2.0)",
        "",
        "/ a comment only",
        "'unclosed",
        "12 junk",
        "NaN",
        "'AXIS.1: 1.5'",
    ],
)
def test_a_fixed_format_card_reads_as_astropy_reads_it(text: str) -> None:
    for keyword in ("KEYWORD", "DP1", "COMMENT", "HISTORY", "CONTINUE", ""):
        image = f"{keyword:<8}= {text}".ljust(80)
        try:
            theirs = fits.Card.fromstring(image).value
        except Exception as exc:  # a card astropy cannot read: neither can we, with the same error
            with pytest.raises(type(exc)):
                read_value(fits.Card.fromstring(image), strips_blanks())
            continue
        mine = read_value(fits.Card.fromstring(image), strips_blanks())
        assert _same(mine, theirs), (image, mine, theirs)


def test_a_card_changed_since_it_was_read_reads_its_new_value() -> None:
    card = fits.Card.fromstring("NFRAMES =                    4 / frames".ljust(80))
    card.value = 5
    assert read_value(card, strips_blanks()) == 5


def test_blanks_are_kept_when_astropy_keeps_them() -> None:
    image = "KEYWORD = 'padded    '".ljust(80)
    with fits.conf.set_temp("strip_header_whitespace", False):
        assert read_value(fits.Card.fromstring(image), strips_blanks()) == fits.Card.fromstring(image).value
        assert read_value(fits.Card.fromstring(image), strips_blanks()) == "padded    "
        assert read_value(fits.Card.fromstring(image)) == "padded    "  # the setting looked up for a string
    assert read_value(fits.Card.fromstring(image)) == "padded"


@pytest.mark.parametrize("text", ["'NIRCAM'", "T", "-12", "1.0E+05", "'O''Hara' / a comment"])
def test_plain_cards_are_read_without_astropy_parsing_them(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The point of the module: a plain card's value costs one pattern match."""
    image = f"KEYWORD = {text}".ljust(80)
    expected = fits.Card.fromstring(image).value

    def refused(card: fits.Card) -> object:
        raise AssertionError(f"astropy parsed {card!r}")

    monkeypatch.setattr(fits.Card, "_parse_value", refused)
    assert _same(read_value(fits.Card.fromstring(image), strips_blanks()), expected)
