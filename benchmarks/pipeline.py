"""The JWST pipeline on each side (issue 16): wall time of calwebb_detector1 + calwebb_image2 on the small
NIRCam exposure of ``tests/pipeline`` (2 integrations x 5 groups x 64 x 64), run through stpipe with the
reference implementation and with ``jwstmodels.compat.install()``, each in its own process.

Rows: the seconds each stage took inside the run (``detector1``, ``image2``: the data models' share plus the
pipeline's own work, which is the same on both sides) and the process's wall time (with interpreter start and
imports). A stage that fails on a side is reported as failed with the last line of its error, not timed.
Runs in the pipeline's own environment, ``.venv-pipeline`` (``make pipeline-test`` makes it: jwst 3.0 needs
asdf < 6, so it is not installed in ``.venv``); when that environment does not exist the section says so and
measures nothing.
"""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.processes import ROOT

PIPELINE_PYTHON = ROOT / ".venv-pipeline" / "bin" / "python"
"""The interpreter of the pipeline's environment (made by ``make pipeline-test``)."""
STAGES = ("detector1", "image2")
SIDES = {"reference": (), "jwstmodels": ("--switch",)}


def _drive(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.perf_counter()
    result = subprocess.run(
        [str(PIPELINE_PYTHON), "-m", "tests.pipeline.drive", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return result, time.perf_counter() - started


def _pipeline_environment() -> bool:
    """True when the pipeline's environment exists and has jwst."""
    if not PIPELINE_PYTHON.is_file():
        return False
    found = subprocess.run(
        [str(PIPELINE_PYTHON), "-c", "import jwst"], capture_output=True, timeout=120, check=False
    )
    return found.returncode == 0


def run_pipeline(quick: bool) -> dict[str, Any]:
    """Measure, print a table, and return the figures for the JSON document."""
    import json

    if not _pipeline_environment():
        note = "not measured: no pipeline environment (.venv-pipeline with jwst; make pipeline-test makes it)"
        print(f"\npipeline (issue 16): {note}")
        return {"skipped": note}
    repeats = 1 if quick else 2
    samples: dict[str, dict[str, list[float]]] = {}
    failures: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="jwstmodels-bench-pipeline-") as tmp:
        folder = Path(tmp)
        made, _ = _drive("inputs", str(folder / "in"))
        if made.returncode != 0:
            raise RuntimeError(f"writing the pipeline inputs failed:\n{made.stderr[-2000:]}")
        for repeat in range(repeats):
            order = list(SIDES) if repeat % 2 == 0 else list(reversed(SIDES))
            for side in order:
                out = folder / f"{side}-{repeat}"
                for stage in STAGES:
                    if f"{side}/{stage}" in failures:
                        continue
                    result, wall = _drive(
                        "run", str(folder / "in"), str(out), *SIDES[side], f"--stage={stage}"
                    )
                    if result.returncode != 0:
                        last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
                        failures[f"{side}/{stage}"] = last
                        continue
                    report = json.loads((out / f"run-{stage}.json").read_text())
                    samples.setdefault(f"{stage} (in run)", {}).setdefault(side, []).append(
                        report["seconds"][stage]
                    )
                    samples.setdefault(f"{stage} (process wall)", {}).setdefault(side, []).append(wall)
    rows = {
        row: {side: statistics.median(values) for side, values in by.items()} for row, by in samples.items()
    }
    print(f"\npipeline (issue 16): detector1 + image2, median of {repeats} run(s) per side, seconds")
    print(f"  {'row':28s} {'reference':>10s} {'jwstmodels':>11s}")
    for row, by in rows.items():
        cells = [f"{by[side]:10.2f}" if side in by else f"{'failed':>10s}" for side in SIDES]
        print(f"  {row:28s} {cells[0]} {cells[1]:>11s}")
    for where, reason in failures.items():
        print(f"  failed: {where}: {reason}")
    return {"repeats": repeats, "rows": rows, "failures": failures}
