"""Arrays made from their defaults (``get_default``, those a class creates with its primary array) take the
primary array's shape, its last ``ndim`` axes, or the axes the schema names (``primary_axes``): a ramp's
zeroframe has one plane per integration, as the reference creates it."""

from __future__ import annotations

import numpy as np
import pytest

import jwstmodels
from jwstmodels.base import ArrayField

st = pytest.importorskip("stdatamodels.jwst.datamodels", reason="stdatamodels is a test dependency")

SHAPE = (2, 3, 5, 6)  # integrations, groups, rows, columns


@pytest.mark.parametrize("name", ["RampModel", "Level1bModel", "SuperstripeRampModel", "MIRIRampModel"])
def test_zeroframe_has_one_plane_per_integration(name: str) -> None:
    model = getattr(jwstmodels, name)(SHAPE)
    assert model.zeroframe is None  # not made with the model, as in the reference
    zeroframe = model.get_default("zeroframe")
    assert isinstance(zeroframe, np.ndarray) and zeroframe.shape == (2, 5, 6)
    assert zeroframe.dtype == (np.uint16 if name == "Level1bModel" else np.float32)  # the schema's
    if hasattr(st, name):  # the reference creates it on request (get_default) with the same shape
        theirs = getattr(st, name)(SHAPE)
        # (its Level1bModel override makes it float32 although its schema says uint16)
        assert theirs.get_default("zeroframe").shape == zeroframe.shape
        theirs.close()


def test_other_arrays_keep_the_last_axes() -> None:
    ramp = jwstmodels.RampModel(SHAPE)
    assert ramp.pixeldq.shape == (5, 6) and ramp.groupdq.shape == SHAPE
    zeroframe = jwstmodels.ImageModel((5, 6)).get_default("zeroframe")
    assert isinstance(zeroframe, np.ndarray) and zeroframe.shape == (5, 6)


def test_shape_for() -> None:
    field = ArrayField(np.float32, hdu="ZEROFRAME", ndim=3, primary_axes=(0, 2, 3))
    assert field.shape_for((2, 3, 5, 6)) == (2, 5, 6)
    assert field.shape_for((5, 6, 7)) == (5, 6, 7), "a primary array without those axes: its own shape"
    assert ArrayField(np.float32, hdu="X", ndim=3).shape_for((2, 3, 5, 6)) == (3, 5, 6)
