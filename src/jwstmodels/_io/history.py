"""``meta.history``: typed history entries, kept where each file format keeps them.

- ASDF files keep the history at the root of the tree, as the ASDF standard says:
  ``history: {entries: [...]}`` (older files: a plain list), each entry tagged ``history_entry`` with
  ``description``, ``time`` and ``software``. They are read into, and written from, ``model.meta.history``.
- FITS files keep one HISTORY card per entry in the primary header; astropy continues a text longer than a
  card (72 columns) on the next cards. The ``ASDF`` extension of the file holds the entries whole (time,
  software, the exact text). Reading, the cards are authoritative (as headers are for keywords): cards that
  spell an extension entry's text become that entry; any other card becomes an entry of its text alone (a
  card filled to the last column is continued by the next one, as astropy writes). An extension entry
  whose cards are gone is dropped. HISTORY cards never stay in ``extra_fits`` (saving would repeat them).
"""

# pyright: reportUnknownMemberType=false
# (astropy's Header is untyped)

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast, get_args

from pydantic import ValidationError as PydanticValidationError

from jwstmodels._core.class_cache import per_class
from jwstmodels._core.content import FileContent
from jwstmodels._core.meta_lists import Found, HistoryList, ListItem, ListLeaf, is_list_type
from jwstmodels._core.policy import put_list, put_lists

if TYPE_CHECKING:
    from astropy.io import fits

    from jwstmodels._core.meta import MetaNode

NAMES = ("history",)
"""Where the history sits below ``meta``."""
ENTRY_TAG = "tag:stsci.edu:asdf/core/history_entry-1.0.0"
SOFTWARE_TAG = "tag:stsci.edu:asdf/core/software-1.0.0"
CARD_TEXT = 72
"""Columns of text a HISTORY card holds (80 minus the keyword field)."""
_NOT_PRINTABLE = re.compile(r"[^ -~]")


@per_class
def history_leaf(meta_class: type[MetaNode]) -> ListLeaf | None:
    """The ``meta.history`` list of a meta class, when it has one of entries with a ``description``.

    Looked up by name (the field sits right below ``meta``): a save asks for it first, and the walk over every
    list field of the tree (``list_leaves``) costs a fresh process milliseconds."""
    info = meta_class.model_fields.get(NAMES[0])
    annotation: object = info.annotation if info is not None else None
    if annotation is None or not (
        is_list_type(annotation) or any(is_list_type(arg) for arg in get_args(annotation))
    ):
        return None
    leaf = ListLeaf(NAMES, annotation)
    item = leaf.item_class
    return leaf if item is not None and "description" in item.model_fields else None


def root_entries(history: object) -> list[object] | None:
    """The entries of a tree root's ``history``: ``{entries: [...]}`` or the older plain list."""
    if isinstance(history, Mapping):
        history = cast(Mapping[str, object], history).get("entries")
    return list(cast(Sequence[object], history)) if isinstance(history, list) else None


def _plain(raw: object) -> object:
    """An entry as read (asdf's tagged dicts, a one-element software list) as plain data to validate."""
    if not isinstance(raw, Mapping):
        return raw
    entry = {str(k): v for k, v in cast(Mapping[object, object], raw).items()}
    software = entry.get("software")
    if isinstance(software, list) and len(cast(list[object], software)) == 1:
        software = cast(list[object], software)[0]  # the standard allows one program or a list of them
    if isinstance(software, Mapping):
        entry["software"] = {str(k): v for k, v in cast(Mapping[object, object], software).items()}
    return entry


# -- ASDF ---------------------------------------------------------------------------------------------


def read_asdf_lists(content: FileContent, found: Found, tree: Mapping[str, object], filename: str) -> None:
    """Put the lists of an ASDF tree into ``content.meta``: the root history and those ``read_meta`` found."""
    leaf = history_leaf(type(content.meta_tree))
    if leaf is not None:
        entries = root_entries(tree.get("history"))
        if entries is not None:
            put_list(
                content, leaf, [_plain(e) for e in entries], f"{filename}: ", keep=("history", "entries")
            )
        elif NAMES in found:  # not where the standard puts it, but where our field is
            put_list(content, leaf, found[NAMES], f"{filename}: ")
    put_lists(content, found, f"{filename}: ", skip=NAMES if leaf is not None else ())


def history_to_root(content: FileContent, tree: dict[str, Any]) -> None:
    """Move the dumped ``meta.history`` of a file's tree to the root, as tagged ASDF history entries."""
    meta = cast(dict[str, Any], tree.get("meta", {}))
    if history_leaf(type(content.meta_tree)) is None or "history" not in meta:
        return
    entries = meta.pop("history")
    if isinstance(entries, list) and entries:
        tree["history"] = {"entries": [_tagged(entry) for entry in cast(list[object], entries)]}


def _tagged(entry: object) -> object:
    """An entry as the ASDF standard writes it: tagged ``history_entry``, its software tagged ``software``
    (TaggedMapping: a save to FITS writes them without importing asdf)."""
    from jwstmodels._io.asdf_blocks import TaggedMapping  # a save's: an open does not import asdf_blocks

    if not isinstance(entry, dict):
        return entry  # a value kept as read (pass_invalid_values): written as it is
    tagged = dict(cast(dict[str, object], entry))
    software = tagged.get("software")
    if isinstance(software, dict):
        tagged["software"] = TaggedMapping(cast(dict[str, object], software), SOFTWARE_TAG)
    return TaggedMapping(tagged, ENTRY_TAG)


# -- FITS ---------------------------------------------------------------------------------------------


def card_text(description: str) -> str:
    """What a HISTORY card can hold of ``description``: printable ASCII (line breaks become spaces, other
    characters ``?``); the ASDF extension keeps the exact text."""
    return _NOT_PRINTABLE.sub(lambda m: " " if m.group().isspace() else "?", description)


def card_lines(description: str) -> list[str]:
    """The values astropy reads back from the HISTORY cards it writes for ``description``."""
    text = card_text(description)
    return [text[start : start + CARD_TEXT].rstrip() for start in range(0, max(len(text), 1), CARD_TEXT)]


def read_fits_lists(
    content: FileContent, found: Found, stored: Mapping[str, object] | None, filename: str
) -> None:
    """Put the lists of a FITS file into ``content.meta``: history from the primary HISTORY cards (taken out
    of ``extra_fits``), enriched by the ASDF extension's entries; the other lists from the extension."""
    meta = content.meta_tree
    leaf = history_leaf(type(meta))
    if leaf is not None:
        item_class = leaf.item_class
        assert item_class is not None
        primary = content.extra_fits.get("PRIMARY", [])
        cards = [str(value or "") for keyword, value, _ in primary if keyword == "HISTORY"]
        if cards:
            content.extra_fits["PRIMARY"] = [card for card in primary if card[0] != "HISTORY"]
            if not content.extra_fits["PRIMARY"]:
                del content.extra_fits["PRIMARY"]
        richer = root_entries(stored.get("history")) if stored is not None else None
        if richer is None and isinstance(found.get(NAMES), list):
            richer = cast(list[object], found[NAMES])
        vars(meta)["history"] = HistoryList.of(
            item_class, entries_from_cards(item_class, cards, richer or [])
        )
    put_lists(content, found, f"{filename}: ASDF extension, ", skip=NAMES if leaf is not None else ())


def entries_from_cards(item_class: type[ListItem], cards: list[str], stored: list[object]) -> list[ListItem]:
    """History entries from HISTORY card values, in card order; see the module docstring."""
    candidates: dict[str, list[tuple[int, list[str], ListItem]]] = {}
    for index, raw in enumerate(stored):
        try:
            entry = item_class.model_validate(_plain(raw))
        except PydanticValidationError:
            continue  # cards alone then
        lines = card_lines(cast(str, getattr(entry, "description", "")))
        candidates.setdefault(lines[0], []).append((index, lines, entry))

    def match(at: int, after: int) -> tuple[int, list[str], ListItem] | None:
        for candidate in candidates.get(cards[at], ()):
            index, lines, _ = candidate
            if index >= after and cards[at : at + len(lines)] == lines:
                return candidate
        return None

    entries: list[ListItem] = []
    at = after = 0
    while at < len(cards):
        found = match(at, after)
        if found is not None:
            after, lines, entry = found[0] + 1, found[1], found[2]
            entries.append(entry)
            at += len(lines)
            continue
        end = at + 1
        while len(cards[end - 1]) == CARD_TEXT and end < len(cards) and match(end, after) is None:
            end += 1  # a filled card continues on the next one
        entries.append(item_class.model_validate({"description": "".join(cards[at:end])}))
        at = end
    return entries


def write_history_cards(content: FileContent, header: fits.Header) -> None:
    """One HISTORY card per entry (more for a long text) at the end of the primary header."""
    meta = content.meta_tree
    if history_leaf(type(meta)) is None:
        return
    entries: list[object] = list(cast(list[object], vars(meta).get("history") or []))
    if not entries:  # a history kept as read because it did not fit: its texts still go to the cards
        entries = root_entries(content.extra_tree.get("history")) or []
    for entry in entries:
        description: object = (
            cast(Mapping[str, object], entry).get("description")
            if isinstance(entry, Mapping)
            else getattr(entry, "description", None)
        )
        if isinstance(description, str):
            header.add_history(card_text(description))
