"""Schema facts of a generated package, derived from its classes (the package ships only run-time tables).

``leaves`` (dotted path -> keyword, HDU, JSON type, title of every metadata leaf of every model),
``meta_leaves`` (metadata class -> the dotted paths of its leaves) and ``model_scalars`` (a model class's
scalars outside ``meta``) answer what tests ask of the generated code, from the field declarations and the
classes' field facts (``__jwst_fields__``) alone.
"""

from __future__ import annotations

import datetime
import importlib
import types
import typing
from typing import Any, Literal, cast

from jwstmodels import DataModel, MetaNode
from jwstmodels._core.lazy_objects import lazy_class_of
from jwstmodels._core.meta import field_facts
from jwstmodels._core.schema_info import Leaf

_JSON_TYPES: dict[type, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}


def _is_list(origin: object) -> bool:
    """``list`` or a list class of the metadata (``HistoryList``), as the origin of a subscripted type."""
    return isinstance(origin, type) and issubclass(origin, list)


def _json_type(annotation: object) -> str:
    """``int | None`` -> ``integer``; ``Literal["A"] | None`` -> ``string``; lists -> ``array``."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if _is_list(origin):
        return "array"
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        return _json_type(args[0])
    if origin is Literal:
        return _JSON_TYPES[type(args[0])]
    if annotation is datetime.datetime:
        return "string"
    if isinstance(annotation, type) and annotation in _JSON_TYPES:
        return _JSON_TYPES[annotation]
    raise TypeError(f"no JSON type for {annotation!r}")


def _is_list(origin: object) -> bool:
    """``list[...]`` or a list subclass such as ``HistoryList[...]`` (history entries that also take text)."""
    return isinstance(origin, type) and issubclass(origin, list)


def _location(cls: type[MetaNode], name: str) -> tuple[str | None, str]:
    keyword, hdu = cls.fits_location(name)
    return keyword, hdu or "PRIMARY"


def _node_class(annotation: object) -> type[MetaNode] | None:
    """The metadata class of a nested object field (``Exposure``, ``HistorySoftware | None``)."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, MetaNode):
            return candidate
    return None


def _item_class(annotation: object) -> type[MetaNode] | None:
    """The item class of a list of objects (``list[HistoryEntry]``, ``HistoryList[HistoryEntry]``)."""
    if _is_list(typing.get_origin(annotation)):
        return _node_class(typing.get_args(annotation)[0])
    return None


def model_classes(package: str) -> list[type[DataModel[MetaNode]]]:
    """The package's model classes, in its ``MODEL_CLASSES`` order (the manifest's), item models after."""
    lookup: Any = importlib.import_module(f"{package}.lookup")
    found: list[type[DataModel[MetaNode]]] = []
    for name, module in lookup.CLASS_MODULES.items():
        value: object = getattr(importlib.import_module(f"{package}.{module}"), name)
        if isinstance(value, type) and issubclass(value, DataModel):
            found.append(cast(type[DataModel[MetaNode]], value))
    order = {entry[1]: i for i, entry in enumerate(lookup.MODEL_CLASSES.values())}
    return sorted(found, key=lambda cls: order.get(cls.__name__, len(order)))


def leaves(package: str) -> dict[str, Leaf]:
    """Dotted path -> the leaf, for every scalar and list of every model's ``meta`` (the first model that
    has a path gives its facts)."""
    found: dict[str, Leaf] = {}

    def walk(cls: type[MetaNode], path: str) -> None:
        for name, info in cls.model_fields.items():
            nested = _node_class(info.annotation)
            if nested is not None and _item_class(info.annotation) is None:
                walk(nested, f"{path}.{name}")
                continue
            if lazy_class_of(info.annotation) is not None:  # a tagged object (meta.wcs): not a leaf
                continue
            keyword, hdu = _location(cls, name)
            title = field_facts(cls).get(name, {}).get("title", "")
            leaf = Leaf(f"{path}.{name}", keyword, hdu, _json_type(info.annotation), title)
            found.setdefault(leaf.path, leaf)

    for model in model_classes(package):
        walk(model.meta_class, "meta")
    return found


def meta_leaves(package: str) -> dict[str, tuple[str, ...]]:
    """Metadata class name -> the dotted paths of its own leaves (inherited included, nested objects not), at
    the first path where a model uses the class (``meta.history[]`` for the items of ``meta.history``)."""
    found: dict[str, tuple[str, ...]] = {}

    def walk(cls: type[MetaNode], path: str) -> None:
        if cls.__name__ in found:
            return
        paths: list[str] = []
        for name, info in cls.model_fields.items():
            item = _item_class(info.annotation)
            nested = _node_class(info.annotation) if item is None else None
            if nested is None:
                paths.append(f"{path}.{name}")
        found[cls.__name__] = tuple(paths)
        for name, info in cls.model_fields.items():
            item = _item_class(info.annotation)
            if item is not None:
                walk(item, f"{path}.{name}[]")
            elif (nested := _node_class(info.annotation)) is not None:
                walk(nested, f"{path}.{name}")

    for model in model_classes(package):
        walk(model.meta_class, "meta")
    return found


def model_scalars(model: type[DataModel[MetaNode]]) -> tuple[Leaf, ...]:
    """The scalars of ``model`` outside ``meta`` (``SlitModel.name``), each with its field name as path."""
    return tuple(
        Leaf(name, field.keyword, field.hdu or "PRIMARY", _JSON_TYPES[field.kind], field.title)
        for name, field in model.__jwst_layout__.scalar_fields.items()
    )
