"""Chosen metadata fields of a FITS file from its headers alone, as opening it as a model would give them.

``jwstmodels.scan`` reads many files for a few fields each. A field with a FITS keyword lives in a header card
(headers are authoritative, ``_core.header_carried``), so it needs neither the ``ASDF`` extension, whose
tagged document (the reference writes its whole tree there, WCS objects included) costs more to parse than
every header of the file, nor the model. The values go through the same file-value policy as a model's open
(``_core.policy.read_meta``, ``apply_header``): the same types, the same warnings for a value that does not
fit, the same ``None`` for a card that is not there.

Where the headers alone cannot say what the model would hold, :class:`NeedsModel` is raised and the caller
opens the model instead:

- a field without a FITS keyword (the extension holds it), an array, a list of items;
- a card whose value may be the shortened form of what the extension keeps (``_core.header_carried``): a
  float written in all of FITS's 20 columns, an integer of 19 digits or more, a string longer than one card,
  or a string longer than 8 characters ending in blanks;
- a keyword given twice in one header (the model's open warns about it);
- a keyword card that is missing while the ``ASDF`` extension has the field: a value no card can hold (NaN,
  text outside printable ASCII) is kept there alone. Only then is the extension read, and only composed (its
  nodes looked up, no objects built).

One difference is left, because FITS cannot tell it: a string of at most 8 characters ending in blanks (a
card pads strings to 8 characters with blanks, and reading drops trailing blanks) reads without those blanks
here, while the model takes the value the extension keeps. No pipeline keyword holds such a value.
"""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false
# (the typed boundary around astropy's headers and cards, which ship without annotations)

from __future__ import annotations

import re
from typing import Any, NamedTuple

import numpy as np

from jwstmodels._core.class_cache import per_layout
from jwstmodels._core.content import FileContent, ModelLayout
from jwstmodels._core.loading import Location, put_path
from jwstmodels._core.meta import MetaNode, keyword_leaves, scalar_leaves
from jwstmodels._core.policy import apply_header, read_meta
from jwstmodels._io.card_values import string_in_field

EXTENSION_NAME = "ASDF"
"""The EXTNAME of the table holding a JWST FITS file's ASDF document (defined in the lowest module reading it,
so that a header read needs neither the extension reader nor yaml)."""
_FLOAT_COLUMNS = 20
"""astropy writes a float in at most 20 columns, cutting digits from a longer one (a longer number on a card
was written in full, in free format: jwstmodels writes those)."""
_PADDED_STRING = 8
"""astropy pads a string value to at least 8 characters with blanks."""
_LONGEST_ONE_CARD_STRING = 68
_YAML_END = re.compile(rb"\r?\n\.\.\.((\r?\n)|$)")
"""Where the extension's YAML document ends (asdf's end marker; binary blocks may follow)."""


class NeedsModel(Exception):
    """The headers alone cannot give what the model would hold; open the model (the reason says why)."""


class FieldPlan(NamedTuple):
    """Where one requested field's value comes from."""

    field: str
    """The name the caller asked for (the table's column)."""
    names: Location
    """Attribute names below ``meta`` (a metadata field), or the top-level scalar's name."""
    keyword: str | None
    """The FITS keyword; None: the model has no such scalar field, its value is None."""
    hdu: str
    in_meta: bool


@per_layout
def plan_fields(layout: ModelLayout, fields: tuple[str, ...]) -> tuple[FieldPlan, ...]:
    """How to read ``fields`` (dotted paths below the model: ``meta.exposure.nframes``, ``name``) for a model
    of ``layout`` from its headers; NeedsModel when one of them needs more than the headers."""
    by_names = {leaf.names: leaf for leaf in keyword_leaves(layout.meta_class)}
    leaves = {leaf.names for leaf in scalar_leaves(layout.meta_class)}
    plans: list[FieldPlan] = []
    for field in fields:
        parts: tuple[str, ...] = tuple(field.split("."))
        name = parts[0]
        if name == "meta" and len(parts) > 1:
            names = parts[1:]
            leaf = by_names.get(names)
            if leaf is not None:
                plans.append(FieldPlan(field, names, leaf.keyword, leaf.hdu, True))
            elif names in leaves:
                raise NeedsModel(f"{field} has no FITS keyword")
            else:  # a group of fields, or no field of this class: the model gives no scalar value
                plans.append(FieldPlan(field, names, None, "", True))
            continue
        if name in layout.fields or name in layout.items:
            raise NeedsModel(f"{field} is an array or a list of items")
        scalar = layout.scalar_fields.get(name) if len(parts) == 1 else None
        if scalar is not None:
            if scalar.keyword is None or scalar.hdu is None:
                raise NeedsModel(f"{field} has no FITS keyword")
            plans.append(FieldPlan(field, parts, scalar.keyword, scalar.hdu.upper(), False))
        else:  # "meta" itself, or a name the class does not have
            plans.append(FieldPlan(field, parts, None, "", False))
    return tuple(plans)


def declared_model_type(hdul: Any) -> str | None:
    """The model type the primary header names (``DATAMODL``), if any."""
    value = hdul[0].header.get("DATAMODL")
    return value if isinstance(value, str) and value else None


def header_values(
    hdul: Any, layout: ModelLayout, plans: tuple[FieldPlan, ...], filename: str
) -> list[object]:
    """The value of each planned field in the open FITS file ``hdul``, as a model of ``layout`` opened from
    it would give it (warnings included); NeedsModel when the headers cannot say."""
    hdus = _named_hdus(hdul, {plan.hdu for plan in plans if plan.keyword is not None})
    tree: dict[str, Any] = {}
    cards: dict[Location, tuple[str, Any]] = {}
    scalar_cards: dict[str, dict[str, object]] = {}
    missing: list[FieldPlan] = []
    for plan in plans:
        if plan.keyword is None:
            continue
        hdu = hdus.get(plan.hdu)
        header = None if hdu is None else hdu.header
        if header is None or plan.keyword not in header:
            missing.append(plan)
            continue
        if header.count(plan.keyword) > 1:
            raise NeedsModel(f"keyword {plan.keyword} appears more than once in HDU {plan.hdu}")
        card = header.cards[plan.keyword]
        value = card.value
        if type(value).__name__ == "Undefined":  # a card without a value: as if it were not there
            missing.append(plan)
            continue
        if not plan.in_meta:  # a top-level scalar: its card wins over the extension whatever it says
            scalar_cards.setdefault(plan.hdu, {})[plan.keyword] = value
            continue
        _check_exact(card, value)
        put_path(tree, plan.names, value)
        cards[plan.names] = (plan.hdu, card)
    if missing:
        _check_extension(hdul, missing, filename)
    content = FileContent(layout, filename)
    read_meta(
        content,
        tree,
        tree_place=f"{filename}: ASDF extension, ",
        cards=cards,
        hdu_place=lambda hdu: f"{filename}: HDU {hdu}",
    )
    for hdu_name, found in scalar_cards.items():
        apply_header(content, hdu_name, found, f"{filename}: HDU {hdu_name}")
    values: list[object] = []
    for plan in plans:
        if plan.keyword is None:
            values.append(None)
        elif plan.in_meta:
            values.append(_meta_value(content.meta, plan.names))
        else:
            values.append(content.scalars.get(plan.names[0]))
    return values


def _named_hdus(hdul: Any, names: set[str]) -> dict[str, Any]:
    """The first HDU of each name in ``names`` (PRIMARY is the first HDU), as a model's open picks them."""
    found: dict[str, Any] = {"PRIMARY": hdul[0]}
    if not names - {"PRIMARY"}:
        return found
    for hdu in hdul[1:]:
        name = str(hdu.name).upper()
        if name == EXTENSION_NAME:
            continue
        if name in names and name not in found:
            found[name] = hdu
    return found


def _check_exact(card: Any, value: object) -> None:
    """NeedsModel when ``card`` may hold a shortened form of the value the ``ASDF`` extension keeps."""
    reason = shortened(card, value)
    if reason is not None:
        raise NeedsModel(f"keyword {card.keyword}: {reason}")


def shortened(card: Any, value: object) -> str | None:
    """Why ``card`` (whose value is ``value``) may hold a shortened form of the value the ``ASDF`` extension
    keeps, or None when the card says the value exactly (the rules of the module docstring)."""
    kind = type(value)
    if kind is bool:
        return None
    if kind is int or isinstance(value, int | np.integer):
        return "an integer of 19 digits or more" if abs(int(value)) >= 10**18 else None  # pyright: ignore[reportArgumentType]  # an integer, checked above
    image = str(getattr(card, "_image", None) or card.image)
    text = image[10:] if image[8:10] == "= " else ""
    if isinstance(value, float | np.floating):
        number = text.split("/", 1)[0].strip()
        return "a float in all of FITS's 20 columns" if len(number) == _FLOAT_COLUMNS else None
    if isinstance(value, str):
        if len(value) + value.count("'") > _LONGEST_ONE_CARD_STRING:
            return "a string longer than one card"
        raw = _string_as_written(text, value)
        if len(raw) > _PADDED_STRING and raw.endswith(" "):
            return "a string ending in blanks"
        return None
    return f"a {type(value).__name__} value"


def _string_as_written(text: str, value: str) -> str:
    """The string a card's value field ``text`` holds, blanks kept, for a card read as ``value``: between its
    quotes when the value has none (the closing quote is then the first after the opening one; most cards),
    else as ``card_values`` reads it (the one parser of doubled quotes)."""
    if "'" not in value and text.startswith("'"):
        end = text.find("'", 1)
        if end > 0:
            return text[1:end]
    quoted = string_in_field(text)
    return quoted if quoted is not None else value


def _check_extension(hdul: Any, missing: list[FieldPlan], filename: str) -> None:
    """NeedsModel when a field whose card is missing has a value in the ``ASDF`` extension (one no card can
    hold is kept there alone; the model's open decides what to make of it). The extension's YAML is composed
    (libyaml, no objects built, tags left alone) and looked up along the field's path."""
    extension = next((hdu for hdu in hdul[1:] if str(hdu.name).upper() == EXTENSION_NAME), None)
    if extension is None:
        return
    where = f"{filename}: the ASDF extension"
    try:
        import yaml

        from jwstmodels._io.yaml_limits import (  # a scan's: an open does not import yaml_limits
            SMALL_DOCUMENT,
            check_document,
            check_size,
            check_tree,
            yaml_node_children,
        )

        data = extension.data
        payload = bytes(np.asarray(data[0][0]).tobytes()) if data is not None and len(data) else b""
        end = _YAML_END.search(payload)  # binary blocks may follow the document
        document = payload[: end.end()] if end else payload
        check_size(len(document), where)
        if len(document) > SMALL_DOCUMENT:
            check_document(document, where)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(document)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
        check_tree(root, where, yaml_node_children)
    except Exception as exc:  # a damaged extension: the model's open reports it in its own words
        raise NeedsModel(f"{where} cannot be read ({exc})") from None
    for plan in missing:
        place = ("meta", *plan.names) if plan.in_meta else plan.names
        if _node_at(root, place) is not None:
            raise NeedsModel(f"{where} holds {plan.field}, whose card is missing")


def _node_at(root: Any, place: Location) -> Any:
    """The composed YAML node at ``place`` (mapping keys), or None."""
    import yaml

    node = root
    for name in place:
        if not isinstance(node, yaml.MappingNode):
            return None
        node = next(
            (value for key, value in node.value if isinstance(key, yaml.ScalarNode) and key.value == name),
            None,
        )
    return node


def _meta_value(meta: MetaNode | None, names: Location) -> object:
    node: object = meta
    for name in names:
        node = getattr(node, name, None)
    return node
