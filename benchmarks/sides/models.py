"""jwstmodels and stdatamodels: both expose ImageModel, RampModel and open(), used the same way."""

from __future__ import annotations

import importlib
import time
import warnings
from typing import Any

from benchmarks.workload import get_path, set_path


class ModelLibrary:
    def __init__(self, name: str, module: str) -> None:
        self.name = name
        self.module = module
        self.lib: Any = importlib.import_module(module)
        self.np: Any = importlib.import_module("numpy")

    def build_image(self, shape: tuple[int, int], fields: dict[str, object]) -> Any:
        model = self.lib.ImageModel(shape)
        model.data[...] = 1.0
        for path, value in fields.items():
            set_path(model, path, value)
        return model

    def save(self, image: Any, path: str) -> None:
        image.save(path)

    def open_image(self, path: str, read: list[str]) -> tuple[list[object], float]:
        with self.lib.open(path) as model:
            values = [get_path(model, dotted) for dotted in read]
            total = float(model.data.sum())
        return values, total

    def read_fields(self, path: str, read: list[str]) -> list[object]:
        with self.lib.open(path) as model:
            return [get_path(model, dotted) for dotted in read]

    def scan_fields(self, paths: list[str], read: list[str]) -> list[list[object]]:
        scan = getattr(self.lib, "scan", None) if self.name == "jwstmodels" else None
        if scan is None:  # the reference has no scan: a loop of opens
            return [self.read_fields(path, read) for path in paths]
        table = scan(paths, read)
        if table["error"].notna().any():
            raise RuntimeError(f"scan reported errors: {table['error'].dropna().tolist()[:3]}")
        columns = [table[field].tolist() for field in read]
        return [list(row) for row in zip(*columns, strict=True)]

    def first_wcs(self, path: str) -> tuple[float, list[tuple[float, ...]]] | None:
        """None when the library has no typed ``meta.wcs`` (jwstmodels before issue 15's WCS work)."""
        from benchmarks.reference_wcs import sky

        with self.lib.open(path) as model:
            start = time.perf_counter()
            try:
                wcs = model.meta.wcs
            except AttributeError:  # no typed meta.wcs here (jwstmodels' UnknownFieldError is one)
                return None
            seconds = time.perf_counter() - start
            if wcs is None:
                raise RuntimeError(f"{self.name}: {path} has no meta.wcs")
            return seconds, sky(wcs)

    def write_ramp(self, path: str, shape: tuple[int, int, int, int]) -> None:
        model = self.lib.RampModel(shape)
        model.data = self.np.ones(shape, self.np.float32)
        model.pixeldq = self.np.ones(shape[2:], self.np.uint32)
        model.groupdq = self.np.ones(shape, self.np.uint8)
        model.meta.exposure.nints, model.meta.exposure.ngroups = shape[:2]
        model.save(path)
        model.close()

    def read_ramp_group(self, path: str, group: tuple[int, int]) -> float:
        with self.lib.open(path) as model:
            plane = self.np.array(model.data[group])
        return float(plane.sum())

    def meta_statements(self) -> tuple[dict[str, Any], str, str]:
        model = self.lib.ImageModel()
        model.meta.exposure.nframes = 3
        return {"m": model}, "m.meta.exposure.nframes", "m.meta.exposure.nframes = 5"

    def assignment_is_checked(self) -> bool:
        model = self.lib.ImageModel()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                model.meta.exposure.nframes = "four"
            except Exception:  # jwstmodels raises ValidationError; stdatamodels warns (made an error here)
                return True
        return False

    def validate_statement(
        self, shape: tuple[int, int], fields: dict[str, object]
    ) -> tuple[dict[str, Any], str]:
        return {"m": self.build_image(shape, fields)}, "m.validate()"
