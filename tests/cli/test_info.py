"""``jwstmodels info``: what a file holds, for FITS and ASDF, as tables or JSON; bad input in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from astropy.io import fits

from tests.cli.conftest import Run, make_image, row, rows


def test_info_shows_class_arrays_and_main_metadata_for_fits_and_asdf(
    run: Run, image_fits: Path, image_asdf: Path
) -> None:
    result = run("info", image_fits, image_asdf)
    assert result.code == 0, result.stderr
    assert f"{image_fits}: ImageModel (FITS)" in result.stdout
    assert f"{image_asdf}: ImageModel (ASDF)" in result.stdout
    data_rows = rows(result.stdout, "data")
    assert len(data_rows) == 2
    assert all(cells[1:4] == ["SCI", "3 x 4", "float32"] for cells in data_rows)
    dq_rows = rows(result.stdout, "dq")
    assert len(dq_rows) == 2 and all(cells[1:4] == ["DQ", "3 x 4", "uint32"] for cells in dq_rows)
    for expected in ("meta.instrument.name", "INSTRUME", "'NIRCAM'", "meta.exposure.nframes", "NFRAMES"):
        assert expected in result.stdout
    assert "FITS cards the schema does not name, kept in extra_fits: PRIMARY 1" in result.stdout
    assert "\x1b[" not in result.stdout  # no colour when not on a terminal
    assert result.stderr == ""


def test_info_hides_secondary_metadata_unless_all(run: Run, image_fits: Path) -> None:
    short = run("info", image_fits)
    assert "meta.filename" not in short.stdout  # set on save, not among the main values
    assert "more metadata value" in short.stdout
    full = run("info", "--all", image_fits)
    assert full.code == 0
    assert "meta.filename" in full.stdout and "FILENAME" in full.stdout
    assert "'image_cal.fits'" in full.stdout
    assert "more metadata value" not in full.stdout


def test_info_lists_tables_with_rows_and_columns(run: Run, ramp_fits: Path) -> None:
    result = run("info", ramp_fits)
    assert result.code == 0, result.stderr
    assert "RampModel (FITS)" in result.stdout
    assert row(result.stdout, "group")[:3] == ["group", "GROUP", "3"]
    assert "integration_number (int32)" in result.stdout
    assert "group_end_time (U26)" in result.stdout


def test_info_json_is_data(run: Run, image_fits: Path, ramp_fits: Path) -> None:
    result = run("info", "--json", image_fits, ramp_fits)
    assert result.code == 0, result.stderr
    image, ramp = json.loads(result.stdout)
    assert image["model"] == "ImageModel" and image["format"] == "FITS"
    data = next(a for a in image["arrays"] if a["name"] == "data")
    assert data == {"name": "data", "hdu": "SCI", "shape": [3, 4], "dtype": "float32", "title": data["title"]}
    assert image["meta"]["meta.exposure.nframes"] == 4
    assert image["meta"]["meta.observation.program_number"] == "01234"
    assert image["meta"]["meta.filename"] == "image_cal.fits"  # JSON has every value, not just the main ones
    assert image["keywords"]["meta.exposure.nframes"] == "NFRAMES"
    assert image["extra_fits"] == {"PRIMARY": 1}
    (group,) = ramp["tables"]
    assert group["name"] == "group" and group["hdu"] == "GROUP" and group["rows"] == 3
    assert {"name": "integration_number", "dtype": "int32"} in group["columns"]


def test_info_shows_invalid_values_as_found_with_a_warning(run: Run, invalid_fits: Path) -> None:
    result = run("info", invalid_fits)
    assert result.code == 0
    assert "'lots'" in result.stdout
    warning = next(line for line in result.stderr.splitlines() if "NFRAMES" in line)
    assert warning.startswith("warning: ") and str(invalid_fits) in warning
    assert "Pydantic" not in result.stderr


@pytest.mark.parametrize("kind", ["missing", "directory", "text", "truncated", "foreign-asdf"])
def test_bad_input_is_one_line_and_exit_status_2(
    run: Run, bad_inputs: dict[str, tuple[Path, str]], kind: str
) -> None:
    path, problem = bad_inputs[kind]
    result = run("info", path)
    assert result.code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"jwstmodels: {path}: ")
    assert problem in lines[0]
    assert "Traceback" not in result.stderr


def test_good_files_are_still_shown_when_one_is_bad(
    run: Run, image_fits: Path, bad_inputs: dict[str, tuple[Path, str]]
) -> None:
    missing, _ = bad_inputs["missing"]
    result = run("info", missing, image_fits)
    assert result.code == 2
    assert f"{image_fits}: ImageModel (FITS)" in result.stdout
    assert result.stderr.strip() == f"jwstmodels: {missing}: no such file"


def test_info_names_the_fallback_class_of_an_unknown_model_type(run: Run, tmp_path: Path) -> None:
    path = make_image(tmp_path / "widget.fits")
    with fits.open(path, mode="update") as hdul:
        hdul[0].header["DATAMODL"] = "WidgetModel"
    result = run("info", path)
    assert result.code == 0
    assert "model type WidgetModel is not in the catalogue; read as ImageModel" in result.stderr
