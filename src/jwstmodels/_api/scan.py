"""``jwstmodels.scan``: a table of the metadata of many files, from their headers only, optionally on Dask."""

from __future__ import annotations

import functools
import inspect
import os
import typing
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from jwstmodels._api.opening import model_class, open_model
from jwstmodels._api.parallel import check_client, partition, progress, require, run_parts
from jwstmodels._core.meta import scalar_leaves
from jwstmodels._core.scalars import ScalarField

if TYPE_CHECKING:
    import pandas as pd
    from distributed import Client

_DTYPES = {"integer": "Int64", "number": "Float64", "boolean": "boolean", "string": "string"}
"""pandas' nullable dtypes for the schema's scalar types (a file without the value gives <NA>)."""

PathLike = str | os.PathLike[str]


class _Row(NamedTuple):
    path: str
    model_type: str | None
    values: dict[str, object]
    error: str | None


def scan(
    paths: Iterable[PathLike],
    fields: Sequence[str] | None = None,
    *,
    client: Client | None = None,
) -> pd.DataFrame:
    """A pandas DataFrame of metadata, one row per file, read from headers only (no array data).

    Columns: ``path``, ``model_type`` (the class ``jwstmodels.open`` picks), one per requested dotted field
    (``"meta.exposure.nframes"``, or ``"exposure.nframes"``; top-level scalars such as ``"name"`` too), typed
    from the schema with pandas' nullable dtypes (``Int64``, ``Float64``, ``boolean``, ``string``), and
    ``error``: <NA>, or the reason a file could not be read (a bad file is reported there, not raised).
    ``fields=None`` gives a column for every scalar value any file has.

    Serial by default (a progress bar when stderr is a terminal). With ``client=`` a
    ``dask.distributed.Client``, the files are split into parts that its workers read; the table is the
    same. Needs pandas, and dask for ``client=``: ``pip install 'jwstmodels[distributed]'``.
    """
    pandas = require("pandas", "jwstmodels.scan")
    names = [os.fspath(path) for path in paths]
    if isinstance(fields, str):
        raise TypeError(f"jwstmodels.scan: fields= takes a list of dotted names, not one string ({fields!r})")
    wanted = None if fields is None else tuple(fields)
    if wanted is not None:
        for field in wanted:
            if not isinstance(field, str) or not field:  # pyright: ignore[reportUnnecessaryIsInstance]
                raise TypeError(
                    f"jwstmodels.scan: fields are dotted names such as 'meta.exposure.nframes', not {field!r}"
                )
    if client is not None:
        dask_client = check_client(client, "jwstmodels.scan")
        absolute = [os.path.abspath(name) for name in names]  # workers may run in another folder
        rows = run_parts(
            dask_client, functools.partial(scan_part, fields=wanted), partition(absolute, dask_client), "scan"
        )
        rows = [row._replace(path=name) for row, name in zip(rows, names, strict=True)]
    else:
        rows: list[_Row] = []
        with progress(len(names), "scan") as advance:
            for name in names:
                rows.append(read_row(name, wanted))
                advance(1)
    return _table(pandas, rows, wanted)


def scan_part(names: list[str], fields: tuple[str, ...] | None) -> list[_Row]:
    """The rows of some files (run on a worker)."""
    return [read_row(name, fields) for name in names]


def read_row(name: str, fields: tuple[str, ...] | None) -> _Row:
    """One file's row; any failure to read it becomes its error text.

    Requested fields of a FITS file come from its headers alone when they all have FITS keywords
    (``_io.header_scan``); otherwise, and for a file the headers cannot answer for, the model is opened.
    """
    if fields is not None:
        row = _header_row(name, fields)
        if row is not None:
            return row
    try:
        with open_model(name) as model:
            if fields is None:
                values = {
                    key: value
                    for key, value in model.to_flat_dict(include_arrays=False).items()
                    if _scalar(value)
                }
            else:
                values = {field: _value(model, field) for field in fields}
            return _Row(name, type(model).__name__, values, None)
    except Exception as exc:  # a bad file is a row with its reason, not the end of the scan
        return _Row(name, None, {}, f"{type(exc).__name__}: {exc}")


def _header_row(name: str, fields: tuple[str, ...]) -> _Row | None:
    """The row from the headers alone, as the model would give it; None when the model must be opened (a
    file that is not FITS, a model type no class has, a field the headers do not hold, a file that fails:
    the model's open then reports the failure in its own words)."""
    from jwstmodels._io.fits_format import open_hdulist  # astropy: loaded when a scan runs, not at import
    from jwstmodels._io.header_scan import NeedsModel, declared_model_type, header_values, plan_fields
    from jwstmodels._io.sniff import sniff

    try:
        if sniff(name) != "fits":
            return None
        hdul = open_hdulist(name, name)
    except Exception:
        return None
    try:
        model_type = declared_model_type(hdul)
        cls = model_class(model_type) if model_type is not None else None
        if cls is None:
            return None
        layout = cls.__jwst_layout__  # what a backend reads by
        plans = plan_fields(layout, tuple(_dotted(field) for field in fields))
        found = header_values(hdul, layout, plans, name)
    except (NeedsModel, Exception):  # NeedsModel: the headers cannot say; anything else: the model reports it
        return None
    finally:
        hdul.close()
    values = {field: value if _scalar(value) else None for field, value in zip(fields, found, strict=True)}
    return _Row(name, cls.__name__, values, None)


def _value(model: Any, field: str) -> object:
    key = _dotted(field)
    try:
        value: object = model[key]
    except KeyError:  # not in this file's model class
        return None
    return value if _scalar(value) else None


def _dotted(field: str) -> str:
    """``exposure.nframes`` -> ``meta.exposure.nframes``; ``meta.x`` and top-level names stay."""
    return field if field.startswith("meta.") or "." not in field else f"meta.{field}"


def _scalar(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _table(pandas: Any, rows: list[_Row], fields: tuple[str, ...] | None) -> pd.DataFrame:
    columns = (
        list(fields) if fields is not None else list(dict.fromkeys(key for row in rows for key in row.values))
    )
    data: dict[str, Any] = {
        "path": pandas.array([row.path for row in rows], dtype="string"),
        "model_type": pandas.array([row.model_type for row in rows], dtype="string"),
    }
    model_types = frozenset(row.model_type for row in rows if row.model_type)
    for column in columns:
        values = [row.values.get(column) for row in rows]
        data[column] = _typed(pandas, values, _schema_type(_dotted(column), model_types))
    data["error"] = pandas.array([row.error for row in rows], dtype="string")
    frame: pd.DataFrame = pandas.DataFrame(data)
    return frame


def _typed(pandas: Any, values: list[object], schema_type: str | None) -> Any:
    dtype = _DTYPES.get(schema_type or "")
    if dtype is not None:
        try:
            return pandas.array(values, dtype=dtype)
        except (TypeError, ValueError):  # a value of another kind (kept in place by a lenient reader)
            pass
    return pandas.array(values, dtype=object)


_KINDS: dict[type, str] = {bool: "boolean", int: "integer", float: "number", str: "string"}


@functools.cache
def _schema_type(path: str, model_types: frozenset[str]) -> str | None:
    """The schema's scalar type (``integer``, ...) of a dotted path in the classes of the scanned files, read
    from the generated declarations (``int | None`` -> ``integer``, a ``Literal`` of text -> ``string``)."""
    for model_type in sorted(model_types):
        cls = model_class(model_type)
        if cls is None:
            continue
        scalar: object = inspect.getattr_static(cls, path, None) if "." not in path else None
        if isinstance(scalar, ScalarField):
            return _KINDS.get(scalar.kind)
        for leaf in scalar_leaves(cls.meta_class):
            if leaf.path == path:
                return _annotation_kind(leaf.annotation)
    return None


def _annotation_kind(annotation: object) -> str | None:
    for candidate in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(candidate) is typing.Literal:
            first: object = typing.get_args(candidate)[0]
            return _KINDS.get(type(first))
        if candidate in (bool, int, float, str):
            return _KINDS[typing.cast(type, candidate)]
    return None
