"""Options for the whole suite.

``--fits-read-mode=lazy`` opens every FITS file the way a user's session does: from its headers, the ``ASDF``
extension read on first need (``jwstmodels._io.fits_lazy``). Without it the package's own rule applies, and
under pytest's warnings-as-errors that rule reads the extension at open (no error is postponed past an open),
so the default run covers the eager read and ``make test-lazy`` runs the I/O suites again lazily. Tests of
the rule itself carry the ``read_rule`` marker and keep the package's rule in both runs.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fits-read-mode",
        choices=("rule", "lazy"),
        default="rule",
        help="rule: the package decides when a FITS file's ASDF extension is read (eager under -W error); "
        "lazy: every FITS open reads it on first need",
    )


@pytest.fixture(autouse=True)
def _fits_read_mode(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.config.getoption("--fits-read-mode") != "lazy" or request.node.get_closest_marker("read_rule"):
        yield
        return
    from jwstmodels._io.fits_lazy import read_mode

    with read_mode("lazy"):
        yield
