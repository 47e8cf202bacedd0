"""FITS layout of multi-model items (``slits``, ``spec``, ``exposures``, ``products``).

The layout is the one the JWST pipeline's data models write, so that files move both ways:

- Each item has its own set of HDUs, named as in a single model of the item's class (``SCI``, ``DQ``,
  ``WAVELENGTH``, ``EXTRACT1D``, ...) and told apart by ``EXTVER``: the first item's HDUs have
  ``EXTVER = 1``, the second's 2, and so on (``SCI,1 DQ,1 SCI,2 DQ,2 ...``).
- An item's keywords outside ``PRIMARY`` are cards of the item's own HDU of that name and version: its scalar
  fields (``SLTNAME``, ``SOURCEID`` in ``SCI`` or ``EXTRACT1D``) and its metadata keywords (``CRPIX1``,
  ``BUNIT``). An HDU that only carries keywords is written without data.
- The primary header belongs to the multi-model. The item fields the reference's item schemas do not store
  in item headers are kept in the ``ASDF`` extension only: an item's metadata keywords in ``PRIMARY``, and
  those the multi-model's own schema names in the same HDU (``MJD-BEG`` in ``SCI``: the multi-model's).
- The multi-model's keywords outside ``PRIMARY`` are cards of the first HDU of that name, ``EXTVER`` 1, which
  the first item shares when it uses that name (``SCI,1``). There a scalar field of the first item whose
  keyword the multi-model also names (``SRCTYPE``) is kept in the ``ASDF`` extension only; cards neither
  schema names belong to the first item when the HDU holds its data, else to the multi-model.
- The ``ASDF`` extension holds one subtree per item under the list's name (``slits: [...]``): the item's
  metadata and scalars, what the item read from a file that its schema does not describe, its ``PRIMARY``
  ``extra_fits`` cards, and for each array or table a reference to its HDU by name and version
  (``source: fits:SCI,2``), as the reference links them.

Reading, headers are authoritative for the keywords they carry, as for single models; the item subtrees of
the ``ASDF`` extension supply the rest. The number of items is the larger of the subtree count and the highest
``EXTVER`` of an item's HDU. Item arrays are read when first touched, as single-model arrays are.
"""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false
# (a typed boundary around astropy's
# HDU objects and asdf's tagged dicts, which ship no annotations)

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from astropy.io import fits

from jwstmodels._core.arrays import DataField, TableField
from jwstmodels._core.class_cache import per_layout
from jwstmodels._core.content import Card, FileContent, ModelLayout
from jwstmodels._core.errors import FileFormatError
from jwstmodels._core.header_carried import card_can_hold, drop_carried, restore_inexact, take_keyword_values
from jwstmodels._core.loading import Location
from jwstmodels._core.meta import KeywordLeaf
from jwstmodels._core.policy import apply_header, apply_tree, read_meta
from jwstmodels._io.fits_cards import (
    STRUCTURAL,
    append_card,
    attach_hdu,
    card_value,
    keyword_table,
    read_cards,
    scalar_cards,
    set_card,
    table_hdu,
    value_at,
)
from jwstmodels._io.history import read_asdf_lists

_PRIMARY = "PRIMARY"
# Keys asdf or the reference put at the root of a tree; an item's ``history`` is read by _history.
_BOOKKEEPING = frozenset({"asdf_library", "history", "_fits_hash", "extra_fits"})


@dataclass(frozen=True, slots=True, eq=False)  # compared (and cached) by identity: one per class and list
class _Layout:
    """Where the items of one list field of one multi-model class go."""

    list_name: str
    item: ModelLayout
    meta_keywords: Mapping[str, Mapping[str, KeywordLeaf]]
    """HDU name -> keyword -> item metadata field, for the item keywords stored in item headers."""
    meta_places: frozenset[tuple[str, ...]]
    """The places below ``meta`` of those fields (the headers own them)."""
    scalar_keywords: Mapping[str, frozenset[str]]
    """HDU name -> keywords of the item's scalar fields stored there (outside ``PRIMARY``)."""
    field_hdus: frozenset[str]
    """HDUs of the item's arrays and tables."""
    top_keywords: Mapping[str, frozenset[str]]
    """HDU name -> the multi-model's own keywords there."""
    top_field_hdus: frozenset[str]
    """HDUs of the multi-model's own arrays and tables."""
    top_hdus: frozenset[str]
    """Every HDU name the multi-model itself reads (the first HDU of each name)."""
    item_hdus: frozenset[str]
    """Every HDU name an item may use."""

    def owned(self, hdu_name: str) -> frozenset[str]:
        return self.top_keywords.get(hdu_name, frozenset())


@per_layout
def _layout(model: ModelLayout, list_name: str) -> _Layout:
    item = model.items[list_name]
    top_keywords = {hdu: frozenset(table) for hdu, table in keyword_table(model.meta_class).items()}
    top_hdus = {hdu for hdu in top_keywords} | {_hdu_name(field) for field in model.fields.values()}
    top_hdus |= {f.hdu.upper() for f in model.scalar_fields.values() if f.hdu is not None}
    meta_keywords = {
        hdu: {keyword: leaf for keyword, leaf in table.items() if keyword not in top_keywords.get(hdu, ())}
        for hdu, table in keyword_table(item.meta_class).items()
        if hdu != _PRIMARY
    }
    meta_keywords = {hdu: table for hdu, table in meta_keywords.items() if table}
    scalar_keywords: dict[str, set[str]] = {}
    for field in item.scalar_fields.values():
        if field.keyword is not None and field.hdu is not None and field.hdu.upper() != _PRIMARY:
            scalar_keywords.setdefault(field.hdu.upper(), set()).add(field.keyword)
    field_hdus = frozenset(_hdu_name(field) for field in item.fields.values())
    return _Layout(
        list_name=list_name,
        item=item,
        meta_keywords=meta_keywords,
        meta_places=frozenset(leaf.names for table in meta_keywords.values() for leaf in table.values()),
        scalar_keywords={hdu: frozenset(keywords) for hdu, keywords in scalar_keywords.items()},
        field_hdus=field_hdus,
        top_keywords=top_keywords,
        top_field_hdus=frozenset(_hdu_name(field) for field in model.fields.values()),
        top_hdus=frozenset(top_hdus),
        item_hdus=field_hdus | frozenset(meta_keywords) | frozenset(scalar_keywords),
    )


def _hdu_name(field: DataField) -> str:
    """The EXTNAME of a field's HDU: upper case, as FITS files hold names (a schema may say ``ps``)."""
    return field.hdu.upper()


def _layouts(layout: ModelLayout) -> list[_Layout]:
    return [_layout(layout, name) for name in layout.items]


# -- saving ------------------------------------------------------------------------------------------


def item_hdus(content: FileContent, top: dict[str, Any], tree: dict[str, Any]) -> list[Any]:
    """The HDUs of every item of a multi-model's ``content``, in item order; each item's subtree goes into
    ``tree``.

    ``top`` holds the multi-model's own HDUs by name. A header-only one whose name the first item uses for
    data is merged into the first item's HDU (its cards first) and removed from ``top``.
    """
    from jwstmodels._io.asdf_format import metadata_tree

    out: list[Any] = []
    for layout in _layouts(content.layout):
        items = content.items.get(layout.list_name)
        if not items:
            continue
        subtrees: list[dict[str, Any]] = []
        for index, item in enumerate(items):
            hdus, refs, carried = _item_hdus(item, index + 1, layout, top if index == 0 else None)
            subtree = metadata_tree(item)
            drop_carried(subtree, carried)
            subtree.update(refs)
            primary_cards = item.extra_fits.get(_PRIMARY)
            if primary_cards:
                subtree["extra_fits"] = {_PRIMARY: [list(card) for card in primary_cards]}
            subtrees.append(subtree)
            out += hdus
        tree[layout.list_name] = subtrees
    return out


def _item_hdus(
    item: FileContent, ver: int, layout: _Layout, shared: dict[str, Any] | None
) -> tuple[list[Any], dict[str, Any], set[tuple[str, ...]]]:
    """(the HDUs of one item, with EXTVER ``ver``; the ``fits:`` references to them by field name; the places
    below ``meta`` whose values the item's header cards carry exactly).

    ``shared`` is the multi-model's HDUs by name, given for the first item only.
    """
    hdus: dict[str, Any] = {}
    refs: dict[str, Any] = {}
    for attr, field, value in item.arrays:
        hdu_name = _hdu_name(field)  # EXTNAME: a schema may spell it in lower case (``ps``)
        if isinstance(field, TableField):
            hdu = table_hdu(field, value)
        else:
            hdu = fits.ImageHDU(data=value, name=hdu_name)
        hdu.ver = ver
        if shared is not None and hdu_name in shared:  # DataModel checks: the multi-model's has no data
            _copy_cards(shared.pop(hdu_name).header, hdu.header)
        hdus[hdu_name] = hdu
        refs[attr] = _fits_reference(hdu_name, ver, value)

    def header(hdu_name: str) -> fits.Header:
        hdu = hdus.get(hdu_name)
        if hdu is None:
            if shared is not None and hdu_name in shared:  # the multi-model's HDU X,1 carries the cards
                return cast(fits.Header, shared[hdu_name].header)
            hdu = hdus[hdu_name] = fits.ImageHDU(name=hdu_name, ver=ver)
        return cast(fits.Header, hdu.header)

    carried: set[tuple[str, ...]] = set()
    for hdu_name, table in layout.meta_keywords.items():
        for keyword, leaf in table.items():
            value = value_at(item.meta_tree, leaf.names)
            if value is not None and set_card(header(hdu_name), keyword, value, leaf.title):
                carried.add(leaf.names)
    for hdu_name, keywords in layout.scalar_keywords.items():
        # version 1 of a name the multi-model's schema uses is its header too: its keywords are its own
        owned = layout.owned(hdu_name) if ver == 1 else frozenset()
        for keyword, value, comment in scalar_cards(item, hdu_name):
            if keyword in keywords and keyword not in owned:
                set_card(header(hdu_name), keyword, value, comment)
    for hdu_name, cards in item.extra_fits.items():
        if hdu_name != _PRIMARY:
            target = header(hdu_name)
            for card in cards:
                append_card(target, card)
    extra: list[Any] = []
    for hdu in item.extra_hdus:  # HDUs the item's schema does not describe, with the item's version
        copied = hdu.copy()
        copied.ver = ver
        extra.append(copied)
    return [*hdus.values(), *extra], refs, carried


def _copy_cards(source: fits.Header, target: fits.Header) -> None:
    for card in source.cards:
        if not (card.keyword and STRUCTURAL.match(card.keyword)):
            target.append(card, end=True)


def _fits_reference(hdu_name: str, ver: int, value: np.ndarray[Any, Any]) -> Any:
    """An ASDF ndarray node whose data are HDU ``hdu_name``, version ``ver``, of the surrounding FITS file
    (astropy writes them big-endian)."""
    import asdf.tagged
    import asdf.versioning
    from asdf.tags.core.ndarray import numpy_dtype_to_asdf_datatype

    datatype, byteorder = numpy_dtype_to_asdf_datatype(
        value.dtype, include_byteorder=True, override_byteorder="big"
    )
    version = "1.1.0" if asdf.versioning.default_version > "1.5.0" else "1.0.0"
    node = {
        "source": f"fits:{hdu_name},{ver}",
        "datatype": datatype,
        "byteorder": byteorder,
        "shape": list(value.shape),
    }
    return asdf.tagged.TaggedDict(node, f"tag:stsci.edu:asdf/core/ndarray-{version}")


# -- reading -----------------------------------------------------------------------------------------


def read_items(
    content: FileContent, hdul: fits.HDUList, stored: Mapping[str, Any] | None, filename: str
) -> None:
    """Fill the items of a multi-model's ``content`` that ``_fits.read_fits`` has just read from ``hdul``.

    ``stored`` is the tree of the file's ``ASDF`` extension (None without one). The HDUs the items use are
    taken out of the multi-model's unknown HDUs, and the cards the first item reads in a header it shares
    with the multi-model out of the multi-model's ``extra_fits``.
    """
    claimed: set[int] = set()
    for layout in _layouts(content.layout):
        found = stored.get(layout.list_name) if stored is not None else None
        subtrees = cast(list[object], found) if isinstance(found, list) else []
        by_item, top_picks = _index(hdul, layout)
        # Item HDUs count an item, except the multi-model's own: a header for its keywords alone, or its data.
        versions = [
            ver
            for ver, hdus in by_item.items()
            if any(
                id(hdu) not in top_picks or (_holds_data(hdu) and name not in layout.top_field_hdus)
                for name, hdu in hdus.items()
            )
        ]
        count = max([len(subtrees), *versions])
        if not count:
            continue
        items: list[FileContent] = []
        for index in range(count):
            subtree = subtrees[index] if index < len(subtrees) else {}
            if not isinstance(subtree, Mapping):
                raise FileFormatError(
                    f"{filename}: ASDF extension, {layout.list_name}[{index}] is not a mapping"
                )
            hdus = by_item.get(index + 1, {})
            claimed.update(id(hdu) for hdu in hdus.values() if id(hdu) not in top_picks)
            tree = dict(cast(Mapping[str, Any], subtree))
            items.append(_read_item(content, layout, index, hdus, top_picks, tree, filename))
        content.items[layout.list_name] = items
        _take_shared_cards(content, layout, top_picks, by_item.get(1, {}))
    if claimed:
        content.extra_hdus = [hdu for hdu in content.extra_hdus if id(hdu) not in claimed]


def _index(hdul: fits.HDUList, layout: _Layout) -> tuple[dict[int, dict[str, Any]], set[int]]:
    """(EXTVER -> HDU name -> HDU, for every HDU an item may use; ids of the HDUs the multi-model reads).

    The multi-model reads the first HDU of each name it knows (as ``_fits.read_fits`` does); the first item
    shares it when it is version 1 of a name items use too.
    """
    by_item: dict[int, dict[str, Any]] = {}
    top_picks: set[int] = set()
    seen: set[str] = set()
    for hdu in cast(list[Any], hdul[1:]):
        name = str(hdu.name).upper()
        if name in layout.top_hdus and name not in seen:
            seen.add(name)
            top_picks.add(id(hdu))
        if name in layout.item_hdus:
            by_item.setdefault(int(hdu.ver), {}).setdefault(name, hdu)
    return by_item, top_picks


def _holds_data(hdu: Any) -> bool:
    return int(hdu.header.get("NAXIS", 0)) > 0


def _read_item(
    content: FileContent,
    layout: _Layout,
    index: int,
    hdus: dict[str, Any],
    top_picks: set[int],
    tree: dict[str, Any],
    filename: str,
) -> FileContent:
    item = FileContent(layout.item, filename, content.pass_invalid)
    place = f"{layout.list_name}[{index}]"
    ver = index + 1
    meta_tree = _plain(tree.pop("meta", None))
    # headers are authoritative: a keyword missing there is unset, but for what _header_carried restores
    inexact = take_keyword_values(meta_tree, layout.meta_places)

    # Scalars: from the subtree, then from the headers (which win). In a header the first item shares with
    # the multi-model, the multi-model's keywords are not the item's: its value for them is in the subtree.
    header_scalars = {
        name
        for name, field in layout.item.scalar_fields.items()
        if field.keyword is not None
        and field.hdu is not None
        and field.keyword in layout.scalar_keywords.get(field.hdu.upper(), ())
        and not _owned_here(layout, hdus, top_picks, field.hdu.upper(), field.keyword)
    }
    from_tree = {  # a value no card can hold has no card: the subtree keeps it (see _header_carried)
        key: value for key, value in tree.items() if key not in header_scalars or not card_can_hold(value)
    }
    scalars = apply_tree(item, from_tree, f"{filename}: ASDF extension, {place}")
    scalars |= header_scalars & tree.keys()

    where_cards: dict[Location, tuple[str, Any]] = {}
    for hdu_name, hdu in hdus.items():
        shared = id(hdu) in top_picks
        owned = layout.owned(hdu_name) if shared else frozenset()
        header: Any = hdu.header
        if owned:
            header = {card.keyword: card.value for card in header.cards if card.keyword not in owned}
        consumed = (
            apply_header(item, hdu_name, header, f"{filename}: HDU {hdu_name},{ver} ({place})")
            if hdu_name in layout.scalar_keywords
            else set[str]()
        )
        read_cards(
            item,
            hdu_name,
            hdu,
            layout.meta_keywords.get(hdu_name, {}),
            meta_tree,
            where_cards,
            skip=consumed | owned,
            keep_unknown=not shared or hdu_name in layout.field_hdus,
            filename=filename,
        )

    restore_inexact(meta_tree, inexact, where_cards)
    lists = read_meta(
        item,
        meta_tree,
        tree_place=f"{filename}: ASDF extension, {place}.",
        cards=where_cards,
        hdu_place=lambda hdu: f"{filename}: HDU {hdu},{ver} ({place})",
    )
    read_asdf_lists(item, lists, tree, f"{filename}: ASDF extension, {place}")

    for key, value in tree.items():
        if key in scalars or key in layout.item.fields or key in _BOOKKEEPING:
            continue  # arrays are read from their HDUs
        item.extra_tree[key] = value
    kept = tree.get("extra_fits")
    if isinstance(kept, Mapping):
        for hdu_name, cards in cast(Mapping[str, Any], kept).items():
            item.extra_fits.setdefault(str(hdu_name), []).extend(_cards(cards))

    for attr, field in layout.item.fields.items():
        hdu_name = _hdu_name(field)
        hdu = hdus.get(hdu_name)
        if (
            hdu is None
            or not _holds_data(hdu)
            or (id(hdu) in top_picks and hdu_name in layout.top_field_hdus)
        ):
            continue
        attach_hdu(item, attr, field, hdu, f"{filename}: HDU {hdu_name},{ver} ({place})")
    return item


def _owned_here(
    layout: _Layout, hdus: dict[str, Any], top_picks: set[int], hdu_name: str, keyword: str
) -> bool:
    """True when ``keyword`` of this item's HDU ``hdu_name`` is the multi-model's (a shared header)."""
    hdu = hdus.get(hdu_name)
    return hdu is not None and id(hdu) in top_picks and keyword in layout.owned(hdu_name)


def _take_shared_cards(
    content: FileContent, layout: _Layout, top_picks: set[int], first: dict[str, Any]
) -> None:
    """Take out of the multi-model's ``extra_fits`` the cards of a header it shares with the first item
    (``first``: the first item's HDUs by name) that belong to the item."""
    for hdu_name, hdu in first.items():
        if id(hdu) not in top_picks or hdu_name not in content.extra_fits:
            continue
        owned = layout.owned(hdu_name)
        item_known = set(layout.meta_keywords.get(hdu_name, {})) | layout.scalar_keywords.get(hdu_name, set())
        to_item = hdu_name in layout.field_hdus
        kept = [
            card
            for card in content.extra_fits[hdu_name]
            if card[0] in owned or (card[0] not in item_known and not to_item)
        ]
        if kept:
            content.extra_fits[hdu_name] = kept
        else:
            del content.extra_fits[hdu_name]


def _plain(value: object) -> dict[str, Any]:
    """A mapping of the parsed extension as a dict we may change (the parse is ours alone)."""
    if isinstance(value, dict):
        return cast(dict[str, Any], value)
    return dict(cast(Mapping[str, Any], value)) if isinstance(value, Mapping) else {}


def _cards(cards: object) -> list[Card]:
    out: list[Card] = []
    if isinstance(cards, list):
        for card in cast(list[Any], cards):
            if isinstance(card, list | tuple) and len(cast(list[Any], card)) == 3:
                keyword, value, comment = cast(list[Any], card)
                out.append((str(keyword), card_value(value), str(comment)))
    return out
