"""Schema look-ups for people: search by text, find where a FITS keyword lives.

Answers come from the generated class declarations (field titles, FITS keywords, array fields), never from
YAML.
"""

# pyright: reportPrivateUsage=false
# (runtime module: it reads the field tables of model classes)

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

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


def schema_entries(model_class: type[DataModel[MetaNode]]) -> list[SchemaMatch]:
    """Every metadata scalar, array and table of a model class."""
    entries = [
        SchemaMatch(leaf.path, leaf.title, leaf.keyword, leaf.hdu if leaf.keyword else None)
        for leaf in scalar_leaves(model_class.meta_class)
    ]
    entries += [
        SchemaMatch(name, field.title, None, field.hdu) for name, field in model_class._fields.items()
    ]
    entries += [
        SchemaMatch(name, field.title, None, None) for name, field in model_class._list_fields.items()
    ]
    return entries


def search_schema(model_class: type[DataModel[MetaNode]], substring: str) -> list[SchemaMatch]:
    """Entries whose path, title, keyword or HDU contains ``substring`` (case-insensitive)."""
    needle = substring.lower()
    return [
        entry
        for entry in schema_entries(model_class)
        if any(needle in (text or "").lower() for text in (entry.path, entry.title, entry.keyword, entry.hdu))
    ]


def find_fits_keyword(model_class: type[DataModel[MetaNode]], keyword: str) -> list[str]:
    """Dotted paths (below ``meta``, as the reference gives them) of the fields stored as ``keyword``."""
    wanted = keyword.strip().upper()
    return [
        entry.path.removeprefix("meta.")
        for entry in schema_entries(model_class)
        if entry.keyword is not None and entry.keyword.upper() == wanted
    ]
