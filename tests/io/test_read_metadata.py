"""``jwstmodels.read_metadata``: typed metadata from headers, without reading array data."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pytest

import jwstmodels
from jwstmodels import ImageModel, RampModel


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
def test_read_metadata_returns_the_typed_tree(tmp_path: Path, suffix: str) -> None:
    model = RampModel((1, 2, 8, 8))
    model.meta.exposure.nframes = 4
    model.meta.instrument.name = "MIRI"
    path = model.save(tmp_path / f"ramp{suffix}")
    meta = jwstmodels.read_metadata(path)
    assert isinstance(meta, jwstmodels.Meta)
    assert meta.exposure.nframes == 4
    assert meta.instrument.name == "MIRI"
    assert meta.model_type == "RampModel"


def test_read_metadata_does_not_read_pixels(tmp_path: Path) -> None:
    path = ImageModel(np.ones((1024, 1024), np.float32)).save(tmp_path / "big.fits")
    jwstmodels.read_metadata(path)  # first call pays one-time imports
    tracemalloc.start()
    try:
        jwstmodels.read_metadata(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024 * 4 / 8, f"read_metadata allocated {peak} bytes for a 4 MiB image"


def test_scanning_many_files_leaves_nothing_open(tmp_path: Path) -> None:
    paths = []
    for index in range(20):
        model = ImageModel((4, 4))
        model.meta.exposure.nframes = index
        paths.append(model.save(tmp_path / f"f{index}.fits"))
    assert [jwstmodels.read_metadata(p).exposure.nframes for p in paths] == list(range(20))
