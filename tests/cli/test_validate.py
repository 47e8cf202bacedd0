"""``jwstmodels validate``: exit 0 all valid, 1 otherwise, 2 for unreadable files; problems name the place."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import warnings
from pathlib import Path

import asdf
import numpy as np

import jwstmodels
from jwstmodels.cli.validate import problems_of
from tests.cli.conftest import BIN, Run, make_image, slits_model


def test_valid_files_exit_0(run: Run, image_fits: Path, image_asdf: Path, ramp_fits: Path) -> None:
    result = run("validate", image_fits, image_asdf, ramp_fits)
    assert result.code == 0, result.stdout + result.stderr
    assert f"{image_fits}: valid (ImageModel)" in result.stdout
    assert f"{ramp_fits}: valid (RampModel)" in result.stdout
    assert "3 files: 3 valid, 0 invalid, 0 unreadable" in result.stdout


def test_every_problem_names_file_path_keyword_expected_and_found(run: Run, invalid_fits: Path) -> None:
    result = run("validate", invalid_fits)
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{invalid_fits}: invalid (ImageModel, 2 problems)"
    nframes = next(line for line in lines if "nframes" in line)
    assert nframes.strip() == (
        f"{invalid_fits}: meta.exposure.nframes (FITS NFRAMES in PRIMARY): expected int or None, found 'lots'"
    )
    instrument = next(line for line in lines if "INSTRUME" in line)
    assert str(invalid_fits) in instrument and "meta.instrument.name" in instrument
    assert "'NIRCAM'" in instrument and "found 'HUBBLE'" in instrument
    assert result.stderr == ""  # the reading warnings are not repeated: the problems say it all


def test_one_invalid_file_among_valid_ones_exits_1(run: Run, image_fits: Path, invalid_fits: Path) -> None:
    result = run("validate", image_fits, invalid_fits)
    assert result.code == 1
    assert "2 files: 1 valid, 1 invalid, 0 unreadable" in result.stdout


def test_unreadable_file_exits_2_and_the_others_are_still_checked(
    run: Run, invalid_fits: Path, bad_inputs: dict[str, tuple[Path, str]]
) -> None:
    text, _ = bad_inputs["text"]
    result = run("validate", text, invalid_fits)
    assert result.code == 2
    assert result.stderr.splitlines()[0].startswith(f"jwstmodels: {text}: neither a FITS nor an ASDF file")
    assert "found 'lots'" in result.stdout
    assert "2 files: 0 valid, 1 invalid, 1 unreadable" in result.stdout


def test_array_of_the_wrong_shape_in_the_file_is_a_problem(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "cube_as_image.asdf"
    tree = {"meta": {"model_type": "ImageModel"}, "data": np.zeros((2, 3, 4), np.float64)}
    asdf.AsdfFile(tree).write_to(path)
    result = run("validate", path)
    assert result.code == 1
    problem = next(line for line in result.stdout.splitlines() if "data" in line and "expected" in line)
    assert f"{path}: data: expected 2-D float32 array" in problem
    assert "FITS" not in problem  # an ASDF node, not an HDU (issue 18)
    assert "3-D float64 array of shape (2, 3, 4)" in problem


def test_json_lists_every_problem_as_data(
    run: Run, image_fits: Path, invalid_fits: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.asdf"
    result = run("validate", "--json", image_fits, invalid_fits, missing)
    assert result.code == 2
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["unreadable"] == [{"file": str(missing), "problem": "no such file"}]
    good, bad = report["files"]
    assert good == {"file": str(image_fits), "model": "ImageModel", "valid": True, "problems": []}
    assert bad["valid"] is False
    nframes = next(p for p in bad["problems"] if p["path"] == "meta.exposure.nframes")
    assert nframes["file"] == str(invalid_fits)
    assert (nframes["keyword"], nframes["hdu"], nframes["expected"], nframes["found"]) == (
        "NFRAMES",
        "PRIMARY",
        "int or None",
        "lots",
    )


def test_quiet_prints_only_problems(run: Run, image_fits: Path, invalid_fits: Path) -> None:
    result = run("validate", "-q", image_fits, invalid_fits)
    assert result.code == 1
    assert "valid (ImageModel)" not in result.stdout
    assert "files:" not in result.stdout
    assert "found 'lots'" in result.stdout


def test_no_progress_bar_when_not_on_a_terminal(run: Run, tmp_path: Path) -> None:
    files = [make_image(tmp_path / f"f{i}.fits") for i in range(5)]
    result = run("validate", *files)
    assert result.code == 0
    assert "validating" not in result.stdout + result.stderr
    assert "\x1b[" not in result.stdout + result.stderr


def _run_in_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run a command with a pseudo-terminal as stdin/stdout/stderr and return (exit status, screen bytes)."""
    import fcntl
    import termios

    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "TTY_COMPATIBLE")}
    env["TERM"] = "xterm-256color"
    process = subprocess.Popen(args, stdin=follower, stdout=follower, stderr=follower, cwd=cwd, env=env)
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the command closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return process.wait(timeout=120), b"".join(chunks).decode("utf-8", errors="replace")


def test_progress_bar_and_colour_on_a_terminal(tmp_path: Path) -> None:
    files = [str(make_image(tmp_path / f"f{i}.fits")) for i in range(5)]
    code, screen = _run_in_terminal([str(BIN / "jwstmodels"), "validate", *files], tmp_path)
    assert code == 0, screen
    assert "validating" in screen  # the rich progress bar
    assert "/5" in screen  # files done out of 5
    assert "\x1b[32m" in screen  # "valid" in green
    assert "5 files: 5 valid, 0 invalid, 0 unreadable" in screen


def test_items_of_list_fields_are_validated(invalid_fits: Path) -> None:
    assert problems_of("multi.fits", slits_model(1.0, 2.0)) == []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jwstmodels.InvalidValueWarning)
        item = jwstmodels.open(invalid_fits, pass_invalid_values=True)
    with item:
        model = slits_model(1.0)
        model.slits = [model.slits[0], item]
        paths = [(p["file"], p["path"], p["keyword"]) for p in problems_of("multi.fits", model)]
    assert ("multi.fits", "slits[1].meta.exposure.nframes", "NFRAMES") in paths
    assert all(path.startswith("slits[1].") for _, path, _ in paths)
