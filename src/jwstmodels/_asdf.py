"""ASDF: the model as an ASDF tree (``meta`` plus one ndarray per array or table), read with lazy blocks.

asdf is imported on first use only: its first ``AsdfFile`` costs a second or more (plugin discovery), which
FITS-only work must not pay.
"""

# pyright: reportPrivateUsage=false, reportUnknownMemberType=false, reportUnknownVariableType=false
# pyright: reportUnknownArgumentType=false
# (runtime module: it works on the internal state of models; it is also the typed boundary around
# astropy/asdf, which ship partial or no annotations: what leaves this module is typed)

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Generator, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from ._atomic import atomic_write
from ._errors import FileFormatError, InvalidValueWarning
from ._history import history_to_root, read_asdf_lists
from ._loading import Location, put_path, warn_invalid
from ._meta_lists import install_file_meta
from ._scalars import apply_tree, scalar_tree

if TYPE_CHECKING:
    from ._base import DataModel
    from ._meta import MetaNode

# Keys asdf itself puts at the root of every tree.
_ASDF_KEYS = {"asdf_library", "history"}


def extension_tuple(extensions: object) -> tuple[object, ...]:
    """The ``extensions=`` a model or ``open`` was given (None, one, or several) as a tuple."""
    if extensions is None:
        return ()
    if isinstance(extensions, list | tuple | set | frozenset):
        return tuple(cast(Iterable[object], extensions))
    return (extensions,)


@contextlib.contextmanager
def extensions_in_effect(extensions: tuple[object, ...]) -> Generator[None]:
    """asdf configured with ``extensions`` (extension objects); without any, asdf is not even imported."""
    if not extensions:
        yield
        return
    import asdf

    with asdf.config_context() as config:
        for extension in extensions:
            config.add_extension(cast(Any, extension))
        yield


def open_asdf(source: str | os.PathLike[str] | Any, filename: str) -> Any:
    import asdf
    import asdf.exceptions

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            af = asdf.open(cast(Any, source), lazy_load=True, memmap=False)
        except Exception as exc:  # asdf raises many types (yaml, schema, value errors) for a bad file
            raise FileFormatError(
                f"{filename}: not a readable ASDF file ({type(exc).__name__}: {exc})"
            ) from None
        try:
            _ = af.tree  # converts the tagged tree: unknown tags warn here
        except Exception as exc:
            af.close()
            raise FileFormatError(
                f"{filename}: not a readable ASDF file ({type(exc).__name__}: {exc})"
            ) from None
    for w in caught:
        if issubclass(w.category, asdf.exceptions.AsdfWarning):  # e.g. a tag no installed extension knows
            warnings.warn(f"{filename}: {w.message}", InvalidValueWarning, stacklevel=3)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return af


def read_asdf(model: DataModel[MetaNode], af: Any, filename: str) -> None:
    """Fill ``model`` from an open AsdfFile: metadata now, array blocks when first touched."""
    read_tree(model, cast(dict[str, Any], af.tree), filename)


def read_tree(model: DataModel[MetaNode], tree: dict[str, Any], filename: str) -> None:
    """Fill ``model`` from an ASDF tree; list fields (``slits``, ...) hold one subtree per item."""
    meta_tree = tree.get("meta", {})
    if not isinstance(meta_tree, Mapping):
        raise FileFormatError(f"{filename}: the ASDF tree's 'meta' is not a mapping")
    extra = model._extra_tree

    def on_invalid(loc: Location, value: object, expected: str) -> None:
        warn_invalid(f"{filename}: meta.{'.'.join(loc)}", value, expected)
        if not model._pass_invalid:
            put_path(extra, ("meta", *loc), value)

    def on_unknown(loc: Location, value: object) -> None:
        put_path(extra, ("meta", *loc), value)

    lists = install_file_meta(
        model, cast(Mapping[str, object], meta_tree), on_invalid=on_invalid, on_unknown=on_unknown
    )
    read_asdf_lists(model, lists, tree, filename)  # the root history too
    scalars = apply_tree(model, tree, filename)
    for key, value in tree.items():
        if key == "meta" or key in _ASDF_KEYS or key in scalars:
            continue
        if key in model._fields:
            model._store.loaders[key] = _loader(tree, key)
            shape = getattr(value, "shape", None)
            if shape is not None:
                model._store.shapes[key] = tuple(int(n) for n in shape)
        elif key in model._list_fields and isinstance(value, list):
            item_class = model._list_fields[key].item_class
            items: list[Any] = []
            for index, subtree in enumerate(cast(list[Any], value)):
                if not isinstance(subtree, Mapping):
                    raise FileFormatError(f"{filename}: {key}[{index}] is not a mapping")
                item = item_class()
                read_tree(item, dict(cast(Mapping[str, Any], subtree)), f"{filename}: {key}[{index}]")
                items.append(item)
            model._lists[key] = items
        elif key == "extra_fits" and isinstance(value, Mapping):
            for hdu, cards in cast(Mapping[str, Any], value).items():
                model.extra_fits[str(hdu)] = [(str(k), v, str(c)) for k, v, c in cards]
        else:
            extra[key] = value


def _loader(tree: dict[str, Any], key: str) -> Any:
    def load() -> Any:
        return np.asarray(tree[key])

    return load


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


def metadata_tree(model: DataModel[MetaNode]) -> dict[str, Any]:
    """The tree without arrays: the set metadata plus what a file held that the schema does not describe."""
    tree: dict[str, Any] = {"meta": _prune(model.meta.model_dump(exclude_none=True, warnings=False))}
    history_to_root(model, tree)
    tree.update(scalar_tree(model))
    return _merge(tree, model._extra_tree)


def build_tree(model: DataModel[MetaNode]) -> dict[str, Any]:
    """The whole ASDF tree of a model: metadata, arrays and tables, extra_fits."""
    tree = metadata_tree(model)
    for name, _, value in model._arrays_to_save():
        tree[name] = value
    for name in model._list_fields:
        items = model._lists.get(name)
        if items:
            tree[name] = [build_tree(item) for item in items]
    if model.extra_fits:
        tree["extra_fits"] = {hdu: [list(card) for card in cards] for hdu, cards in model.extra_fits.items()}
    return tree


def write_asdf(model: DataModel[MetaNode], path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> Path:
    import asdf

    af = asdf.AsdfFile(build_tree(model))
    try:
        return atomic_write(path, lambda tmp: af.write_to(tmp, *args, **kwargs))
    finally:
        af.close()
