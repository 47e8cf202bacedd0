"""A FITS file opened from its headers (the ASDF extension read when first needed, ``_io.fits_lazy``) gives,
once every value is read, exactly what reading the extension at open gives: over the files the reference
writes for every class that opens from FITS, the same flat values, arrays, extra cards and kept tree, and the
same warnings (as many of each)."""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from astropy.io import fits

from jwstmodels._io.fits_lazy import read_mode, reads_lazily
from tests.interop.test_catalog_interop import (
    add_items,
    array_values,
    cases,
    item_values,
    open_here,
    our_class,
    primary_shape,
    reference_class,
    reference_values,
    set_path,
)

# (multi-models and models with top-level scalars read the extension at open: compared all the same)
# (the known gaps of that suite are gaps of a comparison with the reference, not of this one)
FITS_CASES = [
    pytest.param(*case.values, id=case.id) for case in cases("reference->here") if case.values[1] == ".fits"
]


def _reference_file(name: str, tmp_path: Path) -> Path:
    cls = our_class(name)
    shape = primary_shape(cls)
    theirs = reference_class(name)(shape) if shape else reference_class(name)()
    for path, value in reference_values(name).items():
        set_path(theirs, path, value)
    for array_name, value in array_values(cls, shape).items():
        setattr(theirs, array_name, value)
    add_items(theirs, item_values(name), reference=True)
    path = tmp_path / "reference.fits"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the reference's own warnings while saving are not under test
        theirs.save(path)
    theirs.close()
    return path


def _read(path: Path, name: str, mode: Any) -> tuple[dict[str, object], Any, Any, Counter[tuple[type, str]]]:
    """(flat values, extra cards, kept tree, warnings) of the model read in ``mode``, every value read."""
    with warnings.catch_warnings(record=True) as caught, read_mode(mode):
        warnings.simplefilter("always")
        model = open_here(path, name)
        waiting = getattr(model.meta, "_pending", None) is not None
        with fits.open(path) as hdul:
            extension = "ASDF" in hdul
        layout = type(model).__jwst_layout__
        assert waiting == (mode == "lazy" and extension and reads_lazily(layout))
        with model:
            flat = model.to_flat_dict()
            extra_fits = {hdu: list(cards) for hdu, cards in model.extra_fits.items()}
            extra_tree = model.__jwst_state__.extra_tree  # what a save writes back
    given = Counter(
        (w.category, str(w.message)) for w in caught if not issubclass(w.category, ResourceWarning)
    )
    return flat, extra_fits, extra_tree, given


def _same(one: object, other: object) -> bool:
    if isinstance(one, np.ndarray) or isinstance(other, np.ndarray):
        mine, theirs = np.asarray(one), np.asarray(other)
        if mine.dtype.names or theirs.dtype.names:  # tables: column by column
            return mine.dtype == theirs.dtype and all(
                _same(mine[column], theirs[column]) for column in mine.dtype.names or ()
            )
        nan = mine.dtype.kind in "fc"
        return np.array_equal(mine, theirs, equal_nan=nan)
    if isinstance(one, dict) and isinstance(other, dict):
        return list(one) == list(other) and all(_same(one[k], other[k]) for k in one)  # pyright: ignore
    if isinstance(one, list | tuple) and isinstance(other, list | tuple):
        return len(one) == len(other) and all(_same(a, b) for a, b in zip(one, other, strict=True))  # pyright: ignore
    if type(one).__module__.startswith(("gwcs", "astropy.modeling")):  # objects compared by identity
        return type(one) is type(other) and repr(one) == repr(other)
    if isinstance(one, float) and isinstance(other, float) and one != one:
        return other != other
    return bool(one == other)


@pytest.mark.parametrize(("name", "suffix"), FITS_CASES)
def test_lazy_open_then_every_value_equals_the_eager_read(name: str, suffix: str, tmp_path: Path) -> None:
    path = _reference_file(name, tmp_path)
    eager = _read(path, name, "eager")
    lazy = _read(path, name, "lazy")
    assert list(lazy[0]) == list(eager[0])
    for key, value in eager[0].items():
        assert _same(lazy[0][key], value), key
    assert lazy[1] == eager[1]  # extra cards, in order
    assert _same(lazy[2], eager[2])  # what the schema does not describe
    assert lazy[3] == eager[3]  # the same warnings, as many times
