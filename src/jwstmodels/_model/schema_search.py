"""Schema look-ups for people: search by text, find where a FITS keyword lives.

Answers come from the generated class declarations (field titles, FITS keywords, array fields) of a model, or
of its run-time extension (``extend_schema``), never from YAML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from jwstmodels._core.meta import scalar_leaves

if TYPE_CHECKING:
    from jwstmodels._core.arrays import DataField
    from jwstmodels._core.meta import MetaNode
    from jwstmodels._model.parts import ModelParts


class SchemaMatch(NamedTuple):
    """One search result: the dotted path, its title, and its FITS keyword and HDU when it has them."""

    path: str
    title: str
    keyword: str | None
    hdu: str | None


def schema_entries(model: ModelParts | type[ModelParts]) -> list[SchemaMatch]:
    """Every metadata scalar, top-level scalar (``name``), array, table and list of a model class (or of a
    model, extensions included)."""
    layout = model.__jwst_layout__
    meta_class: type[MetaNode] = layout.meta_class if isinstance(model, type) else type(model.meta)
    fields: Mapping[str, Any] = layout.fields
    entries = [
        SchemaMatch(leaf.path, leaf.title, leaf.keyword, leaf.hdu if leaf.keyword else None)
        for leaf in scalar_leaves(meta_class)
    ]
    entries += [
        SchemaMatch(name, field.title, field.keyword, field.hdu)
        for name, field in layout.scalar_fields.items()
    ]
    entries += [SchemaMatch(name, field.title, None, field.hdu) for name, field in fields.items()]
    entries += [SchemaMatch(name, field.title, None, None) for name, field in layout.list_fields.items()]
    return entries


def data_fields(model: ModelParts | type[ModelParts]) -> dict[str, DataField]:
    """The array and table fields of a model class (or of a model, extensions included), by attribute name,
    in declaration order (for the command line, which does not read a model's internals)."""
    return dict(model.__jwst_layout__.fields)


def list_names(model: ModelParts | type[ModelParts]) -> list[str]:
    """The list fields of a model class (or of a model), in declaration order: ``["slits"]``."""
    return list(model.__jwst_layout__.list_fields)


def search_schema(model: ModelParts | type[ModelParts], substring: str) -> list[SchemaMatch]:
    """Entries matching ``substring`` (case-insensitive, see ``matches``): entries that hold the whole text
    come first, then those that hold each of its words somewhere."""
    return ranked(schema_entries(model), substring)


def ranked(entries: Iterable[SchemaMatch], query: str) -> list[SchemaMatch]:
    """The entries that ``matches`` ``query``, best first (each group in schema order): those whose field
    name (the path's last part) or keyword is the text, those holding the whole text, those whose field
    name holds every word, whose path does, and last those holding each word in one of path, title,
    keyword or HDU."""
    needle = query.strip().lower()
    words = query_words(query)
    groups: tuple[list[SchemaMatch], ...] = ([], [], [], [], [])
    for entry in entries:
        texts = _texts(entry)
        name = texts[0].rsplit(".", 1)[-1]
        if needle and needle in (name, texts[2]):
            groups[0].append(entry)
        elif any(needle in text for text in texts):
            groups[1].append(entry)
        elif not words:
            continue
        elif all(word in name for word in words):
            groups[2].append(entry)
        elif all(word in texts[0] for word in words):
            groups[3].append(entry)
        elif all(any(word in text for text in texts) for word in words):
            groups[4].append(entry)
    return [entry for group in groups for entry in group]


def query_words(query: str) -> list[str]:
    """The words of a query, lower-case: split on blanks, ``_`` and ``.`` (``"exposure time"`` and
    ``"exposure_time"`` both give ``["exposure", "time"]``)."""
    return [word for word in re.split(r"[\s_.]+", query.lower()) if word]


def matches(entry: SchemaMatch, query: str) -> bool:
    """True when ``entry`` holds ``query``: the whole text in its path, title, keyword or HDU, or each word
    of it (blanks, ``_`` and ``.`` separate words) in one of them (``"exposure time"`` matches
    ``meta.exposure.exposure_time``). Case-insensitive."""
    return bool(ranked([entry], query))


def _texts(entry: SchemaMatch) -> tuple[str, ...]:
    return tuple((text or "").lower() for text in (entry.path, entry.title, entry.keyword, entry.hdu))


def find_fits_keyword(model: ModelParts | type[ModelParts], keyword: str) -> list[str]:
    """Dotted paths (``meta.observation.date``; ``name`` for a top-level scalar) of the fields stored as FITS
    ``keyword``, any case."""
    wanted = keyword.strip().upper()
    return [
        entry.path
        for entry in schema_entries(model)
        if entry.keyword is not None and entry.keyword.upper() == wanted
    ]
