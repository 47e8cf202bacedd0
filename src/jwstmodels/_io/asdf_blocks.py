"""ASDF documents kept whole: the binary blocks of a FITS file's ``ASDF`` extension, and tagged nodes (the
gwcs WCS of ``meta.wcs``) converted only when first touched.

The pipeline stores the WCS in the ``ASDF`` extension with its arrays (polynomial coefficients, lookup tables)
as binary blocks that the YAML refers to by index (``source: 0``). A :class:`Document` keeps the extension's
bytes; the nodes that need asdf's converters or the blocks become pending values
(:class:`~jwstmodels._core.lazy_objects.Pending`) when the file is read (``mark_lazy``). Writing the
extension again (``extension_payload``):

- when every pending node is written back unchanged (from one document), the YAML is dumped as before and the
  document's blocks follow it, byte for byte, so the indices still hold;
- otherwise (a WCS was read or assigned, a node came from an ASDF file) asdf itself writes the document:
  pending nodes are converted first and their arrays get blocks of their own (``lazy_objects.loaded``).

Converting a node (``Document.node``): a node the reader kept as libyaml composed it (:class:`RawYaml`, the
WCS) is built by asdf's loader from that node and converted with the document's blocks alone (asdf opens a
document of the blocks, the header and ``history.extensions``, whose check it makes as before): the YAML is
parsed once, by the reader (a second parse by asdf was a fifth of a first access to the WCS). Other nodes
are taken from asdf's own open of the whole document.

asdf is imported only on the second path and when a node is converted (its first use in a process costs
seconds of plugin discovery).
"""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false
# (typed boundary around asdf's untyped API)

from __future__ import annotations

import io
import os
import re
import threading
import warnings
import weakref
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

from jwstmodels._core.lazy_objects import Pending, lazy_fields, map_pending

if TYPE_CHECKING:
    from jwstmodels._core.content import ModelLayout

BLOCK_MAGIC = b"\xd3BLK"
"""The first bytes of every ASDF binary block."""
_BLOCK_INDEX = b"#ASDF BLOCK INDEX"
_YAML_END = re.compile(rb"\r?\n\.\.\.((\r?\n)|$)")

Path = tuple[str | int, ...]


class RawYaml:
    """A YAML node kept as libyaml composed it, not built into Python objects (the gwcs WCS of ``meta.wcs``):
    written back as it was, converted by asdf when first touched."""

    __slots__ = ("node",)

    def __init__(self, node: Any) -> None:
        self.node = node

    @property
    def _tag(self) -> str:
        return str(self.node.tag)

    def __deepcopy__(self, memo: dict[int, object]) -> RawYaml:
        return self  # never changed in place


class TaggedMapping(dict[str, Any]):
    """A mapping YAML writes with a tag (an ASDF history entry, its software), made, read and written without
    asdf: the ``ASDF`` extension of a FITS file holds such entries in every pipeline product, and asdf's
    import and loader cost more than the rest of a metadata read. What asdf itself writes is given asdf's
    ``TaggedDict`` in its place (``asdf_tagged``)."""

    __slots__ = ("tag",)

    def __init__(self, data: Mapping[str, Any], tag: str) -> None:
        super().__init__(data)
        self.tag = tag

    def __eq__(self, other: object) -> bool:
        """Equal to a mapping of the same items and tag (asdf's ``TaggedDict`` included)."""
        if not isinstance(other, Mapping):
            return False
        mine = isinstance(other, TaggedMapping)
        tag = getattr(other, "tag", None) if mine else getattr(other, "_tag", None)
        return tag == self.tag and dict(self) == dict(cast(Mapping[str, Any], other))

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __repr__(self) -> str:
        return f"TaggedMapping({dict(self)!r}, {self.tag!r})"

    def __copy__(self) -> TaggedMapping:
        return TaggedMapping(self, self.tag)

    def __deepcopy__(self, memo: dict[int, object]) -> TaggedMapping:
        import copy

        return TaggedMapping(copy.deepcopy(dict(self), memo), self.tag)

    def __reduce__(self) -> tuple[Any, ...]:
        return (TaggedMapping, (dict(self), self.tag))


def asdf_tagged(node: object) -> object:
    """``node`` with asdf's ``TaggedDict`` in place of every TaggedMapping (for asdf's writer, which knows
    its own tagged types only); the containers on the way to one are copied, the others returned as they
    are."""
    if isinstance(node, TaggedMapping):
        from asdf.tagged import TaggedDict

        return TaggedDict({key: asdf_tagged(value) for key, value in node.items()}, node.tag)
    if type(node) is dict:
        mapping = cast(dict[str, Any], node)
        changed = {key: asdf_tagged(value) for key, value in mapping.items()}
        return mapping if all(changed[key] is mapping[key] for key in mapping) else changed
    if type(node) is list:
        items = cast(list[Any], node)
        converted = [asdf_tagged(item) for item in items]
        return items if all(a is b for a, b in zip(converted, items, strict=True)) else converted
    return node


LAZY_TAGS = ("tag:stsci.edu:gwcs/wcs-",)
"""Tags of the metadata values a reader keeps as YAML nodes (``meta.wcs``, in the tree and in its items)."""


class Document:
    """The bytes of an ASDF document (a FITS ``ASDF`` extension): its blocks, and its tree as asdf converts
    it (made on first need, once)."""

    def __init__(self, raw: bytes, where: str) -> None:
        self.raw = raw
        self.where = where
        end = _YAML_END.search(raw)
        start = raw.find(BLOCK_MAGIC, end.end() if end else 0)
        if start < 0:
            self.blocks = b""
        else:  # the block index (offsets into this document) is left out: it would be wrong after the YAML
            index = raw.find(_BLOCK_INDEX, start)
            self.blocks = raw[start : index if index >= 0 else len(raw)]
        self._lock = threading.Lock()
        self._file: Any = None
        self._blocks_file: Any = None
        self.bookkeeping: Any = None
        """The root's YAML node as the reader composed it, holding only ``history.extensions`` (what asdf
        checks against the installed extensions), set by a reader that keeps nodes unbuilt (RawYaml)."""

    @property
    def has_blocks(self) -> bool:
        return bool(self.blocks)

    def node(self, path: Path, raw: object = None) -> object:
        """The node at ``path`` as asdf converts it (a gwcs WCS, an ndarray read from its block, ...);
        ``raw``, the node as read: when it is a YAML node kept unbuilt (RawYaml) it is built and converted
        itself, asdf reading the document's blocks alone (the YAML is parsed once, by the reader)."""
        import asdf
        from asdf.exceptions import AsdfConversionWarning

        from jwstmodels._core.errors import FileFormatError

        with self._lock:
            header = self._header() if isinstance(raw, RawYaml) and self.bookkeeping is not None else None
            if isinstance(raw, RawYaml) and header is not None:
                return self._convert_kept(raw, path, header)
            if self._file is None:
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", AsdfConversionWarning)  # unknown tags: kept as read
                        self._file = asdf.open(
                            io.BytesIO(self.raw), lazy_load=False, memmap=False, lazy_tree=True
                        )
                except Exception as exc:  # asdf raises many types for a damaged document
                    raise FileFormatError(
                        f"{self.where} cannot be read by asdf ({type(exc).__name__}: {exc})"
                    ) from None
            node: Any = self._file.tree
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", AsdfConversionWarning)
                    for part in path:
                        node = _child(node, part, self._file)
            except Exception as exc:
                shown = ".".join(str(p) for p in path)
                raise FileFormatError(
                    f"{self.where}: {shown} cannot be converted ({type(exc).__name__}: {exc})"
                ) from None
            return cast(object, node)

    def _header(self) -> bytes | None:
        """The document's header (comment lines) before its ``%YAML`` directive; None when the document does
        not start that way (asdf then reads the whole document)."""
        start = self.raw.find(b"\n%YAML")
        header = self.raw[: start + 1]
        if start < 0 or not all(line.startswith(b"#") for line in header.splitlines()):
            return None
        return header

    def _convert_kept(self, raw: RawYaml, path: Path, header: bytes) -> object:
        """``raw`` built by asdf's loader and converted, with the document's blocks (``_open_blocks``)."""
        import asdf.yamlutil
        from asdf.exceptions import AsdfConversionWarning

        from jwstmodels._core.errors import FileFormatError

        if self._blocks_file is None:
            self._blocks_file = self._open_blocks(header)
        try:
            loader = asdf.yamlutil.AsdfLoader(b"")
            try:
                tagged = loader.construct_document(raw.node)
            finally:
                loader.dispose()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", AsdfConversionWarning)  # unknown tags: kept as read
                return cast(object, asdf.yamlutil.tagged_tree_to_custom_tree(tagged, self._blocks_file))
        except Exception as exc:
            shown = ".".join(str(p) for p in path)
            raise FileFormatError(
                f"{self.where}: {shown} cannot be converted ({type(exc).__name__}: {exc})"
            ) from None

    def _open_blocks(self, header: bytes) -> Any:
        """asdf's file of a document made of ``header``, a YAML tree holding only what ``bookkeeping`` holds
        (the root's tag and ``history.extensions``) and the blocks (in their order, so that ``source: N``
        still holds): what asdf needs to convert a node read elsewhere.

        asdf's open validates ``history.extensions`` and checks them against the installed extensions (a
        warning for one not installed, or from a newer package), as opening the whole document did. A list
        that passed without a warning (with the same header and installed extensions) is not given again:
        the check costs a tenth of the first access to a WCS (as ``asdf_format._check_extensions``)."""
        import asdf
        import yaml
        from asdf.exceptions import AsdfConversionWarning

        from jwstmodels._core.errors import FileFormatError

        root = self.bookkeeping
        installed = asdf.get_config().extensions
        key = (repr(root), header, id(installed))
        passed = _EXTENSIONS_PASSED.get(key) is installed
        if passed:
            root = yaml.MappingNode(root.tag, [])
        dumper = yaml.CSafeDumper if getattr(yaml, "__with_libyaml__", False) else yaml.SafeDumper
        try:
            text = yaml.serialize(
                root, Dumper=dumper, explicit_start=True, explicit_end=True, version=(1, 1), encoding="utf-8"
            )
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                opened = asdf.open(
                    io.BytesIO(header + text + self.blocks),
                    lazy_load=False,
                    memmap=False,
                    lazy_tree=True,
                )
            given = [w for w in caught if not issubclass(w.category, AsdfConversionWarning)]
            for w in given:  # inside: one raised (a filter) fails the read, as when asdf gave it here
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        except Exception as exc:  # asdf raises many types for damaged blocks
            raise FileFormatError(
                f"{self.where} cannot be read by asdf ({type(exc).__name__}: {exc})"
            ) from None
        if not passed and not given and len(_EXTENSIONS_PASSED) < 64:
            _EXTENSIONS_PASSED[key] = installed
        return opened


_EXTENSIONS_PASSED: dict[tuple[str, bytes, int], object] = {}
"""The ``history.extensions`` lists (a root node's repr, with the document's header and the installed
extensions' list object) that asdf's open passed without a warning; the value keeps that list alive, so that
its id stays its own."""


_ASDF_ROOT_TAG = "tag:stsci.edu:asdf/core/asdf-"


def _child(node: Any, part: str | int, file: Any) -> Any:
    """``node[part]`` of asdf's lazy tree, converting only the nodes on the way to it.

    The reference writes each list item (``slits[0]``) as an ASDF root of its own (``!core/asdf-1.1.0``);
    asdf < 6 converts such a node whole when it is reached, arrays included, and the item's arrays refer to
    FITS HDUs (``source: fits:SCI,1``) that a document read alone cannot resolve. The item is walked as a
    lazy mapping instead, so only the value asked for (its ``meta.wcs``) is converted.
    """
    from asdf.lazy_nodes import AsdfDictNode
    from asdf.tagged import TaggedDict, get_tag

    backing: object = getattr(node, "tagged", None)
    if isinstance(backing, list | dict):
        raw: object = cast(Any, backing)[part]
        if isinstance(raw, TaggedDict) and str(get_tag(raw)).startswith(_ASDF_ROOT_TAG):
            return AsdfDictNode(dict(raw), weakref.ref(file))
    return node[part]


def refers_to_blocks(node: object) -> bool:
    """True when a node read as YAML (tags kept) holds an ndarray stored in a binary block (``source: N``)."""
    if isinstance(node, Mapping):
        mapping = cast(Mapping[str, object], node)
        if str(getattr(node, "_tag", "")).startswith("tag:stsci.edu:asdf/core/ndarray-") and isinstance(
            mapping.get("source"), int
        ):
            return True
        return any(refers_to_blocks(value) for value in mapping.values())
    if isinstance(node, list):
        return any(refers_to_blocks(item) for item in cast(list[object], node))
    return False


def mark_lazy(
    tree: dict[str, Any], layout: ModelLayout, make: Callable[[object, Path], Pending], blocks: bool
) -> None:
    """Replace in a tree read as YAML (tags kept) the nodes to convert on first need by pending values: the
    lazily read metadata fields (``meta.wcs``, and each item's), and, when the document has ``blocks``,
    every other node that refers to one (kept whole, so that a save in either format keeps its arrays)."""
    _mark_meta(tree, layout, (), make)
    for name, item_layout in layout.items.items():
        items = tree.get(name)
        if isinstance(items, list):
            for index, subtree in enumerate(cast(list[object], items)):
                if isinstance(subtree, dict):
                    _mark_meta(cast(dict[str, Any], subtree), item_layout, (name, index), make)
    _mark_blocks(tree, (), make, blocks)


def _mark_meta(
    tree: dict[str, Any], layout: ModelLayout, path: Path, make: Callable[[object, Path], Pending]
) -> None:
    meta = tree.get("meta")
    if not isinstance(meta, dict):
        return
    meta_tree = cast(dict[str, Any], meta)
    for name in lazy_fields(layout.meta_class):
        value = meta_tree.get(name)
        if value is not None and not isinstance(value, Pending):
            meta_tree[name] = make(value, (*path, "meta", name))


def _mark_blocks(node: object, path: Path, make: Callable[[object, Path], Pending], blocks: bool) -> None:
    """Wrap the children of plain mappings and lists that asdf converts as a whole: YAML nodes kept unbuilt
    (a WCS where the model has no field for it), and, when the document has ``blocks``, nodes that refer to
    one."""
    if type(node) is dict:
        mapping = cast(dict[str, Any], node)
        for key, value in mapping.items():
            if isinstance(value, Pending):
                continue
            if type(value) in (dict, list):
                _mark_blocks(value, (*path, key), make, blocks)
            elif isinstance(value, RawYaml) or (blocks and refers_to_blocks(value)):
                mapping[key] = make(value, (*path, key))
    elif type(node) is list:
        items = cast(list[Any], node)
        for index, value in enumerate(items):
            if isinstance(value, Pending):
                continue
            if type(value) in (dict, list):
                _mark_blocks(value, (*path, index), make, blocks)
            elif isinstance(value, RawYaml) or (blocks and refers_to_blocks(value)):
                items[index] = make(value, (*path, index))


def pending_in(document: Document) -> Callable[[object, Path], Pending]:
    """Pending values of the nodes of ``document`` (a FITS extension read as YAML)."""

    def make(raw: object, path: Path) -> Pending:
        return Pending(raw, document, lambda: document.node(path, raw))

    return make


_SCALARS = frozenset({str, int, float, bool, type(None)})
"""Types of the untagged YAML scalars: kept as asdf's lazy tree holds them (it converts none of them)."""
_LEFT_OUT: dict[Path, str] = {(): "asdf_library", ("history",): "extensions"}
"""What asdf writes about itself (rewritten on every save, read by no reader here): its tagged nodes are not
converted."""


def plain_tree(
    node: object, lazy_meta: frozenset[str] = frozenset(), path: Path = (), filename: str | None = None
) -> object:
    """An asdf tree read with ``lazy_tree`` as plain dicts and lists (converting what it holds) but for the
    lazily read metadata fields (``lazy_meta`` names, in any ``meta`` mapping): pending values; and without
    ``asdf_library`` and ``history.extensions`` (``_LEFT_OUT``)."""
    from asdf.lazy_nodes import AsdfDictNode, AsdfListNode
    from asdf.tags.core import AsdfObject

    if isinstance(node, AsdfObject) and isinstance(inner := getattr(node, "data", None), AsdfDictNode):
        node = inner  # the root, around the lazy mapping whose values as read are below
    if isinstance(node, AsdfDictNode | dict) and not hasattr(node, "_tag"):
        mapping = cast(Mapping[str, Any], node)
        # the values as read: a scalar needs no conversion (asdf's item access costs more than the rest here)
        held = cast(Mapping[str, Any], node.data) if isinstance(node, AsdfDictNode) else mapping
        left_out = _LEFT_OUT.get(path)
        in_meta = bool(path) and path[-1] == "meta"
        out: dict[str, Any] = {}
        for key, value in held.items():
            if key == left_out:
                continue
            if in_meta and key in lazy_meta:
                out[key] = Pending(None, None, _getter(mapping, key, (*path, key), filename))
            elif type(value) in _SCALARS:
                out[key] = value
            else:
                out[key] = plain_tree(mapping[key], lazy_meta, (*path, key), filename)
        return out
    if isinstance(node, AsdfListNode):
        return [plain_tree(item, lazy_meta, (*path, index), filename) for index, item in enumerate(node)]
    return node


def _getter(mapping: Mapping[str, Any], key: str, path: Path, filename: str | None) -> Callable[[], object]:
    """Converts the node; a copy, whose arrays are read now (asdf's lazy arrays hold the open file, which the
    model may close, and cannot be pickled). Once the file is closed, it is opened again to read the node."""
    import copy

    def load() -> object:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # a closed file shows as a failed conversion: read it again
                return copy.deepcopy(mapping[key])
        except Exception:
            if filename is None or not os.path.isfile(filename):
                raise
        import asdf

        with asdf.open(filename, lazy_load=False, memmap=False, lazy_tree=True) as af:
            node: Any = af.tree
            for part in path:
                node = node[part]
            return copy.deepcopy(node)

    return load


def as_read(node: object) -> tuple[object, Document | None] | None:
    """``node`` with every pending value replaced by the node as read, and the one document they come from;
    None when a pending value cannot be written back as read (converted already, from an ASDF file, or from
    more than one document)."""
    documents: set[int] = set()
    found: list[Document] = []

    def as_written(value: Pending) -> object:
        source = value.source
        if not isinstance(source, Document) or value.raw is None:
            raise _NotAsRead
        if id(source) not in documents:
            documents.add(id(source))
            found.append(source)
        return value.raw

    try:
        out = map_pending(node, as_written)
    except _NotAsRead:
        return None
    if len(found) > 1:
        return None
    return out, (found[0] if found else None)


class _NotAsRead(Exception):
    pass
