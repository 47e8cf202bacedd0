"""Arrays whose dimensionality is one of several (schema ``ndim: [2, 4]``, an IPC kernel): generated as
``ArrayField(..., ndims=(2, 4))``, any of those accepted, any other refused naming the choices, and kept
through a FITS round trip."""

from __future__ import annotations

import importlib
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from codegen.build import generate
from jwstmodels import ValidationError
from jwstmodels.base import ArrayField, DataModel, MetaNode

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "several_ndim"
PACKAGE = "several_ndim_generated"


@pytest.fixture(scope="module")
def model_class(tmp_path_factory: pytest.TempPathFactory) -> Iterator[type[DataModel[MetaNode]]]:
    out = tmp_path_factory.mktemp("several_ndim") / PACKAGE
    generate(FIXTURES, out)
    assert "ndims=(2, 4)" in (out / "kernel.py").read_text()
    sys.path.insert(0, str(out.parent))
    try:
        cls: type[DataModel[MetaNode]] = importlib.import_module(f"{PACKAGE}.kernel").KernelModel
        yield cls
    finally:
        sys.path.remove(str(out.parent))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]
        shutil.rmtree(out, ignore_errors=True)


def test_any_of_the_dimensionalities(model_class: type[DataModel[MetaNode]], tmp_path: Path) -> None:
    field = vars(model_class)["data"]
    assert isinstance(field, ArrayField) and field.ndims == (2, 4) and field.ndim is None
    assert field.describe() == "2-D or 4-D float32 array"
    model: Any = model_class((5, 6))
    assert model.data.shape == (5, 6) and np.all(model.data == 1.0)
    model.data = np.ones((2, 3, 5, 6))
    assert model.data.shape == (2, 3, 5, 6) and model.data.dtype == np.float32
    with pytest.raises(ValidationError, match="2-D or 4-D float32 array"):
        model.data = np.ones((3, 5, 6))
    assert model.data.shape == (2, 3, 5, 6), "a refused array leaves the field unchanged"
    with pytest.raises(ValidationError):
        model_class((3, 5, 6))
    path = model.save(tmp_path / "kernel.fits")
    with model_class(path) as back:
        loaded: Any = back
        assert loaded.data.shape == (2, 3, 5, 6)
