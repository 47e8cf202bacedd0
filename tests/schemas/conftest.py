"""Fixtures of the schema tests: a tally of the reference facts compared, shown in the run's summary."""

from __future__ import annotations

import pytest

_TALLY = pytest.StashKey[dict[str, int]]()


@pytest.fixture
def reference_tally(request: pytest.FixtureRequest) -> dict[str, int]:
    """Schema file -> number of reference leaves compared with ours (filled in by the comparison test)."""
    return request.config.stash.setdefault(_TALLY, {})


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    tally = config.stash.get(_TALLY, {})
    if tally:
        parts = ", ".join(f"{name} {count}" for name, count in tally.items())
        terminalreporter.write_line(
            f"JWST reference metadata leaves matched: {sum(tally.values())} ({parts})"
        )
