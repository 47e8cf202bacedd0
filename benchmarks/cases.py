"""The table: one row per measured quantity, and the targets of DESIGN section 6 as ratios between rows."""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.workload import SIDES


@dataclass(frozen=True)
class Row:
    id: str
    title: str
    """May name the sizes: ``{image}``, ``{ramp}``, ``{files}``."""
    unit: str
    scale: float
    """Display value = median * scale (seconds to the unit); for a rate, files scanned / median."""
    sides: tuple[str, ...] = SIDES
    rate: bool = False
    """Shown as a rate (files per second); ratios are still taken on times, so lower is better."""


ROWS = (
    Row("1-import", "1 cold import (fresh process)", "ms", 1e3),
    Row("2-save-total", "2 fresh: import + {image} image + 10 fields + save FITS", "ms", 1e3),
    Row("2-save-after-import", "2 ... of which after the import", "ms", 1e3),
    Row("3-open-total", "3 fresh: import + open + 5 fields + sum + close", "ms", 1e3),
    Row(
        "3-io-import",
        "3 ... of which loading numpy + astropy.io.fits before the open, if not loaded",
        "ms",
        1e3,
    ),
    Row("3-first-open", "3 ... of which the first open (the FITS libraries loaded on every side)", "ms", 1e3),
    Row(
        "3-open-vs-pydantic",
        "3 ... the same; floor: the floor's process importing pydantic (BaseModel, Field, ConfigDict) first",
        "ms",
        1e3,
        sides=("jwstmodels", "floor"),
    ),
    Row(
        "3-open-vs-package",
        "3 ... the same; floor: the floor's process importing jwstmodels and its FITS backend first",
        "ms",
        1e3,
        sides=("jwstmodels", "floor"),
    ),
    Row("4-meta-get", "4 metadata get, per operation", "ns", 1e9),
    Row("4-meta-set", "4 validated metadata set, per operation", "ns", 1e9),
    Row(
        "5-scan",
        "5 metadata scan, {files} reference files with a gwcs, 5 fields (jwstmodels.scan; floor: headers)",
        "files/s",
        1.0,
        rate=True,
    ),
    Row(
        "5-open-five",
        "5 ... the same files: open + 5 keyword values + close, per file (stdatamodels: as above)",
        "files/s",
        1.0,
        sides=("jwstmodels", "floor"),
        rate=True,
    ),
    Row(
        "5-first-wcs",
        "5 first meta.wcs access after an open; floor: asdf opens the ASDF extension, converts the WCS",
        "ms",
        1e3,
        sides=("jwstmodels", "floor"),
    ),
    Row("6-ramp-read", "6 ramp {ramp}: open + copy one group + close", "ms", 1e3),
    Row("6-ramp-memory", "6 ... peak memory above a warmed-up process", "MiB", 1.0),
    Row("6-ramp-memory-import", "6 ... peak memory above the import alone", "MiB", 1.0),
    Row("7-asdf-save", "7 save ASDF {image} (in process)", "ms", 1e3),
    Row("7-asdf-open", "7 open ASDF + 5 fields + sum + close (in process)", "ms", 1e3),
    Row("7-fits-save", "7 save FITS {image} to a new file (in process)", "ms", 1e3),
    Row("7-fits-overwrite", "7 ... the same save over the previous file", "ms", 1e3),
    Row("7-fits-open", "7 open FITS + 5 fields + sum + close (in process)", "ms", 1e3),
    Row("8-validate", "8 validate() with 30 metadata fields set", "us", 1e6, sides=SIDES[:2]),
    # cases 9 (benchmarks.catalog_scaling): the floor column holds each row's own baseline, named in the title
    Row("9-import-light", "9 cold import (fresh process); floor: numpy + pydantic alone", "ms", 1e3),
    Row(
        "9-import-doubled",
        "9 ... the same import, catalogue doubled; floor: the normal catalogue",
        "ms",
        1e3,
        sides=("jwstmodels", "floor"),
    ),
    Row("9-first-use", "9 first use after import: ImageModel((64, 64)) + 1 field set", "ms", 1e3, SIDES[:2]),
    Row(
        "9-pyright",
        "9 cold pyright (strict), 10-line script: open an ImageModel, edit 2 fields, save; "
        "floor: numpy + pydantic",
        "s",
        1.0,
        sides=("jwstmodels", "floor"),
    ),
)
ROW_BY_ID = {row.id: row for row in ROWS}

OPEN_POINTS = {"3-open-vs-pydantic": "floor-pydantic", "3-open-vs-package": "floor-jwstmodels"}
"""Row 3's reference points, by row: the process (`benchmarks.child.IMPORTS`) whose figure is the row's floor.
Each opens, reads and sums as the floor does, after importing what jwstmodels cannot do without: pydantic, or
jwstmodels itself and the FITS backend its first open loads (no model class built). The row's jwstmodels
figures are row 3's. They show how much of row 3's ratio is left to the model classes and the open."""

INTERPRETER = "python -c pass"


@dataclass(frozen=True)
class Target:
    name: str
    row: str
    against: str
    """``reference``: the ratio stdatamodels / jwstmodels must be at least ``limit``;
    ``floor``: jwstmodels / floor at most ``limit``; ``data-fraction``: jwstmodels' figure at most
    ``limit`` times the size of the ramp's SCI array; ``at-most``: jwstmodels' figure, in the row's unit,
    at most ``limit``."""
    limit: float


TARGETS = (
    Target("import at most half of the reference's", "1-import", "reference", 2.0),
    Target("first open at least 10x faster than the reference", "3-first-open", "reference", 10.0),
    Target("metadata get at least 50x faster than the reference", "4-meta-get", "reference", 50.0),
    Target("validated set at least 30x faster than the reference", "4-meta-set", "reference", 30.0),
    Target("metadata scan within 1.5x of astropy reading the headers", "5-scan", "floor", 1.5),
    Target("open + 5 keyword values within 1.2x of astropy reading the headers", "5-open-five", "floor", 1.2),
    Target("first meta.wcs access within 1.2x of asdf converting the WCS", "5-first-wcs", "floor", 1.2),
    Target("fresh import + create an image + save within 1.5x of astropy", "2-save-total", "floor", 1.5),
    Target("fresh import + open + sum within 1.3x of astropy", "3-open-total", "floor", 1.3),
    Target("ASDF save within 1.2x of the floor", "7-asdf-save", "floor", 1.2),
    Target("ASDF open within 1.2x of the floor", "7-asdf-open", "floor", 1.2),
    Target("FITS save within 1.2x of the floor", "7-fits-save", "floor", 1.2),
    Target("FITS open within 1.2x of the floor", "7-fits-open", "floor", 1.2),
    Target(
        "ramp read does not load the whole file (peak < half the SCI array)",
        "6-ramp-memory",
        "data-fraction",
        0.5,
    ),
    Target("import grows at most 10% when the catalogue doubles", "9-import-doubled", "floor", 1.10),
    Target("first use of one model class at most 60 ms after import", "9-first-use", "at-most", 60.0),
    Target("cold pyright on a user script within 1.25x of numpy + pydantic", "9-pyright", "floor", 1.25),
)
