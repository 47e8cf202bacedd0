"""What every side is asked to do: sizes, metadata values, file names. Standard library only, so that
importing it in a fresh benchmark process costs nothing that is measured."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

SIDES = ("jwstmodels", "stdatamodels", "floor")
"""The library under test, the reference implementation, and astropy/asdf/numpy used by hand."""

# Thirty metadata fields, valid in both implementations, with their FITS keywords (primary header).
FIELDS: dict[str, tuple[str, object]] = {
    "meta.origin": ("ORIGIN", "STScI"),
    "meta.telescope": ("TELESCOP", "JWST"),
    "meta.instrument.name": ("INSTRUME", "NIRCAM"),
    "meta.instrument.detector": ("DETECTOR", "NRCA1"),
    "meta.instrument.channel": ("CHANNEL", "SHORT"),
    "meta.instrument.filter": ("FILTER", "F200W"),
    "meta.instrument.pupil": ("PUPIL", "CLEAR"),
    "meta.instrument.module": ("MODULE", "A"),
    "meta.exposure.type": ("EXP_TYPE", "NRC_IMAGE"),
    "meta.exposure.nints": ("NINTS", 1),
    "meta.exposure.ngroups": ("NGROUPS", 10),
    "meta.exposure.nframes": ("NFRAMES", 4),
    "meta.exposure.groupgap": ("GROUPGAP", 0),
    "meta.exposure.readpatt": ("READPATT", "RAPID"),
    "meta.exposure.start_time": ("EXPSTART", 60000.5),
    "meta.exposure.end_time": ("EXPEND", 60000.625),
    "meta.exposure.exposure_time": ("EFFEXPTM", 1000.0),
    "meta.exposure.frame_time": ("TFRAME", 10.737),
    "meta.exposure.group_time": ("TGROUP", 42.948),
    "meta.subarray.name": ("SUBARRAY", "FULL"),
    "meta.subarray.xstart": ("SUBSTRT1", 1),
    "meta.subarray.ystart": ("SUBSTRT2", 1),
    "meta.subarray.xsize": ("SUBSIZE1", 2048),
    "meta.subarray.ysize": ("SUBSIZE2", 2048),
    "meta.observation.date": ("DATE-OBS", "2026-01-02"),
    "meta.observation.time": ("TIME-OBS", "03:04:05.678"),
    "meta.observation.program_number": ("PROGRAM", "01234"),
    "meta.observation.observation_number": ("OBSERVTN", "001"),
    "meta.observation.visit_number": ("VISIT", "001"),
    "meta.target.ra": ("TARG_RA", 150.125),
}
TEN = [
    "meta.instrument.name",
    "meta.instrument.detector",
    "meta.instrument.filter",
    "meta.exposure.type",
    "meta.exposure.nints",
    "meta.exposure.ngroups",
    "meta.exposure.nframes",
    "meta.exposure.start_time",
    "meta.observation.date",
    "meta.target.ra",
]
"""The fields set before a save (case 2, 7)."""
FIVE = [
    "meta.instrument.name",
    "meta.exposure.type",
    "meta.exposure.nframes",
    "meta.observation.date",
    "meta.target.ra",
]
"""The fields read after an open (case 3, 5, 7)."""


def values(paths: list[str]) -> dict[str, object]:
    """Dotted path -> value for ``paths``."""
    return {path: FIELDS[path][1] for path in paths}


def keyword(path: str) -> str:
    return FIELDS[path][0]


def set_path(root: Any, dotted: str, value: object) -> None:
    """``root.<dotted> = value`` through attribute access, the way users write it."""
    *parents, last = dotted.split(".")
    node = root
    for name in parents:
        node = getattr(node, name)
    setattr(node, last, value)


def get_path(root: Any, dotted: str) -> object:
    node = root
    for name in dotted.split("."):
        node = getattr(node, name)
    return node


@dataclass(frozen=True)
class Sizes:
    """How big and how often; ``--quick`` shrinks everything to a smoke run."""

    image: tuple[int, int]
    ramp: tuple[int, int, int, int]
    ramp_group: tuple[int, int]
    """(integration, group) read from the ramp."""
    warm_ramp: tuple[int, int, int, int]
    """A tiny ramp opened first, so that the memory figure starts from a warmed-up process."""
    scan_files: int
    scan_shape: tuple[int, int]
    repeats: int
    """Fresh-process measurements per side and case."""
    worker_repeats: int
    """In-process measurements per side and case (each takes milliseconds: more of them steady the median)."""
    min_batch_s: float
    """Per-operation figures time batches at least this long."""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


FULL = Sizes(
    image=(2048, 2048),
    ramp=(1, 10, 1024, 1024),
    ramp_group=(0, 5),
    warm_ramp=(1, 10, 8, 8),
    scan_files=200,
    scan_shape=(32, 32),
    repeats=5,
    worker_repeats=9,
    min_batch_s=0.1,
)
QUICK = Sizes(
    image=(64, 64),
    ramp=(1, 10, 32, 32),
    ramp_group=(0, 5),
    warm_ramp=(1, 10, 8, 8),
    scan_files=6,
    scan_shape=(8, 8),
    repeats=1,
    worker_repeats=1,
    min_batch_s=0.002,
)


def sizes_from(data: dict[str, Any]) -> Sizes:
    """The inverse of ``Sizes.as_dict`` (sizes travel to child processes as JSON)."""
    return Sizes(
        image=tuple(data["image"]),
        ramp=tuple(data["ramp"]),
        ramp_group=tuple(data["ramp_group"]),
        warm_ramp=tuple(data["warm_ramp"]),
        scan_files=int(data["scan_files"]),
        scan_shape=tuple(data["scan_shape"]),
        repeats=int(data["repeats"]),
        worker_repeats=int(data["worker_repeats"]),
        min_batch_s=float(data["min_batch_s"]),
    )
