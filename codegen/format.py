"""Stage 5: format the generated files with the pinned ruff and the repository's ruff configuration."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

#: The repository's pyproject.toml (line length, isort sections).
CONFIG = Path(__file__).resolve().parent.parent / "pyproject.toml"


class FormatError(Exception):
    """ruff failed on the generated code (a generator bug: the output is not valid Python)."""


def ruff_command() -> list[str]:
    """The ruff installed beside the running interpreter, else ``python -m ruff``."""
    beside = Path(sys.executable).parent / "ruff"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("ruff")
    if found is not None and not Path(sys.executable).parent.joinpath("python").exists():
        return [found]
    return [sys.executable, "-m", "ruff"]


def format_dir(folder: Path) -> None:
    """Sort imports (and ``__all__``) and format every Python file in ``folder``, in place."""
    base = [*ruff_command()]
    config = ["--config", str(CONFIG)] if CONFIG.exists() else []
    steps = [
        [*base, "check", "--fix", "--select", "I,RUF022", "--no-cache", "--quiet", *config, "."],
        [*base, "format", "--no-cache", "--quiet", *config, "."],
        # the templates add a file-level E501 exemption to each file (and F405 to the package __init__, whose
        # __all__ names come from a star import for type checkers); drop an exemption where nothing needs it
        [
            *base,
            "check",
            "--fix",
            "--select",
            "E501,F401,F403,F405,RUF100",
            "--no-cache",
            "--quiet",
            *config,
            ".",
        ],
    ]
    for command in steps:
        result = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            detail = (result.stdout + result.stderr).strip()
            raise FormatError(f"ruff failed on the generated code ({' '.join(command[1:3])}): {detail}")
