"""Run one file through every public way of reading and re-saving it, and name each outcome that is not
"a clean error naming the file" or "a correct model (with a warning where the file was changed)"."""

from __future__ import annotations

import gc
import os
import resource
import signal
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import numpy as np

import jwstmodels
from jwstmodels import FileFormatError, UnknownFieldError, ValidationError

SECONDS = 5.0
MEGABYTES = 500
CLEAN = (FileFormatError, ValidationError, UnknownFieldError, OSError)


class CaseTimeout(BaseException):
    """A step ran past its time (a BaseException: no ``except Exception`` in the code under test stops it)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise CaseTimeout(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def peak_megabytes() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


@dataclass
class Outcome:
    problems: list[str] = field(default_factory=list)
    warned: bool = False
    errors: list[str] = field(default_factory=list)
    opened: bool = False


def _touch(model: Any) -> None:
    """Read every array and table of the model and its items, and the metadata."""
    model.to_flat_dict(include_arrays=False)
    for name in model.array_names():
        value = getattr(model, name)
        np.asarray(value).tobytes()
    for name in type(model).__jwst_layout__.list_fields:
        for item in getattr(model, name):
            _touch(item)


def check(path: Path, out_dir: Path, expect: str = "any") -> Outcome:
    """Every step on ``path``; ``expect`` (see Variant) names the steps that must not succeed silently."""
    from typer.testing import CliRunner

    from jwstmodels.cli import app

    outcome = Outcome()
    name = path.name

    loud_steps = {"loud": {"open+save", "read_metadata", "info"}, "loud-data": {"open+save", "info"}}
    must_warn = loud_steps.get(expect, set())

    def step(label: str, action: Callable[[], object]) -> object:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            start = time.perf_counter()
            try:
                with time_limit(SECONDS):
                    result = action()
            except CaseTimeout as exc:
                outcome.problems.append(f"{label}: {exc}")
                return None
            except CLEAN as exc:
                text = str(exc)
                if name not in text:
                    kind = type(exc).__name__
                    outcome.problems.append(f"{label}: {kind} without the file name: {text[:300]}")
                outcome.errors.append(label)
                return None
            except BaseException as exc:
                tail = "".join(traceback.format_exception(exc)[-3:])
                outcome.problems.append(f"{label}: raw {type(exc).__name__}: {str(exc)[:300]}\n{tail}")
                return None
            finally:
                elapsed = time.perf_counter() - start
                if elapsed > SECONDS:
                    outcome.problems.append(f"{label}: took {elapsed:.1f} s")
                gc.collect()  # a file left open by this step warns now, blamed on it
        if caught:
            outcome.warned = True
            for w in caught:
                if issubclass(w.category, ResourceWarning):
                    outcome.problems.append(f"{label}: {w.category.__name__}: {w.message}")
        elif label in must_warn:
            outcome.problems.append(f"{label}: succeeded without a warning on a damaged file")
        return result

    def open_and_touch() -> object:
        model = jwstmodels.open(path)
        with model:
            _touch(model)
            outcome.opened = True
            target = out_dir / f"saved{''.join(path.suffixes[-1:]) if path.suffix != '.gz' else '.fits'}"
            step_save = model.save(target)
            size = os.path.getsize(step_save)
            if size > 20 * max(path.stat().st_size, 1 << 20):
                outcome.problems.append(f"save: wrote {size} bytes from a {path.stat().st_size}-byte file")
        return None

    def read_metadata() -> object:
        meta = jwstmodels.read_metadata(path)
        # the file is closed: what its headers cannot give (the ASDF extension, read when first needed,
        # so a damaged one fails here) is read now
        meta.model_dump()
        return meta

    def cli(command: str) -> Callable[[], object]:
        def run() -> object:
            result = CliRunner().invoke(app, ["--debug", command, str(path)])
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                raise result.exception
            if result.exit_code == 2 and name not in result.output + (result.stderr or ""):
                outcome.problems.append(f"{command}: exit 2 without the file name")
            if result.exit_code not in (0, 1, 2):
                outcome.problems.append(f"{command}: exit status {result.exit_code}")
            if result.exit_code == 2:
                outcome.errors.append(command)
            if result.exit_code != 0 or "warning:" in result.output:
                # the command noticed the damage: counted as a warning (not a silent success)
                warnings.warn(f"{command} reported a problem", UserWarning, stacklevel=1)
            return None

        return run

    before = peak_megabytes()
    step("open+save", open_and_touch)
    step("read_metadata", read_metadata)
    step("info", cli("info"))
    step("validate", cli("validate"))
    grown = peak_megabytes() - before
    if grown > MEGABYTES:
        outcome.problems.append(f"peak memory grew by {grown:.0f} MB")
    return outcome
