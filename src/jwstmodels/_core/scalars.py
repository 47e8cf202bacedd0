"""Typed scalar fields at a model's top level, outside ``meta``: ``SlitModel.name``, ``SpecModel.source_id``.

Generated model classes declare them as class attributes::

    name = ScalarField(str, keyword="SLTNAME", hdu="SCI", title="Name of the slit")
    source_type = ScalarField[Literal["EXTENDED", "POINT"]](str, enum=("EXTENDED", "POINT"), keyword=...)

so that ``slit.name`` is typed ``str | None`` and ``slit.source_type`` a ``Literal[...] | None``. Values live
in the model instance (``model.__jwst_state__.scalars``, by field name); an unset field reads None. Assignment
follows the validation policy: a value of the wrong kind raises :class:`~jwstmodels.ValidationError` naming
the model, the field and its FITS keyword, and leaves the field unchanged. No value crosses kinds
(``assigned``): an int is accepted for a float field, but a bool is not an int, a str never a number, a number
never a str.

The functions below are what the file readers and writers use; they work per HDU so that a writer laying out
several items (one set of HDUs per item, ``EXTVER``) can call them for each item:

- :func:`scalar_cards` -- the ``(keyword, value, comment)`` cards of one HDU's header, for writing.
- :func:`apply_header` -- fill the fields of one HDU from its header (the validation policy of reading).
- :func:`scalar_tree` / :func:`apply_tree` -- the same for the top-level keys of an ASDF tree.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, Literal, Self, TypeVar, cast, overload

import numpy as np

from jwstmodels._core.errors import ValidationError
from jwstmodels._core.meta import REFUSED, assigned

if TYPE_CHECKING:
    from jwstmodels._core.owners import ScalarOwner

Value = str | int | float | bool
"""What a scalar field holds (besides None)."""


T = TypeVar("T", bound=Value)

_KIND_NAMES: dict[type, str] = {str: "str", int: "int", float: "float", bool: "bool"}


class ScalarField(Generic[T]):
    """A str, int, float or bool (or one of an enumeration) at the model's top level.

    ``keyword``/``hdu``: the FITS header card that stores it (None for fields that only ASDF stores).
    ``default`` is the schema's default, for documentation: an unset field reads None, as metadata does.
    """

    @overload
    def __init__(
        self,
        kind: type[T],
        *,
        enum: tuple[T, ...] | None = None,
        keyword: str | None = None,
        hdu: str | None = None,
        title: str = "",
        default: T | None = None,
    ) -> None: ...
    @overload
    def __init__(
        self,
        kind: type[str] | type[int] | type[float] | type[bool],
        *,
        enum: tuple[T, ...],
        keyword: str | None = None,
        hdu: str | None = None,
        title: str = "",
        default: T | None = None,
    ) -> None: ...
    def __init__(
        self,
        kind: type[Any],
        *,
        enum: tuple[Any, ...] | None = None,
        keyword: str | None = None,
        hdu: str | None = None,
        title: str = "",
        default: Any = None,
    ) -> None:
        if kind not in _KIND_NAMES:
            raise TypeError(f"ScalarField: kind must be str, int, float or bool, not {kind!r}")
        self.kind: type[Value] = kind
        self.enum: tuple[Value, ...] | None = enum
        self.keyword = keyword.upper() if keyword else None
        self.hdu = (hdu or "PRIMARY") if keyword else None
        self.title = title
        self.default: Value | None = default
        self.name = ""
        self.owner_name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.owner_name = owner.__name__

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> Self: ...
    @overload
    def __get__(self, obj: ScalarOwner, objtype: type | None = None) -> T | None: ...
    def __get__(self, obj: ScalarOwner | None, objtype: type | None = None) -> Self | T | None:
        if obj is None:
            return self
        return cast("T | None", obj.__jwst_state__.scalars.get(self.name))

    def __set__(self, obj: ScalarOwner, value: T | None) -> None:
        checked = self.check_assigned(value, type(obj).__name__)
        scalars = obj.__jwst_state__.scalars
        if checked is None:
            scalars.pop(self.name, None)
        else:
            scalars[self.name] = checked

    # -- validation ---------------------------------------------------------------------------------

    @property
    def annotation(self) -> Any:
        """The field's type as an annotation: ``str | None``, ``Literal["A", "B"] | None``."""
        if self.enum is not None:
            return cast(Any, Literal)[self.enum] | None
        return self.kind | None

    def describe(self) -> str:
        """Human text of what the field accepts: ``int or None``, ``one of 'A', 'B' or None``."""
        if self.enum is not None:
            return "one of " + ", ".join(repr(v) for v in self.enum) + " or None"
        return f"{_KIND_NAMES[self.kind]} or None"

    def error(self, model: str | None, got: object) -> ValidationError:
        return ValidationError.for_field(
            model=model or self.owner_name,
            path=self.name,
            keyword=self.keyword,
            hdu=self.hdu,
            expected=self.describe(),
            got=got,
        )

    def check_assigned(self, value: object, model: str | None = None) -> T | None:
        """``value`` as this field stores it when assigned (``assigned``: no value crosses kinds, an int
        widens into a float field); ValidationError otherwise."""
        if value is None:
            return None
        stored = assigned(frozenset((self.kind,)), value)
        if stored is REFUSED or (self.enum is not None and stored not in self.enum):
            raise self.error(model, value)
        return cast(T, stored)

    def check(self, value: object, model: str | None = None) -> T | None:
        """``value`` as this field holds it (numpy scalars become Python ones); ValidationError otherwise."""
        if value is None:
            return None
        converted = _convert(self.kind, value)
        if converted is None or (self.enum is not None and converted not in self.enum):
            raise self.error(model, value)
        return cast(T, converted)


def _convert(kind: type[Value], value: object) -> Value | None:
    """``value`` as a ``kind``; None when it is not one (bools are not numbers, strings never numbers)."""
    is_bool = isinstance(value, bool | np.bool_)
    if kind is bool:
        return bool(cast(Any, value)) if is_bool else None
    if is_bool or isinstance(value, str | bytes):
        return str(value) if kind is str and isinstance(value, str) else None
    if kind is str:
        return None
    if kind is int:
        if isinstance(value, numbers.Integral):
            return int(value)
        if isinstance(value, numbers.Real) and float(value).is_integer():
            return int(float(value))
        return None
    if isinstance(value, numbers.Real):
        return float(value)
    return None


# -- FITS headers ---------------------------------------------------------------------------------------


# -- ASDF trees -----------------------------------------------------------------------------------------


# -- DataModel API helpers ------------------------------------------------------------------------------


def scalar_errors(
    fields: Mapping[str, ScalarField[Any]], values: Mapping[str, object], model: str
) -> list[ValidationError]:
    """A ValidationError for each of ``fields`` whose value in ``values`` does not fit (``validate()`` of a
    model of class ``model``)."""
    errors: list[ValidationError] = []
    for name, value in values.items():
        field = fields.get(name)
        if field is None:
            continue
        try:
            field.check(value, model)
        except ValidationError as exc:
            errors.append(exc)
    return errors


def checked_values(
    fields: Mapping[str, ScalarField[Any]],
    pairs: Iterable[tuple[str, object]],
    hdus: set[str] | None,
    model: str,
) -> tuple[list[tuple[str, Value | None]], list[ValidationError]]:
    """The ``(name, value)`` pairs for ``fields`` (of a model of class ``model``), each checked, for
    ``update``.

    ``hdus`` (upper-case names) keeps only fields stored in those HDUs. Returns the values that fit and a
    ValidationError for each that does not; nothing is assigned.
    """
    good: list[tuple[str, Value | None]] = []
    errors: list[ValidationError] = []
    for name, value in pairs:
        field = fields[name]
        if hdus is not None and (field.hdu is None or field.hdu.upper() not in hdus):
            continue
        try:
            good.append((name, field.check_assigned(value, model)))
        except ValidationError as exc:
            errors.append(exc)
    return good, errors
