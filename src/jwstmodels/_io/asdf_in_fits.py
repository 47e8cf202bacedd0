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

import functools
import io
import re
from collections.abc import Mapping
from typing import Any, cast

import numpy as np
from astropy.io import fits

from jwstmodels._io.asdf_blocks import LAZY_TAGS, Document, RawYaml, as_read, resolve

EXTENSION_NAME = "ASDF"
COLUMN_NAME = "ASDF_METADATA"
_ROOT_TAG = "tag:stsci.edu:asdf/core/asdf-1.1.0"
_ROOT_TAG_PREFIX = "tag:stsci.edu:asdf/core/asdf-"


def read_tree(hdu: Any, filename: str) -> dict[str, Any]:
    """The tree of an ``ASDF`` extension HDU, with tags kept (so unknown objects survive a re-save)."""
    return read_document(hdu, filename)[0]


def read_document(hdu: Any, filename: str) -> tuple[dict[str, Any], Document]:
    """(the tree of an ``ASDF`` extension HDU with tags kept, the document's bytes and blocks)."""
    from jwstmodels._core.errors import FileFormatError
    from jwstmodels._io.yaml_limits import SMALL_DOCUMENT, check_document, check_size, check_tree

    where = f"{filename}: the ASDF extension"
    try:
        raw = _payload(hdu)
        check_size(len(raw), where)
        try:
            tree = _load_untagged(raw, where)
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
    return drop_fits_arrays(cast(dict[str, Any], dict(tree))), Document(raw, where)


class _HasTags(Exception):
    """The document tags a node below its root: asdf's loader keeps such nodes as tagged objects."""


_YAML_END = re.compile(rb"\r?\n\.\.\.((\r?\n)|$)")
"""Where the YAML document ends (asdf's end marker; what follows would be binary blocks)."""


def _load_untagged(raw: bytes, where: str) -> object:
    """The document as asdf's tagged loader gives it, read by PyYAML alone, when no node below the root is
    tagged (what jwstmodels writes): asdf is not imported then (its import costs more than the rest of a first
    open). A tag anywhere else raises _HasTags."""
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
        try:
            return loader.construct_document(node)
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
    header = hdu.header
    info = hdu.fileinfo() if "data" not in vars(hdu) else None  # data already loaded: it may have changed
    size = header.get("NAXIS1")
    # A first column of N bytes in rows of N bytes is the only column; the document is the first row.
    if (
        info is not None
        and header.get("NAXIS2", 0) >= 1
        and str(header.get("TFORM1", "")).strip() == f"{size}B"
    ):
        handle = info["file"]
        position = handle.tell()
        try:
            handle.seek(info["datLoc"])
            data = handle.read(size)
        finally:
            handle.seek(position)
        if isinstance(data, bytes) and len(data) == size:
            return data
    return bytes(np.asarray(hdu.data[COLUMN_NAME][0] if COLUMN_NAME in hdu.columns.names else hdu.data[0][0]))


def drop_fits_arrays(tree: dict[str, Any]) -> dict[str, Any]:
    """Remove ndarrays whose data live in FITS HDUs (``source: fits:SCI,1``): the HDUs are read directly."""

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
                walk(item)
        return node

    walk(tree)
    return tree


def build_hdu(tree: Mapping[str, Any]) -> fits.BinTableHDU:
    """An ``ASDF`` extension HDU holding ``tree`` (arrays of FITS HDUs left out) as an ASDF document the
    reference can open."""
    payload = np.frombuffer(extension_payload(tree), dtype=np.uint8)
    column = fits.Column(name=COLUMN_NAME, format=f"{payload.size}B", array=payload[np.newaxis, :])
    return fits.BinTableHDU.from_columns([column], name=EXTENSION_NAME)


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
    return _asdf_document(cast(dict[str, Any], resolve(dict(tree))))


def _asdf_document(tree: dict[str, Any]) -> bytes:
    import asdf

    stream = io.BytesIO()
    af = asdf.AsdfFile(tree)
    try:
        af.write_to(stream)
    finally:
        af.close()
    return stream.getvalue()


@functools.cache
def _dumper() -> Any:
    """asdf's dumper, writing kept YAML nodes (RawYaml) back as they were read."""
    import asdf.yamlutil

    class Dumper(asdf.yamlutil.AsdfDumper):
        pass

    Dumper.add_representer(RawYaml, _represent_raw)
    return Dumper


def _represent_raw(dumper: Any, data: RawYaml) -> Any:
    return data.node


def _yaml_document(tree: Mapping[str, Any]) -> bytes:
    import asdf.tagged
    import asdf.versioning
    import yaml

    root = asdf.tagged.TaggedDict(dict(tree), _ROOT_TAG)
    stream = io.BytesIO()
    # The standard asdf writes by default: readers enable the converters of tags (gwcs WCS objects, say)
    # by it, and the reference reads a WCS object back only under the current standard.
    stream.write(f"#ASDF 1.0.0\n#ASDF_STANDARD {asdf.versioning.default_version}\n".encode())
    yaml.dump_all(
        [root],
        stream=stream,
        Dumper=_dumper(),
        explicit_start=True,
        explicit_end=True,
        version=(1, 1),
        allow_unicode=True,
        encoding="utf-8",
        tags={"!": "tag:stsci.edu:asdf/"},
    )
    return stream.getvalue()
