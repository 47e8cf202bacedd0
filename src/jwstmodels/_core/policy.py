"""The file-value policy, applied here for every format: values read from a file into a :class:`FileContent`.

- A value that fits its field goes in.
- A value that does not fit warns (:class:`~jwstmodels.InvalidValueWarning`) naming the file, the place (HDU
  and keyword, or the place in the ASDF tree) and the value, and is kept aside so that saving writes it back:
  as its card in ``extra_fits`` when it came from a header card, else in ``extra_tree``. With
  ``pass_invalid_values=True`` it is kept in place instead (``content.pass_invalid``).
- Keys the schema does not know go to ``extra_tree`` silently (they are not errors in a file).

The backends (``_fits``, ``_fits_items``, ``_asdf``, ``_history``) gather the raw values and their origin;
the functions below decide. ``_loading.build_meta`` validates a metadata tree field by field and reports
what does not fit to the callbacks made here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, cast

import numpy as np
import pydantic
from pydantic import ValidationError as PydanticValidationError

from jwstmodels._core.content import FileContent, scalars_by_hdu
from jwstmodels._core.errors import ValidationError
from jwstmodels._core.file_kinds import keep_in_place, take_other_kinds
from jwstmodels._core.header_carried import card_can_hold
from jwstmodels._core.loading import Location, build_meta, put_path, warn_invalid
from jwstmodels._core.meta import MetaNode
from jwstmodels._core.meta_lists import Found, ListLeaf, describe_list, list_leaves, take_lists
from jwstmodels._core.objects import TreeObject, object_class, object_members
from jwstmodels._core.scalars import ScalarField


def read_meta(
    content: FileContent,
    tree: Mapping[str, object],
    *,
    tree_place: str,
    cards: Mapping[Location, tuple[str, Any]] | None = None,
    hdu_place: Callable[[str], str] | None = None,
    sparse: bool = False,
) -> Found:
    """Validate a file's metadata ``tree`` into ``content.meta``; return the values of its list fields, taken
    out to be read whole (``put_lists``, ``_history``).

    ``cards`` maps the places whose values came from header cards to (HDU name, card); ``hdu_place`` names
    such an HDU in messages (``x.fits: HDU SCI``). Other values came from a tree: ``tree_place`` prefixes
    their dotted path in messages (``x.fits: ASDF extension, `` or ``x.asdf: ``). ``sparse``: the nodes hold
    only what ``tree`` gives (``loading.build_meta``).
    """
    layout = content.layout
    origins = cards or {}

    def on_invalid(loc: Location, value: object, expected: str) -> None:
        path = "meta." + ".".join(loc)
        origin = origins.get(loc)
        if origin is None or hdu_place is None:
            warn_invalid(f"{tree_place}{path}", value, expected)
            if not content.pass_invalid:
                put_path(content.extra_tree, ("meta", *loc), value)
            return
        hdu_name, card = origin
        warn_invalid(f"{hdu_place(hdu_name)}, keyword {card.keyword} ({path})", value, expected)
        if not content.pass_invalid:
            content.extra_fits.setdefault(hdu_name, []).append(
                (card.keyword, _card_value(value), card.comment)
            )

    def on_unknown(loc: Location, value: object) -> None:
        put_path(content.extra_tree, ("meta", *loc), value)

    checked, other_kinds = take_other_kinds(layout.meta_class, tree, on_invalid)  # NFRAMES = T, ...
    rest, lists = take_lists(layout.meta_class, checked)
    meta = build_meta(
        layout.meta_class,
        rest,
        on_invalid=on_invalid,
        on_unknown=on_unknown,
        keep_invalid=content.pass_invalid,
        sparse=sparse,
    )
    meta.attach(layout.name)
    if content.pass_invalid:
        keep_in_place(meta, other_kinds)
    content.meta = meta
    return lists


def apply_header(content: FileContent, hdu: str, header: Any, where: str) -> set[str]:
    """Fill the scalar fields that live in HDU ``hdu`` from its ``header`` (an astropy Header or a mapping).

    Returns the keywords consumed, which the caller must not also keep as unknown cards. A value that does not
    fit warns (``where`` names the file and HDU) and is kept as its card in ``extra_fits[hdu]`` (in place with
    ``pass_invalid``). Keywords absent from the header leave their fields alone.
    """
    consumed: set[str] = set()
    for field in scalars_by_hdu(content.layout).get(hdu.upper(), ()):
        keyword = cast(str, field.keyword)
        if keyword not in header:
            continue
        consumed.add(keyword)
        value: object = header[keyword]
        if type(value).__name__ == "Undefined":  # astropy's value of a card without one
            continue
        try:
            content.scalars[field.name] = field.check(value, content.layout.name)
        except ValidationError:
            _warn(f"{where}, keyword {keyword} ({field.name})", value, field)
            if content.pass_invalid:
                content.scalars[field.name] = value
            else:
                comment = _comment(header, keyword)
                content.extra_fits.setdefault(hdu, []).append((keyword, _scalar_card(value), comment))
    return consumed


def apply_tree(
    content: FileContent, tree: Mapping[str, object], where: str, *, headers_own_keywords: bool = False
) -> set[str]:
    """Fill scalar fields from the top-level keys of an ASDF tree; returns the keys that are scalar fields.

    ``headers_own_keywords``: the tree is the ``ASDF`` extension of a FITS file, whose headers are
    authoritative for fields with a FITS keyword; those keys are consumed without being read. A value that
    does not fit warns (``where`` names the file) and is kept in ``extra_tree`` (in place with
    ``pass_invalid``).
    """
    fields = content.layout.scalar_fields
    consumed: set[str] = set()
    for key, value in tree.items():
        field = fields.get(key)
        if field is None:
            continue
        consumed.add(key)
        if headers_own_keywords and field.keyword is not None and card_can_hold(value):
            continue  # a value no card can hold has no card: the extension keeps it (see _header_carried)
        held, members = object_class(field), object_members(value)
        if held is not None and members is not None:  # an object outside meta: read member by member
            checked = _tree_object(content, held, members, f"{where}: {key}")
        else:
            try:
                checked = field.check(value, content.layout.name)
            except ValidationError:
                _warn(f"{where}: {key}", value, field)
                if content.pass_invalid:
                    content.scalars[key] = value
                else:
                    content.extra_tree[key] = value
                continue
        if checked is not None:
            content.scalars[key] = checked
    return consumed


def _tree_object(
    content: FileContent, held: type[TreeObject], node: Mapping[str, object], where: str
) -> TreeObject:
    """An object outside ``meta`` read member by member: a member that does not fit warns (naming its place
    below the object) and is kept in the object (aside, or in place with ``pass_invalid``); the others are
    read."""

    def on_invalid(place: str, value: object, expected: str) -> bool:
        warn_invalid(f"{where}.{place}", value, expected)
        return content.pass_invalid

    return held.from_tree(node, content.layout.name, on_invalid)


def put_list(
    content: FileContent,
    leaf: ListLeaf,
    value: object,
    where: str,
    keep: tuple[str, ...] | None = None,
) -> None:
    """Validate a list read from a file into its field of ``content.meta``.

    One that does not fit warns (``where`` names file and place) and is kept: in place with ``pass_invalid``,
    else verbatim in ``extra_tree`` at ``keep`` (default: its own place below ``meta``).
    """
    node = _node_at(content.meta_tree, leaf.names[:-1])
    name = leaf.names[-1]
    try:
        vars(node)[name] = _adapter(leaf.annotation).validate_python(value)
        return
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        cause = first.get("ctx", {}).get("error")  # an item's own ValidationError, raised while building it
        message = str(cause) if isinstance(cause, ValidationError) else str(first["msg"])
        inside = ", ".join(f"item {part}" if isinstance(part, int) else part for part in first["loc"])
        detail = f"{inside}: {message}" if inside else message
        warn_invalid(f"{where}{leaf.path}", value, f"{describe_list(leaf.annotation)}; {detail}")
    if content.pass_invalid:
        vars(node)[name] = value
    else:
        put_path(content.extra_tree, keep or ("meta", *leaf.names), value)


def put_lists(content: FileContent, found: Found, where: str, skip: tuple[str, ...] = ()) -> None:
    """Put the list values ``read_meta`` took out into ``content.meta`` (names in ``skip`` are left out)."""
    for leaf in list_leaves(type(content.meta_tree)):
        if leaf.names in found and leaf.names != skip:
            put_list(content, leaf, found[leaf.names], where)


def _comment(header: Any, keyword: str) -> str:
    comments = getattr(header, "comments", None)
    try:
        return str(comments[keyword]) if comments is not None else ""
    except (KeyError, IndexError):
        return ""


def _scalar_card(value: object) -> str | int | float | bool | None:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _card_value(value: object) -> str | int | float | bool | None:
    """A metadata value kept as a card: as read (numpy scalars as Python ones); astropy's undefined value as
    None (this module does not import astropy)."""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, np.generic):
        return cast(str | int | float | bool, value.item())
    return None if value is None or type(value).__name__ == "Undefined" else str(value)


def _warn(where: str, value: object, field: ScalarField[Any]) -> None:
    warn_invalid(where, value, field.describe())


@functools.cache
def _adapter(annotation: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(annotation)


def _node_at(meta: MetaNode, names: tuple[str, ...]) -> MetaNode:
    node = meta
    for name in names:
        node = cast(MetaNode, node.__dict__[name])
    return node
