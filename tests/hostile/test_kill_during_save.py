"""Saves killed mid-way (SIGKILL, no chance to clean up): the file saved over is the old or a new version,
complete, every time; no temporary file is left (Linux: the new contents have no name until the end); the
replaced file keeps its permission bits."""

from __future__ import annotations

import os
import random
import re
import signal
import stat
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits

import jwstmodels
from jwstmodels import ImageModel

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and O_TMPFILE: Linux")

KILLS = 25  # per format: 50 in all
SHAPE = (512, 512)


def _model(value: int) -> ImageModel:
    model = ImageModel(np.full(SHAPE, value, np.float32))
    model.meta.exposure.nframes = value
    return model


def _saver(target: Path, first: int, report: int) -> None:
    """In a forked child: save new versions over ``target`` until killed, writing ``s`` to the pipe
    ``report`` as each save starts and ``f`` as it finishes."""
    try:
        value = first
        while True:
            model = _model(value)
            os.write(report, b"s")
            model.save(target)
            os.write(report, b"f")
            value += 1
    finally:
        os._exit(0)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _dead_savers_file(name: str, target: Path) -> bool:
    match = re.fullmatch(rf"\.partial-(\d+)-[0-9a-f]{{8}}-{re.escape(target.name)}", name)
    if match is None:
        return False
    try:
        os.kill(int(match.group(1)), 0)
    except ProcessLookupError:
        return True
    return False


def _version(target: Path) -> int:
    """The version a complete file holds (its pixels and its NFRAMES agree); fails on a torn file."""
    with jwstmodels.open(target) as model:
        data = np.asarray(model.data)
        value = int(data[0, 0])
        assert np.all(data == value), "pixels of two versions"
        assert model.meta.exposure.nframes == value, "header and pixels of two versions"
    return value


def _one_save_seconds(target: Path) -> float:
    start = time.perf_counter()
    _model(1).save(target)
    return time.perf_counter() - start


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
def test_killed_saves_leave_a_complete_file_and_nothing_else(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"target{suffix}"
    _model(0).save(target)
    os.chmod(target, 0o664)  # not what a new file gets under the usual umask (0o644)
    previous_umask = os.umask(0o022)
    rng = random.Random(18)
    seen: set[int] = set()
    try:
        duration = _one_save_seconds(tmp_path / f"timing{suffix}")
        (tmp_path / f"timing{suffix}").unlink()
        os.chmod(target, 0o664)
        mid_save = leftovers = 0
        for kill in range(KILLS):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child never returns
                os.close(read_end)
                _saver(target, 1000 * (kill + 1), write_end)
            os.close(write_end)
            assert os.read(read_end, 1) == b"s"  # the first save has started
            early = b""
            if kill % 5 == 0:  # wait for a finished save first: the kill then meets a file a save replaced
                while not early.endswith(b"f"):
                    early += os.read(read_end, 1)
            time.sleep(rng.uniform(0.2, 2.5) * duration)  # inside the first save, or a later one
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            events = early + _read_all(read_end)
            os.close(read_end)
            mid_save += events.endswith(b"s") or events == b""  # killed between a start and its finish
            seen.add(_version(target))
            others = sorted(p.name for p in tmp_path.iterdir() if p != target)
            # Only a kill in the microseconds between naming the finished file and renaming it over the
            # target can leave a name; it carries a dead saver's process id, and the next save removes it.
            assert all(_dead_savers_file(name, target) for name in others), f"kill {kill}: left {others}"
            leftovers += len(others)
            assert stat.S_IMODE(target.stat().st_mode) == 0o664, f"kill {kill}: mode changed"
    finally:
        os.umask(previous_umask)
    assert mid_save >= KILLS // 3, (
        f"only {mid_save} of {KILLS} kills landed inside a save: the test tests little"
    )
    assert len(seen) >= 2, "no save ever finished between kills"
    assert leftovers <= 2, f"{leftovers} of {KILLS} kills left a named file"
    _model(7).save(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name], "the next save removes leftovers"


def test_save_keeps_mode_and_writes_no_temporary_file(tmp_path: Path) -> None:
    for suffix in (".fits", ".asdf", ".fits.gz"):
        target = tmp_path / f"kept{suffix}"
        _model(1).save(target)
        os.chmod(target, 0o640)
        _model(2).save(target)
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
        assert _version(target) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.asdf", "kept.fits", "kept.fits.gz"]
    with fits.open(tmp_path / "kept.fits.gz") as hdul:  # compressed by its name, as before
        assert hdul[0].header["NFRAMES"] == 2


def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        path = _model(1).save(tmp_path / "new.fits")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_leftover_of_a_dead_process_is_removed_at_the_next_save(tmp_path: Path) -> None:
    target = _model(1).save(tmp_path / "target.fits")
    pid = os.fork()
    if pid == 0:  # pragma: no cover
        os._exit(0)
    os.waitpid(pid, 0)  # a process id that no longer runs
    dead = tmp_path / f".partial-{pid}-0123abcd-target.fits"
    dead.write_bytes(b"half a file")
    alive = (
        tmp_path / f".partial-{os.getppid()}-0123abcd-target.fits"
    )  # a running process: not ours to remove
    alive.write_bytes(b"in progress")
    other = tmp_path / f".partial-{pid}-0123abcd-other.fits"  # another target's: not this save's business
    other.write_bytes(b"other")
    _model(2).save(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, alive.name, other.name])
