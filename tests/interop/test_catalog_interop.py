"""The interop suite: every model of our catalogue that the reference also has, both directions, both formats.

Reference -> here: a file written by stdatamodels with every metadata field that has a FITS keyword set (those
it accepts), every array and every table filled, opens here with identical values, dtypes, shapes and table
columns. Here -> reference: the same kind of file written by us opens there, passes its strict validation and
gives the same values. The counts of files and compared values are printed at the end of the run.
"""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import jwstmodels
from jwstmodels import ArrayField, DataModel, MetaNode, TableField
from jwstmodels._meta import scalar_leaves
from jwstmodels._open import model_class
from jwstmodels_generated.lookup import MODEL_CLASSES
from tests.support.populate import get_path, sample_value

st = pytest.importorskip("stdatamodels.jwst.datamodels", reason="stdatamodels is a test dependency")

COUNTS: Counter[str] = Counter()
STAMPED = {"meta.date", "meta.filename", "meta.model_type"}


def shared_models() -> list[str]:
    """Our model classes (aliases excluded) that the reference also defines, by name."""
    names = {cls for _, cls in MODEL_CLASSES.values()}
    return sorted(n for n in names if hasattr(st, n) and n != "DataModel")


def our_class(name: str) -> type[DataModel[MetaNode]]:
    cls = model_class(name)
    assert cls is not None
    return cls


def primary_shape(cls: type[DataModel[MetaNode]]) -> tuple[int, ...] | None:
    field = cls._fields.get(cls.primary_array_name)
    if not isinstance(field, ArrayField):
        return None
    ndim = field.ndim or field.max_ndim or 2
    return (2, 3, 5, 6)[4 - ndim :]


def fill_values(cls: type[DataModel[MetaNode]]) -> dict[str, object]:
    """A distinctive valid value for every metadata field of ours that has a FITS keyword."""
    return {
        leaf.path: sample_value(leaf.annotation, index)
        for index, leaf in enumerate(scalar_leaves(cls.meta_class))
        if leaf.keyword is not None and leaf.path not in STAMPED
    }


def array_values(cls: type[DataModel[MetaNode]], shape: tuple[int, ...] | None) -> dict[str, Any]:
    rng = np.random.default_rng(7)
    values: dict[str, Any] = {}
    for name, field in cls._fields.items():
        if isinstance(field, TableField):
            table = np.zeros(3, dtype=field.dtype)
            for column in field.columns:
                kind = table.dtype[column.name].base.kind
                if kind == "S":
                    table[column.name] = [b"a", b"bb", b"ccc"]
                elif kind in "iuf":
                    table[column.name] = rng.integers(0, 100, size=table[column.name].shape)
            values[name] = table
        elif isinstance(field, ArrayField) and shape is not None:
            values[name] = rng.integers(0, 100, size=field.shape_for(shape)).astype(field.dtype)
    return values


def set_path(root: Any, dotted: str, value: object) -> bool:
    """Set a value on a reference model; False when the reference refuses it (or lacks the path)."""
    *parents, last = dotted.split(".")
    node = root
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for part in parents:
                node = getattr(node, part)
            setattr(node, last, value)
            return getattr(node, last) == value
    except Exception:
        return False


def compare(
    ours: DataModel[MetaNode], theirs: Any, values: dict[str, object], arrays: dict[str, Any]
) -> None:
    for path, value in values.items():
        assert get_path(ours, path) == value, path
        assert get_path(theirs, path) == value, path
        COUNTS["metadata values"] += 1
    for name, expected in arrays.items():
        for side, model in (("ours", ours), ("reference", theirs)):
            got = np.asarray(getattr(model, name))
            where = f"{side} {name}"
            assert got.shape == expected.shape, where
            if expected.dtype.names:
                assert [n.lower() for n in got.dtype.names or ()] == list(expected.dtype.names), where
                for column in expected.dtype.names:
                    np.testing.assert_array_equal(got[column], expected[column], err_msg=f"{where}.{column}")
                    COUNTS["table columns"] += 1
            else:
                assert got.dtype.newbyteorder("=") == expected.dtype, f"{side} {name}"
                np.testing.assert_array_equal(got, expected, err_msg=f"{side} {name}")
                COUNTS["arrays"] += 1


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
@pytest.mark.parametrize("name", shared_models())
def test_reference_file_opens_here(name: str, suffix: str, tmp_path: Path) -> None:
    cls = our_class(name)
    shape = primary_shape(cls)
    theirs = getattr(st, name)(shape) if shape else getattr(st, name)()
    values = {path: value for path, value in fill_values(cls).items() if set_path(theirs, path, value)}
    arrays = array_values(cls, shape)
    for array_name, value in arrays.items():
        setattr(theirs, array_name, value)
    path = tmp_path / f"reference{suffix}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the reference's own warnings while saving are not under test
        theirs.save(path)
    with jwstmodels.open(path) as ours:
        assert type(ours).__name__ == name
        compare(ours, theirs, values, arrays)
    theirs.close()
    COUNTS["files (reference -> here)"] += 1


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
@pytest.mark.parametrize("name", shared_models())
def test_our_file_opens_in_the_reference(name: str, suffix: str, tmp_path: Path) -> None:
    cls = our_class(name)
    shape = primary_shape(cls)
    ours = cls(shape) if shape else cls()
    probe = getattr(st, name)()
    values = {path: value for path, value in fill_values(cls).items() if set_path(probe, path, value)}
    probe.close()
    for path, value in values.items():
        *parents, last = path.split(".")
        setattr(get_path(ours, ".".join(parents)), last, value)
    arrays = array_values(cls, shape)
    for array_name, value in arrays.items():
        setattr(ours, array_name, value)
    path = ours.save(tmp_path / f"ours{suffix}")
    with st.open(path, strict_validation=True) as theirs:
        assert type(theirs).__name__ == name
        theirs.validate()
        compare(ours, theirs, values, arrays)
    COUNTS["files (here -> reference)"] += 1
