"""Typed array and table fields of data models.

Generated model classes declare their arrays as class attributes::

    data = ArrayField(np.float32, hdu="SCI", ndim=2, default=0.0)

so that ``model.dq`` is typed ``NDArray[np.uint32] | None``. The descriptor keeps the values in the model's
``ArrayStore`` (``_core.state``), loads arrays from an open file only when they are touched, and casts or
refuses assigned values by the schema's dtype and dimensionality. An array the model does not hold reads as
``None``: nothing is made on first use (as in the reference implementation, where pipeline code asks ``is
None``). Setting ``None`` or ``del model.x`` removes an array.

The arrays a model creates when it is constructed (its primary array from a shape, and for some classes
``dq``, ``err``, ``pixeldq``, ``groupdq`` sized after it, as the reference's models do) are declared with
:class:`CreatedArrayField`, typed ``NDArray[...]`` without ``None``: reading one the model does not hold (an
empty model, or one whose array was removed) raises AttributeError instead of giving ``None``, so the static
type is exact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar, cast, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jwstmodels._core.errors import FileChangedError, FileFormatError, ValidationError, explain_library_error
from jwstmodels._core.state import Loader
from jwstmodels._core.tables import Table, memory_dtype

if TYPE_CHECKING:
    from jwstmodels._core.owners import ModelOwner

DT = TypeVar("DT", bound=np.generic)


class _Field:
    """Behaviour shared by array and table fields."""

    name: str = ""
    owner_name: str = ""
    hdu: str
    title: str
    dtype: np.dtype[Any]
    default: float | int

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.owner_name = owner.__name__

    def _error(self, expected: str, got: object) -> ValidationError:
        return ValidationError.for_field(
            model=self.owner_name, path=self.name, keyword=None, hdu=self.hdu, expected=expected, got=str(got)
        )

    def file_error(self, where: str, found: str) -> ValidationError:
        """The error for a file whose HDU cannot fill this field (``where`` names the file and HDU)."""
        error = self._error(self.describe(), f"<{found}>")
        error.args = (f"{where}: {error}",)
        return error

    def _load(self, obj: ModelOwner) -> NDArray[Any] | None:
        """The array: held, or read from the file now; None when the model does not hold it."""
        store = obj.__jwst_state__.store
        value = store.values.get(self.name)
        if value is not None:
            return value
        with store.lock(self.name):
            value = store.values.get(self.name)  # read by another thread while this one waited
            if value is not None:
                return value
            loader = store.loaders.get(self.name)
            if loader is not None:
                value = self._read(obj, loader)
                store.values[self.name] = value
                del store.loaders[self.name]  # only now: a thread that checks after this finds the value
                return value
            return None

    def _read(self, obj: ModelOwner, loader: Loader) -> NDArray[Any]:
        """The array ``loader`` reads from a file, coerced; errors name the model, the array, the file and
        the HDU (FITS) or node (ASDF) it comes from."""
        model = type(obj).__name__
        where = str(getattr(loader, "where", "") or "the model's file")
        try:
            raw = loader()
        except FileChangedError as exc:
            raise FileChangedError(f"{model}.{self.name}: {exc}") from None
        except (ValidationError, FileFormatError, MemoryError):
            raise
        except Exception as exc:  # astropy and asdf raise many kinds for a damaged file
            raise FileFormatError(
                f"{where}: {model}.{self.name} cannot be read: {explain_library_error(exc)}"
            ) from exc
        try:
            return self.coerce(raw)
        except ValidationError as exc:
            error = ValidationError.for_field(
                model=model,
                path=self.name,
                keyword=None,
                hdu=getattr(loader, "hdu_name", self.hdu),
                expected=exc.expected,
                got=exc.got,
            )
            error.args = (f"{where}: {error}",)
            raise error from None

    def _store(self, obj: ModelOwner, value: object) -> None:
        store = obj.__jwst_state__.store
        if value is None:
            store.remove(self.name)
            return
        coerced = self.coerce(value)
        with store.lock(self.name):
            store.values[self.name] = coerced
            store.loaders.pop(self.name, None)
            store.shapes.pop(self.name, None)

    def __delete__(self, obj: ModelOwner) -> None:
        """``del model.dq``: the model no longer holds the array (AttributeError when it did not)."""
        store = obj.__jwst_state__.store
        if not store.is_present(self.name):
            raise AttributeError(f"{type(obj).__name__}.{self.name}: the model holds no such array to delete")
        store.remove(self.name)

    def coerce(self, value: object) -> NDArray[Any]:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def make_default(self, primary_shape: tuple[int, ...] | None) -> tuple[NDArray[Any], bool]:
        raise NotImplementedError


class ArrayField(_Field, Generic[DT]):
    """An n-dimensional array stored as an image HDU (FITS) or an ndarray block (ASDF)."""

    def __init__(
        self,
        dtype: type[DT],
        *,
        hdu: str,
        ndim: int | None = None,
        max_ndim: int | None = None,
        default: float | int = 0,
        title: str = "",
        primary_axes: tuple[int, ...] | None = None,
        ndims: tuple[int, ...] | None = None,
    ) -> None:
        self.dtype = np.dtype(dtype)
        self.hdu = hdu
        self.ndim = ndim
        self.max_ndim = max_ndim
        self.primary_axes = primary_axes
        self.ndims = ndims
        """Dimensionalities the array may have when it is one of several (an IPC kernel: 2-D or 4-D)."""
        self.default = default
        self.title = title

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> Self: ...
    @overload
    def __get__(self, obj: ModelOwner, objtype: type | None = None) -> NDArray[DT] | None: ...
    def __get__(self, obj: ModelOwner | None, objtype: type | None = None) -> Self | NDArray[DT] | None:
        if obj is None:
            return self
        return self._load(obj)

    def __set__(self, obj: ModelOwner, value: ArrayLike | None) -> None:
        """Set the array (cast safely to the schema dtype, ndim checked); ``None`` removes it."""
        self._store(obj, value)

    def describe(self) -> str:
        dims = (
            f"{self.ndim}-D"
            if self.ndim is not None
            else " or ".join(f"{n}-D" for n in self.ndims)
            if self.ndims
            else f"at most {self.max_ndim}-D"
            if self.max_ndim
            else "n-D"
        )
        return f"{dims} {self.dtype.name} array"

    def shape_for(self, primary_shape: tuple[int, ...]) -> tuple[int, ...]:
        """Shape of an array made from its default: the primary array's, or its last ``ndim`` axes, or the
        axes ``primary_axes`` names (a ramp's ``zeroframe``: integrations, rows, columns)."""
        if self.primary_axes is not None and len(primary_shape) > max(self.primary_axes):
            return tuple(primary_shape[axis] for axis in self.primary_axes)
        if self.ndim is not None and self.ndim < len(primary_shape):
            return primary_shape[len(primary_shape) - self.ndim :]
        return primary_shape

    def make_default(self, primary_shape: tuple[int, ...] | None) -> tuple[NDArray[DT], bool]:
        """A new array filled with the schema default, shaped after the primary array (``shape_for``), and
        True; without a primary shape an empty array and False. Used where the reference makes one: a model
        built from a shape, the arrays some classes create with their primary array, ``get_default``."""
        if primary_shape is None:
            return np.zeros((0,) * (self.ndim or 1), dtype=self.dtype), False
        shape = self.shape_for(primary_shape)
        if self.default == 0:
            return np.zeros(shape, dtype=self.dtype), True
        return np.full(shape, self.default, dtype=self.dtype), True

    def check_ndim(self, ndim: int, got: object) -> None:
        if self.ndim is not None and ndim != self.ndim:
            raise self._error(self.describe(), _ArrayText(got))
        if self.max_ndim is not None and ndim > self.max_ndim:
            raise self._error(self.describe(), _ArrayText(got))
        if self.ndims is not None and ndim not in self.ndims:
            raise self._error(self.describe(), _ArrayText(got))

    def coerce(self, value: object) -> NDArray[DT]:
        try:
            array: NDArray[Any] = np.asarray(value)
        except (TypeError, ValueError):
            raise self._error(self.describe(), value) from None
        self.check_ndim(array.ndim, array)
        if array.dtype.type is self.dtype.type:
            return array
        if _castable(array, self.dtype):
            return array.astype(self.dtype)
        raise self._error(self.describe() + " (or a dtype that casts to it safely)", _ArrayText(array))


class CreatedArrayField(ArrayField[DT]):
    """An array the model creates when it is constructed: the primary array (sized by a shape, or given), and
    the arrays some classes create beside it (``CubeModel.dq``/``err``, ``RampModel.pixeldq``/``groupdq``),
    as the reference's classes do. Typed ``NDArray[...]``: a model that does not hold it (built empty, or the
    array removed with ``None``/``del``) raises AttributeError on reading it rather than giving ``None``.
    """

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> Self: ...
    @overload
    def __get__(self, obj: ModelOwner, objtype: type | None = None) -> NDArray[DT]: ...
    def __get__(self, obj: ModelOwner | None, objtype: type | None = None) -> Self | NDArray[DT]:
        if obj is None:
            return self
        value = self._load(obj)
        if value is None:
            raise AttributeError(
                f"{type(obj).__name__}.{self.name}: the model holds no {self.name} array (it was built "
                f"without one, or it was removed); set it first, or ask hasattr(model, {self.name!r})"
            )
        return value


def _castable(array: NDArray[Any], dtype: np.dtype[Any]) -> bool:
    if np.can_cast(array.dtype, dtype, "same_kind"):
        return True
    # Integers into a narrower or unsigned integer field: allowed when every value fits.
    if array.dtype.kind in "iu" and dtype.kind in "iu":
        if array.size == 0:
            return True
        info = np.iinfo(dtype)
        return bool(array.min() >= info.min and array.max() <= info.max)
    return False


class _ArrayText:
    """Short repr of an array for error messages (dtype and shape, not the values)."""

    def __init__(self, value: object) -> None:
        self.value = value

    def __str__(self) -> str:
        value: object = self.value
        if isinstance(value, np.ndarray):
            array = cast(NDArray[Any], value)
            return f"<{array.ndim}-D {array.dtype.name} array of shape {array.shape}>"
        return f"<{value}>" if isinstance(value, str) else f"<{value!r}>"


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table field: name, numpy dtype name (``S26`` for ascii strings) and cell shape.

    A None axis in ``shape`` takes its length from the data: ``shape=(None,)`` is a column of 1-D cells
    whose length the table given or read decides (the same for every row, as FITS vector columns are).
    """

    name: str
    dtype: str
    shape: tuple[int | None, ...] = ()
    unit: str | None = None

    @property
    def sized_by_data(self) -> bool:
        """True when some axis of the cells takes its length from the data."""
        return None in self.shape

    def describe(self) -> str:
        """``wavelength float32[3000]``; a length given by the data shows as ``*``."""
        if not self.shape:
            return f"{self.name} {self.dtype}"
        return f"{self.name} {self.dtype}[{', '.join('*' if n is None else str(n) for n in self.shape)}]"


class TableField(_Field):
    """A table stored as a binary-table HDU (FITS) or a structured ndarray (ASDF); a model holds it as a
    :class:`~jwstmodels._core.tables.Table` (``field``, ``columns[name].unit``, str cells)."""

    def __init__(self, *, hdu: str, columns: Sequence[Column], title: str = "") -> None:
        self.hdu = hdu
        self.columns = tuple(columns)
        self.title = title
        self.default = 0
        self.dtype = self.dtype_for({})
        """The table's dtype; an axis whose length the data gives has length 0 here (see ``dtype_for``)."""

    def dtype_for(self, cells: Mapping[str, tuple[int, ...]]) -> np.dtype[np.void]:
        """The dtype of a table whose data-sized columns have the cell shapes ``cells`` (by column name);
        a data-sized axis not given there has length 0."""

        def shape(column: Column) -> tuple[int, ...]:
            given = cells.get(column.name, ())
            if len(given) != len(column.shape):
                given = (0,) * len(column.shape)
            return tuple(g if n is None else n for n, g in zip(column.shape, given, strict=True))

        return np.dtype([(c.name, c.dtype, shape(c)) if c.shape else (c.name, c.dtype) for c in self.columns])

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> Self: ...
    @overload
    def __get__(self, obj: ModelOwner, objtype: type | None = None) -> Table | None: ...
    def __get__(self, obj: ModelOwner | None, objtype: type | None = None) -> Self | Table | None:
        if obj is None:
            return self
        return cast(Table | None, self._load(obj))  # coerce made every held table a Table

    def __set__(self, obj: ModelOwner, value: ArrayLike | None) -> None:
        """Set the table (columns checked, cast to the schema's dtypes); ``None`` removes it."""
        self._store(obj, value)

    def describe(self) -> str:
        return "table with columns " + ", ".join(c.describe() for c in self.columns)

    def make_default(self, primary_shape: tuple[int, ...] | None) -> tuple[NDArray[np.void], bool]:
        return self._as_table(np.zeros((0,), dtype=self.dtype), {}), False

    def schema_units(self) -> dict[str, str | None]:
        return {column.name: column.unit for column in self.columns}

    def _as_table(self, array: NDArray[np.void], given: Mapping[str, str | None]) -> Table:
        """``array`` (in the file dtype) as the Table a model holds: str cells for ascii columns; units the
        given ones (a file's, a Table's), else the schema's."""
        units = self.schema_units()
        for column in self.columns:
            for name, unit in given.items():
                if name.lower() == column.name.lower() and unit:
                    units[column.name] = unit
        dtype = memory_dtype(array.dtype)
        if dtype == array.dtype:
            return Table.of(array, units)
        out = np.empty(array.shape, dtype=dtype)
        for name in cast(tuple[str, ...], array.dtype.names):
            out[name] = array[name]  # numpy decodes ascii bytes to str
        return Table.of(out, units)

    def file_table(self, table: NDArray[Any]) -> Table:
        """The table a save writes: ``table`` in the schema's dtype (str cells encoded as ascii), with its
        units."""
        dtype = self._dtype_of(table, {n.lower(): n for n in cast(tuple[str, ...], table.dtype.names)})
        if table.dtype == dtype:
            out = np.asarray(table)
        else:
            out = np.empty(table.shape, dtype=dtype)
            for name in cast(tuple[str, ...], dtype.names):
                source: NDArray[Any] = np.asarray(table[name])
                if source.dtype.kind == "U" and dtype[name].base.kind == "S":
                    source = np.char.encode(source, "ascii")
                out[name] = source
        units = table.units if isinstance(table, Table) else self.schema_units()
        return Table.of(out, units)

    def coerce(self, value: object) -> Table:
        """``value`` (a structured array, a FITS_rec, a Table) as the Table the model holds: columns
        matched by name in any case, cast to the schema's dtypes, ascii text as str; ValidationError when
        a column is missing, unknown or of another kind."""
        return self._as_table(self._file_array(value), _units_of(value))

    def _file_array(self, value: object) -> NDArray[np.void]:
        """``value`` in the schema's (file) dtype."""
        array: NDArray[Any] = np.asarray(value)
        names = array.dtype.names
        if names is None or array.ndim != 1:
            raise self._error(self.describe(), _ArrayText(array))
        by_lower = {n.lower(): n for n in names}
        missing = [c.name for c in self.columns if c.name.lower() not in by_lower]
        extra = sorted(set(by_lower) - {c.name.lower() for c in self.columns})
        if missing or extra:
            detail = f"missing columns {missing}" if missing else ""
            detail += ("; " if missing and extra else "") + (f"unknown columns {extra}" if extra else "")
            raise self._error(self.describe(), f"a table with {detail}")
        dtype = self._dtype_of(array, by_lower)
        if (
            tuple(n.lower() for n in names) == tuple(c.name.lower() for c in self.columns)
            and array.dtype == dtype
        ):
            return array
        out = np.zeros(array.shape, dtype=dtype)
        for column in self.columns:
            # Index the given object, not its ndarray view: a FITS_rec applies TZERO/TSCAL per column.
            source: NDArray[Any] = np.asarray(cast(Any, value)[by_lower[column.name.lower()]])
            target_dtype = dtype[column.name].base
            if source.dtype.kind == "U" and target_dtype.kind == "S":  # str cells (ours, astropy's): ascii
                try:
                    source = np.char.encode(source, "ascii")
                except UnicodeEncodeError:
                    raise self._error(
                        self.describe(), f"column {column.name!r} with non-ascii text"
                    ) from None
            if not (
                np.can_cast(source.dtype, target_dtype, "same_kind") or source.dtype.kind == target_dtype.kind
            ):
                raise self._error(self.describe(), f"column {column.name!r} of dtype {source.dtype.name}")
            out[column.name] = source
        return out

    def _dtype_of(self, array: NDArray[Any], by_lower: Mapping[str, str]) -> np.dtype[np.void]:
        """The dtype for ``array``: data-sized cells take the given cells' shape, whose number of axes must
        be the column's."""
        if not any(c.sized_by_data for c in self.columns):
            return self.dtype
        cells: dict[str, tuple[int, ...]] = {}
        for column in self.columns:
            if not column.sized_by_data:
                continue
            shape = cast(tuple[int, ...], array.dtype[by_lower[column.name.lower()]].shape)
            fixed = all(n is None or n == g for n, g in zip(column.shape, shape, strict=False))
            if len(shape) != len(column.shape) or not fixed:
                cell = f"{len(shape)}-D cells {list(shape)}" if shape else "scalar cells"
                raise self._error(self.describe(), f"column {column.name!r} with {cell}")
            cells[column.name] = shape
        return self.dtype_for(cells)


def _units_of(value: object) -> dict[str, str | None]:
    """The column units a table given or read carries: a Table's, or an astropy FITS_rec's (``TUNITn``)."""
    if isinstance(value, Table):
        return value.units
    columns: object = getattr(value, "columns", None)
    names: object = getattr(columns, "names", None)
    units: object = getattr(columns, "units", None)
    if isinstance(names, list) and isinstance(units, list):
        pairs = zip(cast(list[object], names), cast(list[object], units), strict=False)
        return {str(name): str(unit) for name, unit in pairs if isinstance(unit, str) and unit}
    return {}


DataField = _Field
"""The base of array and table fields, under the name other modules use."""
