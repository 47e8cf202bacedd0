"""What the field descriptors of the core need of the model they sit on, as protocols.

``ScalarField`` (and ``ObjectField``, ``ValueListField``) keep a model's top-level scalars in its ``_scalars``
mapping; ``ListField`` keeps its lists in ``_lists``. ``DataModel`` (``jwstmodels._model``, a layer above) is
the one class providing them; naming these protocols instead of ``DataModel`` keeps the core below the model
layer, annotations included (import-linter checks the imports under ``TYPE_CHECKING`` too).
"""

from __future__ import annotations

from typing import Any, Protocol


class ScalarOwner(Protocol):
    """A model as a scalar field sees it: the values of its top-level scalars, by field name."""

    _scalars: dict[str, object]


class ListOwner(Protocol):
    """A model as a list field sees it: its lists of item models, by field name."""

    _lists: dict[str, list[Any]]
