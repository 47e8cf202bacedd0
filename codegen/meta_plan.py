"""Stage 3a: the metadata classes (``meta.py``) of every model, planned together.

Every model gets exactly the metadata its schema describes, and classes are shared wherever that allows.
The rules, all mechanical:

- **One class per distinct object.** Two objects at the same dotted path with the same members (the same
  scalar facts: JSON type, enum, FITS keyword and HDU; nested objects of the same class) share one class,
  whichever schema or title they come from; the first definition's titles are kept.
- **Extensions subclass.** An object that has every member of a class already planned at its path (and
  more) extends it and declares only what it adds (``ImageMeta(Meta)``); the largest such class is chosen
  (among equals the most derived, then the first). A nested object may itself be an extension of the base's
  nested class: the subclass then narrows that field to its own class (``instrument: FlatInstrument`` over
  ``ReferenceFileInstrument``), which pyright strict reports as an incompatible override of a mutable
  field. The generated line carries a ``pyright: ignore`` and its docstring says why that is sound here:
  reads are exactly typed, and writing a base-class node through a base-typed reference is refused by the
  run-time validation. Anything else gets a class of its own (base ``MetaNode``).
- **Names come from paths.** The first class at a path takes the path's name without the leading ``meta``
  (``meta.ref_file.flat`` -> ``RefFileFlat``; the core schema's root is ``Meta``); later classes at the same
  path are prefixed with the stem of the first model that uses them (``FlatInstrument``, ``ImageMeta``).
  Two different classes that derive the same name fail the build.

Definitions are visited core first, then models in manifest order (item models right after the first model
listing them), children before parents, so the output depends on nothing but the schemas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from . import ir
from .errors import BuildError
from .load import SchemaSet
from .names import RESERVED_META, path_name, usable

MemberKind = Literal["scalar", "object"]


@dataclass(frozen=True, slots=True)
class MetaTree:
    """One ``meta`` object to plan: the core schema's (``model`` empty) or a model's."""

    model: str
    stem: str
    source: str
    node: ir.ObjectNode


@dataclass(frozen=True, slots=True)
class MetaField:
    """One field of a metadata class: a scalar or a nested object of class ``class_name``."""

    name: str
    kind: MemberKind
    node: ir.Node
    class_name: str | None = None
    narrows: str | None = None
    """For a field that narrows an inherited one: the class of the inherited field."""


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


@dataclass
class MetaPlan:
    classes: list[MetaClassPlan]
    """In definition order: nested classes before the classes that use them, bases before subclasses."""
    root_of: dict[str, str]
    """Model class name -> its root metadata class."""
    leaves: dict[str, tuple[ir.Scalar, str]]
    """Dotted path -> (scalar, the first model or schema that defines it there)."""
    meta_leaves: dict[str, tuple[str, ...]]
    """Class name -> dotted paths of its scalar fields (inherited ones included)."""


def scalar_facts(node: ir.Scalar) -> tuple[object, ...]:
    """What two definitions of one scalar must share to be one field: type, enum, FITS keyword and HDU."""
    enum = None if node.enum is None else tuple(sorted((type(v).__name__, repr(v)) for v in node.enum))
    return (node.type, enum, node.fits_keyword, node.fits_hdu)


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
    name: str = ""

    def signature(self) -> frozenset[tuple[str, MemberKind, object]]:
        return _signature(self.members)


def _signature(members: dict[str, _Member]) -> frozenset[tuple[str, MemberKind, object]]:
    return frozenset((name, m.kind, m.key) for name, m in members.items())


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(path)


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

    def _children(
        self, node: ir.ObjectNode, path: tuple[str, ...], source: str
    ) -> list[tuple[str, ir.Scalar | ir.ObjectNode]]:
        """The properties of ``node`` that become fields (others are reported)."""
        kept: list[tuple[str, ir.Scalar | ir.ObjectNode]] = []
        for name, child in node.properties:
            where = "".join(f"/properties/{p}" for p in (*path, name))
            if isinstance(child, ir.Unsupported):
                continue
            if not usable(name, RESERVED_META):
                self.schemas.problem(source, where, f"property name {name!r} cannot be a field name")
            elif isinstance(child, ir.Scalar | ir.ObjectNode):
                kept.append((name, child))
            else:
                kind = "an array" if isinstance(child, ir.Array) else "a table"
                kind = "a list of objects" if isinstance(child, ir.ListNode) else kind
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

    def _members(self, node: ir.ObjectNode, path: tuple[str, ...], source: str) -> dict[str, _Member]:
        members: dict[str, _Member] = {}
        for name, child in self._children(node, path, source):
            if isinstance(child, ir.Scalar):
                members[name] = _Member("scalar", child, scalar_facts(child))
            else:
                members[name] = _Member("object", child, self.class_of[((*path, name), child)])
        return members

    # -- classes ------------------------------------------------------------------------------------------

    def _is_same_or_sub(self, index: int, other: int) -> bool:
        cls: _Class | None = self.classes[index]
        while cls is not None:
            if cls.index == other:
                return True
            cls = cls.base
        return False

    @staticmethod
    def _depth(planned: _Class) -> int:
        depth = 0
        while planned.base is not None:
            planned, depth = planned.base, depth + 1
        return depth

    def _extends(self, members: dict[str, _Member], base: _Class) -> bool:
        """``members`` has every member of ``base``: equal scalars, and objects of its class or a subclass."""
        for name, inherited in base.members.items():
            own = members.get(name)
            if own is None or own.kind != inherited.kind:
                return False
            if own.kind == "scalar" and own.key != inherited.key:
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
        bases = [self.classes[i] for i in at if self._extends(members, self.classes[i])]
        # the largest; among equals the most derived, then the first
        base = max(bases, key=lambda c: (len(c.members), self._depth(c)), default=None)
        declared = [
            name
            for name, member in members.items()
            if base is None or name not in base.members or base.members[name].key != member.key
        ]
        cls = _Class(
            index=len(self.classes),
            path=path,
            members=members,
            base=base,
            declared=declared,
            title=node.title,
            description=node.description,
            stem=tree.stem,
            label=tree.model or tree.source,
            sources=[tree.source],
            users=[tree.model] if tree.model else [],
            is_core_root=path == ("meta",) and not tree.model,
        )
        self.classes.append(cls)
        at.append(cls.index)
        self.class_of[key] = cls.index
        self.by_signature[(path, _signature(members))] = cls.index

    @staticmethod
    def _use(planned: _Class, tree: MetaTree) -> None:
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
            for rank, index in enumerate(self.at[path]):
                cls = self.classes[index]
                if path == ("meta",):
                    name = "Meta" if cls.is_core_root else cls.stem + "Meta"
                else:
                    name = (cls.stem if rank else "") + path_name(path)
                origin = _dotted(path) if not rank else f"{_dotted(path)} of {cls.label}"
                cls.name = self._claim(name, origin)

    # -- the plan -----------------------------------------------------------------------------------------

    def plan(self, core: MetaTree | None, models: list[MetaTree]) -> MetaPlan:
        found: dict[tuple[str, ...], list[tuple[ir.ObjectNode, MetaTree]]] = {}
        for tree in (core, *models):
            if tree is not None:
                self._collect(tree.node, ("meta",), tree, found)
        order = list(found)
        for path in sorted(order, key=len, reverse=True):  # children first: parents compare child classes
            for node, tree in found[path]:
                self._place(path, node, tree)
        self._name_classes(order)
        root_of = {t.model: self.classes[self.class_of[(("meta",), t.node)]].name for t in models}
        return MetaPlan(
            classes=self._plans(),
            root_of=root_of,
            leaves=self._leaves([self.classes[i] for i in self.at.get(("meta",), [])]),
            meta_leaves={
                cls.name: tuple(p for p, _ in self._scalars(cls.members, cls.path, nested=False))
                for cls in self.classes
            },
        )

    def _field(self, cls: _Class, name: str) -> MetaField:
        member = cls.members[name]
        if member.kind == "scalar":
            return MetaField(name, "scalar", member.node)
        assert isinstance(member.key, int)
        child = self.classes[member.key]
        narrows = None
        if cls.base is not None and name in cls.base.members:
            inherited = cls.base.members[name].key
            assert isinstance(inherited, int)
            narrows = self.classes[inherited].name
        node = ir.ObjectNode(title=child.title, description=child.description)
        return MetaField(name, "object", node, child.name, narrows)

    def _doc(self, cls: _Class) -> ir.ObjectNode:
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
            dotted = _dotted(cls.path)
            plans.append(
                MetaClassPlan(
                    name=cls.name,
                    base=cls.base.name if cls.base is not None else "MetaNode",
                    node=self._doc(cls),
                    fields=[self._field(cls, n) for n in cls.declared],
                    first_path=dotted,
                    paths=[dotted],
                    sources=list(cls.sources),
                )
            )

        for index in self.at.get(("meta",), []):
            emit(self.classes[index])
        for cls in self.classes:  # classes reachable from no root (none today): still emitted, in order
            emit(cls)
        return plans

    def _scalars(
        self, members: dict[str, _Member], path: tuple[str, ...], nested: bool = True
    ) -> list[tuple[str, ir.Scalar]]:
        found: list[tuple[str, ir.Scalar]] = []
        for name, member in members.items():
            if isinstance(member.node, ir.Scalar):
                found.append((_dotted((*path, name)), member.node))
            elif nested:
                assert isinstance(member.key, int)
                found.extend(self._scalars(self.classes[member.key].members, (*path, name)))
        return found

    def _leaves(self, roots: list[_Class]) -> dict[str, tuple[ir.Scalar, str]]:
        """Dotted path -> scalar; roots in planning order, so the core schema's definitions come first.

        Models may keep a keyword in another HDU at the same path (a fact of the JWST files: reference files
        keep ``PIXAR_SR`` in the primary header); the first definition is listed. Another keyword or type at
        the same path is an inconsistency: an error in strict mode, a report otherwise.
        """
        leaves: dict[str, tuple[ir.Scalar, str]] = {}
        for root in roots:
            for path, scalar in self._scalars(root.members, ("meta",)):
                old = leaves.get(path)
                if old is None:
                    leaves[path] = (scalar, root.label)
                    continue
                first, label = old
                if (first.fits_keyword, first.type) != (scalar.fits_keyword, scalar.type):
                    message = (
                        f"{path} is ({first.fits_keyword}, {first.fits_hdu}, {first.type}) in {label} "
                        f"but ({scalar.fits_keyword}, {scalar.fits_hdu}, {scalar.type}) in {root.label}"
                    )
                    if self.schemas.strict:
                        raise BuildError(message)
                    self.schemas.problem(root.sources[0], "/properties/meta", f"{message}; first listed")
        return leaves


def plan_meta(schemas: SchemaSet, core: MetaTree | None, models: list[MetaTree]) -> MetaPlan:
    return MetaPlanner(schemas).plan(core, models)
