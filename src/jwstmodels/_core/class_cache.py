"""Caches keyed by a class (or a model layout) that do not keep classes made at run time alive.

``extend_schema`` makes metadata classes (and model classes, with their layouts) at run time, one set per
call; a ``functools.cache`` keyed by class would hold each of them, and what it works out for them, until the
process ends. Here a class that lives as long as its module (a generated or hand-written class, reachable as
``module.qualname``) has its value in a plain dict, looked up in C (a hit costs less than a
``functools.cache`` hit); any other class (made by ``pydantic.create_model``, or inside a function) keeps its
value on itself, in its own ``__jwst_cache__`` dict, so that the value goes with the class. A model layout
keeps its values in its own ``caches`` dict (:func:`per_layout`).

Two threads may both work out a missing value (the same facts): either is kept, as with ``functools.cache``.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Hashable
from typing import Any, Final, Protocol, TypeVar, TypeVarTuple, cast

__all__ = ["lives_with_module", "per_class", "per_layout"]

K = TypeVar("K", bound=type)
V = TypeVar("V")
L = TypeVar("L", bound="HasCaches")
Ts = TypeVarTuple("Ts")

OWN_CACHE: Final = "__jwst_cache__"
"""The attribute of a run-time class holding its cached values (a dict: function -> value). A framework
dunder, never a schema field."""


def lives_with_module(cls: type) -> bool:
    """Whether ``cls`` is reachable as ``module.qualname`` (its module keeps it alive: caching it for good
    costs nothing); False for classes made at run time or inside a function."""
    target: object = sys.modules.get(cls.__module__)
    for part in cls.__qualname__.split("."):
        if target is None:
            return False
        target = vars(target).get(part) if hasattr(target, "__dict__") else None
    return target is cls


class _PerClass(dict[K, V]):
    """The cache of one function: classes that live with their module, by class; the others on the class."""

    __slots__ = ("compute", "key")

    def __init__(self, compute: Callable[[K], V]) -> None:
        super().__init__()
        self.compute = compute
        self.key = f"{compute.__module__}.{compute.__qualname__}"

    def __missing__(self, cls: K) -> V:
        own = cast("dict[str, Any] | None", vars(cls).get(OWN_CACHE))
        if own is not None and self.key in own:
            return cast(V, own[self.key])
        value = self.compute(cls)
        if lives_with_module(cls):
            self[cls] = value
            return value
        own = cast("dict[str, Any] | None", vars(cls).get(OWN_CACHE))  # computing may have made it
        if own is None:
            own = {}
            type.__setattr__(cls, OWN_CACHE, own)
        own[self.key] = value
        return value


def per_class(compute: Callable[[K], V]) -> Callable[[K], V]:
    """``compute(cls)``, worked out once per class (a decorator in place of ``functools.cache``) without
    keeping a class made at run time alive. The returned lookup is a dict's ``__getitem__``: a hit runs no
    Python code."""
    return _PerClass(compute).__getitem__


class HasCaches(Protocol):
    """A key of :func:`per_layout`: an object keeping its cached values itself (``ModelLayout``)."""

    @property
    def caches(self) -> dict[Hashable, object]: ...


def per_layout(compute: Callable[[L, *Ts], V]) -> Callable[[L, *Ts], V]:
    """``compute(layout, *args)`` worked out once per layout and (hashable, positional) arguments, kept in
    ``layout.caches``, so that the layout of a model class made at run time takes its values with it."""

    @functools.wraps(compute)
    def lookup(layout: L, /, *args: *Ts) -> V:
        key = (compute, *args)
        caches = layout.caches
        try:
            return cast(V, caches[key])
        except KeyError:
            value = caches[key] = compute(layout, *args)
            return value

    return lookup
