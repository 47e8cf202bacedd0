"""The floor: astropy.io.fits, asdf and numpy doing the same I/O by hand, with no model layer."""

# astropy and asdf ship no annotations: their objects are handled as Any here.

from __future__ import annotations

import datetime
import importlib
import os
import time
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


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


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
        # What a model's save stamps: date, file name, model type.
        stamps = {
            "meta.date": _now(),
            "meta.filename": os.path.basename(path),
            "meta.model_type": "ImageModel",
        }
        if path.endswith(".asdf"):
            tree = _nested({**fields, **stamps})
            tree["data"] = data
            _module("asdf").AsdfFile(tree).write_to(path)
            return
        # The HDUs jwstmodels writes: the primary header, SCI, and the metadata tree as an ASDF document in a
        # one-cell binary table (the ``ASDF`` extension), here dumped with PyYAML's C emitter. The tree leaves
        # out what the header cards carry exactly: every field here.
        primary = self.fits.PrimaryHDU()
        for dotted, value in fields.items():
            primary.header[keyword(dotted)] = value
        primary.header["DATE"] = stamps["meta.date"]
        primary.header["FILENAME"] = stamps["meta.filename"]
        primary.header["DATAMODL"] = "ImageModel"
        yaml = _module("yaml")
        document = b"#ASDF 1.0.0\n#ASDF_STANDARD 1.6.0\n" + yaml.dump(
            {"meta": {}},
            Dumper=yaml.CSafeDumper,
            explicit_start=True,
            explicit_end=True,
            version=(1, 1),
            encoding="utf-8",
        )
        payload = self.np.frombuffer(document, dtype=self.np.uint8)
        column = self.fits.Column(name="ASDF_METADATA", format=f"{payload.size}B", array=payload[None, :])
        # What BinTableHDU.from_columns builds, without its constructor's import of astropy.table (for an
        # isinstance check; ~0.3 s in a fresh process, asdf included through the table I/O registry).
        extension = self.fits.BinTableHDU(name="ASDF")
        extension.data = self.fits.FITS_rec.from_columns([column])
        hdul = self.fits.HDUList([primary, self.fits.ImageHDU(data, name="SCI"), extension])
        hdul.writeto(path, overwrite=True)

    def open_image(self, path: str, read: list[str]) -> tuple[list[object], float]:
        if path.endswith(".asdf"):
            with _module("asdf").open(path) as af:
                values = [_lookup(af.tree, dotted) for dotted in read]
                total = float(self.np.asarray(af.tree["data"]).sum())
            return values, total
        with self.fits.open(path) as hdul:
            values = self._read_headers(hdul, read)
            total = float(hdul["SCI"].data.sum())
        return values, total

    def read_fields(self, path: str, read: list[str]) -> list[object]:
        with self.fits.open(path) as hdul:
            return self._read_headers(hdul, read)

    def scan_fields(self, paths: list[str], read: list[str]) -> list[list[object]]:
        return [self.read_fields(path, read) for path in paths]

    def first_wcs(self, path: str) -> tuple[float, list[tuple[float, ...]]] | None:
        from benchmarks.reference_wcs import extension_wcs, sky

        with self.fits.open(path) as hdul:
            start = time.perf_counter()
            wcs = extension_wcs(hdul)
            seconds = time.perf_counter() - start
        return seconds, sky(wcs)

    @staticmethod
    def _read_headers(hdul: Any, read: list[str]) -> list[object]:
        """Every card of every header, as a model reads them (its metadata may sit in any header, and it keeps
        the cards it does not know); then the fields asked for."""
        cards = [{card.keyword: card.value for card in hdu.header.cards} for hdu in hdul]
        return [cards[0][keyword(dotted)] for dotted in read]

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
