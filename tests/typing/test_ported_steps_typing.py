"""Ported pipeline functions type-check under pyright basic without data-model false positives (issue 16).

``ported_steps.py`` holds functions of jwst 3.0 with their bodies unchanged and their docstring types
as annotations (jwstmodels classes and families). pyright in basic mode may report only the lines listed in
``OPTIONAL_ARRAYS``: an array the model may not hold (None, as in the reference) that jwst's code uses
without a check pyright can follow; no unknown attribute, dtype, value type or return type. The negative
control puts three data-model mistakes into a copy (a misspelt array, a misspelt metadata field, a value of
the wrong type) and requires pyright basic to report exactly those lines, so the check is live.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).absolute().parents[2]
BIN = Path(sys.executable).parent
SCRIPT = REPO / "tests" / "compat" / "ported_steps.py"

MISTAKES = {
    '        output.groupdq[:, -1, :, :] |= dqflags.group["DO_NOT_USE"]': (
        '        output.groupdqs[:, -1, :, :] |= dqflags.group["DO_NOT_USE"]'
    ),
    '        output.meta.cal_step.lastframe = "COMPLETE"': (
        '        output.meta.cal_step.last_frame = "COMPLETE"'
    ),
    "    output_model.meta.exposure.gain_factor = gain_factor": (
        '    output_model.meta.exposure.gain_factor = "gain_factor"'
    ),
}
"""Line of ported_steps.py -> the same line with a mistake pyright basic must report."""


def _basic_config(folder: Path) -> Path:
    """A pyright configuration in basic mode over this checkout and the running environment."""
    config = folder / "pyrightconfig.json"
    config.write_text(
        json.dumps(
            {
                "typeCheckingMode": "basic",
                "pythonVersion": "3.11",
                "extraPaths": [str(REPO / "src"), str(REPO / "generated")],
            }
        ),
        encoding="utf-8",
    )
    return config


def _pyright_basic(path: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYRIGHT_PYTHON_IGNORE_WARNINGS": "1", "NO_COLOR": "1"}
    command = [str(BIN / "pyright"), "-p", str(_basic_config(folder)), "--pythonpath", sys.executable]
    return subprocess.run(
        [*command, "--outputjson", str(path)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _diagnostics(result: subprocess.CompletedProcess[str]) -> list[tuple[int, str, str]]:
    report = json.loads(result.stdout)
    assert report["summary"]["filesAnalyzed"] == 1, result.stdout
    return [
        (d["range"]["start"]["line"] + 1, d.get("rule", ""), d["message"].splitlines()[0])
        for d in report["generalDiagnostics"]
    ]


_ERR = "ImageModel.err: the reference makes none with the model; gain_scale assumes a rate product has one"
_CHECKED = "checked as (x is not None and np.size(x)) > 0, which pyright cannot narrow through"
_ZEROFRAME = "zeroframe: held only when the exposure has one; jwst tests meta.exposure.zero_frame instead"

OPTIONAL_ARRAYS: dict[str, str] = {
    "output_model.err *= gain_factor": _ERR,
    "output_model.var_poisson *= gain_factor**2": _CHECKED,
    "output_model.var_rnoise *= gain_factor**2": _CHECKED,
    "output.zeroframe -= bias_data[:, 0, :, :]": _ZEROFRAME,
    "output.zeroframe -= bias_data": _ZEROFRAME,
    "output.zeroframe[wh_zero] = 0.0  # Zero values indicate unusable data": _ZEROFRAME,
}
"""Source line of ported_steps.py -> why pyright basic reports it. Only arrays a model may not hold (the
reference leaves them None too) may be reported, where jwst's code uses them without a None check: true
reports of an assumption the code makes, not false positives. Anything else (an unknown attribute, a wrong
dtype or value type, a method's return type) fails the test."""

OPTIONAL_RULES = {"reportOptionalSubscript", "reportOptionalMemberAccess", "reportOptionalOperand"}
"""pyright's rules for a value that may be None (and reportOperatorIssue naming None: ``x *= 2``)."""


def test_ported_functions_have_no_false_positives_in_basic_mode(tmp_path: Path) -> None:
    lines = SCRIPT.read_text(encoding="utf-8").splitlines()
    found = _diagnostics(_pyright_basic(SCRIPT, tmp_path))
    reported = {lines[number - 1].strip() for number, _, _ in found}
    assert reported == set(OPTIONAL_ARRAYS), found
    for _, rule, message in found:
        may_be_none = rule == "reportOperatorIssue" and "None" in message
        assert rule in OPTIONAL_RULES or may_be_none, (rule, message)


def test_the_ported_functions_run(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-W", "error", str(SCRIPT)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO / "generated")])},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_data_model_mistakes_are_reported_in_basic_mode(tmp_path: Path) -> None:
    lines = SCRIPT.read_text(encoding="utf-8").splitlines()
    wrong: set[int] = set()
    for number, line in enumerate(lines, 1):
        if line in MISTAKES:
            lines[number - 1] = MISTAKES[line]
            wrong.add(number)
    assert len(wrong) == len(MISTAKES), "a line named in MISTAKES is no longer in ported_steps.py"
    copy = tmp_path / "ported" / SCRIPT.name
    copy.parent.mkdir()
    copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = [
        (number, rule, message)
        for number, rule, message in _diagnostics(_pyright_basic(copy, tmp_path))
        if lines[number - 1].strip() not in OPTIONAL_ARRAYS
    ]
    assert {number for number, _, _ in found} == wrong, found
    assert all(rule in ("reportAttributeAccessIssue", "reportAssignmentType") for _, rule, _ in found), found
    assert re.search(r"groupdqs", " ".join(message for _, _, message in found)), found
