"""Starting benchmark processes from the driver: one-shot fresh processes and long-lived workers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent


class BenchmarkFailed(RuntimeError):
    pass


def child_environment() -> dict[str, str]:
    """The environment of every benchmark process: this one's, with bytecode caching switched back on.

    Installed packages normally come with compiled bytecode (pip compiles at install time); without it
    (``PYTHONDONTWRITEBYTECODE`` set and an installer that does not compile, as uv by default) every fresh
    process recompiles every imported module and import figures double. The fixture step, which runs first,
    imports everything a benchmark touches, so the caches are written before anything is timed.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _command(side: str, task: str, args: dict[str, Any]) -> list[str]:
    return [sys.executable, "-m", "benchmarks.child", side, task, json.dumps(args)]


def _tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.splitlines()[-lines:])


def run_fresh(side: str, task: str, args: dict[str, Any]) -> dict[str, Any]:
    """Run ``task`` for ``side`` in a new interpreter; its result plus ``process_s``, the wall time from
    start to exit as the shell sees it (interpreter start-up and shutdown included)."""
    start = time.perf_counter()
    done = subprocess.run(
        _command(side, task, args), cwd=ROOT, env=child_environment(), capture_output=True, text=True
    )
    return _result(side, task, done.returncode, done.stdout, done.stderr, time.perf_counter() - start)


def run_together(jobs: list[tuple[str, str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Run untimed jobs (fixtures) side by side; their results in order."""
    started = [
        subprocess.Popen(
            _command(*job),
            cwd=ROOT,
            env=child_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for job in jobs
    ]
    results: list[dict[str, Any]] = []
    for (side, task, _), process in zip(jobs, started, strict=True):
        stdout, stderr = process.communicate()
        results.append(_result(side, task, process.returncode, stdout, stderr, None))
    return results


def _result(
    side: str, task: str, code: int, stdout: str, stderr: str, elapsed: float | None
) -> dict[str, Any]:
    if code != 0 or not stdout.strip():
        raise BenchmarkFailed(f"{side} {task} failed (exit {code}):\n{_tail(stderr)}")
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    result["process_s"] = elapsed
    return result


def interpreter_start() -> float:
    """Wall time of ``python -c pass``: the part of every fresh-process figure that no library controls."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True, env=child_environment())
    return time.perf_counter() - start


class Worker:
    """A long-lived process of one side answering in-process benchmark requests one at a time."""

    def __init__(self, side: str, args: dict[str, Any]) -> None:
        self.side = side
        # closed in close(): the file lives as long as the worker process
        self._stderr: IO[str] = tempfile.TemporaryFile("w+")  # noqa: SIM115
        self._process = subprocess.Popen(
            _command(side, "worker", args),
            cwd=ROOT,
            env=child_environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
        )
        self.ready: dict[str, Any] = {}

    def wait_ready(self) -> None:
        """Wait for the set-up (imports, fixtures opened, warm-up, calibration) to finish."""
        self.ready = self._receive("setup")

    def _receive(self, what: str) -> dict[str, Any]:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            self._process.wait()
            self._stderr.seek(0)
            raise BenchmarkFailed(
                f"{self.side} worker failed during {what} (exit {self._process.returncode}):\n"
                f"{_tail(self._stderr.read())}"
            )
        return json.loads(line)

    def run(self, op: str) -> dict[str, Any]:
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps({"op": op}) + "\n")
        self._process.stdin.flush()
        return self._receive(op)

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=60)
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._stderr.close()
