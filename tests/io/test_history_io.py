"""Lists inside the metadata in files: history as FITS HISTORY cards and at the ASDF tree root, read times and
background polynomials in ASDF trees (and the ASDF extension of FITS files), and the reading policy."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import asdf
import numpy as np
import pytest
from astropy.io import fits

import jwstmodels
from jwstmodels import HistoryEntry, ImageModel, InvalidValueWarning, PolynomialInfo

LONG = "resampled onto the skycell grid with " + "drizzle weights, " * 8 + "pixfrac 1.0"
TIME = datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.UTC)


def model_with_lists() -> ImageModel:
    m = ImageModel(np.zeros((2, 3), dtype=np.float32))
    m.meta.history.append(HistoryEntry(description="flat-fielded"))
    m.meta.history.append(
        HistoryEntry(
            description=LONG, time=TIME, software={"name": "jwst", "version": "1.19", "author": "STScI"}
        )
    )
    m.meta.history.append(HistoryEntry(description="café\nsecond line"))
    m.meta.exposure.read_times = [[0.0, 10.7], [21.4]]
    m.meta.background.polynomial_info = [
        PolynomialInfo(degree=[1, 2], refpoint=[512.0, 512.0], coefficients=[0.1, 0.2, 0.3], channel="1")
    ]
    return m


def history_cards(path: Path, hdu: int | str = 0) -> list[str]:
    with fits.open(path) as hdul:
        return [str(card.value) for card in hdul[hdu].header.cards if card.keyword == "HISTORY"]


def astropy_cards(texts: list[str]) -> list[str]:
    """The HISTORY cards astropy itself writes for ``texts``, read back."""
    header = fits.Header()
    for text in texts:
        header.add_history(text)
    hdu = fits.PrimaryHDU(header=header)
    buffer = io.BytesIO()
    hdu.writeto(buffer)
    buffer.seek(0)
    with fits.open(buffer) as hdul:
        return [str(card.value) for card in hdul[0].header.cards if card.keyword == "HISTORY"]


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
def test_lists_round_trip(suffix: str, tmp_path: Path) -> None:
    m = model_with_lists()
    path = m.save(tmp_path / f"lists{suffix}")
    with jwstmodels.open(path) as back:
        assert isinstance(back, ImageModel)
        assert back.meta.history == m.meta.history  # text, time and program of every entry
        assert back.meta.history[1].time == TIME
        assert back.meta.exposure.read_times == [[0.0, 10.7], [21.4]]
        assert back.meta.background.polynomial_info == m.meta.background.polynomial_info
        assert back.extra_fits == {}
        again = back.save(tmp_path / f"again{suffix}")
    with jwstmodels.open(again) as twice:
        assert twice.meta.history == m.meta.history


def test_fits_writes_one_history_card_per_entry_wrapped_as_astropy_does(tmp_path: Path) -> None:
    path = model_with_lists().save(tmp_path / "cards.fits")
    cards = history_cards(path)
    assert cards == astropy_cards(["flat-fielded", LONG, "caf? second line"])
    assert len(cards) == 5  # the long text continues on two more cards
    assert history_cards(path, "SCI") == []
    with fits.open(path) as hdul:
        header = hdul[0].header
        assert "READTIME" not in header and not any("polynomial" in str(c.value) for c in header.cards)


def test_reopened_fits_does_not_repeat_history_cards(tmp_path: Path) -> None:
    path = model_with_lists().save(tmp_path / "first.fits")
    for step in range(3):
        with ImageModel(path) as m:
            assert "HISTORY" not in [card[0] for card in m.extra_fits.get("PRIMARY", [])]
            path = m.save(tmp_path / f"step{step}.fits")
    assert history_cards(path) == history_cards(tmp_path / "first.fits")


def foreign_fits(path: Path, texts: list[str], sci_history: str | None = None) -> Path:
    """A FITS file written by astropy alone (no ASDF extension), with HISTORY cards."""
    primary = fits.PrimaryHDU()
    primary.header["DATAMODL"] = "ImageModel"
    for text in texts:
        primary.header.add_history(text)
    sci = fits.ImageHDU(np.zeros((2, 2), dtype=np.float32), name="SCI")
    if sci_history is not None:
        sci.header.add_history(sci_history)
    fits.HDUList([primary, sci]).writeto(path)
    return path


def test_history_cards_of_any_fits_file_load(tmp_path: Path) -> None:
    """Without an ASDF extension each card is an entry; a card filled to the last column is continued by the
    next one (the way astropy wraps a long text)."""
    path = foreign_fits(tmp_path / "foreign.fits", ["calibrated", LONG, "", "done"], sci_history="sci note")
    with jwstmodels.open(path) as m:
        assert isinstance(m, ImageModel)
        assert [e.description for e in m.meta.history] == ["calibrated", LONG, "", "done"]
        assert all(e.time is None and e.software is None for e in m.meta.history)
        assert "PRIMARY" not in m.extra_fits
        assert m.extra_fits["SCI"] == [("HISTORY", "sci note", "")]  # only the primary header's are history
        out = m.save(tmp_path / "resaved.fits")
    assert history_cards(out) == history_cards(path)
    assert history_cards(out, "SCI") == ["sci note"]


def test_cards_are_authoritative_and_the_extension_enriches_them(tmp_path: Path) -> None:
    """Edited with astropy after saving: a card added, another removed. The cards decide which entries exist
    and their order; entries whose cards remain keep their time and program from the ASDF extension."""
    m = ImageModel(np.zeros((2, 2), dtype=np.float32))
    for index in range(3):
        m.meta.history.append(HistoryEntry(description=f"step {index}", time=TIME, software=None))
    m.meta.history.append(HistoryEntry(description=LONG, time=TIME))
    path = m.save(tmp_path / "edited.fits")
    with fits.open(path, mode="update") as hdul:
        header = hdul[0].header
        cards = [i for i, card in enumerate(header.cards) if card.keyword == "HISTORY"]
        del header[cards[1]]  # "step 1"
        header.add_history("added by hand")
    with ImageModel(path) as back:
        descriptions = [e.description for e in back.meta.history]
        assert descriptions == ["step 0", "step 2", LONG, "added by hand"]
        assert [e.time for e in back.meta.history] == [TIME, TIME, TIME, None]


def test_extension_entry_with_a_full_width_text_is_not_merged_with_the_next(tmp_path: Path) -> None:
    exactly_one_card = "x" * 72
    m = ImageModel(np.zeros((2, 2), dtype=np.float32))
    m.meta.history = [HistoryEntry(description=exactly_one_card), HistoryEntry(description="next")]
    with ImageModel(m.save(tmp_path / "full.fits")) as back:
        assert [e.description for e in back.meta.history] == [exactly_one_card, "next"]


def test_asdf_keeps_history_at_the_tree_root_as_tagged_entries(tmp_path: Path) -> None:
    path = model_with_lists().save(tmp_path / "root.asdf")
    with asdf.open(path) as af:
        tree = af.tree
        assert "history" not in tree["meta"]
        entries = tree["history"]["entries"]
        assert [type(e).__name__ for e in entries] == ["HistoryEntry"] * 3
        assert entries[1]["software"] == {"name": "jwst", "version": "1.19", "author": "STScI"}
        assert type(entries[1]["software"]).__name__ == "Software"
        assert entries[1]["time"] == TIME
        assert tree["meta"]["exposure"]["read_times"] == [[0.0, 10.7], [21.4]]
        assert tree["meta"]["background"]["polynomial_info"][0]["channel"] == "1"
    raw = path.read_bytes()
    assert b"!core/history_entry-1.0.0" in raw and b"!core/software-1.0.0" in raw


def test_empty_lists_are_not_written(tmp_path: Path) -> None:
    m = ImageModel(np.zeros((2, 2), dtype=np.float32))
    path = m.save(tmp_path / "empty.asdf")
    with asdf.open(path) as af:
        assert "entries" not in af.tree.get("history", {})
        assert "background" not in af.tree["meta"] and "read_times" not in af.tree["meta"].get("exposure", {})
    assert history_cards(m.save(tmp_path / "empty.fits")) == []


def write_asdf_tree(path: Path, tree: dict[str, Any]) -> Path:
    asdf.AsdfFile(tree).write_to(path)
    return path


def test_older_asdf_history_list_and_single_program_lists_are_read(tmp_path: Path) -> None:
    tree: dict[str, Any] = {"meta": {"model_type": "ImageModel"}, "data": np.zeros((2, 2), dtype=np.float32)}
    path = tmp_path / "old.asdf"
    with asdf.AsdfFile(tree) as af:
        af.add_history_entry("first", software=[{"name": "tool", "version": "2"}])
        entries = af.tree["history"]["entries"]
        af.tree["history"] = list(entries)  # the format before the ASDF standard 1.1 root history
        with pytest.warns(Warning, match="history"):  # asdf itself warns about the old layout
            af.write_to(path)
    with ImageModel(path) as m:
        assert [e.description for e in m.meta.history] == ["first"]
        software = m.meta.history[0].software
        assert software is not None and (software.name, software.version) == ("tool", "2")


def test_history_that_does_not_fit_warns_and_is_written_back(tmp_path: Path) -> None:
    tree: dict[str, Any] = {
        "meta": {"model_type": "ImageModel"},
        "data": np.zeros((2, 2), dtype=np.float32),
        "history": {"entries": [{"description": "kept"}, {"time": "no description"}]},
    }
    path = write_asdf_tree(tmp_path / "bad.asdf", tree)
    with pytest.warns(InvalidValueWarning, match=r"bad\.asdf: meta\.history: .*description") as caught:
        m = ImageModel(path)
    assert len(caught) == 1
    with m:
        assert m.meta.history == []
        out = m.save(tmp_path / "resaved.asdf")
        cards = history_cards(m.save(tmp_path / "resaved.fits"))
    with asdf.open(out) as af:
        assert [dict(e) for e in af.tree["history"]["entries"]] == tree["history"]["entries"]
    assert cards == ["kept"]
    with pytest.warns(InvalidValueWarning):
        kept = ImageModel(path, pass_invalid_values=True)
    with kept:
        assert kept.meta.history == tree["history"]["entries"]  # in place, unvalidated


def test_other_lists_that_do_not_fit_warn_and_are_written_back(tmp_path: Path) -> None:
    bad = [{"channel": 3, "degree": [1]}]
    tree: dict[str, Any] = {
        "meta": {"model_type": "ImageModel", "background": {"polynomial_info": bad, "level": 1.5}},
        "data": np.zeros((2, 2), dtype=np.float32),
    }
    path = write_asdf_tree(tmp_path / "badpoly.asdf", tree)
    with pytest.warns(
        InvalidValueWarning,
        match=r"meta\.background\.polynomial_info: value .*item 0: .*channel: expected str",
    ):
        m = ImageModel(path)
    with m:
        assert m.meta.background.polynomial_info == []
        assert m.meta.background.level == 1.5  # the rest of the group is read as usual
        fits_path = m.save(tmp_path / "badpoly.fits")
        asdf_path = m.save(tmp_path / "badpoly2.asdf")
    with asdf.open(asdf_path) as af:
        assert af.tree["meta"]["background"]["polynomial_info"] == bad
    # opened where warnings are not errors, the extension is read when a field needs it: its warning comes
    # then (at open where warnings are errors: jwstmodels._io.fits_lazy)
    with pytest.warns(InvalidValueWarning, match=r"ASDF extension, meta\.background\.polynomial_info"):
        again = ImageModel(fits_path)
        assert again.meta.background.polynomial_info == []
    again.close()


def test_fits_history_cards_load_whatever_the_extension_holds(tmp_path: Path) -> None:
    """A damaged history in the ASDF extension does not cost the cards: they load as plain entries."""
    m = ImageModel(np.zeros((2, 2), dtype=np.float32))
    m.meta.history.append(HistoryEntry(description="from the cards"))
    path = m.save(tmp_path / "damaged.fits")
    with fits.open(path) as hdul:
        from jwstmodels._io.asdf_in_fits import build_hdu, read_tree

        stored = read_tree(hdul["ASDF"], str(path))
        stored["history"] = {"entries": [{"description": "from the cards", "time": "not a time"}]}
        hdul["ASDF"] = build_hdu(stored)
        hdul.writeto(tmp_path / "rewritten.fits")
    with ImageModel(tmp_path / "rewritten.fits") as back:
        assert [(e.description, e.time) for e in back.meta.history] == [("from the cards", None)]
