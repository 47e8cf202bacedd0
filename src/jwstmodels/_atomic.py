"""Atomic file replacement: a failed save never damages an existing file."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path


def atomic_write(target: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Call ``write(temporary_path)`` and move the result over ``target`` only if it succeeded.

    The temporary file sits beside the target (same file system, so the final rename is atomic) and keeps
    the target's suffixes, which astropy uses to choose compression. If the target is memory-mapped by an
    open model, the mapping keeps the old file's contents: the rename replaces the directory entry, not
    the bytes.

    There is no ``fsync``: the guarantee is about a save that fails (an exception, a killed process), and
    until the rename the existing file is untouched. Surviving a power cut is left to the file system (ext4,
    for one, writes out a file renamed over another before the rename; that is most of what a save over an
    existing file costs beyond a save to a new name).
    """
    final = Path(target)
    temporary = final.with_name(f".partial-{secrets.token_hex(4)}-{final.name}")
    try:
        write(temporary)
        os.replace(temporary, final)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return final
