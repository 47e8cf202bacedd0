"""``jwstmodels diff A B``: metadata and array differences between two files, whatever their formats.

Both files are read through the models, so a FITS file and its ASDF conversion compare equal. A gwcs WCS
(``meta.wcs``) is compared by evaluating both at sample pixels, forward and inverse; what the files hold that
the schema does not describe (the ASDF tree's other keys, arrays stored as blocks included) is compared
under ``extra_tree.``. Exit status 0 when identical, 1 when different (as ``diff`` does), 2 when a file
cannot be read.
"""

from __future__ import annotations

import fnmatch
import math
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from . import output
from .common import FOUND, OK, guarded, open_model, reading, warning_lines

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from jwstmodels import DataModel, MetaNode

ABSENT = "(absent)"


def flat_metadata(model: DataModel[MetaNode]) -> dict[str, object]:
    """Metadata values by dotted path, and the FITS cards kept in ``extra_fits`` as ``extra_fits.HDU.KEY``."""
    from jwstmodels._core.lazy_objects import loaded

    flat = model.to_flat_dict(include_arrays=False)
    for key in [key for key in flat if key.split(".", 2)[1:2] and key.split(".", 2)[1].isdigit()]:
        del flat[key]  # list items' values (slits.0.name): items are compared one by one
    extra = loaded(model.__jwst_state__.extra_tree)  # kept ASDF content: nodes read from blocks are converted
    if isinstance(extra, dict):
        _flatten_extra(cast(dict[str, object], extra), "extra_tree", flat)
    for hdu, cards in model.extra_fits.items():
        grouped: dict[str, list[object]] = {}
        for key, value, _comment in cards:
            grouped.setdefault(f"extra_fits.{hdu}.{key}", []).append(value)
        for key, values in grouped.items():
            flat[key] = values[0] if len(values) == 1 else values
    return flat


def _flatten_extra(tree: dict[str, object], prefix: str, out: dict[str, object]) -> None:
    for key, value in tree.items():
        if type(value) is dict:  # plain mappings are walked; tagged ones are values of their own
            _flatten_extra(cast(dict[str, object], value), f"{prefix}.{key}", out)
        else:
            out[f"{prefix}.{key}"] = value


def is_wcs(value: object) -> bool:
    """True for a gwcs WCS object (checked without importing gwcs)."""
    cls = type(value)
    return cls.__name__ == "WCS" and cls.__module__.startswith("gwcs.")


def wcs_samples(w: Any) -> list[Any]:
    """Pixel positions inside a WCS's bounding box (or 0 to 2048 on each axis without one), five per axis
    along a diagonal that crosses the box at different fractions per axis."""
    import numpy as np

    axes = int(getattr(w, "pixel_n_dim", 2) or 2)
    try:
        box = w.bounding_box
        intervals = [tuple(map(float, box[i])) for i in range(axes)] if box is not None else None
    except Exception:  # gwcs raises for boxes it cannot order; use the default range then
        intervals = None
    if intervals is None or len(intervals) != axes:
        intervals = [(0.0, 2048.0)] * axes
    fractions = np.array([0.0, 0.13, 0.5, 0.77, 0.99])
    return [lo + (hi - lo) * np.roll(fractions, axis) for axis, (lo, hi) in enumerate(intervals)]


def same_wcs(a: Any, b: Any, rtol: float, atol: float) -> bool:
    """Two WCS objects are the same when they give the same world positions at sample pixels (NaN equal to
    NaN) and the same pixels back from those positions (when either can invert)."""
    import numpy as np

    def close(x: object, y: object) -> bool:
        left = np.atleast_1d(np.asarray(x, dtype=float))
        right = np.atleast_1d(np.asarray(y, dtype=float))
        return left.shape == right.shape and bool(
            np.allclose(left, right, rtol=rtol, atol=max(atol, 1e-10), equal_nan=True)
        )

    if getattr(a, "pixel_n_dim", None) != getattr(b, "pixel_n_dim", None):
        return False
    pixels = wcs_samples(a)
    try:
        world_a, world_b = a(*pixels), b(*pixels)
    except Exception:
        return False
    outputs_a, outputs_b = _outputs(world_a), _outputs(world_b)
    if len(outputs_a) != len(outputs_b) or not all(
        close(x, y) for x, y in zip(outputs_a, outputs_b, strict=True)
    ):
        return False
    inverses: list[object] = []
    for w in (a, b):
        try:
            inverses.append(w.invert(*outputs_a))
        except Exception as exc:  # no inverse: both must lack it
            inverses.append(type(exc))
    left, right = inverses
    if isinstance(left, type) or isinstance(right, type):
        return left is right
    back_a, back_b = _outputs(left), _outputs(right)
    return len(back_a) == len(back_b) and all(close(x, y) for x, y in zip(back_a, back_b, strict=True))


def _recorded(value: object) -> object:
    """What a difference record shows of a value: WCS objects and arrays described, others as they are."""
    import numpy as np

    if is_wcs(value):
        frames = getattr(value, "available_frames", None)
        return f"gwcs WCS ({' -> '.join(map(str, cast(list[object], frames or [])))})"
    if isinstance(value, np.ndarray):
        array = cast("NDArray[Any]", value)
        return f"array {' x '.join(map(str, array.shape)) or 'scalar'} {array.dtype.name}"
    return value


def _outputs(value: object) -> tuple[object, ...]:
    """A WCS's outputs as a tuple (one output comes alone)."""
    return cast(tuple[object, ...], value) if isinstance(value, tuple) else (value,)


def same_value(a: object, b: object, rtol: float, atol: float) -> bool:
    """Metadata equality: numbers compared with the tolerances (NaN equals NaN), WCS objects by evaluation,
    arrays element by element, anything else with ==."""
    import numpy as np

    if is_wcs(a) or is_wcs(b):
        return is_wcs(a) and is_wcs(b) and same_wcs(a, b, rtol, atol)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        left, right = np.asarray(a), np.asarray(b)
        if left.shape != right.shape:
            return False
        return value_difference(left, right, rtol, atol)[0] == 0
    numbers = (int, float)
    if (
        isinstance(a, numbers)
        and isinstance(b, numbers)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    ):
        x, y = float(a), float(b)
        return (math.isnan(x) and math.isnan(y)) or math.isclose(x, y, rel_tol=rtol, abs_tol=atol)
    if isinstance(a, bool) != isinstance(b, bool) or isinstance(a, str) != isinstance(b, str):
        return False
    return bool(a == b)


def ignored(key: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(key, p) for p in patterns)


def compare_meta(
    a: dict[str, object], b: dict[str, object], rtol: float, atol: float, ignore: list[str]
) -> list[dict[str, Any]]:
    """One record ``{path, a, b}`` per differing value; a value missing on one side is ``(absent)``."""
    records: list[dict[str, Any]] = []
    for key in list(dict.fromkeys([*a, *b])):
        if ignored(key, ignore):
            continue
        left, right = a.get(key, ABSENT), b.get(key, ABSENT)
        if (key in a) != (key in b) or not same_value(left, right, rtol, atol):
            records.append({"path": key, "a": _recorded(left), "b": _recorded(right)})
    return records


def describe(array: NDArray[Any]) -> dict[str, Any]:
    return {"shape": list(array.shape), "dtype": array.dtype.name if array.dtype.names is None else "table"}


def value_difference(a: NDArray[Any], b: NDArray[Any], rtol: float, atol: float) -> tuple[int, float | None]:
    """(number of differing elements, max abs difference among them or None for non-numeric data)."""
    import numpy as np

    numeric = "biufc"
    if a.dtype.kind in numeric and b.dtype.kind in numeric:
        left = a.astype(np.complex128 if "c" in (a.dtype.kind + b.dtype.kind) else np.float64)
        right = b.astype(left.dtype)
        close = np.isclose(left, right, rtol=rtol, atol=atol, equal_nan=True)
        differing = int(np.count_nonzero(~close))
        if not differing:
            return 0, None
        gaps: NDArray[Any] = np.abs(left[~close] - right[~close])
        finite = gaps[np.isfinite(gaps)]
        return differing, float(finite.max()) if finite.size else float("nan")
    return int(np.count_nonzero(np.asarray(a != b))), None


def compare_array(
    name: str, a: NDArray[Any], b: NDArray[Any], rtol: float, atol: float
) -> list[dict[str, Any]]:
    """Records for one array or table: shape, dtype, columns and values (per column for tables)."""
    record: dict[str, Any] = {"name": name, "a": describe(a), "b": describe(b)}
    if a.shape != b.shape:
        return [record | {"difference": f"shape {a.shape} vs {b.shape}"}]
    if a.dtype.names is not None or b.dtype.names is not None:
        columns_a, columns_b = a.dtype.names or (), b.dtype.names or ()
        if [c.lower() for c in columns_a] != [c.lower() for c in columns_b]:
            return [record | {"difference": f"columns {list(columns_a)} vs {list(columns_b)}"}]
        records: list[dict[str, Any]] = []
        for left, right in zip(columns_a, columns_b, strict=True):
            records += compare_array(f"{name}.{left}", a[left], b[right], rtol, atol)
        return records
    notes: list[str] = []
    if a.dtype.newbyteorder("=") != b.dtype.newbyteorder("="):
        notes.append(f"dtype {a.dtype.name} vs {b.dtype.name}")
    differing, biggest = value_difference(a, b, rtol, atol)
    if differing:
        record |= {"differing": differing, "total": int(a.size), "max_abs_difference": biggest}
        text = f"{differing} of {a.size} values differ"
        if biggest is not None:
            text += f", max abs difference {biggest:.6g}"
        notes.append(text)
    return [record | {"difference": "; ".join(notes)}] if notes else []


def compare_models(
    a: DataModel[MetaNode],
    b: DataModel[MetaNode],
    *,
    rtol: float = 0.0,
    atol: float = 0.0,
    ignore: list[str] | None = None,
) -> dict[str, Any]:
    """Every difference between two models: model class, metadata (with extra_fits cards), arrays, tables and
    the items of list fields (``slits[0].data``)."""
    patterns = ignore or []
    result: dict[str, Any] = {
        "model": None if type(a) is type(b) else {"a": type(a).__name__, "b": type(b).__name__},
        "meta": [],
        "arrays": [],
    }
    _compare_into(result, a, b, "", rtol, atol, patterns)
    result["identical"] = not (result["model"] or result["meta"] or result["arrays"])
    return result


def _compare_into(
    result: dict[str, Any],
    a: DataModel[MetaNode],
    b: DataModel[MetaNode],
    prefix: str,
    rtol: float,
    atol: float,
    patterns: list[str],
) -> None:
    import numpy as np

    meta_a = {prefix + k: v for k, v in flat_metadata(a).items()}
    meta_b = {prefix + k: v for k, v in flat_metadata(b).items()}
    result["meta"] += compare_meta(meta_a, meta_b, rtol, atol, patterns)
    names_a, names_b = a.array_names(), b.array_names()
    for name in dict.fromkeys([*names_a, *names_b]):
        if ignored(prefix + name, patterns):
            continue
        if name not in names_a or name not in names_b:
            shown = describe(np.asarray(getattr(a if name in names_a else b, name)))
            left, right = (shown, ABSENT) if name in names_a else (ABSENT, shown)
            record = {"name": prefix + name, "a": left, "b": right, "difference": "only in one file"}
            result["arrays"].append(record)
            continue
        left_array, right_array = np.asarray(getattr(a, name)), np.asarray(getattr(b, name))
        result["arrays"] += compare_array(prefix + name, left_array, right_array, rtol, atol)
    for name in dict.fromkeys([*list_names(a), *list_names(b)]):
        items_a, items_b = list_items(a, name), list_items(b, name)
        if len(items_a) != len(items_b) and not ignored(prefix + name, patterns):
            difference = f"{len(items_a)} vs {len(items_b)} entries"
            result["arrays"].append(
                {"name": prefix + name, "a": ABSENT, "b": ABSENT, "difference": difference}
            )
        for index, (item_a, item_b) in enumerate(zip(items_a, items_b, strict=False)):
            _compare_into(result, item_a, item_b, f"{prefix}{name}[{index}].", rtol, atol, patterns)


def list_names(model: DataModel[MetaNode]) -> list[str]:
    """The list fields of a model (``slits``, ``spec``, ...)."""
    return list(type(model).__jwst_layout__.list_fields)


def list_items(model: DataModel[MetaNode], name: str) -> list[DataModel[MetaNode]]:
    return list(getattr(model, name, None) or [])


def _cell(side: object) -> str:
    if isinstance(side, dict):
        info = cast(dict[str, Any], side)
        return f"{' x '.join(str(n) for n in info['shape']) or 'scalar'} {info['dtype']}"
    return ABSENT


def render(result: dict[str, Any], name_a: str, name_b: str) -> None:
    """Text form of a comparison: a summary line and tables of the differing metadata and arrays."""
    if result["identical"]:
        output.line(f"{name_a} and {name_b}: no differences", "green")
        return
    count = len(result["meta"]) + len(result["arrays"]) + (1 if result["model"] else 0)
    output.line(f"{name_a} vs {name_b}: {count} difference{'s' if count > 1 else ''}", "bold")
    if result["model"]:
        output.line(f"model class: {result['model']['a']} vs {result['model']['b']}")
    if result["meta"]:
        rows = [
            [
                r["path"],
                r["a"] if r["a"] == ABSENT else output.shown(r["a"]),
                r["b"] if r["b"] == ABSENT else output.shown(r["b"]),
            ]
            for r in result["meta"]
        ]
        output.table("Metadata", ["path", name_a, name_b], rows)
    if result["arrays"]:
        rows = [[r["name"], _cell(r["a"]), _cell(r["b"]), r["difference"]] for r in result["arrays"]]
        output.table("Arrays", ["array", name_a, name_b, "difference"], rows)


def load(name: str) -> tuple[DataModel[MetaNode], list[str]]:
    """Open a file and read its arrays (BadInput naming the file on failure); warnings come back as text."""
    with reading(name) as caught:
        model = open_model(name)
        try:
            for array_name in model.array_names():
                getattr(model, array_name)
        except BaseException:
            model.close()
            raise
    from jwstmodels import InvalidValueWarning

    # values that do not fit their field are compared as they are; the warnings would only repeat them
    return model, warning_lines(name, [w for w in caught if not issubclass(w.category, InvalidValueWarning)])


def load_pair(name_a: str, name_b: str) -> tuple[DataModel[MetaNode], DataModel[MetaNode], list[str]]:
    """Both files of a comparison, or BadInput for the first one that cannot be read."""
    a, notes_a = load(name_a)
    try:
        b, notes_b = load(name_b)
    except BaseException:
        a.close()
        raise
    return a, b, notes_a + notes_b


@guarded
def diff(
    file_a: Annotated[str, typer.Argument(help="First file (FITS or ASDF)", metavar="A")],
    file_b: Annotated[str, typer.Argument(help="Second file (FITS or ASDF)", metavar="B")],
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore", "-i", help="Skip paths matching this glob (meta.date, extra_fits.*); repeatable."
        ),
    ] = None,
    rtol: Annotated[float, typer.Option(help="Relative tolerance for numbers.", min=0.0)] = 0.0,
    atol: Annotated[float, typer.Option(help="Absolute tolerance for numbers.", min=0.0)] = 0.0,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON: {identical, model, meta: [...], arrays: [...]}.")
    ] = False,
) -> None:
    """Metadata and array differences between two files (FITS or ASDF, in any mix).

    Arrays are compared by shape, dtype and values (count and max abs difference of the values that differ).
    Exit status 0 when identical, 1 when different.
    """
    a, b, notes = load_pair(file_a, file_b)
    with a, b, reading(f"{file_a}, {file_b}"):
        result = compare_models(a, b, rtol=rtol, atol=atol, ignore=ignore)
    for text in notes:
        output.warning(text)
    if as_json:
        output.print_json({"a": file_a, "b": file_b, **result})
    else:
        render(result, file_a, file_b)
    raise typer.Exit(OK if result["identical"] else FOUND)
