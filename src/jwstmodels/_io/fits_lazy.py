"""Opening a FITS file from its headers: the ``ASDF`` extension is parsed only when a value needs it.

Headers are authoritative for every field with a FITS keyword (``_core.header_carried``), so a single model
(``layout.items`` empty, no top-level scalars) is opened from its header cards alone: its metadata tree is
built sparse from them (warnings about header cards are given then), and every leaf the cards cannot give for
certain is absent from its node's ``__dict__``: fields without a keyword, lists (``history``), objects
(``meta.wcs``), keyword fields whose card is missing (the extension may hold a value no card can hold) and
cards that may be the shortened form of what the extension keeps (``header_scan.shortened``: 20-column
floats, 19-digit integers, strings longer than one card or ending in blanks). Group nodes always exist.
Each node of the tree holds the :class:`Resolver` (``_core.node.set_pending``).

The first access to an absent field (``MetaNode.__getattr__``), and every operation that reads a whole tree
(dumps, copies, comparison, pickling, validation, saves: ``_core.node.complete``), asks the resolver: it
reads the file the eager way (:func:`read_tree_and_headers` with the parsed extension, the same rules) into a
scratch content, fills only the places still absent (a value set meanwhile wins), merges what the schema
does not describe (``extra_tree``, ``extra_fits``), and gives the warnings of that read that the header read
at open did not give (``InvalidValueWarning`` about extension values, once, with the text an eager read
gives). A damaged extension raises ``FileFormatError`` naming the file and "the ASDF extension" from that
access, not at open.

When the file closes first (``model.close()``, ``read_metadata``), the extension's bytes are read then
(not parsed) and kept. A file is read eagerly when it has no ``ASDF`` extension, for multi-models and models
with top-level scalars, under ``read_mode("eager")`` (``open(..., strict_validation=True)``), and when a
warnings filter turns ``InvalidValueWarning`` into an error (no error is postponed past the open).
"""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false
# (the typed boundary around astropy's headers and HDUs, which ship without annotations)

from __future__ import annotations

import collections
import contextlib
import threading
import warnings
import weakref
from collections.abc import Callable, Generator
from contextvars import ContextVar
from typing import Any, Literal, cast

from jwstmodels._core.class_cache import per_class
from jwstmodels._core.content import FileContent, ModelLayout
from jwstmodels._core.errors import FileFormatError, InvalidValueWarning
from jwstmodels._core.header_carried import restore_inexact, take_keyword_values
from jwstmodels._core.loading import Location, default_value
from jwstmodels._core.meta import MetaNode, keyword_leaves
from jwstmodels._core.node import NodeBase, set_pending
from jwstmodels._core.policy import apply_header, apply_tree, read_meta
from jwstmodels._io.fits_cards import keyword_table, read_cards
from jwstmodels._io.header_scan import shortened
from jwstmodels._io.history import read_fits_lists

# Keys asdf puts at the root of every tree, and the reference's hash of the FITS headers.
_ASDF_BOOKKEEPING = {"asdf_library", "history", "_fits_hash"}

_MODE: ContextVar[Literal["eager", "lazy"] | None] = ContextVar("jwstmodels_fits_read_mode", default=None)


@contextlib.contextmanager
def read_mode(mode: Literal["eager", "lazy"]) -> Generator[None]:
    """FITS files opened inside read their ``ASDF`` extension at open (``eager``) or, where the model allows
    it, when first needed (``lazy``, even where warnings are errors); outside, the module docstring's rule."""
    token = _MODE.set(mode)
    try:
        yield
    finally:
        _MODE.reset(token)


def reads_lazily(layout: ModelLayout) -> bool:
    """Whether a FITS file with an ``ASDF`` extension is opened for a model of ``layout`` from its headers."""
    if layout.items or layout.scalar_fields:
        return False
    mode = _MODE.get()
    return mode == "lazy" if mode is not None else not _warnings_are_errors()


def _warnings_are_errors() -> bool:
    """True when a warnings filter (the first that applies to every ``InvalidValueWarning``, or one before it
    for some of them) raises ``InvalidValueWarning``."""
    for action, message, category, module, lineno in warnings.filters:
        if not issubclass(InvalidValueWarning, category):
            continue
        if action == "error":
            return True
        pattern = getattr(message, "pattern", message)
        if not pattern and module is None and not lineno:
            return False
    return False


def parse_extension(payload: Callable[[], bytes], layout: ModelLayout, filename: str) -> dict[str, Any]:
    """The ``ASDF`` extension's tree (tags kept); ``meta.wcs`` and what refers to the document's blocks are
    converted when first touched, else kept as read."""
    from jwstmodels._io.asdf_blocks import mark_lazy, pending_in
    from jwstmodels._io.asdf_in_fits import read_document_bytes

    stored, document = read_document_bytes(payload, filename)
    mark_lazy(stored, layout, pending_in(document), document.has_blocks)
    return stored


def read_tree_and_headers(
    content: FileContent,
    hdus: dict[str, Any],
    stored: dict[str, Any] | None,
    filename: str,
    shortened_cards: set[Location] | None = None,
) -> dict[Location, tuple[str, Any]]:
    """Fill ``content``'s metadata from the headers of ``hdus`` and the extension's tree ``stored`` (None:
    headers alone); returns the places read from cards (place -> (HDU name, card)).

    Headers are authoritative for every field that has a FITS keyword; the extension supplies the rest
    (fields without a keyword) and whatever our schema does not describe, which is kept to be written back.
    ``shortened_cards`` (headers alone): the places whose card may be the shortened form of the extension's
    value are left out of the tree (not validated, no warning) and added to it.
    """
    layout = content.layout
    meta_class = layout.meta_class
    tree: dict[str, Any] = {}
    if stored is not None:
        tree = _as_dict(stored.pop("meta", {}))
        scalars = apply_tree(content, stored, f"{filename}: ASDF extension", headers_own_keywords=True)
        for key, value in stored.items():
            if key in scalars:
                continue
            if key not in _ASDF_BOOKKEEPING and key not in layout.fields and key not in layout.items:
                content.extra_tree[key] = value
    # One pass over the cards: a card the schema names fills its field (headers are authoritative, so a
    # keyword missing from the header is missing from the tree too, but for what _header_carried restores);
    # any other card goes to extra_fits.
    inexact = take_keyword_values(tree, _keyword_names(meta_class))
    by_keyword = keyword_table(meta_class)
    where: dict[Location, tuple[str, Any]] = {}
    for name, hdu in hdus.items():
        scalar_keywords = apply_header(content, name, hdu.header, f"{filename}: HDU {name}")
        read_cards(
            content, name, hdu, by_keyword.get(name, {}), tree, where, skip=scalar_keywords, filename=filename
        )
    if shortened_cards is not None:
        for place, (_, card) in where.items():
            if shortened(card, _value_at(tree, place)) is not None:
                shortened_cards.add(place)
        for place in shortened_cards:
            _drop_path(tree, place)
            del where[place]
    restore_inexact(tree, inexact, where)
    lists = read_meta(
        content,
        tree,
        tree_place=f"{filename}: ASDF extension, ",
        cards=where,
        hdu_place=lambda hdu: f"{filename}: HDU {hdu}",
        sparse=shortened_cards is not None,  # headers alone: the other fields wait (``open_lazily``)
    )
    content.model_type_place = f"{filename}: DATAMODL"
    read_fits_lists(content, lists, stored, filename)
    return where


def open_lazily(content: FileContent, hdul: Any, hdus: dict[str, Any], extension: Any, filename: str) -> None:
    """Fill ``content``'s metadata from the headers alone; the fields they cannot give wait for the
    extension (module docstring)."""
    shortened_cards: set[Location] = set()
    where = read_tree_and_headers(content, hdus, None, filename, shortened_cards)
    resolver = Resolver(content, hdus, extension, filename)
    root = content.meta_tree
    resolver.root = weakref.ref(root)
    exact: dict[Location, set[str]] = {}
    for place in where:
        exact.setdefault(place[:-1], set()).add(place[-1])
    places = resolver.places
    nodes: list[NodeBase] = []
    mark = object.__setattr__
    for parent, name, path, groups in _node_paths(type(root)):
        node = root if parent < 0 else vars(nodes[parent])[name]
        nodes.append(node)
        values: dict[str, Any] = vars(node)  # built sparse: its nested nodes and the cards read
        carried = exact.get(path)
        if carried or len(values) != len(groups):  # every other value (the history of cards, ...) waits
            kept = {name: values[name] for name in groups}
            if carried:
                cls = type(node)
                kept.update(
                    (name, values[name] if name in values else default_value(cls, name)) for name in carried
                )
            values.clear()
            values.update(kept)  # in field order again once completed (``_fill``)
        mark(node, "_pending", resolver)
        places[id(node)] = path
    _keep_bytes_at_close(hdul, resolver)


def _keep_bytes_at_close(hdul: Any, resolver: Resolver) -> None:
    """Have the extension's bytes read (not parsed) when ``hdul`` closes, while fields still wait for them."""
    close = cast(Callable[..., None], hdul.close)
    ref = weakref.ref(resolver)

    def close_keeping_bytes(*args: Any, **kwargs: Any) -> None:
        waiting = ref()
        if waiting is not None:
            waiting.keep_bytes()
        close(*args, **kwargs)

    vars(hdul)["close"] = close_keeping_bytes  # this HDUList's own close (``with hdul`` and hooks call it)


class Resolver:
    """Fills the fields of one lazily opened tree from the file's ``ASDF`` extension (``_core.node``'s
    ``Completer``): the file is read once, on the first need."""

    __slots__ = (
        "__weakref__",
        "_extension",
        "_filename",
        "_hdus",
        "_lock",
        "_raw",
        "_scratch",
        "_target",
        "places",
        "root",
    )

    def __init__(self, content: FileContent, hdus: dict[str, Any], extension: Any, filename: str) -> None:
        self._target = content  # its dicts are the model's (``_adopt``): merged into in place
        self._hdus = dict(hdus)
        self._extension = extension
        self._filename = filename
        self._raw: bytes | None = None
        self._scratch: FileContent | None = None
        self._lock = threading.RLock()
        self.places: dict[int, Location] = {}
        """Where each waiting node sits below ``meta`` (by id: a node found after its root is gone)."""
        self.root: weakref.ref[MetaNode] | None = None

    def keep_bytes(self) -> None:
        """The file closes: keep the extension's data as the file holds it, for later (read, not parsed, no
        header value looked up; a damaged one fails when needed)."""
        with self._lock:
            if self._raw is None and self._scratch is None:
                with contextlib.suppress(OSError):  # FileFormatError: read again (and raised) when needed
                    self._raw = extension_data(self._extension, self._filename)

    def _payload(self) -> bytes:
        from jwstmodels._io.asdf_in_fits import extension_bytes, payload_of_data

        if self._raw is not None:
            try:
                return payload_of_data(self._extension, self._raw)
            except Exception as exc:
                raise FileFormatError(
                    f"{self._filename}: the ASDF extension cannot be read ({type(exc).__name__}: {exc})"
                ) from None
        return extension_bytes(self._extension, self._filename)

    def complete(self, node: NodeBase) -> None:
        """Fill every field still absent in ``node``'s tree (the whole tree while its root exists)."""
        with self._lock:
            if getattr(node, "_pending", None) is not self:
                return  # another thread filled it meanwhile
            new_warnings: list[warnings.WarningMessage] = []
            if self._scratch is None:
                self._scratch, new_warnings = self._read()
                self._raw = None
            scratch = self._scratch.meta_tree
            root = self.root() if self.root is not None else None
            if root is not None and getattr(root, "_pending", None) is self:
                _fill(root, scratch)
                self._merge_kept(self._scratch)
            if getattr(node, "_pending", None) is self:  # a node outside the root's tree (or the root gone)
                source: NodeBase = scratch
                for name in self.places.get(id(node), ()):
                    source = cast(NodeBase, source.__dict__[name])
                _fill(node, source)
        for caught in new_warnings:
            warnings.warn(caught.message, caught.category, stacklevel=5)

    def _read(self) -> tuple[FileContent, list[warnings.WarningMessage]]:
        """The eager read of the file into a new content, and the warnings it gives that the header read at
        open did not (by category and text, as many times as they are more)."""
        target = self._target
        layout, filename = target.layout, self._filename
        stored = parse_extension(self._payload, layout, filename)
        scratch = FileContent(layout, filename, target.pass_invalid)
        with warnings.catch_warnings(record=True) as eager:
            warnings.simplefilter("always")
            read_tree_and_headers(scratch, self._hdus, stored, filename)
        if not eager:  # nothing to compare with what the open gave
            return scratch, []
        with warnings.catch_warnings(record=True) as given:
            warnings.simplefilter("always")
            read_tree_and_headers(
                FileContent(layout, filename, target.pass_invalid), self._hdus, None, filename, set()
            )
        seen = collections.Counter((w.category, str(w.message)) for w in given)
        new: list[warnings.WarningMessage] = []
        for caught in eager:
            key = (caught.category, str(caught.message))
            if seen[key]:
                seen[key] -= 1
            else:
                new.append(caught)
        return scratch, new

    def _merge_kept(self, scratch: FileContent) -> None:
        """What the schema does not describe, read from the extension (and the cards of fields that waited),
        into the model's own dicts; what is there already (set meanwhile) stays."""
        target = self._target
        _merge_tree(target.extra_tree, scratch.extra_tree)
        for hdu, cards in scratch.extra_fits.items():
            mine = target.extra_fits.get(hdu, [])
            added = [card for card in mine if card not in cards]
            target.extra_fits[hdu] = [*cards, *added]
        for name, value in scratch.scalars.items():
            target.scalars.setdefault(name, value)


def _fill(node: NodeBase, source: NodeBase) -> None:
    """Put into ``node`` (and the nodes below it) the values of ``source`` (the same place of the eager
    read) for the fields absent from it, in field order, and forget its resolver."""
    values: dict[str, Any] = vars(node)
    taken: dict[str, Any] = vars(source)
    for name in type(node).__jwst_node_fields__:
        child = values.get(name)
        if isinstance(child, NodeBase) and getattr(child, "_pending", None) is not None:
            below = taken.get(name)
            if isinstance(below, NodeBase):
                _fill(child, below)
    fields = type(node).__pydantic_fields__
    given = source.__pydantic_fields_set__
    fields_set = node.__pydantic_fields_set__
    ordered = [(name, values[name] if name in values else taken[name]) for name in fields]
    for name in fields:
        if name not in values and name in given:
            fields_set.add(name)
    values.clear()
    values.update(ordered)  # in field order, as an eager read leaves it
    set_pending(node, None)


def _merge_tree(mine: dict[str, Any], read: dict[str, Any]) -> None:
    for key, value in read.items():
        current = mine.get(key)
        if key not in mine:
            mine[key] = value
        elif isinstance(current, dict) and isinstance(value, dict):
            _merge_tree(cast(dict[str, Any], current), cast(dict[str, Any], value))


def extension_data(hdu: Any, filename: str) -> bytes | None:
    """The raw bytes of an ``ASDF`` extension HDU's data part as the file holds them (not parsed, and no
    header value looked up: kept when the file closes, cheaply); None when the HDU is not read from a file."""
    try:
        info = hdu.fileinfo() if "data" not in vars(hdu) else None
        if info is None:
            return None
        handle = info["file"]
        position = handle.tell()
        try:
            handle.seek(int(info["datLoc"]))
            data = handle.read(int(info["datSpan"]))
        finally:
            handle.seek(position)
    except Exception as exc:
        raise FileFormatError(
            f"{filename}: the ASDF extension cannot be read ({type(exc).__name__}: {exc})"
        ) from None
    return data if isinstance(data, bytes) else None


@per_class
def _node_paths(meta_class: type[MetaNode]) -> tuple[tuple[int, str, Location, tuple[str, ...]], ...]:
    """Every node of a ``meta_class`` tree, parents first: (its parent's position in this tuple, or -1 for
    the root; its name there; its path below ``meta``; the names of its fields that hold nested nodes)."""
    found: list[tuple[int, str, Location, tuple[str, ...]]] = []

    def walk(cls: type[NodeBase], parent: int, name: str, path: Location) -> None:
        groups = cls.__jwst_node_fields__
        here = len(found)
        found.append((parent, name, path, groups))
        for child in groups:
            annotation = cls.__pydantic_fields__[child].annotation
            walk(cast(type[NodeBase], annotation), here, child, (*path, child))

    walk(meta_class, -1, "meta", ())
    return tuple(found)


@per_class
def _keyword_names(meta_class: type[MetaNode]) -> frozenset[Location]:
    return frozenset(leaf.names for leaf in keyword_leaves(meta_class))


def _as_dict(value: object) -> dict[str, Any]:
    return dict(cast(dict[str, Any], value)) if isinstance(value, dict) else {}


def _value_at(tree: dict[str, Any], place: Location) -> object:
    node: object = tree
    for name in place:
        node = node.get(name) if isinstance(node, dict) else None
    return node


def _drop_path(tree: dict[str, Any], place: Location) -> None:
    node: object = tree
    for name in place[:-1]:
        node = node.get(name) if isinstance(node, dict) else None
    if isinstance(node, dict):
        cast(dict[str, Any], node).pop(place[-1], None)
