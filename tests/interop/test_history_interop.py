"""History entries, read times and background polynomials travel between jwstmodels and the reference
implementation (stdatamodels) in both directions, in FITS and ASDF files; and the facts our schemas declare
for these lists match the reference's core schema and the ASDF standard's history entry."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from stdatamodels.jwst import datamodels as st

import jwstmodels
from jwstmodels import HistoryEntry, HistorySoftware, ImageModel, PolynomialInfo

TIME = datetime.datetime(2024, 5, 1, 12, 30, 15, tzinfo=datetime.UTC)
SOFTWARE = {
    "name": "jwst",
    "author": "STScI",
    "homepage": "https://github.com/spacetelescope/jwst",
    "version": "1.19",
}
READ_TIMES = [[0.0, 10.737], [21.474, 32.211]]
POLYNOMIAL = {
    "degree": [1.0, 2.0],
    "refpoint": [512.0, 512.0],
    "coefficients": [0.1, 0.2, 0.3],
    "channel": "1",
}


def their_history(model: Any) -> list[Any]:
    """The reference's ``model.history`` (it warns that the attribute is to be deprecated)."""
    with pytest.warns(UserWarning, match="history"):
        return list(model.history)


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
def test_our_lists_open_in_the_reference(suffix: str, tmp_path: Path) -> None:
    ours = ImageModel(np.zeros((3, 4), dtype=np.float32))
    ours.meta.history.append(HistoryEntry(description="flat-fielded"))
    ours.meta.history.append(HistoryEntry(description="dark subtracted", time=TIME, software=SOFTWARE))
    ours.meta.exposure.read_times = READ_TIMES
    ours.meta.background.polynomial_info = [PolynomialInfo.model_validate(POLYNOMIAL)]
    path = ours.save(tmp_path / f"ours{suffix}")
    with st.open(path, strict_validation=True) as theirs:
        theirs.validate()
        entries = their_history(theirs)
        assert [entry["description"] for entry in entries] == ["flat-fielded", "dark subtracted"]
        if suffix == ".asdf":  # the reference reads FITS history from the cards alone: text only
            assert entries[1]["time"] == TIME
            assert dict(entries[1]["software"]) == SOFTWARE
        assert theirs.meta.exposure.read_times == READ_TIMES
        assert theirs.meta.background.polynomial_info.instance == [POLYNOMIAL]


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
def test_reference_lists_open_here(suffix: str, tmp_path: Path) -> None:
    long_text = "outlier detection with " + "a long list of parameters, " * 5 + "done"
    theirs = st.ImageModel((3, 4))
    theirs.add_history_entry("flat-fielded", software=SOFTWARE)
    theirs.add_history_entry(long_text)
    theirs.meta.exposure.read_times = READ_TIMES
    theirs.meta.background.polynomial_info = [dict(POLYNOMIAL)]
    path = tmp_path / f"theirs{suffix}"
    theirs.save(path)
    written = their_history(theirs)
    theirs.close()
    with jwstmodels.open(path) as ours:
        assert isinstance(ours, ImageModel)
        # the long text spans three HISTORY cards in FITS; the ASDF extension joins them into one entry again
        assert [entry.description for entry in ours.meta.history] == ["flat-fielded", long_text]
        assert ours.meta.history[0].software == HistorySoftware.model_validate(SOFTWARE)
        for here, there in zip(ours.meta.history, written, strict=True):
            assert here.time is not None
            # the reference's FITS extension keeps times to the millisecond, without the time zone
            assert (
                abs(here.time.replace(tzinfo=None) - there["time"].replace(tzinfo=None)).total_seconds()
                < 1e-3
            )
        assert ours.meta.exposure.read_times == READ_TIMES
        assert [item.model_dump() for item in ours.meta.background.polynomial_info] == [POLYNOMIAL]
        assert "PRIMARY" not in ours.extra_fits or all(
            k != "HISTORY" for k, _, _ in ours.extra_fits["PRIMARY"]
        )


def test_a_reference_round_trip_through_here_keeps_the_history(tmp_path: Path) -> None:
    """Reference FITS -> here -> FITS -> reference: the same entries, the same HISTORY cards."""
    theirs = st.ImageModel((2, 2))
    theirs.add_history_entry("step one")
    theirs.add_history_entry("step two", software=SOFTWARE)
    theirs.save(tmp_path / "theirs.fits")
    theirs.close()
    with jwstmodels.open(tmp_path / "theirs.fits") as ours:
        out = ours.save(tmp_path / "ours.fits")
    with st.open(out) as back:
        assert [entry["description"] for entry in their_history(back)] == ["step one", "step two"]


# -- schema facts ------------------------------------------------------------------------------------------


def reference_core() -> dict[str, Any]:
    import stdatamodels

    path = Path(stdatamodels.__file__).parent / "jwst" / "datamodels" / "schemas" / "core.schema.yaml"
    return yaml.safe_load(path.read_text())


def asdf_schema(name: str) -> dict[str, Any]:
    import asdf_standard

    root = Path(asdf_standard.__file__).parent / "resources" / "stable" / "schemas" / "stsci.edu" / "asdf"
    return yaml.safe_load((root / "core" / f"{name}-1.0.0.yaml").read_text())


def python_type(node: dict[str, Any]) -> object:
    """The Python type the reference's schema node means (lists of numbers, strings)."""
    if node.get("type") == "array":
        return list[python_type(node["items"])]
    return {"number": float, "string": str}[node["type"]]


def test_list_leaves_match_the_reference_core_schema() -> None:
    meta = reference_core()["properties"]["meta"]["properties"]
    read_times = meta["exposure"]["properties"]["read_times"]
    ours = jwstmodels.Exposure.model_fields["read_times"].annotation
    assert ours == python_type(read_times) | None
    reference_items = meta["background"]["properties"]["polynomial_info"]["items"]["properties"]
    assert list(reference_items) == list(PolynomialInfo.model_fields)
    for name, node in reference_items.items():
        assert PolynomialInfo.model_fields[name].annotation == python_type(node) | None, name
    assert "history" not in meta  # the reference keeps history at the tree root, as the ASDF standard does


def test_history_entries_follow_the_asdf_standard() -> None:
    entry, software = asdf_schema("history_entry"), asdf_schema("software")
    assert list(entry["properties"]) == list(HistoryEntry.model_fields)
    assert entry["required"] == [n for n, f in HistoryEntry.model_fields.items() if f.is_required()]
    assert entry["properties"]["time"]["format"] == "date-time"
    assert HistoryEntry.model_fields["time"].annotation == datetime.datetime | None
    assert list(software["properties"]) == list(HistorySoftware.model_fields)
    assert sorted(software["required"]) == sorted(
        n for n, f in HistorySoftware.model_fields.items() if f.is_required()
    )
