"""Medians, ratios, target verdicts, the printed table and the JSON document."""

from __future__ import annotations

import math
import statistics
from typing import Any

from benchmarks.cases import INTERPRETER, OPEN_POINTS, ROW_BY_ID, ROWS, TARGETS, Row, Target
from benchmarks.workload import Sizes

Samples = dict[str, dict[str, list[float]]]
"""row id -> side -> one figure per repeat (seconds, or MiB for memory rows)."""


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def _paired_ratio(numerator: list[float], denominator: list[float]) -> float | None:
    """The median of the ratios of paired figures (the n-th of each side; the sides take turns, so a pair was
    taken back to back, under the same machine noise: a shared machine's load changes over seconds, and moves
    two medians taken apart more than it moves their ratio). Without paired figures: the ratio of the medians.
    """
    if numerator and len(numerator) == len(denominator) and all(value > 0 for value in denominator):
        return statistics.median(a / b for a, b in zip(numerator, denominator, strict=True))
    return _ratio(_median(numerator), _median(denominator))


def _dims(shape: tuple[int, ...]) -> str:
    return "x".join(map(str, shape))


def summarise(samples: Samples, sizes: Sizes) -> dict[str, Any]:
    """Per row: medians per side, the two ratios, and the displayed values."""
    rows: dict[str, Any] = {}
    names = {"image": _dims(sizes.image), "ramp": _dims(sizes.ramp), "files": sizes.scan_files}
    for row in ROWS:
        figures = {side: samples.get(row.id, {}).get(side, []) for side in row.sides}
        medians = {side: _median(values) for side, values in figures.items()}
        rows[row.id] = {
            "title": row.title.format(**names),
            "unit": row.unit,
            "median": medians,
            "display": {side: _display(row, value, sizes.scan_files) for side, value in medians.items()},
            "samples": figures,
            "ratios": {
                "stdatamodels/jwstmodels": _paired_ratio(
                    figures.get("stdatamodels", []), figures.get("jwstmodels", [])
                ),
                "jwstmodels/floor": _paired_ratio(figures.get("jwstmodels", []), figures.get("floor", [])),
            },
        }
    return rows


def _display(row: Row, value: float | None, files: int) -> float | None:
    if value is None:
        return None
    if row.rate:
        return files / value if value > 0 else math.inf
    return value * row.scale


def verdicts(rows: dict[str, Any], ramp_sci_mib: float) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for target in TARGETS:
        ratio = _target_ratio(target, rows[target.row], ramp_sci_mib)
        met = ratio is not None and (
            ratio >= target.limit if target.against == "reference" else ratio <= target.limit
        )
        out.append(
            {
                "name": target.name,
                "row": target.row,
                "measure": _measure_name(target),
                "ratio": ratio,
                "limit": target.limit,
                "met": met,
            }
        )
    return out


def _target_ratio(target: Target, row: dict[str, Any], ramp_sci_mib: float) -> float | None:
    if target.against == "reference":
        return row["ratios"]["stdatamodels/jwstmodels"]
    if target.against == "floor":
        return row["ratios"]["jwstmodels/floor"]
    if target.against == "at-most":
        return row["display"]["jwstmodels"]
    return _ratio(row["median"]["jwstmodels"], ramp_sci_mib)


def _measure_name(target: Target) -> str:
    return {
        "reference": "stdatamodels/jwstmodels >=",
        "floor": "jwstmodels/floor <=",
        "data-fraction": "jwstmodels peak / SCI array size <=",
        "at-most": f"jwstmodels {ROW_BY_ID[target.row].unit} <=",
    }[target.against]


def _cell(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def open_points(rows: dict[str, Any]) -> dict[str, float]:
    """Row 3's reference points (`cases.OPEN_POINTS`) against row 3's floor, by process: the ratios of their
    floor figures, paired by repeat."""
    floor: list[float] = rows["3-open-total"]["samples"].get("floor", [])
    points: dict[str, float] = {}
    for row_id, process in OPEN_POINTS.items():
        ratio = _paired_ratio(rows[row_id]["samples"].get("floor", []), floor)
        if ratio is not None:
            points[process] = ratio
    return points


def table(rows: dict[str, Any], targets: list[dict[str, Any]], interpreter_s: float | None) -> str:
    head = ("case", "unit", "jwstmodels", "stdatamodels", "floor", "std/jwst", "jwst/floor")
    lines: list[tuple[str, ...]] = [head]
    for row_id, row in rows.items():
        display = row["display"]
        ratios = row["ratios"]
        lines.append(
            (
                row["title"],
                row["unit"],
                _cell(display.get("jwstmodels")),
                _cell(display.get("stdatamodels")),
                _cell(display.get("floor")),
                _cell(ratios["stdatamodels/jwstmodels"]),
                _cell(ratios["jwstmodels/floor"]),
            )
        )
        assert row_id in ROW_BY_ID
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    text = [
        "  ".join(
            cell.ljust(w) if i < 2 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    ]
    text.insert(1, "  ".join("-" * w for w in widths))
    text.append(
        "(figures: medians over repeats; ratios: medians of the ratios of figures taken back to back)"
    )
    points = open_points(rows)
    if points:
        text.append(
            "(row 3's floor processes with more imported first, against the floor: "
            + ", ".join(f"{process} {_cell(ratio)}x" for process, ratio in points.items())
            + f"; jwstmodels {_cell(rows['3-open-total']['ratios']['jwstmodels/floor'])}x)"
        )
    if interpreter_s is not None:
        text.append(
            f"(interpreter start-up, {INTERPRETER}: {interpreter_s * 1e3:.0f} ms; not in the figures above)"
        )
    text.append("")
    text.append("targets (DESIGN section 6; cases 9: issue 13):")
    for verdict in targets:
        ratio = _cell(verdict["ratio"])
        mark = "met   " if verdict["met"] else "MISSED" if verdict["ratio"] is not None else "n/a   "
        text.append(
            f"  {mark}  {verdict['name']}: {verdict['measure']} {verdict['limit']:g}, measured {ratio}"
        )
    return "\n".join(text)
