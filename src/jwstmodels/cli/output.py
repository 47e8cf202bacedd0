"""Rendering for the command line: tables, plain lines, a progress bar and JSON.

Data goes to standard output, problems and warnings to standard error. Text from files and schemas is never
read as markup: it reaches rich only inside ``Text`` objects, so ``[s]`` or ``[/red]`` print as they are.
On a terminal tables are drawn by rich and lines are coloured (``NO_COLOR`` is honoured); anywhere else
(a pipe, a file) tables are plain columns aligned with spaces, with no box drawing and no trailing blanks.
``--json`` output is always strict JSON (no NaN): values that JSON cannot hold are turned into numbers,
strings or lists by :func:`jsonable`.
"""

from __future__ import annotations

import datetime
import json
import math
import sys
from collections.abc import Callable, Generator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO, cast

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

_CONTROL = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\x0b": " ", "\x0c": " "})


def stream(*, stderr: bool = False) -> TextIO:
    return sys.stderr if stderr else sys.stdout


def is_terminal(*, stderr: bool = False) -> bool:
    """True when standard output (or error) is a terminal: tables are drawn, lines coloured."""
    isatty = getattr(stream(stderr=stderr), "isatty", None)
    return bool(isatty and isatty())


def console(*, stderr: bool = False) -> Console:
    """A rich console on stdout (or stderr) that reads no markup, emoji codes or highlighting in any text."""
    from rich.console import Console

    return Console(
        file=stream(stderr=stderr), stderr=stderr, markup=False, emoji=False, highlight=False, soft_wrap=False
    )


def _active_bar() -> _Bar | None:
    return _Bar.active


def line(text: str, style: str = "", *, stderr: bool = False) -> None:
    """Print one line as it is (no markup, never wrapped), styled on a terminal.

    A progress bar on the screen is cleared first and drawn again below the line.
    """
    bar = _active_bar()
    if bar is not None:
        with bar.paused():
            _write_line(text, style, stderr=stderr)
    else:
        _write_line(text, style, stderr=stderr)


def _write_line(text: str, style: str, *, stderr: bool) -> None:
    if not is_terminal(stderr=stderr):
        out = stream(stderr=stderr)
        out.write(text + "\n")
        out.flush()
        return
    from rich.text import Text

    console(stderr=stderr).print(Text(text, style=style), soft_wrap=True)


def problem(text: str) -> None:
    """One line on stderr, in red on a terminal."""
    line(text, "red", stderr=True)


def warning(text: str) -> None:
    """One ``warning:`` line on stderr, in yellow on a terminal."""
    line(f"warning: {text}", "yellow", stderr=True)


def plain_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """The lines of a table as plain text: the title, then columns padded with spaces to line up.

    Control characters in cells become spaces (one row stays one line); no line ends in a blank.
    """
    cells = [[str(c).translate(_CONTROL) for c in row] for row in [headers, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [title] if title else []
    for row in cells:
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return lines


def table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A table on stdout: drawn by rich on a terminal, :func:`plain_table` lines anywhere else."""
    if not is_terminal():
        for text in plain_table(title, headers, rows):
            line(text)
        return
    from rich.table import Table
    from rich.text import Text

    drawn = Table(title=Text(title) if title else None, title_justify="left")
    for header in headers:
        drawn.add_column(Text(header))
    for row in rows:
        drawn.add_row(*(Text(cell.translate(_CONTROL)) for cell in row))
    bar = _active_bar()
    if bar is not None:
        with bar.paused():
            console().print(drawn)
    else:
        console().print(drawn)


class _Bar:
    """A transient rich progress bar on stderr; :func:`line` and :func:`table` clear it while they write."""

    active: _Bar | None = None

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress = progress
        self.task = progress.add_task("", total=total)

    @contextmanager
    def paused(self) -> Generator[None]:
        """Clear the bar (the cursor is back at the start of a clean line), write, then draw it again."""
        self.progress.stop()
        try:
            yield
        finally:
            for out in (sys.stdout, sys.stderr):
                out.flush()
            self.progress.start()

    def step(self) -> None:
        self.progress.advance(self.task)
        self.progress.refresh()


@contextmanager
def progress(label: str, total: int, *, enabled: bool = True) -> Generator[Callable[[], None]]:
    """A step function for ``total`` steps; a progress bar on stderr when enabled and stderr is a terminal.

    The bar is transient: it is cleared before every line written through this module and when the block
    ends, so messages never share a line with it.
    """
    bar_console = console(stderr=True) if enabled and is_terminal(stderr=True) else None
    if bar_console is None or not bar_console.is_terminal:
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn(label, markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=bar_console,
        transient=True,
        auto_refresh=False,
        redirect_stdout=False,
        redirect_stderr=False,
    )
    with bar:
        _Bar.active = _Bar(bar, total)
        try:
            yield _Bar.active.step
        finally:
            _Bar.active = None


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
