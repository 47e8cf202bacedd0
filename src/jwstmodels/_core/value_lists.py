"""Lists of values at a model's top level, outside ``meta``: ``WavelengthrangeModel.order``, ``slices``.

Generated model classes declare them as class attributes::

    order = ValueListField[list[int]](int, title="Spectral orders")
    waverange_selector = ValueListField[list[list[float]]](float, depth=2, title="...")

so that ``model.order`` is typed ``list[int] | None``. Such lists have no FITS keyword: they live in the ASDF
tree (in FITS files, in the ``ASDF`` extension), beside the scalars without a keyword, and share their
machinery (a :class:`ValueListField` is a :class:`~jwstmodels.base.ScalarField` whose value is a list).

Assignment follows the validation policy: the value must be a list (of lists, ``depth`` levels) of the item
kind, with no value crossing kinds (an int is accepted for a float, a bool is not an int); the field keeps a
copy, so later changes to the list given do not bypass the check. Reading a file accepts tuples and numpy
arrays of the right kind; a value that does not fit warns and is kept aside, as for scalars.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar, Union, cast, overload

import numpy as np
from pydantic import ValidationError as PydanticError

from jwstmodels._core.scalars import ScalarField, Value

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from jwstmodels._core.owners import ScalarOwner

L = TypeVar("L", bound=list[Any])

_ITEM_NAMES: dict[type, str] = {str: "str", int: "int", float: "float", bool: "bool"}


class ValueListField(ScalarField[Any], Generic[L]):
    """A list of str, int, float or bool values (``depth`` 2: a list of such lists) at the model's top level.

    ``item`` is the kind of the innermost values; the list itself has no FITS keyword.
    """

    def __init__(
        self, item: type[Value] | tuple[type[Value], ...], *, depth: int = 1, title: str = ""
    ) -> None:
        kinds = item if isinstance(item, tuple) else (item,)
        if not kinds or any(k not in _ITEM_NAMES for k in kinds):
            raise TypeError(
                f"ValueListField: item must be str, int, float or bool (or a tuple), not {item!r}"
            )
        if depth < 1:
            raise TypeError(f"ValueListField: depth must be at least 1, not {depth}")
        self.item: type[Value] = kinds[0]
        self.items: tuple[type[Value], ...] = kinds
        """The kinds a value may have (several: a wavelength range entry mixes numbers and names)."""
        self.depth = depth
        self.kind = cast(type[Value], list)  # not one of the scalar kinds (scans see no scalar type)
        self.enum = None
        self.keyword = None
        self.hdu = None
        self.title = title
        self.default = None
        self.name = ""
        self.owner_name = ""
        from pydantic import ConfigDict, TypeAdapter  # a class with a value list is built: not before

        self._strict: TypeAdapter[Any] = TypeAdapter(self.annotation, config=ConfigDict(strict=True))

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> Self: ...
    @overload
    def __get__(self, obj: ScalarOwner, objtype: type | None = None) -> L | None: ...
    def __get__(self, obj: ScalarOwner | None, objtype: type | None = None) -> Self | L | None:
        if obj is None:
            return self
        return cast("L | None", obj.__jwst_state__.scalars.get(self.name))

    def __set__(self, obj: ScalarOwner, value: L | None) -> None:
        super().__set__(obj, value)

    @property
    def annotation(self) -> Any:
        """``list[float] | None``, ``list[list[float]] | None``."""
        inner: Any = Union[self.items] if len(self.items) > 1 else self.item  # noqa: UP007
        for _ in range(self.depth):
            inner = list[inner]
        return inner | None

    def describe(self) -> str:
        """``list of float or None``, ``list of lists of int or None``."""
        kinds = " or ".join(_ITEM_NAMES[k] for k in self.items)
        return "list of " + "lists of " * (self.depth - 1) + f"{kinds} or None"

    def check_assigned(self, value: object, model: str | None = None) -> Any:
        """A copy of ``value`` when it is a list (of lists) of the item kind; ValidationError otherwise."""
        if value is None:
            return None
        if float in self.items and int not in self.items:
            value = _widen_ints(value, self.depth)
        try:
            return self._strict.validate_python(value)
        except PydanticError:
            raise self.error(model, value) from None

    def check(self, value: object, model: str | None = None) -> Any:
        """``value`` read from a file (tuples and numpy arrays become lists); ValidationError otherwise."""
        if value is None:
            return None
        return self.check_assigned(_plain(value), model)


def _plain(value: object) -> object:
    """Tuples, numpy arrays and numpy scalars of a file as Python lists and values."""
    if isinstance(value, np.ndarray | np.generic):
        return cast(object, value.tolist())
    if hasattr(value, "__array__") and not isinstance(value, str | bytes):  # an ASDF file's lazy array
        return cast(object, np.asarray(value).tolist())
    if isinstance(value, list | tuple):
        return [_plain(v) for v in cast(list[object] | tuple[object, ...], value)]
    return value


def _widen_ints(value: object, depth: int) -> object:
    """Ints (never bools) as floats at the innermost level, so a float list takes ``[1, 2.5]``."""
    if not isinstance(value, list):
        return value
    items = cast(list[object], value)
    if depth > 1:
        return [_widen_ints(v, depth - 1) for v in items]
    return [float(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in items]
