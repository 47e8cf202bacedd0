"""Where an array not read yet comes from: one HDU of a FITS file or one ndarray node of an ASDF file.

A model read from a file keeps, for each array it has not read yet, a *source* (the callable in
``ArrayStore.loaders``). A source reads its array from the open file the first time the array is touched, and
knows how to find it again without that file object: the file's path, its size and modification time when
it was opened, and the HDU's position (FITS) or the node's place in the tree (ASDF). That is what lets:

- a closed model read an array it had not read yet: the file is opened again, read and closed, when its size
  and modification time are still those it had when the model was read; otherwise ``FileChangedError``;
- a model travel to another process (``pickle``): an unread array travels as that reference, a few dozen
  bytes, and is read on the far side when touched, with the same check.

Sources of one file share a :class:`FileRef`, whose lock serialises reads through the one open file object
(asdf and astropy seek and read on it); arrays of a memory-mapped FITS file only take views under it, so
threads reading different arrays spend their time outside the lock. The per-array locks that make a first
read happen once live in ``_arrays.ArrayStore``.
"""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false
# pyright: reportUnknownArgumentType=false
# (a typed boundary around astropy's HDU objects and asdf's lazy ndarrays, which ship no annotations; it
# also looks at their private "is the file closed" state, which neither library exposes publicly)

from __future__ import annotations

import datetime
import os
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from numpy.typing import NDArray

from jwstmodels._core.errors import FileChangedError, FileFormatError

if TYPE_CHECKING:
    from jwstmodels._core.content import FileContent


class FileRef:
    """The file one model (and its items) was read from: enough to find it again and to tell whether it
    changed. ``path`` is None when the source cannot be opened again (a file object, an HDUList built in
    memory); pickling then carries the unread arrays by value."""

    __slots__ = ("_probe", "closed", "kind", "lock", "mtime_ns", "name", "path", "size")

    def __init__(
        self,
        name: str,
        kind: str,
        path: str | None,
        size: int = -1,
        mtime_ns: int = -1,
        probe: Callable[[], bool] | None = None,
    ) -> None:
        self.name = name
        """The file as the model names it (``model.filename``), for messages."""
        self.kind = kind
        """``"fits"`` or ``"asdf"``."""
        self.path = path
        self.size = size
        self.mtime_ns = mtime_ns
        self.lock = threading.Lock()
        """Held while reading through the open file object."""
        self.closed = False
        """Set when the model is closed (and on the far side of a pickle): reads open the file again."""
        self._probe = probe
        """Tells whether the library's file object was closed by someone else (an HDUList the user owns)."""

    @classmethod
    def of(cls, name: str, kind: str, path: object, probe: Callable[[], bool] | None) -> FileRef:
        """The reference for a file just opened; not re-openable unless ``path`` is a regular file."""
        if isinstance(path, str) and path:
            try:
                status = os.stat(path)
            except OSError:
                return cls(name, kind, None, probe=probe)
            return cls(name, kind, os.path.abspath(path), status.st_size, status.st_mtime_ns, probe)
        return cls(name, kind, None, probe=probe)

    def is_open(self) -> bool:
        return not self.closed and not (self._probe is not None and self._probe())

    def mark_closed(self) -> None:
        self.closed = True

    def check(self, where: str) -> str:
        """The path to open again; FileChangedError when the file cannot be, is gone or has changed."""
        if self.path is None:
            raise FileChangedError(
                f"{where}: not read while the file was open, and it cannot be opened again "
                "(it was read from a file object or an in-memory HDUList); read the array before close()"
            )
        try:
            status = os.stat(self.path)
        except OSError as exc:
            raise FileChangedError(
                f"{where}: not read while the file was open, and {self.path} cannot be opened again "
                f"({exc.strerror or exc})"
            ) from None
        if (status.st_size, status.st_mtime_ns) != (self.size, self.mtime_ns):
            raise FileChangedError(
                f"{where}: not read while the file was open, and {self.path} has changed since "
                f"(size {self.size} -> {status.st_size} bytes, modified {_when(self.mtime_ns)} -> "
                f"{_when(status.st_mtime_ns)}); open the file again to read the new content"
            )
        return self.path

    def __reduce__(self) -> tuple[Any, ...]:
        if self.path is None:
            raise TypeError(f"{self.name}: a file that cannot be opened again travels by value")
        return (_remote_ref, (self.name, self.kind, self.path, self.size, self.mtime_ns))


def _remote_ref(name: str, kind: str, path: str, size: int, mtime_ns: int) -> FileRef:
    """A FileRef unpickled: no file object here, every read opens the file again (after the check)."""
    ref = FileRef(name, kind, path, size, mtime_ns)
    ref.closed = True
    return ref


def _when(mtime_ns: int) -> str:
    return datetime.datetime.fromtimestamp(mtime_ns / 1e9, datetime.UTC).isoformat(timespec="microseconds")


class FitsSource:
    """An image or table HDU of a FITS file, read when first touched."""

    __slots__ = ("hdu", "index", "name", "ref", "ver", "where")
    kind = "fits"

    def __init__(self, hdu: Any, where: str) -> None:
        self.hdu: Any = hdu
        self.where = where
        """``file: HDU SCI`` (``,2 (slits[1])`` for items): names the file and the HDU in errors."""
        self.name = str(hdu.name).upper() if hdu is not None else ""
        self.ver = int(hdu.ver) if hdu is not None else 1
        self.ref: FileRef | None = None
        self.index: int | None = None
        """Position of the HDU in the file, set by ``bind_fits``."""

    @property
    def hdu_name(self) -> str | None:
        return self.name or None

    def __call__(self) -> NDArray[Any]:
        ref = self.ref
        if self.hdu is not None and (ref is None or ref.is_open()):
            if ref is None:
                return self.hdu.data
            with ref.lock:
                return self.hdu.data
        return self._reopened()

    def reopenable(self) -> bool:
        return self.ref is not None and self.ref.path is not None and self.index is not None

    def _reopened(self) -> NDArray[Any]:
        if self.ref is None or self.index is None:
            raise FileChangedError(
                f"{self.where}: not read while the file was open; it cannot be opened again"
            )
        path = self.ref.check(self.where)
        from astropy.io import fits

        with fits.open(path, memmap=False, lazy_load_hdus=True) as hdul:
            try:
                hdu: Any = hdul[self.index]
            except IndexError:
                hdu = None
            if hdu is None or str(hdu.name).upper() != self.name or int(hdu.ver) != self.ver:
                raise FileChangedError(f"{self.where}: the file has no such HDU at position {self.index} now")
            data: Any = hdu.data
            if data is None:
                raise FileChangedError(f"{self.where}: the HDU holds no data now")
            if data.dtype.names:
                return plain_table(data)  # every column read now: the file closes below
            return cast(NDArray[Any], data)

    def __reduce__(self) -> tuple[Any, ...]:
        if not self.reopenable():
            raise TypeError(f"{self.where}: an array whose file cannot be opened again travels by value")
        return (_remote_fits, (self.ref, self.index, self.name, self.ver, self.where))


def _remote_fits(ref: FileRef, index: int, name: str, ver: int, where: str) -> FitsSource:
    source = FitsSource(None, where)
    source.ref, source.index, source.name, source.ver = ref, index, name, ver
    return source


class AsdfSource:
    """An ndarray node of an ASDF tree, read (its block) when first touched."""

    __slots__ = ("key", "node", "ref", "tree", "where")
    kind = "asdf"
    hdu_name = None

    def __init__(self, tree: Any, key: str, where: str) -> None:
        self.tree: Any = tree
        self.key = key
        self.where = where
        """``file: ASDF node slits[0].data``: names the file and the node in errors."""
        self.ref: FileRef | None = None
        self.node: tuple[str | int, ...] | None = None
        """Place of the node in the file's tree, set by ``bind_asdf``."""

    def __call__(self) -> NDArray[Any]:
        ref = self.ref
        if self.tree is not None and (ref is None or ref.is_open()):
            if ref is None:
                check_block(self.tree[self.key], self.where)
                return np.asarray(self.tree[self.key])
            with ref.lock:
                check_block(self.tree[self.key], self.where)
                return np.asarray(self.tree[self.key])
        return self._reopened()

    def reopenable(self) -> bool:
        return self.ref is not None and self.ref.path is not None and self.node is not None

    def _reopened(self) -> NDArray[Any]:
        if self.ref is None or self.node is None:
            raise FileChangedError(
                f"{self.where}: not read while the file was open; it cannot be opened again"
            )
        path = self.ref.check(self.where)
        import asdf

        # lazy_tree: only the nodes on the way are converted (no other tag is looked at again)
        with asdf.open(path, lazy_load=True, memmap=False, lazy_tree=True) as af:
            node: Any = af.tree
            try:
                for part in self.node:
                    node = node[part]
            except (KeyError, IndexError, TypeError):
                raise FileChangedError(f"{self.where}: the file no longer has this node") from None
            check_block(node, self.where)
            return np.array(node)  # a copy in memory: the file closes below

    def __reduce__(self) -> tuple[Any, ...]:
        if not self.reopenable():
            raise TypeError(f"{self.where}: an array whose file cannot be opened again travels by value")
        return (_remote_asdf, (self.ref, self.node, self.where))


def _remote_asdf(ref: FileRef, node: tuple[str | int, ...], where: str) -> AsdfSource:
    source = AsdfSource(None, "", where)
    source.ref, source.node = ref, node
    return source


def check_block(node: object, where: str) -> None:
    """Refuse, before anything is allocated, a block whose header claims more bytes than the file holds (an
    uncompressed block) or than any compression could make of it."""
    callback = getattr(node, "_data_callback", None)
    if not isinstance(getattr(node, "_source", None), int) or callback is None:
        return
    header = callback(_attr="header")
    handle = callback(_attr="_fd")()
    if handle is None or not handle.seekable():
        return
    position = handle.tell()
    try:
        handle.seek(0, 2)
        size = int(handle.tell())
    finally:
        handle.seek(position)
    compression = bytes(header.get("compression", b"")).strip(b"\0")
    used, data = int(header["used_size"]), int(header["data_size"])
    ratio = _MAX_RATIO.get(compression)
    limit = size if not compression else (used * ratio if ratio else None)
    where = f"{where} (ASDF block {getattr(node, '_source', '?')})"
    if used > size or (limit is not None and data > limit):
        raise FileFormatError(
            f"{where}: the block header claims {data} bytes of data ({used} stored), more than the "
            f"{size}-byte file can hold"
        )
    streamed = int(header.get("flags", 0)) & 1
    if not streamed and (used > int(header["allocated_size"]) or (not compression and data != used)):
        raise FileFormatError(
            f"{where}: the block header's sizes disagree (allocated {header['allocated_size']}, used {used}, "
            f"data {data}): the block is damaged"
        )


_MAX_RATIO = {b"zlib": 1100, b"lz4": 300}
"""The best ratios of these compressions (zlib about 1032:1, lz4 about 255:1): a block claiming more data
than that is damaged. bzip2 has no such small bound (a run of one byte compresses by far more)."""


def plain_table(data: Any) -> NDArray[Any]:
    """A table read from FITS (astropy's FITS_rec, whose columns are scaled and converted when indexed) as a
    Table holding the values a user sees, with the file's column units."""
    from jwstmodels._core.tables import Table

    names: tuple[str, ...] = data.dtype.names
    columns = {name: np.asarray(data[name]) for name in names}
    dtype = np.dtype([(name, column.dtype, column.shape[1:]) for name, column in columns.items()])
    out = np.empty(len(data), dtype=dtype)
    for name, column in columns.items():
        out[name] = column
    units: list[object] = list(getattr(getattr(data, "columns", None), "units", None) or [])
    return Table.of(out, {n: u for n, u in zip(names, units, strict=False) if isinstance(u, str) and u})


def file_source(loader: object) -> FitsSource | AsdfSource | None:
    """The file source behind ``loader`` (a source, or a wrapper with a ``raw`` source), if any."""
    while True:
        if isinstance(loader, FitsSource | AsdfSource):
            return loader
        raw = getattr(loader, "raw", None)
        if raw is None:
            return None
        loader = raw


def _contents(
    content: FileContent, place: tuple[str | int, ...] = ()
) -> Iterator[tuple[FileContent, tuple[str | int, ...]]]:
    """``content`` and every item's content below it, with its place in an ASDF tree (``("slits", 0)``)."""
    yield content, place
    for list_name, items in content.items.items():
        for index, item in enumerate(items):
            yield from _contents(item, (*place, list_name, index))


def bind_fits(content: FileContent, hdul: Any, filename: str) -> None:
    """Give every FITS source of ``content`` (items included) the file it came from and its HDU's position;
    the model that adopts the content marks that file closed when it closes (``content.close_hooks``)."""
    sources = [
        source
        for each, _ in _contents(content)
        for loader in each.loaders.values()
        if isinstance(source := file_source(loader), FitsSource) and source.ref is None
    ]
    if not sources:
        return

    def closed() -> bool:
        handle = getattr(hdul, "_file", None)
        return bool(getattr(handle, "closed", False))

    ref = FileRef.of(filename, "fits", hdul.filename(), closed)
    positions = {id(hdu): index for index, hdu in enumerate(hdul)}
    for source in sources:
        source.ref = ref
        source.index = positions.get(id(source.hdu))
    content.close_hooks.append(ref.mark_closed)


def bind_asdf(content: FileContent, af: Any, filename: str) -> None:
    """Give every ASDF source of ``content`` (items included) the file it came from and its node's place;
    the model that adopts the content marks that file closed when it closes (``content.close_hooks``)."""
    path = _local_path(getattr(af, "uri", None))
    if path is not None and filename.startswith("file:"):  # an AsdfFile given: its URI names the file
        filename = path
    ref: FileRef | None = None
    for each, place in _contents(content):
        for loader in each.loaders.values():
            source = file_source(loader)
            if not isinstance(source, AsdfSource) or source.ref is not None:
                continue
            if ref is None:
                ref = FileRef.of(filename, "asdf", path, lambda: bool(getattr(af, "_closed", False)))
            source.ref = ref
            source.node = (*place, source.key)
            source.where = f"{filename}: ASDF node {_dotted(source.node)}"
    if ref is not None:
        content.close_hooks.append(ref.mark_closed)


def _local_path(uri: object) -> str | None:
    """The local path of asdf's ``file://`` URI (a plain path is kept); None for anything else."""
    if not isinstance(uri, str):
        return None
    parts = urllib.parse.urlparse(uri)
    if parts.scheme == "file":
        return urllib.request.url2pathname(parts.path)
    return uri if parts.scheme == "" else None


def _dotted(node: tuple[str | int, ...]) -> str:
    text = ""
    for part in node:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
