"""``extend_schema`` / ``add_schema_entry``: schema entries added to one model at run time.

The new entries are written in the schema dialect of ``schemas/`` (DESIGN section 2). Below ``meta`` they
become fields of run-time subclasses of the model's metadata classes (pydantic ``create_model``), their
title and ``fits_keyword``/``fits_hdu`` in the subclass's ``__jwst_fields__`` table like generated fields,
so assignment validates them and FITS and ASDF save them with no further help. At the top level,
``datatype`` entries become array or table fields of a run-time subclass of the model class (same name)
that only this instance uses. Values that a file held for the new
entries (kept in ``extra_fits``, the unknown part of the ASDF tree, or an HDU the schema did not name) are
moved into them, by the reading policy: a value that does not fit warns and stays where it was.

Static types cannot know these entries: reach them with ``model["meta.x.y"]``, ``getattr`` or ``setattr``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pydantic
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from jwstmodels._core.arrays import ArrayField, Column, DataField, TableField
from jwstmodels._core.errors import ValidationError, describe_location
from jwstmodels._core.loading import build_meta, force_value, warn_invalid
from jwstmodels._core.meta import FieldFacts, MetaNode, field_table, scalar_leaves

if TYPE_CHECKING:
    from jwstmodels._model.parts import ModelParts

_SCALARS: dict[str, type] = {"string": str, "integer": int, "number": float, "boolean": bool}
_KEYWORD = re.compile(r"^[A-Z0-9_-]{1,8}$")
_IDENTIFIER = re.compile(r"^[a-z_A-Z][a-zA-Z0-9_]*$")


class SchemaExtensionError(ValueError):
    """A schema given to ``extend_schema``/``add_schema_entry`` cannot be added to the model."""


def wrap_at(position: str, new_schema: Mapping[str, object], model_name: str) -> dict[str, object]:
    """The whole-model schema that places ``new_schema`` at the dotted ``position``."""
    parts = position.split(".")
    if not position or not all(parts):
        raise SchemaExtensionError(
            f"{model_name}: position must be a dotted path such as 'meta.exposure.x', not {position!r}"
        )
    schema: dict[str, object] = dict(new_schema)
    for part in reversed(parts):
        schema = {"type": "object", "properties": {part: schema}}
    return schema


@dataclass
class _Plan:
    """What one extension adds, found before anything on the model changes."""

    model_name: str
    meta_class: type[MetaNode] | None = None
    arrays: dict[str, DataField] | None = None
    keywords: set[tuple[str, str]] | None = None


def extend(model: ModelParts, new_schema: Mapping[str, object]) -> None:
    """Add the entries of ``new_schema`` (a schema of the whole model tree) to ``model``."""
    name = type(model).__name__
    if not isinstance(cast(object, new_schema), Mapping):
        raise TypeError(
            f"{name}: a schema extension is a schema tree (a mapping), not {type(new_schema).__name__}"
        )
    plan = _Plan(name, keywords={(leaf.hdu, leaf.keyword) for leaf in _keyed(type(model.meta))})
    arrays: dict[str, DataField] = {}
    layout = model.__jwst_layout__
    taken_hdus = {field.hdu for field in layout.fields.values()}
    for key, sub in _properties(new_schema, "", name).items():
        if key == "meta":
            plan.meta_class = _extend_node(type(model.meta), sub, "meta", plan)
        elif "datatype" in sub:
            if key in layout.fields or key in layout.list_fields or hasattr(type(model), key):
                raise SchemaExtensionError(f"{name}: {key} is already defined; extensions add new entries")
            _check_identifier(key, key, name)
            field = _array_field(key, sub, name)
            if field.hdu in taken_hdus:
                raise SchemaExtensionError(f"{name}: {key}: HDU {field.hdu} already holds another array")
            taken_hdus.add(field.hdu)
            arrays[key] = field
        else:
            raise SchemaExtensionError(
                f"{name}: {key}: only 'meta' entries and arrays or tables (with 'datatype') can be added at "
                "the top level of a model"
            )
    plan.arrays = arrays
    _apply(model, plan)


def _keyed(meta_class: type[MetaNode]) -> list[Any]:
    return [leaf for leaf in scalar_leaves(meta_class) if leaf.keyword is not None]


def _properties(schema: Mapping[str, object], path: str, model_name: str) -> dict[str, Mapping[str, object]]:
    """The ``properties`` of an object schema, ``allOf`` parts merged (later parts add to earlier ones)."""
    out: dict[str, Mapping[str, object]] = {}
    parts: list[object] = [schema]
    all_of = schema.get("allOf")
    if isinstance(all_of, list):
        parts += cast(list[object], all_of)
    for part in parts:
        if not isinstance(part, Mapping):
            raise SchemaExtensionError(f"{model_name}: {path or 'schema'}: allOf items must be schema trees")
        props: object = cast(Mapping[str, object], part).get("properties", {})
        if not isinstance(props, Mapping):
            raise SchemaExtensionError(f"{model_name}: {path or 'schema'}: 'properties' must be a mapping")
        for key, sub in cast(Mapping[str, object], props).items():
            if not isinstance(sub, Mapping):
                raise SchemaExtensionError(f"{model_name}: {_join(path, key)}: a property is a schema tree")
            sub = cast(Mapping[str, object], sub)
            previous = out.get(key)
            if previous is not None and _is_object(previous) and _is_object(sub):
                out[key] = {"allOf": [previous, sub]}
            else:
                out[key] = sub
    return out


def _is_object(schema: Mapping[str, object]) -> bool:
    return schema.get("type") == "object" or "properties" in schema or "allOf" in schema


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _check_identifier(key: str, path: str, model_name: str) -> None:
    if not _IDENTIFIER.match(key) or key.startswith("_") or hasattr(BaseModel, key):
        raise SchemaExtensionError(f"{model_name}: {path}: {key!r} cannot be an attribute name")


def _extend_node(
    cls: type[MetaNode], schema: Mapping[str, object], path: str, plan: _Plan
) -> type[MetaNode] | None:
    """A subclass of ``cls`` with the entries of ``schema`` added; None when it adds nothing."""
    if not _is_object(schema):
        raise SchemaExtensionError(f"{plan.model_name}: {path} is an object; its extension must be one too")
    fields: dict[str, Any] = {}
    facts: dict[str, FieldFacts] = {}
    for key, sub in _properties(schema, path, plan.model_name).items():
        here = _join(path, key)
        existing = cls.model_fields.get(key)
        if existing is not None:
            child_class = existing.annotation
            if isinstance(child_class, type) and issubclass(child_class, MetaNode) and _is_object(sub):
                child = _extend_node(child_class, sub, here, plan)
                if child is not None:
                    fields[key] = (child, pydantic.Field(default_factory=child))  # its facts are inherited
                continue
            if not _is_object(sub) and _same_scalar(cls, key, sub, here, plan):
                continue  # declared again exactly as it is (extending twice with one schema is harmless)
            where = describe_location(plan.model_name, here, *cls.fits_location(key))
            raise SchemaExtensionError(
                f"{where} is already defined by the schema; extensions add new entries"
            )
        _check_identifier(key, here, plan.model_name)
        if _is_object(sub):
            child = _extend_node(_empty_node(key, sub), sub, here, plan)
            node_class = child if child is not None else _empty_node(key, sub)
            fields[key] = (node_class, pydantic.Field(default_factory=node_class))
            title = _text(sub, "title")
            if title is not None:
                facts[key] = {"title": title}
        else:
            annotation, default, scalar_facts = _scalar(sub, here, plan)
            fields[key] = (annotation, default)
            if scalar_facts:
                facts[key] = scalar_facts
    if not fields:
        return None
    return pydantic.create_model(
        cls.__name__,
        __base__=cls,
        __doc__=cls.__doc__,
        __module__=cls.__module__,
        __namespace__={"__jwst_fields__": field_table(**facts)},
        **fields,
    )


def _same_scalar(cls: type[MetaNode], key: str, schema: Mapping[str, object], path: str, plan: _Plan) -> bool:
    annotation, _, facts = _scalar(schema, path, plan, check_keyword=False)
    keyword = facts.get("fits_keyword")
    place = (keyword, facts.get("fits_hdu")) if keyword is not None else (None, None)
    return annotation == cls.model_fields[key].annotation and place == cls.fits_location(key)


def _empty_node(key: str, schema: Mapping[str, object]) -> type[MetaNode]:
    name = "".join(part.capitalize() for part in key.split("_")) or "Node"
    title = _text(schema, "title")
    return pydantic.create_model(name, __base__=MetaNode, __doc__=title, __module__=__name__)


def _text(schema: Mapping[str, object], key: str) -> str | None:
    value = schema.get(key)
    return str(value).strip() or None if value is not None else None


def _scalar(
    schema: Mapping[str, object], path: str, plan: _Plan, *, check_keyword: bool = True
) -> tuple[Any, FieldInfo, FieldFacts]:
    """(annotation, Field, facts) of a scalar entry, as the generator would declare it (the facts go in the
    class's ``__jwst_fields__``)."""
    for unsupported in ("tag", "items", "$ref", "anyOf", "oneOf"):
        if unsupported in schema:
            raise SchemaExtensionError(
                f"{plan.model_name}: {path}: '{unsupported}' entries cannot be added as metadata fields"
            )
    type_: object = schema.get("type")
    if isinstance(type_, list):
        kinds = [t for t in cast(list[object], type_) if t != "null"]
        type_ = kinds[0] if len(kinds) == 1 else None
    enum: object = schema.get("enum")
    values = [v for v in cast(list[object], enum) if v is not None] if isinstance(enum, list) else None
    if type_ is None and values:
        type_ = _infer(values)
    python_type = _SCALARS.get(str(type_))
    if python_type is None:
        raise SchemaExtensionError(
            f"{plan.model_name}: {path}: type {schema.get('type')!r} is not a scalar type "
            f"(one of {', '.join(_SCALARS)}), an object with properties, or an array with 'datatype'"
        )
    annotation: Any = python_type
    if values:
        if python_type is str:
            values = [str(v) for v in values]
        annotation = cast(Any, Literal)[tuple(values)]
    keyword, hdu = _fits_place(schema, path, plan, check_keyword=check_keyword)
    facts: FieldFacts = {}
    title = _text(schema, "title")
    if title is not None:
        facts["title"] = title
    if keyword is not None:
        facts["fits_keyword"] = keyword
        facts["fits_hdu"] = hdu
    info = pydantic.Field(default=None, description=_text(schema, "description"))
    return annotation | None, cast(FieldInfo, info), facts


def _infer(values: list[object]) -> str | None:
    if all(isinstance(v, str) for v in values):
        return "string"
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "integer"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "number"
    return None


def _fits_place(
    schema: Mapping[str, object], path: str, plan: _Plan, *, check_keyword: bool = True
) -> tuple[str | None, str]:
    raw_keyword = schema.get("fits_keyword")
    hdu = str(schema.get("fits_hdu") or "PRIMARY").upper()
    if raw_keyword is None:
        return None, hdu
    keyword = str(raw_keyword).upper()
    if not _KEYWORD.match(keyword):
        raise SchemaExtensionError(
            f"{plan.model_name}: {path}: {raw_keyword!r} is not a FITS keyword (1-8 of A-Z 0-9 _ -)"
        )
    taken: set[tuple[str, str]] = plan.keywords if plan.keywords is not None else set()
    if not check_keyword:
        return keyword, hdu
    if (hdu, keyword) in taken:
        raise SchemaExtensionError(
            f"{plan.model_name}: {path}: FITS keyword {keyword} in {hdu} is already used by another field"
        )
    taken.add((hdu, keyword))
    return keyword, hdu


def _array_field(key: str, schema: Mapping[str, object], model_name: str) -> DataField:
    datatype = schema.get("datatype")
    hdu = str(schema.get("fits_hdu") or key).upper()
    title = _text(schema, "title") or ""
    if isinstance(datatype, list):
        columns = [_column(c, key, model_name) for c in cast(list[object], datatype)]
        return TableField(hdu=hdu, columns=columns, title=title)
    try:
        dtype = np.dtype(str(datatype))
    except TypeError:
        raise SchemaExtensionError(f"{model_name}: {key}: unknown array datatype {datatype!r}") from None
    if dtype.kind not in "biuf":
        raise SchemaExtensionError(f"{model_name}: {key}: unknown array datatype {datatype!r}")
    ndim, max_ndim, default = schema.get("ndim"), schema.get("max_ndim"), schema.get("default", 0)
    return ArrayField(
        dtype.type,
        hdu=hdu,
        ndim=ndim if isinstance(ndim, int) else None,
        max_ndim=max_ndim if isinstance(max_ndim, int) else None,
        default=default if isinstance(default, int | float) else 0,
        title=title,
    )


def _column(column: object, key: str, model_name: str) -> Column:
    if not isinstance(column, Mapping) or "name" not in column or "datatype" not in column:
        raise SchemaExtensionError(f"{model_name}: {key}: a table column needs 'name' and 'datatype'")
    spec = cast(Mapping[str, object], column)
    datatype = spec["datatype"]
    parts = cast(list[object], datatype) if isinstance(datatype, list) else None
    if parts is not None and len(parts) == 2:
        kind, size = parts
        dtype = f"{'S' if kind == 'ascii' else 'U'}{size}" if kind in ("ascii", "ucs4") else None
    else:
        dtype = str(cast(object, datatype))
    try:
        np.dtype(str(dtype))
    except TypeError:
        raise SchemaExtensionError(f"{model_name}: {key}: bad column datatype {datatype!r}") from None
    shape = cast(list[int], spec.get("shape") or [])
    return Column(str(spec["name"]), str(dtype), tuple(int(n) for n in shape))


# -- applying a plan ---------------------------------------------------------------------------------


def _apply(model: ModelParts, plan: _Plan) -> None:
    old_class = type(model.meta)
    if plan.meta_class is not None:

        def ignore(*_: object) -> None:
            """Values already in the model fit (or were kept in place on purpose): carry them over as is."""

        meta = build_meta(
            plan.meta_class,
            model.meta.model_dump(warnings=False),
            on_invalid=ignore,
            on_unknown=ignore,
            keep_invalid=True,
        )
        meta.attach(type(model).__name__)
        setattr(model, "meta", meta)  # the protocol's meta is read-only: each model class narrows its type
    if plan.meta_class is not None or plan.arrays:
        # A subclass of the model's class, used by this instance only, so that the class describes the
        # instance: ``type(model)(...)``, ``copy()`` and ``jwstmodels.open(model)`` keep the added entries.
        cls = type(model)
        namespace: dict[str, object] = {
            "__slots__": (),
            "__module__": cls.__module__,
            "__qualname__": cls.__qualname__,
            "__doc__": cls.__doc__,
            "meta_class": type(model.meta),
            **(plan.arrays or {}),
        }
        object.__setattr__(model, "__class__", type(cls.__name__, (cls,), namespace))
        for name, field in (plan.arrays or {}).items():
            _adopt_array(model, name, field)
    known = {leaf.path for leaf in scalar_leaves(old_class)}
    for leaf in scalar_leaves(type(model.meta)):
        if leaf.path not in known:
            _adopt_value(model, leaf.names, leaf.path, leaf.keyword, leaf.hdu)


def _adopt_array(model: ModelParts, name: str, field: DataField) -> None:
    """Take the new array's data from where a file left it (the unknown ASDF tree, or an unnamed HDU)."""
    from jwstmodels._io.fits_cards import STRUCTURAL

    state = model.__jwst_state__
    store = state.store
    if name in state.extra_tree:
        value = state.extra_tree.pop(name)
        store.loaders[name] = lambda: np.asarray(value)
        shape = getattr(value, "shape", None)
        if shape is not None:
            store.shapes[name] = tuple(int(n) for n in shape)
        return
    for index, hdu in enumerate(state.extra_hdus):
        if str(getattr(hdu, "name", "")).upper() != field.hdu:
            continue
        del state.extra_hdus[index]
        header = hdu.header
        store.loaders[name] = _hdu_loader(hdu)
        if isinstance(field, ArrayField):
            naxis = int(header.get("NAXIS", 0))
            store.shapes[name] = tuple(int(header[f"NAXIS{i}"]) for i in range(naxis, 0, -1))
        cards = [
            (str(card.keyword), card.value, str(card.comment))
            for card in header.cards
            if card.keyword and not STRUCTURAL.match(card.keyword)
        ]
        if cards:
            model.extra_fits.setdefault(field.hdu, []).extend(cards)
        return


def _hdu_loader(hdu: Any) -> Any:
    def load() -> Any:
        return hdu.data

    return load


def _adopt_value(model: ModelParts, names: tuple[str, ...], path: str, keyword: str | None, hdu: str) -> None:
    """Move a value a file held for a new metadata entry into it (reading policy for values that misfit)."""
    source = model.filename or "<model>"
    value: object
    state = model.__jwst_state__
    found, value = _pop_tree(state.extra_tree, ("meta", *names))
    if keyword is not None and _has_card(model, hdu, keyword):  # headers win over the ASDF extension's copy
        cards = model.extra_fits[hdu]
        taken = [card for card in cards if card[0].upper() == keyword]
        model.extra_fits[hdu] = [card for card in cards if card[0].upper() != keyword]
        if not model.extra_fits[hdu]:
            del model.extra_fits[hdu]
        value = taken[-1][1]

        def put_back() -> None:
            model.extra_fits.setdefault(hdu, []).extend(taken)

        where = f"{source}: HDU {hdu}, keyword {keyword} ({path})"
    else:
        if not found:
            return
        kept = value

        def put_back() -> None:
            _put_tree(state.extra_tree, ("meta", *names), kept)

        where = f"{source}: {path}"
    node: Any = model.meta
    for name in names[:-1]:
        node = getattr(node, name)
    try:
        setattr(node, names[-1], value)
    except ValidationError as error:
        warn_invalid(where, value, error.expected)
        if state.pass_invalid:
            force_value(model.meta, names, value)
        else:
            put_back()


def _has_card(model: ModelParts, hdu: str, keyword: str) -> bool:
    return any(card[0].upper() == keyword for card in model.extra_fits.get(hdu, ()))


def _pop_tree(tree: dict[str, Any], loc: tuple[str, ...]) -> tuple[bool, object]:
    node: Any = tree
    parents: list[tuple[dict[str, Any], str]] = []
    for part in loc[:-1]:
        if not isinstance(node, dict) or part not in node:
            return False, None
        parent = cast(dict[str, Any], node)
        parents.append((parent, part))
        node = parent[part]
    if not isinstance(node, dict) or loc[-1] not in node:
        return False, None
    value: object = cast(dict[str, Any], node).pop(loc[-1])
    for parent, part in reversed(parents):  # drop groups left empty
        if parent[part] == {}:
            del parent[part]
    return True, value


def _put_tree(tree: dict[str, Any], loc: tuple[str, ...], value: object) -> None:
    node = tree
    for part in loc[:-1]:
        node = node.setdefault(part, {})
    node[loc[-1]] = value
