"""The command on a real terminal: a pseudo-terminal, its output replayed on pyte's terminal emulator.

What a user sees is the emulator's screen after the command ended: tables are drawn there, text from files
is still shown as it is, and validate's progress bar never shares a line with a message and is gone at the
end.
"""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import termios
from dataclasses import dataclass
from pathlib import Path

import pyte

from tests.cli.conftest import BIN, BOX_DRAWING, make_image
from tests.cli.test_plain_text import PROPOSED, TARGET, tagged_image

SCRIPT = BIN / "jwstmodels"
COLUMNS, LINES = 150, 80


@dataclass(frozen=True)
class Screen:
    code: int
    raw: str
    lines: list[str]  # the emulator's screen, trailing blanks removed

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def on_terminal(*args: str | Path, cwd: Path) -> Screen:
    """Run ``jwstmodels ARGS`` with stdin, stdout and stderr on one pseudo-terminal of COLUMNS x LINES."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR")}
    env["TERM"] = "xterm-256color"
    process = subprocess.Popen(
        [str(SCRIPT), *(str(a) for a in args)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=cwd,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    chunks: list[bytes] = []
    try:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the command ended and closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        code = process.wait(timeout=120)
    finally:
        os.close(master)
    raw = b"".join(chunks)
    screen = pyte.Screen(COLUMNS, LINES)
    pyte.ByteStream(screen).feed(raw)
    lines = [line.rstrip() for line in screen.display]
    while lines and not lines[-1]:
        lines.pop()
    return Screen(code, raw.decode("utf-8", errors="replace"), lines)


def test_info_draws_tables_and_shows_values_verbatim(tmp_path: Path) -> None:
    path = tagged_image(tmp_path / "tagged.fits")
    shown = on_terminal("info", "--all", path, cwd=tmp_path)
    assert shown.code == 0, shown.text
    assert BOX_DRAWING.search(shown.text)  # a terminal gets rich tables
    catalog = next(line for line in shown.lines if "meta.target.catalog_name" in line)
    assert "TARGNAME" in catalog and repr(TARGET) in catalog
    proposer = next(line for line in shown.lines if "meta.target.proposer_name" in line)
    assert repr(PROPOSED) in proposer


def test_search_on_a_terminal_keeps_unit_tags(tmp_path: Path) -> None:
    shown = on_terminal("search", "frame_time", cwd=tmp_path)
    assert shown.code == 0, shown.text
    row = next(line for line in shown.lines if "meta.exposure.frame_time" in line)
    assert "│ [s] Interval" in row  # the title cell starts with its unit


def test_validate_clears_the_progress_bar_before_messages(tmp_path: Path) -> None:
    good = [make_image(tmp_path / f"good{i}.fits") for i in range(4)]
    bad = tmp_path / "notes.txt"
    bad.write_text("not a data file")
    files = [good[0], good[1], bad, good[2], good[3]]
    for quiet in ([], ["--quiet"]):
        shown = on_terminal("validate", *quiet, *files, cwd=tmp_path)
        assert shown.code == 2, shown.text
        assert "validating" in shown.raw  # the bar was drawn while the files were read
        assert not any("validating" in line for line in shown.lines), shown.text  # and is gone at the end
        message = f"jwstmodels: {bad}: neither a FITS nor an ASDF file"
        (line,) = [line for line in shown.lines if str(bad) in line and "unreadable" not in line]
        assert line.startswith(message), shown.text
        assert not BOX_DRAWING.search(line)
        if quiet:
            assert not any(": valid (" in line for line in shown.lines), shown.text
        else:
            valid = [line for line in shown.lines if line.endswith(": valid (ImageModel)")]
            assert valid == [f"{name}: valid (ImageModel)" for name in good], shown.text
            assert shown.lines[-1] == "5 files: 4 valid, 0 invalid, 1 unreadable"
