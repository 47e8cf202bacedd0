"""Rendering for the command line: rich consoles (colour only on a terminal), plain lines and JSON.

Data goes to standard output, problems and warnings to standard error. ``--json`` output is always strict
JSON (no NaN): values that JSON cannot hold are turned into numbers, strings or lists by :func:`jsonable`.
"""

from __future__ import annotations

import datetime
import json
import math
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from rich.console import Console

PIPE_WIDTH = 160
"""Width of tables written to a pipe or file when ``COLUMNS`` is not set (rich would use 80)."""


def console(*, stderr: bool = False) -> Console:
    """A console on stdout (or stderr): colour and progress only when it is a terminal; NO_COLOR honoured."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    is_terminal = stream.isatty()
    width = None if is_terminal or "COLUMNS" in os.environ else PIPE_WIDTH
    return Console(file=stream, stderr=stderr, highlight=False, width=width, soft_wrap=False)


def line(text: str, style: str = "", *, stderr: bool = False) -> None:
    """Print one line as it is (no markup, never wrapped), styled on a terminal."""
    from rich.text import Text

    console(stderr=stderr).print(Text(text, style=style), soft_wrap=True)


def problem(text: str) -> None:
    """One line on stderr, in red on a terminal."""
    line(text, "red", stderr=True)


def warning(text: str) -> None:
    """One ``warning:`` line on stderr, in yellow on a terminal."""
    line(f"warning: {text}", "yellow", stderr=True)


def jsonable(value: object) -> object:
    """``value`` as JSON data: numbers, strings, booleans, null, lists and objects (NaN becomes a string)."""
    import numpy as np

    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, np.generic):
        return jsonable(cast(object, value.item()))
    if isinstance(value, np.ndarray):
        return jsonable(cast(object, value.tolist()))
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in cast(Mapping[object, object], value).items()}
    if isinstance(value, Sequence | set | frozenset):
        return [jsonable(v) for v in cast(Sequence[object], value)]
    return str(value)


def print_json(data: object) -> None:
    """Write ``data`` as indented JSON to stdout."""
    sys.stdout.write(json.dumps(jsonable(data), indent=2, allow_nan=False) + "\n")


def shown(value: object) -> str:
    """A metadata value for a table cell: strings quoted as in Python so that ``'4'`` differs from ``4``."""
    if isinstance(value, str):
        return repr(value)
    return str(value)
