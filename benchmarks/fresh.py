"""`make bench-fresh`: rows 1, 2 and 3 of `make bench` alone (the fresh-process save and open), in a minute.

    python -m benchmarks.fresh [--repeats N] [--reference] [--fixtures DIR] [--quick]

The figures are measured exactly as `benchmarks.run` measures them (the same `Run.fresh` processes, tasks,
files written by the reference and paired ratios), without the ramp case, the catalogue rows and the
in-process workers. The reference side (seconds per process) is left out unless ``--reference`` is given: the
rows' targets compare jwstmodels with the floor. ``--fixtures DIR`` keeps the reference's files in DIR between
runs (written when DIR is empty); every run first runs each side's tasks once untimed, so that bytecode caches
are written. ``--quick``: tiny sizes and one repeat, a smoke run whose numbers mean nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from benchmarks.cases import ROW_BY_ID
from benchmarks.processes import interpreter_start, run_together
from benchmarks.report import open_points, summarise
from benchmarks.run import Run, add, log
from benchmarks.workload import FULL, QUICK, SIDES, Sizes

ROWS = (
    "1-import",
    "2-save-total",
    "2-save-after-import",
    "3-open-total",
    "3-io-import",
    "3-first-open",
    "3-open-vs-pydantic",
    "3-open-vs-package",
)


class FreshRun(Run):
    def __init__(self, sizes: Sizes, folder: Path, sides: tuple[str, ...]) -> None:
        super().__init__(sizes, folder)
        self.sides = sides

    def fixtures(self) -> None:
        reference = self.written_by("stdatamodels")
        if not (reference / "image.fits").exists():
            super().fixtures()
            return
        sizes = self.sizes.as_dict()  # the reference's files are there: only jwstmodels' caches to write
        run_together(
            [
                (
                    "jwstmodels",
                    "fixtures",
                    {"dir": str(self.folder / "jwstmodels"), "sizes": sizes, "read_dir": str(reference)},
                )
            ]
        )

    def save_and_open(self, repeat: int, timed: bool = True) -> None:
        """Cases 2 and 3 as `Run.fresh_cases` runs them; untimed (``timed`` false) for the warm-up."""
        sizes = self.sizes.as_dict()
        image_sum = float(self.sizes.image[0] * self.sizes.image[1])
        shift = repeat % len(self.sides)
        order = [*self.sides[shift:], *self.sides[:shift]]
        for side in order:
            out = self.folder / "out" / side
            out.mkdir(parents=True, exist_ok=True)
            result = self.fresh(side, "save_image", {"path": str(out / "fresh.fits"), "sizes": sizes})
            if timed:
                add(self.samples, "2-save-total", side, result["total_s"])
                add(self.samples, "2-save-after-import", side, result["work_s"])
        for side in order:
            result = self.fresh(side, "open_image", {"path": str(self.written_by(side) / "image.fits")})
            self.check("open FITS", side, result, image_sum)
            if timed:
                add(self.samples, "3-open-total", side, result["total_s"])
                add(self.samples, "3-io-import", side, result["io_import_s"])
                add(self.samples, "3-first-open", side, result["work_s"])
        if timed:
            self.open_points()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.fresh", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("--repeats", type=int, default=11, help="fresh processes per side and row (11)")
    parser.add_argument("--reference", action="store_true", help="measure stdatamodels too")
    parser.add_argument("--fixtures", type=Path, help="keep the reference's files here between runs")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one repeat: a smoke run")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    sizes = replace(QUICK, repeats=1) if args.quick else replace(FULL, repeats=args.repeats)
    sides = SIDES if args.reference else tuple(side for side in SIDES if side != "stdatamodels")
    with tempfile.TemporaryDirectory(prefix="jwstmodels-bench-fresh-") as tmp:
        folder = args.fixtures or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        run = FreshRun(sizes, folder, sides=sides)
        run.fixtures()
        run.save_and_open(0, timed=False)
        run.samples.clear()
        for repeat in range(sizes.repeats):
            run.interpreter.append(interpreter_start())
            run.save_and_open(repeat)
            log(f"  repeat {repeat + 1}/{sizes.repeats} done")
    rows = summarise(run.samples, sizes)
    print(f"interpreter start-up: {statistics.median(run.interpreter) * 1e3:.0f} ms; {sizes.repeats} repeats")
    print(f"{'row':<22}" + "".join(f"{side:>14}" for side in sides) + f"{'jwstmodels/floor':>18}")
    for row_id in ROWS:
        row = rows[row_id]
        cells = "".join(
            f"{row['display'][side]:>11.1f} {ROW_BY_ID[row_id].unit}"
            if row["display"].get(side) is not None
            else f"{'-':>14}"
            for side in sides
        )
        ratio = row["ratios"]["jwstmodels/floor"]
        print(f"{row_id:<22}{cells}{'' if ratio is None else f'{ratio:>17.2f}x'}")
    points = open_points(rows)
    print(
        "row 3's floor with more imported first, against the floor: "
        + ", ".join(f"{process} {ratio:.2f}x" for process, ratio in points.items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
