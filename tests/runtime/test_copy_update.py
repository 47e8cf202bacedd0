"""copy() is deep; update() copies metadata from a model or a dict, all or nothing, optionally by HDU."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

import jwstmodels
from jwstmodels import CubeModel, ImageModel, UnknownFieldError, ValidationErrors

EXTRA = {"properties": {"meta": {"properties": {"note": {"type": "string", "fits_keyword": "NOTE"}}}}}


def test_copy_is_independent_in_every_part() -> None:
    m = ImageModel((2, 2), schema=EXTRA)
    m.meta.exposure.nframes = 1
    m["meta.note"] = "first"
    m.dq = np.zeros((2, 2), dtype=np.uint32)
    m.dq[0, 0] = 4
    m.extra_fits["SCI"] = [("MYKEY", 1, "")]
    c = m.copy()
    c.data[0, 0] = 9
    assert c.dq is not None and m.dq is not None
    c.dq[1, 1] = 8
    c.meta.exposure.nframes = 2
    c["meta.note"] = "second"
    c.extra_fits["SCI"].append(("OTHER", 2, ""))
    assert m.data[0, 0] == 0 and m.dq[1, 1] == 0 and m.dq[0, 0] == 4
    assert m.meta.exposure.nframes == 1 and m["meta.note"] == "first"
    assert m.extra_fits == {"SCI": [("MYKEY", 1, "")]}
    assert type(c) is type(m) and c.shape == (2, 2)


def test_copy_of_a_model_read_from_a_file_outlives_the_file(tmp_path: Path) -> None:
    path = ImageModel(np.arange(4, dtype=np.float32).reshape(2, 2)).save(tmp_path / "f.fits")
    with jwstmodels.open(path) as m:
        c = m.copy()
    assert c.data[1, 1] == 3 and c.filename == str(path)
    c.data[1, 1] = 5
    assert c.data[1, 1] == 5


def test_copy_module_uses_the_deep_copy() -> None:
    m = ImageModel((1, 1))
    m.meta.exposure.nframes = 3
    for c in (copy.deepcopy(m), m.copy(memo={})):
        c.meta.exposure.nframes = 4
        c.data[0, 0] = 1
    assert m.meta.exposure.nframes == 3 and m.data[0, 0] == 0


def source_model() -> ImageModel:
    src = ImageModel((2, 2))
    src.meta.exposure.nframes = 4
    src.meta.instrument.name = "MIRI"
    src.meta.subarray.xstart = 5
    src.meta.model_type = "SomethingElse"
    src.meta.date = "2020-01-01T00:00:00.000"
    src.extra_fits["PRIMARY"] = [("USERKEY", "u", "a user card"), ("HISTORY", "step one", "")]
    src.extra_fits["SCI"] = [("SCIKEY", 1, "")]
    return src


def test_update_from_a_model_copies_set_metadata_only() -> None:
    target = CubeModel((1, 2, 2))
    target.meta.exposure.ngroups = 7
    target.data[0, 0, 0] = 3
    target.update(source_model())
    assert target.meta.exposure.nframes == 4 and target.meta.instrument.name == "MIRI"
    assert target.meta.subarray.xstart == 5
    assert target.meta.exposure.ngroups == 7, "values the source does not set are kept"
    assert target.meta.model_type is None and target.meta.date is None, "stamps are never copied"
    assert target.data[0, 0, 0] == 3 and target.data.shape == (1, 2, 2), "arrays are never copied"
    assert target.extra_fits == {}, "extra_fits is copied only when asked"


def test_update_keeps_references_to_metadata_nodes_live() -> None:
    target = ImageModel()
    exposure = target.meta.exposure
    target.update({"meta": {"exposure": {"nframes": 6}}})
    assert exposure.nframes == 6


def test_update_only_restricts_to_keywords_of_the_named_hdus() -> None:
    extended = {
        "properties": {
            "meta": {
                "properties": {"sci_note": {"type": "string", "fits_keyword": "SCINOTE", "fits_hdu": "SCI"}}
            }
        }
    }
    src = ImageModel(schema=extended)
    src.meta.exposure.nframes = 4
    src["meta.sci_note"] = "in SCI"
    for only in ("SCI", ["sci"], ("SCI",)):
        target = ImageModel(schema=extended)
        target.update(src, only=only)
        assert target["meta.sci_note"] == "in SCI" and target.meta.exposure.nframes is None
    target = ImageModel(schema=extended)
    target.update(src, only="PRIMARY")
    assert target["meta.sci_note"] is None and target.meta.exposure.nframes == 4
    target = ImageModel(schema=extended)
    target.update(src, only="")  # the reference's default: every HDU
    assert target["meta.sci_note"] == "in SCI" and target.meta.exposure.nframes == 4


def test_update_extra_fits_merges_cards_of_the_chosen_hdus() -> None:
    target = ImageModel()
    target.extra_fits["PRIMARY"] = [("USERKEY", "old", ""), ("HISTORY", "step one", ""), ("MINE", 1, "")]
    target.update(source_model(), extra_fits=True, only="PRIMARY")
    assert target.extra_fits == {
        "PRIMARY": [("USERKEY", "u", "a user card"), ("HISTORY", "step one", ""), ("MINE", 1, "")]
    }
    target.update(source_model(), extra_fits=True)
    assert target.extra_fits["SCI"] == [("SCIKEY", 1, "")]


def test_update_from_nested_and_dotted_dicts() -> None:
    target = ImageModel()
    target.update({"meta": {"exposure": {"nframes": 2}, "target": {"ra": 10.5}}})
    target.update({"meta.subarray.xstart": 3, "meta": {"instrument.name": "NIRCAM"}})
    assert target.meta.exposure.nframes == 2 and target.meta.target.ra == 10.5
    assert target.meta.subarray.xstart == 3 and target.meta.instrument.name == "NIRCAM"
    target.update({"meta": {"exposure": {"nframes": None}}, "data": np.ones((2, 2))})
    assert target.meta.exposure.nframes is None, "an explicit None clears the value"
    assert target.array_names() == [], "arrays in the dict are not copied"
    target.update({"meta": source_model().meta})
    assert target.meta.exposure.nframes == 4


def test_update_refuses_everything_when_one_value_does_not_fit() -> None:
    target = ImageModel()
    target.meta.exposure.nframes = 1
    with pytest.raises(ValidationErrors) as info:
        target.update({"meta": {"exposure": {"nframes": 5, "ngroups": "x"}, "subarray": {"xstart": "y"}}})
    assert [(e.model, e.path, e.keyword) for e in info.value.errors] == [
        ("ImageModel", "meta.exposure.ngroups", "NGROUPS"),
        ("ImageModel", "meta.subarray.xstart", "SUBSTRT1"),
    ]
    assert "'x'" in str(info.value) and "int" in str(info.value)
    assert target.meta.exposure.nframes == 1, "nothing was applied"


def test_update_from_a_model_with_kept_invalid_values_reports_them(tmp_path: Path) -> None:
    src = ImageModel()
    vars(src.meta.exposure)["nframes"] = "lots"
    src.meta.exposure.ngroups = 3
    target = ImageModel()
    with pytest.raises(ValidationErrors, match=r"meta.exposure.nframes \(FITS NFRAMES in PRIMARY\)"):
        target.update(src)
    assert target.meta.exposure.ngroups is None


def test_update_with_an_unknown_key_names_it_and_changes_nothing() -> None:
    target = ImageModel()
    with pytest.raises(UnknownFieldError, match=r"'meta.exposure.nframs' is not in the schema.*nframes"):
        target.update({"meta": {"exposure": {"ngroups": 2, "nframs": 3}}})
    assert target.meta.exposure.ngroups is None
    with pytest.raises(TypeError, match=r"ImageModel.update: give another model or a dict"):
        target.update([("meta.exposure.nframes", 1)])  # deliberately the wrong type


def test_update_from_another_class_skips_what_the_target_lacks() -> None:
    src = ImageModel(schema=EXTRA)
    src["meta.note"] = "only in the source's schema"
    src.meta.exposure.nframes = 8
    target = CubeModel()
    target.update(src)
    assert target.meta.exposure.nframes == 8
    assert "meta.note" not in target
