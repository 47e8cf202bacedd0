"""What ``scan`` and ``map`` share: the optional Dask client, splitting work into parts, a progress bar.

dask.distributed and pandas are the ``distributed`` extra (``pip install 'jwstmodels[distributed]'``).
Without dask, ``scan`` and ``map`` run in this process and ``client=`` raises :class:`MissingExtraError`.
"""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false
# (the typed boundary around dask.distributed, whose Client methods are partly unannotated: what leaves this
# module is typed)

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from distributed import Client

T = TypeVar("T")
R = TypeVar("R")

INSTALL = "pip install 'jwstmodels[distributed]'"

PARTS_PER_WORKER = 2
"""Each worker gets about this many parts. A part costs a round trip through the scheduler before the worker
starts its next one (a few milliseconds on a busy machine, 30 ms for eight empty tasks on two workers here),
which a scan of headers at about a millisecond a file feels; a second part per worker still lets a worker that
finishes early take over work from a slow one."""


class MissingExtraError(ImportError):
    """A feature needs the ``distributed`` extra (dask.distributed, pandas), which is not installed."""


def require(module: str, feature: str) -> Any:
    """Import ``module`` or raise MissingExtraError saying how to install the extra."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(f"{feature} needs {module}, which is not installed: {INSTALL}") from None


def check_client(client: object, feature: str) -> Client:
    """``client`` as a dask.distributed Client; MissingExtraError without dask, else TypeError if not one."""
    distributed = require("distributed", f"{feature}(client=...)")
    if not isinstance(client, distributed.Client):
        raise TypeError(f"{feature}: client= takes a dask.distributed.Client, not {type(client).__name__}")
    return cast("Client", client)


def partition(items: Sequence[T], client: Client) -> list[list[T]]:
    """``items`` in contiguous parts, about ``PARTS_PER_WORKER`` per worker of ``client``."""
    workers = max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))
    count = max(1, min(len(items), workers * PARTS_PER_WORKER))
    size, extra = divmod(len(items), count)
    parts: list[list[T]] = []
    start = 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        parts.append(list(items[start:end]))
        start = end
    return [part for part in parts if part]


def run_parts(client: Client, work: Callable[[list[T]], list[R]], parts: list[list[T]], what: str) -> list[R]:
    """Run ``work`` on each part on the cluster; every part's results, in order (progress on a terminal)."""
    from distributed import as_completed

    futures = client.map(work, parts, pure=False)
    total = sum(len(part) for part in parts)
    index = {future.key: number for number, future in enumerate(futures)}
    results: list[list[R] | None] = [None] * len(futures)
    with progress(total, what) as advance:
        # results are fetched as each part finishes, while the others still run (not all at the end)
        for future, result in as_completed(futures, with_results=True):
            number = index[future.key]
            results[number] = cast(list[R], result)
            advance(len(parts[number]))
    return [row for part in results if part is not None for row in part]


class progress:
    """A rich progress bar on stderr when it is a terminal; nothing otherwise. Yields ``advance(n)``."""

    def __init__(self, total: int, what: str) -> None:
        self.total = total
        self.what = what
        self._bar: Any = None

    def __enter__(self) -> Callable[[int], None]:
        if not sys.stderr.isatty() or self.total < 2:
            return _nothing
        from rich.console import Console
        from rich.progress import Progress

        self._bar = Progress(console=Console(stderr=True), transient=True)
        self._bar.start()
        task = self._bar.add_task(self.what, total=self.total)
        bar = self._bar

        def advance(count: int) -> None:
            bar.advance(task, count)

        return advance

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def _nothing(count: int) -> None:
    """Progress when nobody watches."""
