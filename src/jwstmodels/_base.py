"""DataModel: the base class of every generated model class."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from ._arrays import ArrayStore, _Field
from ._meta import MetaNode

MetaT = TypeVar("MetaT", bound=MetaNode, covariant=True)


class DataModel(Generic[MetaT]):
    """Base class of all data models (placeholder: filled in by the runtime work)."""

    meta_class: ClassVar[type[MetaNode]]
    schema_name: ClassVar[str] = ""
    primary_array_name: ClassVar[str] = "data"
    _fields: ClassVar[dict[str, _Field]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        found: dict[str, _Field] = {}
        for klass in reversed(cls.__mro__):
            for name, value in vars(klass).items():
                if isinstance(value, _Field):
                    found[name] = value
        cls._fields = found

    def __init__(self) -> None:
        self._meta: MetaNode = self.meta_class()
        self._store = ArrayStore()

    @property
    def meta(self) -> MetaT:
        return self._meta  # type: ignore[return-value]  # placeholder

    @property
    def _arrays(self) -> ArrayStore:
        return self._store

    def _primary_shape(self) -> tuple[int, ...] | None:
        return None
