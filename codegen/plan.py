"""Stage 3: every decision about classes, names, modules and lookup tables.

Input: the models (from ``models.yaml`` or one per schema file) and their normalized trees. Output: a
:class:`Plan` that the renderer prints without deciding anything.

Models: one class per manifest entry, in the module named after its schema file. A list property (``type:
array`` of objects) becomes a ``ListField`` of an item model: the manifest model whose schema the items
``$ref`` (``slits`` -> ``SlitModel``), else a class generated beside the parent and named after the items'
schema file (``PathlossApertureModel``) or after the parent and property (``PathlossAperturesItem``). The
metadata classes are planned by :mod:`codegen.meta_plan`, with a common root (``CommonMeta``: what every
model's metadata shares) planned first; :func:`_place_meta` decides which module defines each of them.
``required_meta`` lists the metadata leaves a model's ``required`` lists name all the way down from ``meta``.
A manifest ``base`` makes a model class extend another; :meth:`Planner._inherit` checks that the schema
really extends the base's and records what is inherited.
"""

from __future__ import annotations

import dataclasses
import keyword
import re
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from . import ir
from .errors import BuildError, Report, SchemaError
from .load import SCHEMA_SUFFIX, SchemaSet
from .meta_plan import MetaClassPlan, MetaTree, leaf_facts, literal_values, plan_meta, scalar_facts
from .names import RESERVED_MODEL, camel, model_stem, module_name, usable
from .normalize import Normalizer
from .tree_nodes import NodeClassPlan, NodePlanner

FieldKind = Literal["array", "table", "list", "scalar", "object", "values", "node"]

__all__ = ["FieldPlan", "LeafPlan", "MetaClassPlan", "ModelPlan", "Plan", "make_plan"]


@dataclass(frozen=True, slots=True)
class FieldPlan:
    """An array, table, list, scalar or list of values attribute of a model class (outside ``meta``)."""

    name: str
    kind: FieldKind
    node: ir.Array | ir.Table | ir.ListNode | ir.Scalar | ir.TaggedObject | ir.ValueList | ir.ObjectNode
    class_name: str | None = None
    """Item model class (``list``); the tree-object class (``node``: an object outside meta)."""
    created: bool = False
    """An array the model holds from construction (the primary array, and the manifest's
    ``created_arrays``): declared with ``CreatedArrayField``, typed without ``None``."""


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
    required_meta: tuple[str, ...] = ()
    is_item: bool = False
    imports: list[tuple[str, str]] = field(default_factory=list[tuple[str, str]])
    """(module, class) of item models defined in other modules."""
    base: str | None = None
    """The model class this one extends (``models.yaml``'s ``base``); its fields are inherited."""
    inherited: tuple[str, ...] = ()
    """Fields the base class declares with exactly this model's definition (not declared again)."""
    base_meta: str | None = None
    """The base model's metadata class, when this model narrows it."""
    base_required: tuple[str, ...] = ()
    """The base model's ``required_meta`` (this model declares its own only when they differ)."""
    nodes: list[NodeClassPlan] = field(default_factory=list[NodeClassPlan])
    """The classes of the model's objects outside meta (``codegen.tree_nodes``), nested ones first."""
    save_hooks: tuple[str, ...] = ()
    """``models.yaml``'s ``on_save``: runtime functions run before saving or validating."""
    group: str | None = None
    """The scalar group (:class:`ScalarGroupPlan`) this model takes its leading scalar fields from."""
    grouped: tuple[str, ...] = ()
    """The fields the group declares for this model (not declared again)."""


@dataclass
class EnumAliasPlan:
    """A ``Literal[...]`` type that several metadata fields list alike (the same values, in whatever order),
    written once in the shared ``meta`` module (every model module imports it), in the first field's order,
    and named after that field's class and name (``SubarrayName``); the fields are typed
    ``SubarrayName | None``."""

    name: str
    values: tuple[object, ...]
    users: list[str]
    """``Class.field`` of every field typed by it."""
    sources: list[str]
    """The schema files of those fields."""


@dataclass
class ScalarGroupPlan:
    """Scalar fields (outside ``meta``) that several models, none extending another, declare alike: one
    plain class declaring them, which each of those models lists before its base (a mixin). The reference's
    classes have no such base, so ``isinstance`` between the models stays as it is; only identical leading
    runs are grouped, so the fields keep their order (the order of the header keywords they are written as).
    """

    name: str
    module: str
    fields: list[FieldPlan]
    users: list[str]


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
    meta_modules: dict[str, str] = field(default_factory=dict[str, str])
    """Metadata class -> the module defining it: ``meta`` (shared) or the one model module that needs it."""
    common_meta: str | None = None
    """The class every model's metadata extends (``CommonMeta``), if the package has one."""
    scalar_groups: list[ScalarGroupPlan] = field(default_factory=list[ScalarGroupPlan])
    enum_aliases: list[EnumAliasPlan] = field(default_factory=list[EnumAliasPlan])


@dataclass
class _ModelSpec:
    class_name: str
    schema_file: str
    primary_array: str | None
    """The manifest's ``primary_array``; None when it does not say."""
    aliases: tuple[str, ...]
    title: str | None
    base: str | None = None
    """The manifest's ``base``: the model class this one extends."""
    created_arrays: tuple[str, ...] | None = None
    """The manifest's ``created_arrays``: arrays the model creates beside its primary array when it has one;
    None when it does not say (then the base model's, or none)."""
    on_save: tuple[str, ...] = ()
    """The manifest's ``on_save``: runtime functions (``module:name``) run with the model before it is saved
    or validated (``DataModel._save_hooks``)."""


@dataclass
class _Entry:
    """A model to generate: a manifest model, or an item model found in a list property."""

    spec: _ModelSpec
    root: ir.ObjectNode
    module: str
    is_item: bool
    lists: dict[str, str] = field(default_factory=dict[str, str])
    """List property -> item model class."""


_MANIFEST_KEYS = frozenset(
    {"schema", "primary_array", "aliases", "title", "base", "created_arrays", "on_save"}
)


class Planner:
    def __init__(self, schemas: SchemaSet, manifest: dict[str, Any] | None, schemas_name: str) -> None:
        self.schemas = schemas
        self.manifest = manifest
        self.schemas_name = schemas_name
        self.normalizer = Normalizer(schemas)
        self.reports: list[Report] = []
        self.entries: dict[str, _Entry] = {}
        self.order: list[str] = []
        self.by_schema: dict[str, str] = {}
        self.item_by_node: dict[ir.ObjectNode, str] = {}
        self.pending: set[str] = set()
        """Class names of the manifest models (reserved before item models are named)."""

    def report(self, file: str, pointer: str, message: str) -> None:
        self.reports.append(Report(file, pointer, message))

    # -- which models -----------------------------------------------------------------------------------

    def model_specs(self) -> list[_ModelSpec]:
        if self.manifest is None:
            specs: list[_ModelSpec] = []
            for file in sorted(self.schemas.docs):
                doc = self.schemas.docs[file]
                if not (isinstance(doc.get("properties"), dict) or "allOf" in doc or "$ref" in doc):
                    continue
                name = camel(file.removesuffix(SCHEMA_SUFFIX)) + "Model"
                specs.append(_ModelSpec(name, file, None, (), None))
            return specs
        return [self._manifest_spec(name, entry) for name, entry in self.manifest.items()]

    def _manifest_spec(self, class_name: str, entry: Any) -> _ModelSpec:
        where = f"/{class_name}"
        if not class_name.isidentifier() or keyword.iskeyword(class_name):
            raise SchemaError("models.yaml", where, f"{class_name!r} is not a class name")
        if not isinstance(entry, dict):
            raise SchemaError("models.yaml", where, "expected a mapping with 'schema'")
        entry = cast(dict[str, Any], entry)
        unknown = sorted(set(entry) - _MANIFEST_KEYS)
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
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in cast(list[Any], aliases)):
            raise SchemaError("models.yaml", f"{where}/aliases", "aliases must be a list of names")
        primary = entry.get("primary_array")
        if primary is not None and not isinstance(primary, str):
            raise SchemaError("models.yaml", f"{where}/primary_array", "primary_array must be a name")
        title = entry.get("title")
        base = entry.get("base")
        if base is not None and not isinstance(base, str):
            raise SchemaError("models.yaml", f"{where}/base", "base must be a model class name")
        created: Any = entry.get("created_arrays")
        if created is not None and (
            not isinstance(created, list) or not all(isinstance(a, str) for a in cast(list[Any], created))
        ):
            message = "created_arrays must be a list of names"
            raise SchemaError("models.yaml", f"{where}/created_arrays", message)
        hooks: Any = entry.get("on_save") or []
        hooks = [hooks] if isinstance(hooks, str) else hooks
        named = r"[A-Za-z_][\w.]*:[A-Za-z_]\w*"
        if not isinstance(hooks, list) or not all(
            isinstance(h, str) and re.fullmatch(named, h) for h in cast(list[Any], hooks)
        ):
            message = "on_save must name runtime functions as 'module:function'"
            raise SchemaError("models.yaml", f"{where}/on_save", message)
        return _ModelSpec(
            class_name=class_name,
            schema_file=schema,
            primary_array=primary,
            aliases=tuple(cast(list[str], aliases)),
            title=str(title) if title is not None else None,
            base=base,
            created_arrays=tuple(cast(list[str], created)) if created is not None else None,
            on_save=tuple(cast(list[str], hooks)),
        )

    def _roots(self, specs: list[_ModelSpec]) -> list[tuple[_ModelSpec, ir.ObjectNode]]:
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

    def _add(self, entry: _Entry) -> None:
        self.entries[entry.spec.class_name] = entry
        self.order.append(entry.spec.class_name)
        self._discover_items(entry)

    def _discover_items(self, entry: _Entry) -> None:
        """Find the item models of ``entry``'s list properties (depth first, in schema order)."""
        for name, child in entry.root.properties:
            if isinstance(child, ir.ListNode) and self._attribute_name_ok(entry.spec, name):
                entry.lists[name] = self._item_class(entry, name, child.items)

    def _item_class(self, parent: _Entry, prop: str, items: ir.ObjectNode) -> str:
        if items.origin is not None and items.origin in self.by_schema:
            return self.by_schema[items.origin]
        known = self.item_by_node.get(items)
        if known is not None:
            return known
        name = camel(items.origin.removesuffix(SCHEMA_SUFFIX)) + "Model" if items.origin else ""
        if not name or name in self.entries or name in self.pending:
            name = model_stem(parent.spec.class_name) + camel(prop) + "Item"
        if name in self.entries or name in self.pending:
            raise BuildError(f"class name collision: item model {name!r} of {parent.spec.class_name}.{prop}")
        self.item_by_node[items] = name
        title = items.title or f"One item of ``{parent.spec.class_name}.{prop}``."
        spec = _ModelSpec(name, items.origin or parent.spec.schema_file, None, (), title)
        self._add(_Entry(spec, items, parent.module, True))
        return name

    def _attribute_name_ok(self, spec: _ModelSpec, name: str) -> bool:
        if not usable(name, RESERVED_MODEL):
            self.schemas.problem(
                spec.schema_file, f"/properties/{name}", f"property name {name!r} cannot be a model attribute"
            )
            return False
        return True

    # -- model classes ------------------------------------------------------------------------------------

    def _model(self, entry: _Entry, meta_class: str) -> ModelPlan:
        spec, root = entry.spec, entry.root
        title = spec.title if spec.title is not None else root.title or root.description.split("\n")[0]
        meta = root.props.get("meta")
        plan = ModelPlan(
            class_name=spec.class_name,
            module=entry.module,
            schema_file=spec.schema_file,
            meta_class=meta_class,
            primary_array=spec.primary_array or "",
            title=title,
            aliases=spec.aliases,
            fields=[],
            required_meta=_required(meta, "meta") if isinstance(meta, ir.ObjectNode) else (),
            is_item=entry.is_item,
            save_hooks=spec.on_save,
        )
        nodes = NodePlanner(spec.class_name, spec.schema_file)
        planned: dict[str, NodeClassPlan] = {}
        for name, child in root.properties:
            where = f"/properties/{name}"
            if name == "meta" or isinstance(child, ir.Unsupported):
                continue
            if isinstance(child, ir.ListNode):
                item_class = entry.lists.get(name)
                if item_class is None:
                    continue
                item_module = self.entries[item_class].module
                if item_module != entry.module and (item_module, item_class) not in plan.imports:
                    plan.imports.append((item_module, item_class))
                plan.fields.append(FieldPlan(name, "list", child, item_class))
            elif not self._attribute_name_ok(spec, name):
                continue
            elif isinstance(child, ir.ValueList):  # kept in the ASDF tree (ValueListField)
                plan.fields.append(FieldPlan(name, "values", child))
            elif isinstance(child, ir.Array):
                plan.fields.append(FieldPlan(name, "array", child))
            elif isinstance(child, ir.Table):
                plan.fields.append(FieldPlan(name, "table", child))
            elif isinstance(child, ir.Scalar):
                plan.fields.append(FieldPlan(name, "scalar", child))
            elif isinstance(child, ir.TaggedObject):
                plan.fields.append(FieldPlan(name, "object", child))
            elif isinstance(child, ir.ObjectNode):  # an object outside meta (codegen.tree_nodes)
                planned[name] = nodes.plan((name,), child)
                plan.fields.append(FieldPlan(name, "node", child))
            else:
                message = f"{spec.class_name}.{name}: an object outside meta has no attribute kind yet"
                self.report(spec.schema_file, where, message)
        plan.nodes = nodes.classes
        # class names are final now (a class shared by several properties is named after all of them)
        plan.fields = [
            dataclasses.replace(f, class_name=planned[f.name].name) if f.kind == "node" else f
            for f in plan.fields
        ]
        self.reports.extend(nodes.reports)
        names = [f.name for f in plan.fields if f.kind not in ("scalar", "object", "values", "node")]
        if spec.primary_array is None:
            # as the reference implementation: ``data`` when the model has it, else none
            plan.primary_array = "data" if "data" in names else ""
        elif spec.primary_array == "":
            plan.primary_array = ""  # none, said explicitly (a ``data`` without a fill value sizes nothing)
        elif spec.primary_array not in names:
            raise SchemaError(
                "models.yaml",
                f"/{spec.class_name}/primary_array",
                f"{spec.primary_array!r} is not an array, table or list of {spec.class_name}",
            )
        self._mark_created(spec, plan)
        return plan

    def _created_arrays(self, spec: _ModelSpec) -> tuple[str, ...]:
        """The manifest's ``created_arrays`` of ``spec``, else of the nearest base model that says."""
        seen: set[str] = set()
        current: _ModelSpec | None = spec
        while current is not None and current.class_name not in seen:
            if current.created_arrays is not None:
                return current.created_arrays
            seen.add(current.class_name)
            base = self.entries.get(current.base) if current.base is not None else None
            current = base.spec if base is not None else None
        return ()

    def _mark_created(self, spec: _ModelSpec, plan: ModelPlan) -> None:
        """Mark the arrays the model holds from construction: its primary array (when it is an array) and
        ``created_arrays``, each of which must be an array of the model."""
        created = self._created_arrays(spec)
        arrays = {f.name for f in plan.fields if f.kind == "array"}
        for name in created:
            if name not in arrays:
                raise SchemaError(
                    "models.yaml",
                    f"/{spec.class_name}/created_arrays",
                    f"{name!r} is not an array of {spec.class_name}",
                )
        if created and plan.primary_array not in arrays:
            raise SchemaError(
                "models.yaml",
                f"/{spec.class_name}/created_arrays",
                f"{spec.class_name} has no primary array to size {', '.join(created)} after",
            )
        marked = {*created, plan.primary_array} & arrays
        plan.fields = [dataclasses.replace(f, created=True) if f.name in marked else f for f in plan.fields]

    # -- the whole plan -------------------------------------------------------------------------------------

    def plan(self) -> Plan:
        roots = self._roots(self.model_specs())
        self.pending = {spec.class_name for spec, _ in roots}
        for spec, _ in roots:
            self.by_schema.setdefault(spec.schema_file, spec.class_name)
        # manifest models first, each followed by the item models it introduces
        manifest_entries = [_Entry(spec, root, module_name(spec.schema_file), False) for spec, root in roots]
        for entry in manifest_entries:
            self.entries[entry.spec.class_name] = entry
        for entry in manifest_entries:
            self.order.append(entry.spec.class_name)
            self._discover_items(entry)

        core, core_source = self._core_meta(roots)
        trees = [
            MetaTree(name, model_stem(name), entry.spec.schema_file, meta)
            for name in self.order
            if isinstance(meta := (entry := self.entries[name]).root.props.get("meta"), ir.ObjectNode)
        ]
        core_tree = MetaTree("", "", core_source, core) if core is not None else None
        # what every model's metadata (and the core's) has: the base of the science and reference-file roots
        shared = _common([t.node for t in (core_tree, *trees) if t is not None]) if trees else None
        common_tree = None
        if shared is not None and shared.properties:
            common_tree = MetaTree("", "Common", core_source, shared, common=True)
        meta = plan_meta(self.schemas, core_tree, trees, common_tree)

        models = [self._model(self.entries[name], meta.root_of.get(name, "MetaNode")) for name in self.order]
        self._inherit(models, meta.classes)
        ordered = _order_models(models)
        modules: dict[str, list[ModelPlan]] = {}
        for model in ordered:
            modules.setdefault(model.module, []).append(model)

        model_classes: dict[str, tuple[str, str]] = {}
        for model in ordered:
            if model.is_item:
                continue
            for type_name in (model.class_name, *model.aliases):
                known = model_classes.get(type_name)
                if known is not None and known != (model.module, model.class_name):
                    raise BuildError(f"model type {type_name!r} names both {known[1]} and {model.class_name}")
                model_classes[type_name] = (model.module, model.class_name)
        meta_names = {c.name for c in meta.classes}
        meta_modules = _place_meta(meta.classes, ordered)
        scalar_groups = _scalar_groups(ordered, set(self.entries) | meta_names)
        taken = set(self.entries) | meta_names | {g.name for g in scalar_groups}
        enum_aliases = _enum_aliases(meta.classes, taken)
        # the tree-object classes are exported beside the others: one name, one class
        taken |= {a.name for a in enum_aliases}
        node_names = [c.name for m in ordered for c in m.nodes]
        clash = sorted({n for n in node_names if n in taken or node_names.count(n) > 1})
        if clash:
            raise BuildError(f"class name collision: tree-object class {clash[0]!r} is named twice")
        clash = sorted(meta_names & set(self.entries))
        if clash:
            raise BuildError(f"class name collision: {clash[0]!r} is both a metadata class and a model")

        leaves = {path: LeafPlan(path, *leaf_facts(s), label) for path, (s, label) in meta.leaves.items()}
        meta_sources = sorted({s for c in meta.classes for s in c.sources})
        all_sources = sorted({spec.schema_file for spec, _ in roots} | set(meta_sources))
        if self.manifest is not None:
            all_sources.append("models.yaml")
        reports = list(dict.fromkeys([*self.schemas.reports, *self.reports]))
        return Plan(
            schemas_name=self.schemas_name,
            meta_classes=meta.classes,
            models=ordered,
            modules=modules,
            leaves=leaves,
            meta_leaves=meta.meta_leaves,
            model_classes=model_classes,
            meta_sources=meta_sources,
            all_sources=all_sources,
            has_manifest=self.manifest is not None,
            reports=reports,
            meta_modules=meta_modules,
            scalar_groups=scalar_groups,
            enum_aliases=enum_aliases,
            common_meta=meta.common_root,
        )

    def _inherit(self, models: list[ModelPlan], meta_classes: list[MetaClassPlan]) -> None:
        """Check every ``base`` of the manifest and record what each model inherits.

        A model may extend another only when its schema really extends the other's: every array, table, list
        and scalar of the base with the same facts (dtype, dimensions, HDU, keyword, columns, item class), and
        a metadata class that is the base's or extends it. Anything else fails the build, naming the field.
        """
        by_name = {m.class_name: m for m in models}
        meta_bases = {c.name: c.base for c in meta_classes}

        def meta_extends(name: str, base: str) -> bool:
            current: str | None = name
            while current is not None:
                if current == base:
                    return True
                current = meta_bases.get(current)
            return base == "MetaNode"

        for model in models:
            entry = self.entries[model.class_name]
            base_name = entry.spec.base
            if base_name is None:
                continue
            where = f"/{model.class_name}/base"
            base = by_name.get(base_name)
            if base is None or base.is_item:
                raise SchemaError("models.yaml", where, f"{base_name!r} is not a model of models.yaml")
            chain: list[str] = [model.class_name]
            step: ModelPlan | None = base
            while step is not None:
                if step.class_name in chain:
                    raise SchemaError("models.yaml", where, f"models extend each other: {' -> '.join(chain)}")
                chain.append(step.class_name)
                up = self.entries[step.class_name].spec.base
                step = by_name.get(up) if up is not None else None
            fail = f"{model.class_name} ({model.schema_file}) cannot extend {base_name} ({base.schema_file})"
            if not meta_extends(model.meta_class, base.meta_class):
                raise SchemaError(
                    "models.yaml",
                    where,
                    f"{fail}: its metadata class {model.meta_class} does not extend {base.meta_class}",
                )
            own = {f.name: f for f in model.fields}
            inherited: list[str] = []
            for f in base.fields:
                mine = own.get(f.name)
                if mine is None:
                    raise SchemaError("models.yaml", where, f"{fail}: it has no {f.kind} {f.name!r}")
                if _field_facts(mine) != _field_facts(f):
                    raise SchemaError(
                        "models.yaml",
                        where,
                        f"{fail}: {f.name!r} differs ({_field_facts(mine)} against {_field_facts(f)})",
                    )
                if mine == f:
                    inherited.append(f.name)
            model.base = base_name
            model.inherited = tuple(inherited)
            model.base_meta = base.meta_class
            model.base_required = base.required_meta

    def _core_meta(self, roots: list[tuple[_ModelSpec, ir.ObjectNode]]) -> tuple[ir.ObjectNode | None, str]:
        """The shared root: ``core.schema.yaml``'s meta, else the part every model's meta has in common."""
        core_file = "core.schema.yaml"
        if core_file in self.schemas.docs:
            found = self.normalizer.model_root(core_file).props.get("meta")
            if isinstance(found, ir.ObjectNode):
                return found, core_file
        metas = [m for _, root in roots if isinstance(m := root.props.get("meta"), ir.ObjectNode)]
        common = _intersect(metas) if metas else None
        if common is None or not common.properties:
            return None, core_file
        return common, roots[0][0].schema_file


def _required(node: ir.ObjectNode, prefix: str) -> tuple[str, ...]:
    """Dotted paths of the scalars that ``required`` lists name at every level below ``prefix``."""
    found: list[str] = []
    props = node.props
    for name in node.required:
        child = props.get(name)
        if isinstance(child, ir.Scalar):
            found.append(f"{prefix}.{name}")
        elif isinstance(child, ir.ObjectNode):
            found.extend(_required(child, f"{prefix}.{name}"))
    return tuple(found)


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


def _field_facts(f: FieldPlan) -> tuple[object, ...]:
    """What a field of a model must keep in a model extending it: kind, item class, and the file facts of the
    array, table or scalar (titles may differ)."""
    node = f.node
    if isinstance(node, ir.Array):
        return (
            f.kind,
            node.datatype,
            node.ndim,
            node.max_ndim,
            node.fits_hdu or f.name.upper(),
            node.default,
            node.primary_axes,
            node.ndims,
        )
    if isinstance(node, ir.Table):
        return (f.kind, node.fits_hdu or f.name.upper(), node.columns)
    if isinstance(node, ir.Scalar):
        return (f.kind, *scalar_facts(node), node.default)
    if isinstance(node, ir.ValueList):
        return (f.kind, node.item.type, node.item.also, node.depth)
    return (f.kind, f.class_name)


def _common(nodes: list[ir.ObjectNode]) -> ir.ObjectNode:
    """The members every node has with the same facts (scalars: type, enum, keyword, HDU; objects intersected
    recursively; lists equal), in the first node's order and with its titles."""
    first, others = nodes[0], [n.props for n in nodes[1:]]
    properties: list[tuple[str, ir.Node]] = []
    for name, sub in first.properties:
        subs = [o.get(name) for o in others]
        if isinstance(sub, ir.Scalar):
            facts = scalar_facts(sub)
            if all(isinstance(s, ir.Scalar) and scalar_facts(s) == facts for s in subs):
                properties.append((name, sub))
        elif isinstance(sub, ir.ObjectNode):
            if all(isinstance(s, ir.ObjectNode) for s in subs):
                inner = _common([sub, *cast(list[ir.ObjectNode], subs)])
                if inner.properties == sub.properties:
                    properties.append((name, sub))
                elif inner.properties:
                    properties.append((name, ir.ObjectNode(inner.properties, sub.title, sub.description)))
        elif isinstance(sub, ir.ListNode | ir.ValueList) and all(s == sub for s in subs):
            properties.append((name, sub))
    return ir.ObjectNode(tuple(properties), first.title, first.description)


def _place_meta(classes: list[MetaClassPlan], models: list[ModelPlan]) -> dict[str, str]:
    """Which module defines each metadata class, so that importing one model builds only its own classes, the
    shared tree and the few classes it shares with some other models, however large the catalogue.

    - The classes of the core and common trees go to the shared ``meta`` module (it imports no other module).
    - A class lives in the model module nearest to every module that needs it: the one module needing it, or
      the module all of them already import (a base model's module: ``ReferenceFileMeta`` beside
      ``ReferenceFileModel``, the family's module).
    - A class several model modules need without such a module goes to ``meta_<first>``, named after the
      first of them in the catalogue's order (``ImageMeta`` in ``meta_image``), and so does every class such
      a class builds on, unless it is core. These modules import only ``meta`` and earlier ``meta_*`` modules
      (what a class builds on is needed by at least its users), so no import cycle can form.
    """
    by_name = {c.name: c for c in classes}
    reach: dict[str, set[str]] = {}
    direct: dict[str, set[str]] = {}
    for model in models:
        uses = direct.setdefault(model.module, set())
        uses.update(module for module, _ in model.imports)
    module_of = {m.class_name: m.module for m in models}
    for model in models:
        if model.base is not None:
            direct[model.module].add(module_of[model.base])

    def reachable(module: str) -> set[str]:
        if module not in reach:
            reach[module] = {module}
            for other in direct.get(module, ()):
                reach[module] |= reachable(other)
        return reach[module]

    needed: dict[str, set[str]] = {}

    def need(name: str, module: str) -> None:
        cls = by_name.get(name)
        if cls is None or module in needed.setdefault(name, set()):
            return
        needed[name].add(module)
        deps = [cls.base, *(f.class_name for f in cls.fields if f.class_name is not None)]
        for dep in deps:
            need(dep, module)

    for model in models:
        need(model.meta_class, model.module)
        if model.base_meta is not None:
            need(model.base_meta, model.module)
    order = {module: i for i, module in enumerate(dict.fromkeys(m.module for m in models))}

    def shared_module(name: str) -> str:
        users = needed.get(name)
        if by_name[name].shared or not users:
            return "meta"
        module = SHARED_PREFIX + min(users, key=order.__getitem__)
        if module in order:
            raise BuildError(
                f"module name collision: {module!r} is a model module and a shared metadata module"
            )
        return module

    placed: dict[str, str] = {}
    for cls in classes:
        users = sorted(needed.get(cls.name, set()))
        common = set.intersection(*(reachable(u) for u in users)) if users else set()
        # the nearest: the common module that reaches all the others
        home = [m for m in sorted(common) if common <= reachable(m)]
        placed[cls.name] = home[0] if len(home) == 1 and not cls.shared else shared_module(cls.name)
    # what a shared class builds on is shared too
    stack = [name for name, module in placed.items() if _is_shared(module)]
    while stack:
        cls = by_name[stack.pop()]
        for dep in (cls.base, *(f.class_name for f in cls.fields)):
            if dep is not None and dep in by_name and not _is_shared(placed[dep]):
                placed[dep] = shared_module(dep)
                stack.append(dep)
    return placed


SHARED_PREFIX = "meta_"
"""Modules of metadata classes that several model modules share (``meta_image``); ``meta`` is the core's."""


def _is_shared(module: str) -> bool:
    return module == "meta" or module.startswith(SHARED_PREFIX)


MIN_ALIASED = 6
"""The fewest values for which several fields listing them alike share one alias (shorter lists stay inline,
on one line)."""


def _enum_aliases(classes: list[MetaClassPlan], taken: set[str]) -> list[EnumAliasPlan]:
    """Give the metadata scalars that list the same ``Literal`` values (at least `MIN_ALIASED`) one shared
    alias, and record it on each field (``MetaField.enum_alias``)."""
    users: dict[tuple[tuple[str, str], ...], list[tuple[MetaClassPlan, int]]] = {}
    values_of: dict[tuple[tuple[str, str], ...], tuple[object, ...]] = {}
    for cls in classes:
        for index, f in enumerate(cls.fields):
            if f.kind != "scalar" or not isinstance(f.node, ir.Scalar):
                continue
            values = literal_values(f.node)
            if values is None or len(values) < MIN_ALIASED:
                continue
            key = tuple(sorted((type(v).__name__, repr(v)) for v in values))  # the order is no fact
            users.setdefault(key, []).append((cls, index))
            values_of.setdefault(key, values)  # listed in the first field's order
    aliases: list[EnumAliasPlan] = []
    for key, fields in users.items():
        if len(fields) < 2:
            continue
        first, index = fields[0]
        name = first.name + camel(first.fields[index].name)
        if name in taken:
            raise BuildError(f"class name collision: {name!r} is the enum alias of {first.name} and a class")
        taken.add(name)
        named = [f"{c.name}.{c.fields[i].name}" for c, i in fields]
        sources = sorted({source for c, _ in fields for source in c.sources})
        aliases.append(EnumAliasPlan(name, values_of[key], named, sources))
        for cls, i in fields:
            cls.fields[i] = dataclasses.replace(cls.fields[i], enum_alias=name)
    return aliases


GROUP_PREFIX = "scalars_"
"""Modules of scalar groups that models of several modules share (``scalars_spec``)."""
GROUPED_KINDS = ("scalar", "values")
"""The field kinds a scalar group holds: plain scalars and lists of values, whose errors name the model of
the instance (not the class that declares the field)."""
SCALAR_KINDS = ("scalar", "values", "object", "node")
"""The kinds the runtime keeps in one ordered table of scalar fields (``DataModel._scalar_fields``)."""
MIN_GROUPED = 4
"""The fewest fields worth a group."""


def _scalar_groups(models: list[ModelPlan], taken: set[str]) -> list[ScalarGroupPlan]:
    """Find the scalar groups: for each model in order, the other models whose own leading scalar fields
    (in the runtime's order of scalar fields, up to the first tagged object or tree object) start with the
    same fields, choosing the run length that declares the most fields once; the group is named after the
    first model (``SpecScalars``) and lives in its module when all users share it, else in ``scalars_<first
    module>``. Fields a base model declares stay out (the subclass inherits them in their place)."""
    by_name = {m.class_name: m for m in models}

    def ancestors_fields(model: ModelPlan) -> set[str]:
        names: set[str] = set()
        base = by_name.get(model.base) if model.base is not None else None
        while base is not None:
            names |= {f.name for f in base.fields}
            base = by_name.get(base.base) if base.base is not None else None
        return names

    def leading(model: ModelPlan) -> list[FieldPlan]:
        inherited = ancestors_fields(model)
        run: list[FieldPlan] = []
        for f in model.fields:
            if f.kind not in SCALAR_KINDS or f.name in model.inherited:
                continue
            if f.kind not in GROUPED_KINDS or f.name in inherited:
                break
            run.append(f)
        return run

    runs = {m.class_name: leading(m) for m in models}
    groups: list[ScalarGroupPlan] = []
    grouped: set[str] = set()
    for model in models:
        mine = runs[model.class_name]
        if model.class_name in grouped or len(mine) < MIN_GROUPED:
            continue
        shared: dict[str, int] = {}
        for other in models:
            if other is model or other.class_name in grouped:
                continue
            if _extends_model(other, model, by_name) or _extends_model(model, other, by_name):
                continue
            length = _common_prefix(mine, runs[other.class_name])
            if length >= MIN_GROUPED:
                shared[other.class_name] = length
        if not shared:
            continue
        # the run length that declares the most fields once (the longest among equals)
        length = max(set(shared.values()), key=lambda n: (n * sum(1 for v in shared.values() if v >= n), n))
        users = [model.class_name, *(name for name, n in shared.items() if n >= length)]
        modules = {by_name[u].module for u in users}
        name = model_stem(model.class_name) + "Scalars"
        if name in taken:
            raise BuildError(f"class name collision: scalar group {name!r} is also a model or metadata class")
        taken.add(name)
        module = model.module if len(modules) == 1 else GROUP_PREFIX + model.module
        if module != model.module and module in {m.module for m in models}:
            raise BuildError(f"module name collision: {module!r} is a model module and a scalar group module")
        fields = mine[:length]
        groups.append(ScalarGroupPlan(name, module, fields, users))
        for user in users:
            grouped.add(user)
            by_name[user].group = name
            by_name[user].grouped = tuple(f.name for f in fields)
    return groups


def _common_prefix(a: list[FieldPlan], b: list[FieldPlan]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _extends_model(model: ModelPlan, base: ModelPlan, by_name: dict[str, ModelPlan]) -> bool:
    step = by_name.get(model.base) if model.base is not None else None
    while step is not None:
        if step is base:
            return True
        step = by_name.get(step.base) if step.base is not None else None
    return False


def _order_models(models: list[ModelPlan]) -> list[ModelPlan]:
    """Keep the given order but put each item model before the first model that lists it, and each base
    model before the models extending it."""
    by_name = {m.class_name: m for m in models}
    done: list[ModelPlan] = []
    seen: set[str] = set()

    def visit(model: ModelPlan) -> None:
        if model.class_name in seen:
            return
        seen.add(model.class_name)
        if model.base is not None and model.base in by_name:
            visit(by_name[model.base])
        for f in model.fields:
            if f.kind == "list" and f.class_name in by_name:
                visit(by_name[f.class_name])
        done.append(model)

    for model in models:
        visit(model)
    return done


def make_plan(schemas: SchemaSet, manifest: dict[str, Any] | None, schemas_name: str) -> Plan:
    return Planner(schemas, manifest, schemas_name).plan()
