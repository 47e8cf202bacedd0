"""Schema look-ups for people: search by text, find where a FITS keyword lives.

Answers come from the generated class declarations (field titles, FITS keywords, array fields) of a model, or
of its run-time extension (``extend_schema``), never from YAML.
"""

# pyright: reportPrivateUsage=false
# (runtime module: it reads the field tables of model classes)

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from ._meta import scalar_leaves

if TYPE_CHECKING:
    from ._base import DataModel
    from ._meta import MetaNode


class SchemaMatch(NamedTuple):
    """One search result: the dotted path, its title, and its FITS keyword and HDU when it has them."""

    path: str
    title: str
    keyword: str | None
    hdu: str | None


def schema_entries(model: DataModel[MetaNode] | type[DataModel[MetaNode]]) -> list[SchemaMatch]:
    """Every metadata scalar, top-level scalar (``name``), array, table and list of a model class (or of a
    model, extensions included)."""
    meta_class: type[MetaNode] = model.meta_class if isinstance(model, type) else type(model.meta)
    fields: dict[str, Any] = model._fields
    entries = [
        SchemaMatch(leaf.path, leaf.title, leaf.keyword, leaf.hdu if leaf.keyword else None)
        for leaf in scalar_leaves(meta_class)
    ]
    entries += [
        SchemaMatch(name, field.title, field.keyword, field.hdu)
        for name, field in model._scalar_fields.items()
    ]
    entries += [SchemaMatch(name, field.title, None, field.hdu) for name, field in fields.items()]
    entries += [SchemaMatch(name, field.title, None, None) for name, field in model._list_fields.items()]
    return entries


def search_schema(
    model: DataModel[MetaNode] | type[DataModel[MetaNode]], substring: str
) -> list[SchemaMatch]:
    """Entries whose path, title, keyword or HDU contains ``substring`` (case-insensitive)."""
    needle = substring.lower()
    return [
        entry
        for entry in schema_entries(model)
        if any(needle in (text or "").lower() for text in (entry.path, entry.title, entry.keyword, entry.hdu))
    ]


def find_fits_keyword(model: DataModel[MetaNode] | type[DataModel[MetaNode]], keyword: str) -> list[str]:
    """Dotted paths (``meta.observation.date``; ``name`` for a top-level scalar) of the fields stored as FITS
    ``keyword``, any case."""
    wanted = keyword.strip().upper()
    return [
        entry.path
        for entry in schema_entries(model)
        if entry.keyword is not None and entry.keyword.upper() == wanted
    ]
