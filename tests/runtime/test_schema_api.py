"""search_schema, find_fits_keyword, get_primary_array_name, extend_schema and add_schema_entry."""

from __future__ import annotations

import warnings
from pathlib import Path

import asdf
import numpy as np
import pytest
from astropy.io import fits

import jwstmodels
import jwstmodels_generated
import jwstmodels_generated.catalog as catalog
from jwstmodels import (
    ArrayField,
    DataModel,
    ImageModel,
    InvalidValueWarning,
    MetaNode,
    SchemaExtensionError,
    ValidationError,
)


def model_classes() -> list[type[DataModel[MetaNode]]]:
    found = [getattr(catalog, name) for name in jwstmodels_generated.__all__]
    return [cls for cls in found if isinstance(cls, type) and issubclass(cls, DataModel)]


# -- search ---------------------------------------------------------------------------------------------


def test_search_schema_matches_paths_titles_and_keywords_case_insensitively() -> None:
    m = ImageModel()
    by_path = {match.path for match in m.search_schema("NFRAMES")}
    assert "meta.exposure.nframes" in by_path
    by_keyword = m.search_schema("substrt1")
    assert ("meta.subarray.xstart", "SUBSTRT1", "PRIMARY") in [(x.path, x.keyword, x.hdu) for x in by_keyword]
    for match in by_keyword:  # every result holds the text somewhere
        assert "substrt1" in " ".join(str(part) for part in match).lower()
    title = ImageModel.data.title
    assert title and any(x.path == "data" and x.hdu == "SCI" for x in m.search_schema(title.upper()[:12]))
    assert m.search_schema("no such text anywhere") == []
    path, found_title, keyword, hdu = m.search_schema("nframes")[0]  # results are plain tuples too
    assert isinstance(found_title, str) and (keyword, hdu) != (None, None) and path.startswith("meta.")


def test_find_fits_keyword_returns_dotted_paths() -> None:
    m = ImageModel()
    assert m.find_fits_keyword("DATE-OBS") == ["meta.observation.date"]
    assert m.find_fits_keyword("nframes") == ["meta.exposure.nframes"]
    assert m.find_fits_keyword("NOSUCHKW") == []
    assert m.find_fits_keyword("NFRAMES", return_result=False) == ["meta.exposure.nframes"]


def test_search_sees_entries_added_at_run_time() -> None:
    m = ImageModel()
    m.add_schema_entry(
        "meta.exposure.my_counter", {"type": "integer", "title": "My counter", "fits_keyword": "MYCOUNT"}
    )
    assert m.find_fits_keyword("MYCOUNT") == ["meta.exposure.my_counter"]
    assert [x.title for x in m.search_schema("my counter")] == ["My counter"]
    assert ImageModel().find_fits_keyword("MYCOUNT") == [], "other models are not affected"


# -- primary array ----------------------------------------------------------------------------------------


def test_every_class_names_a_primary_array_that_a_shape_sizes() -> None:
    classes = model_classes()
    assert ImageModel in classes
    for cls in classes:
        name = cls().get_primary_array_name()
        assert name == "" or name in cls.__jwst_layout__.fields or name in cls.__jwst_layout__.list_fields, (
            cls.__name__
        )
        field = cls.__jwst_layout__.fields.get(name)
        if not isinstance(field, ArrayField):  # none, a table or a list of models: a shape cannot size it
            with pytest.raises(TypeError, match=rf"{cls.__name__}: a shape tuple sizes the primary array"):
                cls((2, 2))
            continue
        ndim = field.ndim or min(2, field.max_ndim or 2)
        shape = tuple(range(2, 2 + ndim))
        m = cls(shape)
        assert getattr(m, name).shape == shape, cls.__name__
        assert m.shape == shape and m.array_names() == [name, *cls.__jwst_layout__.created_arrays], (
            cls.__name__
        )


class MaskLike(DataModel[jwstmodels.Meta]):
    """A model whose primary array is its data-quality array (as MaskModel's is)."""

    meta_class = jwstmodels.Meta
    primary_array_name = "dq"
    dq = ArrayField(np.uint32, hdu="DQ", ndim=2, default=0)
    data = ArrayField(np.float32, hdu="SCI", ndim=2, default=0.0)


def test_mask_model_sizes_its_dq_array() -> None:
    m = jwstmodels.MaskModel((3, 4))
    assert m.get_primary_array_name() == "dq"
    assert m.dq.shape == (3, 4) and m.shape == (3, 4) and m.dq.dtype == np.uint32


def test_the_primary_array_can_be_other_than_data() -> None:
    m = MaskLike((3, 4))
    assert m.get_primary_array_name() == "dq"
    assert m.dq.shape == (3, 4) and m.dq.dtype == np.uint32
    assert m.data is None, "other arrays are absent"
    data = m.get_default("data")
    assert isinstance(data, np.ndarray) and data.shape == (3, 4), "made on request, sized after dq"
    assert MaskLike(np.ones((2, 2), np.uint8)).dq.dtype == np.uint32


# -- extending the schema --------------------------------------------------------------------------------

EXTENSION = {
    "type": "object",
    "properties": {
        "meta": {
            "type": "object",
            "properties": {
                "exposure": {"properties": {"my_gain": {"type": "number", "fits_keyword": "MYGAIN"}}},
                "my_setup": {
                    "title": "My setup",
                    "type": "object",
                    "properties": {
                        "mode": {"enum": ["FAST", "SLOW"], "fits_keyword": "MYMODE", "fits_hdu": "SCI"},
                        "comment": {"type": ["string", "null"], "title": "Free text, no keyword"},
                    },
                },
            },
        },
        "my_map": {"datatype": "float32", "ndim": 2, "fits_hdu": "MYMAP", "title": "A map of mine"},
    },
}


def filled(path: Path) -> ImageModel:
    m = ImageModel(np.ones((2, 3), np.float32))
    m.extend_schema(EXTENSION)
    m["meta.exposure.my_gain"] = 2.5
    m["meta.my_setup.mode"] = "SLOW"
    m["meta.my_setup.comment"] = "hello"
    m["my_map"] = np.full((2, 3), 7.0)
    m.meta.exposure.nframes = 3
    return m


def check(m: DataModel[MetaNode]) -> None:
    assert m["meta.exposure.my_gain"] == 2.5
    assert m["meta.my_setup.mode"] == "SLOW"
    assert m["meta.my_setup.comment"] == "hello"
    my_map = m["my_map"]
    assert isinstance(my_map, np.ndarray) and my_map.dtype.type is np.float32 and float(my_map.sum()) == 42.0
    assert m.meta.exposure.nframes == 3


def test_added_entries_are_validated_on_assignment(tmp_path: Path) -> None:
    m = filled(tmp_path)
    with pytest.raises(ValidationError) as info:
        m["meta.my_setup.mode"] = "MEDIUM"
    assert (info.value.model, info.value.path, info.value.keyword) == (
        "ImageModel",
        "meta.my_setup.mode",
        "MYMODE",
    )
    assert "one of 'FAST', 'SLOW'" in str(info.value) and "'MEDIUM'" in str(info.value)
    with pytest.raises(ValidationError, match=r"meta.exposure.my_gain \(FITS MYGAIN in PRIMARY\)"):
        m["meta.exposure.my_gain"] = "high"
    with pytest.raises(ValidationError, match=r"ImageModel: my_map \(FITS HDU MYMAP\): expected 2-D float32"):
        m["my_map"] = np.zeros((2, 2, 2))
    assert m["meta.my_setup.mode"] == "SLOW" and m["meta.exposure.my_gain"] == 2.5
    exposure = m.meta.exposure
    setattr(exposure, "my_gain", 3)  # the same node, reached as an attribute
    assert m["meta.exposure.my_gain"] == 3.0
    assert m.meta.exposure.nframes == 3, "existing values survive the extension"


def test_extend_schema_returns_the_model_and_touches_only_it() -> None:
    m = ImageModel()
    assert m.extend_schema(EXTENSION) is m
    assert type(m).__name__ == "ImageModel" and isinstance(m, ImageModel)
    other = ImageModel()
    with pytest.raises(KeyError):
        other["meta.exposure.my_gain"]
    with pytest.raises(KeyError, match="ImageModel: 'my_map' is not in the schema"):
        other["my_map"] = np.zeros((1, 1))
    with pytest.raises(AttributeError, match="ImageModel has no attribute 'my_map'"):
        setattr(other, "my_map", np.zeros((1, 1)))


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
def test_added_entries_are_saved_and_read_back_with_schema(tmp_path: Path, suffix: str) -> None:
    path = filled(tmp_path).save(tmp_path / f"ext{suffix}")
    with ImageModel(path, schema=EXTENSION) as back:
        check(back)
        assert back.extra_fits == {}
    with jwstmodels.open(path, schema=EXTENSION) as back:
        check(back)


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
def test_extending_a_model_read_without_the_schema_adopts_the_file_values(
    tmp_path: Path, suffix: str
) -> None:
    path = filled(tmp_path).save(tmp_path / f"ext{suffix}")
    with jwstmodels.open(path) as back:
        with pytest.raises(KeyError):
            back["meta.exposure.my_gain"]
        back.extend_schema(EXTENSION)
        check(back)
        assert "MYGAIN" not in {card[0] for cards in back.extra_fits.values() for card in cards}
        again = back.save(tmp_path / f"again{suffix}")
    with ImageModel(again, schema=EXTENSION) as third:
        check(third)


def test_the_fits_file_holds_the_added_entries_where_the_schema_says(tmp_path: Path) -> None:
    path = filled(tmp_path).save(tmp_path / "ext.fits")
    with fits.open(path) as hdul:
        assert hdul[0].header["MYGAIN"] == 2.5
        assert hdul["SCI"].header["MYMODE"] == "SLOW"
        assert hdul["MYMAP"].data.dtype.name in ("float32", ">f4")
        assert float(hdul["MYMAP"].data.sum()) == 42.0
    path = filled(tmp_path).save(tmp_path / "ext.asdf")
    with asdf.open(path) as af:
        assert af.tree["meta"]["my_setup"] == {"mode": "SLOW", "comment": "hello"}
        assert af.tree["meta"]["exposure"]["my_gain"] == 2.5


def test_a_file_value_that_does_not_fit_the_added_entry_warns_and_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "bad.fits"
    primary = fits.PrimaryHDU()
    primary.header["MYGAIN"] = "not a number"
    fits.HDUList([primary]).writeto(path)
    with ImageModel(path) as m:
        with pytest.warns(InvalidValueWarning) as record:
            m.extend_schema(EXTENSION)
        message = str(record[0].message)
        for part in (str(path), "HDU PRIMARY", "MYGAIN", "meta.exposure.my_gain", "'not a number'"):
            assert part in message
        assert m["meta.exposure.my_gain"] is None
        out = m.save(tmp_path / "resaved.fits")
    with fits.open(out) as hdul:
        assert hdul[0].header["MYGAIN"] == "not a number", "kept so that re-saving loses nothing"
    with ImageModel(path, pass_invalid_values=True) as kept:
        with pytest.warns(InvalidValueWarning):
            kept.extend_schema(EXTENSION)
        assert kept["meta.exposure.my_gain"] == "not a number"


def test_add_schema_entry_places_one_entry() -> None:
    m = ImageModel((2, 2))
    m.add_schema_entry("meta.observation.my_flag", {"type": "boolean", "fits_keyword": "MYFLAG"})
    m["meta.observation.my_flag"] = True
    assert m["meta.observation.my_flag"] is True
    m.add_schema_entry("my_weights", {"datatype": "float64", "ndim": 2, "fits_hdu": "MYWHT"})
    assert m["my_weights"] is None, "an added array is absent until set"
    weights = m.get_default("my_weights")
    assert isinstance(weights, np.ndarray) and weights.shape == (2, 2), "its default: the primary shape"
    m.add_schema_entry(
        "my_table",
        {"datatype": [{"name": "x", "datatype": "int16"}, {"name": "label", "datatype": ["ascii", 8]}]},
    )
    table = np.zeros(2, dtype=[("x", "i2"), ("label", "S8")])
    m["my_table"] = table
    assert m["my_table"].dtype.names == ("x", "label")


def test_extending_twice_with_the_same_schema_is_harmless() -> None:
    m = ImageModel()
    m.extend_schema(EXTENSION)
    m["meta.exposure.my_gain"] = 1.5
    m.add_schema_entry("meta.exposure.my_gain", {"type": "number", "fits_keyword": "MYGAIN"})
    assert m["meta.exposure.my_gain"] == 1.5


@pytest.mark.parametrize(
    ("position", "schema", "message"),
    [
        (
            "meta.exposure.nframes",
            {"type": "string"},
            r"meta.exposure.nframes \(FITS NFRAMES in PRIMARY\) is already",
        ),
        (
            "meta.x",
            {"type": "integer", "fits_keyword": "NFRAMES"},
            r"FITS keyword NFRAMES in PRIMARY is already used",
        ),
        (
            "meta.x",
            {"type": "integer", "fits_keyword": "TOO_LONG_KW"},
            r"'TOO_LONG_KW' is not a FITS keyword",
        ),
        (
            "meta.x",
            {"type": "array", "items": {"type": "string"}},
            r"meta.x: 'items' entries cannot be added",
        ),
        ("meta.x", {"type": "widget"}, r"meta.x: type 'widget' is not a scalar type"),
        ("meta.model_dump", {"type": "string"}, r"'model_dump' cannot be an attribute name"),
        ("data", {"datatype": "float32"}, r"data is already defined"),
        ("x", {"type": "string"}, r"only 'meta' entries and arrays or tables"),
        ("y", {"datatype": "float32", "fits_hdu": "SCI"}, r"HDU SCI already holds another array"),
        ("meta..x", {"type": "string"}, r"ImageModel: position must be a dotted path"),
    ],
)
def test_bad_extensions_are_refused_and_change_nothing(
    position: str, schema: dict[str, object], message: str
) -> None:
    m = ImageModel((2, 2))
    m.meta.exposure.nframes = 2
    meta_class, model_class = type(m.meta), type(m)
    with pytest.raises(SchemaExtensionError, match=message):
        m.add_schema_entry(position, schema)
    assert type(m.meta) is meta_class and type(m) is model_class and m.meta.exposure.nframes == 2


def test_schema_extension_errors_are_value_errors() -> None:
    assert issubclass(SchemaExtensionError, ValueError)
    with pytest.raises(TypeError, match="ImageModel: a schema extension is a schema tree"):
        ImageModel().extend_schema(["not", "a", "schema"])  # deliberately the wrong type


def test_all_of_parts_are_merged() -> None:
    m = ImageModel()
    m.extend_schema(
        {
            "allOf": [
                {"properties": {"meta": {"properties": {"a_one": {"type": "integer"}}}}},
                {"properties": {"meta": {"properties": {"a_two": {"type": "string"}}}}},
            ]
        }
    )
    m["meta.a_one"] = 1
    m["meta.a_two"] = "two"
    assert m.to_flat_dict(include_arrays=False) == {"meta.a_one": 1, "meta.a_two": "two"}


def test_extension_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ImageModel().extend_schema(EXTENSION)


def test_the_model_class_carries_the_extension_to_new_instances(tmp_path: Path) -> None:
    m = filled(tmp_path)
    for other in (type(m)(m), jwstmodels.open(m), m.copy()):
        check(other)
        assert isinstance(other, ImageModel)
    assert not hasattr(ImageModel(), "my_map")
