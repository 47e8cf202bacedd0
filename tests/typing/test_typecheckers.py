"""The typing contract: pyright (strict) and mypy (strict) accept ``check_usage.py``, and it runs.

``check_usage.py`` asserts inferred types and marks each expected mistake with both checkers' error codes;
unnecessary ignores are errors in both checkers, so the file passes only when every assertion holds and every
mistake is reported with exactly its code. The negative controls fix every mistake in a copy of the file and
require both checkers to fail on exactly those lines, which proves the markers are live (a checker that
silently ignored them, or a configuration that lost ``enableTypeIgnoreComments = false`` /
``warn_unused_ignores``, would let the contract rot unnoticed).
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

REPO = Path(__file__).absolute().parents[2]
PYPROJECT = REPO / "pyproject.toml"
SCRIPT = REPO / "tests" / "typing" / "check_usage.py"
BIN = Path(sys.executable).parent  # the tools of the environment running the tests (not resolved: a venv)

MARKER = re.compile(r"  # type: ignore\[[a-z-]+(, [a-z-]+)*\]  # pyright: ignore\[\w+(, \w+)*\]$")
"""Both checkers' markers ending a line: every such line of check_usage.py is an expected mistake."""

FIXES = {
    "m.meta.exposre  #": "m.meta.exposure  #",
    'm.meta.exposure.nframes = "four"  #': "m.meta.exposure.nframes = 4  #",
    'm.meta.instrument.name = "JWST"  #': 'm.meta.instrument.name = "MIRI"  #',
    "m.dat  #": "m.data  #",
    "m.meta.exposure.nframs = 3  #": "m.meta.exposure.nframes = 3  #",
    "m.dat = np.zeros((2, 2))  #": "m.data = np.zeros((2, 2))  #",
    's.xstart = "a"  #': "s.xstart = 4  #",
    's.source_type = "DIFFUSE"  #': 's.source_type = "POINT"  #',
    "m.meta.history.append(5)  #": 'm.meta.history.append(HistoryEntry(description="f"))  #',
    'HistoryEntry(descripton="flat-fielded")  #': 'HistoryEntry(description="flat-fielded")  #',
    "m.meta.exposure.read_times = [0.0, 10.7]  #": "m.meta.exposure.read_times = [[0.0, 10.7]]  #",
    "x1dints.spec.append(ImageModel())  #": "x1dints.spec.append(TSOSpecModel())  #",
    'u.meta.exposure.ngroups = "ten"  #': "u.meta.exposure.ngroups = 10  #",
    "m.dq[0, 0] = 1  #": "m.data[0, 0] = 1  #",
    "print(r.zeroframe.shape)  #": "print(r.groupdq.shape)  #",
    's.spec_table.field("flux")  #': 's.spec_table.field("flux") if s.spec_table is not None else None  #',
    't.columns["flux"].unit = 3  #': 't.columns["flux"].unit = "Jy"  #',
    "tilt_unit(d.meta)  #": "tilt_unit(d.gwa_tiltx)  #",
}
"""For each expected mistake in check_usage.py: its text and the corrected text (the markers stay)."""


def _tool(name: str) -> str:
    path = BIN / name
    assert path.is_file(), f"{name} is not installed next to {sys.executable} (pip install -e '.[dev]')"
    return str(path)


def _run(args: list[str], cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYRIGHT_PYTHON_IGNORE_WARNINGS": "1", "NO_COLOR": "1"}
    env.pop("MYPYPATH", None)
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


def _shown(result: subprocess.CompletedProcess[str]) -> str:
    command = " ".join(map(str, result.args))
    return (
        f"$ {command}\nexit code {result.returncode}\n"
        f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )


def _pyright(path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return _run([_tool("pyright"), "-p", str(PYPROJECT), *options, str(path)])


def _mypy(path: Path) -> subprocess.CompletedProcess[str]:
    return _run(
        [
            _tool("mypy"),
            "--config-file",
            str(PYPROJECT),
            "--python-executable",
            sys.executable,
            "--no-error-summary",
            "--hide-error-context",
            "--no-pretty",
            str(path),
        ]
    )


def _fixed_copy(tmp_path: Path) -> tuple[Path, set[int]]:
    """check_usage.py with every expected mistake corrected, and the (1-based) numbers of those lines."""
    lines = SCRIPT.read_text(encoding="utf-8").splitlines(keepends=True)
    marked = {number for number, line in enumerate(lines, 1) if MARKER.search(line.rstrip("\n"))}
    fixed: set[int] = set()
    for mistake, correction in FIXES.items():
        hits = [number for number, line in enumerate(lines, 1) if mistake in line]
        assert len(hits) == 1, f"{mistake!r} should occur on exactly one line of {SCRIPT.name}, found {hits}"
        number = hits[0]
        assert number in marked, f"line {number} ({mistake!r}) lacks the markers of both checkers"
        lines[number - 1] = lines[number - 1].replace(mistake, correction)
        fixed.add(number)
    assert fixed == marked, (
        f"lines {sorted(marked - fixed)} of {SCRIPT.name} are marked as mistakes but FIXES has no correction "
        "for them; add one so the negative control covers every marker"
    )
    copy = tmp_path / SCRIPT.name
    copy.write_text("".join(lines), encoding="utf-8")
    return copy, fixed


def test_pyright_strict_accepts_check_usage() -> None:
    result = _pyright(SCRIPT)
    assert result.returncode == 0, _shown(result)


def test_mypy_strict_accepts_check_usage() -> None:
    result = _mypy(SCRIPT)
    assert result.returncode == 0, _shown(result)


def test_check_usage_runs_under_python(tmp_path: Path) -> None:
    result = _run([sys.executable, "-W", "error", str(SCRIPT)], cwd=tmp_path)
    assert result.returncode == 0, _shown(result)


def test_pyright_fails_when_an_expected_error_disappears(tmp_path: Path) -> None:
    copy, fixed = _fixed_copy(tmp_path)
    result = _pyright(copy, "--outputjson")
    assert result.returncode != 0, "pyright accepted stale ignore markers\n" + _shown(result)
    report = cast(dict[str, Any], json.loads(result.stdout))
    diagnostics = cast(list[dict[str, Any]], report["generalDiagnostics"])
    errors = [d for d in diagnostics if d["severity"] == "error"]
    found = {(int(d["range"]["start"]["line"]) + 1, str(d.get("rule"))) for d in errors}
    unexpected = {(line, rule) for line, rule in found if rule != "reportUnnecessaryTypeIgnoreComment"}
    assert not unexpected, f"errors other than unnecessary ignores: {sorted(unexpected)}\n" + _shown(result)
    assert {line for line, _ in found} == fixed, _shown(result)


def test_mypy_fails_when_an_expected_error_disappears(tmp_path: Path) -> None:
    copy, fixed = _fixed_copy(tmp_path)
    result = _mypy(copy)
    assert result.returncode != 0, "mypy accepted stale ignore markers\n" + _shown(result)
    errors = re.findall(r"^.*?:(\d+): error: (.*)$", result.stdout, flags=re.MULTILINE)
    unused = {int(line) for line, message in errors if message.endswith("[unused-ignore]")}
    others = [(line, message) for line, message in errors if not message.endswith("[unused-ignore]")]
    assert not others, f"errors other than unused ignores: {others}\n" + _shown(result)
    assert unused == fixed, _shown(result)


# -- check_common_meta.py: what open(), read_metadata() and containers return (issue 19) -----------------

COMMON = REPO / "tests" / "typing" / "check_common_meta.py"


def _unmarked_copy(tmp_path: Path) -> tuple[Path, set[int]]:
    """check_common_meta.py with both checkers' markers removed, and the numbers of the lines that had them:
    each such line reads a field only some files have, without narrowing, which must be an error."""
    lines = COMMON.read_text(encoding="utf-8").splitlines(keepends=True)
    marked = {number for number, line in enumerate(lines, 1) if MARKER.search(line.rstrip("\n"))}
    assert len(marked) == 3, f"expected the three mistakes of mistakes(), found markers on {sorted(marked)}"
    for number in marked:
        lines[number - 1] = MARKER.sub("", lines[number - 1].rstrip("\n")) + "\n"
    copy = tmp_path / COMMON.name
    copy.write_text("".join(lines), encoding="utf-8")
    return copy, marked


def test_common_fields_need_no_narrowing_in_pyright_and_mypy() -> None:
    for result in (_pyright(COMMON), _mypy(COMMON)):
        assert result.returncode == 0, _shown(result)


def test_check_common_meta_runs_under_python(tmp_path: Path) -> None:
    result = _run([sys.executable, "-W", "error", str(COMMON)], cwd=tmp_path)
    assert result.returncode == 0, _shown(result)


def test_science_only_fields_without_narrowing_are_errors(tmp_path: Path) -> None:
    copy, marked = _unmarked_copy(tmp_path)
    result = _pyright(copy, "--outputjson")
    report = cast(dict[str, Any], json.loads(result.stdout))
    diagnostics = cast(list[dict[str, Any]], report["generalDiagnostics"])
    found = {
        int(d["range"]["start"]["line"]) + 1
        for d in diagnostics
        if d["severity"] == "error" and d.get("rule") == "reportAttributeAccessIssue"
    }
    assert found == marked, _shown(result)
    result = _mypy(copy)
    errors = re.findall(r"^.*?:(\d+): error: .*\[attr-defined\]$", result.stdout, flags=re.MULTILINE)
    assert {int(line) for line in errors} == marked, _shown(result)


def test_pyright_refuses_a_non_transform_in_a_transform_field(tmp_path: Path) -> None:
    """The pyright half of the transform check in check_usage.py (mypy sees astropy untyped: no refusal)."""
    script = tmp_path / "transform_mistake.py"
    script.write_text(
        "from astropy.modeling import models\n\nfrom jwstmodels import DistortionModel\n\n"
        "d = DistortionModel()\nd.model = models.Shift(1.0)\nd.model = 3\n"
    )
    result = _pyright(script, "--outputjson")
    diagnostics = cast(list[dict[str, Any]], json.loads(result.stdout)["generalDiagnostics"])
    found = [(d["range"]["start"]["line"] + 1, d.get("rule")) for d in diagnostics]
    assert found == [(7, "reportAttributeAccessIssue")], _shown(result)


def test_pyright_refuses_a_wrong_member_of_an_object_outside_meta(tmp_path: Path) -> None:
    """A member of a tree object (``DisperserModel.gwa_tiltx``) is typed: a number for its unit, a misspelt
    member and a name in a float list are errors; the right values are not."""
    script = tmp_path / "member_mistake.py"
    script.write_text(
        "from jwstmodels import DisperserModel\n\n"
        "d = DisperserModel()\n"
        "d.gwa_tiltx.unit = 'deg'\n"
        "d.gwa_tiltx.zeroreadings = [0.5]\n"
        "d.gwa_tiltx.unit = 3\n"
        "d.gwa_tiltx.zeroreadings = ['x']\n"
        "d.gwa_tiltx.units = 'deg'\n"
    )
    result = _pyright(script, "--outputjson")
    diagnostics = cast(list[dict[str, Any]], json.loads(result.stdout)["generalDiagnostics"])
    lines = sorted({d["range"]["start"]["line"] + 1 for d in diagnostics})
    assert lines == [6, 7, 8], _shown(result)


def test_pyright_types_meta_wcs_as_the_gwcs_class(tmp_path: Path) -> None:
    """``meta.wcs`` reads as ``WCS | None`` (gwcs's class) and refuses anything else (the pyright half of
    world_coordinates in check_usage.py)."""
    script = tmp_path / "wcs_mistake.py"
    script.write_text(
        "from jwstmodels import ImageModel\n\n"
        "m = ImageModel()\nreveal_type(m.meta.wcs)\nm.meta.wcs = None\nm.meta.wcs = 3\n"
    )
    result = _pyright(script, "--outputjson")
    diagnostics = cast(list[dict[str, Any]], json.loads(result.stdout)["generalDiagnostics"])
    found = [
        (d["range"]["start"]["line"] + 1, d.get("rule")) for d in diagnostics if d["severity"] == "error"
    ]
    assert found == [(6, "reportAttributeAccessIssue")], _shown(result)
    revealed = [d["message"] for d in diagnostics if d["severity"] == "information"]
    assert revealed == ['Type of "m.meta.wcs" is "WCS | None"'], _shown(result)
