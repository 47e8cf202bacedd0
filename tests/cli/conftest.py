"""Fixtures of the command-line tests: a runner that invokes ``jwstmodels`` as a user would, and sample files.

Most tests use typer's CliRunner (the command runs in-process, output and exit status are captured); the
tests in ``test_entry_points.py`` start the real console script and ``python -m jwstmodels`` in a subprocess.
Output is never a terminal here, so there is no colour; NO_COLOR and a fixed width make it stable.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits
from typer.testing import CliRunner

import jwstmodels
from jwstmodels.cli import app
from jwstmodels_generated.meta import Meta

ENV = {"NO_COLOR": "1", "COLUMNS": "200", "TERM": "dumb"}
BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Outcome:
    """What a user sees: exit status, standard output and standard error."""

    code: int
    stdout: str
    stderr: str


Run = Callable[..., Outcome]


@pytest.fixture
def run() -> Run:
    """``run("info", "a.fits")``: invoke the ``jwstmodels`` command in-process."""
    runner = CliRunner()

    def invoke(*args: str | Path) -> Outcome:
        result = runner.invoke(app, [str(a) for a in args], env=ENV, catch_exceptions=False)
        return Outcome(result.exit_code, result.stdout, result.stderr)

    return invoke


BOX_DRAWING = re.compile("[\u2500-\u257f]")
"""Box-drawing characters (U+2500-U+257F): rich tables use them; output that is not a terminal must not."""


def rows(stdout: str, first: str) -> list[list[str]]:
    """The rows of the plain tables in ``stdout`` whose first cell is ``first``, split into cells.

    Plain tables align their columns with two or more spaces and never end a line with a blank.
    """
    found: list[list[str]] = []
    for line in stdout.splitlines():
        assert line == line.rstrip(), f"trailing blank in {line!r}"
        assert not BOX_DRAWING.search(line), f"box drawing in {line!r}"
        cells = re.split(r" {2,}", line)
        if cells[0] == first:
            found.append(cells)
    return found


def row(stdout: str, first: str) -> list[str]:
    """The one plain table row whose first cell is ``first``."""
    (found,) = rows(stdout, first)
    return found


def run_process(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> Outcome:
    """Run a real process (``BIN / "jwstmodels"`` or ``sys.executable -m jwstmodels``) as a shell would."""
    environment = {**os.environ, **ENV, **(env or {})}
    result = subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=120,
        check=False,
    )
    return Outcome(result.returncode, result.stdout, result.stderr)


def make_image(path: Path, *, nframes: int = 4, data: np.ndarray | None = None) -> Path:
    """An ImageModel file (FITS or ASDF by suffix) with a few metadata values and a 3x4 data array."""
    model = jwstmodels.ImageModel(np.arange(12, dtype=np.float32).reshape(3, 4) if data is None else data)
    model.meta.instrument.name = "NIRCAM"
    model.meta.exposure.nframes = nframes
    model.meta.exposure.ngroups = 5
    model.meta.observation.program_number = "01234"
    model.dq = np.zeros(model.data.shape, dtype=np.uint32)
    model.dq[0, 0] = 1
    model.extra_fits = {"PRIMARY": [("OBSERVER", "Hubble", "who looked")]}
    return model.save(path)


def make_ramp(path: Path) -> Path:
    """A RampModel file with a 3-row group table."""
    model = jwstmodels.RampModel((2, 3, 4, 5))
    table = np.zeros(3, dtype=jwstmodels.RampModel.group.dtype)
    table["integration_number"] = [1, 1, 2]
    table["group_end_time"] = [b"2024-01-01T00:00:00.000", b"2024-01-01T00:00:01.000", b"x"]
    table["bary_end_time"] = [1.5, 2.5, 3.5]
    model.group = table
    model.data[:] = 1.0
    return model.save(path)


def make_invalid_fits(path: Path) -> Path:
    """A FITS file written by astropy whose NFRAMES and INSTRUME do not fit the schema."""
    primary = fits.PrimaryHDU()
    primary.header["DATAMODL"] = "ImageModel"
    primary.header["NFRAMES"] = "lots"
    primary.header["INSTRUME"] = "HUBBLE"
    primary.header["NGROUPS"] = 4
    fits.HDUList([primary, fits.ImageHDU(np.zeros((2, 2), np.float32), name="SCI")]).writeto(path)
    return path


class SlitsModel(jwstmodels.DataModel[Meta]):
    """A multi-model made for these tests: the catalogue's multi-models hold item models the same way."""

    meta_class = Meta
    slits = jwstmodels.ListField(jwstmodels.ImageModel, title="Slits")


def slits_model(*values: float) -> SlitsModel:
    model = SlitsModel()
    model.slits = [jwstmodels.ImageModel(np.full((2, 2), v, np.float32)) for v in values]
    return model


@pytest.fixture
def image_fits(tmp_path: Path) -> Path:
    return make_image(tmp_path / "image_cal.fits")


@pytest.fixture
def image_asdf(tmp_path: Path) -> Path:
    return make_image(tmp_path / "image_cal.asdf")


@pytest.fixture
def ramp_fits(tmp_path: Path) -> Path:
    return make_ramp(tmp_path / "ramp.fits")


@pytest.fixture
def invalid_fits(tmp_path: Path) -> Path:
    return make_invalid_fits(tmp_path / "invalid.fits")


@pytest.fixture
def bad_inputs(tmp_path: Path, image_fits: Path) -> dict[str, tuple[Path, str]]:
    """Files no command can work on, each with the problem its one-line message must name."""
    folder = tmp_path / "bad"
    folder.mkdir()
    text = folder / "notes.txt"
    text.write_text("hello, not FITS")
    truncated = folder / "cut.fits"
    truncated.write_bytes(image_fits.read_bytes()[:4000])
    foreign_asdf = folder / "foreign.asdf"
    import asdf

    asdf.AsdfFile({"instrument_log": [1, 2, 3]}).write_to(foreign_asdf)
    return {
        "missing": (folder / "missing.fits", "no such file"),
        "directory": (folder, "is a directory"),
        "text": (text, "neither a FITS nor an ASDF file"),
        "truncated": (truncated, "not a readable FITS file"),
        "foreign-asdf": (foreign_asdf, "not a JWST data model file"),
    }
