"""Interoperability with the reference implementation (stdatamodels, a test-only dependency).

Files written there open here with the same values for every metadata field of our catalogue, and files
written here open there, pass its strict validation and give the same values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import jwstmodels
from jwstmodels import DataModel, ImageModel, MetaNode, RampModel
from tests.support.populate import get_path, populate, same_value

st = pytest.importorskip("stdatamodels.jwst.datamodels", reason="stdatamodels is a test dependency")

STAMPED = {"meta.date", "meta.filename", "meta.model_type"}


def set_path(root: Any, dotted: str, value: object) -> None:
    *parents, last = dotted.split(".")
    node = root
    for part in parents:
        node = getattr(node, part)
    setattr(node, last, value)


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
@pytest.mark.parametrize("name", ["ImageModel", "CubeModel", "QuadModel", "RampModel"])
def test_reference_files_open_here(name: str, suffix: str, tmp_path: Path) -> None:
    ours_cls: type[DataModel[MetaNode]] = getattr(jwstmodels, name)
    shape = {"ImageModel": (5, 6), "CubeModel": (2, 5, 6)}.get(name, (2, 3, 5, 6))
    values = populate(ours_cls().meta)
    theirs = getattr(st, name)(shape)
    for path, value in values.items():
        set_path(theirs, path, value)
    theirs.data[...] = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    out = tmp_path / f"ref{suffix}"
    theirs.save(out)
    theirs.close()
    with jwstmodels.open(out) as ours:
        assert type(ours).__name__ == name
        compared = 0
        for path, value in values.items():
            if path not in STAMPED:
                assert same_value(get_path(ours, path), value), path
                compared += 1
        assert compared == len(values) - len(STAMPED & values.keys())
        np.testing.assert_array_equal(ours.data, np.arange(np.prod(shape), dtype=np.float32).reshape(shape))
        assert ours.data.dtype.newbyteorder("=") == np.float32


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
@pytest.mark.parametrize("cls", [ImageModel, RampModel], ids=lambda c: c.__name__)
def test_our_files_open_in_the_reference(cls: type[DataModel[MetaNode]], suffix: str, tmp_path: Path) -> None:
    shape = (4, 5) if cls is ImageModel else (2, 3, 4, 5)
    ours = cls(shape)
    values = populate(ours.meta)
    data = np.random.default_rng(1).normal(size=shape).astype(np.float32)
    setattr(ours, "data", data)
    if isinstance(ours, RampModel):
        table = np.zeros(2, dtype=RampModel.group.dtype)
        table["group_number"] = [1, 2]
        ours.group = table
    out = ours.save(tmp_path / f"ours{suffix}")
    with st.open(out, strict_validation=True) as theirs:
        assert type(theirs).__name__ == cls.__name__
        theirs.validate()
        for path, value in values.items():
            if path not in STAMPED:
                assert same_value(get_path(theirs, path), value), path
        assert theirs.meta.model_type == cls.__name__
        np.testing.assert_array_equal(theirs.data, data)
        if isinstance(ours, RampModel):
            assert list(theirs.group["group_number"]) == [1, 2]
