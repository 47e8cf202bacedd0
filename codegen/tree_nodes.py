"""The generator kind for objects outside ``meta``: ``DisperserModel.gwa_tiltx``, ``MSAModel.Q1``.

A model property whose schema is an object with properties (and is not ``meta``) becomes a ``NodeField``
attribute holding an instance of a generated class that extends ``TreeObject`` (both from
``jwstmodels.base``); the class declares its members with the descriptors of a model's own top-level fields:

- a scalar: ``ScalarField`` (no FITS keyword: the object lives in the ASDF tree),
- a list of values: ``ValueListField``,
- a tagged object (a transform, an ASDF ndarray), alone or in a list: ``ObjectField``,
- an array (``datatype``): an ``ObjectField`` holding a numpy array (ASDF arrays inside a tree object),
- a nested object with properties: a ``NodeField`` of a nested class.

Classes are named from the model and the path (``DisperserGwaTiltx``); identical objects of one model share
one class (the 30 slices of ``IFUPostModel``), named from the property with its trailing number dropped
(``IFUPostSlice``). Planning lives here (the planner calls :func:`plan_node`); rendering too (the renderer
calls :func:`node_class_texts`, :func:`node_field_member` and :func:`node_member_decls`).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import ir
from .names import camel, model_stem, usable

if TYPE_CHECKING:
    from .errors import Report
    from .render import ClassText, Member

#: Attribute names of ``TreeObject`` that a member must not shadow.
RESERVED_NODE = frozenset(
    {"attach", "model_name", "place", "extra", "is_empty", "holds_objects", "to_tree", "from_tree"}
)

NDARRAY_TAG = "tag:stsci.edu:asdf/core/ndarray-1.*"

Member_ = ir.Scalar | ir.ValueList | ir.TaggedObject | ir.Array | ir.ObjectNode


@dataclass
class NodeClassPlan:
    """One generated ``TreeObject`` subclass: its members, in schema order (nested objects by class)."""

    name: str
    node: ir.ObjectNode
    members: list[tuple[str, Member_]] = field(default_factory=list[tuple[str, Member_]])
    nested: dict[str, NodeClassPlan] = field(default_factory=dict[str, "NodeClassPlan"])
    """Member name -> class of a nested object."""
    paths: list[str] = field(default_factory=list[str])
    """The places of the model's tree holding an object of this class (for the docstring)."""


@dataclass
class NodePlanner:
    """Plans the tree-object classes of one model (shared between identical objects of the model)."""

    model: str
    file: str
    classes: list[NodeClassPlan] = field(default_factory=list[NodeClassPlan])
    reports: list[Report] = field(default_factory=list["Report"])
    _by_node: dict[ir.ObjectNode, NodeClassPlan] = field(default_factory=dict[ir.ObjectNode, NodeClassPlan])

    def plan(self, path: tuple[str, ...], node: ir.ObjectNode) -> NodeClassPlan:
        """The class of the object at ``path`` (planned on first use), its nested objects' classes first.
        Its ``name`` is final once every property of the model is planned (a shared class is renamed)."""
        known = self._by_node.get(node)
        if known is not None:
            known.paths.append(".".join(path))
            # shared: named after what the properties' names have in common (slice_0, slice_1 -> Slice)
            names = [p.rsplit(".", 1)[-1] for p in known.paths]
            common = _unnumbered(_common_start(names)) or _unnumbered(names[0])
            known.name = self._free(model_stem(self.model) + camel(common), known)
            return known
        cls = NodeClassPlan(self._free(model_stem(self.model) + "".join(camel(p) for p in path), None), node)
        cls.paths.append(".".join(path))
        self._by_node[node] = cls
        for name, child in node.properties:
            where = "/properties/" + "/properties/".join([*path, name])
            if not usable(name, RESERVED_NODE):
                self._report(where, f"member name {name!r} cannot be an attribute")
                continue
            if isinstance(child, ir.ObjectNode):
                cls.nested[name] = self.plan((*path, name), child)
                cls.members.append((name, child))
            elif isinstance(child, ir.Scalar | ir.ValueList | ir.TaggedObject | ir.Array):
                cls.members.append((name, child))
            elif not isinstance(child, ir.Unsupported):  # unsupported ones are reported by the normalizer
                self._report(where, f"{self.model}.{'.'.join(path)}.{name}: no member kind for this node")
        self.classes.append(cls)
        return cls

    def _free(self, name: str, current: NodeClassPlan | None) -> str:
        taken = {c.name for c in self.classes if c is not current}
        candidate, number = name, 2
        while candidate in taken:
            candidate, number = f"{name}{number}", number + 1
        return candidate

    def _report(self, pointer: str, message: str) -> None:
        from .errors import Report

        self.reports.append(Report(self.file, pointer, message))


def _common_start(names: list[str]) -> str:
    """The longest text every name starts with."""
    first, last = min(names), max(names)
    size = next((i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), len(first))
    return first[:size]


def _unnumbered(name: str) -> str:
    """``slice_12`` -> ``slice``, ``Q3`` -> ``Q`` (the property name without its trailing number)."""
    return re.sub(r"[_-]?\d*$", "", name)


# -- rendering ------------------------------------------------------------------------------------------


def node_field_member(name: str, node: ir.ObjectNode, class_name: str) -> Member:
    """``gwa_tiltx = NodeField(DisperserGwaTiltx, title=...)``."""
    from .render import Member, _paragraphs, docstring, py_literal

    title = f", title={py_literal(node.title)}" if node.title else ""
    doc = _paragraphs(
        node.title,
        node.description,
        f"An object of ``{class_name}`` (never None: created empty on first access); kept in the ASDF tree.",
    )
    return Member(f"{name} = NodeField({class_name}{title})", docstring(doc))


def tree_array_member(name: str, node: ir.Array) -> Member:
    """An array member: ``TreeArrayField(np.float32, ndim=1, title=...)``, typed ``NDArray[np.float32]``
    and checked on assignment (``jwstmodels._core.tree_arrays``)."""
    from .render import Member, _dims, _paragraphs, docstring, py_literal

    args = [ir.NUMPY_TYPES[node.datatype]]
    if node.ndim is not None:
        args.append(f"ndim={node.ndim}")
    if node.title:
        args.append(f"title={py_literal(node.title)}")
    where = f"ASDF tag {NDARRAY_TAG}: {node.datatype}, {_dims(node)}; ASDF files only."
    doc = _paragraphs(node.title, node.description, where)
    return Member(f"{name} = TreeArrayField({', '.join(args)})", docstring(doc))


def _member(name: str, node: Member_, nested: dict[str, NodeClassPlan]) -> Member:
    from .render import object_field_member, scalar_field_member, value_list_member

    if isinstance(node, ir.ObjectNode):
        return node_field_member(name, node, nested[name].name)
    if isinstance(node, ir.Scalar):
        # a keyword inside a tree object has no header to live in: the member is an ASDF tree value
        return scalar_field_member(name, dataclasses.replace(node, fits_keyword=None))
    if isinstance(node, ir.ValueList):
        return value_list_member(name, node)
    if isinstance(node, ir.Array):
        return tree_array_member(name, node)
    return object_field_member(name, node)


def node_class_texts(classes: list[NodeClassPlan]) -> list[ClassText]:
    """The class texts of a model's tree-object classes, nested classes first."""
    from .render import ClassText, _paragraphs, docstring

    texts: list[ClassText] = []
    for cls in classes:
        where = ", ".join(f"``{p}``" for p in cls.paths)
        doc = _paragraphs(cls.node.title or f"The object at {where}.", f"Held at {where} of its model.")
        members = tuple(_member(name, node, cls.nested) for name, node in cls.members)
        texts.append(ClassText(name=cls.name, bases="TreeObject", doc=docstring(doc), members=members))
    return texts


def node_member_decls(classes: list[NodeClassPlan]) -> list[str]:
    """Every member declaration of the classes (for the module's imports)."""
    return [_member(name, node, cls.nested).decl for cls in classes for name, node in cls.members]
