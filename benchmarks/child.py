"""Entry point of every benchmark process: ``python -m benchmarks.child SIDE TASK ARGS_JSON``.

A fresh-process task times the side's library import first, with nothing but ``sys`` and ``time`` loaded
before it, then loads the harness and runs the task. ``worker`` stays alive and answers one JSON command per
stdin line (in-process benchmarks). Results go to the original stdout as one JSON line each; whatever the
libraries print is sent to stderr.
"""

import sys
import time

IMPORTS = {
    "jwstmodels": ("jwstmodels",),
    "stdatamodels": ("stdatamodels.jwst.datamodels",),
    "floor": ("numpy", "astropy.io.fits"),
    # The reference points of row 3 (`cases.OPEN_POINTS`): the floor's open and sum, in a process that first
    # imports what ``from pydantic import BaseModel, Field, ConfigDict`` loads, or jwstmodels and the FITS
    # backend its first open loads (no model class built).
    "floor-pydantic": ("numpy", "pydantic.main", "pydantic.fields", "pydantic.config", "astropy.io.fits"),
    "floor-jwstmodels": ("jwstmodels", "numpy", "astropy.io.fits", "jwstmodels._io.fits_format"),
}
"""What a cold import means per side: the package a user imports; for the floor, what FITS I/O needs."""


def _import_side(side: str) -> float:
    start = time.perf_counter()
    for module in IMPORTS[side]:
        __import__(module)
    return time.perf_counter() - start


if __name__ == "__main__":
    _side, _task = sys.argv[1], sys.argv[2]
    _import_s = _import_side(_side)
    from benchmarks.tasks import main

    main(_side, _task, sys.argv[3] if len(sys.argv) > 3 else "{}", _import_s)
