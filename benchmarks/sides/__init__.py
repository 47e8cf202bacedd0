"""One module per side, each with the same operations (see `Side`). The libraries are imported by the
benchmark process before a side is built (`benchmarks.child.IMPORTS`), so that the import itself is timed
alone; the side modules import nothing heavy at module level."""

from __future__ import annotations

from typing import Any, Protocol


class Side(Protocol):
    name: str

    def build_image(self, shape: tuple[int, int], fields: dict[str, object]) -> Any:
        """An image of ``shape`` (data filled with ones) carrying ``fields``, ready to save."""
        ...

    def save(self, image: Any, path: str) -> None:
        """Write ``image`` as FITS or ASDF, chosen by the suffix."""
        ...

    def open_image(self, path: str, read: list[str]) -> tuple[list[object], float]:
        """Open, read the fields ``read``, sum the data, close; the values and the sum."""
        ...

    def read_fields(self, path: str, read: list[str]) -> list[object]:
        """Open, read the fields ``read``, close: a metadata-only visit."""
        ...

    def scan_fields(self, paths: list[str], read: list[str]) -> list[list[object]]:
        """The fields ``read`` of every file in ``paths``: the side's metadata scan (a loop of
        ``read_fields`` where the side has nothing better)."""
        ...

    def first_wcs(self, path: str) -> tuple[float, list[tuple[float, ...]]] | None:
        """Open ``path`` (untimed), then time the first access to its gwcs WCS; (seconds, the WCS evaluated at
        the sample pixels), or None when the side has no WCS object to give."""
        ...

    def read_ramp_group(self, path: str, group: tuple[int, int]) -> float:
        """Open a ramp file, copy one group out of it, close; the sum of that group."""
        ...

    def meta_statements(self) -> tuple[dict[str, Any], str, str]:
        """(namespace, get statement, set statement) for per-operation metadata timing."""
        ...

    def assignment_is_checked(self) -> bool:
        """Whether a wrong-typed metadata assignment is refused or warned about (is the set validated?)."""
        ...

    def validate_statement(
        self, shape: tuple[int, int], fields: dict[str, object]
    ) -> tuple[dict[str, Any], str]:
        """(namespace, statement) timing a whole-model validation; empty statement when the side has none."""
        ...


def get(name: str) -> Side:
    if name == "floor" or name.startswith("floor-"):  # "floor-pydantic": the floor with more imported first
        from .floor import Floor

        return Floor()
    from .models import ModelLibrary

    if name == "jwstmodels":
        return ModelLibrary(name, "jwstmodels")
    if name == "stdatamodels":
        return ModelLibrary(name, "stdatamodels.jwst.datamodels")
    raise ValueError(f"unknown side {name!r}")
