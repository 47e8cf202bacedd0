"""What the runtime works out once per class does not keep classes made at run time alive.

``extend_schema`` makes metadata classes (and a model class, for new arrays) for one model; the caches keyed
by class (``field_facts``, ``scalar_leaves``, ``node_plan``, ``_child_classes``, ``keyword_table``, ...) and
by layout (``scalars_by_hdu``, ``plan_fields``, ...) keep their values for such a class on the class (or
layout) itself, so that the classes go when the model goes: a process extending schemas again and again does
not grow.
"""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

import numpy as np
import pydantic
import pytest

import jwstmodels
from jwstmodels import ImageModel
from jwstmodels._core.class_cache import OWN_CACHE, lives_with_module, per_class
from jwstmodels._core.meta import MetaNode, field_facts, field_kinds, scalar_leaves
from jwstmodels._core.node_plans import node_plan
from jwstmodels_generated.meta import Exposure

GROUP_X = {"type": "string", "fits_keyword": "MYX"}
EXTRA_ARRAY = {"datatype": "float32", "fits_hdu": "EXTRA", "ndim": 2}


def _extend(model: ImageModel) -> list[weakref.ref[type]]:
    """Extend ``model`` below meta (a new field, a new group) and at the top (a new array); the weak
    references to every class this made."""
    model.add_schema_entry(
        "meta.exposure.my_counter", {"type": "integer", "title": "My counter", "fits_keyword": "MYCOUNT"}
    )
    model.add_schema_entry(
        "meta.my_group",
        {"type": "object", "title": "My group", "properties": {"x": GROUP_X}},
    )
    model.extend_schema({"properties": {"extra_arr": EXTRA_ARRAY}})
    model["meta.exposure.my_counter"] = 3
    model["meta.my_group.x"] = "a"
    group: object = model["meta.my_group"]
    made: list[type] = [type(model.meta.exposure), type(model.meta), type(group), type(model)]
    assert Exposure in type(model.meta.exposure).__mro__ and type(model.meta.exposure) is not Exposure
    assert type(model) is not ImageModel
    return [weakref.ref(cls) for cls in made]


def _used(model: ImageModel, tmp_path: Path) -> None:
    """What touches the class caches: saving to FITS and ASDF, copying, dumping, searching, errors."""
    model.save(tmp_path / "out.fits")
    model.save(tmp_path / "out.asdf")
    copied = model.copy()
    copied["meta.my_group.x"] = "b"
    copied.close()
    model.to_flat_dict()
    model.search_schema("counter")
    with pytest.raises(jwstmodels.ValidationError, match="MYCOUNT"):
        setattr(model.meta.exposure, "my_counter", "many")


def _alive(refs: list[weakref.ref[type]]) -> list[str]:
    gc.collect()
    return [cls.__qualname__ for ref in refs if (cls := ref()) is not None]


def test_classes_made_by_extend_schema_go_with_the_model(tmp_path: Path) -> None:
    model = ImageModel(data=np.zeros((4, 4), np.float32))
    refs = _extend(model)
    _used(model, tmp_path)
    assert scalar_leaves(type(model.meta))  # and asked directly
    model.close()
    del model
    assert _alive(refs) == []


@pytest.mark.parametrize("suffix", ["fits", "asdf"])
def test_classes_made_for_an_opened_model_go_with_it(tmp_path: Path, suffix: str) -> None:
    source = ImageModel(data=np.zeros((4, 4), np.float32))
    source.meta.exposure.nframes = 3
    source.save(tmp_path / f"in.{suffix}")
    source.close()
    model = jwstmodels.open(tmp_path / f"in.{suffix}")
    assert isinstance(model, ImageModel)
    refs = _extend(model)
    _used(model, tmp_path)
    model.close()
    del model
    assert _alive(refs) == []


def test_a_class_made_in_a_function_goes_too() -> None:
    def make() -> type[MetaNode]:
        return pydantic.create_model("Local", __base__=MetaNode, count=(int | None, None))

    local = make()
    assert not lives_with_module(local)
    assert node_plan(local) is not None and field_kinds(local, "count") == frozenset({int})
    assert OWN_CACHE in vars(local)  # the values are kept on the class
    ref = weakref.ref(local)
    del local
    assert _alive([ref]) == []


def test_generated_classes_are_kept_in_the_cache_itself() -> None:
    """A class its module keeps alive is looked up in the cache's dict (nothing is stored on it)."""
    assert lives_with_module(Exposure)
    assert field_facts(Exposure) is field_facts(Exposure)
    assert OWN_CACHE not in vars(Exposure)


def test_a_run_time_subclass_has_its_own_values() -> None:
    """A value kept on a run-time class is not what its run-time subclasses see (each works out its own)."""
    seen: list[type] = []

    @per_class
    def name_of(cls: type[Any]) -> str:
        seen.append(cls)
        return cls.__name__

    base: type[MetaNode] = pydantic.create_model("Base", __base__=MetaNode, a=(int | None, None))
    sub: type[MetaNode] = pydantic.create_model("Sub", __base__=base, b=(int | None, None))
    assert (name_of(base), name_of(base), name_of(sub), name_of(sub)) == ("Base", "Base", "Sub", "Sub")
    assert seen == [base, sub]
    assert name_of(Exposure) == name_of(Exposure) == "Exposure"
    assert seen == [base, sub, Exposure]


@pytest.mark.parametrize("suffix", ["asdf", "fits"])
def test_classes_made_by_open_with_a_schema_go_with_the_model(tmp_path: Path, suffix: str) -> None:
    source = ImageModel(data=np.zeros((4, 4), np.float32))
    source.add_schema_entry("meta.my_group", {"type": "object", "properties": {"x": GROUP_X}})
    source["meta.my_group.x"] = "kept"
    source.save(tmp_path / f"in.{suffix}")
    source.close()
    schema = {
        "properties": {"meta": {"properties": {"my_group": {"type": "object", "properties": {"x": GROUP_X}}}}}
    }
    model = jwstmodels.open(tmp_path / f"in.{suffix}", schema=schema)
    assert model["meta.my_group.x"] == "kept"
    model.to_flat_dict()
    group: object = model["meta.my_group"]
    refs: list[weakref.ref[type]] = [weakref.ref(type(model.meta)), weakref.ref(type(group))]
    del group
    model.close()
    del model
    assert _alive(refs) == []
