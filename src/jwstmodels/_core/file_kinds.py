"""Values of another kind in a file: ``NFRAMES = T``, ``ZEROFRAM = 'yes'``, ``nframes: '7'``.

pydantic's lax rules would turn them into ``1``, ``True`` and ``7``: right for a value a user assigns, but a
file holding a flag where a count belongs is damaged or was written by mistake, and the change would go
unnoticed. Read from a file, such a value goes through the file-value policy like any value that does not
fit: a warning naming file, place and value, and the value kept aside to be written back (or kept in place
with ``pass_invalid_values``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from jwstmodels._core.loading import Location, OnInvalid, expected_at, force_value
from jwstmodels._core.node_plans import FieldPlan, node_plan

if TYPE_CHECKING:
    from jwstmodels._core.meta import MetaNode


def take_other_kinds(
    meta_class: type[MetaNode], tree: Mapping[str, object], on_invalid: OnInvalid
) -> tuple[dict[str, object], list[tuple[Location, object]]]:
    """``tree`` without the values of another kind than their field holds (each reported to ``on_invalid``
    with its location and the expected type), and those values. ``tree`` itself is not changed (it may be an
    open ASDF file's): the levels on the way to a value taken out are copied."""
    taken: list[tuple[Location, object]] = []
    result = _take(meta_class, tree, (), taken)
    for loc, value in taken:
        on_invalid(loc, value, expected_at(meta_class, loc))
    return result, taken


def keep_in_place(meta: MetaNode, taken: list[tuple[Location, object]]) -> None:
    """``pass_invalid_values``: the values taken out go back in place, unconverted."""
    for loc, value in taken:
        force_value(meta, loc, value)


def _take(
    cls: type[MetaNode], tree: Mapping[str, object], loc: Location, taken: list[tuple[Location, object]]
) -> dict[str, object]:
    plan = node_plan(cls)
    result = dict(tree)
    if plan is None:
        return result
    for name, value in tree.items():
        field = plan.fields.get(name)
        if field is None:
            continue
        if field.child is not None:
            if isinstance(value, Mapping):
                child = cast("type[MetaNode]", field.child)  # the children of a MetaNode are MetaNodes
                result[name] = _take(child, cast(Mapping[str, object], value), (*loc, name), taken)
        elif _other_kind(field, value):
            del result[name]
            taken.append(((*loc, name), value))
    return result


def _other_kind(field: FieldPlan, value: object) -> bool:
    """True for a value pydantic would convert across kinds: a bool into a number or text field, text into
    a number or flag, a number into a flag."""
    if value is None or not field.types or field.accepts(value):
        return False
    if isinstance(value, bool | str):
        return True
    return isinstance(value, int | float) and field.types <= {bool}
