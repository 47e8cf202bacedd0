"""One assignment rule for metadata and top-level scalars (``ScalarField``): no value crosses kinds (a bool
is not an int, text is not a number, a number is not text, a float is not an int), an int widens into a float
field, numpy scalars count as their kind. Property-based: valid values of each kind are accepted and read
back; invalid ones raise ValidationError and leave the model unchanged."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jwstmodels import DataModel, ImageModel, MetaNode, SlitModel, ValidationError
from jwstmodels._core.meta import field_kinds, scalar_leaves

KINDS = (str, int, float, bool)


def meta_paths(kind: type) -> list[str]:
    """Dotted paths of ImageModel's plain (not enumerated) metadata scalars of one kind."""
    found: list[str] = []
    for leaf in scalar_leaves(ImageModel.meta_class):
        *parents, name = leaf.names
        node: type[MetaNode] = ImageModel.meta_class
        for parent in parents:
            node = node.model_fields[parent].annotation  # type: ignore[assignment]
        if field_kinds(node, name) == frozenset((kind,)) and leaf.annotation == (kind | None):
            found.append(leaf.path)
    return found


def slit_fields(kind: type) -> list[str]:
    return [
        n for n, f in SlitModel.__jwst_layout__.scalar_fields.items() if f.kind is kind and f.enum is None
    ]


FIELDS: dict[type, list[tuple[type[DataModel[MetaNode]], str]]] = {
    kind: [(ImageModel, path) for path in meta_paths(kind)]
    + [(SlitModel, name) for name in slit_fields(kind)]
    for kind in KINDS
}

ints = st.integers(min_value=-(2**62), max_value=2**62)
finite = st.floats(allow_nan=False, allow_infinity=False)
finite32 = st.floats(width=32, allow_nan=False, allow_infinity=False)
VALID: dict[type, st.SearchStrategy[Any]] = {
    str: st.text() | st.text().map(np.str_),
    int: ints | ints.map(np.int64) | st.integers(0, 2**31).map(np.uint32),
    float: finite | ints | finite.map(np.float64) | finite32.map(np.float32),
    bool: st.booleans() | st.booleans().map(np.bool_),
}
NOT: dict[type, st.SearchStrategy[Any]] = {
    str: ints | finite | st.booleans() | st.binary(),
    int: st.booleans() | st.text() | finite | st.floats(allow_nan=True) | st.just(4.0) | st.binary(),
    float: st.booleans() | st.text() | st.just("10") | st.binary() | st.booleans().map(np.bool_),
    bool: ints | finite | st.text() | st.just("true") | st.just(1) | st.just(0),
}
EXPECTED: dict[type, Callable[[Any], object]] = {str: str, int: int, float: float, bool: bool}


def field_and_kind() -> st.SearchStrategy[tuple[type, type[DataModel[MetaNode]], str]]:
    return st.sampled_from([(kind, cls, path) for kind in KINDS for cls, path in FIELDS[kind]])


def snapshot(model: DataModel[MetaNode]) -> dict[str, object]:
    return model.to_flat_dict(include_arrays=False)


def test_every_kind_has_fields_of_both_places() -> None:
    for kind in KINDS:
        assert any(cls is ImageModel for cls, _ in FIELDS[kind]), kind
        assert any(cls is SlitModel for cls, _ in FIELDS[kind]), kind


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), target=field_and_kind())
def test_valid_values_of_each_kind_are_accepted_and_read_back(
    data: st.DataObject, target: tuple[type, type[DataModel[MetaNode]], str]
) -> None:
    kind, cls, path = target
    value = data.draw(VALID[kind])
    model = cls()
    model[path] = value
    got = model[path]
    assert type(got) is kind, f"{path}: {value!r} stored as {got!r}"
    assert got == EXPECTED[kind](value) or (kind is float and math.isclose(got, float(value)))
    model.validate()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), target=field_and_kind())
def test_values_of_another_kind_are_refused_and_change_nothing(
    data: st.DataObject, target: tuple[type, type[DataModel[MetaNode]], str]
) -> None:
    kind, cls, path = target
    value = data.draw(NOT[kind])
    model = cls()
    model[path] = data.draw(VALID[kind])  # a value the refusal must leave in place
    before = snapshot(model)
    with pytest.raises(ValidationError) as caught:
        model[path] = value
    assert caught.value.path.endswith(path.removeprefix("meta.")) and caught.value.got is value
    assert snapshot(model) == before


def test_the_rule_by_example() -> None:
    m = ImageModel()
    for path, value in [
        ("meta.exposure.nframes", True),
        ("meta.exposure.nframes", "4"),
        ("meta.exposure.nframes", 4.0),
        ("meta.exposure.exposure_time", "10"),
        ("meta.exposure.exposure_time", False),
        ("meta.instrument.name", 5),
        ("meta.observation.bkgdtarg", 1),
        ("meta.observation.bkgdtarg", "T"),
    ]:
        with pytest.raises(ValidationError, match=path):
            m[path] = value
    m.meta.exposure.exposure_time = 3  # an int widens into a float field
    assert m.meta.exposure.exposure_time == 3.0 and type(m.meta.exposure.exposure_time) is float
    m.meta.exposure.nframes = np.int16(5)  # type: ignore[assignment]  # numpy scalars count as their kind
    assert m.meta.exposure.nframes == 5 and type(m.meta.exposure.nframes) is int
    m.meta.instrument.name = np.str_("NIRCAM")  # type: ignore[assignment]
    assert m.meta.instrument.name == "NIRCAM" and type(m.meta.instrument.name) is str
    slit = SlitModel()
    with pytest.raises(ValidationError, match="xstart"):
        slit.xstart = 4.0  # type: ignore[assignment]
    slit.stellarity = 1  # type: ignore[assignment]
    assert slit.stellarity == 1.0 and type(slit.stellarity) is float


def test_update_from_a_dict_follows_the_rule() -> None:
    m = ImageModel()
    with pytest.raises(ValidationError, match="nframes"):
        m.update({"meta": {"exposure": {"nframes": "4"}}})
    with pytest.raises(ValidationError, match="xstart"):
        SlitModel().update({"xstart": True})
    assert m.meta.exposure.nframes is None
