"""Stage 3a: the metadata classes (``meta.py``) of every model, planned together.

Every model gets exactly the metadata its schema describes, and classes are shared wherever that allows.
The rules, all mechanical:

- **One class per distinct object.** Two objects at the same dotted path with the same members (the same
  scalar facts: JSON type, enum, FITS keyword and HDU; nested objects of the same class) share one class,
  whichever schema or title they come from; the first definition's titles are kept.
- **Extensions subclass.** An object that has every member of another class at its path (and more)
  extends it and declares only what it adds (``ImageMeta(Meta)``); the largest such class is chosen (among
  equals the most derived, then the first). Bases are chosen once every object at the path is known, so the
  order of the models does not matter (a class of the core or common tree extends only such classes). A
  nested object may itself be an extension of the base's nested class: the subclass then narrows that field
  to its own class (``instrument: FlatInstrument`` over ``ReferenceFileInstrument``), which pyright strict
  reports as an incompatible override of a mutable field. The generated line carries a ``pyright: ignore``
  and its docstring says why that is sound here: reads are exactly typed, and writing a base-class node
  through a base-typed reference is refused by the run-time validation. Anything else gets a class of its
  own (base ``MetaNode``).
- **Names come from paths.** The first class at a path takes the path's name without the leading ``meta``
  (``meta.ref_file.flat`` -> ``RefFileFlat``; the core schema's root is ``Meta``); later classes at the same
  path are prefixed with the stem of the first model that uses them (``FlatInstrument``, ``ImageMeta``).
  Two different classes that derive the same name fail the build.

- **Lists are leaves.** A list of scalars (``read_times``) is a ``list[float] | None`` field; a list of
  objects (``history``) is a ``list[Item]`` field whose item class is planned at the path ``meta.history[]``
  by the same rules, subclasses ``ListItem`` and is named after the items' schema file when they ``$ref``
  one (``HistoryEntry``), else after the path (``HistoryItem``). Lists are leaves of the lookup tables.

Definitions are visited core first, then models in manifest order (item models right after the first model
listing them), children before parents, so the output depends on nothing but the schemas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, cast

from . import ir
from .errors import BuildError
from .load import SCHEMA_SUFFIX, SchemaSet
from .names import RESERVED_META, camel, path_name, usable

MemberKind = Literal["scalar", "object", "list", "tagged"]

ITEM = "[]"
"""Path part standing for "an item of the list": the item class of ``meta.history`` sits at
``("meta", "history", "[]")`` (dotted ``meta.history[]``)."""
LIST_ITEM_BASE = "ListItem"
"""Base class of the item classes (``jwstmodels._core.meta_lists.ListItem``)."""


@dataclass(frozen=True, slots=True)
class MetaTree:
    """One ``meta`` object to plan: the core schema's (``model`` empty), a model's, or the common tree
    (``common``: what every model's metadata shares, the base of the science and reference-file roots)."""

    model: str
    stem: str
    source: str
    node: ir.ObjectNode
    common: bool = False


@dataclass(frozen=True, slots=True)
class MetaField:
    """One field of a metadata class: a scalar, a nested object of class ``class_name``, or a list (of
    values, or of items of class ``class_name``)."""

    name: str
    kind: MemberKind
    node: ir.Node
    class_name: str | None = None
    narrows: str | None = None
    """For a field that narrows an inherited one: the class of the inherited field."""
    optional: bool = False
    """A nested object that may be absent (``X | None``): objects inside list items, which either have it
    or not (``software`` of a history entry)."""
    enum_alias: str | None = None
    """For a scalar whose values several fields list alike: the shared ``Literal`` alias it is typed by."""


@dataclass
class MetaClassPlan:
    name: str
    base: str
    """``MetaNode`` or the class this one extends."""
    node: ir.ObjectNode
    """Title and description for the docstring."""
    fields: list[MetaField]
    """Fields this class declares (for a subclass: the added and the narrowed ones)."""
    first_path: str
    paths: list[str] = field(default_factory=list[str])
    sources: list[str] = field(default_factory=list[str])
    required: tuple[str, ...] = ()
    """For classes inside list items: the fields the items' ``required`` names (no ``None`` default)."""
    shared: bool = False
    """Part of the core or the common tree: lives in the shared ``meta`` module whoever uses it."""


@dataclass
class MetaPlan:
    classes: list[MetaClassPlan]
    """In definition order: nested classes before the classes that use them, bases before subclasses."""
    root_of: dict[str, str]
    """Model class name -> its root metadata class."""
    leaves: dict[str, tuple[LeafNode, str]]
    """Dotted path -> (scalar or list, the first model or schema that defines it there)."""
    meta_leaves: dict[str, tuple[str, ...]]
    """Class name -> dotted paths of its scalar fields (inherited ones included)."""
    common_root: str | None = None
    """The root class of the common tree (``CommonMeta``), when the models' roots differ and share fields."""


LeafNode = ir.Scalar | ir.ListNode | ir.ValueList
"""What a leaf of the lookup tables is: a scalar or a list."""


def scalar_facts(node: ir.Scalar) -> tuple[object, ...]:
    """What two definitions of one scalar must share to be one field: type, enum, FITS keyword and HDU (and
    a format that changes the type)."""
    enum = None if node.enum is None else tuple(sorted((type(v).__name__, repr(v)) for v in node.enum))
    return (node.type, enum, node.fits_keyword, node.fits_hdu, node.format)


def literal_values(node: ir.Scalar) -> tuple[object, ...] | None:
    """The values a scalar's ``Literal[...]`` type lists (None: typed by its JSON type): a string or integer
    enumeration; floats and date-times are typed by their kind."""
    if node.format == "date-time" or node.enum is None or node.type == "number":
        return None
    values = tuple(v for v in node.enum if not isinstance(v, float))
    return values or None


def leaf_facts(node: LeafNode) -> tuple[str | None, str, str, str]:
    """(FITS keyword, HDU, JSON type, title) of a leaf: lists have no keyword and the type ``array``."""
    if isinstance(node, ir.Scalar):
        return node.fits_keyword, node.fits_hdu, node.type, node.title
    return None, "PRIMARY", "array", node.title


def is_item_path(path: tuple[str, ...]) -> bool:
    """True for the path of a list's items, or of anything inside them."""
    return ITEM in path


@dataclass(frozen=True, slots=True)
class _Member:
    kind: MemberKind
    node: ir.Node
    key: object
    """Scalar facts, or the index of the nested object's class."""


@dataclass
class _Class:
    index: int
    path: tuple[str, ...]
    members: dict[str, _Member]
    """All members, inherited ones included."""
    base: _Class | None
    declared: list[str]
    title: str
    description: str
    stem: str
    label: str
    """The first model (or the core schema file) that uses the class, for messages."""
    sources: list[str]
    users: list[str]
    is_core_root: bool = False
    trees: set[str] = field(default_factory=set[str])
    """Which kinds of tree use the class: ``common``, ``core``, ``model``."""
    name: str = ""
    origin: str | None = None
    """The schema file whose root this object is (names item classes)."""
    required: tuple[str, ...] = ()

    def signature(self) -> frozenset[tuple[str, MemberKind, object]]:
        return _signature(self.members)


def _signature(members: dict[str, _Member]) -> frozenset[tuple[str, MemberKind, object]]:
    return frozenset((name, m.kind, m.key) for name, m in members.items())


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(path).replace("." + ITEM, ITEM)


def _pointer(path: tuple[str, ...]) -> str:
    """JSON pointer of a member path below the schema root (``[]`` is the list's ``items``)."""
    return "".join("/items" if p == ITEM else f"/properties/{p}" for p in path)


class MetaPlanner:
    def __init__(self, schemas: SchemaSet) -> None:
        self.schemas = schemas
        self.classes: list[_Class] = []
        self.at: dict[tuple[str, ...], list[int]] = {}
        self.class_of: dict[tuple[tuple[str, ...], ir.ObjectNode], int] = {}
        self.by_signature: dict[tuple[tuple[str, ...], frozenset[tuple[str, MemberKind, object]]], int] = {}
        self.names: dict[str, str] = {}
        """Class name -> the dotted path (or model) it was derived from, for collision messages."""

    # -- collecting -------------------------------------------------------------------------------------

    def _children(self, node: ir.ObjectNode, path: tuple[str, ...], source: str) -> list[tuple[str, _Child]]:
        """The properties of ``node`` that become fields (others are reported)."""
        kept: list[tuple[str, _Child]] = []
        for name, child in node.properties:
            where = _pointer((*path, name))
            if isinstance(child, ir.Unsupported):
                continue
            if not usable(name, RESERVED_META):
                self.schemas.problem(source, where, f"property name {name!r} cannot be a field name")
            elif isinstance(child, ir.Scalar | ir.ObjectNode | ir.ListNode | ir.ValueList):
                kept.append((name, child))
            elif isinstance(child, ir.TaggedObject) and not child.many and ir.tagged_meta_class(child.tag):
                kept.append((name, child))  # a gwcs WCS object: a field typed by its class
            else:
                kinds = {ir.Array: "an array", ir.Table: "a table", ir.TaggedObject: "a tagged object"}
                kind = kinds.get(type(child), "a node")
                self.schemas.problem(source, where, f"{kind} inside the meta tree has no field kind")
        return kept

    def _collect(
        self,
        node: ir.ObjectNode,
        path: tuple[str, ...],
        tree: MetaTree,
        found: dict[tuple[str, ...], list[tuple[ir.ObjectNode, MetaTree]]],
    ) -> None:
        found.setdefault(path, []).append((node, tree))
        for name, child in self._children(node, path, tree.source):
            if isinstance(child, ir.ObjectNode):
                self._collect(child, (*path, name), tree, found)
            elif isinstance(child, ir.ListNode):
                self._collect(child.items, (*path, name, ITEM), tree, found)

    def _members(self, node: ir.ObjectNode, path: tuple[str, ...], source: str) -> dict[str, _Member]:
        members: dict[str, _Member] = {}
        for name, child in self._children(node, path, source):
            if isinstance(child, ir.Scalar):
                members[name] = _Member("scalar", child, scalar_facts(child))
            elif isinstance(child, ir.TaggedObject):
                members[name] = _Member("tagged", child, ("tagged", child.tag))
            elif isinstance(child, ir.ObjectNode):
                members[name] = _Member("object", child, self.class_of[((*path, name), child)])
            else:
                members[name] = _Member("list", child, self._list_key(child, (*path, name)))
        return members

    def _list_key(self, node: ir.ListNode | ir.ValueList, path: tuple[str, ...]) -> object:
        """What two definitions of one list must share: the item facts, or the item class."""
        if isinstance(node, ir.ValueList):
            return ("values", node.depth, scalar_facts(node.item))
        return ("items", self.class_of[((*path, ITEM), node.items)])

    def _item_class_of(self, member: _Member) -> _Class | None:
        """The item class of a list of objects (None for scalars, objects and lists of values)."""
        key = member.key
        if member.kind == "list" and isinstance(key, tuple) and key[0] == "items":
            return self.classes[cast(int, key[1])]
        return None

    # -- classes ------------------------------------------------------------------------------------------

    def _is_same_or_sub(self, index: int, other: int) -> bool:
        cls: _Class | None = self.classes[index]
        while cls is not None:
            if cls.index == other:
                return True
            cls = cls.base
        return False

    def _extends(self, members: dict[str, _Member], base: _Class) -> bool:
        """``members`` has every member of ``base``: equal scalars, and objects of its class or a subclass."""
        for name, inherited in base.members.items():
            own = members.get(name)
            if own is None or own.kind != inherited.kind:
                return False
            if own.kind != "object" and own.key != inherited.key:  # scalars and lists: equal facts
                return False
            if own.kind == "object":
                assert isinstance(own.key, int) and isinstance(inherited.key, int)
                if not self._is_same_or_sub(own.key, inherited.key):
                    return False
        return True

    def _place(self, path: tuple[str, ...], node: ir.ObjectNode, tree: MetaTree) -> None:
        key = (path, node)
        if key in self.class_of:
            self._use(self.classes[self.class_of[key]], tree)
            return
        members = self._members(node, path, tree.source)
        known = self.by_signature.get((path, _signature(members)))
        if known is not None:
            self.class_of[key] = known
            self._use(self.classes[known], tree)
            return
        at = self.at.setdefault(path, [])
        cls = _Class(
            index=len(self.classes),
            path=path,
            members=members,
            base=None,
            declared=list(members),
            title=node.title,
            description=node.description,
            stem=tree.stem,
            label=tree.model or tree.source,
            sources=[] if tree.common else [tree.source],
            users=[tree.model] if tree.model else [],
            is_core_root=path == ("meta",) and _kind(tree) == "core",
            trees={_kind(tree)},
            origin=node.origin,
            required=node.required if is_item_path(path) else (),
        )
        self.classes.append(cls)
        at.append(cls.index)
        self.class_of[key] = cls.index
        self.by_signature[(path, _signature(members))] = cls.index

    def _choose_bases(self, path: tuple[str, ...]) -> None:
        """Give every class at ``path`` its base, once all of them are known: the largest class there that it
        extends (among equals the most derived, then the first), whichever model came first. Planning in
        model order alone would give a class defined before a smaller one it extends a full copy of it.
        A class of the core or common tree extends only such classes (``meta`` imports no model module)."""
        classes = [self.classes[i] for i in self.at.get(path, [])]
        chosen: dict[int, _Class | None] = {}

        def shared(cls: _Class) -> bool:
            return bool(cls.trees & {"core", "common"})

        def depth(cls: _Class) -> int:
            base, steps = base_of(cls), 0
            while base is not None:
                base, steps = base_of(base), steps + 1
            return steps

        def base_of(cls: _Class) -> _Class | None:
            if cls.index not in chosen:
                candidates = [
                    other
                    for other in classes
                    if other is not cls
                    and (shared(other) or not shared(cls))
                    and self._extends(cls.members, other)
                ]
                best = max((len(c.members), depth(c), -c.index) for c in candidates) if candidates else None
                chosen[cls.index] = None if best is None else self.classes[-best[2]]
            return chosen[cls.index]

        for cls in classes:
            base = cls.base = base_of(cls)
            cls.declared = [
                name
                for name, member in cls.members.items()
                if base is None or name not in base.members or base.members[name].key != member.key
            ]

    @staticmethod
    def _use(planned: _Class, tree: MetaTree) -> None:
        if planned.trees == {"common"} and not tree.common:  # named after its first real user
            planned.stem, planned.label = tree.stem, tree.model or tree.source
        planned.trees.add(_kind(tree))
        if planned.path == ("meta",) and _kind(tree) == "core":
            planned.is_core_root = True
        if tree.common:
            return
        if tree.source not in planned.sources:
            planned.sources.append(tree.source)
        if tree.model and tree.model not in planned.users:
            planned.users.append(tree.model)

    def _claim(self, name: str, origin: str) -> str:
        other = self.names.get(name)
        if other is not None:
            raise BuildError(
                f"class name collision: {name!r} derived from {other!r} and from {origin!r} "
                "(different schemas); rename a property or make the subtrees identical"
            )
        self.names[name] = origin
        return name

    def _name_classes(self, order: list[tuple[str, ...]]) -> None:
        for path in order:
            rank = -1
            # the core's class first: it takes the plain name
            for index in sorted(self.at[path], key=lambda i: "core" not in self.classes[i].trees):
                cls = self.classes[index]
                if "common" in cls.trees and "core" not in cls.trees:  # ``CommonMeta``, ``CommonInstrument``
                    name = "Common" + path_name(tuple(p for p in path if p != ITEM))
                    cls.name = self._claim(name, f"{_dotted(path)} of the common tree")
                    continue
                rank += 1
                if path == ("meta",):
                    name = "Meta" if cls.is_core_root else cls.stem + "Meta"
                elif path[-1] == ITEM:
                    name = (cls.stem if rank else "") + _item_name(cls.origin, path)
                else:
                    name = (cls.stem if rank else "") + path_name(tuple(p for p in path if p != ITEM))
                origin = _dotted(path) if not rank else f"{_dotted(path)} of {cls.label}"
                cls.name = self._claim(name, origin)

    # -- the plan -----------------------------------------------------------------------------------------

    def plan(self, core: MetaTree | None, models: list[MetaTree], common: MetaTree | None = None) -> MetaPlan:
        found: dict[tuple[str, ...], list[tuple[ir.ObjectNode, MetaTree]]] = {}
        for tree in (common, core, *models):
            if tree is not None:
                self._collect(tree.node, ("meta",), tree, found)
        order = list(found)
        for path in sorted(order, key=len, reverse=True):  # children first: parents compare child classes
            for node, tree in found[path]:
                self._place(path, node, tree)
            self._choose_bases(path)
        self._name_classes(order)
        root_of = {t.model: self.classes[self.class_of[(("meta",), t.node)]].name for t in models}
        common_root = None
        if common is not None:
            common_root = self.classes[self.class_of[(("meta",), common.node)]].name
        return MetaPlan(
            common_root=common_root,
            classes=self._plans(),
            root_of=root_of,
            leaves=self._leaves(
                sorted(
                    (self.classes[i] for i in self.at.get(("meta",), []) if self.classes[i].sources),
                    key=lambda c: "core" not in c.trees,
                )
            ),
            meta_leaves={
                cls.name: tuple(p for p, _ in self._scalars(cls.members, cls.path, nested=False))
                for cls in self.classes
            },
        )

    def _field(self, cls: _Class, name: str) -> MetaField:
        member = cls.members[name]
        if member.kind in ("scalar", "tagged"):
            return MetaField(name, member.kind, member.node)
        if member.kind == "list":
            item = self._item_class_of(member)
            return MetaField(name, "list", member.node, item.name if item is not None else None)
        assert isinstance(member.key, int)
        child = self.classes[member.key]
        narrows = None
        if cls.base is not None and name in cls.base.members:
            inherited = cls.base.members[name].key
            assert isinstance(inherited, int)
            narrows = self.classes[inherited].name
        node = ir.ObjectNode(title=child.title, description=child.description)
        return MetaField(name, "object", node, child.name, narrows, optional=is_item_path(cls.path))

    def _doc(self, cls: _Class) -> ir.ObjectNode:
        if cls.path[-1] == ITEM and not cls.title:
            return ir.ObjectNode(title=f"One item of ``{_dotted(cls.path[:-1])}``.")
        if cls.trees == {"common"} and cls.path == ("meta",):
            return ir.ObjectNode(
                title="The metadata every file of this package carries: the fields all the model roots share."
                "\n\nWhat ``jwstmodels.open`` and ``read_metadata`` return is typed with this class, so these"
                " fields need no narrowing; the root of each model extends it."
            )
        if cls.is_core_root or cls.path != ("meta",):
            return ir.ObjectNode(title=cls.title, description=cls.description)
        users = ", ".join(f"``{u}``" for u in cls.users)
        title = f"Metadata of {users}"
        if cls.base is not None:
            title += f": the fields of ``{cls.base.name}`` and those declared here."
        return ir.ObjectNode(title=title)

    def _plans(self) -> list[MetaClassPlan]:
        done: set[int] = set()
        plans: list[MetaClassPlan] = []

        def emit(cls: _Class) -> None:
            if cls.index in done:
                return
            done.add(cls.index)
            if cls.base is not None:
                emit(cls.base)
            for name in cls.declared:
                member = cls.members[name]
                if member.kind == "object":
                    assert isinstance(member.key, int)
                    emit(self.classes[member.key])
                elif (item := self._item_class_of(member)) is not None:
                    emit(item)
            dotted = _dotted(cls.path)
            root_base = LIST_ITEM_BASE if cls.path[-1] == ITEM else "MetaNode"
            plans.append(
                MetaClassPlan(
                    name=cls.name,
                    base=cls.base.name if cls.base is not None else root_base,
                    node=self._doc(cls),
                    fields=[self._field(cls, n) for n in cls.declared],
                    first_path=dotted,
                    paths=[dotted],
                    sources=list(cls.sources),
                    required=tuple(n for n in cls.required if n in cls.declared),
                    shared=bool(cls.trees & {"common", "core"}),
                )
            )

        for index in self.at.get(("meta",), []):
            emit(self.classes[index])
        for cls in self.classes:  # classes reachable from no root (none today): still emitted, in order
            emit(cls)
        return plans

    def _scalars(
        self, members: dict[str, _Member], path: tuple[str, ...], nested: bool = True
    ) -> list[tuple[str, LeafNode]]:
        """Scalars and lists (the leaves), nested objects followed when ``nested``; never list items."""
        found: list[tuple[str, LeafNode]] = []
        for name, member in members.items():
            if isinstance(member.node, ir.Scalar | ir.ListNode | ir.ValueList):
                found.append((_dotted((*path, name)), member.node))
            elif nested and member.kind == "object":
                assert isinstance(member.key, int)
                found.extend(self._scalars(self.classes[member.key].members, (*path, name)))
        return found

    def _leaves(self, roots: list[_Class]) -> dict[str, tuple[LeafNode, str]]:
        """Dotted path -> scalar; roots in planning order, so the core schema's definitions come first.

        Models may keep a keyword in another HDU at the same path (a fact of the JWST files: reference files
        keep ``PIXAR_SR`` in the primary header); the first definition is listed. Another keyword or type at
        the same path is an inconsistency: an error in strict mode, a report otherwise.
        """
        leaves: dict[str, tuple[LeafNode, str]] = {}
        for root in roots:
            for path, scalar in self._scalars(root.members, ("meta",)):
                old = leaves.get(path)
                if old is None:
                    leaves[path] = (scalar, root.label)
                    continue
                first, label = old
                (keyword, hdu, type_, _), (keyword2, hdu2, type2, _) = leaf_facts(first), leaf_facts(scalar)
                if (keyword, type_) != (keyword2, type2):
                    message = (
                        f"{path} is ({keyword}, {hdu}, {type_}) in {label} "
                        f"but ({keyword2}, {hdu2}, {type2}) in {root.label}"
                    )
                    if self.schemas.strict:
                        raise BuildError(message)
                    self.schemas.problem(root.sources[0], "/properties/meta", f"{message}; first listed")
        return leaves


_Child = ir.Scalar | ir.ObjectNode | ir.ListNode | ir.ValueList | ir.TaggedObject
"""The properties that become fields of a metadata class."""


def _item_name(origin: str | None, path: tuple[str, ...]) -> str:
    """Name of an item class: from the items' schema file (``history_entry.schema.yaml`` ->
    ``HistoryEntry``), else from the list's path plus ``Item`` (``BackgroundPolynomialInfoItem``)."""
    if origin is not None:
        return camel(origin.removesuffix(SCHEMA_SUFFIX).removesuffix(".yaml"))
    return path_name(path[:-1]) + "Item"


def _kind(tree: MetaTree) -> str:
    return "common" if tree.common else "model" if tree.model else "core"


def plan_meta(
    schemas: SchemaSet, core: MetaTree | None, models: list[MetaTree], common: MetaTree | None = None
) -> MetaPlan:
    return MetaPlanner(schemas).plan(core, models, common)
