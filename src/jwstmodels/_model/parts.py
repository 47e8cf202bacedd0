"""``ModelParts``: a model as the operations ``DataModel`` delegates to see it.

Schema extension, ``update``, the schema search, pickling and the reference's API (``_model.extend``,
``update``, ``schema_search``, ``pickling``, ``compat_api``) work on a model's class tables and state. They
name this protocol instead of ``DataModel``, which imports them: the model layer's lower modules stay below
``datamodel``, annotations included (import-linter checks the imports under ``TYPE_CHECKING`` too).
``DataModel`` is the one class providing it (pyright checks that it does wherever ``DataModel`` hands
itself to these functions).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:
    from jwstmodels._core.arrays import ArrayStore, DataField
    from jwstmodels._core.content import Card, FileContent, ModelLayout
    from jwstmodels._core.lists import ListField
    from jwstmodels._core.meta import MetaNode
    from jwstmodels._core.scalars import ScalarField


class ModelParts(Protocol):
    """The class tables and per-model state of a data model (``DataModel`` declares each)."""

    _fields: ClassVar[dict[str, DataField]]
    _list_fields: ClassVar[dict[str, ListField[Any]]]
    _scalar_fields: ClassVar[dict[str, ScalarField[Any]]]
    _subclass_slots: ClassVar[frozenset[str]]

    _store: ArrayStore
    _shape: tuple[int, ...] | None
    _pass_invalid: bool
    _extensions: tuple[object, ...]
    _extra_tree: dict[str, Any]
    _extra_hdus: list[Any]
    _lists: dict[str, list[Any]]
    _scalars: dict[str, object]
    extra_fits: dict[str, list[Card]]
    filename: str | None

    @property
    def meta(self) -> MetaNode:
        """The metadata tree (read-only here: each model class narrows its type)."""
        ...

    def array_names(self) -> list[str]: ...

    def to_flat_dict(self, include_arrays: bool = True) -> dict[str, object]: ...

    @classmethod
    def _layout(cls) -> ModelLayout: ...

    def _file_content(self) -> FileContent: ...

    def _primary_shape(self) -> tuple[int, ...] | None: ...
