"""What the field descriptors of the core need of the object they sit on, as protocols.

Each names one attribute, ``__jwst_state__``: the owner's per-instance state (``_core.state``).
``ScalarField`` (and ``ObjectField``, ``ValueListField``, ``NodeField``) keep their values in its ``scalars``;
``ListField`` and the array and table fields need a whole ``ModelState`` (``lists``, ``store``).
``DataModel`` (``jwstmodels._model``, a layer above) provides a ``ModelState``; ``TreeObject``
(``_core.objects``) a ``ScalarValues``. Naming these protocols instead of ``DataModel`` keeps the core below
the model layer, annotations included (import-linter checks the imports under ``TYPE_CHECKING`` too).

The attribute is a framework dunder, as pydantic's ``__pydantic_fields__``: type checkers treat it as public,
it cannot collide with a schema field, and it does not look like user API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from jwstmodels._core.state import ModelState, ScalarValues


class ScalarOwner(Protocol):
    """An owner as a scalar field sees it: the values of its scalar fields, by field name."""

    @property
    def __jwst_state__(self) -> ScalarValues: ...


class ModelOwner(Protocol):
    """A model as a list, array or table field sees it: its whole per-model state."""

    @property
    def __jwst_state__(self) -> ModelState: ...
