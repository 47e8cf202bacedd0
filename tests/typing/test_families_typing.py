"""pyright (strict) and mypy (strict) accept check_families.py, whose mistakes() lines they must each report;
with those lines' markers removed both checkers fail on exactly those lines (the negative control)."""

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).absolute().parents[2]
BIN = Path(sys.executable).parent


def _run(args: list[str], cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYRIGHT_PYTHON_IGNORE_WARNINGS": "1", "NO_COLOR": "1"}
    env.pop("MYPYPATH", None)
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


def _pyright(path: Path) -> subprocess.CompletedProcess[str]:
    return _run([str(BIN / "pyright"), "-p", str(REPO / "pyproject.toml"), str(path)])


def _mypy(path: Path) -> subprocess.CompletedProcess[str]:
    config = ["--config-file", str(REPO / "pyproject.toml"), "--python-executable", sys.executable]
    return _run([str(BIN / "mypy"), *config, "--no-error-summary", "--no-pretty", str(path)])


def _shown(result: subprocess.CompletedProcess[str]) -> str:
    return f"$ {' '.join(map(str, result.args))}\nexit {result.returncode}\n{result.stdout}\n{result.stderr}"


SCRIPT = Path(__file__).with_name("check_families.py")
MARKERS = re.compile(r"  # type: ignore\[[a-z-]+\]  # pyright: ignore\[\w+\]$")


def test_pyright_and_mypy_accept_the_family_helpers() -> None:
    for result in (_pyright(SCRIPT), _mypy(SCRIPT)):
        assert result.returncode == 0, _shown(result)


def test_the_family_helpers_run(tmp_path: Path) -> None:
    result = _run([sys.executable, "-W", "error", str(SCRIPT)], cwd=tmp_path)
    assert result.returncode == 0, _shown(result)


def test_models_outside_a_family_are_refused(tmp_path: Path) -> None:
    lines = SCRIPT.read_text(encoding="utf-8").splitlines()
    marked = {number for number, line in enumerate(lines, 1) if MARKERS.search(line)}
    assert len(marked) == 3
    copy = tmp_path / SCRIPT.name
    copy.write_text("\n".join(MARKERS.sub("", line) for line in lines) + "\n", encoding="utf-8")
    pyright = _pyright(copy)
    flagged = {int(n) for n in re.findall(r":(\d+):\d+ - error: Argument of type", pyright.stdout)}
    assert flagged == marked, _shown(pyright)
    mypy = _mypy(copy)
    flagged = {int(n) for n in re.findall(r":(\d+): error: .*\[arg-type\]$", mypy.stdout, flags=re.MULTILINE)}
    assert flagged == marked, _shown(mypy)
