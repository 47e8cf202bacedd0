"""``jwstmodels info FILE...``: model class, arrays, tables and the main metadata of FITS and ASDF files."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import output
from .common import (
    BAD_INPUT,
    OK,
    BadInput,
    check_readable,
    guarded,
    open_model,
    reading,
    report,
    warning_lines,
)

if TYPE_CHECKING:
    import numpy as np

    from jwstmodels import DataModel, MetaNode

MAIN_META = (
    "meta.model_type",
    "meta.date",
    "meta.telescope",
    "meta.instrument.name",
    "meta.instrument.detector",
    "meta.instrument.channel",
    "meta.instrument.filter",
    "meta.instrument.pupil",
    "meta.exposure.type",
    "meta.exposure.readpatt",
    "meta.exposure.nints",
    "meta.exposure.ngroups",
    "meta.exposure.nframes",
    "meta.exposure.exposure_time",
    "meta.subarray.name",
    "meta.observation.date",
    "meta.observation.time",
    "meta.observation.program_number",
    "meta.target.catalog_name",
    "meta.target.ra",
    "meta.target.dec",
)
"""Metadata shown by default (when set); ``--all`` shows every value."""

FITS_MAGIC = b"SIMPLE  ="
ASDF_MAGIC = b"#ASDF"


def file_format(name: str) -> str:
    """``FITS`` or ``ASDF`` from the file's first bytes (the file was opened successfully before)."""
    with open(name, "rb") as handle:
        head = handle.read(len(FITS_MAGIC))
    return "ASDF" if head.startswith(ASDF_MAGIC) else "FITS"


def dtype_text(dtype: np.dtype[Any]) -> str:
    """``float32``, ``int16``; byte and unicode strings as ``S26`` / ``U8`` (numpy's names would be bits)."""
    return dtype.str.lstrip("|<>=") if dtype.kind in "SUV" else dtype.name


def summarise(name: str, model: DataModel[MetaNode]) -> dict[str, Any]:
    """What ``info`` shows about one opened file, as JSON-ready data."""
    from jwstmodels import TableField
    from jwstmodels._model.schema_search import data_fields, list_names, search_schema

    cls = type(model)
    fields = data_fields(model)
    arrays: list[dict[str, Any]] = []
    tables: list[dict[str, Any]] = []
    for field_name in model.array_names():
        field = fields[field_name]
        value = getattr(model, field_name)
        if isinstance(field, TableField):
            names = value.dtype.names or ()
            tables.append(
                {
                    "name": field_name,
                    "hdu": field.hdu,
                    "rows": int(value.shape[0]) if value.ndim else 0,
                    "columns": [{"name": n, "dtype": dtype_text(value.dtype[n].base)} for n in names],
                    "title": field.title,
                }
            )
        else:
            arrays.append(
                {
                    "name": field_name,
                    "hdu": field.hdu,
                    "shape": list(value.shape),
                    "dtype": value.dtype.name,
                    "title": field.title,
                }
            )
    lists = [
        {"name": list_name, "items": len(getattr(model, list_name))}
        for list_name in list_names(model)
        if len(getattr(model, list_name))
    ]
    keywords = {entry.path: entry.keyword for entry in search_schema(model, "")}  # extensions included
    meta = model.to_flat_dict(include_arrays=False)
    return {
        "file": name,
        "format": file_format(name),
        "model": cls.__name__,
        "arrays": arrays,
        "tables": tables,
        "lists": lists,
        "meta": meta,
        "keywords": {path: keywords.get(path) for path in meta},
        "extra_fits": {hdu: len(cards) for hdu, cards in model.extra_fits.items() if cards},
    }


def render(summary: dict[str, Any], show_all: bool) -> None:
    """The text form of one summary: a heading line and tables (plain columns when not on a terminal)."""
    output.line(f"{summary['file']}: {summary['model']} ({summary['format']})", "bold")
    if summary["arrays"]:
        rows = [
            [a["name"], a["hdu"], " x ".join(str(n) for n in a["shape"]) or "scalar", a["dtype"], a["title"]]
            for a in summary["arrays"]
        ]
        output.table("Arrays", ["array", "HDU", "shape", "dtype", "title"], rows)
    if summary["tables"]:
        rows = [[t["name"], t["hdu"], str(t["rows"]), columns_text(t["columns"])] for t in summary["tables"]]
        output.table("Tables", ["table", "HDU", "rows", "columns"], rows)
    for item in summary["lists"]:
        output.line(f"{item['name']}: {item['items']} entries")
    meta: dict[str, object] = summary["meta"]
    paths = list(meta) if show_all else [p for p in MAIN_META if p in meta]
    if paths:
        rows = [[path, summary["keywords"].get(path) or "", output.shown(meta[path])] for path in paths]
        output.table("Metadata", ["path", "keyword", "value"], rows)
    hidden = len(meta) - len(paths)
    notes: list[str] = []
    if hidden:
        notes.append(f"{hidden} more metadata value{'s' if hidden > 1 else ''} (--all shows every one)")
    extra: dict[str, int] = summary["extra_fits"]
    if extra:
        counts = ", ".join(f"{hdu} {n}" for hdu, n in extra.items())
        notes.append(f"FITS cards the schema does not name, kept in extra_fits: {counts}")
    for note in notes:
        output.line(note, "dim")


def columns_text(columns: list[dict[str, str]]) -> str:
    return ", ".join(f"{c['name']} ({c['dtype']})" for c in columns)


@guarded
def info(
    files: Annotated[list[str], typer.Argument(help="FITS or ASDF files", metavar="FILE")],
    show_all: Annotated[bool, typer.Option("--all", "-a", help="Show every metadata value.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON: a list with one object per file, all metadata.")
    ] = False,
) -> None:
    """Model class, arrays (shape, dtype), tables (columns, rows) and the main metadata of each file."""
    summaries: list[dict[str, Any]] = []
    status = OK
    for name in files:
        try:
            check_readable(name)
            with reading(name) as caught:
                with open_model(name) as model:
                    summary = summarise(name, model)
                summary["warnings"] = warning_lines(name, caught)
        except BadInput as exc:
            report(exc)
            status = BAD_INPUT
            continue
        for text in summary["warnings"]:
            output.warning(text)
        summaries.append(summary)
        if not as_json:
            if len(summaries) > 1:
                output.line("")
            render(summary, show_all)
    if as_json:
        output.print_json(summaries)
    raise typer.Exit(status)
