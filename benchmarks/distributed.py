"""scan and map over many files, serially and on a 2-worker Dask LocalCluster (issue 17):
`python -m benchmarks.distributed [--quick]`, also run at the end of `make bench`.

1. Serial `jwstmodels.scan` of 2,000 small ImageModel FITS files written by the reference (stdatamodels),
   five typed fields, beside astropy opening the same files and reading every card value of every header in a
   loop (what a scan must at least do). Target: within 1.5x.
2. The same scan on a LocalCluster (2 worker processes, loopback) beside the serial one. Target: >= 1.6x the
   serial rate.
3. `jwstmodels.map` of a cheap function (the data sum) over 200 of the files, on the cluster beside serially.
   Target: >= 1.5x.

The reference writes 20 distinct files (different values, untimed), copied to make up the count; every file
is in the page cache when read. The scan reads every file SCAN_PASSES times per side, in SCAN_PARTS parts
with the sides taking turns; map runs three times per side, in turns. A ratio is the median of the paired
ratios (per part, per repeat); the times shown are the scan's time per pass and map's medians. The workers are
warmed up (imports, first open) before timing; the cluster's start-up is reported apart.
"""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false
# (this script drives stdatamodels and astropy, which ship no or partial annotations)

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

FIELDS = (
    "meta.exposure.nframes",
    "meta.exposure.exposure_time",
    "meta.instrument.name",
    "meta.observation.program_number",
    "meta.exposure.zero_frame",
)
DISTINCT = 20
SCAN_PARTS = 1
"""Each scan call reads all the files (the scan the target names: 2,000 files, one call); the sides take turns
after each part."""
SCAN_PASSES = 3
"""Passes over the files per side: one paired figure each, taken under the same machine load."""
TARGETS = {"scan_vs_astropy": 1.5, "scan_cluster_speedup": 1.6, "map_cluster_speedup": 1.5}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def write_reference_files(folder: Path, count: int) -> list[Path]:
    """``count`` small FITS files written by stdatamodels (DISTINCT of them, then copies)."""
    from stdatamodels.jwst import datamodels

    folder.mkdir(parents=True, exist_ok=True)
    originals: list[Path] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the reference's own deprecation notices are not measured
        for index in range(min(DISTINCT, count)):
            model: Any = datamodels.ImageModel((16, 16))
            model.data[...] = np.full((16, 16), index, dtype=np.float32)
            model.meta.exposure.nframes = 1 + index
            model.meta.exposure.exposure_time = 10.0 * (index + 1)
            model.meta.instrument.name = "NIRCAM"
            model.meta.observation.program_number = f"{1000 + index:05d}"
            model.meta.exposure.zero_frame = index % 2 == 0
            path = folder / f"ref{index:04d}_cal.fits"
            model.save(str(path))
            model.close()
            originals.append(path)
    paths = list(originals)
    for index in range(len(originals), count):
        path = folder / f"ref{index:04d}_cal.fits"
        shutil.copyfile(originals[index % len(originals)], path)
        paths.append(path)
    return paths


def astropy_headers(paths: list[Path]) -> int:
    """The floor: open each file with astropy, read every card value of every header, close."""
    from astropy.io import fits

    cards = 0
    for path in paths:
        with fits.open(path) as hdul:
            for hdu in hdul:
                for card in hdu.header.cards:
                    _ = card.value
                    cards += 1
    return cards


def own_session() -> None:
    """Run in each worker: put it in a session of its own. Linux with automatic task groups (``autogroup``,
    on by default on desktops and here) shares the CPU fairly between sessions, not processes: on a busy
    machine both workers of a LocalCluster, in the benchmark's session, then get one session's share, as the
    serial scan does, and no cluster could be faster. In sessions of their own they get what two worker
    processes get on an idle machine, or two machines: a share each."""
    with contextlib.suppress(OSError):  # already a session leader
        os.setsid()


def cheap(model: Any) -> float:
    """The function mapped: touches the data, returns its sum."""
    return float(np.sum(model["data"]))


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def run_distributed(quick: bool = False) -> dict[str, Any]:
    """Run the three cases; print a table; return the figures for the JSON document."""
    from distributed import Client, LocalCluster

    import jwstmodels

    count, map_count, repeats = (20, 10, 1) if quick else (2000, 200, 3)
    figures: dict[str, list[float]] = {}

    def add(name: str, value: float) -> None:
        figures.setdefault(name, []).append(value)

    with tempfile.TemporaryDirectory(prefix="jwstmodels-bench-dist-") as tmp:
        start = time.perf_counter()
        paths = write_reference_files(Path(tmp), count)
        log(f"  distributed: {count} reference files written in {time.perf_counter() - start:.1f} s")
        jwstmodels.scan(paths[:5], FIELDS)  # first use (imports, caches) is not the scan's rate
        astropy_headers(paths[:5])
        start = time.perf_counter()
        with (
            LocalCluster(
                n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            startup = time.perf_counter() - start
            client.run(own_session)
            jwstmodels.scan(paths[:20], FIELDS, client=client)  # warm the workers
            jwstmodels.map(cheap, paths[:20], client=client)
            sides = ["astropy", "serial", "cluster"]
            part_size = -(-count // SCAN_PARTS)
            # every file read once per side and pass; the sides take turns, the first changing each time
            for turn, part in enumerate([*range(SCAN_PARTS)] * SCAN_PASSES):
                some = paths[part * part_size : (part + 1) * part_size]
                expected = [1 + (part * part_size + index) % DISTINCT for index in range(len(some))]
                for side in sides[turn % 3 :] + sides[: turn % 3]:
                    if side == "astropy":
                        seconds, _ = timed(lambda some=some: astropy_headers(some))
                    else:
                        use = client if side == "cluster" else None
                        seconds, table = timed(
                            lambda some=some, use=use: jwstmodels.scan(some, FIELDS, client=use)
                        )
                        got = table["meta.exposure.nframes"].tolist()
                        if got != expected or table["error"].notna().any():
                            raise RuntimeError(f"scan ({side}) read wrong values")
                    add(f"scan_{side}", seconds)
            log("  distributed: scan done")
            map_paths = paths[:map_count]
            sums = [16.0 * 16.0 * (index % DISTINCT) for index in range(map_count)]
            for repeat in range(repeats):
                for side in ("serial", "cluster")[:: 1 if repeat % 2 == 0 else -1]:
                    use = client if side == "cluster" else None
                    seconds, result = timed(lambda use=use: jwstmodels.map(cheap, map_paths, client=use))
                    if result != sums:
                        raise RuntimeError(f"map ({side}) computed wrong values")
                    add(f"map_{side}", seconds)
            log("  distributed: map done")

    def paired(a: str, b: str) -> float:
        return statistics.median(x / y for x, y in zip(figures[a], figures[b], strict=True))

    ratios = {
        "scan_vs_astropy": paired("scan_serial", "scan_astropy"),
        "scan_cluster_speedup": paired("scan_serial", "scan_cluster"),
        "map_cluster_speedup": paired("map_serial", "map_cluster"),
    }
    totals = {
        name: sum(values) / SCAN_PASSES if name.startswith("scan") else statistics.median(values)
        for name, values in figures.items()
    }
    print(f"\nscan and map ({count} files by the reference, map over {map_count}; 2-worker LocalCluster)")
    for name, value in totals.items():
        files = map_count if name.startswith("map") else count
        print(f"  {name:<14} {value:8.2f} s   {1000 * value / files:6.2f} ms/file")
    print(f"  cluster start-up {startup:.1f} s (not in the figures); each worker in a session of its own")
    rules = {
        "scan_vs_astropy": "serial scan / astropy headers (<= {t})",
        "scan_cluster_speedup": "serial / cluster scan (>= {t})",
        "map_cluster_speedup": "serial / cluster map (>= {t})",
    }
    verdicts: dict[str, bool] = {}
    for name, ratio in ratios.items():
        target = TARGETS[name]
        met = ratio <= target if name == "scan_vs_astropy" else ratio >= target
        verdicts[name] = met
        print(f"  {rules[name].format(t=target):<42} {ratio:5.2f}  {'met' if met else 'NOT met'}")
    return {
        "files": count,
        "map_files": map_count,
        "repeats": repeats,
        "cluster_startup_s": startup,
        "samples": figures,
        "seconds": totals,
        "scan_parts": SCAN_PARTS,
        "ratios": ratios,
        "targets": TARGETS,
        "met": verdicts,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.distributed", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="20 files, one repeat: a smoke run")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    result = run_distributed(args.quick)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
