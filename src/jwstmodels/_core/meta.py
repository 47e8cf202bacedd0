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
import types
import typing
from collections.abc import Iterator, Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Final,
    Literal,
    NamedTuple,
    TypeAlias,
    TypedDict,
    Union,
    cast,
    get_args,
    get_origin,
)

import numpy as np
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from jwstmodels._core.class_cache import per_class
from jwstmodels._core.errors import UnknownFieldError, ValidationError, describe_location
from jwstmodels._core.node import NodeBase, complete, set_parent
from jwstmodels._core.node_instance import NodeInstance, flat_items, undeclared_attributes_kept
from jwstmodels._core.node_plans import assignable_fields, dump_node

if TYPE_CHECKING:
    from pydantic import GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema


class FieldFacts(TypedDict, total=False):
    """What the schema says of one metadata field besides its type: its title, FITS place and ASDF tag.

    The keys are the schema dialect's; ``model_json_schema()`` shows them on the field's property.
    """

    title: str
    fits_keyword: str
    fits_hdu: str
    """The HDU of ``fits_keyword``; the generator always writes it beside a keyword."""
    tag: str
    """The ASDF tag of a tagged object (``meta.wcs``)."""


FieldTable: TypeAlias = Mapping[str, FieldFacts]
"""A metadata class's ``__jwst_fields__``: field name -> its facts."""


def field_table(**facts: FieldFacts) -> FieldTable:
    """A metadata class's ``__jwst_fields__`` (read-only): ``__jwst_fields__ = field_table(nframes={"title":
    ..., "fits_keyword": "NFRAMES", "fits_hdu": "PRIMARY"}, ...)``, the fields in declaration order.

    A call rather than an annotated dict literal: pydantic evaluates a class variable's annotation whenever
    it creates the class or a subclass, which costs more than the call."""
    return types.MappingProxyType(facts)


class MetaNode(NodeBase):
    """A node of the metadata tree; generated classes subclass it."""

    __slots__ = ()

    if TYPE_CHECKING:
        # Declared for type checkers only: under ``from __future__ import annotations`` the annotation is a
        # string, which pydantic would evaluate anew for every subclass (tens of microseconds each).
        __jwst_fields__: ClassVar[FieldTable]
        """The schema's facts of the fields this class declares (a subclass: the fields it adds), by field
        name; fields without title, keyword or tag are left out. One table per class instead of a pydantic
        ``Field(title=..., json_schema_extra=...)`` per field: with plain defaults a class is much cheaper to
        create (``field_facts`` merges the tables of a class and its bases). A framework dunder, as
        ``__jwst_layout__``: never a schema field."""
    __jwst_fields__ = types.MappingProxyType({})

    @classmethod
    def fits_location(cls, name: str) -> tuple[str | None, str | None]:
        """The (FITS keyword, HDU) of field ``name``, from the schema's ``fits_keyword``/``fits_hdu``;
        ``(None, None)`` for a field without a keyword."""
        facts = field_facts(cls).get(name)
        keyword = facts.get("fits_keyword") if facts is not None else None
        if facts is None or keyword is None:
            return None, None
        return keyword, facts.get("fits_hdu", "PRIMARY")

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler, /
    ) -> JsonSchemaValue:
        """pydantic's JSON schema with each field's facts (``__jwst_fields__``) on its property: its title
        and, where the schema gives them, ``fits_keyword``/``fits_hdu`` and ``tag``."""
        json_schema = handler(core_schema)
        properties: object = handler.resolve_ref_schema(json_schema).get("properties")
        if isinstance(properties, dict):
            for name, facts in field_facts(cls).items():
                prop: object = cast(dict[str, object], properties).get(name)
                if isinstance(prop, dict):
                    cast(dict[str, object], prop).update(facts)
        return json_schema

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
            kinds = None if value is None else _field_kinds_of(type(self))[name]  # field_kinds, inlined
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


@per_class
def field_facts(cls: type[MetaNode]) -> Mapping[str, FieldFacts]:
    """The facts of every field of ``cls`` (``__jwst_fields__`` of the class and its bases merged; a
    subclass's entry wins), by field name.

    A field declared the pydantic way, ``Field(title=..., json_schema_extra={"fits_keyword": ...,
    "fits_hdu": ...})`` (a class written by hand, or generated before the tables existed), has its facts
    taken from there when no table names it, so that its keyword is not lost."""
    tables = [
        cast(FieldTable, table)
        for klass in reversed(cls.__mro__)
        if isinstance(table := vars(klass).get("__jwst_fields__"), Mapping) and table
    ]
    declared = _declared_facts(cls)
    if len(tables) == 1 and declared.keys() <= tables[0].keys():  # most classes: their own table alone
        return tables[0]
    merged: dict[str, FieldFacts] = declared
    for table in tables:
        merged.update(table)
    return types.MappingProxyType(merged)


FIELD_FACT_EXTRAS: Final = ("fits_keyword", "fits_hdu", "tag")
"""The keys of a pydantic field's ``json_schema_extra`` that are field facts."""


def _declared_facts(cls: type[MetaNode]) -> dict[str, FieldFacts]:
    """The facts that the pydantic fields of ``cls`` carry themselves (title, ``json_schema_extra``)."""
    found: dict[str, FieldFacts] = {}
    for name, info in cls.__pydantic_fields__.items():
        extra = info.json_schema_extra
        if info.title is None and not isinstance(extra, dict):
            continue  # a generated field: a plain default, or Field(default_factory=...)
        facts: FieldFacts = {"title": info.title} if info.title else {}
        if isinstance(extra, dict):
            keyword, hdu, tag = (cast(dict[str, object], extra).get(key) for key in FIELD_FACT_EXTRAS)
            if isinstance(keyword, str):
                facts["fits_keyword"] = keyword
                facts["fits_hdu"] = hdu if isinstance(hdu, str) else "PRIMARY"
            if isinstance(tag, str):
                facts["tag"] = tag
        if facts:
            found[name] = facts
    return found


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


def field_kinds(cls: type[MetaNode], name: str) -> frozenset[type] | None:
    """The scalar kinds (of str, int, float, bool) field ``name`` of ``cls`` holds (a ``Literal``'s values
    count by their type); None when it is not a plain scalar field (nodes, lists, dates: pydantic decides)."""
    return _field_kinds_of(cls)[name]


class _FieldKinds(dict[str, "frozenset[type] | None"]):
    """``field_kinds`` of one class, by field name, worked out as fields are asked for."""

    __slots__ = ("cls",)

    def __init__(self, cls: type[MetaNode]) -> None:
        super().__init__()
        self.cls = cls

    def __missing__(self, name: str) -> frozenset[type] | None:
        found = self[name] = _field_kinds(self.cls, name)
        return found


_field_kinds_of = per_class(_FieldKinds)


def _field_kinds(cls: type[MetaNode], name: str) -> frozenset[type] | None:
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


@per_class
def scalar_leaves(meta_class: type[MetaNode]) -> tuple[ScalarLeaf, ...]:
    """Every scalar field of ``meta_class`` (recursively), in schema order.

    Derived once per class from the generated field declarations and their facts (``__jwst_fields__``),
    not from YAML.
    """
    found: list[ScalarLeaf] = []

    no_facts: FieldFacts = {}

    def walk(cls: type[MetaNode], names: tuple[str, ...]) -> None:
        table = field_facts(cls)
        prefix = ".".join(("meta", *names, ""))
        for name, info in cls.__pydantic_fields__.items():
            annotation = info.annotation
            if isinstance(annotation, type) and issubclass(annotation, MetaNode):
                walk(annotation, (*names, name))
                continue
            facts = table.get(name, no_facts)
            keyword = facts.get("fits_keyword")
            hdu = facts.get("fits_hdu", "PRIMARY") if keyword is not None else "PRIMARY"
            leaf = ScalarLeaf((*names, name), prefix + name, keyword, hdu, facts.get("title", ""), annotation)
            found.append(leaf)

    walk(meta_class, ())
    return tuple(found)


@per_class
def keyword_leaves(meta_class: type[MetaNode]) -> tuple[KeywordLeaf, ...]:
    """Every field of ``meta_class`` (recursively) that the schema maps to a FITS keyword, in schema order."""
    return tuple(
        KeywordLeaf(leaf.names, leaf.path, leaf.keyword, leaf.hdu, leaf.title)
        for leaf in scalar_leaves(meta_class)
        if leaf.keyword is not None
    )
