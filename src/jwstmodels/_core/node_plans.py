"""Building, dumping and checking metadata nodes without pydantic's class validators and serializers.

Validating a nested dict with pydantic builds every node of the tree through the class validators (a model has
about ninety nodes, most of them empty), and each class's validator and serializer are built the first time
they are needed (``MetaNode`` defers them: building them all at import costs more than the rest of the
import). Trees made of default values or of values checked field by field are assembled here instead, with the
instance state pydantic gives (``__dict__``, fields set, no extras, no private attributes; children bound to
their parent). Values pydantic would keep unchanged (a ``str`` in ``str | None``, one of a ``Literal``'s
values) are recognised directly; any other value goes through a validator of its field's annotation alone. A
class whose construction or dump does more than handle its fields (validators, serializers, aliases, private
attributes, its own ``model_post_init``) has no plan and is left to pydantic.
"""

from __future__ import annotations

import functools
import types
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar, Union, cast, get_args, get_origin

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from pydantic.fields import FieldInfo

from jwstmodels._core.class_cache import per_class
from jwstmodels._core.lazy_objects import Pending, lazy_class_of
from jwstmodels._core.node import (
    NodeBase as MetaNode,  # the nodes built here are MetaNodes; their base suffices
)

if TYPE_CHECKING:
    from pydantic import TypeAdapter

NodeT = TypeVar("NodeT", bound=MetaNode)

# The slots a node's state lives in, set through their descriptors: the quickest way to set them, and a
# default tree sets them some five hundred times.
_set_dict = cast(Callable[[object, object], None], BaseModel.__dict__["__dict__"].__set__)
_set_fields_set = cast(
    Callable[[object, object], None], BaseModel.__dict__["__pydantic_fields_set__"].__set__
)
_set_extra = cast(Callable[[object, object], None], BaseModel.__dict__["__pydantic_extra__"].__set__)
_set_private = cast(Callable[[object, object], None], BaseModel.__dict__["__pydantic_private__"].__set__)
_set_parent = cast(Callable[[object, object], None], MetaNode.__dict__["_parent"].__set__)
_set_name = cast(Callable[[object, object], None], MetaNode.__dict__["_name"].__set__)
_IMMUTABLE = (type(None), str, int, float, bool, tuple, frozenset)


class FieldPlan:
    """How one field of a node class takes a value without a pydantic validator.

    (A plain class, not a NamedTuple: building a NamedTuple class costs a fresh process some 0.25 ms, the
    plans are only ever read by attribute, and compare by identity.)"""

    __slots__ = ("child", "empty", "info", "lazy", "literals", "name", "nullable", "position", "types")

    def __init__(
        self,
        name: str,
        position: int,
        child: type[MetaNode] | None,
        types: frozenset[type],
        literals: dict[type, frozenset[object]],
        nullable: bool,
        info: FieldInfo,
        lazy: bool = False,
        empty: type | None = None,
    ) -> None:
        self.name = name
        self.position = position
        """Position among the class's fields (pydantic reports problems in this order)."""
        self.child = child
        """The class of a nested node, built from a mapping."""
        self.types = types
        """Types whose values pydantic keeps unchanged in this field (``str`` for ``str | None``); empty when
        the annotation is not a plain scalar."""
        self.literals = literals
        """Allowed values of a ``Literal[...]`` annotation, by type."""
        self.nullable = nullable
        """None fits (``X | None``, no constraints)."""
        self.info = info
        self.lazy = lazy
        """A field of a lazily read object (``meta.wcs``, `_core.lazy_objects`): a file's :class:`Pending`
        node fits as it is (the stand-in's check keeps it unchanged)."""
        self.empty = empty
        """The list class of the field's default (an empty list made by its ``default_factory``): an empty
        list of exactly that class is the default, and fits."""

    def __repr__(self) -> str:
        return f"<FieldPlan {self.name}>"

    def dumped(self, value: object) -> bool:
        """False when a dump leaves this field out (``exclude=True``, or ``exclude_if`` says so)."""
        info = self.info
        return not info.exclude and (info.exclude_if is None or not info.exclude_if(value))

    def accepts(self, value: object) -> bool:
        """True when pydantic would keep ``value`` in this field exactly as it is (no conversion)."""
        kind = type(value)
        if kind in self.types or (value is None and self.nullable):
            return True
        if self.lazy and kind is Pending:
            return True
        allowed = self.literals.get(kind)
        return allowed is not None and value in allowed

    def is_default_empty(self, value: object) -> bool:
        """True when ``value`` is an empty list of the class of the field's default (valid, as that is)."""
        return self.empty is not None and type(value) is self.empty and not cast(list[object], value)

    def validate(self, value: object) -> object:
        """Validate ``value`` by this field's annotation (pydantic's rules); PydanticValidationError if it
        does not fit."""
        return _adapter(self.info).validate_python(value)


class NodePlan:
    """How to assemble nodes of one class without pydantic validation (``node_plan``).

    ``template`` and ``fresh`` make default nodes, which every tree holds for most of its ninety classes; the
    per-field facts (``fields``, ``plain_none``) are worked out when first asked for, which a fresh open does
    for the few classes the file gives values of."""

    __slots__ = ("_cls", "_fields", "children", "fresh", "nodes", "template")

    def __init__(
        self,
        cls: type[MetaNode],
        template: dict[str, object],
        fresh: tuple[tuple[str, Callable[[], object]], ...],
        nodes: dict[str, type[MetaNode]],
        children: tuple[tuple[str, type[MetaNode]], ...],
    ) -> None:
        self._cls = cls
        self.template = template
        """Every field in order, holding its default when that is immutable (a node's ``__dict__`` keeps the
        order of the fields, as pydantic's does); copied into each new node."""
        self.fresh = fresh
        """Fields whose default is made anew for each node (nested nodes, lists)."""
        self.nodes = nodes
        """The fields of ``fresh`` whose default is a nested node, and its class."""
        self.children = children
        """The fields annotated with a node class (``FieldPlan.child``), and that class, in field order:
        what a tree needs to know of the classes it holds no values of (``fields`` works out every field's
        facts)."""
        self._fields: tuple[dict[str, FieldPlan], frozenset[str]] | None = None

    @property
    def fields(self) -> dict[str, FieldPlan]:
        """Each field's plan, by name, in field order."""
        return self._field_plans()[0]

    @property
    def plain_none(self) -> frozenset[str]:
        """Fields where None is a valid value that dumps as None (``X | None``, no exclusion rule)."""
        return self._field_plans()[1]

    def _field_plans(self) -> tuple[dict[str, FieldPlan], frozenset[str]]:
        found = self._fields
        if found is None:  # two threads may both work it out: the same facts, either kept
            found = self._fields = _field_plans(self._cls)
        return found


@per_class
def node_plan(cls: type[MetaNode]) -> NodePlan | None:
    """How to assemble nodes of ``cls`` without pydantic validation; None when pydantic must build them."""
    plain = (
        cls.model_config.get("extra") == "forbid"
        and not cls.__private_attributes__
        and cls.model_post_init is MetaNode.model_post_init
        and cls.bind_children is MetaNode.bind_children
        and getattr(cls, "__pydantic_fields_complete__", True)
    )
    decorators = cls.__pydantic_decorators__
    if not plain or any(
        (
            decorators.validators,
            decorators.field_validators,
            decorators.root_validators,
            decorators.model_validators,
            decorators.field_serializers,
            decorators.model_serializers,
            decorators.computed_fields,
        )
    ):
        return None
    template: dict[str, object] = {}
    fresh: list[tuple[str, Callable[[], object]]] = []
    nodes: dict[str, type[MetaNode]] = {}
    children: list[tuple[str, type[MetaNode]]] = []
    nested = cls.__jwst_node_fields__
    for name, info in cls.model_fields.items():
        if (
            info.alias is not None
            or info.validation_alias is not None
            or info.serialization_alias is not None
            or info.validate_default
        ):
            return None
        template[name] = None  # the place of the field; its default below
        if name in nested:  # the children of a MetaNode are MetaNodes
            children.append((name, cast(type[MetaNode], info.annotation)))
        factory = info.default_factory
        if isinstance(factory, type) and issubclass(factory, MetaNode):
            fresh.append((name, functools.partial(new_node, factory)))
            nodes[name] = factory
        elif factory is not None:
            if info.default_factory_takes_validated_data:
                return None
            fresh.append((name, cast(Callable[[], object], factory)))
        elif info.is_required():
            return None  # a node without every value cannot be made from defaults: pydantic says why
        elif isinstance(default := cast(object, info.default), _IMMUTABLE):
            template[name] = default
        else:
            fresh.append((name, functools.partial(info.get_default, call_default_factory=True)))
    return NodePlan(cls, template, tuple(fresh), nodes, tuple(children))


def _field_plans(cls: type[MetaNode]) -> tuple[dict[str, FieldPlan], frozenset[str]]:
    """The plan of each field of ``cls`` (a class ``node_plan`` has a plan for), and the fields where None
    dumps as None."""
    fields: dict[str, FieldPlan] = {}
    plain_none: set[str] = set()
    for index, (name, info) in enumerate(cls.model_fields.items()):
        annotation: object = info.annotation
        child = annotation if isinstance(annotation, type) and issubclass(annotation, MetaNode) else None
        scalar = None if child is not None or info.metadata else _scalar_kinds(info.annotation)
        types_, literals, nullable = scalar or (frozenset[type](), {}, False)
        lazy, empty = False, None
        if scalar is None and child is None:  # a list, a lazily read object, ...: known facts, no validator
            nullable = not info.metadata and _allows_none(info.annotation)
            lazy = lazy_class_of(info.annotation) is not None
            empty = _empty_default(info)
        fields[name] = FieldPlan(name, index, child, types_, literals, nullable, info, lazy, empty)
        if nullable and not info.exclude and info.exclude_if is None:
            plain_none.add(name)
    return fields, frozenset(plain_none)


@per_class
def assignable_fields(cls: type[MetaNode]) -> dict[str, FieldPlan]:
    """The fields of ``cls`` whose assignment may skip the class validator when ``FieldPlan.accepts`` the
    value (nothing but the stored value changes then); empty when pydantic must see every assignment."""
    plan = node_plan(cls)
    if plan is None or cls.model_config.get("frozen") or not cls.model_config.get("validate_assignment"):
        return {}
    return {
        name: field
        for name, field in plan.fields.items()
        if (field.types or field.literals) and not field.info.frozen
    }


@functools.cache
def _scalar_kinds(annotation: Any) -> tuple[frozenset[type], dict[type, frozenset[object]], bool] | None:
    """(types kept as they are, literal values by type, None allowed) for ``str | None``, ``Literal[...]``,
    ...; None for any other annotation."""
    args = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (annotation,)
    kinds: set[type] = set()
    literals: dict[type, set[object]] = {}
    nullable = False
    for arg in args:
        if arg is type(None):
            nullable = True
        elif arg in (str, int, float, bool):
            kinds.add(cast(type, arg))
        elif get_origin(arg) is Literal and all(type(value) in (str, int, bool) for value in get_args(arg)):
            for value in cast(tuple[object, ...], get_args(arg)):
                literals.setdefault(type(value), set()).add(value)
        else:
            return None
    return frozenset(kinds), {kind: frozenset(values) for kind, values in literals.items()}, nullable


def _allows_none(annotation: Any) -> bool:
    """``X | None`` (any ``X``): None fits and is kept as None."""
    return get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(annotation)


def _empty_default(info: FieldInfo) -> type | None:
    """The class of the empty list a field's ``default_factory`` makes (``list[PolynomialInfo]``,
    ``HistoryList[HistoryEntry]``); None for any other default."""
    factory = info.default_factory
    if factory is None or info.metadata:
        return None  # a constrained list (a minimum length) is checked by pydantic
    origin: object = get_origin(factory) or factory
    if not isinstance(origin, type) or not issubclass(origin, list):
        return None
    return None if info.default_factory_takes_validated_data else cast(type[list[object]], origin)


@functools.cache
def _adapter_for(annotation: Any) -> TypeAdapter[Any]:
    from pydantic import TypeAdapter  # pydantic.type_adapter: a fresh open or save builds no adapter

    return TypeAdapter(annotation)


def _adapter(info: FieldInfo) -> TypeAdapter[Any]:
    annotation = info.rebuild_annotation()
    try:
        return _adapter_for(annotation)
    except TypeError:  # unhashable constraint metadata: not cached
        from pydantic import TypeAdapter

        return TypeAdapter(annotation)


def assemble(cls: type[NodeT], values: dict[str, object], given: set[str]) -> NodeT:
    """A node of ``cls`` holding ``values`` (one per field, already valid), its children bound to it.

    ``given`` names the fields that were given rather than defaulted (pydantic's ``model_fields_set``).
    """
    node = cls.__new__(cls)
    _set_dict(node, values)
    _set_fields_set(node, given)
    _set_extra(node, None)
    _set_private(node, None)
    children = cls.__jwst_node_fields__
    if children:
        parent = weakref.ref(node)  # see _node.set_parent
        for name in children:
            child = values.get(name)
            if isinstance(child, MetaNode):
                _set_parent(child, parent)
                _set_name(child, name)
    return node


def defaults(plan: NodePlan) -> dict[str, object]:
    """Every field's default, made anew where it is mutable."""
    values = plan.template.copy()
    for name, make in plan.fresh:
        values[name] = make()
    return values


def new_node(cls: type[NodeT]) -> NodeT:
    """A node of ``cls`` with every field at its default: what ``cls()`` gives, without validation."""
    return cast(NodeT, _maker(cls)())


@per_class
def fresh_makers(cls: type[MetaNode]) -> tuple[tuple[str, Callable[[], object]], ...]:
    """``node_plan(cls).fresh`` with each nested node made by its class's maker directly (no lookups on the
    way): the defaults a tree built from a file fills in for the fields the file does not give."""
    plan = node_plan(cls)
    if plan is None:
        return ()
    return tuple(
        (name, _maker(child) if (child := _child_factory(plan, name)) is not None else make)
        for name, make in plan.fresh
    )


@per_class
def _maker(cls: type[MetaNode]) -> Callable[[], MetaNode]:
    """A function making default nodes of ``cls`` (``new_node``; it runs for every empty node of every tree
    built, so the per-class decisions are taken here once)."""
    plan = node_plan(cls)
    if plan is None:
        return cls
    template = plan.template
    nodes = {name for name, _ in plan.fresh if _child_factory(plan, name) is not None}
    children = tuple((name, make) for name, make in fresh_makers(cls) if name in nodes)
    others = tuple((name, make) for name, make in fresh_makers(cls) if name not in nodes)
    make_instance = object.__new__ if cls.__new__ is object.__new__ else cls.__new__

    def make() -> MetaNode:
        node = make_instance(cls)
        values = template.copy()
        if children:
            parent = weakref.ref(node)  # see _node.set_parent
            for name, make_child in children:
                child = make_child()
                _set_parent(child, parent)
                _set_name(child, name)
                values[name] = child
        for name, make_value in others:
            values[name] = make_value()
        _set_dict(node, values)
        _set_fields_set(node, set[str]())
        _set_extra(node, None)
        _set_private(node, None)
        return node

    return make


def _child_factory(plan: NodePlan, name: str) -> type[MetaNode] | None:
    return plan.nodes.get(name)


def dump_node(node: MetaNode, exclude_none: bool, warnings: Any) -> dict[str, Any] | None:
    """``node.model_dump(exclude_none=..., warnings=...)`` in python mode, field by field; None when a class
    on the way has no plan (pydantic dumps it then)."""
    plan = node_plan(type(node))
    if plan is None:
        return None
    fields, plain_none = plan.fields, plan.plain_none
    dumped: dict[str, Any] = {}
    for name, value in node.__dict__.items():  # in field order, mostly None
        if value is None and name in plain_none:
            if not exclude_none:
                dumped[name] = None
            continue
        field = fields.get(name)
        if field is None or not field.dumped(value):
            continue
        if field.child is not None and type(value) is field.child:
            inner = dump_node(cast(MetaNode, value), exclude_none, warnings)
            if inner is None:
                return None
            dumped[name] = inner
        elif value is None:
            if not exclude_none:
                dumped[name] = None
        elif field.accepts(value):
            dumped[name] = value
        else:
            dumped[name] = _adapter(field.info).dump_python(
                value, exclude_none=exclude_none, warnings=warnings
            )
    return dumped


def tree_is_valid(node: MetaNode) -> bool:
    """True when every value of the tree certainly fits its field; False means: ask pydantic (which then says
    what does not fit)."""
    plan = node_plan(type(node))
    if plan is None:
        return False
    fields, plain_none = plan.fields, plan.plain_none
    values = node.__dict__
    if len(values) != len(fields):
        return False
    for name, value in values.items():
        if value is None and name in plain_none:
            continue
        field = fields.get(name)
        if field is None:
            return False
        if field.child is not None:
            if type(value) is not field.child or not tree_is_valid(cast(MetaNode, value)):
                return False
        elif not field.accepts(value) and not field.is_default_empty(value):
            adapter = _adapter(field.info)
            try:
                adapter.validate_python(adapter.dump_python(value, warnings=False))
            except PydanticValidationError:
                return False
    return True
