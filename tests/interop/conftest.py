"""Print the interop suite's counts (files, compared values) at the end of a run that included it."""

from __future__ import annotations

import sys

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    module = next((m for name, m in sys.modules.items() if name.endswith("test_catalog_interop")), None)
    counts = getattr(module, "COUNTS", None)
    if counts:
        summary = ", ".join(f"{value} {key}" for key, value in sorted(counts.items()))
        terminalreporter.write_line(f"interop suite compared: {summary}")
