"""What a source is: FITS or ASDF from a file's first bytes, and the kinds of object a model can be read from
(paths, file objects, HDU lists, ASDF files), asked without importing astropy or asdf."""

from __future__ import annotations

import io
import os
import sys
from typing import Any, cast

from jwstmodels._core.errors import FileFormatError

FITS_MAGIC = b"SIMPLE  ="


ASDF_MAGIC = b"#ASDF"


def sniff(path: str | os.PathLike[str]) -> str:
    """``"fits"`` or ``"asdf"`` from a file's first bytes; FileFormatError for anything else."""
    name = os.fspath(path)
    try:
        with open(name, "rb", buffering=0) as handle:  # unbuffered: a few bytes, read once
            head = handle.read(len(FITS_MAGIC))
    except FileNotFoundError:
        raise FileNotFoundError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise FileFormatError(f"{name}: is a directory, not a FITS or ASDF file") from None
    if head.startswith(b"\x1f\x8b"):
        _check_gzip_head(name)
    return _kind(head, name)


def _check_gzip_head(name: str) -> None:
    """A gzip-compressed file must hold a standard FITS file: astropy reads a compressed ``SIMPLE = F`` file
    without end (it looks for the end of its data past the end of the stream)."""
    import gzip
    import zlib

    try:
        with gzip.open(name, "rb") as handle:
            card = handle.read(80)
    except (OSError, EOFError, zlib.error) as exc:
        raise FileFormatError(f"{name}: not a readable gzip-compressed file ({exc})") from None
    if not card.startswith(FITS_MAGIC):
        raise FileFormatError(f"{name}: a gzip-compressed file that is not FITS (starts with {card[:16]!r})")
    if card[9:30].strip() != b"T":
        raise FileFormatError(
            f"{name}: keyword SIMPLE = {card[9:30].strip().decode('latin-1')!r}: not a standard FITS file"
        )


def _kind(head: bytes, name: str) -> str:
    if head.startswith(FITS_MAGIC):
        return "fits"
    if head.startswith(ASDF_MAGIC):
        return "asdf"
    if name.endswith(".gz"):
        return "fits"  # astropy reads gzip-compressed FITS; a bad one fails there with a clear error
    raise FileFormatError(f"{name}: neither a FITS nor an ASDF file (starts with {head[:16]!r})")


def reads_metadata(init: object) -> bool:
    """True when initialising from ``init`` reads a file, whose reader builds the metadata tree."""
    return is_path(init) or is_file(init) or is_asdf_file(init) or is_hdulist(init)


def is_hdulist(init: object) -> bool:
    fits = sys.modules.get("astropy.io.fits")  # an HDUList exists only once astropy.io.fits is imported
    return fits is not None and isinstance(init, fits.HDUList)


def is_path(init: object) -> bool:
    return isinstance(init, str | os.PathLike)


def is_file(init: object) -> bool:
    return hasattr(init, "read") and hasattr(init, "seek")


def is_asdf_file(init: object) -> bool:
    asdf = sys.modules.get("asdf")  # never import asdf just to ask
    return asdf is not None and isinstance(init, asdf.AsdfFile)


def detect_format(init: object) -> str | None:
    """``"fits"`` or ``"asdf"`` for a path, readable file object, HDUList or AsdfFile; None for other kinds.

    A file that is neither raises FileFormatError.
    """
    if is_hdulist(init):
        return "fits"
    if is_asdf_file(init):
        return "asdf"
    if is_path(init):
        return sniff(cast("str | os.PathLike[str]", init))
    if is_file(init):
        return file_kind(init)
    return None


def file_kind(handle: Any) -> str:
    position = handle.tell()
    try:
        # A real file: read the first bytes without moving it. (Reading and seeking back would leave a
        # buffered reader's operating-system position past its buffer, where asdf, reading the descriptor,
        # would look.)
        head = os.pread(handle.fileno(), len(FITS_MAGIC), position)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        head = handle.read(len(FITS_MAGIC))
        handle.seek(position)
    return _kind(bytes(head), str(getattr(handle, "name", "<file object>")))
