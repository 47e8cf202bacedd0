"""DataModel behaviour a user relies on: construction, lazy arrays, the validation policy, flat views."""

from __future__ import annotations

import numpy as np
import pytest

import jwstmodels
from jwstmodels import CubeModel, ImageModel, QuadModel, RampModel, UnknownFieldError, ValidationError


def test_shape_sizes_primary_array_and_other_arrays_are_absent() -> None:
    m = ImageModel((4, 5))
    assert m.data.shape == (4, 5)
    assert m.data.dtype == np.float32
    assert m.dq is None and m.err is None  # as the reference's ImageModel: absent until set
    dq = m.get_default("dq")  # what the reference would make on request: zeros of the primary shape
    assert isinstance(dq, np.ndarray) and dq.shape == (4, 5) and dq.dtype == np.uint32 and not dq.any()
    c = CubeModel((2, 4, 5))  # the reference's CubeModel creates dq and err with its data
    assert c.dq.shape == (2, 4, 5) and c.dq.dtype == np.uint32 and not c.dq.any()
    assert c.err.dtype == np.float32


def test_ramp_arrays_take_trailing_axes_of_primary_shape() -> None:
    r = RampModel((2, 3, 4, 5))
    assert r.data.shape == (2, 3, 4, 5)
    assert r.pixeldq.shape == (4, 5) and r.pixeldq.dtype == np.uint32
    assert r.groupdq.shape == (2, 3, 4, 5) and r.groupdq.dtype == np.uint8
    assert r.group is None  # a table nobody set is absent
    assert RampModel.group.dtype.names is not None and "group_end_time" in RampModel.group.dtype.names


def test_access_on_empty_model_creates_nothing() -> None:
    m = ImageModel()
    assert m.dq is None
    assert not hasattr(m, "data")  # the primary array is typed NDArray: absent, it raises AttributeError
    assert m.array_names() == []
    assert m.shape is None


def test_shape_of_wrong_dimensionality_is_refused() -> None:
    with pytest.raises(
        ValidationError,
        match=r"ImageModel: data \(FITS HDU SCI\): expected 2-D float32 array, got <shape \(2, 3, 4\)>",
    ):
        ImageModel((2, 3, 4))


def test_array_assignment_casts_safely_and_refuses_unsafe() -> None:
    m = ImageModel()
    m.data = np.ones((3, 3), dtype=np.float64)
    assert m.data.dtype == np.float32
    m.dq = np.ones((3, 3), dtype=np.int64)  # non-negative integers fit uint32
    assert m.dq.dtype == np.uint32
    with pytest.raises(ValidationError, match=r"ImageModel: dq .*uint32.*float64"):
        m.dq = np.full((3, 3), 0.5)
    with pytest.raises(ValidationError, match="ImageModel: dq"):
        m.dq = -np.ones((3, 3), dtype=np.int64)
    with pytest.raises(ValidationError, match=r"ImageModel: data .*2-D float32 array.*3-D"):
        m.data = np.zeros((2, 2, 2), dtype=np.float32)
    assert m.data.shape == (3, 3), "a refused assignment leaves the old array in place"


def test_bad_metadata_value_names_model_path_and_keyword_and_changes_nothing() -> None:
    m = ImageModel()
    m.meta.exposure.nframes = 4
    with pytest.raises(ValidationError) as info:
        m.meta.exposure.nframes = "four"
    error = info.value
    assert (error.model, error.path, error.keyword) == ("ImageModel", "meta.exposure.nframes", "NFRAMES")
    assert "NFRAMES" in str(error) and "'four'" in str(error) and "int" in str(error)
    assert m.meta.exposure.nframes == 4


def test_enum_values_are_checked() -> None:
    m = ImageModel()
    m.meta.instrument.name = "NIRCAM"
    with pytest.raises(ValidationError, match=r"meta.instrument.name \(FITS INSTRUME in PRIMARY\).*one of"):
        m.meta.instrument.name = "HUBBLE"
    assert m.meta.instrument.name == "NIRCAM"


def test_misspelt_attributes_raise_with_a_suggestion() -> None:
    m = CubeModel()
    with pytest.raises(UnknownFieldError, match=r"CubeModel: meta.exposure has no field 'nframs'.*'nframes'"):
        m.meta.exposure.nframs = 3
    with pytest.raises(AttributeError, match="did you mean 'exposure'"):
        _ = m.meta.exposre
    with pytest.raises(UnknownFieldError, match="CubeModel has no attribute 'dat'; did you mean 'data'"):
        m.dat = np.zeros((1, 1, 1))


def test_init_from_dict_and_array_and_keywords() -> None:
    m = ImageModel(
        {"meta": {"exposure": {"nframes": 2}, "instrument": {"name": "MIRI"}}, "data": np.ones((2, 2))}
    )
    assert m.meta.exposure.nframes == 2 and m.meta.instrument.name == "MIRI"
    assert m.data.dtype == np.float32 and m.data.sum() == 4
    with pytest.raises(ValidationError, match=r"ImageModel: meta.exposure.nframes"):
        ImageModel({"meta": {"exposure": {"nframes": "many"}}})
    with pytest.raises(UnknownFieldError, match="nframs"):
        ImageModel({"meta": {"exposure": {"nframs": 1}}})
    a = ImageModel(np.zeros((3, 2)))
    assert a.shape == (3, 2)
    k = QuadModel(data=np.zeros((1, 2, 3, 4)), dq=np.zeros((1, 2, 3, 4), dtype=np.uint32))
    assert k.dq.shape == (1, 2, 3, 4)


def test_copy_is_deep() -> None:
    m = ImageModel((2, 2))
    m.meta.exposure.nframes = 1
    c = m.copy()
    c.data[0, 0] = 7
    c.meta.exposure.nframes = 9
    assert m.data[0, 0] == 0 and m.meta.exposure.nframes == 1
    assert type(c) is ImageModel


def test_flat_dict_has_dotted_keys() -> None:
    m = ImageModel((2, 2))
    m.meta.observation.date = "2024-03-01"
    m.meta.subarray.xstart = 5
    flat = m.to_flat_dict()
    assert flat["meta.observation.date"] == "2024-03-01"
    assert flat["meta.subarray.xstart"] == 5
    assert isinstance(flat["data"], np.ndarray)
    assert "data" not in m.to_flat_dict(include_arrays=False)
    assert dict(m.items()).keys() == flat.keys()


def test_validate_reports_every_bad_value() -> None:
    m = ImageModel()
    vars(m.meta.exposure)["nframes"] = "x"  # what pass_invalid_values=True can leave in place
    vars(m.meta.subarray)["xstart"] = "y"
    with pytest.raises(jwstmodels.ValidationErrors) as info:
        m.validate()
    paths = {e.path for e in info.value.errors}
    assert paths == {"meta.exposure.nframes", "meta.subarray.xstart"}
    assert {e.keyword for e in info.value.errors} == {"NFRAMES", "SUBSTRT1"}


def test_open_chooses_class_from_shape() -> None:
    assert type(jwstmodels.open((2, 2))) is ImageModel
    assert type(jwstmodels.open((2, 2, 2))) is CubeModel
    assert type(jwstmodels.open((2, 2, 2, 2))) is QuadModel
