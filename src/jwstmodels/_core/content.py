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

from collections.abc import Callable, Hashable, Mapping
from typing import Any

from numpy.typing import NDArray

from jwstmodels._core.arrays import DataField
from jwstmodels._core.class_cache import per_layout
from jwstmodels._core.lists import ListField
from jwstmodels._core.meta import MetaNode
from jwstmodels._core.scalars import ScalarField

Card = tuple[str, str | int | float | bool | None, str]
"""A FITS header card kept verbatim: (keyword, value, comment)."""

Loader = Callable[[], Any]
"""Reads an array or table from the open file when first called."""


# ModelLayout and FileContent are plain classes with ``__slots__`` rather than dataclasses: every fresh
# process that imports jwstmodels builds them, and a dataclass costs some 0.4 ms to build (its methods are
# generated and compiled). Both compare by identity.


class ModelLayout:
    """The per-class description of a model that backends read and write by, and the model layer's class
    tables. A model class holds its own as ``__jwst_layout__`` (made when the class is created; a framework
    dunder, as pydantic's ``__pydantic_fields__``: public to type checkers, never a schema field).

    Read-only once made (an assignment raises ``AttributeError``); compared and cached by identity (one per
    model class)."""

    __slots__ = (
        "caches",
        "created_arrays",
        "fields",
        "items",
        "list_fields",
        "meta_class",
        "name",
        "scalar_fields",
        "subclass_slots",
    )

    name: str
    """The model class's name, for messages."""
    meta_class: type[MetaNode]
    fields: Mapping[str, DataField]
    """Arrays and tables by attribute name (each knows its HDU, dtype and dimensionality)."""
    scalar_fields: Mapping[str, ScalarField[Any]]
    """Scalars outside ``meta`` by attribute name (``SlitModel.name``)."""
    items: Mapping[str, ModelLayout]
    """The layout of the items of each list field (``slits`` -> SlitModel's)."""
    list_fields: Mapping[str, ListField[Any]]
    """List fields by attribute name (``slits``), each knowing its item class."""
    created_arrays: tuple[str, ...]
    """Arrays besides the primary one that a model of the class holds from construction whenever it holds a
    primary array (``CreatedArrayField``s: ``CubeModel``'s ``dq`` and ``err``), as the reference's do."""
    subclass_slots: frozenset[str]
    """Attributes that subclasses of ``DataModel`` declare in ``__slots__``: the only extra attributes a
    model accepts."""
    caches: dict[Hashable, object]
    """What the backends work out once per layout (``_core.class_cache.per_layout``): kept here, so that the
    layout of a model class made at run time (``extend_schema``) takes it along when it goes."""

    def __init__(
        self,
        name: str,
        meta_class: type[MetaNode],
        fields: Mapping[str, DataField],
        scalar_fields: Mapping[str, ScalarField[Any]],
        items: Mapping[str, ModelLayout],
        list_fields: Mapping[str, ListField[Any]] | None = None,
        created_arrays: tuple[str, ...] = (),
        subclass_slots: frozenset[str] = frozenset(),
    ) -> None:
        setter = object.__setattr__  # past the read-only __setattr__ below
        setter(self, "name", name)
        setter(self, "meta_class", meta_class)
        setter(self, "fields", fields)
        setter(self, "scalar_fields", scalar_fields)
        setter(self, "items", items)
        setter(self, "list_fields", dict[str, ListField[Any]]() if list_fields is None else list_fields)
        setter(self, "created_arrays", created_arrays)
        setter(self, "subclass_slots", subclass_slots)
        setter(self, "caches", {})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"ModelLayout is read-only: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"ModelLayout is read-only: cannot delete {name!r}")

    def __repr__(self) -> str:
        return f"<ModelLayout of {self.name}>"


class FileContent:
    """What a file holds for one model (a reader's result), or what a model writes (a writer's input)."""

    __slots__ = (
        "arrays",
        "close_hooks",
        "extra_fits",
        "extra_hdus",
        "extra_tree",
        "filename",
        "items",
        "layout",
        "loaders",
        "meta",
        "model_type_place",
        "pass_invalid",
        "scalars",
        "shapes",
    )

    def __init__(
        self,
        layout: ModelLayout,
        filename: str | None = None,
        pass_invalid: bool = False,
        meta: MetaNode | None = None,
        scalars: dict[str, object] | None = None,
        loaders: dict[str, Loader] | None = None,
        shapes: dict[str, tuple[int, ...]] | None = None,
        arrays: list[tuple[str, DataField, NDArray[Any]]] | None = None,
        extra_fits: dict[str, list[Card]] | None = None,
        extra_tree: dict[str, Any] | None = None,
        extra_hdus: list[Any] | None = None,
        items: dict[str, list[FileContent]] | None = None,
        model_type_place: str | None = None,
        close_hooks: list[Callable[[], None]] | None = None,
    ) -> None:
        self.layout = layout
        self.filename = filename
        """The file read (None for a model to write that was not read)."""
        self.pass_invalid = pass_invalid
        """Values that do not fit stay in place (``pass_invalid``) instead of being kept aside."""
        self.meta = meta
        self.scalars: dict[str, object] = {} if scalars is None else scalars
        self.loaders: dict[str, Loader] = {} if loaders is None else loaders
        self.shapes: dict[str, tuple[int, ...]] = {} if shapes is None else shapes
        self.arrays: list[tuple[str, DataField, NDArray[Any]]] = [] if arrays is None else arrays
        self.extra_fits: dict[str, list[Card]] = {} if extra_fits is None else extra_fits
        self.extra_tree: dict[str, Any] = {} if extra_tree is None else extra_tree
        self.extra_hdus: list[Any] = [] if extra_hdus is None else extra_hdus
        """HDUs the schema does not describe (astropy HDU objects), in file order."""
        self.items: dict[str, list[FileContent]] = {} if items is None else items
        self.model_type_place = model_type_place
        """Where the file names its model type (``DATAMODL``, ``meta.model_type``), for the warning DataModel
        gives when no class has that type; None when the reader does not ask for it (FITS items)."""
        self.close_hooks: list[Callable[[], None]] = [] if close_hooks is None else close_hooks
        """Called when the model that adopts this content closes (marking its file closed, ``_sources``)."""

    def __repr__(self) -> str:
        return f"<FileContent of {self.layout.name} from {self.filename!r}>"

    @property
    def meta_tree(self) -> MetaNode:
        """``meta``, which every content handed to a writer has."""
        if self.meta is None:  # pragma: no cover - DataModel always gives its metadata
            raise ValueError(f"{self.layout.name}: no metadata to write")
        return self.meta


@per_layout
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
