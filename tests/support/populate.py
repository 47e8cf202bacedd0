"""Fill every metadata field of a model with a valid, distinctive value (for round-trip tests)."""

from __future__ import annotations

import types
from typing import Any, Literal, Union, get_args, get_origin

from jwstmodels import MetaNode


def sample_value(annotation: Any, salt: int) -> object:
    """A valid value for a scalar field annotation; ``salt`` makes values differ between fields."""
    args = [a for a in get_args(annotation) if a is not type(None)]
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType) and len(args) == 1:
        return sample_value(args[0], salt)
    if origin is Literal:
        values = get_args(annotation)
        return values[salt % len(values)]
    if annotation is bool:
        return salt % 2 == 0
    if annotation is int:
        return 100 + salt
    if annotation is float:
        return 0.5 + salt
    if annotation is str:
        return f"value-{salt}"
    raise TypeError(f"no sample for {annotation!r}")


def is_list(annotation: Any) -> bool:
    """True for a list field (``HistoryList[HistoryEntry]``, ``list[float] | None``)."""
    return _is_list(annotation) or any(_is_list(arg) for arg in get_args(annotation))


def _is_list(annotation: Any) -> bool:
    origin = get_origin(annotation)
    return origin is list or (isinstance(origin, type) and issubclass(origin, list))


def populate(meta: MetaNode, prefix: str = "meta", start: int = 0) -> dict[str, object]:
    """Set every scalar below ``meta`` and return ``{dotted path: value}``."""
    values: dict[str, object] = {}
    salt = start
    for name, info in type(meta).model_fields.items():
        child = getattr(meta, name)
        if isinstance(child, MetaNode):
            values.update(populate(child, f"{prefix}.{name}", salt + 1000))
            continue
        if is_list(info.annotation):  # lists (history, read_times, ...) have tests of their own
            continue
        value = sample_value(info.annotation, salt)
        setattr(meta, name, value)
        values[f"{prefix}.{name}"] = value
        salt += 1
    return values


def get_path(root: object, dotted: str) -> object:
    node = root
    for part in dotted.split("."):
        node = getattr(node, part)
    return node
