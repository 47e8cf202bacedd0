"""Atomic file replacement: a failed or killed save never damages an existing file nor leaves a file behind.

On Linux the new contents are written to an anonymous file (``O_TMPFILE``) in the target's directory: it has
no name until the end, when it is linked in under a temporary name and renamed over the target, so a process
killed while writing leaves nothing behind. Elsewhere (or on a file system without ``O_TMPFILE``) a named
temporary file in the same directory is used; its name carries the writer's process id, and a later save to
the same target removes those whose process no longer runs. Either way the libraries write to an open file
object, never to a path of their own choosing (asdf would create a temporary file of its own beside the
target, which a kill would leave too).

The replaced file's permission bits are kept, and its group where the file system allows it; a new file gets
the usual ``0o666`` less the umask. There is no ``fsync``: the guarantee is about a save that fails (an
exception, a killed process); until the rename the existing file is untouched. Surviving a power cut is left
to the file system (ext4, for one, writes out a file renamed over another before the rename).
"""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import secrets
import stat
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, cast

_PREFIX = ".partial-"


def atomic_write(target: str | os.PathLike[str], write: Callable[[BinaryIO], None]) -> Path:
    """Call ``write(handle)`` with a binary file object and put what it wrote in place of ``target`` only if
    it returned. A target whose name ends in ``.gz`` is gzip-compressed."""
    final = Path(target)
    existing = _existing(final)
    _remove_leftovers(final)
    fd = _anonymous_file(final.parent)
    if fd is None:
        _write_named(final, existing, write)
    else:
        _write_anonymous(fd, final, existing, write)
    return final


def _existing(final: Path) -> os.stat_result | None:
    try:
        return os.stat(final)
    except (FileNotFoundError, NotADirectoryError):
        return None


def _anonymous_file(directory: Path) -> int | None:
    """A nameless file in ``directory`` (Linux ``O_TMPFILE``), or None where that is not available."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not sys.platform.startswith("linux"):
        return None
    try:
        return os.open(directory or ".", flag | os.O_RDWR | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError | PermissionError | NotADirectoryError):
            raise
        return None  # a file system without O_TMPFILE (EOPNOTSUPP, EISDIR on old kernels, ...)


def _write_anonymous(
    fd: int, final: Path, existing: os.stat_result | None, write: Callable[[BinaryIO], None]
) -> None:
    with os.fdopen(fd, "w+b") as handle:
        _write_into(handle, final, write)
        _copy_mode(handle.fileno(), existing)
        source = f"/proc/self/fd/{handle.fileno()}"
        named = _temporary_name(final)
        # linkat(..., AT_SYMLINK_FOLLOW) through /proc gives the nameless file a name; Python calls linkat
        # (not link, which would link the /proc entry itself) only when given a directory descriptor. The
        # name exists only between the two calls below (a kill there leaves it for the next save to remove).
        directory = os.open(final.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.link(source, named.name, dst_dir_fd=directory, follow_symlinks=True)
            try:
                os.replace(named.name, final.name, src_dir_fd=directory, dst_dir_fd=directory)
            except BaseException:
                os.unlink(named.name, dir_fd=directory)
                raise
        finally:
            os.close(directory)


def _write_named(final: Path, existing: os.stat_result | None, write: Callable[[BinaryIO], None]) -> None:
    named = _temporary_name(final)
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        with os.fdopen(os.open(named, flags, 0o666), "w+b") as handle:
            _write_into(handle, final, write)
            _copy_mode(handle.fileno(), existing)
        os.replace(named, final)
    except BaseException:
        named.unlink(missing_ok=True)
        raise


def _write_into(handle: BinaryIO, final: Path, write: Callable[[BinaryIO], None]) -> None:
    if final.name.endswith(".gz"):
        with gzip.GzipFile(filename=final.name[:-3], mode="wb", fileobj=handle) as compressed:
            write(cast(BinaryIO, compressed))
    else:
        write(handle)
    handle.flush()


def _copy_mode(fd: int, existing: os.stat_result | None) -> None:
    """The replaced file's permission bits and group; a new file's mode from the umask (``os.open`` gave it
    that already, except where the directory's default ACL says otherwise)."""
    if existing is None:
        return
    if hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(existing.st_mode))
    if hasattr(os, "fchown"):
        with contextlib.suppress(OSError):  # another group than one's own needs privileges
            os.fchown(fd, -1, existing.st_gid)


def _temporary_name(final: Path) -> Path:
    return final.with_name(f"{_PREFIX}{os.getpid()}-{secrets.token_hex(4)}-{final.name}")


_LEFTOVER = re.compile(re.escape(_PREFIX) + r"(\d+)-[0-9a-f]{8}-(.+)")


def _remove_leftovers(final: Path) -> None:
    """Remove temporary files of earlier saves to ``final`` that were killed between creating the file and
    the rename: on POSIX those whose process no longer runs, elsewhere those a day old."""
    for path in _leftovers(final):
        match = _LEFTOVER.fullmatch(path.name)
        if match and _abandoned(path, int(match.group(1))):
            path.unlink(missing_ok=True)


def _leftovers(final: Path) -> Iterator[Path]:
    try:
        entries = os.scandir(final.parent or ".")
    except OSError:
        return
    suffix = f"-{final.name}"
    with entries:
        for entry in entries:
            if entry.name.startswith(_PREFIX) and entry.name.endswith(suffix):
                yield Path(entry.path)


def _abandoned(path: Path, pid: int) -> bool:
    if pid == os.getpid():
        return False  # a save in progress in another thread of this process
    if os.name != "posix":  # no harmless way to ask whether a process runs
        try:
            return time.time() - path.stat().st_mtime > 86400
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # a process of another user: leave its file alone
    return False
