"""Benchmarks of jwstmodels: `make bench` (or `python benchmarks/run.py --quick` for a smoke run).

Each figure is the median over repeats; fresh-process figures start a new interpreter per repeat, so they
include interpreter start-up (measured separately as `python -c pass` and printed beside them).
Results are printed as a table and written to `.bench/results.json`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fresh(code: str, repeats: int) -> float:
    """Median wall time (s) of running ``code`` in a new interpreter."""
    times: list[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def per_call(function: Callable[[], object], number: int, repeats: int) -> float:
    """Median time (s) of one call of ``function``."""
    return statistics.median(t / number for t in timeit.repeat(function, number=number, repeat=repeats))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few repeats: a smoke run, not a measurement")
    args = parser.parse_args()
    repeats = 3 if args.quick else 11
    results: dict[str, float] = {}

    results["python -c pass (s)"] = fresh("pass", repeats)
    results["cold import jwstmodels (s)"] = fresh("import jwstmodels", repeats)

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [sys.executable, "-m", "codegen", "--schemas", "schemas", "--out", f"{out}/pkg"],
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
    results["generate all schemas (s)"] = time.perf_counter() - start

    import numpy as np

    import jwstmodels

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "image.fits"
        model = jwstmodels.ImageModel((2048, 2048))
        model.data[:] = np.float32(1.0)
        model.meta.exposure.nframes = 4
        model.meta.instrument.name = "NIRCAM"
        model.save(path)
        results["fresh process: open ImageModel FITS, 5 fields, sum data (s)"] = fresh(
            "import jwstmodels\n"
            f"with jwstmodels.open({str(path)!r}) as m:\n"
            "    v = (m.meta.exposure.nframes, m.meta.instrument.name, m.meta.filename, m.meta.date,"
            " m.meta.model_type)\n"
            "    float(m.data.sum())\n",
            repeats,
        )

        def open_close() -> None:
            with jwstmodels.open(path) as m:
                _ = m.meta.exposure.nframes

        results["in process: open + close ImageModel FITS (ms)"] = 1e3 * per_call(open_close, 20, repeats)

    m = jwstmodels.ImageModel()
    m.meta.exposure.nframes = 3
    results["metadata get (ns)"] = 1e9 * per_call(lambda: m.meta.exposure.nframes, 100_000, repeats)

    def validated_set() -> None:
        m.meta.exposure.nframes = 5

    results["validated metadata set (ns)"] = 1e9 * per_call(validated_set, 50_000, repeats)
    results["empty ImageModel() (us)"] = 1e6 * per_call(jwstmodels.ImageModel, 2_000, repeats)

    width = max(map(len, results))
    for name, value in results.items():
        print(f"{name:<{width}}  {value:10.4g}")
    target = ROOT / ".bench" / "results.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
