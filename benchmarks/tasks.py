"""What a benchmark process does once its side's library is imported (see `benchmarks.child`)."""

from __future__ import annotations

import gc
import importlib
import json
import os
import resource
import shutil
import sys
import time
import timeit
from pathlib import Path
from typing import Any, TextIO

from benchmarks.child import IMPORTS
from benchmarks.sides import Side, get
from benchmarks.sides.floor import Floor
from benchmarks.sides.models import ModelLibrary
from benchmarks.workload import FIELDS, FIVE, TEN, Sizes, sizes_from, values


def _maxrss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _result_channel() -> TextIO:
    """The original stdout for results; fd 1 itself now goes to stderr, so library output cannot mix in."""
    channel = os.fdopen(os.dup(1), "w")
    sys.stdout.flush()
    os.dup2(2, 1)
    return channel


def _send(channel: TextIO, result: dict[str, Any]) -> None:
    channel.write(json.dumps(result) + "\n")
    channel.flush()


def main(side_name: str, task: str, raw_args: str, import_s: float) -> None:
    channel = _result_channel()
    args: dict[str, Any] = json.loads(raw_args)
    side = get(side_name)
    if task == "worker":
        Worker(side, args).serve(sys.stdin, channel)
        return
    result: dict[str, Any] = {"import_s": import_s, "rss_import_mib": _maxrss_mib()}
    start = time.perf_counter()
    if task == "save_image":
        sizes = sizes_from(args["sizes"])
        side.save(side.build_image(sizes.image, values(TEN)), args["path"])
    elif task == "open_image":
        # Every side starts the timed open with the floor's FITS libraries loaded: the other sides load them
        # at import, jwstmodels on first use. That load is timed on its own and counted in the total.
        for module in IMPORTS["floor"]:
            importlib.import_module(module)
        result["io_import_s"] = time.perf_counter() - start
        start = time.perf_counter()
        result["values"], result["sum"] = side.open_image(args["path"], FIVE)
    elif task == "ramp":
        sizes = sizes_from(args["sizes"])
        side.read_ramp_group(args["warm_path"], sizes.ramp_group)
        result["rss_warm_mib"] = _maxrss_mib()
        start = time.perf_counter()
        result["sum"] = side.read_ramp_group(args["path"], sizes.ramp_group)
    elif task == "fixtures":
        assert isinstance(side, ModelLibrary), "fixtures are written by the model libraries"
        read_dir = Path(args["read_dir"]) if args.get("read_dir") else None
        write_fixtures(side, Path(args["dir"]), sizes_from(args["sizes"]), read_dir)
    else:
        raise ValueError(f"unknown task {task!r}")
    result["work_s"] = time.perf_counter() - start
    result["total_s"] = import_s + result.get("io_import_s", 0.0) + result["work_s"]
    result["rss_end_mib"] = _maxrss_mib()
    _send(channel, result)


def write_fixtures(side: ModelLibrary, folder: Path, sizes: Sizes, read_dir: Path | None = None) -> None:
    """The files the benchmarks read, written by the reference (``read_dir`` None): a 2048x2048 image and
    the small scan files with an imaging gwcs WCS (``benchmarks.reference_wcs``) in their ``ASDF``
    extension, and the ramps. Another side (``read_dir``: the reference's files) writes its own image and
    reads the reference's files once, so that every module the timed runs import has its bytecode cached
    (see `processes.child_environment`)."""
    folder.mkdir(parents=True, exist_ok=True)
    image = side.build_image(sizes.image, values(TEN))
    if read_dir is None:
        from benchmarks.reference_wcs import build_wcs

        wcs = build_wcs()
        (folder / "scan").mkdir(parents=True, exist_ok=True)
        image.meta.wcs = wcs
        side.save(image, str(folder / "image.fits"))
        side.write_ramp(str(folder / "ramp.fits"), sizes.ramp)
        side.write_ramp(str(folder / "ramp_warm.fits"), sizes.warm_ramp)
        small = side.build_image(sizes.scan_shape, values(list(FIELDS)))
        small.meta.wcs = wcs
        first = folder / "scan" / "small_000.fits"
        side.save(small, str(first))
        for index in range(1, sizes.scan_files):  # identical files: copies are as good as saves, and faster
            shutil.copyfile(first, folder / "scan" / f"small_{index:03d}.fits")
        read_dir = folder
    else:
        side.save(image, str(folder / "image.fits"))
    side.open_image(str(read_dir / "image.fits"), FIVE)
    side.read_ramp_group(str(read_dir / "ramp_warm.fits"), sizes.ramp_group)
    side.scan_fields(scan_paths(read_dir)[:2], FIVE)
    side.first_wcs(str(read_dir / "scan" / "small_000.fits"))
    side.save(image, str(folder / "warm-up.asdf"))
    side.open_image(str(folder / "warm-up.asdf"), FIVE)
    floor = Floor()
    floor.read_ramp_group(str(read_dir / "ramp_warm.fits"), sizes.ramp_group)
    floor.first_wcs(str(read_dir / "scan" / "small_000.fits"))


def scan_paths(folder: Path) -> list[str]:
    return sorted(str(path) for path in (folder / "scan").glob("*.fits"))


class Worker:
    """In-process benchmarks of one side; the parent asks for one measurement at a time."""

    def __init__(self, side: Side, args: dict[str, Any]) -> None:
        self.side = side
        self.sizes = sizes_from(args["sizes"])
        self.scan = scan_paths(Path(args["read_dir"]))
        out = Path(args["write_dir"])
        self.outputs = {"fits": str(out / "image.fits"), "asdf": str(out / "image.asdf")}
        self.image = side.build_image(self.sizes.image, values(TEN))
        get_ns, get_stmt, set_stmt = side.meta_statements()
        validate_ns, validate_stmt = side.validate_statement(self.sizes.image, values(list(FIELDS)))
        self.statements = {"meta_get": (get_ns, get_stmt), "meta_set": (get_ns, set_stmt)}
        if validate_stmt:
            self.statements["validate"] = (validate_ns, validate_stmt)
        self.numbers = {op: self._calibrate(*pair) for op, pair in self.statements.items()}
        self.checked_set = side.assignment_is_checked()
        for kind in ("fits", "asdf"):  # warm up: first save/open pay one-off costs measured in case 3
            self.save(kind)
            self.open(kind)
        for path in self.scan[:3]:
            side.read_fields(path, FIVE)
        side.scan_fields(self.scan[:3], FIVE)
        self.wcs_path = self.scan[0]
        side.first_wcs(self.scan[1])  # gwcs, asdf and their converters loaded: the first access is measured

    def _calibrate(self, namespace: dict[str, Any], statement: str) -> int:
        timer = timeit.Timer(statement, globals=namespace)
        number = 1
        while timer.timeit(number) < self.sizes.min_batch_s:
            number *= 2
        return number

    def per_op(self, op: str) -> float:
        namespace, statement = self.statements[op]
        return timeit.Timer(statement, globals=namespace).timeit(self.numbers[op]) / self.numbers[op]

    def save(self, kind: str, over: bool = False) -> float:
        """Save to a new file, as a pipeline writes its products; ``over``: over the previous save's file."""
        if not over:
            Path(self.outputs[kind]).unlink(missing_ok=True)
        gc.collect()
        start = time.perf_counter()
        self.side.save(self.image, self.outputs[kind])
        return time.perf_counter() - start

    def open(self, kind: str) -> tuple[float, dict[str, Any]]:
        gc.collect()
        start = time.perf_counter()
        found, total = self.side.open_image(self.outputs[kind], FIVE)
        return time.perf_counter() - start, {"values": found, "sum": total}

    def scan_part(self, part: int, parts: int, opens: bool) -> tuple[float, dict[str, Any]]:
        """Read part ``part`` of ``parts`` of the scan files (every ``parts``-th file from ``part``): the
        side's metadata scan, or with ``opens`` a loop of open + the fields + close."""
        paths = self.scan[part::parts]
        gc.collect()
        start = time.perf_counter()
        if opens:
            rows = [self.side.read_fields(path, FIVE) for path in paths]
        else:
            rows = self.side.scan_fields(paths, FIVE)
        seconds = time.perf_counter() - start
        return seconds, {"values": rows[-1], "files": len(rows)}

    def first_wcs(self) -> dict[str, Any]:
        gc.collect()
        found = self.side.first_wcs(self.wcs_path)
        if found is None:
            return {"available": False}
        return {"available": True, "seconds": found[0], "sky": found[1]}

    def run(self, op: str) -> dict[str, Any]:
        if op in self.statements:
            return {"seconds": self.per_op(op), "number": self.numbers[op], "validated": self.checked_set}
        if op in ("save_fits", "save_asdf"):
            return {"seconds": self.save(op.removeprefix("save_"))}
        if op == "overwrite_fits":
            self.save("fits")  # untimed: the file to replace
            return {"seconds": self.save("fits", over=True)}
        if op in ("open_fits", "open_asdf"):
            seconds, check = self.open(op.removeprefix("open_"))
            return {"seconds": seconds, **check}
        if op.startswith(("scan:", "open5:")):  # scan:PART/PARTS, open5:PART/PARTS
            kind, numbers = op.split(":")
            part, parts = numbers.split("/")
            seconds, check = self.scan_part(int(part), int(parts), opens=kind == "open5")
            return {"seconds": seconds, **check}
        if op == "first_wcs":
            return self.first_wcs()
        raise ValueError(f"{self.side.name}: unknown operation {op!r}")

    def serve(self, commands: TextIO, channel: TextIO) -> None:
        _send(channel, {"ready": True, "per_op": list(self.statements)})
        for line in commands:
            _send(channel, self.run(json.loads(line)["op"]))
