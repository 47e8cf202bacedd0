"""The interface between models, their field descriptors and the model layer's helpers (issue 13, item 2).

No module of the runtime reads or writes a model's private attributes: a model's state is one object under a
framework dunder (``__jwst_state__``), its class's tables are its ``ModelLayout`` (``__jwst_layout__``), and a
metadata node's tree walk is ``__jwst_parent__()`` (its class's field facts: ``__jwst_fields__``; the fields
holding nested nodes: ``__jwst_node_fields__``). So no
module needs pyright's ``reportPrivateUsage`` off (pyright --strict on src/ has it on: ``make typecheck``),
and the user-facing names of models and nodes are what they were.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from codegen.names import RESERVED_META, RESERVED_MODEL, usable
from jwstmodels import ImageModel, MultiSlitModel, SlitModel
from jwstmodels._core.content import ModelLayout
from jwstmodels._core.meta import MetaNode
from jwstmodels._core.state import ModelState
from jwstmodels._model.datamodel import DataModel

SRC = Path(__file__).resolve().parents[2] / "src"

FRAMEWORK_NAMES = {"__jwst_layout__", "__jwst_state__"}
"""The names a model carries for the runtime (dunders, as pydantic's ``__pydantic_fields__``)."""

MODEL_API = {
    "add_history_entry", "add_schema_entry", "array_names", "cal_logs", "close", "copy", "crds_observatory",
    "extend_schema", "extra_fits", "filename", "find_fits_keyword", "from_asdf", "from_fits",
    "get_crds_parameters", "get_default", "get_dtype", "get_fits_wcs", "get_item_as_json_value",
    "get_primary_array_name", "getarray_noinit", "hasattr", "instance", "items", "iteritems", "iterkeys",
    "itervalues", "keys", "meta", "on_save", "primary_array_name", "read", "required_meta", "save",
    "schema_name", "search_schema", "set_fits_wcs", "shape", "to_asdf", "to_fits", "to_flat_dict", "update",
    "validate", "values", "write",
}  # fmt: skip
"""The public names of ``DataModel`` before its state moved into ``__jwst_state__`` (``dir(DataModel)``)."""


def _public(obj: object) -> set[str]:
    return {name for name in dir(obj) if not name.startswith("_")}


def _switches(root: Path) -> list[str]:
    """``file:line`` of every mention of ``reportPrivateUsage`` in the Python files under ``root``."""
    return [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "reportPrivateUsage" in line
    ]


def test_no_module_switches_off_private_usage_checks() -> None:
    assert _switches(SRC) == [], (
        "reach models through __jwst_state__ / __jwst_layout__, not private attributes"
    )


def test_the_check_finds_a_switch(tmp_path: Path) -> None:
    """A negative control: a file-wide switch and a per-line ignore are both found."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("# pyright: reportPrivateUsage=false\n", encoding="utf-8")
    (tmp_path / "b.py").write_text(
        "x = 1\ny = m._x  # pyright: ignore[reportPrivateUsage]\n", encoding="utf-8"
    )
    assert _switches(tmp_path) == ["b.py:2", "pkg/a.py:1"]


@pytest.mark.parametrize("cls", [ImageModel, MultiSlitModel, SlitModel])
def test_models_show_no_new_public_names(cls: type[DataModel[MetaNode]]) -> None:
    model = cls((2, 2)) if cls is not MultiSlitModel else cls()
    layout = cls.__jwst_layout__
    schema_names = {*layout.fields, *layout.list_fields, *layout.scalar_fields}
    assert _public(DataModel) == MODEL_API
    assert _public(model) - schema_names == MODEL_API | {"meta_class"}
    assert {name for name in dir(model) if "jwst" in name} == FRAMEWORK_NAMES
    for name in ("store", "scalars", "lists", "pass_invalid", "extra_tree", "extra_hdus", "close_hooks"):
        assert not hasattr(model, name), name  # the state's parts are not attributes of the model


def test_nodes_show_no_new_public_names() -> None:
    model = ImageModel()
    node = model.meta.exposure
    # and its class's field facts (title, FITS keyword and HDU), read through ``_core.meta.field_facts``, and
    # the names of its fields holding nested nodes (worked out once per class, when pydantic makes it)
    assert {name for name in dir(node) if "jwst" in name} == {
        "__jwst_parent__",
        "__jwst_fields__",
        "__jwst_node_fields__",
    }
    assert node.__jwst_node_fields__ == () and "exposure" in model.meta.__jwst_node_fields__
    assert node.__jwst_parent__() is model.meta and node.dotted_path == "meta.exposure"
    assert "parent_node" not in dir(node) and not hasattr(node, "parent")


def test_schema_fields_cannot_take_framework_names() -> None:
    """The generator refuses names starting with ``_``: no schema field can shadow a framework name."""
    for name in [*FRAMEWORK_NAMES, "__jwst_parent__", "__jwst_fields__", "__jwst_node_fields__"]:
        assert not usable(name, RESERVED_MODEL) and not usable(name, RESERVED_META)


def test_the_state_is_one_object_per_model() -> None:
    model = ImageModel(data=np.ones((2, 2), np.float32))
    state = model.__jwst_state__
    assert isinstance(state, ModelState) and isinstance(ImageModel.__jwst_layout__, ModelLayout)
    assert state.store.is_present("data") and not state.pass_invalid
    other = model.copy()
    assert other.__jwst_state__ is not state and other.__jwst_state__.store.values["data"] is not None
    assert other.__jwst_state__.store.values["data"] is not state.store.values["data"]
    back = pickle.loads(pickle.dumps(model))
    assert isinstance(back.__jwst_state__, ModelState) and back.__jwst_state__ is not state
    np.testing.assert_array_equal(back.data, model.data)
    assert back.__jwst_state__.close_hooks == []  # the far side owns no file


def test_each_class_has_its_own_layout() -> None:
    assert ImageModel.__jwst_layout__ is not DataModel.__jwst_layout__
    assert ImageModel.__jwst_layout__.name == "ImageModel" and "data" in ImageModel.__jwst_layout__.fields
    assert MultiSlitModel.__jwst_layout__.items["slits"] is SlitModel.__jwst_layout__
    assert MultiSlitModel.__jwst_layout__.list_fields["slits"].item_class is SlitModel
    extended = ImageModel()
    extended.add_schema_entry("extra_array", {"datatype": "float32", "ndim": 2, "fits_hdu": "EXTRA"})
    assert "extra_array" in type(extended).__jwst_layout__.fields  # the instance's own class: its own layout
    assert "extra_array" not in ImageModel.__jwst_layout__.fields
