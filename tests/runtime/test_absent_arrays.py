"""Arrays a model does not hold read as None, as in the reference implementation (stdatamodels 6.0.0): nothing
is made on first use. The arrays the reference creates when a model is constructed (its primary array from a
shape, and beside it ``dq``/``err``/``pixeldq``/``groupdq`` for some classes) exist from construction here
too; the list is taken from the reference itself, class by class. Setting ``None`` or ``del`` removes an
array, and a removed or never-set array is not written."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from astropy.io import fits

import jwstmodels
import jwstmodels_generated
from jwstmodels.base import ArrayField, CreatedArrayField, DataModel, MetaNode
from jwstmodels_generated.lookup import CLASS_MODULES

st = pytest.importorskip("stdatamodels.jwst.datamodels", reason="stdatamodels is a test dependency")

SHAPES = {1: (7,), 2: (4, 5), 3: (3, 4, 5), 4: (2, 3, 4, 5)}

Model = type[DataModel[MetaNode]]


def _ours(name: str) -> Model:
    cls: Model = getattr(jwstmodels_generated, name)
    return cls


def _shared_with_primary_array() -> list[str]:
    """Classes both catalogues have whose primary array is an array (a shape tuple sizes it)."""
    names: list[str] = []
    for name in sorted(CLASS_MODULES):
        if not hasattr(st, name):
            continue
        cls = _ours(name)
        if isinstance(cls.__jwst_layout__.fields.get(cls.primary_array_name), ArrayField):
            names.append(name)
    return names


SHARED = _shared_with_primary_array()

SHAPE_DIFFERENCES = {("LinearityModel", "dq"): ((3, 4, 5), (4, 5))}
"""(class, array) -> (the reference's shape, ours) where the shape of an array made with the model differs:
the reference's linearity schema gives ``dq`` no ndim, so it sizes it after the 3-D coefficients; ours says
2-D, as linearity reference files hold it and the pipeline uses it (against the 2-D pixeldq)."""


def _primary_shape(cls: Model) -> tuple[int, ...]:
    field = cls.__jwst_layout__.fields[cls.primary_array_name]
    assert isinstance(field, ArrayField)
    ndim = field.ndim or (field.ndims[0] if field.ndims else None) or field.max_ndim or 2
    return SHAPES[ndim]


def _reference_arrays(model: Any, names: list[str]) -> dict[str, tuple[int, ...]]:
    """The arrays (by our field names) a reference model holds, with their shapes."""
    held: dict[str, tuple[int, ...]] = {}
    for name in names:
        try:
            value = getattr(model, name)
        except AttributeError:  # not in the reference's schema
            continue
        if value is not None:
            held[name] = tuple(np.shape(value))
    return held


def _our_arrays(model: DataModel[MetaNode]) -> dict[str, tuple[int, ...]]:
    return {name: tuple(np.shape(getattr(model, name))) for name in model.array_names()}


def test_the_comparison_covers_the_catalogue() -> None:
    """Not vacuous: the shared classes with a primary array, and among them those that create more."""
    assert len(SHARED) >= 40
    created = [name for name in SHARED if _ours(name).__jwst_layout__.created_arrays]
    assert {"CubeModel", "RampModel", "FlatModel", "MaskModel", "DarkModel"} <= set(SHARED)
    assert len(created) >= 25


@pytest.mark.parametrize("name", SHARED)
def test_arrays_made_with_a_shape_are_the_references(name: str) -> None:
    cls = _ours(name)
    shape = _primary_shape(cls)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = getattr(st, name)(shape)
        expected = _reference_arrays(theirs, list(cls.__jwst_layout__.fields))
        theirs.close()
    for (model_name, array), (reference_shape, our_shape) in SHAPE_DIFFERENCES.items():
        if model_name == name:
            assert expected[array] == reference_shape  # still the reference's behaviour
            expected[array] = our_shape
    model = cls(shape)
    assert _our_arrays(model) == expected
    # the static kind follows: arrays held from construction are CreatedArrayFields, typed without None
    created = {n for n, f in cls.__jwst_layout__.fields.items() if isinstance(f, CreatedArrayField)}
    assert created == set(expected)
    for other in set(cls.__jwst_layout__.fields) - set(expected):
        assert getattr(model, other) is None, f"{name}.{other} is not held: None, as the reference's"


@pytest.mark.parametrize("name", ["CubeModel", "RampModel", "FlatModel", "SaturationModel", "IFUImageModel"])
def test_arrays_made_when_a_file_lacks_them_are_the_references(name: str, tmp_path: Path) -> None:
    """Reading a file with only the primary array: the reference creates the same arrays beside it."""
    cls = _ours(name)
    shape = _primary_shape(cls)
    path = tmp_path / "only_data.fits"
    primary = fits.PrimaryHDU()
    primary.header["DATAMODL"] = name
    primary.header["TELESCOP"] = "JWST"
    sci = fits.ImageHDU(np.ones(shape, dtype=np.float32), name="SCI")
    fits.HDUList([primary, sci]).writeto(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with getattr(st, name)(str(path)) as theirs:
            expected = _reference_arrays(theirs, list(cls.__jwst_layout__.fields))
    with cls(path) as model:
        assert _our_arrays(model) == expected
        assert len(expected) > 1


def test_an_empty_model_holds_no_array() -> None:
    model = jwstmodels.CubeModel()
    assert model.array_names() == []
    assert model.var_poisson is None
    assert not hasattr(model, "data") and not hasattr(model, "dq")  # typed NDArray: it raises, not None
    with pytest.raises(AttributeError, match=r"CubeModel\.dq: the model holds no dq array"):
        _ = model.dq
    assert getattr(model, "data", None) is None  # the reference's own test for a primary array
    model.data = np.zeros((2, 3, 4), dtype=np.float32)
    assert model.array_names() == ["data"]  # set after construction: nothing is made beside it


def test_absent_arrays_read_none_and_are_never_made() -> None:
    model = jwstmodels.ImageModel((4, 5))
    assert model.dq is None and model.err is None and model.var_rnoise is None
    assert model.array_names() == ["data"]
    assert "dq" not in model and not model.hasattr("dq")


def test_none_and_del_remove_an_array(tmp_path: Path) -> None:
    model = jwstmodels.ImageModel((4, 5))
    model.dq = np.ones((4, 5), dtype=np.uint32)
    model.err = np.ones((4, 5), dtype=np.float32)
    model.var_poisson = np.ones((4, 5), dtype=np.float32)
    model.dq = None
    del model.err
    assert model.dq is None and model.err is None
    assert model.array_names() == ["data", "var_poisson"]
    with pytest.raises(AttributeError, match="holds no such array"):
        del model.err
    model.save(tmp_path / "x_cal.fits")
    with fits.open(tmp_path / "x_cal.fits") as hdul:
        assert [hdu.name for hdu in hdul][1:] == ["SCI", "VAR_POISSON", "ASDF"]
    model.save(tmp_path / "x_cal.asdf")
    for suffix in ("fits", "asdf"):
        with jwstmodels.ImageModel(tmp_path / f"x_cal.{suffix}") as back:
            assert back.dq is None and back.err is None
            assert back.var_poisson is not None and float(back.var_poisson.sum()) == 20.0


def test_removing_an_array_read_from_a_file(tmp_path: Path) -> None:
    model = jwstmodels.ImageModel((4, 5))
    model.dq = np.full((4, 5), 4, dtype=np.uint32)
    model.save(tmp_path / "a_cal.fits")
    with jwstmodels.ImageModel(tmp_path / "a_cal.fits") as back:
        back.dq = None  # before it was read: the file's array is dropped too
        assert back.dq is None
        back.save(tmp_path / "b_cal.fits")
    with fits.open(tmp_path / "b_cal.fits") as hdul:
        assert "DQ" not in [hdu.name for hdu in hdul]


def test_removing_the_primary_array_of_a_model_that_creates_more() -> None:
    model = jwstmodels.CubeModel((2, 3, 4))
    del model.data
    assert model.shape is None
    assert model.array_names() == ["dq", "err"]
    with pytest.raises(AttributeError, match="holds no data array"):
        _ = model.data


def test_an_integration_table_is_not_written_when_nobody_set_it(tmp_path: Path) -> None:
    """rateints: a CubeModel whose ``int_times`` nobody set has no INT_TIMES table in its file."""
    model = jwstmodels.CubeModel((2, 3, 4))
    assert model.int_times is None
    model.save(tmp_path / "x_rateints.fits")
    with fits.open(tmp_path / "x_rateints.fits") as hdul:
        assert [hdu.name for hdu in hdul][1:] == ["SCI", "DQ", "ERR", "ASDF"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with st.CubeModel((2, 3, 4)) as theirs:
            theirs.save(tmp_path / "ref_rateints.fits")
    with fits.open(tmp_path / "ref_rateints.fits") as hdul:
        assert [hdu.name for hdu in hdul][1:] == ["SCI", "DQ", "ERR", "ASDF"]


def test_zeroframe_default_has_one_plane_per_integration() -> None:
    shape = (2, 3, 4, 5)
    model = jwstmodels.RampModel(shape)
    assert model.zeroframe is None
    default = model.get_default("zeroframe")
    assert isinstance(default, np.ndarray) and default.shape == (2, 4, 5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with st.RampModel(shape) as theirs:
            assert theirs.zeroframe is None
            assert theirs.get_default("zeroframe").shape == default.shape
