"""Base class of the generated metadata classes (``Meta``, ``Exposure``, ``ImageMeta``, ...).

Each generated class is a pydantic model whose fields are the schema's properties. This base adds what the
validation policy asks for: an assignment is checked at once, a bad value raises a
:class:`~jwstmodels.ValidationError` that names the model, the dotted path and the FITS keyword, and the
node is left unchanged; an unknown attribute raises :class:`~jwstmodels.UnknownFieldError` instead of
being created.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import types
import typing
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, Union, cast, get_args, get_origin

import numpy as np
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from jwstmodels._core.errors import UnknownFieldError, ValidationError, describe_location
from jwstmodels._core.node import NodeBase, complete, set_parent
from jwstmodels._core.node_instance import NodeInstance, flat_items, undeclared_attributes_kept
from jwstmodels._core.node_plans import assignable_fields, dump_node


class MetaNode(NodeBase):
    """A node of the metadata tree; generated classes subclass it."""

    __slots__ = ()

    @classmethod
    def fits_location(cls, name: str) -> tuple[str | None, str | None]:
        """The (FITS keyword, HDU) of field ``name``, from the schema's ``fits_keyword``/``fits_hdu``."""
        info = cls.model_fields.get(name)
        extra = info.json_schema_extra if info is not None else None
        if not isinstance(extra, dict):
            return None, None
        keyword: object = cast(dict[str, object], extra).get("fits_keyword")
        hdu: object = cast(dict[str, object], extra).get("fits_hdu", "PRIMARY")
        return (keyword if isinstance(keyword, str) else None, hdu if isinstance(hdu, str) else None)

    # -- the validation policy ----------------------------------------------------------------------

    if not TYPE_CHECKING:
        # Hidden from type checkers (as pydantic hides its own) so that assigning to a misspelt name stays a
        # static error; at run time it applies the validation policy.
        def __setattr__(self, name: str, value: Any) -> None:
            field = assignable_fields(type(self)).get(name)
            if field is not None and field.accepts(value):
                # A value pydantic would store as it is (a str in a ``str | None`` field, of exactly that
                # type): stored directly, as pydantic's assignment would, without building the class's
                # validator.
                self.__dict__[name] = value
                self.__pydantic_fields_set__.add(name)
                return
            kinds = None if value is None else field_kinds(type(self), name)
            if kinds is not None:  # one rule for every scalar: no value crosses kinds (``assigned``)
                stored = assigned(kinds, value)
                if stored is REFUSED:
                    raise self._misfit(name, value)
                value = stored
                if field is not None and field.accepts(value):  # an int widened, a numpy scalar made plain
                    self.__dict__[name] = value
                    self.__pydantic_fields_set__.add(name)
                    return
            if (
                field is None
                and undeclared_attributes_kept()
                and name[0] != "_"
                and name not in type(self).__pydantic_fields__
                and self._keep_undeclared(name, value)
            ):
                return
            complete(self)  # pydantic's assignment copies the node's values: none may be waiting
            try:
                BaseModel.__setattr__(self, name, value)
            except PydanticValidationError:
                if name not in type(self).__pydantic_fields__:
                    raise self._unknown(name) from None
                raise self._misfit(name, value) from None
            if isinstance(value, MetaNode) and name[0] != "_":
                set_parent(value, self, name)

    def _misfit(self, name: str, value: object) -> ValidationError:
        """The ValidationError for ``value`` assigned to field ``name``, naming model, path and keyword."""
        keyword, hdu = self.fits_location(name)
        return ValidationError.for_field(
            model=self.owner_name,
            path=f"{self.dotted_path}.{name}",
            keyword=keyword,
            hdu=hdu,
            expected=describe_annotation(type(self).__pydantic_fields__[name].annotation),
            got=value,
        )

    def _keep_undeclared(self, name: str, value: object) -> bool:
        """Keep an undeclared attribute in the model's preserved tree (the drop-in switch is on); False for
        a node outside a model."""
        try:
            NodeInstance(self)[name] = value
        except KeyError:
            return False
        return True

    def _unknown(self, name: str) -> UnknownFieldError:
        return unknown_field(self, name)

    def hasattr(self, name: str) -> bool:
        """True when this node holds a value for its field ``name`` (a group: when any value in it is set).

        As the reference's ``node.hasattr``: False for a name the node does not declare and for a dotted
        name. (Python's ``hasattr(node, name)`` instead says whether the schema declares ``name``.)
        """
        complete(self)
        value: object = self.__dict__.get(name)
        if isinstance(value, MetaNode):
            return value.has_values()
        return value is not None

    @property
    def instance(self) -> NodeInstance:
        """This node's values as a live dict, as the reference's ``node.instance``: declared fields read and
        written through the node (validated), undeclared keys kept in the model's preserved tree
        (``jwstmodels._core.node_instance``)."""
        complete(self)
        return NodeInstance(self)

    def items(self) -> Iterator[tuple[str, object]]:
        """Every set value below this node as ``(dotted key, value)``, groups flattened, as the reference's
        ``node.items()`` (``("exposure.nframes", 4)``); values the schema does not declare included."""
        complete(self)
        return flat_items(NodeInstance(self))

    def has_values(self) -> bool:
        """True when any value in this node (or a group below it) is set."""
        return bool(self.model_dump(exclude_none=True, warnings=False))

    if not TYPE_CHECKING:
        # Hidden from type checkers so that a misspelt attribute stays a static error.
        def __getattr__(self, name: str) -> Any:
            if name.startswith("_"):
                return super().__getattr__(name)
            if name in type(self).__pydantic_fields__:  # a field waiting for the file (``_io.fits_lazy``)
                return self._completed(name)
            if undeclared_attributes_kept():
                with contextlib.suppress(KeyError):
                    return NodeInstance(self)[name]
            raise self._unknown(name)

        # Hidden from type checkers, which keep pydantic's signature. Until the class's serializer exists, the
        # plain python dump (all that this package asks for) walks the tree without it, so that saving a model
        # does not build the serializer of its whole metadata class; anything else is pydantic's.
        def model_dump(
            self, *, mode: str = "python", exclude_none: bool = False, warnings: Any = True, **rest: Any
        ):
            complete(self)
            if mode == "python" and not rest and not type(self).__pydantic_complete__:
                dumped = dump_node(self, exclude_none, warnings)
                if dumped is not None:
                    return dumped
            return super().model_dump(mode=mode, exclude_none=exclude_none, warnings=warnings, **rest)

        # Every other way pydantic reads the whole node: the fields waiting for the file are filled first.
        def model_dump_json(self, **kwargs: Any) -> str:
            complete(self)
            return super().model_dump_json(**kwargs)

        def model_copy(self, *, update: Any = None, deep: bool = False):
            complete(self)
            return super().model_copy(update=update, deep=deep)

        def __eq__(self, other: object) -> bool:
            complete(self)
            if isinstance(other, NodeBase):
                complete(other)
            return super().__eq__(other)

        def __iter__(self):
            complete(self)
            return super().__iter__()

        def __repr_args__(self):
            complete(self)
            return super().__repr_args__()

        def __getstate__(self) -> dict[Any, Any]:
            complete(self)
            return super().__getstate__()

    def _completed(self, name: str) -> object:
        """Field ``name``, absent from this node's ``__dict__``: its value waits for the file, which is read
        now (``_io.fits_lazy``). Absent without a file to wait for is a bug, not a None."""
        complete(self)
        if name not in self.__dict__:
            where = describe_location(self.owner_name, f"{self.dotted_path}.{name}")
            raise RuntimeError(f"{where}: the field holds no value and none is waiting to be read")
        return getattr(self, name)  # through the class's attribute where it has one (``meta.wcs``)


def unknown_field(node: MetaNode, name: str) -> UnknownFieldError:
    """The error for ``name``, not a field of ``node`` (naming the node's place, with a close match)."""
    where = describe_location(node.owner_name, node.dotted_path)
    close = difflib.get_close_matches(name, list(type(node).model_fields), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return UnknownFieldError(f"{where} has no field {name!r}{hint}")


REFUSED: Final[object] = object()
"""What ``assigned`` gives for a value of the wrong kind."""


def assigned(kinds: frozenset[type], value: object) -> object:
    """``value`` as a field holding ``kinds`` (of str, int, float, bool) stores it when it is assigned, or
    ``REFUSED``: the assignment rule of metadata and top-level scalars alike.

    No value crosses kinds: a bool is not an int, text is not a number, a number is not text, a float is not
    an int (even 4.0). An int widens into a float field. numpy scalars count as the Python value of their kind
    (``np.int64(3)`` is an int, ``np.str_`` text). Values read from files follow the reading policy instead.
    """
    if isinstance(value, np.generic):
        value = cast("np.generic[Any]", value).item()
    if isinstance(value, bool):
        return value if bool in kinds else REFUSED
    if isinstance(value, str):
        return value if str in kinds else REFUSED
    if isinstance(value, int):
        if int in kinds:
            return value
        return float(value) if float in kinds else REFUSED
    if isinstance(value, float):
        return value if float in kinds else REFUSED
    return REFUSED


@functools.cache
def field_kinds(cls: type[MetaNode], name: str) -> frozenset[type] | None:
    """The scalar kinds (of str, int, float, bool) field ``name`` of ``cls`` holds (a ``Literal``'s values
    count by their type); None when it is not a plain scalar field (nodes, lists, dates: pydantic decides)."""
    info = cls.model_fields.get(name)
    if info is None:
        return None
    annotation = info.annotation
    args = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (annotation,)
    kinds: set[type] = set()
    for arg in args:
        if arg is type(None):
            continue
        if arg in (str, int, float, bool):
            kinds.add(cast(type, arg))
        elif get_origin(arg) is Literal:
            kinds.update(type(value) for value in cast(tuple[object, ...], get_args(arg)))
        else:
            return None
    return frozenset(kinds) or None


def describe_annotation(annotation: Any) -> str:
    """Human text for a field annotation: ``int or None``, ``one of 'NIRCAM', 'MIRI' or None``."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return " or ".join(describe_annotation(arg) for arg in get_args(annotation))
    if origin is Literal:
        return "one of " + ", ".join(repr(arg) for arg in get_args(annotation))
    if annotation is type(None):
        return "None"
    if origin is typing.Annotated:
        return describe_annotation(get_args(annotation)[0])
    return getattr(annotation, "__name__", str(annotation))


class ScalarLeaf(NamedTuple):
    """A scalar field of a meta class: where it is in the tree and, if it has one, in a FITS file."""

    names: tuple[str, ...]
    """Attribute names below ``meta``: ``("exposure", "nframes")``."""
    path: str
    """Dotted path: ``meta.exposure.nframes``."""
    keyword: str | None
    hdu: str
    title: str
    annotation: Any


class KeywordLeaf(NamedTuple):
    """A scalar field of a meta class that has a FITS keyword."""

    names: tuple[str, ...]
    path: str
    keyword: str
    hdu: str
    title: str


@functools.cache
def scalar_leaves(meta_class: type[MetaNode]) -> tuple[ScalarLeaf, ...]:
    """Every scalar field of ``meta_class`` (recursively), in schema order.

    Derived once per class from the generated field declarations (title, ``json_schema_extra``), not from
    YAML.
    """
    found: list[ScalarLeaf] = []

    def walk(cls: type[MetaNode], names: tuple[str, ...]) -> None:
        for name, info in cls.model_fields.items():
            annotation = info.annotation
            if isinstance(annotation, type) and issubclass(annotation, MetaNode):
                walk(annotation, (*names, name))
                continue
            keyword, hdu = cls.fits_location(name)
            path = ".".join(("meta", *names, name))
            found.append(
                ScalarLeaf((*names, name), path, keyword, hdu or "PRIMARY", info.title or "", annotation)
            )

    walk(meta_class, ())
    return tuple(found)


@functools.cache
def keyword_leaves(meta_class: type[MetaNode]) -> tuple[KeywordLeaf, ...]:
    """Every field of ``meta_class`` (recursively) that the schema maps to a FITS keyword, in schema order."""
    return tuple(
        KeywordLeaf(leaf.names, leaf.path, leaf.keyword, leaf.hdu, leaf.title)
        for leaf in scalar_leaves(meta_class)
        if leaf.keyword is not None
    )
