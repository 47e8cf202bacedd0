"""The floor: astropy.io.fits, asdf and numpy doing the same I/O by hand, with no model layer."""

# astropy and asdf ship no annotations: their objects are handled as Any here.

from __future__ import annotations

import importlib
from typing import Any

from benchmarks.workload import keyword


def _module(name: str) -> Any:
    return importlib.import_module(name)


def _nested(fields: dict[str, object]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for dotted, value in fields.items():
        *parents, last = dotted.split(".")
        node = tree
        for name in parents:
            node = node.setdefault(name, {})
        node[last] = value
    return tree


def _lookup(tree: Any, dotted: str) -> object:
    for name in dotted.split("."):
        tree = tree[name]
    return tree


class Floor:
    name = "floor"

    def __init__(self) -> None:
        self.np = _module("numpy")
        self.fits = _module("astropy.io.fits")

    def build_image(self, shape: tuple[int, int], fields: dict[str, object]) -> Any:
        return dict(fields), self.np.ones(shape, self.np.float32)

    def save(self, image: Any, path: str) -> None:
        fields, data = image
        if path.endswith(".asdf"):
            tree = _nested(fields)
            tree["meta"]["model_type"] = "ImageModel"
            tree["data"] = data
            _module("asdf").AsdfFile(tree).write_to(path)
            return
        primary = self.fits.PrimaryHDU()
        for dotted, value in fields.items():
            primary.header[keyword(dotted)] = value
        primary.header["DATAMODL"] = "ImageModel"
        self.fits.HDUList([primary, self.fits.ImageHDU(data, name="SCI")]).writeto(path, overwrite=True)

    def open_image(self, path: str, read: list[str]) -> tuple[list[object], float]:
        if path.endswith(".asdf"):
            with _module("asdf").open(path) as af:
                values = [_lookup(af.tree, dotted) for dotted in read]
                total = float(self.np.asarray(af.tree["data"]).sum())
            return values, total
        with self.fits.open(path) as hdul:
            header = hdul[0].header
            values = [header[keyword(dotted)] for dotted in read]
            total = float(hdul["SCI"].data.sum())
        return values, total

    def read_fields(self, path: str, read: list[str]) -> list[object]:
        with self.fits.open(path) as hdul:
            header = hdul[0].header
            return [header[keyword(dotted)] for dotted in read]

    def read_ramp_group(self, path: str, group: tuple[int, int]) -> float:
        with self.fits.open(path) as hdul:
            plane = self.np.array(hdul["SCI"].data[group])
        return float(plane.sum())

    def meta_statements(self) -> tuple[dict[str, Any], str, str]:
        header = self.fits.Header()
        header["NFRAMES"] = 3
        return {"h": header}, 'h["NFRAMES"]', 'h["NFRAMES"] = 5'

    def assignment_is_checked(self) -> bool:
        return False

    def validate_statement(
        self, shape: tuple[int, int], fields: dict[str, object]
    ) -> tuple[dict[str, Any], str]:
        return {}, ""
