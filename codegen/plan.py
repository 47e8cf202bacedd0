"""Stage 3: every decision about classes, names, modules and lookup tables.

Input: the models (from ``models.yaml`` or one per schema file) and their normalized trees. Output: a
:class:`Plan` that the renderer prints without deciding anything.

Meta classes: the ``meta`` object of the core schema (``core.schema.yaml``; else the part common to every
model) becomes ``Meta`` plus one class per nested object, named from its dotted path without the leading
``meta`` (``meta.ref_file.flat`` -> ``RefFileFlat``). Identical subtrees share one class. A model whose meta
only adds properties gets ``<Stem>Meta(Meta)`` declaring the added fields; a model that changes an existing
property gets a standalone class (pyright strict forbids incompatible field overrides). Two different
subtrees that derive the same class name fail the build.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from . import ir
from .errors import BuildError, Report, SchemaError
from .load import SCHEMA_SUFFIX, SchemaSet
from .normalize import Normalizer

FieldKind = Literal["scalar", "object", "array", "table", "list"]
ChildClass = Callable[[str, ir.ObjectNode, tuple[str, ...]], str]
"""Plans the class of a nested object: (property name, object, path) -> class name."""

#: Attribute names of pydantic BaseModel and of DataModel that a field must not shadow.
_RESERVED_META = frozenset(
    {
        "copy", "dict", "json", "schema", "schema_json", "validate", "construct", "parse_obj", "parse_raw",
        "parse_file", "from_orm", "update_forward_refs", "fields", "model_config", "model_fields",
        "model_computed_fields", "model_extra", "model_fields_set", "model_construct", "model_copy",
        "model_dump", "model_dump_json", "model_json_schema", "model_parametrized_name", "model_post_init",
        "model_rebuild", "model_validate", "model_validate_json", "model_validate_strings", "dotted_path",
        "owner_name", "fits_location",
    }
)  # fmt: skip
_RESERVED_MODEL = frozenset(
    {"meta", "meta_class", "schema_name", "primary_array_name", "copy", "save", "validate", "close", "update"}
)


@dataclass(frozen=True, slots=True)
class FieldPlan:
    name: str
    kind: FieldKind
    node: ir.Node
    class_name: str | None = None
    """Nested meta class (``object``) or item model class (``list``)."""


@dataclass
class MetaClassPlan:
    name: str
    base: str
    """``MetaNode`` or the shared class this one extends."""
    node: ir.ObjectNode
    """The complete object (inherited fields included)."""
    fields: list[FieldPlan]
    """Fields this class declares (for a subclass: only the added ones)."""
    first_path: str
    paths: list[str] = field(default_factory=list[str])
    sources: list[str] = field(default_factory=list[str])


@dataclass
class ModelPlan:
    class_name: str
    module: str
    schema_file: str
    meta_class: str
    primary_array: str
    title: str
    aliases: tuple[str, ...]
    fields: list[FieldPlan]
    is_item: bool = False
    imports: list[tuple[str, str]] = field(default_factory=list[tuple[str, str]])
    """(module, class) of item models defined in other modules."""


@dataclass
class LeafPlan:
    path: str
    keyword: str | None
    hdu: str
    type: str
    title: str
    model: str


@dataclass
class Plan:
    schemas_name: str
    """Name of the schemas folder, used in headers (``schemas``)."""
    meta_classes: list[MetaClassPlan]
    models: list[ModelPlan]
    modules: dict[str, list[ModelPlan]]
    leaves: dict[str, LeafPlan]
    meta_leaves: dict[str, tuple[str, ...]]
    model_classes: dict[str, tuple[str, str]]
    meta_sources: list[str]
    all_sources: list[str]
    has_manifest: bool
    reports: list[Report]


# -- names ------------------------------------------------------------------------------------------------


def camel(name: str) -> str:
    """``ref_file`` -> ``RefFile``; ``nirspec-ifu`` -> ``NirspecIfu``."""
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", name) if p]
    text = "".join(p[:1].upper() + p[1:] for p in parts)
    if not text or text[0].isdigit():
        text = "N" + text
    return text


def path_name(path: tuple[str, ...]) -> str:
    """Class name derived from a dotted path: a leading ``meta`` is dropped unless it is the whole path."""
    if len(path) > 1 and path[0] == "meta":
        path = path[1:]
    return "".join(camel(p) for p in path)


def model_stem(class_name: str) -> str:
    return class_name.removesuffix("Model") or class_name


def module_name(schema_file: str) -> str:
    stem = schema_file.removesuffix(SCHEMA_SUFFIX).removesuffix(".yaml")
    name = re.sub(r"[^0-9A-Za-z_]", "_", stem).lower()
    if not name or name[0].isdigit():
        name = "m_" + name
    if keyword.iskeyword(name) or name in ("meta", "lookup", "__init__"):
        name += "_model"
    return name


# -- the planner --------------------------------------------------------------------------------------------


@dataclass
class _ModelSpec:
    class_name: str
    schema_file: str
    primary_array: str
    aliases: tuple[str, ...]
    title: str | None


class Planner:
    def __init__(self, schemas: SchemaSet, manifest: dict[str, Any] | None, schemas_name: str) -> None:
        self.schemas = schemas
        self.manifest = manifest
        self.schemas_name = schemas_name
        self.normalizer = Normalizer(schemas)
        self.reports: list[Report] = []
        self.classes: dict[str, MetaClassPlan] = {}
        self.by_node: dict[ir.ObjectNode, str] = {}
        self.shared_at: dict[tuple[str, ...], str] = {}
        self.models: list[ModelPlan] = []
        self.item_by_node: dict[ir.ObjectNode, ModelPlan] = {}
        self.model_names: set[str] = set()
        self.pending: dict[str, tuple[_ModelSpec, ir.ObjectNode]] = {}
        self.planned: dict[str, ModelPlan] = {}
        self.in_progress: list[str] = []

    def report(self, file: str, pointer: str, message: str) -> None:
        self.reports.append(Report(file, pointer, message))

    # -- models --------------------------------------------------------------------------------------

    def model_specs(self) -> list[_ModelSpec]:
        specs: list[_ModelSpec] = []
        if self.manifest is not None:
            for class_name, entry in self.manifest.items():
                where = f"/{class_name}"
                if not class_name.isidentifier():
                    raise SchemaError("models.yaml", where, f"{class_name!r} is not a class name")
                if not isinstance(entry, dict):
                    raise SchemaError("models.yaml", where, "expected a mapping with 'schema'")
                entry = cast(dict[str, Any], entry)
                unknown = sorted(set(entry) - {"schema", "primary_array", "aliases", "title"})
                if unknown:
                    raise SchemaError("models.yaml", f"{where}/{unknown[0]}", f"unknown key {unknown[0]!r}")
                schema = entry.get("schema")
                if not isinstance(schema, str):
                    raise SchemaError("models.yaml", f"{where}/schema", "missing schema file name")
                if not schema.endswith(".yaml"):
                    schema += ".yaml"
                if schema not in self.schemas.docs:
                    raise SchemaError("models.yaml", f"{where}/schema", f"no schema file {schema!r}")
                aliases: Any = entry.get("aliases") or []
                if not isinstance(aliases, list) or not all(
                    isinstance(a, str) for a in cast(list[Any], aliases)
                ):
                    raise SchemaError("models.yaml", f"{where}/aliases", "aliases must be a list of names")
                title = entry.get("title")
                specs.append(
                    _ModelSpec(
                        class_name=class_name,
                        schema_file=schema,
                        primary_array=str(entry.get("primary_array") or "data"),
                        aliases=tuple(cast(list[str], aliases)),
                        title=str(title) if title is not None else None,
                    )
                )
            return specs
        for file in sorted(self.schemas.docs):
            doc = self.schemas.docs[file]
            if not (isinstance(doc.get("properties"), dict) or "allOf" in doc or "$ref" in doc):
                continue
            stem = file.removesuffix(SCHEMA_SUFFIX)
            specs.append(_ModelSpec(camel(stem) + "Model", file, "data", (), None))
        return specs

    def roots(self, specs: list[_ModelSpec]) -> list[tuple[_ModelSpec, ir.ObjectNode]]:
        roots: list[tuple[_ModelSpec, ir.ObjectNode]] = []
        for spec in specs:
            try:
                root = self.normalizer.model_root(spec.schema_file)
            except SchemaError as exc:
                if self.schemas.strict:
                    raise
                self.report(exc.file, exc.pointer, f"model {spec.class_name} skipped: {exc.message}")
                continue
            roots.append((spec, root))
        return roots

    # -- meta classes ---------------------------------------------------------------------------------

    def _register(
        self,
        name: str,
        base: str,
        node: ir.ObjectNode,
        fields: list[FieldPlan],
        path: tuple[str, ...],
        source: str,
    ) -> str:
        dotted = ".".join(path)
        existing = self.classes.get(name)
        if existing is not None:
            raise BuildError(
                f"class name collision: {name!r} derived from {existing.first_path!r} and from {dotted!r} "
                "(different schemas); rename a property or make the subtrees identical"
            )
        plan = MetaClassPlan(
            name=name, base=base, node=node, fields=fields, first_path=dotted, sources=[source]
        )
        self.classes[name] = plan
        self.by_node[node] = name
        return name

    def _use(self, name: str, path: tuple[str, ...], source: str) -> str:
        plan = self.classes[name]
        dotted = ".".join(path)
        if dotted not in plan.paths:
            plan.paths.append(dotted)
        return name

    def _fields(
        self, node: ir.ObjectNode, path: tuple[str, ...], source: str, child_class: ChildClass
    ) -> list[FieldPlan]:
        fields: list[FieldPlan] = []
        for name, child in node.properties:
            where = "".join(f"/properties/{p}" for p in (*path, name))
            if (
                not name.isidentifier()
                or keyword.iskeyword(name)
                or name.startswith("_")
                or name in _RESERVED_META
            ):
                self.schemas.problem(source, where, f"property name {name!r} cannot be a field name")
                continue
            if isinstance(child, ir.Scalar):
                fields.append(FieldPlan(name, "scalar", child))
            elif isinstance(child, ir.ObjectNode):
                fields.append(FieldPlan(name, "object", child, child_class(name, child, (*path, name))))
            elif isinstance(child, ir.Unsupported):
                continue
            else:
                self.report(
                    source, where, f"{type(child).__name__.lower()} inside the meta tree is not supported"
                )
        return fields

    def shared(self, node: ir.ObjectNode, path: tuple[str, ...], source: str) -> str:
        """Plan the shared class tree: path-derived names; reuse identical subtrees; collisions fail."""
        if node in self.by_node:
            return self._use(self.by_node[node], path, source)
        fields = self._fields(node, path, source, lambda _n, child, p: self.shared(child, p, source))
        name = self._register(path_name(path), "MetaNode", node, fields, path, source)
        self.shared_at[path] = name
        return self._use(name, path, source)

    def added(self, node: ir.ObjectNode, path: tuple[str, ...], stem: str, source: str) -> str:
        """An object a model adds: the path name, or ``<Stem><PathName>`` when that name is taken."""
        if node in self.by_node:
            return self._use(self.by_node[node], path, source)
        fields = self._fields(node, path, source, lambda _n, child, p: self.added(child, p, stem, source))
        name = path_name(path)
        if name in self.classes:
            name = stem + path_name(path)
        return self._use(self._register(name, "MetaNode", node, fields, path, source), path, source)

    def variant(self, node: ir.ObjectNode, path: tuple[str, ...], stem: str, source: str) -> str:
        """A model's object at ``path`` compared with the shared class there."""
        if node in self.by_node:
            return self._use(self.by_node[node], path, source)
        shared_name = self.shared_at.get(path)
        if shared_name is None:
            return self.added(node, path, stem, source)
        shared = self.classes[shared_name].node
        model_props = node.props
        unchanged = all(model_props.get(name) == sub for name, sub in shared.properties)
        name = stem + path_name(path)
        if unchanged:
            extra = ir.ObjectNode(tuple((n, s) for n, s in node.properties if n not in shared.props))
            fields = self._fields(
                extra,
                path,
                source,
                lambda _n, child, p: self.added(child, p, stem, source),
            )
            return self._use(self._register(name, shared_name, node, fields, path, source), path, source)

        def child_class(_name: str, child: ir.ObjectNode, p: tuple[str, ...]) -> str:
            return self.variant(child, p, stem, source)

        fields = self._fields(node, path, source, child_class)
        return self._use(self._register(name, "MetaNode", node, fields, path, source), path, source)

    # -- model classes --------------------------------------------------------------------------------

    def model(
        self,
        spec: _ModelSpec,
        root: ir.ObjectNode,
        module: str,
        is_item: bool,
        schema_classes: dict[str, str],
    ) -> ModelPlan:
        stem = model_stem(spec.class_name)
        source = spec.schema_file
        meta_node = root.props.get("meta")
        if isinstance(meta_node, ir.ObjectNode):
            meta_class = self.variant(meta_node, ("meta",), stem, source)
        else:
            meta_class = "MetaNode"
        plan = ModelPlan(
            class_name=spec.class_name,
            module=module,
            schema_file=spec.schema_file,
            meta_class=meta_class,
            primary_array=spec.primary_array,
            title=spec.title if spec.title is not None else root.title or root.description.split("\n")[0],
            aliases=spec.aliases,
            fields=[],
            is_item=is_item,
        )
        for name, child in root.properties:
            where = f"/properties/{name}"
            if name == "meta":
                continue
            if isinstance(child, ir.Unsupported):
                continue
            if (
                not name.isidentifier()
                or keyword.iskeyword(name)
                or name.startswith("_")
                or name in _RESERVED_MODEL
            ):
                self.schemas.problem(source, where, f"property name {name!r} cannot be a model attribute")
            elif isinstance(child, ir.Array):
                plan.fields.append(FieldPlan(name, "array", child))
            elif isinstance(child, ir.Table):
                plan.fields.append(FieldPlan(name, "table", child))
            elif isinstance(child, ir.ListNode):
                item = self.item_model(spec, name, child.items, module, schema_classes)
                if item.module != module and (item.module, item.class_name) not in plan.imports:
                    plan.imports.append((item.module, item.class_name))
                plan.fields.append(FieldPlan(name, "list", child, item.class_name))
            elif isinstance(child, ir.Scalar):
                self.report(
                    source,
                    where,
                    f"{spec.class_name}.{name}: top-level scalar properties are not generated yet",
                )
            else:
                self.report(
                    source,
                    where,
                    f"{spec.class_name}.{name}: top-level objects other than meta are not generated yet",
                )
        return plan

    def manifest_model(self, class_name: str, schema_classes: dict[str, str]) -> ModelPlan:
        planned = self.planned.get(class_name)
        if planned is not None:
            return planned
        if class_name in self.in_progress:
            raise BuildError(f"model {class_name} lists itself (directly or through its items)")
        self.in_progress.append(class_name)
        spec, root = self.pending[class_name]
        plan = self.model(spec, root, module_name(spec.schema_file), False, schema_classes)
        self.in_progress.pop()
        self.planned[class_name] = plan
        self.models.append(plan)
        return plan

    def item_model(
        self, parent: _ModelSpec, prop: str, items: ir.ObjectNode, module: str, schema_classes: dict[str, str]
    ) -> ModelPlan:
        if items.origin is not None and items.origin in schema_classes:
            return self.manifest_model(schema_classes[items.origin], schema_classes)
        if items in self.item_by_node:
            return self.item_by_node[items]
        name = camel(items.origin.removesuffix(SCHEMA_SUFFIX)) + "Model" if items.origin else ""
        if not name or name in self.model_names:
            name = model_stem(parent.class_name) + camel(prop) + "Item"
        if name in self.model_names:
            raise BuildError(f"class name collision: item model {name!r} of {parent.class_name}.{prop}")
        self.model_names.add(name)
        spec = _ModelSpec(name, items.origin or parent.schema_file, "data", (), None)
        plan = self.model(spec, items, module, True, schema_classes)
        self.item_by_node[items] = plan
        self.models.append(plan)
        return plan

    # -- the whole plan -------------------------------------------------------------------------------

    def plan(self) -> Plan:
        specs = self.model_specs()
        roots = self.roots(specs)
        self.model_names = {spec.class_name for spec, _ in roots}
        schema_classes: dict[str, str] = {}
        for spec, _ in roots:
            schema_classes.setdefault(spec.schema_file, spec.class_name)

        # the shared meta tree
        core_file = "core.schema.yaml"
        metas = [m for _, root in roots if isinstance(m := root.props.get("meta"), ir.ObjectNode)]
        core_meta: ir.ObjectNode | None = None
        core_source = core_file
        if core_file in self.schemas.docs:
            found = self.normalizer.model_root(core_file).props.get("meta")
            if isinstance(found, ir.ObjectNode):
                core_meta = found
        if core_meta is None and metas:
            core_meta = _intersect(metas)
            core_source = roots[0][0].schema_file
        if core_meta is not None:
            self.shared(core_meta, ("meta",), core_source)

        self.pending = {spec.class_name: (spec, root) for spec, root in roots}
        for spec, _ in roots:
            self.manifest_model(spec.class_name, schema_classes)

        meta_sources = sorted({s for c in self.classes.values() for s in c.sources})

        # order models: manifest order, item models before the models that list them
        ordered = _order_models(self.models)
        modules: dict[str, list[ModelPlan]] = {}
        for plan in ordered:
            modules.setdefault(plan.module, []).append(plan)

        leaves = self._leaves(roots)
        meta_leaves = {
            name: tuple(
                f"{path}.{leaf_name}"
                for path in plan.paths
                for leaf_name, child in plan.node.properties
                if isinstance(child, ir.Scalar)
            )
            for name, plan in self.classes.items()
        }
        model_classes: dict[str, tuple[str, str]] = {}
        for plan in ordered:
            if plan.is_item:
                continue
            for type_name in (plan.class_name, *plan.aliases):
                if type_name in model_classes and model_classes[type_name] != (plan.module, plan.class_name):
                    other = model_classes[type_name][1]
                    raise BuildError(f"model type {type_name!r} names both {other} and {plan.class_name}")
                model_classes[type_name] = (plan.module, plan.class_name)

        all_sources = sorted({spec.schema_file for spec, _ in roots} | set(meta_sources))
        if self.manifest is not None:
            all_sources.append("models.yaml")
        reports = list(dict.fromkeys([*self.schemas.reports, *self.reports]))
        return Plan(
            schemas_name=self.schemas_name,
            meta_classes=list(self.classes.values()),
            models=ordered,
            modules=modules,
            leaves=leaves,
            meta_leaves=meta_leaves,
            model_classes=model_classes,
            meta_sources=meta_sources,
            all_sources=all_sources,
            has_manifest=self.manifest is not None,
            reports=reports,
        )

    def _leaves(self, roots: list[tuple[_ModelSpec, ir.ObjectNode]]) -> dict[str, LeafPlan]:
        leaves: dict[str, LeafPlan] = {}
        for spec, root in roots:
            meta = root.props.get("meta")
            if not isinstance(meta, ir.ObjectNode):
                continue
            for path, scalar in _scalars(meta, "meta"):
                leaf = LeafPlan(
                    path, scalar.fits_keyword, scalar.fits_hdu, scalar.type, scalar.title, spec.class_name
                )
                old = leaves.get(path)
                if old is None:
                    leaves[path] = leaf
                elif (old.keyword, old.hdu, old.type) != (leaf.keyword, leaf.hdu, leaf.type):
                    message = (
                        f"{path} is ({old.keyword}, {old.hdu}, {old.type}) in {old.model} "
                        f"but ({leaf.keyword}, {leaf.hdu}, {leaf.type}) in {leaf.model}"
                    )
                    if self.schemas.strict:
                        raise BuildError(message)
                    self.report(spec.schema_file, "/properties/meta", message + "; the first is kept")
        return leaves


def _scalars(node: ir.ObjectNode, prefix: str) -> list[tuple[str, ir.Scalar]]:
    found: list[tuple[str, ir.Scalar]] = []
    for name, child in node.properties:
        if isinstance(child, ir.Scalar):
            found.append((f"{prefix}.{name}", child))
        elif isinstance(child, ir.ObjectNode):
            found.extend(_scalars(child, f"{prefix}.{name}"))
    return found


def _intersect(nodes: list[ir.ObjectNode]) -> ir.ObjectNode:
    """The properties common to every node (objects intersected recursively), in the first node's order."""
    first, others = nodes[0], [n.props for n in nodes[1:]]
    properties: list[tuple[str, ir.Node]] = []
    for name, sub in first.properties:
        subs = [o.get(name) for o in others]
        if all(s == sub for s in subs):
            properties.append((name, sub))
        elif isinstance(sub, ir.ObjectNode) and all(isinstance(s, ir.ObjectNode) for s in subs):
            inner = _intersect([sub, *cast(list[ir.ObjectNode], subs)])
            if inner.properties:
                properties.append((name, inner))
    return ir.ObjectNode(tuple(properties), first.title, first.description)


def _order_models(models: list[ModelPlan]) -> list[ModelPlan]:
    """Keep the given order but put each item model before the first model that lists it (same module)."""
    by_name = {m.class_name: m for m in models}
    done: list[ModelPlan] = []
    seen: set[str] = set()

    def visit(model: ModelPlan) -> None:
        if model.class_name in seen:
            return
        seen.add(model.class_name)
        for f in model.fields:
            if f.kind == "list" and f.class_name in by_name:
                visit(by_name[f.class_name])
        done.append(model)

    for model in models:
        visit(model)
    return done


def make_plan(schemas: SchemaSet, manifest: dict[str, Any] | None, schemas_name: str) -> Plan:
    return Planner(schemas, manifest, schemas_name).plan()
