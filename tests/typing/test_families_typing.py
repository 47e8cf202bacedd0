"""pyright (strict) and mypy (strict) accept check_families.py, whose mistakes() lines they must each report;
with those lines' markers removed both checkers fail on exactly those lines (the negative control)."""

import re
import sys
from pathlib import Path

# pyright: reportPrivateUsage=false
# (the runners of test_typecheckers, shared rather than copied)
from tests.typing.test_typecheckers import _mypy, _pyright, _run, _shown

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
