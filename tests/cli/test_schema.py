"""``jwstmodels search`` and ``jwstmodels keyword``: look-ups over every model class of the catalogue.

Expectations are computed from the catalogue where they depend on it, so the tests hold as it grows.
"""

from __future__ import annotations

import importlib
import json

from jwstmodels._model.schema_search import find_fits_keyword
from jwstmodels_generated.lookup import MODEL_CLASSES
from tests.cli.conftest import Run, row


def all_classes() -> list[type]:
    classes = []
    for module_name, class_name in dict.fromkeys(MODEL_CLASSES.values()):
        classes.append(getattr(importlib.import_module(f"jwstmodels_generated.{module_name}"), class_name))
    return classes


def test_search_finds_metadata_by_name_and_lists_models(run: Run) -> None:
    result = run("search", "nframes")
    assert result.code == 0, result.stderr
    assert row(result.stdout, "meta.exposure.nframes")[1:3] == ["NFRAMES", "PRIMARY"]
    as_json = json.loads(run("search", "--json", "nframes").stdout)
    entry = next(e for e in as_json if e["path"] == "meta.exposure.nframes")
    assert entry["keyword"] == "NFRAMES" and entry["hdu"] == "PRIMARY"
    assert "ImageModel" in entry["models"] and "RampModel" in entry["models"]
    assert len(entry["models"]) == len(set(entry["models"]))  # each model once, aliases folded
    paths = [(e["path"], e["title"], e["keyword"], e["hdu"]) for e in as_json]
    assert len(paths) == len(set(paths))  # an entry shared by many models is listed once


def test_search_matches_titles_case_insensitively(run: Run) -> None:
    result = run("search", "--json", "SCIENCE PIXEL")
    entries = json.loads(result.stdout)
    assert result.code == 0
    assert any(e["path"] == "data" and e["hdu"] == "SCI" for e in entries)
    assert all("science pixel" in e["title"].lower() for e in entries)


def test_search_can_be_limited_to_one_model(run: Run) -> None:
    entries = json.loads(run("search", "--json", "-m", "RampModel", "group").stdout)
    assert {tuple(e["models"]) for e in entries} == {("RampModel",)}
    assert any(e["path"] == "groupdq" and e["hdu"] == "GROUPDQ" for e in entries)
    short = json.loads(run("search", "--json", "--model", "ramp", "groupdq").stdout)
    assert [e["path"] for e in short] == ["groupdq"]


def test_search_with_no_match_exits_1(run: Run) -> None:
    result = run("search", "qqxyzzy")
    assert result.code == 1
    assert result.stdout == ""
    assert "nothing in the schemas matches 'qqxyzzy'" in result.stderr
    assert json.loads(run("search", "--json", "qqxyzzy").stdout) == []


def test_unknown_model_is_bad_input(run: Run) -> None:
    result = run("search", "-m", "ImagModel", "data")
    assert result.code == 2
    assert result.stderr.startswith("jwstmodels: ImagModel: no such model class; did you mean ImageModel")
    assert len(result.stderr.splitlines()) == 1


def test_keyword_finds_where_a_fits_keyword_lives(run: Run) -> None:
    result = run("keyword", "nframes")
    assert result.code == 0, result.stderr
    assert "NFRAMES: 1 entry" in result.stdout
    assert "meta.exposure.nframes" in result.stdout


def test_keyword_agrees_with_find_fits_keyword_over_the_catalogue(run: Run) -> None:
    for keyword in ("DATAMODL", "NFRAMES", "INSTRUME"):
        entries = json.loads(run("keyword", "--json", keyword).stdout)
        for cls in all_classes():
            expected = {p if p.startswith("meta.") else f"meta.{p}" for p in find_fits_keyword(cls, keyword)}
            found = {e["path"] for e in entries if cls.__name__ in e["models"]}
            assert found == expected, (keyword, cls.__name__)


def test_keyword_also_finds_array_hdus(run: Run) -> None:
    entries = json.loads(run("keyword", "--json", "SCI").stdout)
    data = [e for e in entries if e["path"] == "data"]
    assert data and all(e["hdu"] == "SCI" and e["keyword"] is None for e in data)
    assert "ImageModel" in {m for e in data for m in e["models"]}


def test_unknown_keyword_exits_1_with_suggestions(run: Run) -> None:
    result = run("keyword", "NFRAME")
    assert result.code == 1
    assert result.stdout == ""
    assert "no model stores a FITS keyword or HDU named NFRAME; did you mean NFRAMES" in result.stderr
