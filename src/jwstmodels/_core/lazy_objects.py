"""Metadata fields holding a tagged object (``meta.wcs``, a gwcs WCS), typed by its class and read lazily.

A generated metadata class declares ``wcs: GWCS | None``: for type checkers ``GWCS`` is ``gwcs.WCS``; at run
time it is :func:`lazy_instance_type`'s stand-in, whose pydantic check imports the class only when a value
is assigned (importing a model, or opening a FITS file, never imports gwcs). Its JSON schema
(``model_json_schema()``) names the class without importing it (:func:`lazy_json_schema`).

Reading a file, a backend does not convert the node: it puts a :class:`Pending` in the node's ``__dict__``
(the field's value as the file holds it, and how to convert it). A data descriptor on the class
(:func:`install_lazy_field`) converts it on first access and keeps the object. Until then the pending value
travels through dumps untouched, so that a save writes the node back as it was read, blocks included.
"""

from __future__ import annotations

import copy
import functools
import importlib
import threading
import types
import typing
from collections.abc import Callable
from typing import Any, Union, cast, get_args, get_origin

from jwstmodels._core.class_cache import per_class

_LAZY_CLASS = "__jwstmodels_lazy_class__"
"""Attribute of a stand-in type: the ``module:qualname`` of the class it stands for."""


@functools.cache
def import_class(spec: str) -> type:
    """The class named ``module:qualname`` (``gwcs.wcs:WCS``), imported on first use."""
    module_name, _, qualname = spec.partition(":")
    target: object = importlib.import_module(module_name)
    for part in qualname.split("."):
        target = getattr(target, part)
    if not isinstance(target, type):
        raise TypeError(f"{spec!r} names no class")
    return target


class Pending:
    """A tagged node read from a file and not converted yet.

    ``raw``: the node as the file's YAML holds it (tags kept; what a save writes back unchanged);
    ``source``: an identity of the document it came from (its binary blocks, which ``raw`` may refer to by
    index); ``load``: converts it (asdf), called at most once.
    """

    __slots__ = ("_loaded", "_lock", "_value", "load_value", "raw", "source")

    def __init__(self, raw: object, source: object, load: Callable[[], object]) -> None:
        self.raw = raw
        self.source = source
        self.load_value = load
        self._loaded = False
        self._value: object = None
        self._lock = threading.Lock()

    def load(self) -> object:
        with self._lock:
            if not self._loaded:
                self._value = self.load_value()
                self._loaded = True
            return self._value

    def __deepcopy__(self, memo: dict[int, object]) -> Pending:
        """A copy converts on its own (an independent object), from the same document."""
        return Pending(self.raw, self.source, lambda: copy.deepcopy(self.load()))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as the converted object (the document it refers to does not travel)."""
        return (_identity, (self.load(),))

    def __repr__(self) -> str:
        tag = getattr(self.raw, "_tag", None)
        return f"<not read yet: {tag or type(self.raw).__name__}>"


def _identity(value: object) -> object:
    return value


class _LazyField:
    """The class attribute that converts a :class:`Pending` value of field ``name`` on first access.

    A node that does not convert to the field's class (a tag no installed extension knows) warns
    (``InvalidValueWarning``) and reads as None; it stays as read, so that a save writes it back."""

    def __init__(self, name: str, spec: str) -> None:
        self.name = name
        self.spec = spec

    def __get__(self, obj: object, objtype: type | None = None) -> object:
        if obj is None:
            return self
        values = cast(dict[str, object], obj.__dict__)
        if self.name not in values:  # waiting for the file (``_io.fits_lazy``): the node reads it, then here
            completed = getattr(obj, "_completed")  # noqa: B009  # MetaNode's, which this module cannot import
            return cast(Callable[[str], object], completed)(self.name)
        value = values.get(self.name)
        if isinstance(value, Pending):
            converted = value.load()
            if not isinstance(converted, import_class(self.spec)):
                import warnings

                from jwstmodels._core.errors import InvalidValueWarning

                owner = getattr(obj, "owner_name", "") or type(obj).__name__
                where = getattr(obj, "dotted_path", "meta")
                place = getattr(value.source, "where", None)  # the file (a Document names it)
                prefix = f"{place}: " if place else ""
                wanted = self.spec.replace(":", ".")
                warnings.warn(
                    f"{prefix}{owner}: {where}.{self.name} in the file is not a {wanted} "
                    f"({value!r} converts to a {type(converted).__name__}); it reads as None and is "
                    "written back as read",
                    InvalidValueWarning,
                    stacklevel=2,
                )
                return None
            values[self.name] = converted
            value = converted
        return value

    def __set__(self, obj: object, value: object) -> None:  # assignment goes through the node's __setattr__
        setattr_ = cast(Callable[[object, str, object], None], type(obj).__setattr__)
        setattr_(obj, self.name, value)


def lazy_instance_type(spec: str) -> type:
    """The run-time stand-in of a class named ``module:qualname`` in a metadata annotation: pydantic accepts
    an object of the class (imported on the first check) or a :class:`Pending` node of a file."""
    from pydantic_core import core_schema

    def check(value: object) -> object:
        if isinstance(value, Pending):  # a file's node: not converted (nor the class imported) here
            return value
        if isinstance(value, import_class(spec)):
            return value
        raise ValueError(f"expected a {spec.replace(':', '.')} object")

    def schema(cls: type, source: object, handler: object) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(check)

    name = spec.replace(":", ".")

    def json_schema(cls: type, schema: object, handler: object) -> dict[str, object]:
        return lazy_json_schema(spec)

    return types.new_class(
        name,
        (),
        {},
        lambda ns: ns.update(
            {
                _LAZY_CLASS: spec,
                "__get_pydantic_core_schema__": classmethod(schema),
                "__get_pydantic_json_schema__": classmethod(json_schema),
                "__module__": __name__,
            }
        ),
    )


def lazy_json_schema(spec: str) -> dict[str, object]:
    """The JSON schema of a value of the class named ``module:qualname``: an object of that Python class,
    which an ASDF file stores as a tagged node (the field's property adds the title and the tag from its
    class's field table, as for every other field)."""
    name = spec.replace(":", ".")
    return {
        "type": "object",
        "python_class": name,
        "description": f"A {name} object; an ASDF file stores it as a tagged node (its tag is the field's).",
    }


def lazy_class_of(annotation: object) -> str | None:
    """The ``module:qualname`` a field annotation (``GWCS | None``) stands for; None for other fields."""
    args = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (annotation,)
    for arg in args:
        if get_origin(arg) is typing.Annotated:
            arg = get_args(arg)[0]
        spec = getattr(arg, _LAZY_CLASS, None)
        if isinstance(spec, str):
            return spec
    return None


@per_class
def lazy_fields(cls: type) -> tuple[str, ...]:
    """The fields of a metadata class (not its nested ones) that hold lazily read objects; the converting
    attribute is installed on the class the first time it is asked (by a reader, before it stores a
    :class:`Pending` there)."""
    fields = cast(dict[str, Any], getattr(cls, "model_fields", {}))
    specs = {name: lazy_class_of(info.annotation) for name, info in fields.items()}
    names = tuple(name for name, spec in specs.items() if spec is not None)
    for name in names:
        if not isinstance(cls.__dict__.get(name), _LazyField):
            type.__setattr__(cls, name, _LazyField(name, cast(str, specs[name])))
    return names


def lazy_meta_names() -> frozenset[str]:
    """Names of the lazily read metadata fields of the generated classes (``wcs``), for readers that mark
    them before they know the model class's fields."""
    return frozenset({"wcs"})


def map_pending(node: object, convert: Callable[[Pending], object]) -> object:
    """``node`` with ``convert(value)`` in place of every pending value; the containers on the way to one are
    copied (a tagged mapping or list keeps its type and tag), the others returned as they are."""
    if isinstance(node, Pending):
        return convert(node)
    if isinstance(node, dict):
        mapping = cast(dict[Any, Any], node)
        changed = {key: map_pending(value, convert) for key, value in mapping.items()}
        if all(changed[key] is mapping[key] for key in mapping):
            return mapping
        copied = copy.copy(mapping)
        copied.update(changed)
        return copied
    if isinstance(node, list):
        items = cast(list[Any], node)
        converted = [map_pending(item, convert) for item in items]
        if all(a is b for a, b in zip(converted, items, strict=True)):
            return items
        copied_list = copy.copy(items)
        copied_list[:] = converted
        return copied_list
    return node


def loaded(node: object) -> object:
    """``node`` with every pending value converted (containers holding one are copied): what a user sees of
    a dumped tree (``to_flat_dict``), and what a writer that cannot keep a node as read is given."""
    return map_pending(node, Pending.load)
