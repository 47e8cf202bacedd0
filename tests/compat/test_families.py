"""The families of jwstmodels.families hold exactly the catalogue classes with their arrays."""

from __future__ import annotations

import typing

import numpy as np
import pytest

import jwstmodels
from jwstmodels import DataModel, MetaNode
from jwstmodels.families import FAMILIES

Spec = tuple[tuple[str, str, int], ...]
"""A family's arrays: (name, dtype, ndim) each."""

SPECS: dict[str, Spec] = {
    "ImageLike": (("data", "float32", 2), ("dq", "uint32", 2), ("err", "float32", 2)),
    "CubeLike": (("data", "float32", 3), ("dq", "uint32", 3), ("err", "float32", 3)),
    "QuadLike": (("data", "float32", 4), ("dq", "uint32", 4), ("err", "float32", 4)),
    "RampLike": (("data", "float32", 4), ("pixeldq", "uint32", 2), ("groupdq", "uint8", 4)),
}


def _catalogue() -> list[type[DataModel[MetaNode]]]:
    found: list[type[DataModel[MetaNode]]] = []
    for name in jwstmodels.__all__:
        value: object = getattr(jwstmodels, name)
        if isinstance(value, type) and issubclass(value, DataModel) and value is not DataModel:
            found.append(typing.cast(type[DataModel[MetaNode]], value))
    return found


def _holds(cls: type[DataModel[MetaNode]], spec: Spec) -> bool:
    for name, dtype, ndim in spec:
        field = cls.__jwst_layout__.fields.get(name)
        if field is None or field.dtype != np.dtype(dtype) or getattr(field, "ndim", None) != ndim:
            return False
    return True


def _members(family: object) -> set[str]:
    args = typing.get_args(family)
    classes = args if args else (family,)
    return {typing.cast(type, c).__name__ for c in classes}


@pytest.mark.parametrize("family", sorted(SPECS))
def test_family_is_every_class_with_its_arrays(family: str) -> None:
    expected = {cls.__name__ for cls in _catalogue() if _holds(cls, SPECS[family])}
    assert expected, f"no class holds the arrays of {family}"
    assert _members(FAMILIES[family]) == expected


def test_spectral_tables_are_the_classes_with_a_spec_table() -> None:
    expected = {cls.__name__ for cls in _catalogue() if "spec_table" in cls.__jwst_layout__.fields}
    assert _members(FAMILIES["SpectralTableLike"]) == expected
    assert {"SpecModel", "TSOSpecModel", "WFSSSpecModel"} <= expected


def test_families_work_with_isinstance() -> None:
    from jwstmodels.families import CubeLike, ImageLike

    assert isinstance(jwstmodels.FlatModel((2, 2)), ImageLike)
    assert not isinstance(jwstmodels.SpecModel(), ImageLike)
    assert isinstance(jwstmodels.CubeModel((2, 2, 2)), CubeLike)
