"""``DataModel.update``: copy metadata from another model or a nested dict, all or nothing."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from jwstmodels._core.errors import UnknownFieldError, ValidationError, ValidationErrors
from jwstmodels._core.meta import MetaNode, ScalarLeaf, scalar_leaves
from jwstmodels._core.scalars import checked_values

if TYPE_CHECKING:
    from jwstmodels._core.content import Card
    from jwstmodels._model.parts import ModelParts

STAMPED = frozenset({"meta.date", "meta.model_type", "meta.history"})
"""Paths ``update`` never copies: they describe the file and the class (``save`` stamps the date and type),
and a file's history is its own (the JWST pipeline's models keep history outside the metadata ``update``
copies, too)."""


def hdu_set(only: str | Iterable[str] | None) -> set[str] | None:
    """``only`` as a set of upper-case HDU names; None (every HDU) for None or ''."""
    if only is None or only == "":
        return None
    names = [only] if isinstance(only, str) else list(only)
    return {name.strip().upper() for name in names}


def update(
    model: ModelParts,
    source: ModelParts | Mapping[str, object],
    only: str | Iterable[str] | None = None,
    extra_fits: bool = False,
    *,
    from_model: bool,
    cal_logs: bool = True,
) -> None:
    """Copy metadata values from ``source`` into ``model``; see ``DataModel.update``. ``from_model``: the
    source is a model (the caller knows the model class; this module sits below it)."""
    logs = _logs_of(source, from_model)
    if not from_model and isinstance(source, Mapping) and "cal_logs" in source:
        source = {k: v for k, v in source.items() if k != "cal_logs"}
    hdus = hdu_set(only)
    scalar_fields = model.__jwst_layout__.scalar_fields
    targets = {leaf.path: leaf for leaf in scalar_leaves(type(model.meta))}
    if from_model:
        other = cast("ModelParts", source)
        pairs = _from_model(other, targets)
        cards = other.extra_fits
        top = [(name, value) for name, value in other.__jwst_state__.scalars.items() if name in scalar_fields]
    else:
        mapping = cast(Mapping[str, object], source)
        pairs, cards = _from_mapping(model, mapping, targets)
        top = [(name, value) for name, value in mapping.items() if name in scalar_fields]
    # From a model, as the reference: only values with a FITS keyword (in the named HDUs, or any); values kept
    # in the ASDF tree alone (``meta.asn.exptype``, ...) describe the source file's own place. From a dict:
    # every value given (in the named HDUs when ``only`` names some).
    chosen = [
        (leaf, value)
        for leaf, value in pairs
        if leaf.path not in STAMPED
        and (hdus is None or (leaf.keyword is not None and leaf.hdu in hdus))
        and (not from_model or leaf.keyword is not None)
    ]
    assignments = [(leaf.names, value) for leaf, value in chosen]
    scalars, errors = checked_values(
        scalar_fields, top, hdus, type(model).__name__
    )  # top-level scalars (``name``): checked first
    if errors:
        raise ValidationErrors(_assign(model.meta.model_copy(deep=True), assignments) + errors)
    assign_all(model.meta, assignments)
    for name, value in scalars:
        setattr(model, name, value)
    if extra_fits:
        _merge_cards(model, cards, hdus)
    if cal_logs and logs:
        extra_tree = model.__jwst_state__.extra_tree
        kept: object = extra_tree.get("cal_logs")
        if isinstance(kept, dict):
            cast(dict[str, object], kept).update(logs)
        else:
            extra_tree["cal_logs"] = logs


def _logs_of(source: ModelParts | Mapping[str, object], from_model: bool) -> dict[str, object]:
    """A copy of the pipeline step logs (``cal_logs``) ``source`` holds, by step name (empty when none)."""
    if from_model:
        found: object = cast("ModelParts", source).__jwst_state__.extra_tree.get("cal_logs")
    elif isinstance(source, Mapping):
        found = source.get("cal_logs")
    else:
        return {}  # not a dict: the copy refuses it with its own error
    if isinstance(found, Mapping):
        return copy.deepcopy(dict(cast(Mapping[str, object], found)))
    return {}


def _assign(meta: MetaNode, assignments: list[tuple[tuple[str, ...], object]]) -> list[ValidationError]:
    errors: list[ValidationError] = []
    for names, value in assignments:
        node: Any = meta
        for name in names[:-1]:
            node = getattr(node, name)
        try:
            setattr(node, names[-1], copy.deepcopy(value))
        except ValidationError as error:
            errors.append(error)
    return errors


def assign_all(meta: MetaNode, assignments: list[tuple[tuple[str, ...], object]]) -> None:
    """Set metadata values (names below ``meta``) all or nothing: every misfit is reported, none applied.

    The values are tried on a copy first, then set on the model's own nodes (so references users hold to
    ``model.meta.exposure`` and the like stay live).
    """
    errors = _assign(meta.model_copy(deep=True), assignments)
    if errors:
        raise ValidationErrors(errors)
    errors = _assign(meta, assignments)
    if errors:  # pragma: no cover - the same values were just accepted by a copy of the same tree
        raise ValidationErrors(errors)


def _from_model(other: ModelParts, targets: Mapping[str, ScalarLeaf]) -> list[tuple[ScalarLeaf, object]]:
    """Every set scalar of ``other`` that this model's schema also has (others are not this class's)."""
    pairs: list[tuple[ScalarLeaf, object]] = []
    for leaf in scalar_leaves(type(other.meta)):
        target = targets.get(leaf.path)
        if target is None:
            continue
        node: Any = other.meta
        for name in leaf.names:
            node = node.__dict__.get(name)
            if node is None:
                break
        if node is not None:
            pairs.append((target, node))
    return pairs


def _from_mapping(
    model: ModelParts, source: Mapping[str, object], targets: Mapping[str, ScalarLeaf]
) -> tuple[list[tuple[ScalarLeaf, object]], dict[str, list[Card]]]:
    """Leaves of a nested (or dotted-key) dict; an unknown key raises before anything changes."""
    if not isinstance(cast(object, source), Mapping):
        raise TypeError(
            f"{type(model).__name__}.update: give another model or a dict, not {type(source).__name__}"
        )
    pairs: list[tuple[ScalarLeaf, object]] = []
    cards: dict[str, list[Card]] = {}
    flat: dict[str, object] = {}
    _flatten(source, "", flat)
    layout = model.__jwst_layout__
    for path, value in flat.items():
        if path.startswith("extra_fits."):
            hdu = path.removeprefix("extra_fits.")
            cards[hdu.upper()] = [_card(c) for c in cast(Iterable[Any], value)]
            continue
        if path in layout.fields or path in layout.list_fields:
            continue  # arrays, tables and lists are not metadata: update leaves them alone
        if isinstance(value, np.ndarray) and not path.startswith("meta."):
            continue  # an array outside the metadata (another model's array, say): left alone too
        # an array given for a metadata field is checked like any value: refused, and nothing applied
        if path in layout.scalar_fields:
            continue  # a top-level scalar (``name``): taken by the caller
        leaf = targets.get(path)
        if leaf is None:
            raise _unknown(model, path, targets)
        pairs.append((leaf, cast(object, value)))
    return pairs, cards


def _flatten(tree: Mapping[str, object], prefix: str, out: dict[str, object]) -> None:
    for key, value in tree.items():
        dotted = f"{prefix}.{key}" if prefix else str(key)
        if dotted == "extra_fits" and isinstance(value, Mapping):
            for hdu, cards in cast(Mapping[str, object], value).items():
                out[f"extra_fits.{hdu}"] = cards
        elif isinstance(value, MetaNode):
            _flatten(value.model_dump(exclude_none=True, warnings=False), dotted, out)
        elif isinstance(value, Mapping):
            _flatten(cast(Mapping[str, object], value), dotted, out)
        else:
            out[dotted] = value


def _unknown(model: ModelParts, path: str, targets: Mapping[str, ScalarLeaf]) -> UnknownFieldError:
    import difflib

    close = difflib.get_close_matches(path, list(targets), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return UnknownFieldError(f"{type(model).__name__}.update: {path!r} is not in the schema{hint}")


def _card(card: object) -> Card:
    keyword, value, comment = cast(tuple[object, object, object], tuple(cast(Iterable[object], card)))
    if not isinstance(value, str | int | float | bool | None):
        value = str(value)
    return (str(keyword), value, str(comment))


def _merge_cards(model: ModelParts, source: Mapping[str, list[Card]], hdus: set[str] | None) -> None:
    """Copy extra_fits cards: a keyword already present is replaced, COMMENT/HISTORY lines are added once."""
    for hdu, cards in source.items():
        if hdus is not None and hdu.upper() not in hdus:
            continue
        target = model.extra_fits.setdefault(hdu, [])
        for card in cards:
            keyword = card[0].upper()
            if keyword in ("COMMENT", "HISTORY", ""):
                if card not in target:
                    target.append(card)
                continue
            positions = [i for i, existing in enumerate(target) if existing[0].upper() == keyword]
            if positions:
                target[positions[0]] = card
                for index in reversed(positions[1:]):
                    del target[index]
            else:
                target.append(card)
