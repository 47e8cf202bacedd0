"""Lists of values outside ``meta`` (``ValueListField``): generated from a schema, typed, checked on
assignment and kept through FITS (ASDF extension) and ASDF files; a value that does not fit warns, is kept."""

from __future__ import annotations

import importlib
import shutil
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asdf
import numpy as np
import pytest

import jwstmodels
from codegen.build import generate
from jwstmodels import InvalidValueWarning, ValidationError
from jwstmodels.base import DataModel, MetaNode, ValueListField

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "value_lists"
PACKAGE = "value_lists_generated"


@pytest.fixture(scope="module")
def model_class(tmp_path_factory: pytest.TempPathFactory) -> Iterator[type[DataModel[MetaNode]]]:
    out = tmp_path_factory.mktemp("value_lists") / PACKAGE
    generate(FIXTURES, out)
    text = (out / "ranges.py").read_text()
    assert "order = ValueListField[list[int]](int, title=" in text
    assert "ranges = ValueListField[list[list[float]]](float, depth=2, title=" in text
    sys.path.insert(0, str(out.parent))
    try:
        module = importlib.import_module(f"{PACKAGE}.ranges")
        cls: type[DataModel[MetaNode]] = module.RangesModel
        yield cls
    finally:
        sys.path.remove(str(out.parent))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]
        shutil.rmtree(out, ignore_errors=True)


def test_field_descriptions(model_class: type[DataModel[MetaNode]]) -> None:
    order = vars(model_class)["order"]
    ranges = vars(model_class)["ranges"]
    assert isinstance(order, ValueListField) and isinstance(ranges, ValueListField)
    assert order.annotation == list[int] | None
    assert ranges.annotation == list[list[float]] | None
    assert ranges.describe() == "list of lists of float or None"
    assert order.keyword is None and order.hdu is None


def test_assignment_checks_and_copies(model_class: type[DataModel[MetaNode]]) -> None:
    model: Any = model_class()
    assert model.order is None
    given = [1, 2, 3]
    model.order = given
    given.append(4)  # the field holds a copy
    assert model.order == [1, 2, 3]
    model.ranges = [[0.6, 5], [1.0, 2.5]]  # an int widens into a float list
    assert model.ranges == [[0.6, 5.0], [1.0, 2.5]]
    assert all(isinstance(v, float) for row in model.ranges for v in row)
    for bad in ([1.5], [True], ["1"], 3, [[1]]):
        with pytest.raises(ValidationError, match=r"RangesModel.*order.*list of int or None"):
            model.order = bad
    assert model.order == [1, 2, 3], "a refused value leaves the field unchanged"
    with pytest.raises(ValidationError, match="list of lists of float"):
        model.ranges = [1.0, 2.0]
    model.order = None
    assert model.order is None


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
def test_round_trip(model_class: type[DataModel[MetaNode]], suffix: str, tmp_path: Path) -> None:
    model: Any = model_class((3, 4))
    model.order = [-1, 0, 2]
    model.ranges = [[0.6, 5.3], [1.0, 2.5]]
    path = model.save(tmp_path / f"ranges{suffix}")
    with model_class(path) as back:
        loaded: Any = back
        assert loaded.order == [-1, 0, 2]
        assert loaded.ranges == [[0.6, 5.3], [1.0, 2.5]]
    # without the class (a type jwstmodels has no class for): a warning, and the values stay in the tree
    with (
        pytest.warns(InvalidValueWarning, match="'RangesModel' names no model class"),
        jwstmodels.open(path) as other,
    ):
        assert other.meta.model_type == "RangesModel"


def test_a_value_that_does_not_fit_warns_and_is_kept(
    model_class: type[DataModel[MetaNode]], tmp_path: Path
) -> None:
    path = tmp_path / "bad.asdf"
    tree = {"meta": {"model_type": "RangesModel"}, "order": ["one", "two"], "ranges": np.array([[1.0, 2.0]])}
    asdf.AsdfFile(tree).write_to(path)
    with pytest.warns(UserWarning, match="order"):
        model: Any = model_class(path)
    assert model.order is None
    assert model.ranges == [[1.0, 2.0]]  # an array of the file reads as lists
    out = model.save(tmp_path / "again.asdf")
    model.close()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with asdf.open(out) as af:
            assert list(af.tree["order"]) == ["one", "two"], "the value that did not fit is saved back"
