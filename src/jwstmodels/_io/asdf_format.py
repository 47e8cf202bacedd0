"""ASDF: the model as an ASDF tree (``meta`` plus one ndarray per array or table), read with lazy blocks.

asdf is imported on first use only: its first ``AsdfFile`` costs a second or more (plugin discovery), which
FITS-only work must not pay.
"""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false
# (the typed boundary around
# astropy/asdf, which ship partial or no annotations: what leaves this module is typed)

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

import numpy as np

from jwstmodels._core.content import FileContent, ModelLayout
from jwstmodels._core.errors import FileFormatError, InvalidValueWarning, file_errors, naming_place
from jwstmodels._core.policy import apply_tree, read_meta
from jwstmodels._io.atomic import atomic_write
from jwstmodels._io.history import history_to_root, read_asdf_lists
from jwstmodels._io.sources import AsdfSource, bind_asdf

# Keys asdf itself puts at the root of every tree.
_ASDF_KEYS = {"asdf_library", "history"}
_PLAIN_TREE = "_jwstmodels_tree"
"""Attribute of an AsdfFile opened by ``open_asdf``: its tree as plain containers (``_asdf_blocks``)."""


def open_asdf(source: str | os.PathLike[str] | Any, filename: str) -> Any:
    import asdf
    import asdf.exceptions

    _check_yaml(source, filename)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            af = _open_lazily(source)
        except Exception as exc:  # asdf raises many types (yaml, schema, value errors) for a bad file
            raise FileFormatError(
                f"{filename}: not a readable ASDF file ({type(exc).__name__}: {exc})"
            ) from None
        try:
            from jwstmodels._core.lazy_objects import lazy_meta_names
            from jwstmodels._io.asdf_blocks import plain_tree

            tree = af.tree
            if isinstance(cast(object, tree), Mapping) and isinstance(getattr(tree, "data", tree), Mapping):
                # converts the tagged tree but for meta.wcs (left to first access): unknown tags warn here
                tree = plain_tree(tree, lazy_meta_names(), filename=_path_of(source))
                setattr(af, _PLAIN_TREE, tree)  # what read_asdf reads (an AsdfFile holds any attribute)
            else:
                tree = getattr(tree, "data", tree)  # refused below, by its type
        except Exception as exc:
            af.close()
            raise FileFormatError(
                f"{filename}: not a readable ASDF file ({type(exc).__name__}: {exc})"
            ) from None
        if not isinstance(cast(object, tree), Mapping):  # the YAML root may be a list or a scalar
            af.close()
            raise FileFormatError(
                f"{filename}: not a readable ASDF file (its tree is a {type(tree).__name__}, not a mapping)"
            )
    for w in caught:
        if issubclass(w.category, asdf.exceptions.AsdfWarning):  # e.g. a tag no installed extension knows
            warnings.warn(f"{filename}: {w.message}", InvalidValueWarning, stacklevel=3)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return af


def _open_lazily(source: object) -> Any:
    """``asdf.open`` with ``lazy_tree`` (tagged nodes converted when first touched: meta.wcs when the model
    reads it); a root that is no mapping, which asdf's lazy tree cannot hold, is opened the usual way (and
    refused by the caller). asdf's check of the extensions a file names is made once per set of names
    (``_check_extensions``)."""
    import asdf

    tell, seek = getattr(source, "tell", None), getattr(source, "seek", None)
    start = tell() if callable(tell) else None
    try:
        af = asdf.open(
            cast(Any, source), lazy_load=True, memmap=False, lazy_tree=True, ignore_missing_extensions=True
        )
    except TypeError:
        if callable(seek) and start is not None:
            seek(start)
        return asdf.open(cast(Any, source), lazy_load=True, memmap=False)
    try:
        _check_extensions(af)
    except BaseException:
        af.close()
        raise
    return af


_CHECKED: dict[tuple[str, str, int], object] = {}
"""The extension lists (as read, with the file's ASDF standard and the installed extensions' list object)
asdf's check passed without a warning; the value keeps that list alive, so that its id stays its own."""


def _check_extensions(af: Any) -> None:
    """What ``asdf.open`` checks of the extensions a file was written with (a warning for one not installed,
    or from a newer package), made once for each list of them: the check converts every entry and compares
    package versions, a tenth of an open, and its answer depends only on the list and the installed
    extensions."""
    import asdf

    root = getattr(af.tree, "data", None)
    held = getattr(root, "tagged", None)
    history = held.get("history") if isinstance(held, dict) else None
    entries = cast(dict[str, object], history).get("extensions") if isinstance(history, dict) else None
    if entries is None:
        return
    installed = asdf.get_config().extensions
    key = (repr(entries), str(af.version_string), id(installed))
    if _CHECKED.get(key) is installed:
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        af._check_extensions(af.tree)  # asdf's own check (skipped by ignore_missing_extensions)
    for w in caught:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if not caught and len(_CHECKED) < 64:
        _CHECKED[key] = installed


def _path_of(source: object) -> str | None:
    """The file's path, when ``source`` is one (a node read later is read from there once the file is
    closed)."""
    if isinstance(source, str | os.PathLike):
        return os.fspath(cast("str | os.PathLike[str]", source))
    return None


def _check_yaml(source: object, filename: str) -> None:
    """Refuse a tree past the limits of _yaml_limits before asdf parses it (asdf walks it recursively, with
    aliases expanded, and validates every node)."""
    from jwstmodels._io.yaml_limits import check_asdf_stream

    where = f"{filename}: the ASDF tree"
    if isinstance(source, str | os.PathLike):
        with open(cast("str | os.PathLike[str]", source), "rb") as handle:
            check_asdf_stream(handle.read, where)
        return
    read, seek, tell = (getattr(source, name, None) for name in ("read", "seek", "tell"))
    if callable(read) and callable(seek) and callable(tell):
        position = tell()
        try:
            check_asdf_stream(cast(Any, read), where)
        finally:
            seek(position)


def read_asdf(af: Any, layout: ModelLayout, filename: str, *, pass_invalid: bool = False) -> FileContent:
    """What an open AsdfFile holds for a model of ``layout``: metadata now, array blocks when first
    touched."""
    content = FileContent(layout, filename, pass_invalid)
    tree = getattr(af, _PLAIN_TREE, None)
    if not isinstance(tree, dict):  # an AsdfFile opened elsewhere: its tree as it is
        from jwstmodels._core.lazy_objects import lazy_meta_names
        from jwstmodels._io.asdf_blocks import plain_tree

        tree = plain_tree(af.tree, lazy_meta_names())
    _install_lazy(layout)
    read_tree(content, cast(dict[str, Any], tree), filename)
    bind_asdf(content, af, filename)
    return content


def _install_lazy(layout: ModelLayout) -> None:
    """The converting attributes of the lazily read metadata fields, on the classes about to hold them."""
    from jwstmodels._core.lazy_objects import lazy_fields

    lazy_fields(layout.meta_class)
    for item in layout.items.values():
        _install_lazy(item)


def read_tree(content: FileContent, tree: dict[str, Any], filename: str) -> None:
    """Fill ``content`` from an ASDF tree; list fields (``slits``, ...) hold one subtree per item."""
    meta_tree = tree.get("meta", {})
    if not isinstance(meta_tree, Mapping):
        raise FileFormatError(f"{filename}: the ASDF tree's 'meta' is not a mapping")
    layout = content.layout
    extra = content.extra_tree
    lists = read_meta(content, cast(Mapping[str, object], meta_tree), tree_place=f"{filename}: ")
    content.model_type_place = f"{filename}: meta.model_type"
    read_asdf_lists(content, lists, tree, filename)  # the root history too
    scalars = apply_tree(content, tree, filename)
    for key, value in tree.items():
        if key == "meta" or key in _ASDF_KEYS or key in scalars:
            continue
        if key in layout.fields:
            where = f"{filename}: {key} ({_block_name(value)})"
            with file_errors(where, "read the array's description"):
                shape = _checked_node(value, where)
            if shape is None and not hasattr(value, "_source"):  # not an array node: refused now, by name
                with naming_place(where):
                    layout.fields[key].coerce(value)
            content.loaders[key] = _loader(tree, key, filename)
            if shape is not None:
                content.shapes[key] = shape
        elif key in layout.items and isinstance(value, list):
            items: list[FileContent] = []
            for index, subtree in enumerate(cast(list[Any], value)):
                if not isinstance(subtree, Mapping):
                    raise FileFormatError(f"{filename}: {key}[{index}] is not a mapping")
                item = FileContent(layout.items[key], pass_invalid=content.pass_invalid)
                read_tree(item, dict(cast(Mapping[str, Any], subtree)), f"{filename}: {key}[{index}]")
                items.append(item)
            content.items[key] = items
        elif key == "extra_fits" and isinstance(value, Mapping):
            for hdu, cards in cast(Mapping[str, Any], value).items():
                content.extra_fits[str(hdu)] = [(str(k), v, str(c)) for k, v, c in cards]
        else:
            extra[key] = value


def _loader(tree: dict[str, Any], key: str, filename: str) -> AsdfSource:
    return AsdfSource(tree, key, f"{filename}: ASDF node {key}")


def _block_name(node: object) -> str:
    source = getattr(node, "_source", None)
    if isinstance(source, int):
        return f"ASDF block {source}"
    return "ASDF array" if source is None else f"ASDF array from {source!r}"


def _checked_node(node: object, where: str) -> tuple[int, ...] | None:
    """The shape of an array node, from the tree alone; refused when it is no shape (a field that cannot
    hold the array refuses it when it is first read, as a validation problem)."""
    shape = getattr(node, "shape", None)
    if shape is None:
        return None
    if not isinstance(shape, tuple | list) or not all(
        isinstance(n, int | np.integer) and not isinstance(n, bool) and n >= 0
        for n in cast(tuple[object, ...], shape)
    ):
        if cast(object, shape) == ("*",):  # a streamed block: its length is known when read
            return None
        raise FileFormatError(f"{where}: the array's shape {shape!r} is not a list of lengths")
    return tuple(int(n) for n in cast(tuple[int, ...], shape))


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Add ``extra`` into ``base`` where ``base`` has nothing (``base`` wins)."""
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], cast(Mapping[str, Any], value))
        elif key not in base:
            base[key] = value
    return base


def _prune(tree: dict[str, Any]) -> dict[str, Any]:
    """Drop empty objects (unset metadata groups) from a dumped tree."""
    out: dict[str, Any] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            value = _prune(cast(dict[str, Any], value))
            if not value:
                continue
        out[key] = value
    return out


def metadata_tree(content: FileContent) -> dict[str, Any]:
    """The tree without arrays: the set metadata plus what a file held that the schema does not describe."""
    tree: dict[str, Any] = {"meta": _prune(content.meta_tree.model_dump(exclude_none=True, warnings=False))}
    history_to_root(content, tree)
    tree.update(scalar_tree(content))
    return _merge(tree, content.extra_tree)


def build_tree(content: FileContent) -> dict[str, Any]:
    """The whole ASDF tree of a model's content: metadata, arrays and tables, extra_fits."""
    tree = metadata_tree(content)
    for name, _, value in content.arrays:
        tree[name] = np.asarray(value)  # a plain ndarray: asdf writes no ndarray subclass (a Table)
    for name in content.layout.items:
        items = content.items.get(name)
        if items:
            tree[name] = [build_tree(item) for item in items]
    if content.extra_fits:
        tree["extra_fits"] = {
            hdu: [list(card) for card in cards] for hdu, cards in content.extra_fits.items()
        }
    return tree


def write_asdf(content: FileContent, path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> Path:
    import asdf

    from jwstmodels._core.lazy_objects import loaded
    from jwstmodels._io.asdf_blocks import asdf_tagged

    # pending nodes converted; history entries as asdf's tagged dicts
    af = asdf.AsdfFile(cast(dict[str, Any], asdf_tagged(loaded(build_tree(content)))))
    try:
        return atomic_write(path, lambda handle: af.write_to(cast(Any, handle), *args, **kwargs))
    finally:
        af.close()


def scalar_tree(content: FileContent) -> dict[str, object]:
    """The set scalar fields as top-level keys of an ASDF tree (field name -> value; objects outside meta
    as mappings, left out when empty)."""
    from jwstmodels._core.objects import tree_value

    tree = {name: tree_value(value) for name, value in content.scalars.items()}
    return {name: value for name, value in tree.items() if value is not None}
