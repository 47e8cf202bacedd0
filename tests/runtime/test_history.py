"""Lists inside the metadata, in memory: ``meta.history`` entries, ``meta.exposure.read_times`` and
``meta.background.polynomial_info`` are typed, validated on assignment, copied deeply and searchable."""

from __future__ import annotations

import copy
import datetime
from pathlib import Path
from typing import Any, cast

import pytest

import jwstmodels
from jwstmodels import (
    FlatModel,
    HistoryEntry,
    HistorySoftware,
    ImageModel,
    PolynomialInfo,
    UnknownFieldError,
    ValidationError,
    ValidationErrors,
)


def test_history_starts_empty_and_takes_typed_entries() -> None:
    m = ImageModel()
    assert m.meta.history == []
    m.meta.history.append(HistoryEntry(description="flat-fielded"))
    m.meta.history.append(HistoryEntry(description="resampled", software={"name": "jwst", "version": "1.19"}))
    assert [e.description for e in m.meta.history] == ["flat-fielded", "resampled"]
    assert m.meta.history[0].time is None and m.meta.history[0].software is None
    software = m.meta.history[1].software
    assert isinstance(software, HistorySoftware)
    assert (software.name, software.version, software.author) == ("jwst", "1.19", None)


def test_reference_files_have_history_too() -> None:
    flat = FlatModel()
    flat.meta.history.append(HistoryEntry(description="delivered to CRDS"))
    assert flat.meta.history[0].description == "delivered to CRDS"


def test_add_history_entry_stamps_utc_time_and_returns_the_entry() -> None:
    m = ImageModel()
    before = datetime.datetime.now(datetime.UTC)
    entry = m.add_history_entry(
        "dark subtracted", software={"name": "jwst", "version": "1.19", "author": "STScI"}
    )
    after = datetime.datetime.now(datetime.UTC)
    assert m.meta.history == [entry]
    assert entry.time is not None and before <= entry.time <= after
    assert entry.software == HistorySoftware(name="jwst", version="1.19", author="STScI")
    with pytest.raises(ValidationError, match=r"meta\.history\[\]\.software\.version"):
        m.add_history_entry("no version", software={"name": "jwst"})
    assert len(m.meta.history) == 1


def test_assigning_a_list_validates_and_converts_dicts() -> None:
    m = ImageModel()
    m.meta.history = cast(Any, [{"description": "a", "time": "2024-05-01T12:00:00"}])
    assert isinstance(m.meta.history[0], HistoryEntry)
    assert m.meta.history[0].time == datetime.datetime(2024, 5, 1, 12)
    m.meta.exposure.read_times = [[0, 10.5], [21]]
    assert m.meta.exposure.read_times == [[0.0, 10.5], [21.0]]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("meta.history", ["flat-fielded"]),
        ("meta.history", "flat-fielded"),
        ("meta.history", [{"time": "2024-01-01T00:00:00"}]),
        ("meta.exposure.read_times", [1.0, 2.0]),
        ("meta.exposure.read_times", [["a"]]),
        ("meta.background.polynomial_info", [{"channel": 5}]),
        ("meta.background.polynomial_info", [{"degree": "one"}]),
    ],
)
def test_a_wrong_list_raises_naming_the_path_and_changes_nothing(path: str, value: object) -> None:
    m = ImageModel()
    m.meta.history.append(HistoryEntry(description="kept"))
    m.meta.exposure.read_times = [[1.0]]
    before = m.meta.model_dump()
    with pytest.raises(ValidationError) as caught:
        m[path] = value
    assert caught.value.path == path
    assert path in str(caught.value) and "ImageModel" in str(caught.value)
    assert m.meta.model_dump() == before


def test_entries_validate_their_own_fields() -> None:
    with pytest.raises(ValidationError, match=r"meta\.history\[\]\.description: expected str, got 5"):
        HistoryEntry(description=cast(Any, 5))
    with pytest.raises(ValidationError, match=r"meta\.history\[\]\.description: expected a value"):
        cast(Any, HistoryEntry)()
    entry = HistoryEntry(description="a", software=HistorySoftware(name="x", version="1"))
    with pytest.raises(ValidationError, match=r"meta\.history\[\]\.time"):
        entry.time = cast(Any, "yesterday")
    with pytest.raises(ValidationError, match=r"meta\.history\[\]\.software\.version"):
        cast(Any, entry.software).version = 2
    with pytest.raises(UnknownFieldError, match="descripton"):
        setattr(entry, "descripton", "b")
    assert (entry.description, entry.time) == ("a", None)
    item = PolynomialInfo(degree=[1, 2], channel="1")
    with pytest.raises(ValidationError, match=r"meta\.background\.polynomial_info\[\]\.coefficients"):
        item.coefficients = cast(Any, ["x"])


def test_copy_is_deep_for_lists() -> None:
    m = ImageModel()
    m.add_history_entry("one", software={"name": "jwst", "version": "1"})
    m.meta.exposure.read_times = [[1.0, 2.0]]
    m.meta.background.polynomial_info.append(PolynomialInfo(coefficients=[1.0], channel="1"))
    for copied in (m.copy(), copy.deepcopy(m)):
        copied.meta.history[0].description = "changed"
        software = copied.meta.history[0].software
        assert software is not None
        software.version = "2"
        copied.meta.history.append(HistoryEntry(description="two"))
        assert copied.meta.exposure.read_times is not None
        copied.meta.exposure.read_times[0].append(3.0)
        coefficients = copied.meta.background.polynomial_info[0].coefficients
        assert coefficients is not None
        coefficients.append(2.0)
    assert [e.description for e in m.meta.history] == ["one"]
    assert m.meta.history[0].software == HistorySoftware(name="jwst", version="1")
    assert m.meta.exposure.read_times == [[1.0, 2.0]]
    assert m.meta.background.polynomial_info[0].coefficients == [1.0]


def test_validate_and_save_catch_an_entry_appended_without_checks(tmp_path: Path) -> None:
    m = ImageModel((2, 2))
    m.meta.history.append(cast(Any, 5))  # appending to a list is not checked at once (text makes an entry)
    with pytest.raises(ValidationErrors) as caught:
        m.validate()
    assert [(e.path, e.expected) for e in caught.value.errors] == [("meta.history[0]", "HistoryEntry")]
    with pytest.raises(ValidationErrors):
        m.save(tmp_path / "refused.fits")
    assert not (tmp_path / "refused.fits").exists()


def test_flat_views_and_json_show_lists_only_when_set() -> None:
    m = ImageModel()
    keys = list(m.keys())
    assert not any(key.startswith(("meta.history", "meta.background", "meta.exposure")) for key in keys)
    m.meta.history.append(HistoryEntry(description="flat-fielded"))
    m.meta.exposure.read_times = [[1.0]]
    flat = m.to_flat_dict(include_arrays=False)
    assert flat["meta.history"] == [{"description": "flat-fielded"}]
    assert flat["meta.exposure.read_times"] == [[1.0]]
    assert "meta.history" in m
    assert "meta.background.polynomial_info" not in m
    assert m.get_item_as_json_value("meta.history") == [{"description": "flat-fielded"}]
    assert m["meta.history"] is m.meta.history


def test_schema_search_and_lookup_tables_list_the_lists() -> None:
    from tests.support.generated_facts import leaves, meta_leaves

    LEAVES, META_LEAVES = leaves("jwstmodels_generated"), meta_leaves("jwstmodels_generated")

    m = ImageModel()
    found = {match.path for match in m.search_schema("history")}
    assert "meta.history" in found
    assert {match.path for match in m.search_schema("reads that make up")} == {"meta.exposure.read_times"}
    assert "meta.background.polynomial_info" in {match.path for match in m.search_schema("polynomial")}
    for path in ("meta.history", "meta.exposure.read_times", "meta.background.polynomial_info"):
        leaf = LEAVES[path]
        assert (leaf.keyword, leaf.type) == (None, "array"), path
    assert META_LEAVES["HistoryEntry"] == ("meta.history[].description", "meta.history[].time")
    assert "meta.history" in META_LEAVES["ReferenceFileMeta"]


def test_item_classes_are_exported_and_typed_from_the_schema() -> None:
    assert issubclass(jwstmodels.HistoryEntry, jwstmodels.MetaNode)
    fields = HistoryEntry.model_fields
    assert list(fields) == ["description", "time", "software"]
    assert fields["description"].is_required() and not fields["time"].is_required()
    assert list(PolynomialInfo.model_fields) == ["degree", "refpoint", "coefficients", "channel"]
    assert list(HistorySoftware.model_fields) == ["name", "author", "homepage", "version"]


def test_update_copies_metadata_but_keeps_the_models_own_history() -> None:
    target, source = ImageModel(), ImageModel()
    target.add_history_entry("target was flat-fielded")
    source.add_history_entry("source was dark-subtracted")
    source.meta.exposure.nframes = 3
    target.update(source)
    assert target.meta.exposure.nframes == 3
    assert [entry.description for entry in target.meta.history] == ["target was flat-fielded"]
