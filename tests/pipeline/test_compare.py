"""The comparison of pipeline products lets through one difference only: a float card of the reference's
product that astropy cut to 16 digits, where ours says every digit (see ``compare._card_rounded``)."""

from __future__ import annotations

from tests.pipeline.compare import _card_rounded


def test_a_value_rounded_by_its_card_is_the_same_value() -> None:
    assert _card_rounded(0.0009609968618438184, 0.000960996861843818)
    assert _card_rounded(2.2587683987499075e-14, 2.2587683987499e-14)


def test_any_other_difference_is_one() -> None:
    assert not _card_rounded(0.25, 0.26)  # short values: a card holds them exactly
    assert not _card_rounded(0.0009609968618438184, 0.00096099686184382)  # not the card's rounding
    assert not _card_rounded(0.0009609968618438184, 0.0009609968618438184)  # equal: nothing to excuse
    assert not _card_rounded("0.1", "0.10")
