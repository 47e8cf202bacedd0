"""The README works outside the team: its tour runs as written, its paths exist in a clone, its make targets
exist, and it names the reference implementation."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import jwstmodels

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")

NOT_IN_A_CLONE = ("dist/", "docs/_build", ".venv", ".bench/", "~/", "/home/")
"""Paths the README names that exist only after a command ran, or on the reader's machine."""


def section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end >= 0 else None]


def python_blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", text, flags=re.M | re.S)


def test_tour_runs_as_written_in_an_empty_folder(tmp_path: Path) -> None:
    blocks = python_blocks(section("A short tour"))
    assert blocks, "the tour has no python block"
    script = tmp_path / "tour.py"
    script.write_text("\n".join(blocks), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-W", "error", str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ImageModel: meta.exposure.nframes (FITS NFRAMES in PRIMARY)")
    assert "4 (64, 64)" in lines
    assert lines[-3].startswith("2 [")  # the association's two members, in two exposure groups
    assert lines[-2:] == [
        "jw01234001001_01101_00001_nrca1_cal.fits (64, 64)",
        "jw01234001001_01102_00002_nrca1_cal.fits (64, 64)",
    ]
    assert (tmp_path / "jw01234-a3001_image3_asn.json").is_file()


def test_every_path_named_exists_in_a_clone() -> None:
    tokens = re.findall(r"`([A-Za-z0-9_.][\w./-]*/[\w./-]*)`", README)
    links = re.findall(r"\]\(([^)#:]+)\)", README)
    named = {t for t in [*tokens, *links] if not t.startswith(NOT_IN_A_CLONE) and "*" not in t}
    assert "docs/architecture.md" in named and "examples/demo.py" in named
    missing = sorted(p for p in named if not (REPO / p).exists())
    assert not missing, f"README names paths a clone does not have: {missing}"
    assert "../shared" not in README


def test_every_make_target_named_exists() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.M))
    named = set(re.findall(r"`make ([a-z][a-z-]*)`", README))
    named |= set(re.findall(r"^make ([a-z-]+)", README, flags=re.M))
    assert {"demo", "test", "docs", "install"} <= named
    assert named <= targets, sorted(named - targets)


def test_install_lines_reference_implementation_and_version() -> None:
    install = section("Install")
    for line in ("pip install .", "pip install '.[codegen]'", "pip install dist/jwstmodels-*.whl"):
        assert line in install
    assert "stdatamodels" in README and "JWST dialect" in README
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", jwstmodels.__version__)
