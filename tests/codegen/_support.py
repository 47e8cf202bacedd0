"""Shared paths and helpers of the codegen tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from codegen.build import generate

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "schemas"
GOLDEN = HERE / "golden" / "fixture_generated"
PACKAGE = "fixture_generated"


def generate_fixture(out: Path) -> None:
    """Generate the fixture schema set into ``out`` (the golden files are this output)."""
    generate(FIXTURES, out)


def copy_fixtures(target: Path) -> Path:
    """A writable copy of the fixture schema folder (named ``schemas``)."""
    folder = target / "schemas"
    shutil.copytree(FIXTURES, folder)
    return folder
