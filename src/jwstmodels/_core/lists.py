"""Typed list fields of multi-models: ``MultiSlitModel.slits`` is a ``list[SlitModel]``.

Generated classes declare ``slits = ListField(SlitModel, title=...)``. The list lives in the model instance;
assigning a new list checks that every item is a model of the declared class.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar, overload

from jwstmodels._core.errors import ValidationError

if TYPE_CHECKING:
    from jwstmodels._core.owners import ModelOwner

ItemT = TypeVar("ItemT", bound="ModelOwner")
"""The item class: a model (``SlitModel``); the bound is a protocol ``DataModel`` (a layer above) meets."""


class ListField(Generic[ItemT]):
    """A list of item models (slits, spectra, exposures, products)."""

    def __init__(self, item_class: type[ItemT], *, title: str = "") -> None:
        self.item_class = item_class
        self.title = title
        self.name = ""
        self.owner_name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.owner_name = owner.__name__

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> Self: ...
    @overload
    def __get__(self, obj: ModelOwner, objtype: type | None = None) -> list[ItemT]: ...
    def __get__(self, obj: ModelOwner | None, objtype: type | None = None) -> Self | list[ItemT]:
        if obj is None:
            return self
        lists: dict[str, list[Any]] = obj.__jwst_state__.lists
        return lists.setdefault(self.name, [])

    def __set__(self, obj: ModelOwner, value: Iterable[ItemT]) -> None:
        items = list(value)
        for index, item in enumerate(items):
            if not isinstance(item, self.item_class):
                raise ValidationError.for_field(
                    model=self.owner_name,
                    path=f"{self.name}[{index}]",
                    keyword=None,
                    hdu=None,
                    expected=f"a {self.item_class.__name__}",
                    got=f"<{type(item).__name__}>",
                )
        obj.__jwst_state__.lists[self.name] = items
