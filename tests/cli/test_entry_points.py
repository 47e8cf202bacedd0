"""The real command: the ``jwstmodels`` console script and ``python -m jwstmodels``, run as processes."""

from __future__ import annotations

import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.cli.conftest import BIN, BOX_DRAWING, run_process

COMMANDS = ("info", "validate", "search", "keyword", "convert", "diff", "generate")
SCRIPT = BIN / "jwstmodels"


@pytest.mark.parametrize(
    "launcher", [[str(SCRIPT)], [sys.executable, "-m", "jwstmodels"]], ids=["script", "m"]
)
def test_help_lists_every_command(launcher: list[str], tmp_path: Path) -> None:
    assert SCRIPT.exists(), "console script missing: uv pip install -e '.[dev]'"
    result = run_process(*launcher, "--help", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert "Usage: jwstmodels [OPTIONS] COMMAND" in result.stdout
    for command in COMMANDS:
        assert any(line.startswith(f"  {command}  ") for line in result.stdout.splitlines()), command
    assert not BOX_DRAWING.search(result.stdout)  # not a terminal: click's plain help
    assert all(line == line.rstrip() for line in result.stdout.splitlines())
    assert "Exit status 2: bad input" in result.stdout


def test_version(tmp_path: Path) -> None:
    result = run_process(SCRIPT, "--version", cwd=tmp_path)
    assert result.code == 0
    assert result.stdout.strip() == f"jwstmodels {version('jwstmodels')}"


def test_exit_statuses_of_a_real_process(image_fits: Path, invalid_fits: Path, tmp_path: Path) -> None:
    assert run_process(SCRIPT, "validate", image_fits, cwd=tmp_path).code == 0
    assert run_process(SCRIPT, "validate", invalid_fits, cwd=tmp_path).code == 1
    missing = run_process(SCRIPT, "validate", tmp_path / "gone.fits", cwd=tmp_path)
    assert missing.code == 2
    assert missing.stderr == f"jwstmodels: {tmp_path / 'gone.fits'}: no such file\n"
    unknown = run_process(SCRIPT, "frobnicate", cwd=tmp_path)
    assert unknown.code == 2 and "No such command" in unknown.stderr


def test_debug_shows_the_traceback_of_an_unreadable_file(image_fits: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.fits"
    cut.write_bytes(image_fits.read_bytes()[:4000])
    plain = run_process(SCRIPT, "info", cut, cwd=tmp_path)
    assert plain.code == 2
    assert plain.stderr.startswith(f"jwstmodels: {cut}: not a readable FITS file")
    assert len(plain.stderr.splitlines()) == 1
    debug = run_process(SCRIPT, "--debug", "info", cut, cwd=tmp_path)
    assert debug.code != 0
    assert "Traceback (most recent call last)" in debug.stderr
    assert "FileFormatError" in debug.stderr


def test_package_version_is_the_distribution_version() -> None:
    import jwstmodels

    assert jwstmodels.__version__ == version("jwstmodels")


HELP_IMPORTS = """
import contextlib, io, sys
import jwstmodels  # the package itself is not the command's to trim
before = set(sys.modules)
from jwstmodels.cli import main
sys.argv = ["jwstmodels", "--help"]
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main()
print(" ".join(sorted({name.split(".")[0] for name in set(sys.modules) - before})))
"""


def test_help_imports_neither_the_runtime_nor_rich(tmp_path: Path) -> None:
    """``--help`` loads typer and the command modules only: no model classes, no rich, astropy or asdf."""
    result = run_process(sys.executable, "-c", HELP_IMPORTS, cwd=tmp_path)
    assert result.code == 0, result.stderr
    loaded = set(result.stdout.split())
    assert "typer" in loaded
    heavy = {"rich", "numpy", "astropy", "asdf", "pydantic", "jwstmodels_generated"}
    assert not loaded & heavy, sorted(loaded & heavy)
