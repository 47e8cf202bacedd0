"""The ``ASDF`` extension of JWST FITS files: the model's tree, stored as an ASDF document in a binary table.

The reference implementation writes the whole tree there and reads it back (values that headers do not carry,
such as fields without a FITS keyword, history and WCS objects). We leave out the values header cards carry
exactly (see ``_header_carried``). We read it with asdf's YAML layer alone (tags kept) and keep its bytes: the
nodes that need asdf's converters or the document's binary blocks (the gwcs WCS of ``meta.wcs``, with its
arrays as blocks) are converted only when first touched (``_asdf_blocks``). Writing, asdf's YAML dumper is
enough while those nodes are written back as read (the document's blocks follow the YAML unchanged);
otherwise asdf writes the document (``asdf.AsdfFile``, whose first use in a process costs seconds of plugin
discovery).
"""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false
# (typed boundary around asdf's untyped YAML helpers and astropy's table HDU)

from __future__ import annotations

import collections
import functools
import io
import re
from collections.abc import Callable, Mapping
from typing import Any, cast

import numpy as np
from astropy.io import fits

from jwstmodels._core.lazy_objects import loaded
from jwstmodels._io.asdf_blocks import LAZY_TAGS, Document, RawYaml, TaggedMapping, as_read, asdf_tagged
from jwstmodels._io.header_scan import EXTENSION_NAME

COLUMN_NAME = "ASDF_METADATA"
_ROOT_TAG = "tag:stsci.edu:asdf/core/asdf-1.1.0"
_ROOT_TAG_PREFIX = "tag:stsci.edu:asdf/core/asdf-"
_NDARRAY_TAG_PREFIX = "tag:stsci.edu:asdf/core/ndarray-"
_PLAIN_TAG_PREFIXES = ("tag:stsci.edu:asdf/core/history_entry-", "tag:stsci.edu:asdf/core/software-")
"""Tagged mappings of plain values the untagged loader reads as TaggedMapping (history entries)."""


def read_tree(hdu: Any, filename: str) -> dict[str, Any]:
    """The tree of an ``ASDF`` extension HDU, with tags kept (so unknown objects survive a re-save)."""
    return read_document(hdu, filename)[0]


def read_document(hdu: Any, filename: str) -> tuple[dict[str, Any], Document]:
    """(the tree of an ``ASDF`` extension HDU with tags kept, the document's bytes and blocks)."""
    return read_document_bytes(lambda: _payload(hdu), filename)


def extension_bytes(hdu: Any, filename: str) -> bytes:
    """The raw bytes of an ``ASDF`` extension HDU (not parsed), kept by a model whose file closes before the
    extension is needed; FileFormatError naming the file when they cannot be read."""
    from jwstmodels._core.errors import FileFormatError

    try:
        return _payload(hdu)
    except Exception as exc:
        raise FileFormatError(
            f"{filename}: the ASDF extension cannot be read ({type(exc).__name__}: {exc})"
        ) from None


def read_document_bytes(payload: Callable[[], bytes], filename: str) -> tuple[dict[str, Any], Document]:
    """``read_document`` from the extension's bytes (``payload`` gives them)."""
    from jwstmodels._core.errors import FileFormatError
    from jwstmodels._io.yaml_limits import SMALL_DOCUMENT, check_document, check_size, check_tree

    where = f"{filename}: the ASDF extension"
    document: Document | None = None
    try:
        raw = payload()
        check_size(len(raw), where)
        document = Document(raw, where)
        try:
            tree = _load_untagged(raw, where, document)
        except _HasTags:
            import asdf.util

            if len(raw) > SMALL_DOCUMENT:  # asdf's loader builds the whole tree before it can be checked
                check_document(raw, where)
            tree = asdf.util.load_yaml(io.BytesIO(raw), tagged=True)
            check_tree(tree, where)  # aliases and depth (a small document is quick to build)
    except FileFormatError:
        raise
    except Exception as exc:  # yaml and asdf raise many types for a damaged document
        raise FileFormatError(
            f"{filename}: the ASDF extension cannot be read ({type(exc).__name__}: {exc})"
        ) from None
    if not isinstance(tree, Mapping):
        raise FileFormatError(f"{filename}: the ASDF extension does not hold a mapping")
    return drop_fits_arrays(cast(dict[str, Any], dict(tree))), document


class _HasTags(Exception):
    """The document tags a node below its root: asdf's loader keeps such nodes as tagged objects."""


_YAML_END = re.compile(rb"\r?\n\.\.\.((\r?\n)|$)")
"""Where the YAML document ends (asdf's end marker; what follows would be binary blocks)."""


def _load_untagged(raw: bytes, where: str, document: Document | None = None) -> object:
    """The document as asdf's tagged loader gives it, read by PyYAML alone, when no node below the root is
    tagged (what jwstmodels writes): asdf is not imported then (its import costs more than the rest of a first
    open). A tag anywhere else raises _HasTags. ``document``: given what asdf needs to convert the nodes kept
    unbuilt (``Document.bookkeeping``)."""
    import yaml

    if not getattr(yaml, "__with_libyaml__", False):  # a PyYAML built without libyaml: asdf's loader reads it
        raise _HasTags("PyYAML without libyaml")
    from jwstmodels._io.yaml_limits import SMALL_DOCUMENT, check_document, check_tree, yaml_node_children

    if len(raw) > SMALL_DOCUMENT:  # the node count of a large document is checked before nodes are built
        check_document(raw, where)
    end = _YAML_END.search(raw)
    loader = _untagged_loader()(raw[: end.end()] if end else raw)
    try:
        node = loader.get_single_node()  # composed by libyaml; checked before any Python object is built
        if node is None:
            return None
        check_tree(node, where, yaml_node_children)
        _keep_lazy_nodes(node)  # meta.wcs stays a YAML node: built by asdf when first touched
        bookkeeping = _drop_bookkeeping(node)
        if document is not None:
            document.bookkeeping = bookkeeping
        try:
            return drop_fits_arrays(loader.construct_document(node), strict=True)
        except _HasTags:  # tagged nodes below the root: built as asdf's tagged dicts, lists and strings
            tagged = _tagged_loader()(b"")
            try:
                return tagged.construct_document(node)
            finally:
                tagged.dispose()
    finally:
        loader.dispose()


_RAW_TAG = "tag:jwstmodels:raw-yaml"
"""Tag of the placeholder nodes ``_keep_lazy_nodes`` puts where a kept node was."""


def _keep_lazy_nodes(root: Any) -> None:
    """Replace the tagged ``meta.wcs`` nodes (of the root and of the items of its lists) by placeholders that
    construct to a RawYaml holding the node: built by asdf only when the WCS is first touched."""
    import yaml

    class Placeholder(yaml.ScalarNode):
        original: Any = None

    def keep(mapping: Any) -> None:
        if not isinstance(mapping, yaml.MappingNode):
            return
        for key, value in mapping.value:
            if not (
                isinstance(key, yaml.ScalarNode)
                and key.value == "meta"
                and isinstance(value, yaml.MappingNode)
            ):
                continue
            for index, (name, held) in enumerate(value.value):
                if str(held.tag).startswith(LAZY_TAGS) and isinstance(name, yaml.ScalarNode):
                    placeholder = Placeholder(_RAW_TAG, "")
                    placeholder.original = held
                    value.value[index] = (name, placeholder)

    keep(root)
    if isinstance(root, yaml.MappingNode):
        for _, value in root.value:
            if isinstance(value, yaml.SequenceNode):
                for item in value.value:
                    keep(item)


def _drop_bookkeeping(root: Any) -> Any:
    """Take out of the root mapping node what asdf writes about itself and no reader here uses (asdf rewrites
    it on save): ``asdf_library`` and ``history.extensions``, tagged nodes that would otherwise send every
    file the reference writes through asdf's loader. Returns a root node (the root's tag) holding only
    ``history.extensions``, for asdf's check of the extensions when it converts a kept node (None: the root
    is no mapping)."""
    import yaml

    if not isinstance(root, yaml.MappingNode):
        return None
    kept: list[tuple[Any, Any]] = []
    extensions: list[tuple[Any, Any]] = []
    for key, value in root.value:
        name = key.value if isinstance(key, yaml.ScalarNode) else None
        if name == "asdf_library":
            continue
        if name == "history" and isinstance(value, yaml.MappingNode):
            entries: list[tuple[Any, Any]] = []
            for pair in value.value:
                if isinstance(pair[0], yaml.ScalarNode) and pair[0].value == "extensions":
                    extensions = [(key, yaml.MappingNode(value.tag, [pair]))]
                else:
                    entries.append(pair)
            value.value = entries
        kept.append((key, value))
    root.value = kept
    return yaml.MappingNode(root.tag, extensions)


class _FitsArray(dict[str, Any]):
    """An ndarray node whose data are a FITS HDU (``source: fits:SCI,1``), as the reference writes every array
    in the tree: dropped by ``drop_fits_arrays`` (the HDUs are read directly)."""


def _construct_raw(loader: Any, node: Any) -> RawYaml:
    return RawYaml(node.original)


@functools.cache
def _tagged_loader() -> Any:
    """asdf's tagged loader (with libyaml), taking the placeholders of kept nodes."""
    import asdf.yamlutil

    class Loader(asdf.yamlutil.AsdfLoader):
        pass

    Loader.add_constructor(_RAW_TAG, _construct_raw)
    return Loader


@functools.cache
def _untagged_loader() -> Any:
    import yaml

    class Loader(yaml.CSafeLoader):  # the base of asdf's loader (with libyaml; see _load_untagged)
        def construct_undefined(self, node: Any) -> Any:
            if isinstance(node, yaml.MappingNode) and str(node.tag).startswith(_ROOT_TAG_PREFIX):
                return self.construct_yaml_map(node)
            if isinstance(node, yaml.MappingNode) and str(node.tag).startswith(_PLAIN_TAG_PREFIXES):
                return TaggedMapping(cast(dict[str, Any], self.construct_mapping(node, deep=True)), node.tag)
            if isinstance(node, yaml.MappingNode) and str(node.tag).startswith(_NDARRAY_TAG_PREFIX):
                array = _FitsArray(cast(dict[str, Any], self.construct_mapping(node, deep=True)))
                source = array.get("source")
                if isinstance(source, str) and source.startswith("fits:"):
                    return array
            raise _HasTags(node.tag)

        def construct_yaml_omap(self, node: Any) -> Any:  # asdf builds an ordered map of its own
            raise _HasTags(node.tag)

    # None: every tag without a constructor of its own (PyYAML's convention; its stubs ask for a str).
    Loader.add_constructor(cast(str, None), Loader.construct_undefined)
    Loader.add_constructor("tag:yaml.org,2002:omap", Loader.construct_yaml_omap)
    Loader.add_constructor(_RAW_TAG, _construct_raw)
    return Loader


def _payload(hdu: Any) -> bytes:
    """The document's bytes. In the usual layout (one row, one column of N bytes) they are read straight from
    the file: astropy would first build a whole table around them, which costs more than the rest of a
    metadata-only read."""
    info = hdu.fileinfo() if "data" not in vars(hdu) else None  # data already loaded: it may have changed
    size = _one_row_size(hdu.header) if info is not None else None
    if info is not None and size is not None:
        data = _read_at(info["file"], int(info["datLoc"]), size)
        if isinstance(data, bytes) and len(data) == size:
            return data
    return bytes(np.asarray(hdu.data[COLUMN_NAME][0] if COLUMN_NAME in hdu.columns.names else hdu.data[0][0]))


def _one_row_size(header: Any) -> int | None:
    """N, when the table holds the document in the usual layout: a first column of N bytes in rows of N
    bytes is the only column; the document is the first row."""
    size = header.get("NAXIS1")
    if header.get("NAXIS2", 0) >= 1 and str(header.get("TFORM1", "")).strip() == f"{size}B":
        return int(size)
    return None


def _read_at(handle: Any, offset: int, size: int) -> object:
    position = handle.tell()
    try:
        handle.seek(offset)
        return handle.read(size)
    finally:
        handle.seek(position)


def payload_of_data(hdu: Any, data: bytes) -> bytes:
    """The document's bytes from the bytes of ``hdu``'s data part as the file holds them (its header says
    the layout)."""
    size = _one_row_size(hdu.header)
    if size is not None and size <= len(data):
        return data[:size]
    header = str(hdu.header.tostring()).encode("ascii")
    table = fits.BinTableHDU.fromstring(header + data)  # another layout: astropy reads it
    return _payload(table)


def drop_fits_arrays(tree: Any, *, strict: bool = False) -> Any:
    """Remove ndarrays whose data live in FITS HDUs (``source: fits:SCI,1``) from the mappings of ``tree``:
    the HDUs are read directly. ``strict``: one read by the untagged loader that is left (an item of a list)
    raises _HasTags, so that asdf's loader builds it with its tag."""

    def keep(value: object) -> bool:
        if isinstance(value, Mapping):
            source = cast(Mapping[str, object], value).get("source")
            return not (isinstance(source, str) and source.startswith("fits:"))
        return True

    def walk(node: object) -> object:
        if isinstance(node, dict):
            mapping = cast(dict[str, object], node)
            for key in [k for k, v in mapping.items() if not keep(v)]:
                del mapping[key]
            for value in mapping.values():
                walk(value)
        elif isinstance(node, list):
            for item in cast(list[object], node):
                if strict and isinstance(item, _FitsArray):
                    raise _HasTags(_NDARRAY_TAG_PREFIX)
                walk(item)
        return node

    walk(tree)
    return tree


def build_hdu(tree: Mapping[str, Any]) -> fits.BinTableHDU:
    """An ``ASDF`` extension HDU holding ``tree`` (arrays of FITS HDUs left out) as an ASDF document the
    reference can open."""
    payload = np.frombuffer(extension_payload(tree), dtype=np.uint8)
    column = fits.Column(name=COLUMN_NAME, format=f"{payload.size}B", array=payload[np.newaxis, :])
    # The same bytes as ``BinTableHDU.from_columns``, which imports astropy.table (and through its I/O
    # registry asdf): a fifth of a second in a fresh process.
    hdu = fits.BinTableHDU(name=EXTENSION_NAME)
    hdu.data = fits.FITS_rec.from_columns([column])
    return hdu


def extension_payload(tree: Mapping[str, Any]) -> bytes:
    """The ASDF document of ``tree``: dumped as YAML (with the blocks of the document its pending nodes came
    from) when that writes everything as read, else written by asdf (see ``_asdf_blocks``)."""
    import yaml

    written = as_read(dict(tree))
    if written is not None:
        plain, document = written
        try:
            text = _yaml_document(cast(Mapping[str, Any], plain))
        except yaml.representer.RepresenterError:  # objects (converted by asdf): asdf writes them
            pass
        else:
            return text + (document.blocks if document is not None else b"")
    return _asdf_document(cast(dict[str, Any], asdf_tagged(loaded(dict(tree)))))


def _asdf_document(tree: dict[str, Any]) -> bytes:
    import asdf

    stream = io.BytesIO()
    af = asdf.AsdfFile(tree)
    try:
        af.write_to(stream)
    finally:
        af.close()
    return stream.getvalue()


ASDF_STANDARD = "1.6.0"
"""The standard asdf writes by default (``asdf.versioning.default_version``; a test keeps them equal): readers
enable the converters of tags (gwcs WCS objects, say) by it, and the reference reads a WCS object back only
under the current standard. Named here so that writing a document does not import asdf."""


class _Root(dict[str, Any]):
    """The root of a document written by ``_plain_dumper``: a mapping with asdf's root tag."""


class _NeedsAsdf(Exception):
    """A tree holding asdf's tagged objects (or an ordered map): asdf's own dumper writes it."""


@functools.cache
def _plain_dumper() -> Any:
    """A dumper writing what asdf's dumper writes for a tree of plain containers, scalars, numpy scalars and
    kept YAML nodes (RawYaml), without importing asdf (its import costs more than the rest of a first save).
    Objects asdf tags (an attribute ``_tag``) or represents its own way raise _NeedsAsdf."""
    import yaml

    # libyaml's emitter when PyYAML has it (as asdf's dumper): both write the same text
    base: type[Any] = yaml.CSafeDumper if getattr(yaml, "__with_libyaml__", False) else yaml.SafeDumper

    class Dumper(base):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["default_flow_style"] = None  # as asdf's dumper
            super().__init__(*args, **kwargs)

        def represent_data(self, data: Any) -> Any:
            if type(data) not in _PLAIN_TYPES and hasattr(data, "_tag") and not isinstance(data, RawYaml):
                raise _NeedsAsdf(type(data).__name__)
            return super().represent_data(data)

    def represent_root(dumper: Any, data: _Root) -> Any:
        return dumper.represent_mapping(_ROOT_TAG, data)

    def refuse(dumper: Any, data: Any) -> Any:
        raise _NeedsAsdf(type(data).__name__)

    Dumper.add_representer(_Root, represent_root)
    Dumper.add_representer(RawYaml, _represent_raw)
    Dumper.add_representer(TaggedMapping, _represent_tagged)
    Dumper.add_multi_representer(np.floating, _represent_float)
    Dumper.add_multi_representer(np.integer, _represent_int)
    Dumper.add_multi_representer(collections.OrderedDict, refuse)  # an omap in asdf's dumper
    return Dumper


def _represent_float(dumper: Any, value: np.floating[Any]) -> Any:
    return dumper.represent_float(float(value))


def _represent_int(dumper: Any, value: np.integer[Any]) -> Any:
    return dumper.represent_int(int(value))


_PLAIN_TYPES = frozenset({dict, list, str, int, float, bool, type(None)})


@functools.cache
def _dumper() -> Any:
    """asdf's dumper, writing kept YAML nodes (RawYaml) back as they were read."""
    import asdf.yamlutil

    class Dumper(asdf.yamlutil.AsdfDumper):
        pass

    Dumper.add_representer(RawYaml, _represent_raw)
    Dumper.add_representer(TaggedMapping, _represent_tagged)
    return Dumper


def _represent_raw(dumper: Any, data: RawYaml) -> Any:
    return data.node


def _represent_tagged(dumper: Any, data: TaggedMapping) -> Any:
    return dumper.represent_mapping(data.tag, data)


def _yaml_document(tree: Mapping[str, Any]) -> bytes:
    """The YAML document of ``tree`` as asdf's dumper writes it; with PyYAML alone when the tree holds none of
    asdf's tagged objects (what a model's metadata is)."""
    import yaml

    try:
        return _dump(_Root(tree), _plain_dumper(), ASDF_STANDARD)
    except (_NeedsAsdf, yaml.representer.RepresenterError):  # asdf's dumper writes it, or fails the same way
        pass
    import asdf.tagged
    import asdf.versioning

    return _dump(
        asdf.tagged.TaggedDict(dict(tree), _ROOT_TAG), _dumper(), str(asdf.versioning.default_version)
    )


def _dump(root: object, dumper: Any, standard: str) -> bytes:
    import yaml

    stream = io.BytesIO()
    stream.write(f"#ASDF 1.0.0\n#ASDF_STANDARD {standard}\n".encode())
    yaml.dump_all(
        [root],
        stream=stream,
        Dumper=dumper,
        explicit_start=True,
        explicit_end=True,
        version=(1, 1),
        allow_unicode=True,
        encoding="utf-8",
        tags={"!": "tag:stsci.edu:asdf/"},
    )
    return stream.getvalue()
