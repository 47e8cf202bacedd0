"""`make bench`: jwstmodels beside stdatamodels (the reference) and the floor (astropy/asdf/numpy by hand).

    python -m benchmarks.run [--quick] [--repeats N] [--out PATH]

Every figure is the median over repeats, and the sides take turns within each repeat (A B C, then B C A, ...)
so that they share the machine's noise; a ratio is the median of the per-figure ratios, each of two figures
taken back to back. Operations that take milliseconds give several figures per repeat (``ROUNDS``), and the
scan is read in parts (``SCAN_PARTS``), the sides taking turns after each.

Fresh-process figures (cases 2, 3, 6) start a new interpreter per measurement and time inside it, from just
before the library import, which is timed alone first (case 1); interpreter start-up is printed separately and
every process runs with bytecode caching on (see `processes.child_environment`). In-process figures (cases 4,
5, 7, 8) come from one long-lived worker process per side, warmed up first. Every side reads the files the
reference wrote (cases 3, 5, 6), as users' files are: the image and the scan files carry a gwcs WCS like the
one assign_wcs leaves (`benchmarks.reference_wcs`), its arrays as binary blocks in the ``ASDF`` extension.
Case 3 has two reference points (`cases.OPEN_POINTS`), each the floor's open and sum in a process that first
imports more: pydantic, or jwstmodels and its FITS backend (no model class built); in their rows the floor
column holds that process, and a line under the table gives both against the floor: what is left of case 3's
ratio to the model classes and the open. Case 7 reads each side's own saves. Files live in a temporary
directory on the local disk and are in the page cache when read (warm reads).

Case 5: the metadata scan (``jwstmodels.scan``; the reference has none and opens each file), open + 5 keyword
values per file, and the first ``meta.wcs`` access after an open beside asdf opening the extension and
converting its WCS by hand (both must give the same sky positions; a side without ``meta.wcs`` is reported
as not available, not measured). The scan rows are measured in the first ``SCAN_REPEATS`` repeats.

Like for like: the first open (case 3) starts, on every side, with numpy and astropy.io.fits loaded (the
reference loads them at import, jwstmodels on first use; that load is its own row and is in the total). The
floor reads every header of a FITS file, every card's value, as a model's open does (cases 5 and 7), and
writes the HDUs jwstmodels writes, the ``ASDF`` extension included (with what jwstmodels puts there: the
metadata the header cards do not carry, here none; built without the astropy.table import that
``BinTableHDU.from_columns`` costs a fresh process). Saves in case 7 go to a new file (the previous output is
removed, untimed); the same save over an existing file, where jwstmodels' atomic replace makes the file system
write the new file out before the rename, has its own row.

Cases 9 (`benchmarks.catalog_scaling`, issue 13) run after the fresh-process cases, in fresh processes too:
the import beside numpy + pydantic alone and beside the same import on a catalogue twice the size (generated
for the benchmark, cached in ``.bench/twin-catalog``), the first use of one model class, and a cold pyright on
a short user script; in their rows the floor column holds the baseline their title names.

The ratios and the targets of DESIGN section 6 are printed as a table and written as JSON (default
`.bench/results.json`). `--quick` shrinks sizes and repeats to a smoke run whose numbers mean nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, replace
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import catalog_scaling
from benchmarks.cases import INTERPRETER, OPEN_POINTS, ROW_BY_ID
from benchmarks.processes import ROOT, BenchmarkFailed, Worker, interpreter_start, run_fresh, run_together
from benchmarks.report import Samples, summarise, table, verdicts
from benchmarks.workload import FIVE, FULL, QUICK, SIDES, TEN, Sizes, values

WORKER_OPS = {
    "meta_get": "4-meta-get",
    "meta_set": "4-meta-set",
    "scan": "5-scan",
    "open5": "5-open-five",
    "first_wcs": "5-first-wcs",
    "save_asdf": "7-asdf-save",
    "open_asdf": "7-asdf-open",
    "save_fits": "7-fits-save",
    "overwrite_fits": "7-fits-overwrite",
    "open_fits": "7-fits-open",
    "validate": "8-validate",
}

ROUNDS = {"first_wcs": 5, "save_asdf": 3, "open_asdf": 5, "save_fits": 3, "overwrite_fits": 3, "open_fits": 5}
"""Measurements per repeat of the operations that take milliseconds: one figure each, the sides taking turns
after each one, so that a figure and its counterparts on the other sides are taken under the same noise."""
SCAN_REPEATS = 3
"""The scan rows (200 files per figure, seconds per side) are measured in the first SCAN_REPEATS repeats only:
a figure that long is steady, and the reference takes seconds to open 200 files with a gwcs."""
SCAN_PARTS = 4
"""The scan's files are read in this many parts, the sides taking turns after each part; a side's figure for
the repeat is the sum of its parts."""


def rotated(repeat: int) -> list[str]:
    shift = repeat % len(SIDES)
    return [*SIDES[shift:], *SIDES[:shift]]


def add(samples: Samples, row: str, side: str, value: float) -> None:
    samples.setdefault(row, {}).setdefault(side, []).append(value)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Run:
    def __init__(self, sizes: Sizes, folder: Path) -> None:
        self.sizes = sizes
        self.folder = folder
        self.samples: Samples = {}
        self.interpreter: list[float] = []
        self.process_wall: dict[str, dict[str, list[float]]] = {}
        """Per fresh task and side, wall time from process start to exit (start-up and shutdown included)."""
        self.expected = [values(FIVE)[path] for path in FIVE]
        self.unavailable: set[tuple[str, str]] = set()
        """(row, side) pairs a side cannot measure (``meta.wcs`` before jwstmodels has it)."""

    def written_by(self, side: str) -> Path:
        """Files every side reads: the reference's (stdatamodels writes what users have)."""
        del side
        return self.folder / "stdatamodels"

    def fixtures(self) -> None:
        """Written first by the reference (untimed); then jwstmodels writes its own image and reads the
        reference's files once (bytecode caches, see `tasks.write_fixtures`)."""
        start = time.perf_counter()
        sizes = self.sizes.as_dict()
        reference = self.written_by("stdatamodels")
        run_together([("stdatamodels", "fixtures", {"dir": str(reference), "sizes": sizes})])
        run_together(
            [
                (
                    "jwstmodels",
                    "fixtures",
                    {"dir": str(self.folder / "jwstmodels"), "sizes": sizes, "read_dir": str(reference)},
                )
            ]
        )
        log(f"  fixtures written in {time.perf_counter() - start:.1f} s")

    def fresh(self, side: str, task: str, args: dict[str, Any]) -> dict[str, Any]:
        result = run_fresh(side, task, args)
        self.process_wall.setdefault(task, {}).setdefault(side, []).append(result["process_s"])
        add(self.samples, "1-import", side, result["import_s"])
        return result

    def check(self, what: str, side: str, result: dict[str, Any], total: float | None = None) -> None:
        """The benchmark must have done the work: the values read are the values written."""
        if "values" in result and result["values"] != self.expected:
            raise BenchmarkFailed(f"{side} {what}: read {result['values']}, expected {self.expected}")
        if total is not None and result["sum"] != total:
            raise BenchmarkFailed(f"{side} {what}: data sum {result['sum']}, expected {total}")

    def fresh_cases(self, repeat: int) -> None:
        """Cases 2, 3 and 6, each side in a new interpreter; every one of those processes starts by timing its
        cold import with nothing else loaded, which gives case 1 three samples per side and repeat."""
        sizes = self.sizes.as_dict()
        image_sum = float(self.sizes.image[0] * self.sizes.image[1])
        group_sum = float(self.sizes.ramp[2] * self.sizes.ramp[3])
        self.interpreter.append(interpreter_start())
        order = rotated(repeat)
        for side in order:
            out = self.folder / "out" / side
            out.mkdir(parents=True, exist_ok=True)
            result = self.fresh(side, "save_image", {"path": str(out / "fresh.fits"), "sizes": sizes})
            add(self.samples, "2-save-total", side, result["total_s"])
            add(self.samples, "2-save-after-import", side, result["work_s"])
        for side in order:
            result = self.fresh(side, "open_image", {"path": str(self.written_by(side) / "image.fits")})
            self.check("open FITS", side, result, image_sum)
            add(self.samples, "3-open-total", side, result["total_s"])
            add(self.samples, "3-io-import", side, result["io_import_s"])
            add(self.samples, "3-first-open", side, result["work_s"])
        self.open_points()
        for side in order:
            folder = self.written_by(side)
            result = self.fresh(
                side,
                "ramp",
                {
                    "path": str(folder / "ramp.fits"),
                    "warm_path": str(folder / "ramp_warm.fits"),
                    "sizes": sizes,
                },
            )
            self.check("ramp group", side, result, group_sum)
            add(self.samples, "6-ramp-read", side, result["work_s"])
            add(self.samples, "6-ramp-memory", side, result["rss_end_mib"] - result["rss_warm_mib"])
            add(self.samples, "6-ramp-memory-import", side, result["rss_end_mib"] - result["rss_import_mib"])

    def open_points(self) -> None:
        """Row 3's reference points (`cases.OPEN_POINTS`), right after row 3's own processes: each point's
        figure is its row's floor, the last jwstmodels figure of row 3 its jwstmodels figure."""
        path = str(self.written_by("floor") / "image.fits")
        image_sum = float(self.sizes.image[0] * self.sizes.image[1])
        for row_id, process in OPEN_POINTS.items():
            result = run_fresh(process, "open_image", {"path": path})
            self.check(f"open FITS ({process})", process, result, image_sum)
            add(self.samples, row_id, "floor", result["total_s"])
            add(self.samples, row_id, "jwstmodels", self.samples["3-open-total"]["jwstmodels"][-1])

    def in_process_cases(self, repeats: int) -> None:
        workers: dict[str, Worker] = {}
        try:
            start = time.perf_counter()
            for side in SIDES:  # set-up is untimed: the workers start side by side
                out = self.folder / "out" / side
                out.mkdir(parents=True, exist_ok=True)
                workers[side] = Worker(
                    side,
                    {
                        "sizes": self.sizes.as_dict(),
                        "read_dir": str(self.written_by(side)),
                        "write_dir": str(out),
                    },
                )
            for worker in workers.values():
                worker.wait_ready()
            log(f"  workers ready in {time.perf_counter() - start:.1f} s")
            image_sum = float(self.sizes.image[0] * self.sizes.image[1])
            for repeat in range(repeats):
                for op, row in WORKER_OPS.items():
                    if op in ("scan", "open5"):
                        if repeat < SCAN_REPEATS:
                            self.scan(workers, repeat, op)
                        continue
                    if op == "first_wcs":
                        self.first_wcs(workers, repeat)
                        continue
                    for _ in range(ROUNDS.get(op, 1)):
                        for side in rotated(repeat):
                            worker = workers[side]
                            if op.startswith(("meta", "validate")) and op not in worker.ready["per_op"]:
                                continue
                            result = worker.run(op)
                            self.check(op, side, result, image_sum if op.startswith("open") else None)
                            if op == "meta_set" and side != "floor" and not result["validated"]:
                                raise BenchmarkFailed(
                                    f"{side}: a wrong-typed assignment was accepted silently"
                                )
                            add(self.samples, row, side, result["seconds"])
                log(f"  in-process repeat {repeat + 1}/{repeats} done")
        finally:
            for worker in workers.values():
                worker.close()

    def scan(self, workers: dict[str, Worker], repeat: int, op: str) -> None:
        """One figure per side for case 5 (``op``: ``scan``, the side's metadata scan, or ``open5``, a loop
        of open + 5 fields + close): every scan file read once, in parts taken in turns."""
        seconds: dict[str, float] = dict.fromkeys(SIDES, 0.0)
        files: dict[str, int] = dict.fromkeys(SIDES, 0)
        sides = ROW_BY_ID[WORKER_OPS[op]].sides
        for part in range(SCAN_PARTS):
            for side in rotated(repeat + part):
                if side not in sides:
                    continue
                result = workers[side].run(f"{op}:{part}/{SCAN_PARTS}")
                self.check(op, side, result)
                seconds[side] += result["seconds"]
                files[side] += result["files"]
        for side in sides:
            if files[side] != self.sizes.scan_files:
                raise BenchmarkFailed(f"{side} {op}: read {files[side]} files of {self.sizes.scan_files}")
            add(self.samples, WORKER_OPS[op], side, seconds[side])

    def first_wcs(self, workers: dict[str, Worker], repeat: int) -> None:
        """Case 5, the first ``meta.wcs`` access after an open, beside asdf converting the extension's WCS;
        both must give the same sky positions. A side without ``meta.wcs`` is noted, not measured."""
        skies: dict[str, object] = {}
        for _ in range(ROUNDS["first_wcs"]):
            for side in rotated(repeat):
                if side not in ROW_BY_ID["5-first-wcs"].sides:
                    continue
                result = workers[side].run("first_wcs")
                if not result["available"]:
                    self.unavailable.add(("5-first-wcs", side))
                    continue
                skies[side] = result["sky"]
                add(self.samples, "5-first-wcs", side, result["seconds"])
        if len({json.dumps(sky) for sky in skies.values()}) > 1:
            raise BenchmarkFailed(f"first meta.wcs: the sides' WCS differ at the sample pixels: {skies}")


def versions() -> dict[str, str]:
    names = ("jwstmodels", "stdatamodels", "astropy", "asdf", "numpy", "pydantic")
    return {name: metadata.version(name) for name in names}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one repeat: a smoke run")
    parser.add_argument(
        "--repeats",
        type=int,
        help="repeats per figure (default 5 in fresh processes, 9 in process; 1 with --quick)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / ".bench" / "results.json", help="JSON output")
    args = parser.parse_args(argv)
    if args.repeats is not None and args.repeats < 1:
        parser.error("--repeats must be at least 1")
    sizes = QUICK if args.quick else FULL
    if args.repeats is not None:
        sizes = replace(sizes, repeats=args.repeats, worker_repeats=args.repeats)
    catalog_sizes = catalog_scaling.QUICK if args.quick else catalog_scaling.FULL
    if args.repeats is not None:
        catalog_sizes = replace(catalog_sizes, import_repeats=args.repeats, pyright_repeats=args.repeats)

    started = time.perf_counter()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="jwstmodels-bench-") as tmp:
        run = Run(sizes, Path(tmp))
        log(f"writing fixtures into {tmp}")
        run.fixtures()
        for repeat in range(sizes.repeats):
            run.fresh_cases(repeat)
            log(f"  fresh-process repeat {repeat + 1}/{sizes.repeats} done")
        catalog_samples, catalog_meta = catalog_scaling.measure(catalog_sizes, Path(tmp) / "catalog")
        run.samples.update(catalog_samples)
        run.in_process_cases(sizes.worker_repeats)
        samples, interpreter, unavailable = run.samples, run.interpreter, run.unavailable
        process_wall = {
            task: {side: statistics.median(times) for side, times in by_side.items()}
            for task, by_side in run.process_wall.items()
        }
    duration = time.perf_counter() - started

    rows = summarise(samples, sizes)
    ramp_sci_mib = 4 * sizes.ramp[0] * sizes.ramp[1] * sizes.ramp[2] * sizes.ramp[3] / 2**20
    targets = verdicts(rows, ramp_sci_mib)
    interpreter_s = statistics.median(interpreter) if interpreter else None
    print(table(rows, targets, interpreter_s))
    for row_id, side in sorted(unavailable):
        print(f"(row {row_id} not measured for {side}: meta.wcs is not available there)")
    print(
        f"\n{'quick smoke run: sizes and repeats too small to mean anything; ' if args.quick else ''}"
        f"repeats: {sizes.repeats} fresh-process, {sizes.worker_repeats} in-process; {duration:.0f} s in all"
    )
    document = {
        "meta": {
            "quick": args.quick,
            "sizes": sizes.as_dict(),
            "ten_fields": TEN,
            "read_fields": FIVE,
            "ramp_sci_mib": ramp_sci_mib,
            "interpreter_start_s": interpreter_s,
            "interpreter_command": INTERPRETER,
            "process_wall_s": process_wall,
            "duration_s": duration,
            "python": sys.version,
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
            "versions": versions(),
            "catalog": {**catalog_meta, "sizes": asdict(catalog_sizes)},
        },
        "rows": rows,
        "targets": targets,
        "not_available": [{"row": row_id, "side": side} for row_id, side in sorted(unavailable)],
    }
    from benchmarks.distributed import run_distributed  # scan and map on Dask (issue 17), its own table

    document["distributed"] = run_distributed(quick=args.quick)
    from benchmarks.pipeline import run_pipeline  # the JWST pipeline on each side (issue 16), its own table

    document["pipeline"] = run_pipeline(quick=args.quick)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=2) + "\n")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
