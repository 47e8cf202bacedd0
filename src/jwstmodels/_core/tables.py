"""The table type of models: a structured numpy array with the parts of astropy's ``FITS_rec`` that pipeline
code uses.

The reference implementation hands out astropy ``FITS_rec`` objects for tables read from FITS or built in
memory, and the JWST pipeline relies on three things of them: ``table.field("wavelength")`` (a column by name,
in any case), ``table.columns["wavelength"].unit`` (read and set), and text cells as ``str``. :class:`Table`
gives those, typed, for tables from FITS, from ASDF and built here alike, and stays a numpy array (a
structured ``ndarray`` subclass) for everything else:

- ``table["WAVELENGTH"]``, ``table.field("wavelength")``: the column's values, a view (writes go to the
  table); names match case-insensitively, as FITS column names do.
- ``table.columns["flux"].unit``: the unit of a column (``str | None``); setting it changes what a save
  writes (``TUNITn`` in FITS). A table read from FITS takes the file's units, others the schema's.
- String columns hold ``str`` in memory (``<U26``); files keep the schema's ascii dtype (``S26``), encoded
  on save. ``TableField.dtype`` is the file dtype, ``Table.dtype`` the in-memory one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from numpy.typing import NDArray

__all__ = ["Table", "TableColumn", "TableColumns", "memory_dtype"]


def memory_dtype(dtype: np.dtype[Any]) -> np.dtype[np.void]:
    """``dtype`` with every ascii string column (``S26``) as a str column of the same length (``<U26``)."""
    names = dtype.names
    if names is None:
        raise TypeError(f"{dtype} is not a table dtype")
    fields: list[tuple[str, Any, tuple[int, ...]]] = []
    for name in names:
        column = dtype[name]
        base = column.base
        if base.kind == "S":
            base = np.dtype(f"U{base.itemsize}")
        fields.append((name, base, cast(tuple[int, ...], column.shape)))
    return np.dtype([(name, base, shape) if shape else (name, base) for name, base, shape in fields])


def _find(names: tuple[str, ...], key: str | int) -> str:
    """The column name ``key`` means: the name itself, the same name in another case, or a position."""
    if isinstance(key, int):
        try:
            return names[key]
        except IndexError:
            raise IndexError(f"the table has {len(names)} columns, no column {key}") from None
    if key in names:
        return key
    lowered = key.lower()
    for name in names:
        if name.lower() == lowered:
            return name
    raise KeyError(f"the table has no column {key!r} (columns: {', '.join(names)})")


class Table(np.ndarray[tuple[Any, ...], np.dtype[np.void]]):
    """A table of a model: a one-dimensional structured array, with FITS_rec's ``field``, ``columns`` (and
    their units) and ``names``. See the module docstring."""

    _units: dict[str, str | None]

    def __array_finalize__(self, obj: object) -> None:
        units: object = getattr(obj, "_units", None)
        self._units = dict(cast(dict[str, str | None], units)) if isinstance(units, dict) else {}

    @classmethod
    def of(cls, array: NDArray[Any], units: Mapping[str, str | None] | None = None) -> Table:
        """``array`` (a structured array) as a Table, sharing its memory, with ``units`` by column name."""
        table = array.view(cls)
        table._units = {name: (units or {}).get(name) for name in table.column_names}
        return table

    @property
    def column_names(self) -> tuple[str, ...]:
        """The column names, in order."""
        return cast(tuple[str, ...], self.dtype.names or ())

    @property
    def names(self) -> list[str]:
        """The column names, in order (as ``FITS_rec.names``)."""
        return list(self.column_names)

    @property
    def columns(self) -> TableColumns:
        """The columns by name (any case) or position: ``table.columns["wavelength"].unit``."""
        return TableColumns(self, self._units)

    @property
    def units(self) -> dict[str, str | None]:
        """A copy of the unit of every column, by name."""
        return {name: self._units.get(name) for name in self.column_names}

    def field(self, key: str | int) -> NDArray[Any]:
        """The values of column ``key`` (a name in any case, or a position): a view into the table."""
        return self.view(np.ndarray)[_find(self.column_names, key)]

    if not TYPE_CHECKING:
        # Kept out of the static types so that ndarray's own overloads stay: a column name in another case
        # finds the column, as FITS_rec's does, and gives a plain array.
        def __getitem__(self, key):
            if isinstance(key, str):
                return self.view(np.ndarray)[_find(self.column_names, key)]
            item = super().__getitem__(key)
            if type(item) is np.void:  # one row: a TableRow (a missing column is a KeyError, as FITS_rec's)
                return self.view(np.ndarray).view(np.dtype((TableRow, self.dtype)))[key]
            return item

        def __setitem__(self, key, value):
            if isinstance(key, str):
                key = _find(self.column_names, key)
            super().__setitem__(key, value)

    def __reduce__(self) -> tuple[Any, ...]:
        reduced = cast(tuple[Any, ...], super().__reduce__())
        return (*reduced[:2], (reduced[2], self._units), *reduced[3:])

    def __setstate__(self, state: Any, /) -> None:
        restore = cast(Any, super()).__setstate__  # numpy's own state tuple: typed by its five parts
        if isinstance(state, tuple) and len(cast(tuple[object, ...], state)) == 2:
            array_state, units = cast(tuple[object, dict[str, str | None]], state)
            restore(array_state)
            self._units = dict(units)
        else:  # a plain ndarray's state
            restore(state)
            self._units = {}


class TableRow(np.record):  # pyright: ignore[reportIncompatibleVariableOverride]  # numpy's stubs pin record.__module__ to "numpy"
    """One row of a Table (``table[3]``): a numpy record whose columns are found by name in any case or by
    position, and whose missing column raises KeyError, as a row of astropy's FITS_rec does (jwst's photom
    tells imaging from spectroscopic tables by ``row["wavelength"]`` raising KeyError). A view: setting a
    cell changes the table."""

    if not TYPE_CHECKING:

        def __getitem__(self, key):
            if isinstance(key, str):
                key = _find(tuple(self.dtype.names or ()), key)
            return super().__getitem__(key)

        def __setitem__(self, key, value):
            if isinstance(key, str):
                key = _find(tuple(self.dtype.names or ()), key)
            super().__setitem__(key, value)


class TableColumn:
    """One column of a :class:`Table`: its name, dtype, unit (settable) and values (``array``)."""

    __slots__ = ("_name", "_table", "_units")

    def __init__(self, table: Table, units: dict[str, str | None], name: str) -> None:
        self._table = table
        self._units = units  # the table's own units, handed over by the table (``Table.columns``)
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    @property
    def unit(self) -> str | None:
        """The column's unit (``"um"``, ``"Jy"``); None when it has none."""
        return self._units.get(self._name)

    @unit.setter
    def unit(self, unit: str | None) -> None:
        if unit is not None and not isinstance(cast(object, unit), str):
            raise TypeError(f"column {self._name!r}: a unit is text (or None), not {type(unit).__name__}")
        self._units[self._name] = unit

    @property
    def dtype(self) -> np.dtype[Any]:
        return self._table.dtype[self._name]

    @property
    def array(self) -> NDArray[Any]:
        """The column's values: a view into the table."""
        return self._table.field(self._name)

    def __repr__(self) -> str:
        unit = f", unit={self.unit!r}" if self.unit is not None else ""
        return f"TableColumn(name={self._name!r}, dtype={self.dtype}{unit})"


class TableColumns:
    """The columns of a :class:`Table`, by name (any case) or position, in order when iterated."""

    __slots__ = ("_table", "_units")

    def __init__(self, table: Table, units: dict[str, str | None]) -> None:
        self._table = table
        self._units = units  # the table's own units, handed over by the table (``Table.columns``)

    def __getitem__(self, key: str | int) -> TableColumn:
        return TableColumn(self._table, self._units, _find(self._table.column_names, key))

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        try:
            _find(self._table.column_names, key)
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[TableColumn]:
        return (TableColumn(self._table, self._units, name) for name in self._table.column_names)

    def __len__(self) -> int:
        return len(self._table.column_names)

    @property
    def names(self) -> list[str]:
        """The column names, in order."""
        return list(self._table.column_names)

    @property
    def units(self) -> list[str | None]:
        """The columns' units, in order (as astropy's ``ColDefs.units``)."""
        return [self._units.get(name) for name in self._table.column_names]

    def __repr__(self) -> str:
        return f"TableColumns({', '.join(repr(c) for c in self)})"
