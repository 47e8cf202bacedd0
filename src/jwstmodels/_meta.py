"""Base class of the generated metadata classes (``Meta``, ``Exposure``, ``ImageMeta``, ...).

Each generated class is a pydantic model whose fields are the schema's properties. This base adds what the
validation policy asks for: an assignment is checked at once, a bad value raises a
:class:`~jwstmodels.ValidationError` that names the model, the dotted path and the FITS keyword, and the
node is left unchanged; an unknown attribute raises :class:`~jwstmodels.UnknownFieldError` instead of
being created.
"""

from __future__ import annotations

import difflib
import functools
import types
import typing
import weakref
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Final,
    Literal,
    NamedTuple,
    Self,
    Union,
    cast,
    get_args,
    get_origin,
)

import numpy as np
from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError

from ._errors import UnknownFieldError, ValidationError, describe_location


def set_parent(child: MetaNode, parent: MetaNode, name: str) -> None:
    """Record that ``child`` is field ``name`` of ``parent``.

    The child holds its parent weakly: a strong reference both ways would make every metadata tree a
    reference cycle, which only the garbage collector frees (a model's ninety nodes, for each model dropped,
    and collections that cost more than the rest of a metadata read). A node kept after its tree is gone
    names itself alone in messages.
    """
    object.__setattr__(child, "_parent", weakref.ref(parent))
    object.__setattr__(child, "_name", name)


class MetaNode(BaseModel):
    """A node of the metadata tree; generated classes subclass it."""

    model_config = ConfigDict(
        validate_assignment=True,
        extra="forbid",
        revalidate_instances="never",
        protected_namespaces=(),
        # A class's validator is built when it is first needed (an assignment to one of its fields, a
        # whole-tree validation), not at import: the catalogue has well over a hundred classes, and trees
        # are built, dumped and checked without pydantic validators where they can be (``_node_plans``).
        defer_build=True,
    )

    # Where the node sits, for error messages. Plain slots, not pydantic private attributes: a model holds
    # about ninety nodes, and private attributes would cost several microseconds each to set up. ``_parent``
    # is a weak reference (see ``set_parent``).
    __slots__ = ("__weakref__", "_name", "_owner", "_parent")

    _node_fields: ClassVar[tuple[str, ...]] = ()
    """Names of the fields that hold nested nodes (computed when the class is created)."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._node_fields = tuple(
            name
            for name, info in cls.model_fields.items()
            if isinstance(info.annotation, type) and issubclass(info.annotation, MetaNode)
        )

    def model_post_init(self, context: Any, /) -> None:
        self.bind_children()

    def attach(self, owner: str) -> None:
        """Make this node the root ``meta`` of a model of class ``owner``."""
        object.__setattr__(self, "_owner", owner)
        object.__setattr__(self, "_name", "meta")
        object.__setattr__(self, "_parent", None)

    def bind_children(self) -> None:
        """Point each nested node at this one (construction and copying call it)."""
        for name in self._node_fields:
            set_parent(self.__dict__[name], self, name)

    def __copy__(self) -> Self:
        return self._with_location(super().__copy__())

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        return self._with_location(super().__deepcopy__(memo))

    def _with_location(self, copied: Self) -> Self:
        """A copy keeps this node's name and owner, and its children point at it."""
        for slot in ("_name", "_owner"):
            if hasattr(self, slot):
                object.__setattr__(copied, slot, getattr(self, slot))
        copied.bind_children()
        return copied

    # -- location, for error messages ---------------------------------------------------------------

    @property
    def dotted_path(self) -> str:
        """Dotted path of this node in its model, e.g. ``meta.exposure``."""
        names: list[str] = []
        node: MetaNode | None = self
        while node is not None:
            names.append(getattr(node, "_name", "meta"))
            node = node._parent_node()
        return ".".join(reversed(names))

    def _parent_node(self) -> MetaNode | None:
        """The node this one is a field of; None for a root, or when that node no longer exists."""
        ref: weakref.ref[MetaNode] | None = getattr(self, "_parent", None)
        return ref() if ref is not None else None

    @property
    def owner_name(self) -> str | None:
        """Class name of the model this node belongs to, when it belongs to one."""
        node = self
        while (parent := node._parent_node()) is not None:
            node = parent
        return getattr(node, "_owner", None)

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

    def _unknown(self, name: str) -> UnknownFieldError:
        where = describe_location(self.owner_name, self.dotted_path)
        close = difflib.get_close_matches(name, list(type(self).model_fields), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return UnknownFieldError(f"{where} has no field {name!r}{hint}")

    def hasattr(self, name: str) -> bool:
        """True when this node holds a value for its field ``name`` (a group: when any value in it is set).

        As the reference's ``node.hasattr``: False for a name the node does not declare and for a dotted
        name. (Python's ``hasattr(node, name)`` instead says whether the schema declares ``name``.)
        """
        from ._compat_api import node_hasattr

        return node_hasattr(self, name)

    if not TYPE_CHECKING:
        # Hidden from type checkers so that a misspelt attribute stays a static error.
        def __getattr__(self, name: str) -> Any:
            if name.startswith("_"):
                return super().__getattr__(name)
            raise self._unknown(name)

        # Hidden from type checkers, which keep pydantic's signature. Until the class's serializer exists, the
        # plain python dump (all that this package asks for) walks the tree without it, so that saving a model
        # does not build the serializer of its whole metadata class; anything else is pydantic's.
        def model_dump(
            self, *, mode: str = "python", exclude_none: bool = False, warnings: Any = True, **rest: Any
        ):
            if mode == "python" and not rest and not type(self).__pydantic_complete__:
                dumped = dump_node(self, exclude_none, warnings)
                if dumped is not None:
                    return dumped
            return super().model_dump(mode=mode, exclude_none=exclude_none, warnings=warnings, **rest)


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


# At the end: the plans module builds on MetaNode (defined above); MetaNode's assignment asks it which fields
# take a value directly.
from ._node_plans import assignable_fields, dump_node  # noqa: E402
