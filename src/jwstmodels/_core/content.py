"""The interface between models and the I/O backends: what a file holds for one model, as plain typed data.

A backend never sees a model. ``DataModel`` hands a writer a :class:`FileContent` describing what to write
(its metadata tree, scalars, the arrays to save, what an earlier file held that the schema does not describe,
the items of its lists) and adopts the :class:`FileContent` a reader returns. Both are described by the
model class's :class:`ModelLayout`: the fields a backend reads and writes by.

Reading, a content holds:

- ``meta``: the metadata tree, validated under the file-value policy (``_loading``): values that do not fit
  were reported and kept aside (``extra_fits`` for a header card, ``extra_tree`` otherwise) or, with
  ``pass_invalid``, kept in place;
- ``scalars``: the values of the top-level scalar fields, checked the same way;
- ``loaders`` and ``shapes``: the arrays and tables, read when first touched, and their shapes from the
  headers;
- ``extra_fits``, ``extra_tree``, ``extra_hdus``: the content the schema does not describe, kept to be
  written back;
- ``items``: one content per item of each list field (``slits``, ...).

Writing, ``arrays`` holds the arrays and tables to write (name, field, value) instead of loaders.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from numpy.typing import NDArray

from jwstmodels._core.arrays import DataField
from jwstmodels._core.lists import ListField
from jwstmodels._core.meta import MetaNode
from jwstmodels._core.scalars import ScalarField

Card = tuple[str, str | int | float | bool | None, str]
"""A FITS header card kept verbatim: (keyword, value, comment)."""

Loader = Callable[[], Any]
"""Reads an array or table from the open file when first called."""


@dataclass(frozen=True, slots=True, eq=False)  # compared (and cached) by identity: one per model class
class ModelLayout:
    """The per-class description of a model that backends read and write by, and the model layer's class
    tables. A model class holds its own as ``__jwst_layout__`` (made when the class is created; a framework
    dunder, as pydantic's ``__pydantic_fields__``: public to type checkers, never a schema field)."""

    name: str
    """The model class's name, for messages."""
    meta_class: type[MetaNode]
    fields: Mapping[str, DataField]
    """Arrays and tables by attribute name (each knows its HDU, dtype and dimensionality)."""
    scalar_fields: Mapping[str, ScalarField[Any]]
    """Scalars outside ``meta`` by attribute name (``SlitModel.name``)."""
    items: Mapping[str, ModelLayout]
    """The layout of the items of each list field (``slits`` -> SlitModel's)."""
    list_fields: Mapping[str, ListField[Any]] = field(default_factory=dict[str, ListField[Any]])
    """List fields by attribute name (``slits``), each knowing its item class."""
    created_arrays: tuple[str, ...] = ()
    """Arrays besides the primary one that a model of the class holds from construction whenever it holds a
    primary array (``CreatedArrayField``s: ``CubeModel``'s ``dq`` and ``err``), as the reference's do."""
    subclass_slots: frozenset[str] = frozenset()
    """Attributes that subclasses of ``DataModel`` declare in ``__slots__``: the only extra attributes a
    model accepts."""


@dataclass(slots=True, eq=False)
class FileContent:
    """What a file holds for one model (a reader's result), or what a model writes (a writer's input)."""

    layout: ModelLayout
    filename: str | None = None
    """The file read (None for a model to write that was not read)."""
    pass_invalid: bool = False
    """Values that do not fit stay in place (``pass_invalid_values``) instead of being kept aside."""
    meta: MetaNode | None = None
    scalars: dict[str, object] = field(default_factory=dict[str, object])
    loaders: dict[str, Loader] = field(default_factory=dict[str, Loader])
    shapes: dict[str, tuple[int, ...]] = field(default_factory=dict[str, tuple[int, ...]])
    arrays: list[tuple[str, DataField, NDArray[Any]]] = field(
        default_factory=list[tuple[str, DataField, NDArray[Any]]]
    )
    extra_fits: dict[str, list[Card]] = field(default_factory=dict[str, list[Card]])
    extra_tree: dict[str, Any] = field(default_factory=dict[str, Any])
    extra_hdus: list[Any] = field(default_factory=list[Any])
    """HDUs the schema does not describe (astropy HDU objects), in file order."""
    items: dict[str, list[FileContent]] = field(default_factory=dict[str, list["FileContent"]])
    model_type_place: str | None = None
    """Where the file names its model type (``DATAMODL``, ``meta.model_type``), for the warning DataModel
    gives when no class has that type; None when the reader does not ask for it (FITS items)."""
    close_hooks: list[Callable[[], None]] = field(default_factory=list[Callable[[], None]])
    """Called when the model that adopts this content closes (marking its file closed, ``_sources``)."""

    @property
    def meta_tree(self) -> MetaNode:
        """``meta``, which every content handed to a writer has."""
        if self.meta is None:  # pragma: no cover - DataModel always gives its metadata
            raise ValueError(f"{self.layout.name}: no metadata to write")
        return self.meta


@functools.cache
def scalars_by_hdu(layout: ModelLayout) -> dict[str, tuple[ScalarField[Any], ...]]:
    """The scalar fields with a FITS keyword, by the upper-case name of the HDU whose header holds them."""
    table: dict[str, list[ScalarField[Any]]] = {}
    for scalar in layout.scalar_fields.values():
        if scalar.keyword is not None and scalar.hdu is not None:
            table.setdefault(scalar.hdu.upper(), []).append(scalar)
    return {hdu: tuple(fields) for hdu, fields in table.items()}


def scalar_hdus(layout: ModelLayout) -> tuple[str, ...]:
    """Names of the HDUs whose headers hold scalar fields, spelt as the schema spells them."""
    return tuple(dict.fromkeys(f.hdu for f in layout.scalar_fields.values() if f.hdu is not None))
