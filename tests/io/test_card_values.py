"""A header card's value read from its image (``_io.card_values``) is astropy's ``Card.value``, whatever
the card holds: what astropy writes, what other writers put in a fixed-format card, and the rest."""

from __future__ import annotations

import math
import warnings

import pytest
from astropy.io import fits
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jwstmodels._io.card_values import read_value, string_in_field, strips_blanks
from jwstmodels._io.header_scan import shortened

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


def _kept_blanks(image: str) -> object:
    """astropy's value of the card, trailing blanks kept."""
    with fits.conf.set_temp("strip_header_whitespace", False):
        return fits.Card.fromstring(image).value


@pytest.mark.parametrize(
    "text",
    [
        "'O''Hara'",
        "'O''Hara   ' / a comment",
        "'it''s a value   ' / quotes and blanks",
        "'it'' / x   ' / a slash inside",
        "'ab' 'cd   '",
        "'a''''   '",
        "'abc'''",
        "'    '",
        "''",
        "'abc'/no blank",
    ],
)
def test_the_string_of_a_field_is_astropy_s_with_its_blanks(text: str) -> None:
    image = f"KEYWORD = {text}".ljust(80)
    assert string_in_field(image[10:]) == _kept_blanks(image)


@pytest.mark.parametrize("text", ["T", "7", "1.5", "", "/ a comment only", "'unclosed", "(1.0, 2.0)"])
def test_a_field_without_a_string_has_none(text: str) -> None:
    assert string_in_field(f"KEYWORD = {text}".ljust(80)[10:]) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # a doubled quote inside and blanks at the end, past the 8 columns a card pads to: the extension
        # may keep what the card shows shortened
        ("'it''s a value   ' / quotes and blanks", "a string ending in blanks"),
        ("'O''Hara''s  '", "a string ending in blanks"),
        ("'it''s   '", None),  # "it's   ": 7 characters, padding to 8 is the card's
        ("'O''Hara'", None),
        # astropy reads "it'" (the string closes at the quote a blank follows): no blanks at its end
        ("'it'' / x   ' / a slash inside", None),
        ("'ab' 'cd   '", "a string ending in blanks"),  # astropy reads "ab' 'cd   "
    ],
)
def test_shortened_reads_the_string_as_the_card_is_read(text: str, reason: str | None) -> None:
    """``header_scan.shortened`` looks for trailing blanks in the string the card is read as (one parser:
    ``card_values``), not in one it would parse by other rules."""
    image = f"KEYWORD = {text}".ljust(80)
    value = read_value(fits.Card.fromstring(image), strips_blanks())
    assert isinstance(value, str)
    assert shortened(fits.Card.fromstring(image), value) == reason


@settings(max_examples=300, deadline=None)
@given(value=st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60))
def test_shortened_agrees_with_astropy_on_every_string_it_writes(value: str) -> None:
    assume(len(value) + value.count("'") <= 68)  # one card (a longer one is "longer than one card")
    image = fits.Card("KEYWORD", value).image
    read = read_value(fits.Card.fromstring(image), strips_blanks())
    kept = _kept_blanks(image)
    assert isinstance(read, str) and isinstance(kept, str)
    expected = "a string ending in blanks" if len(kept) > 8 and kept.endswith(" ") else None
    assert shortened(fits.Card.fromstring(image), read) == expected
