"""Print the interop suite's counts (files, compared values) at the end of a run that included it."""

from __future__ import annotations

import gc
import sys
import warnings
from collections.abc import Iterator

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    module = next((m for name, m in sys.modules.items() if name.endswith("test_catalog_interop")), None)
    counts = getattr(module, "COUNTS", None)
    if counts:
        summary = ", ".join(f"{value} {key}" for key, value in sorted(counts.items()))
        classes = getattr(module, "CLASSES", set())
        terminalreporter.write_line(f"interop suite compared: {len(classes)} classes, {summary}")


@pytest.fixture(autouse=True)
def collect_reference_leftovers(request: pytest.FixtureRequest) -> Iterator[None]:
    """A known gap fails inside stdatamodels, which then leaks an open file; collect it here, quietly, so the
    ResourceWarning is not blamed on whichever test runs next. Other tests keep the strict warning check."""
    yield
    if request.node.get_closest_marker("xfail") is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
