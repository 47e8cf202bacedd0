"""``jwstmodels diff A B``: metadata and array differences across formats; exit 0 identical, 1 different."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

import jwstmodels
from jwstmodels.cli.diff import compare_models
from tests.cli.conftest import Run, make_image, make_ramp, row, slits_model

STAMPED = ("-i", "meta.date", "-i", "meta.filename")
"""Values that saving stamps (time and file name): they differ between any two saves."""


def test_same_model_as_fits_and_asdf_is_identical(run: Run, image_fits: Path, image_asdf: Path) -> None:
    result = run("diff", *STAMPED, image_fits, image_asdf)
    assert result.code == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"{image_fits} and {image_asdf}: no differences"


def test_stamped_values_differ_without_ignore(run: Run, image_fits: Path, image_asdf: Path) -> None:
    result = run("diff", image_fits, image_asdf)
    assert result.code == 1
    assert row(result.stdout, "meta.filename") == ["meta.filename", "'image_cal.fits'", "'image_cal.asdf'"]


def test_metadata_differences_show_both_values_and_absent_ones(run: Run, tmp_path: Path) -> None:
    a = make_image(tmp_path / "a.fits", nframes=4)
    model = jwstmodels.open(a)
    with model:
        model.meta.exposure.nframes = 8
        model.meta.exposure.ngroups = None
        model.meta.instrument.detector = "NRCA1"
        b = model.save(tmp_path / "b.asdf")
    result = run("diff", *STAMPED, a, b)
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{a} vs {b}: 3 differences"
    assert lines[1:3] == ["Metadata", f"path                      {a}  {b}"]
    assert row(result.stdout, "meta.exposure.nframes") == ["meta.exposure.nframes", "4", "8"]
    assert row(result.stdout, "meta.exposure.ngroups") == ["meta.exposure.ngroups", "5", "(absent)"]
    assert row(result.stdout, "meta.instrument.detector")[1:] == ["(absent)", "'NRCA1'"]


def test_array_differences_report_count_and_max_abs_difference(run: Run, tmp_path: Path) -> None:
    data = np.arange(12, dtype=np.float32).reshape(3, 4)
    a = make_image(tmp_path / "a.fits", data=data)
    changed = data.copy()
    changed[1, 2] += 0.5
    changed[2, 3] -= 2.0
    b = make_image(tmp_path / "b.fits", data=changed)
    result = run("diff", *STAMPED, a, b)
    assert result.code == 1
    assert row(result.stdout, "data")[-1] == "2 of 12 values differ, max abs difference 2"
    report = json.loads(run("diff", "--json", *STAMPED, a, b).stdout)
    assert report["identical"] is False and report["meta"] == []
    (entry,) = report["arrays"]
    assert entry["name"] == "data"
    assert (entry["differing"], entry["total"], entry["max_abs_difference"]) == (2, 12, 2.0)
    assert entry["a"] == entry["b"] == {"shape": [3, 4], "dtype": "float32"}
    within = run("diff", "--atol", "2.5", *STAMPED, a, b)
    assert within.code == 0, within.stdout


def test_nan_in_the_same_place_is_equal_and_shapes_are_compared(run: Run, tmp_path: Path) -> None:
    data = np.zeros((3, 4), np.float32)
    data[0, 0] = np.nan
    a = make_image(tmp_path / "a.fits", data=data)
    b = make_image(tmp_path / "b.asdf", data=data.copy())
    assert run("diff", *STAMPED, a, b).code == 0
    c = make_image(tmp_path / "c.fits", data=np.zeros((4, 4), np.float32))
    result = run("diff", "--json", *STAMPED, a, c)
    assert result.code == 1
    shapes = {e["name"]: e["difference"] for e in json.loads(result.stdout)["arrays"]}
    assert shapes["data"] == "shape (3, 4) vs (4, 4)"


def test_tables_are_compared_by_column_and_missing_arrays_are_named(run: Run, tmp_path: Path) -> None:
    a = make_ramp(tmp_path / "a.fits")
    model = jwstmodels.open(a)
    with model:
        table = np.array(model.group, copy=True)
        table["bary_end_time"][1] = 9.5
        model.group = table
        model.zeroframe = np.ones((2, 4, 5), np.float32)
        b = model.save(tmp_path / "b.asdf")
    result = run("diff", "--json", *STAMPED, a, b)
    assert result.code == 1
    by_name = {e["name"]: e for e in json.loads(result.stdout)["arrays"]}
    assert by_name["group.bary_end_time"]["differing"] == 1
    assert by_name["group.bary_end_time"]["max_abs_difference"] == 7.0
    assert by_name["zeroframe"]["a"] == "(absent)"
    assert by_name["zeroframe"]["b"] == {"shape": [2, 4, 5], "dtype": "float32"}
    assert set(by_name) == {"group.bary_end_time", "zeroframe"}


def test_fits_cards_outside_the_schema_are_compared(run: Run, tmp_path: Path) -> None:
    a = make_image(tmp_path / "a.fits")
    model = jwstmodels.open(a)
    with model:
        model.extra_fits = {"PRIMARY": [("OBSERVER", "Webb", "who looked")]}
        b = model.save(tmp_path / "b.fits")
    result = run("diff", "--json", *STAMPED, a, b)
    assert result.code == 1
    assert json.loads(result.stdout)["meta"] == [
        {"path": "extra_fits.PRIMARY.OBSERVER", "a": "Hubble", "b": "Webb"}
    ]
    assert run("diff", *STAMPED, "-i", "extra_fits.*", a, b).code == 0


def test_unreadable_file_is_named(run: Run, image_fits: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope.asdf"
    result = run("diff", image_fits, missing)
    assert result.code == 2
    assert result.stderr.strip() == f"jwstmodels: {missing}: no such file"
    assert result.stdout == ""


def test_items_of_list_fields_are_compared() -> None:
    assert compare_models(slits_model(1.0, 2.0), slits_model(1.0, 2.0))["identical"] is True
    changed = slits_model(1.0, 2.5)
    changed.slits[0].meta.exposure.nframes = 3
    result = compare_models(slits_model(1.0, 2.0), changed)
    assert result["meta"] == [{"path": "slits[0].meta.exposure.nframes", "a": "(absent)", "b": 3}]
    (data,) = result["arrays"]
    assert data["name"] == "slits[1].data" and data["max_abs_difference"] == 0.5
    fewer = compare_models(slits_model(1.0, 2.0), slits_model(1.0))
    assert [r["difference"] for r in fewer["arrays"]] == ["2 vs 1 entries"]
