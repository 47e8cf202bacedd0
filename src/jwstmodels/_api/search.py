"""``jwstmodels.search_schema``: schema search across the whole catalogue, or in one model class named by
its model type. Above the generated classes (it reads the catalogue's tables); one model's own search is
``_schema_search``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jwstmodels._api.opening import model_class
from jwstmodels._core.meta import scalar_leaves
from jwstmodels._model.schema_search import SchemaMatch, ranked, search_schema

if TYPE_CHECKING:
    from jwstmodels._core.meta import MetaNode
    from jwstmodels._model.datamodel import DataModel


def search_everywhere(
    query: str, model: DataModel[MetaNode] | type[DataModel[MetaNode]] | str | None = None
) -> list[SchemaMatch]:
    """``jwstmodels.search_schema``: schema entries matching ``query`` (as ``Model.search_schema`` matches).

    ``model`` (a model class, a model, or a model type such as ``"ImageModel"``) limits the search to that
    model, its arrays and tables included; without it every model's metadata and top-level scalars are
    searched, each path once.
    """
    if isinstance(model, str):
        found = model_class(model)
        if found is None:
            raise ValueError(f"search_schema: no model class is named {model!r}")
        model = found
    if model is not None:
        return search_schema(model, query)
    from jwstmodels_generated.lookup import MODEL_CLASSES

    # A module-wide search reads every class's declarations (it imports each model module once).
    entries: dict[str, SchemaMatch] = {}
    for model_type in dict.fromkeys(name for _, name in MODEL_CLASSES.values()):
        cls = model_class(model_type)
        if cls is None:
            continue
        for leaf in scalar_leaves(cls.meta_class):
            hdu = leaf.hdu if leaf.keyword else None
            entries.setdefault(leaf.path, SchemaMatch(leaf.path, leaf.title, leaf.keyword, hdu))
        for name, field in cls.__jwst_layout__.scalar_fields.items():
            entries.setdefault(name, SchemaMatch(name, field.title, field.keyword, field.hdu))
    return ranked(entries.values(), query)
