"""meta.history takes text (HistoryList): however the list was made, a text becomes a timed entry."""

from __future__ import annotations

import copy
import datetime
import pickle

import pytest

from jwstmodels import ImageModel, ValidationErrors
from jwstmodels._core.meta_lists import HistoryList
from jwstmodels_generated.meta import HistoryEntry


def descriptions(entries: list[HistoryEntry]) -> list[str]:
    return [entry.description for entry in entries]


def test_every_way_a_history_list_is_made_takes_text() -> None:
    m = ImageModel()
    made: dict[str, list[HistoryEntry]] = {"default": m.meta.history}
    m.meta.history = [HistoryEntry(description="assigned")]
    made["assigned"] = m.meta.history
    made["copied"] = m.copy().meta.history
    made["deep-copied"] = copy.deepcopy(m.meta.history)
    made["pickled"] = pickle.loads(pickle.dumps(ImageModel().meta.history))
    for how, entries in made.items():
        assert isinstance(entries, HistoryList), how
        before = datetime.datetime.now(datetime.UTC)
        entries.append(f"text {how}")
        last = entries[-1]
        assert isinstance(last, HistoryEntry) and last.description == f"text {how}", how
        assert last.time is not None and last.time >= before and last.software is None, how


def test_insert_extend_and_plus_equals_take_text() -> None:
    m = ImageModel()
    m.meta.history += ["b"]
    m.meta.history.insert(0, "a")
    m.meta.history.extend(["c", HistoryEntry(description="d")])
    assert descriptions(m.meta.history) == ["a", "b", "c", "d"]
    assert m.meta.history[3].time is None, "an entry given as an entry is kept as given"
    m.validate()


def test_a_value_neither_entry_nor_text_is_refused_by_validate() -> None:
    m = ImageModel()
    m.meta.history.append(3)  # type: ignore[arg-type]  # a static error; at run time validate() refuses it
    with pytest.raises(ValidationErrors, match=r"meta\.history\[0\]"):
        m.validate()
