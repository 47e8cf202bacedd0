"""Stage 2: turn loaded schema nodes into the IR of ``codegen.ir``.

``$ref`` targets are inlined, ``allOf`` parts deep-merged (properties recursively, later scalars win,
differing ``type`` is an error), ``anyOf``/``oneOf`` groups of enums collapse into one enum, and every node
becomes a
:class:`~codegen.ir.Scalar`, :class:`~codegen.ir.Array`, :class:`~codegen.ir.Table`,
:class:`~codegen.ir.ObjectNode`, :class:`~codegen.ir.ListNode` or :class:`~codegen.ir.Unsupported`.
"""

from __future__ import annotations

import math
from typing import Any, cast

from . import ir
from .errors import SchemaError, join_pointer
from .load import SchemaSet, is_external_ref

_LOC = "__loc__"
_EXTERNAL = "__external__"
_UNSUPPORTED = "__unsupported__"

_SCALAR_TYPES: tuple[ir.ScalarType, ...] = ("string", "integer", "number", "boolean")

Expanded = dict[str, Any]


def _loc(node: Expanded) -> ir.Location:
    return cast(ir.Location, node[_LOC])


class Normalizer:
    """Expands and classifies the schema nodes of one :class:`~codegen.load.SchemaSet` (memoized)."""

    def __init__(self, schemas: SchemaSet) -> None:
        self.schemas = schemas
        self._cache: dict[tuple[str, str], Expanded] = {}
        self._active: list[tuple[str, str]] = []

    # -- expansion: refs inlined, allOf merged, enum groups collapsed ---------------------------------

    def expand(self, file: str, pointer: str, node: Any) -> Expanded:
        key = (file, pointer)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if key in self._active:
            chain = " -> ".join(f"{f}#{p or '/'}" for f, p in [*self._active[self._active.index(key) :], key])
            raise SchemaError(file, pointer, f"circular $ref: {chain}")
        self._active.append(key)
        try:
            result = self._expand(file, pointer, node)
        finally:
            self._active.pop()
        self._cache[key] = result
        return result

    def _expand(self, file: str, pointer: str, node: Any) -> Expanded:
        loc = ir.Location(file, pointer)
        if not isinstance(node, dict):
            return {_LOC: loc}
        node = cast(dict[str, Any], node)
        parts: list[Expanded] = []
        ref = node.get("$ref")
        if isinstance(ref, str) and not is_external_ref(ref) and len(node) == 1:
            target_file, target_pointer, target = self.schemas.resolve_ref(
                file, join_pointer(pointer, "$ref"), ref
            )
            return self.expand(target_file, target_pointer, target)
        if isinstance(ref, str):
            if is_external_ref(ref):
                parts.append({_LOC: loc, _EXTERNAL: ref})
            else:
                target_file, target_pointer, target = self.schemas.resolve_ref(
                    file, join_pointer(pointer, "$ref"), ref
                )
                parts.append(self.expand(target_file, target_pointer, target))
        for index, sub in enumerate(node.get("allOf") or []):
            parts.append(self.expand(file, join_pointer(pointer, "allOf", index), sub))
        own: Expanded = {_LOC: loc}
        for key, value in node.items():
            if key in ("$ref", "allOf", "definitions", "$schema", "id", "$id"):
                continue
            if key == "properties" and isinstance(value, dict):
                own[key] = {
                    str(name): self.expand(file, join_pointer(pointer, key, str(name)), sub)
                    for name, sub in cast(dict[str, Any], value).items()
                }
            elif key == "items" and isinstance(value, dict):
                own[key] = self.expand(file, join_pointer(pointer, key), value)
            elif key in ("anyOf", "oneOf") and isinstance(value, list):
                own[key] = [
                    self.expand(file, join_pointer(pointer, key, index), sub)
                    for index, sub in enumerate(cast(list[Any], value))
                ]
            else:
                own[key] = value
        merged: Expanded = {_LOC: loc}
        for part in [*parts, own]:
            merged = _deep_merge(merged, part)
        merged[_LOC] = loc
        return self._collapse_alternatives(merged)

    def _collapse_alternatives(self, node: Expanded) -> Expanded:
        for key in ("anyOf", "oneOf"):
            alternatives: list[Expanded] | None = node.get(key)
            if alternatives is None:
                continue
            node = {k: v for k, v in node.items() if k != key}
            pointer = join_pointer(_loc(node).pointer, key)
            kept = [alt for alt in alternatives if alt.get("type") != "null"]
            external = [alt for alt in kept if _EXTERNAL in alt]
            if external and len(external) < len(kept):
                refs = ", ".join(str(alt[_EXTERNAL]) for alt in external)
                self.schemas.problem(
                    _loc(node).file, pointer, f"{key} alternative(s) {refs} dropped (external)"
                )
                kept = [alt for alt in kept if _EXTERNAL not in alt]
            if kept and all(_presence_only(alt) for alt in kept):
                # "one of these must be present" (OIFITS: vis, vis2, t3 or q4): a check of a file's
                # completeness, not of its fields' facts; the fields themselves are declared elsewhere
                continue
            if kept and all("enum" in alt for alt in kept):
                values: list[Any] = list(node.get("enum") or [])
                for alt in kept:
                    values.extend(v for v in alt["enum"] if not any(_same(v, w) for w in values))
                types = {str(alt["type"]) for alt in kept if "type" in alt}
                node["enum"] = values
                if "type" not in node and len(types) == 1:
                    node["type"] = types.pop()
            elif len(kept) == 1:
                node = _deep_merge(node, {k: v for k, v in kept[0].items() if k != _LOC})
            elif kept:
                node[_UNSUPPORTED] = f"{key} of {len(kept)} differing schemas"
        return node

    # -- classification -----------------------------------------------------------------------------

    def model_root(self, file: str) -> ir.ObjectNode:
        """The normalized root object of schema file ``file``."""
        node = self.classify(self.expand(file, "", self.schemas.docs[file]))
        if not isinstance(node, ir.ObjectNode):
            raise SchemaError(file, "", "a model schema must be an object with properties")
        return node

    def classify(self, node: Expanded) -> ir.Node:
        loc = _loc(node)
        title = str(node.get("title") or "").strip()
        description = str(node.get("description") or "").strip()

        def unsupported(reason: str) -> ir.Unsupported:
            self.schemas.problem(loc.file, loc.pointer, f"cannot be expressed: {reason}")
            return ir.Unsupported(reason, loc)

        if _UNSUPPORTED in node:
            return unsupported(str(node[_UNSUPPORTED]))
        datatype = node.get("datatype")
        if isinstance(datatype, list):
            return self._table(node, cast(list[Any], datatype), title, description)
        if datatype is not None:
            return self._array(node, datatype, title, description)
        if isinstance(node.get("properties"), dict):
            props: dict[str, Expanded] = node["properties"]
            pointer = loc.pointer
            origin = loc.file if pointer == "" else None
            required = node.get("required")
            return ir.ObjectNode(
                properties=tuple((name, self.classify(sub)) for name, sub in props.items()),
                title=title,
                description=description,
                origin=origin,
                required=tuple(str(r) for r in cast(list[Any], required) if isinstance(r, str))
                if isinstance(required, list)
                else (),
                where=loc,
            )
        if _EXTERNAL in node:
            return unsupported(f"external $ref {node[_EXTERNAL]!r} is not fetched")
        if "tag" in node:
            if ir.tagged_class(str(node["tag"])) is None:
                return unsupported(f"ASDF tag {node['tag']!r}")
            return ir.TaggedObject(tag=str(node["tag"]), title=title, description=description)
        type_ = node.get("type")
        if isinstance(type_, list):
            types = [t for t in cast(list[Any], type_) if t != "null"]
            type_ = types[0] if len(types) == 1 else None
            if type_ is None:
                return unsupported(f"type {node['type']!r}")
        if type_ == "array" or (type_ is None and "items" in node):
            items = node.get("items")
            if isinstance(items, dict) and (mixed := _mixed_scalar(cast(Expanded, items))) is not None:
                return ir.ValueList(mixed, 1, title, description, loc)  # values of several kinds
            if isinstance(items, dict):
                item = self.classify(cast(Expanded, items))
                if isinstance(item, ir.ObjectNode):
                    return ir.ListNode(items=item, title=title, description=description)
                if isinstance(item, ir.TaggedObject) and not item.many:  # a list of transforms
                    depth = node.get("max_depth")
                    if isinstance(depth, int) and not isinstance(depth, bool) and depth > 1:
                        # objects and lists of them (to this depth) side by side
                        return ir.TaggedObject(
                            tag=item.tag,
                            many=True,
                            title=title,
                            description=description,
                            depth=depth,
                            ragged=True,
                        )
                    return ir.TaggedObject(tag=item.tag, many=True, title=title, description=description)
                if isinstance(item, ir.TaggedObject) and not item.ragged:  # lists of lists of transforms
                    return ir.TaggedObject(
                        tag=item.tag, many=True, title=title, description=description, depth=item.depth + 1
                    )
                if isinstance(item, ir.Unsupported):
                    return ir.Unsupported(f"a list of items that cannot be expressed ({item.reason})", loc)
                values = value_list(item, title, description, loc)
                if values is not None:
                    return values
            return unsupported("a list whose items are neither objects with properties nor scalars")
        if type_ == "object":
            return unsupported("an object without properties")
        enum = node.get("enum")
        if type_ is None and isinstance(enum, list):
            type_ = _infer_type(cast(list[Any], enum))
        stype: ir.ScalarType | None = next((t for t in _SCALAR_TYPES if t == type_), None)
        if stype is None:
            return unsupported(f"no usable type ({type_!r})")
        values = self._enum(stype, enum, loc)
        default = node.get("default")
        if not isinstance(default, str | int | float | bool):
            default = None
        keyword = node.get("fits_keyword")
        hdu = node.get("fits_hdu")
        return ir.Scalar(
            type=stype,
            enum=values,
            title=title,
            description=description,
            fits_keyword=str(keyword) if keyword is not None else None,
            fits_hdu=str(hdu).upper() if hdu is not None else "PRIMARY",  # EXTNAME matches in any case
            default=default,
            format=scalar_format(stype, node.get("format")),
        )

    def _enum(self, type_: ir.ScalarType, enum: Any, loc: ir.Location) -> tuple[ir.EnumValue, ...] | None:
        if not isinstance(enum, list):
            return None
        values: list[ir.EnumValue] = []
        for value in cast(list[Any], enum):
            if value is None:
                continue
            if type_ == "string" and isinstance(value, int | float) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str | int | float | bool):
                self.schemas.problem(
                    loc.file, join_pointer(loc.pointer, "enum"), f"enum value {value!r} ignored"
                )
                continue
            if not any(_same(value, v) for v in values):
                values.append(value)
        return tuple(values) if values else None

    def _array(self, node: Expanded, datatype: Any, title: str, description: str) -> ir.Node:
        loc = _loc(node)
        if not isinstance(datatype, str) or datatype not in ir.NUMPY_TYPES:
            self.schemas.problem(
                loc.file, join_pointer(loc.pointer, "datatype"), f"unknown array datatype {datatype!r}"
            )
            return ir.Unsupported(f"array datatype {datatype!r}", loc)
        default = node.get("default")
        if isinstance(default, bool):
            default = int(default)
        if not isinstance(default, int | float):
            default = None
        ndim, max_ndim = node.get("ndim"), node.get("max_ndim")
        axes: Any = node.get("primary_axes")
        primary_axes: tuple[int, ...] | None = None
        if axes is not None:
            values = cast(list[Any], axes) if isinstance(axes, list) else []
            if not values or not all(
                isinstance(a, int) and not isinstance(a, bool) and a >= 0 for a in values
            ):
                where = join_pointer(loc.pointer, "primary_axes")
                raise SchemaError(loc.file, where, "primary_axes must be a list of axis numbers (0, 1, ...)")
            if isinstance(ndim, int) and len(values) != ndim:
                where = join_pointer(loc.pointer, "primary_axes")
                raise SchemaError(
                    loc.file, where, f"primary_axes names {len(values)} axes for a {ndim}-D array"
                )
            primary_axes = tuple(int(a) for a in values)
        ndims: tuple[int, ...] | None = None
        if isinstance(ndim, list):  # one of several dimensionalities
            options = cast(list[Any], ndim)
            if not options or not all(
                isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in options
            ):
                raise SchemaError(
                    loc.file, join_pointer(loc.pointer, "ndim"), "ndim must be a number or a list of them"
                )
            ndims = tuple(sorted({int(n) for n in options}))
            ndim = ndims[0] if len(ndims) == 1 else None
        return ir.Array(
            datatype=datatype,
            ndims=ndims if ndims is not None and len(ndims) > 1 else None,
            ndim=ndim if isinstance(ndim, int) else None,
            max_ndim=max_ndim if isinstance(max_ndim, int) else None,
            fits_hdu=str(node.get("fits_hdu") or "").upper(),
            default=default,
            title=title,
            description=description,
            primary_axes=primary_axes,
        )

    def _table(self, node: Expanded, datatype: list[Any], title: str, description: str) -> ir.Node:
        loc = _loc(node)
        columns: list[ir.Column] = []
        for index, column in enumerate(datatype):
            here = join_pointer(loc.pointer, "datatype", index)
            if not isinstance(column, dict) or "name" not in column or "datatype" not in column:
                raise SchemaError(loc.file, here, "a table column needs 'name' and 'datatype'")
            column = cast(dict[str, Any], column)
            dtype = column_dtype(column["datatype"])
            if dtype is None:
                raise SchemaError(
                    loc.file, join_pointer(here, "datatype"), f"bad datatype {column['datatype']!r}"
                )
            shape = column.get("shape") or ()
            if not isinstance(shape, list | tuple) or not all(
                isinstance(n, int) for n in cast(list[Any], shape)
            ):
                raise SchemaError(loc.file, join_pointer(here, "shape"), f"bad shape {shape!r}")
            cells: tuple[int | None, ...] = tuple(cast(list[int], shape))
            ndim = column.get("ndim")
            if isinstance(ndim, int) and not shape and ndim > 0:
                cells = (None,) * ndim  # cells of this many axes, each as long as the data makes it
            elif isinstance(ndim, int) and ndim != len(cells):
                reason = f"column {column['name']!r} has ndim {ndim} but a shape of {len(cells)} axes"
                self.schemas.problem(loc.file, join_pointer(here, "ndim"), f"cannot be expressed: {reason}")
                return ir.Unsupported(f"a table whose {reason}", loc)
            unit = column.get("unit")
            columns.append(
                ir.Column(
                    name=str(column["name"]),
                    dtype=dtype,
                    shape=cells,
                    unit=str(unit) if unit is not None else None,
                )
            )
        return ir.Table(
            columns=tuple(columns),
            fits_hdu=str(node.get("fits_hdu") or "").upper(),
            title=title,
            description=description,
        )


def value_list(item: ir.Node, title: str, description: str, where: ir.Location) -> ir.ValueList | None:
    """A list whose items are scalars (``depth`` 1) or such lists (one level more); None for other items."""
    if isinstance(item, ir.Scalar):
        return ir.ValueList(item, 1, title, description, where)
    if isinstance(item, ir.ValueList):
        return ir.ValueList(item.item, item.depth + 1, title, description, where)
    return None


#: JSON Schema formats that change a scalar's Python type (others are documentation only).
TYPED_FORMATS = frozenset({"date-time"})


def scalar_format(type_: ir.ScalarType, value: Any) -> str | None:
    """The ``format`` of a string scalar when it changes the Python type (``date-time``), else None."""
    return value if type_ == "string" and value in TYPED_FORMATS else None


def column_dtype(datatype: Any) -> str | None:
    """numpy dtype name of a table column: ``int16`` or ``[ascii, 26]`` -> ``S26`` (``ucs4`` -> ``U``)."""
    if isinstance(datatype, str):
        return datatype
    if isinstance(datatype, list) and len(cast(list[Any], datatype)) == 2:
        kind, size = cast(list[Any], datatype)
        if kind in ("ascii", "ucs4") and isinstance(size, int):
            return f"{'S' if kind == 'ascii' else 'U'}{size}"
    return None


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and (a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b)))


def _infer_type(values: list[Any]) -> str | None:
    kinds: set[type] = {type(cast(object, v)) for v in values if v is not None}
    if kinds == {str}:
        return "string"
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "integer"
    if kinds and kinds <= {int, float}:
        return "number"
    return None


def _deep_merge(a: Expanded, b: Expanded) -> Expanded:
    result = dict(a)
    for key, value in b.items():
        if key == _LOC or key not in result:
            if key != _LOC or _LOC not in result:
                result[key] = value
            continue
        old = result[key]
        if key == "properties":
            props = dict(cast(dict[str, Expanded], old))
            for name, sub in cast(dict[str, Expanded], value).items():
                props[name] = _deep_merge(props[name], sub) if name in props else sub
            result[key] = props
        elif key == "items" and isinstance(old, dict) and isinstance(value, dict):
            result[key] = _deep_merge(cast(Expanded, old), cast(Expanded, value))
        elif key == "type" and old != value:
            loc = _loc(b)
            raise SchemaError(
                loc.file,
                join_pointer(loc.pointer, "type"),
                f"type {value!r} conflicts with {old!r} ({_loc(a)})",
            )
        elif key == "required" and isinstance(old, list) and isinstance(value, list):
            kept = cast(list[Any], old)
            result[key] = [*kept, *(v for v in cast(list[Any], value) if v not in kept)]
        else:
            result[key] = value
    return result


# -- the plain JSON Schema of a normalized tree (the DCG oracle's input) ---------------------------------


def normalized_json_schema(model: ir.ObjectNode, title: str = "Model") -> dict[str, Any]:
    """Plain JSON Schema of ``model``: objects and scalars (arrays, tables, lists, unsupported omitted)."""
    schema = _json_object(model)
    schema["title"] = title
    return schema


def _json_object(node: ir.ObjectNode) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for name, child in node.properties:
        if isinstance(child, ir.ObjectNode):
            properties[name] = _json_object(child)
        elif isinstance(child, ir.Scalar):
            scalar: dict[str, Any] = {"type": child.type}
            if child.enum is not None:
                scalar["enum"] = list(child.enum)
            if child.title:
                scalar["title"] = child.title
            properties[name] = scalar
    result: dict[str, Any] = {"type": "object", "properties": properties}
    if node.title:
        result["title"] = node.title
    return result


def _presence_only(alternative: Expanded) -> bool:
    """True for an ``anyOf``/``oneOf`` alternative that only requires properties (``{type: object,
    required: [vis]}``): it says which fields must be present, and declares none."""
    keys = set(alternative) - {_LOC}
    return (
        "required" in keys and keys <= {"type", "required"} and alternative.get("type", "object") == "object"
    )


def _mixed_scalar(node: Expanded) -> ir.Scalar | None:
    """The item of a list whose values may be of several scalar types (``type: [number, string]``); None for
    any other item."""
    types = node.get("type")
    if not isinstance(types, list):
        return None
    kinds = [t for t in cast(list[Any], types) if t != "null"]
    if len(kinds) < 2 or not all(k in _SCALAR_TYPES for k in kinds):
        return None
    first, *rest = cast(list[ir.ScalarType], kinds)
    return ir.Scalar(type=first, also=tuple(rest))
