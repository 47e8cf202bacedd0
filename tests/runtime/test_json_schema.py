"""``model_json_schema()`` of every generated metadata class, ``meta.wcs`` (a tagged gwcs object) included.

The field ``wcs: GWCS | None`` is typed at run time by a stand-in (``lazy_instance_type``) whose pydantic
check is a plain function; its JSON schema says what the value is: an object of the gwcs class, stored in an
ASDF file as a tagged node, with the title and tag of the class's field table on the property.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from typing import Any, Literal, cast

import pytest

from jwstmodels import DataModel
from jwstmodels._core.lazy_objects import lazy_class_of
from jwstmodels._core.meta import MetaNode, field_facts
from jwstmodels_generated.lookup import CLASS_MODULES
from jwstmodels_generated.meta import Meta


def _generated(kind: type) -> list[type]:
    found: list[type] = []
    for name, module in sorted(CLASS_MODULES.items()):
        value: object = getattr(importlib.import_module(f"jwstmodels_generated.{module}"), name)
        if isinstance(value, type) and issubclass(value, kind):
            found.append(value)
    return found


META_CLASSES = cast(list[type[MetaNode]], _generated(MetaNode))
MODEL_CLASSES = cast(list[type[DataModel[Any]]], _generated(DataModel))


Mode = Literal["validation", "serialization"]
MODES: tuple[Mode, ...] = ("validation", "serialization")


def test_the_catalogue_has_meta_classes_with_a_wcs() -> None:
    """The parametrised tests below see the whole catalogue, the classes holding ``meta.wcs`` included."""
    assert len(META_CLASSES) > 200 and len(MODEL_CLASSES) > 150
    holding = [cls.__name__ for cls in META_CLASSES if "wcs" in cls.model_fields]
    assert {"Meta", "ImageMeta", "IFUCubeMeta", "SegmentationMapMeta"} <= set(holding)


@pytest.mark.parametrize("cls", META_CLASSES, ids=lambda cls: cls.__name__)
def test_every_meta_class_has_a_json_schema(cls: type[MetaNode]) -> None:
    for mode in MODES:
        schema = cls.model_json_schema(mode=mode)
        json.dumps(schema)  # plain JSON all through
        assert schema["type"] == "object"


def test_every_model_class_meta_has_a_json_schema() -> None:
    """A model class has no JSON schema of its own (it is not a pydantic model); its ``meta_class`` has."""
    assert not hasattr(DataModel, "model_json_schema")
    failed: list[str] = []
    for model in MODEL_CLASSES:
        try:
            json.dumps(model.meta_class.model_json_schema())
        except Exception as error:  # every failing class is named below, not just the first
            failed.append(f"{model.__name__}: {type(error).__name__}")
    assert failed == []


@pytest.mark.parametrize(
    "cls", [cls for cls in META_CLASSES if "wcs" in cls.model_fields], ids=lambda cls: cls.__name__
)
@pytest.mark.parametrize("mode", MODES)
def test_the_wcs_property_says_what_it_holds(cls: type[MetaNode], mode: Mode) -> None:
    assert lazy_class_of(cls.model_fields["wcs"].annotation) == "gwcs.wcs:WCS"
    prop = cast(dict[str, Any], cls.model_json_schema(mode=mode)["properties"]["wcs"])
    facts = field_facts(cls)["wcs"]
    assert prop["title"] == facts.get("title") == field_facts(Meta)["wcs"].get("title")
    assert prop["tag"] == facts.get("tag") and prop["tag"].startswith("tag:stsci.edu:gwcs/wcs-")
    assert prop["default"] is None
    value, none = prop["anyOf"]
    assert none == {"type": "null"}
    assert value["type"] == "object" and value["python_class"] == "gwcs.wcs.WCS"
    assert "gwcs.wcs.WCS" in value["description"] and "ASDF" in value["description"]


def test_the_json_schema_does_not_import_gwcs() -> None:
    """The stand-in's schema is written from the class's name: gwcs stays unimported (as on open)."""
    code = (
        "import sys, json\n"
        "from jwstmodels_generated.meta import Meta\n"
        "json.dumps(Meta.model_json_schema())\n"
        "print('gwcs' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
