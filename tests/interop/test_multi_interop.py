"""Multi-model items between the reference implementation (stdatamodels) and us, in FITS.

Reference -> here: a MultiSlitModel, MultiSpecModel or MultiExposureModel written by stdatamodels, with
items of different shapes whose every metadata field, scalar (``name``, ``source_id``, ...) and array is
set, opens here with each item's values. Here -> reference: the same written by us opens there, passes its
strict validation and gives each item's values back."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import jwstmodels
from jwstmodels import DataModel, MetaNode
from jwstmodels._core.meta import scalar_leaves
from tests.support.populate import get_path, is_list, same_value, sample_value

st = pytest.importorskip("stdatamodels.jwst.datamodels", reason="stdatamodels is a test dependency")

KINDS = {  # multi-model -> (list field, item class)
    "MultiSlitModel": ("slits", "SlitModel"),
    "MultiSpecModel": ("spec", "SpecModel"),
    "MultiExposureModel": ("exposures", "SlitModel"),
}
SHAPES = [(3, 5), (4, 7), (6, 2)]
STAMPED = {"meta.date", "meta.filename", "meta.model_type"}


def our_class(name: str) -> type[DataModel[MetaNode]]:
    cls: type[DataModel[MetaNode]] = getattr(jwstmodels, name)
    return cls


def item_values(item_name: str, index: int) -> dict[str, object]:
    """A distinct valid value for every metadata field and every scalar field of item ``index``."""
    cls = our_class(item_name)
    salt = 1000 * (index + 1)
    values: dict[str, object] = {
        leaf.path: sample_value(leaf.annotation, salt + n)
        for n, leaf in enumerate(scalar_leaves(cls.meta_class))
        if leaf.path not in STAMPED and not is_list(leaf.annotation)
    }
    for n, (name, field) in enumerate(cls.__jwst_layout__.scalar_fields.items()):
        values[name] = sample_value(field.annotation, salt + 500 + n)
    return values


def item_arrays(item_name: str, index: int) -> dict[str, Any]:
    rng = np.random.default_rng(index)
    if item_name == "SpecModel":
        table = np.zeros(4 + index, dtype=jwstmodels.SpecModel.spec_table.dtype)
        for column in table.dtype.names or ():
            table[column] = rng.integers(0, 100, size=len(table))
        return {"spec_table": table}
    shape = SHAPES[index]
    return {
        "data": rng.normal(size=shape).astype(np.float32),
        "dq": rng.integers(0, 2**20, size=shape).astype(np.uint32),
        "err": rng.random(size=shape).astype(np.float32),
        "wavelength": rng.random(size=shape).astype(np.float32),
    }


def set_path(root: Any, dotted: str, value: object) -> bool:
    """Set a value on a reference model; False when the reference refuses it or lacks the path."""
    *parents, last = dotted.split(".")
    node = root
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for part in parents:
                node = getattr(node, part)
            setattr(node, last, value)
            return bool(getattr(node, last) == value)
    except Exception:
        return False


def reference(name: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return getattr(st, name)()


def check_items(items: list[Any], expected: list[tuple[dict[str, object], dict[str, Any]]]) -> None:
    assert len(items) == len(expected)
    for index, (item, (values, arrays)) in enumerate(zip(items, expected, strict=True)):
        for path, value in values.items():
            assert same_value(get_path(item, path), value), (index, path)  # a WCS: same sky positions
        for array_name, array in arrays.items():
            got = np.asarray(getattr(item, array_name))
            if array.dtype.names:
                for column in array.dtype.names:
                    np.testing.assert_array_equal(got[column], array[column], err_msg=f"{index} {column}")
            else:
                assert got.dtype.newbyteorder("=") == array.dtype, (index, array_name)
                np.testing.assert_array_equal(got, array, err_msg=f"{index} {array_name}")


@pytest.mark.parametrize("name", list(KINDS))
def test_reference_items_open_here(name: str, tmp_path: Path) -> None:
    list_name, item_name = KINDS[name]
    theirs = reference(name)
    theirs.meta.instrument.name = "NIRSPEC"
    theirs.meta.exposure.start_time_mjd = 60000.5  # the multi-model's keyword in SCI (SCI,1 when shared)
    expected: list[tuple[dict[str, object], dict[str, Any]]] = []
    for index in range(3):
        item = reference(item_name)
        values = {p: v for p, v in item_values(item_name, index).items() if set_path(item, p, v)}
        arrays = item_arrays(item_name, index)
        for array_name, array in arrays.items():
            setattr(item, array_name, array.copy())  # the reference's save changes uint32 columns in place
        getattr(theirs, list_name).append(item)
        expected.append((values, arrays))
    path = tmp_path / "reference.fits"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the reference's own warnings while saving are not under test
        theirs.save(path)
    theirs.close()
    assert all(len(values) > 20 for values, _ in expected)  # the reference took most of the values

    with jwstmodels.open(path) as ours:
        assert type(ours).__name__ == name
        assert ours.meta.instrument.name == "NIRSPEC" and ours.meta.exposure.start_time_mjd == 60000.5
        items = getattr(ours, list_name)
        check_items(items, expected)
        assert not any(
            item.extra_fits or item.__jwst_state__.extra_tree for item in items
        )  # every value has its field
        assert (
            not ours.extra_fits and not ours.__jwst_state__.extra_hdus
        )  # the items' cards and HDUs are the items'
        resaved = ours.save(tmp_path / "resaved.fits")
    with our_class(name)(resaved) as again:  # and what we write back reads the same
        check_items(getattr(again, list_name), expected)


@pytest.mark.parametrize("name", list(KINDS))
def test_our_items_open_in_the_reference(name: str, tmp_path: Path) -> None:
    list_name, item_name = KINDS[name]
    ours = our_class(name)()
    ours.meta.instrument.name = "NIRSPEC"
    ours.meta.exposure.start_time_mjd = 60000.5
    probe = reference(item_name)
    expected: list[tuple[dict[str, object], dict[str, Any]]] = []
    for index in range(3):
        item = our_class(item_name)()
        values = item_values(item_name, index)
        for path, value in values.items():
            if path.startswith("meta."):
                *parents, last = path.split(".")
                setattr(get_path(item, ".".join(parents)), last, value)
            else:
                setattr(item, path, value)
        arrays = item_arrays(item_name, index)
        for array_name, array in arrays.items():
            setattr(item, array_name, array)
        getattr(ours, list_name).append(item)
        expected.append(({p: v for p, v in values.items() if set_path(probe, p, v)}, arrays))
    assert all(len(values) > 20 for values, _ in expected)  # the reference has most of the fields
    path = ours.save(tmp_path / "ours.fits")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        theirs = getattr(st, name)(path, strict_validation=True)
        opened = st.open(path, strict_validation=True)
    with theirs, opened:
        assert type(opened).__name__ == name
        for model in (theirs, opened):
            model.validate()
            assert model.meta.instrument.name == "NIRSPEC" and model.meta.exposure.start_time_mjd == 60000.5
            check_items(list(getattr(model, list_name)), expected)
