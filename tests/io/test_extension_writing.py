"""The ``ASDF`` extension written without asdf or astropy.table: the same bytes as asdf's dumper and astropy's
``BinTableHDU.from_columns`` (the reference reads those), checked against them directly."""

from __future__ import annotations

import datetime
import io
import subprocess
import sys
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from astropy.io import fits

from jwstmodels import ImageModel
from jwstmodels._io import asdf_in_fits
from jwstmodels._io.asdf_blocks import RawYaml


def _asdf_dumped(tree: dict[str, Any]) -> bytes:
    """The document as asdf's own dumper writes it (the path taken before the plain dumper)."""
    import asdf.tagged
    import asdf.versioning

    root = asdf.tagged.TaggedDict(dict(tree), "tag:stsci.edu:asdf/core/asdf-1.1.0")
    return asdf_in_fits._dump(root, asdf_in_fits._dumper(), str(asdf.versioning.default_version))


def _kept_node(text: str) -> RawYaml:
    import yaml

    node = yaml.compose(text, Loader=yaml.CSafeLoader)
    return RawYaml(node)


TREES: dict[str, dict[str, Any]] = {
    "scalars": {
        "meta": {
            "instrument": {"name": "NIRCAM", "detector": "NRCA1"},
            "exposure": {"nframes": 4, "exposure_time": 10.737, "start_time": 60000.5},
            "date": "2026-01-02T03:04:05.678",
            "visit": {"crowded_field": False, "total_exposures": None},
            "ra_ref": 80.4875,
            "text": "ünïcödé and 'quotes' and: colons # hashes\nnewline",
            "long": "x" * 300,
            "when": datetime.datetime(2026, 1, 2, 3, 4, 5),
            "list": [1, 2.5, "three", [4, 5], {"six": 6}],
            "empty": {},
            "nothing": [],
        }
    },
    "numpy scalars": {
        "meta": {"a": np.float32(1.5), "b": np.int16(-3), "c": np.float64(1e-300), "d": np.uint64(2**63)},
        "values": [np.float64(0.1), np.int64(7)],
    },
    "kept node": {
        "meta": {
            "wcs": _kept_node(
                "!<tag:stsci.edu:gwcs/wcs-1.4.0>\nname: w\nsteps: [!<tag:stsci.edu:gwcs/step-1.3.0> {a: 1}]\n"
            ),
            "instrument": {"name": "MIRI"},
        }
    },
    "shared node": {"meta": {"a": (shared := {"x": [1, 2]}), "b": shared}},
}


@pytest.mark.parametrize("name", list(TREES))
def test_plain_trees_are_written_as_asdfs_dumper_writes_them(name: str) -> None:
    tree = TREES[name]
    assert asdf_in_fits._yaml_document(tree) == _asdf_dumped(tree)


def test_the_named_standard_is_the_one_asdf_writes() -> None:
    import asdf.versioning

    assert str(asdf.versioning.default_version) == asdf_in_fits.ASDF_STANDARD


def test_asdfs_tagged_objects_go_through_asdfs_dumper() -> None:
    import asdf.tagged

    entry = asdf.tagged.TaggedDict({"description": "d"}, "tag:stsci.edu:asdf/core/history_entry-1.0.0")
    ordered = OrderedDict([("b", 1), ("a", 2)])
    for tree in ({"history": {"entries": [entry]}}, {"meta": {"o": ordered}}):
        written = asdf_in_fits._yaml_document(tree)
        assert written == _asdf_dumped(tree)
    assert b"!core/history_entry-1.0.0" in asdf_in_fits._yaml_document({"history": {"entries": [entry]}})
    assert b"!!omap" in asdf_in_fits._yaml_document({"meta": {"o": ordered}})


def test_objects_neither_dumper_writes_leave_it_to_asdf() -> None:
    import yaml

    tree = {"meta": {"curve": np.arange(3.0)}}
    with pytest.raises(yaml.representer.RepresenterError):
        _asdf_dumped(tree)
    payload = asdf_in_fits.extension_payload(tree)  # asdf.AsdfFile writes it (an ndarray, a block)
    assert payload.startswith(b"#ASDF 1.0.0") and b"curve: !core/ndarray-" in payload


@pytest.mark.parametrize("size", [1, 27, 2880, 100_003])
def test_the_extension_hdu_is_byte_identical_to_from_columns(size: int) -> None:
    payload = np.frombuffer(bytes(range(256)) * (size // 256 + 1), dtype=np.uint8)[:size]
    column = fits.Column(
        name=asdf_in_fits.COLUMN_NAME, format=f"{payload.size}B", array=payload[np.newaxis, :]
    )
    old = fits.BinTableHDU.from_columns([column], name=asdf_in_fits.EXTENSION_NAME)
    new = fits.BinTableHDU(name=asdf_in_fits.EXTENSION_NAME)
    new.data = fits.FITS_rec.from_columns([column])
    written = []
    for hdu in (old, new):
        stream = io.BytesIO()
        fits.HDUList([fits.PrimaryHDU(), hdu]).writeto(stream)
        written.append(stream.getvalue())
    assert written[0] == written[1]


def test_a_saved_extension_is_what_from_columns_and_asdfs_dumper_write(tmp_path: Path) -> None:
    model = ImageModel((4, 5))
    model.meta.instrument.name = "NIRCAM"
    model.meta.exposure.nframes = 2
    path = model.save(tmp_path / "m.fits")
    with fits.open(path) as hdul:
        raw = bytes(hdul["ASDF"].data[0][0])
        stored = asdf_in_fits.read_tree(hdul["ASDF"], str(path))
        got = hdul["ASDF"].header.tostring().encode() + raw
    expected_payload = _asdf_dumped(stored)
    assert raw == expected_payload
    column = fits.Column(
        name=asdf_in_fits.COLUMN_NAME,
        format=f"{len(raw)}B",
        array=np.frombuffer(raw, dtype=np.uint8)[np.newaxis, :],
    )
    old = fits.BinTableHDU.from_columns([column], name=asdf_in_fits.EXTENSION_NAME)
    assert got == old.header.tostring().encode() + raw


def test_a_fresh_save_imports_neither_asdf_nor_astropy_table(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from jwstmodels import ImageModel\n"
        "m = ImageModel((8, 8))\n"
        "m.meta.instrument.name = 'NIRCAM'\n"
        f"m.save({str(tmp_path / 'fresh.fits')!r})\n"
        "print(sorted(n for n in ('asdf', 'astropy.table') if n in sys.modules))\n"
        "lazy = ('container', 'mapping', 'metadata', 'parallel', 'scan', 'search')\n"
        "print(sorted(n for n in ('jwstmodels._model.extend', *(f'jwstmodels._api.{m}' for m in lazy))"
        " if n in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    libraries, runtime = done.stdout.splitlines()
    assert libraries == "[]"
    assert runtime == "[]"  # open(), containers, scan, map and schema extension load when first used
    with ImageModel(tmp_path / "fresh.fits") as back:
        assert back.meta.instrument.name == "NIRCAM"
