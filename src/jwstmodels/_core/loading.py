"""Turning a nested dict read from a file (or given by a user) into a metadata tree, by the validation policy.

- Values given by a user (a dict passed to a model) must fit: the first misfit raises ValidationError.
- Values read from a file that do not fit warn with the file, the place and the value, and are handed to the
  caller (FITS keeps the original card in ``extra_fits``) so that re-saving loses nothing; with
  ``pass_invalid_values=True`` they are kept in place instead.
- Keys the schema does not know are handed to the caller silently (they are not errors in a file).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, cast

import pydantic

from jwstmodels._core.class_cache import per_class
from jwstmodels._core.errors import InvalidValueWarning
from jwstmodels._core.meta import MetaNode, describe_annotation
from jwstmodels._core.node_plans import NodePlan, assemble, fresh_makers, new_node, node_plan

Location = tuple[str, ...]

OnInvalid = Callable[[Location, object, str], None]
"""Called with (location below meta, value, expected-type text) for each value that was taken out."""


def build_meta(
    meta_class: type[MetaNode],
    tree: Mapping[str, object],
    *,
    on_invalid: OnInvalid,
    on_unknown: Callable[[Location, object], None],
    keep_invalid: bool = False,
    sparse: bool = False,
) -> MetaNode:
    """Validate ``tree`` into ``meta_class``, taking out what does not fit and reporting it.

    ``sparse``: a node holds only its nested nodes and the values ``tree`` gives (a field whose value did not
    fit holds its default), as a tree whose other fields wait to be filled does (``_io.fits_lazy``); else
    every field absent from ``tree`` holds its default.

    Values are checked field by field: one that pydantic would keep as it is (a ``str`` for ``str | None``,
    one of the values of a ``Literal``) goes straight in, any other is validated by its field's annotation,
    and the nodes are assembled without running the class validators (see ``_meta.assemble``). Problems are
    reported in the order pydantic would report them (fields in schema order, unknown keys after the fields
    of their level), after the whole tree has been read.
    """
    found: list[_Problem] = []
    meta = _build(meta_class, tree, (), (), found, sparse)
    found.sort(key=lambda problem: problem.order)
    kept: list[tuple[Location, object]] = []
    for problem in found:
        value = _copied(problem.value)
        if problem.unknown:
            on_unknown(problem.loc, value)
            continue
        on_invalid(problem.loc, value, expected_at(meta_class, problem.loc))
        if keep_invalid:
            kept.append((problem.loc, value))
    for loc, value in kept:
        force_value(meta, loc, value)
    return meta


class _Problem(NamedTuple):
    order: tuple[int, ...]
    unknown: bool
    loc: Location
    value: object


def _build(
    cls: type[MetaNode],
    tree: Mapping[str, object],
    loc: Location,
    order: tuple[int, ...],
    found: list[_Problem],
    sparse: bool = False,
) -> MetaNode:
    plan = node_plan(cls)
    if plan is None:
        return _build_validated(cls, tree, loc, order, found)
    fields = plan.fields
    values = {} if sparse else plan.template.copy()
    given: set[str] = set()
    for position, (name, value) in enumerate(tree.items()):
        field = fields.get(name)
        if field is None:
            found.append(_Problem((*order, len(fields) + position), True, (*loc, name), value))
            continue
        if field.child is not None and isinstance(value, Mapping):
            child = cast(type[MetaNode], field.child)  # the children of a MetaNode are MetaNodes
            values[name] = _build(
                child,
                cast(Mapping[str, object], value),
                (*loc, name),
                (*order, field.position),
                found,
                sparse,
            )
        elif field.accepts(value):
            values[name] = value
        else:
            try:
                values[name] = field.validate(value)
            except pydantic.ValidationError:
                found.append(_Problem((*order, field.position), False, (*loc, name), value))
                if sparse:
                    values[name] = _default(plan, name)
                continue
        given.add(name)
    if sparse:
        for name, child_class in _child_classes(cls):
            if name not in values:
                values[name] = sparse_node(child_class)
        return assemble(cls, values, given)
    for name, make in fresh_makers(cls):
        if name not in given:
            values[name] = make()
    return assemble(cls, values, given)


def sparse_node(cls: type[MetaNode]) -> MetaNode:
    """A node of ``cls`` holding only its nested nodes (each sparse too); every other field is absent."""
    if node_plan(cls) is None:
        return new_node(cls)
    values: dict[str, object] = {}
    for name, child in _child_classes(cls):
        values[name] = sparse_node(child)
    return assemble(cls, values, set())


@per_class
def _child_classes(cls: type[MetaNode]) -> tuple[tuple[str, type[MetaNode]], ...]:
    plan = node_plan(cls)  # its nested nodes are known without working out every field's plan
    # (the children of a MetaNode are MetaNodes)
    return cast(tuple[tuple[str, type[MetaNode]], ...], plan.children) if plan is not None else ()


def default_value(cls: type[MetaNode], name: str) -> object:
    """The default of ``cls``'s field ``name``, made anew where it is mutable (a nested node sparse: see
    ``build_meta``)."""
    plan = node_plan(cls)
    if plan is None:
        return cls.model_fields[name].get_default(call_default_factory=True)
    return _default(plan, name)


def _default(plan: NodePlan, name: str) -> object:
    child = plan.fields[name].child
    if child is not None:
        return sparse_node(cast(type[MetaNode], child))
    if name in plan.template:
        return plan.template[name]
    return dict(plan.fresh)[name]()


def _build_validated(
    cls: type[MetaNode],
    tree: Mapping[str, object],
    loc: Location,
    order: tuple[int, ...],
    found: list[_Problem],
) -> MetaNode:
    """Validate a subtree with the class's pydantic validator, taking out what does not fit (for classes that
    cannot be assembled field by field, see ``_meta.node_plan``)."""
    work = cast(dict[str, Any], _deep_copy(tree))
    count = 0
    for _ in range(100):
        try:
            return cls.model_validate(work)
        except pydantic.ValidationError as exc:
            for error in exc.errors():
                inner = tuple(str(part) for part in error["loc"])
                value = _pop(work, inner)
                found.append(
                    _Problem((*order, count), error["type"] == "extra_forbidden", (*loc, *inner), value)
                )
                count += 1
    # A tree that keeps failing after 100 rounds is a bug, not user input.
    raise RuntimeError("metadata did not settle after removing invalid values")  # pragma: no cover


def _copied(value: object) -> object:
    """What a caller receives: its own copy of the mappings (the tree read may be an open file's); a tagged
    ASDF object stays whole."""
    if isinstance(value, Mapping) and not hasattr(cast(object, value), "_tag"):
        return _deep_copy(cast(Mapping[str, object], value))
    return cast(object, value)


def warn_invalid(where: str, value: object, expected: str) -> None:
    """Warn about a value read from a file that does not fit its field (``where`` names file and place)."""
    warnings.warn(
        f"{where}: value {value!r} does not fit (expected {expected}); "
        "it is kept so that saving loses nothing",
        InvalidValueWarning,
        stacklevel=4,
    )


def expected_at(meta_class: type[MetaNode], loc: Location) -> str:
    """What the field at ``loc`` below ``meta_class`` accepts, in words (for warnings and errors)."""
    node = meta_class
    for part in loc[:-1]:
        info = node.model_fields.get(part)
        annotation = info.annotation if info is not None else None
        if not (isinstance(annotation, type) and issubclass(annotation, MetaNode)):
            return "an object"
        node = annotation
    info = node.model_fields.get(loc[-1])
    return describe_annotation(info.annotation) if info is not None else "no such field"


def put_path(tree: dict[str, Any], loc: Location, value: object) -> None:
    """Set ``tree[loc[0]][loc[1]]... = value``, creating (or replacing non-mapping) levels on the way."""
    node = tree
    for part in loc[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = cast(dict[str, Any], child)
    node[loc[-1]] = value


def _deep_copy(tree: Mapping[str, object]) -> dict[str, object]:
    """Plain nested dicts to validate; a tagged ASDF object (a WCS, say) stays whole, tag included, so an
    unknown one is kept and written back as it was."""
    return {
        key: _deep_copy(cast(Mapping[str, object], value)) if _plain_mapping(value) else value
        for key, value in tree.items()
    }


def _plain_mapping(value: object) -> bool:
    return isinstance(value, Mapping) and not hasattr(cast(object, value), "_tag")


def _pop(tree: dict[str, Any], loc: Location) -> object:
    node: object = tree
    for part in loc[:-1]:
        node = cast(dict[str, object], node).get(part) if isinstance(node, dict) else None
    if isinstance(node, dict) and loc and loc[-1] in node:
        return cast(dict[str, object], node).pop(loc[-1])
    # The whole parent was wrong (e.g. a string where an object belongs): drop the parent.
    if len(loc) > 1:
        return _pop(tree, loc[:-1])
    return None


def force_value(meta: MetaNode, loc: Location, value: object) -> None:
    """Put a value in place without validating it (``pass_invalid_values=True``)."""
    node: MetaNode = meta
    for part in loc[:-1]:
        child = node.__dict__.get(part)
        if not isinstance(child, MetaNode):
            return
        node = child
    if loc[-1] in type(node).model_fields:
        vars(node)[loc[-1]] = value
