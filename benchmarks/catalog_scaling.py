"""Cases 9: the generated package stays light as the catalogue grows, and stays cheap for a type checker.

    python -m benchmarks.catalog_scaling [--quick]      (also run by ``make bench``, rows 9-*)

Every figure comes from a fresh process; the sides take turns within each repeat (their order changes from one
repeat to the next), so that a ratio is the median of ratios of figures taken back to back (see
`benchmarks.report`).

- ``9-import-light``: ``import jwstmodels`` beside ``import numpy`` + ``from pydantic import BaseModel``
  alone (the floor column) and the reference (``stdatamodels.jwst.datamodels``).
- ``9-import-doubled``: ``import jwstmodels`` on a catalogue twice the size (`benchmarks.twin_catalog`),
  beside the same import on the package's own catalogue (the floor column): the ratio is the import's growth
  when the catalogue doubles.
- ``9-first-use``: after the import, in the same process: ``ImageModel((64, 64))`` and one metadata field set.
- ``9-pyright``: a cold pyright (a new process, no cache: pyright keeps none between runs) in strict mode on a
  user script of ten lines of code that opens an ImageModel, edits two metadata fields and saves it, beside
  the same on a script as long that imports only numpy and pydantic and does the same work with a pydantic
  model (the floor column). Both must check clean, so that the types were really resolved. Wall time, node
  start-up included.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.processes import ROOT, BenchmarkFailed, child_environment
from benchmarks.twin_catalog import PACKAGE as GENERATED
from benchmarks.twin_catalog import doubled_catalogue

Samples = dict[str, dict[str, list[float]]]

CHILD_SIDES = ("jwstmodels", "doubled", "numpy-pydantic", "stdatamodels")
"""The fresh processes of one repeat (`benchmarks.catalog_child`), in the order of even repeats; odd repeats
take them in reverse. The two catalogues are always measured back to back (their ratio is a target), and
every side is as often early as late in a repeat."""

USER_SCRIPT = """\
import numpy as np

import jwstmodels


def relabel(path: str, out: str) -> None:
    model = jwstmodels.ImageModel(path)
    exposure = model.meta.exposure
    exposure.nframes = 4
    model.meta.instrument.detector = "NRCA1"
    model.data[:] = np.clip(model.data, 0.0, None)
    model.save(out)
    print(exposure.nframes, model.shape)
"""
"""What a new user writes first: open a file as an ImageModel, edit two metadata fields, save."""

PLAIN_SCRIPT = """\
import numpy as np
import pydantic


class Exposure(pydantic.BaseModel):
    nframes: int = 1
    detector: str = ""


def relabel(path: str, out: str) -> None:
    exposure = Exposure.model_validate_json(open(path).read())
    exposure.nframes = 4
    exposure.detector = "NRCA1"
    np.save(out, np.clip(np.zeros((64, 64)), 0.0, None))
"""
"""The same work with numpy and a pydantic model alone: the floor of any typed library built on them."""


@dataclass(frozen=True)
class CatalogSizes:
    import_repeats: int
    """Repeats of the four fresh processes (import and first use)."""
    pyright_repeats: int
    """Pairs of cold pyright runs (user script, plain script; the order alternates)."""
    warm_up: bool = True
    """One untimed process per side first (bytecode compiled, files in the page cache)."""


FULL = CatalogSizes(import_repeats=7, pyright_repeats=4)
QUICK = CatalogSizes(import_repeats=1, pyright_repeats=1, warm_up=False)


def _add(samples: Samples, row: str, side: str, value: float) -> None:
    samples.setdefault(row, {}).setdefault(side, []).append(value)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def rotated(names: tuple[str, ...], repeat: int) -> list[str]:
    shift = repeat % len(names)
    return [*names[shift:], *names[:shift]]


def run_child(side: str, doubled: Path) -> dict[str, Any]:
    """One fresh `benchmarks.catalog_child` process. The two catalogues' processes get the folder of their
    generated package first on their path: ``doubled`` for side ``doubled``, the normal package's own folder
    for side ``jwstmodels`` (where it is found anyway), so that both search the same number of folders."""
    env = child_environment()
    first = {"doubled": str(doubled), "jwstmodels": package_folder(GENERATED)}.get(side)
    if first is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [first, env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.catalog_child", side],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise BenchmarkFailed(
            f"catalogue benchmark {side} failed (exit {done.returncode}):\n{done.stderr[-3000:]}"
        )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    check_child(side, result, doubled)
    return result


def check_child(side: str, result: dict[str, Any], doubled: Path) -> None:
    """The process ran on the catalogue it was meant to: the doubled one has the twins, the normal one not."""
    if side not in ("jwstmodels", "doubled"):
        return
    in_doubled = Path(result["package"]).resolve().is_relative_to(doubled.resolve())
    if (side == "doubled") != in_doubled or (side == "doubled") != result["twins"]:
        raise BenchmarkFailed(
            f"catalogue benchmark {side}: imported the generated package {result['package']} "
            f"(twin models present: {result['twins']}), expected the "
            f"{'doubled catalogue in ' + str(doubled) if side == 'doubled' else 'normal catalogue'}"
        )


def pyright_command() -> list[str]:
    """The project's pyright (from the same environment as this interpreter)."""
    return [str(Path(sys.executable).parent / "pyright"), "--outputjson"]


def package_folder(name: str) -> str:
    """The folder this interpreter imports the package ``name`` from (in an editable install, a folder the
    environment's ``.pth`` file lists)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise BenchmarkFailed(f"{name} is not importable here")
    return str(Path(next(iter(spec.submodule_search_locations))).parent)


def write_pyright_project(folder: Path) -> dict[str, Path]:
    """The two scripts and a strict ``pyrightconfig.json`` using this interpreter's environment."""
    folder.mkdir(parents=True, exist_ok=True)
    config = {
        "venvPath": str(Path(sys.prefix).parent),
        "venv": Path(sys.prefix).name,
        # pyright checks the same code the import benchmarks run
        "extraPaths": list(dict.fromkeys(package_folder(name) for name in ("jwstmodels", GENERATED))),
        "typeCheckingMode": "strict",
        "pythonVersion": f"{sys.version_info.major}.{sys.version_info.minor}",
    }
    (folder / "pyrightconfig.json").write_text(json.dumps(config, indent=2) + "\n")
    scripts = {"jwstmodels": folder / "user_jwstmodels.py", "floor": folder / "user_numpy_pydantic.py"}
    scripts["jwstmodels"].write_text(USER_SCRIPT)
    scripts["floor"].write_text(PLAIN_SCRIPT)
    return scripts


def cold_pyright(script: Path) -> float:
    """Wall time of one new pyright process checking ``script``; it must find nothing to report."""
    start = time.perf_counter()
    done = subprocess.run(
        [*pyright_command(), "-p", str(script.parent), str(script)],
        cwd=script.parent,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    try:
        report: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise BenchmarkFailed(
            f"pyright on {script.name} gave no report (exit {done.returncode}):\n{done.stderr[-3000:]}"
        ) from None
    summary = report["summary"]
    clean = not (summary["errorCount"] or summary["warningCount"]) and summary["filesAnalyzed"] == 1
    if done.returncode != 0 or not clean:
        messages = [d["message"] for d in report.get("generalDiagnostics", [])]
        raise BenchmarkFailed(f"pyright on {script.name} did not check clean: {summary}, {messages[:5]}")
    return seconds


@dataclass
class CatalogRun:
    sizes: CatalogSizes
    folder: Path
    log: Callable[[str], None] = _log

    def __post_init__(self) -> None:
        self.samples: Samples = {}
        self.meta: dict[str, Any] = {}
        self.doubled = Path()

    def prepare(self) -> None:
        """Untimed: the doubled catalogue (generated or from the cache), then (``warm_up``) one process per
        side, which compiles the bytecode of whatever the timed processes load."""
        start = time.perf_counter()
        self.doubled, counts = doubled_catalogue()
        self.meta["models"] = counts
        self.meta["doubled_catalogue"] = str(self.doubled)
        if self.sizes.warm_up:
            for side in CHILD_SIDES:
                run_child(side, self.doubled)
        self.log(
            f"  catalogue: {counts['normal']} models, doubled {counts['doubled']}; "
            f"ready in {time.perf_counter() - start:.1f} s"
        )

    def imports(self, repeat: int) -> None:
        for side in CHILD_SIDES if repeat % 2 == 0 else CHILD_SIDES[::-1]:
            result = run_child(side, self.doubled)
            if side in ("jwstmodels", "doubled"):
                modules = self.meta.setdefault("generated_modules_after_import", {})
                modules[side] = result["generated_modules_after_import"]
            if side == "jwstmodels":
                _add(self.samples, "9-import-light", "jwstmodels", result["import_s"])
                _add(self.samples, "9-import-doubled", "floor", result["import_s"])
                _add(self.samples, "9-first-use", "jwstmodels", result["first_use_s"])
            elif side == "doubled":
                _add(self.samples, "9-import-doubled", "jwstmodels", result["import_s"])
            elif side == "numpy-pydantic":
                _add(self.samples, "9-import-light", "floor", result["import_s"])
            else:
                _add(self.samples, "9-import-light", "stdatamodels", result["import_s"])
                _add(self.samples, "9-first-use", "stdatamodels", result["first_use_s"])

    def pyright(self, repeat: int, scripts: dict[str, Path]) -> None:
        for side in rotated(("jwstmodels", "floor"), repeat):
            _add(self.samples, "9-pyright", side, cold_pyright(scripts[side]))

    def run(self) -> Samples:
        start = time.perf_counter()
        self.prepare()
        for repeat in range(self.sizes.import_repeats):
            self.imports(repeat)
        self.log(f"  catalogue imports: {self.sizes.import_repeats} repeats done")
        scripts = write_pyright_project(self.folder / "pyright")
        for repeat in range(self.sizes.pyright_repeats):
            self.pyright(repeat, scripts)
            self.log(f"  cold pyright pair {repeat + 1}/{self.sizes.pyright_repeats} done")
        self.meta["duration_s"] = time.perf_counter() - start
        self.log(f"  cases 9 done in {self.meta['duration_s']:.0f} s")
        return self.samples


def measure(sizes: CatalogSizes, folder: Path) -> tuple[Samples, dict[str, Any]]:
    """Rows 9-*: samples per row and side, and facts for the JSON document (model counts, cache folder)."""
    run = CatalogRun(sizes, folder)
    return run.run(), run.meta


def main(argv: list[str] | None = None) -> int:
    from benchmarks.cases import ROWS
    from benchmarks.report import summarise, table, verdicts
    from benchmarks.workload import FULL as FULL_SIZES
    from benchmarks.workload import QUICK as QUICK_SIZES

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.catalog_scaling", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="one repeat of each: a smoke run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jwstmodels-catalog-bench-") as tmp:
        samples, _ = measure(QUICK if args.quick else FULL, Path(tmp))
    every = summarise(samples, QUICK_SIZES if args.quick else FULL_SIZES)  # other rows: no figures
    ours = {row.id for row in ROWS if row.id.startswith("9-")}
    rows = {row_id: row for row_id, row in every.items() if row_id in ours}
    targets = [verdict for verdict in verdicts(every, 1.0) if verdict["row"] in ours]
    print(table(rows, targets, None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
