"""search_schema on the class, on a model and module-wide, matching words; unknown keys and attributes; flat
views over list items (keys as the reference names them)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

import jwstmodels
from jwstmodels import ImageModel, MultiSlitModel, MultiSpecModel, SlitModel, UnknownFieldError
from jwstmodels._model.schema_search import SchemaMatch, matches

# -- search ---------------------------------------------------------------------------------------------


def test_search_schema_works_on_the_class_and_on_a_model() -> None:
    on_class = ImageModel.search_schema("nframes")
    assert on_class and on_class[0].path == "meta.exposure.nframes"
    assert ImageModel().search_schema("nframes") == on_class


def test_search_schema_on_a_model_sees_its_extensions_the_class_does_not() -> None:
    m = ImageModel()
    m.add_schema_entry("meta.exposure.my_counter", {"type": "integer", "title": "My counter"})
    assert [x.path for x in m.search_schema("my counter")] == ["meta.exposure.my_counter"]
    assert ImageModel.search_schema("my counter") == []


def test_words_match_across_path_parts_titles_and_keywords() -> None:
    found = [x.path for x in ImageModel.search_schema("exposure time")]
    assert found[0] == "meta.exposure.exposure_time", "the field named by both words comes first"
    assert "meta.exposure.exposure_time" in [x.path for x in ImageModel.search_schema("EXPOSURE_TIME")]
    frames = [x.path for x in ImageModel.search_schema("frames group")]  # title words
    assert "meta.exposure.nframes" in frames
    assert ImageModel.search_schema("exposure zzzz") == [], "every word must match"


def test_match_rule_on_single_entries() -> None:
    title = "[s] Effective exposure duration"
    entry = SchemaMatch("meta.exposure.exposure_time", title, "EFFEXPTM", "PRIMARY")
    assert matches(entry, "exposure time")
    assert matches(entry, "effective duration")  # title words, in any order
    assert matches(entry, "effexptm primary")  # keyword and HDU
    assert matches(entry, "duration exposure_time")
    assert not matches(entry, "exposure frames")
    assert not matches(entry, "effective nothing")


def test_module_level_search_schema() -> None:
    everywhere = jwstmodels.search_schema("exposure time")
    # fields named exposure_time first: the metadata's, and WFSS spectra's (EFFEXPTM beside their table)
    assert {x.path for x in everywhere[:2]} == {"meta.exposure.exposure_time", "exposure_time"}
    assert len({x.path for x in everywhere}) == len(everywhere), "each path once"
    assert any(x.path == "meta.ref_file.flat.name" for x in jwstmodels.search_schema("ref_file flat name"))
    assert any(x.path == "name" and x.keyword == "SLTNAME" for x in jwstmodels.search_schema("sltname"))
    by_name = jwstmodels.search_schema("nframes", model="ImageModel")
    assert by_name == ImageModel.search_schema("nframes")
    assert jwstmodels.search_schema("data", model=ImageModel)[0].path == "data"  # arrays of that model
    with pytest.raises(ValueError, match="NoSuchModel"):
        jwstmodels.search_schema("x", model="NoSuchModel")


# -- unknown keys ---------------------------------------------------------------------------------------


def test_unknown_key_errors_are_key_errors_and_attribute_errors() -> None:
    m = ImageModel()
    for key in ("meta.exposre.nframes", "meta.exposure.nframs", "meta.exposure.nframes.x", "nope"):
        with pytest.raises(KeyError):
            m[key]
        with pytest.raises(AttributeError):
            m[key] = 1
        assert key not in m
    assert m.meta.exposure.nframes is None, "a refused key changes nothing"


# -- list items in flat views ----------------------------------------------------------------------------


def two_slits() -> MultiSlitModel:
    m = MultiSlitModel()
    m.meta.instrument.name = "NIRSPEC"
    first = SlitModel(data=np.zeros((3, 4), np.float32))
    first.name = "S1"
    first.meta.wcsinfo.crpix1 = 1.5
    m.slits.append(first)
    m.slits.append(SlitModel(data=np.ones((2, 2), np.float32)))
    return m


def test_flat_views_include_list_items() -> None:
    m = two_slits()
    flat = m.to_flat_dict()
    assert flat["slits.0.name"] == "S1" and flat["slits.0.meta.wcsinfo.crpix1"] == 1.5
    assert np.asarray(flat["slits.1.data"]).shape == (2, 2)
    assert "slits.0.data" not in m.to_flat_dict(include_arrays=False)
    assert list(m.keys()) == list(flat) and dict(m.items()).keys() == flat.keys()
    assert m["slits.0.name"] == "S1" and m["slits.0.meta.wcsinfo.crpix1"] == 1.5
    assert "slits.0.name" in m and "slits.1.name" not in m and "slits.1.data" in m and "slits.2.name" not in m
    m["slits.1.name"] = "S2"
    assert m.slits[1].name == "S2"
    with pytest.raises(KeyError, match="2 item"):
        m["slits.2.name"]
    with pytest.raises(UnknownFieldError, match=r"slits\[0\].*did you mean 'name'"):
        m["slits.0.nme"]


def reference_flat(path: Path) -> dict[str, object]:
    st = pytest.importorskip("stdatamodels.jwst.datamodels", reason="stdatamodels is a test dependency")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with st.open(path) as ref:
            return dict(ref.to_flat_dict())


@pytest.mark.parametrize("kind", ["MultiSlitModel", "MultiSpecModel"])
def test_flat_keys_match_the_reference_for_a_file_it_wrote(kind: str, tmp_path: Path) -> None:
    st = pytest.importorskip("stdatamodels.jwst.datamodels", reason="stdatamodels is a test dependency")
    path = tmp_path / "ref.fits"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = getattr(st, kind)()
        ref.meta.instrument.name = "NIRSPEC"
        for index in range(2):
            if kind == "MultiSlitModel":
                item = st.SlitModel(data=np.full((3, 4 + index), index, np.float32))
                item.name = f"S{index}"
                item.meta.wcsinfo.crpix1 = 1.0 + index
                ref.slits.append(item)
            else:
                item = st.SpecModel()
                item.spectral_order = index + 1
                item.meta.instrument.name = "NIRSPEC"
                item.spec_table = np.zeros(3 + index, dtype=jwstmodels.SpecModel.spec_table.dtype)
                ref.spec.append(item)
        ref.save(path)
    expected = reference_flat(path)
    with jwstmodels.open(path) as ours:
        assert isinstance(ours, MultiSlitModel | MultiSpecModel)
        flat = ours.to_flat_dict()
    list_name = "slits" if kind == "MultiSlitModel" else "spec"
    item_keys = {key for key in expected if key.startswith(f"{list_name}.")}
    assert item_keys and item_keys <= set(flat), sorted(item_keys - set(flat))
    for key in item_keys:
        value, theirs = flat[key], expected[key]
        if isinstance(theirs, np.ndarray):
            np.testing.assert_array_equal(np.asarray(value), theirs)
        elif not key.endswith((".meta.date", ".meta.filename")):
            assert value == theirs, key
