"""``ModelParts``: a model as the operations ``DataModel`` delegates to see it.

Saving, schema extension, ``update``, the schema search, pickling and the reference's API (``_model.saving``,
``extend``, ``update``, ``schema_search``, ``pickling``, ``compat_api``) work on a model's class description
and state. They name this protocol instead of ``DataModel``, which imports them: the model layer's lower
modules stay below ``datamodel``, annotations included (import-linter checks the imports under
``TYPE_CHECKING`` too). ``DataModel`` is the one class providing it (pyright checks that it does wherever
``DataModel`` hands itself to these functions).

The protocol has no private members: the class's description is ``__jwst_layout__`` (a
``_core.content.ModelLayout``: fields, list fields, scalar fields, created arrays, subclass slots) and the
model's state ``__jwst_state__`` (a ``_core.state.ModelState``: array store, scalars, lists, kept-aside
content, options), framework dunders as pydantic's ``__pydantic_fields__``; the rest is the model's public
API. A helper that needs the state alone takes the state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:
    import os
    from pathlib import Path

    from jwstmodels._core.content import Card, ModelLayout
    from jwstmodels._core.meta import MetaNode
    from jwstmodels._core.state import ModelState


class ModelParts(Protocol):
    """The class description, per-model state and public API of a data model (``DataModel`` has each)."""

    __jwst_layout__: ClassVar[ModelLayout]

    @property
    def __jwst_state__(self) -> ModelState: ...

    extra_fits: dict[str, list[Card]]
    filename: str | None

    @property
    def meta(self) -> MetaNode:
        """The metadata tree (read-only here: each model class narrows its type)."""
        ...

    @property
    def shape(self) -> tuple[int, ...] | None: ...

    def array_names(self) -> list[str]: ...

    def to_flat_dict(self, include_arrays: bool = True) -> dict[str, object]: ...

    def validate(self) -> None: ...

    def on_save(self, path: str | os.PathLike[str] | None = None) -> None: ...

    def to_fits(self, path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> Path: ...

    def to_asdf(self, path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> Path: ...
