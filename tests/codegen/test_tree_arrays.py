"""Arrays inside tree objects (``Extract1dIFUModel.data.wavelength``) are declared with their schema dtype
(``TreeArrayField``) and checked on assignment as top-level arrays are."""

from __future__ import annotations

import numpy as np
import pytest

from codegen import ir
from codegen.tree_nodes import tree_array_member
from jwstmodels import Extract1dIFUModel, SIRSKernelModel, ValidationError
from jwstmodels._core.tree_arrays import TreeArrayField


def test_the_member_is_declared_with_the_schema_dtype() -> None:
    member = tree_array_member("wavelength", ir.Array("float32", ndim=1, title="Wavelengths"))
    assert member.decl == "wavelength = TreeArrayField(np.float32, ndim=1, title='Wavelengths')"
    assert "float32, 1-D" in member.doc
    field = vars(type(Extract1dIFUModel().data))["wavelength"]
    assert isinstance(field, TreeArrayField) and field.dtype == np.dtype(np.float32)
    assert vars(type(SIRSKernelModel().nrca1))["gamma"].dtype == np.dtype(np.float64)


def test_an_array_of_the_dtype_or_one_casting_safely_is_taken() -> None:
    model = Extract1dIFUModel()
    model.data.wavelength = np.arange(3, dtype=np.float32)
    assert model.data.wavelength is not None and model.data.wavelength.dtype == np.float32
    model.data.radius = np.arange(3, dtype=np.int16)  # casts safely: converted
    assert model.data.radius is not None and model.data.radius.dtype == np.float32
    model.data.radius = None
    assert model.data.radius is None


@pytest.mark.parametrize(
    ("value", "shown"),
    [(np.arange(3.0), "<1-D float64 array>"), ("x", "'x' (str)"), (np.arange(3, dtype=np.int64), "int64")],
)
def test_another_dtype_is_refused_naming_model_place_and_dtype(value: object, shown: str) -> None:
    model = Extract1dIFUModel()
    model.data.inner_bkg = np.ones(2, np.float32)
    with pytest.raises(ValidationError) as caught:
        model.data.inner_bkg = value  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]
    text = str(caught.value)
    assert text.startswith("Extract1dIFUModel: data.inner_bkg: expected a float32 array") and shown in text
    assert model.data.inner_bkg is not None and model.data.inner_bkg.tolist() == [1.0, 1.0]  # unchanged


def test_the_dimensionality_is_checked_when_the_schema_gives_one() -> None:
    field = TreeArrayField(np.float32, ndim=1, title="t")
    field.__set_name__(object, "x")
    assert field.check(np.zeros(2, np.float32), "M") is not None
    with pytest.raises(ValidationError, match=r"M: x: expected a 1-D float32 array .* got <2-D float32"):
        field.check(np.zeros((2, 2), np.float32), "M")
