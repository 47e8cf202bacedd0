"""Every way of making a model: init kinds, keyword arrays, read/from_fits/from_asdf, schema=, extensions=."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import asdf
import numpy as np
import pytest
from asdf.extension import Converter, Extension
from astropy.io import fits

import jwstmodels
from jwstmodels import CubeModel, FileFormatError, ImageModel, RampModel, ValidationError


@pytest.fixture
def image_file(tmp_path: Path) -> Path:
    m = ImageModel(np.arange(12, dtype=np.float32).reshape(3, 4))
    m.meta.exposure.nframes = 7
    return m.save(tmp_path / "image.fits")


@pytest.fixture
def asdf_file(tmp_path: Path) -> Path:
    m = ImageModel(np.arange(6, dtype=np.float32).reshape(2, 3))
    m.meta.exposure.nframes = 5
    return m.save(tmp_path / "image.asdf")


def test_none_gives_an_empty_model() -> None:
    m = ImageModel(None)
    assert m.shape is None and m.array_names() == [] and m.meta.exposure.nframes is None


def test_shape_tuple_sizes_the_primary_array() -> None:
    m = CubeModel((2, 3, 4))
    assert m.shape == (2, 3, 4) and m.data.shape == (2, 3, 4) and m.data.dtype == np.float32
    with pytest.raises(TypeError, match=r"CubeModel: a shape must be a tuple of non-negative integers"):
        CubeModel((2, -1, 3))


def test_path_as_str_and_pathlib(image_file: Path) -> None:
    for init in (str(image_file), image_file):
        with ImageModel(init) as m:
            assert m.meta.exposure.nframes == 7
            assert m.data[2, 3] == 11
            assert m.filename == str(image_file)


def test_readable_file_objects(image_file: Path, asdf_file: Path) -> None:
    with open(image_file, "rb") as handle, ImageModel(handle) as m:
        assert m.meta.exposure.nframes == 7 and float(m.data.sum()) == 66.0
    with open(asdf_file, "rb") as handle, ImageModel(handle) as m:
        assert m.meta.exposure.nframes == 5 and m.data.shape == (2, 3)
    buffer = io.BytesIO(image_file.read_bytes())
    with ImageModel(buffer) as m:
        assert m.data[0, 1] == 1


def test_hdulist(image_file: Path) -> None:
    with fits.open(image_file) as hdul:
        m = ImageModel(hdul)
        assert m.meta.exposure.nframes == 7 and m.data.shape == (3, 4)


def test_numpy_array_becomes_the_primary_array_cast_to_its_dtype() -> None:
    m = ImageModel(np.ones((2, 5), dtype=np.float64))
    assert m.data.dtype == np.float32 and m.shape == (2, 5)
    with pytest.raises(ValidationError, match=r"ImageModel: data \(FITS HDU SCI\): expected 2-D float32"):
        ImageModel(np.ones(4))


def test_dict_is_the_object_tree() -> None:
    m = RampModel({"meta": {"exposure": {"ngroups": 3}}, "data": np.zeros((1, 3, 2, 2), np.float32)})
    assert m.meta.exposure.ngroups == 3 and m.data.shape == (1, 3, 2, 2)
    with pytest.raises(ValidationError, match=r"RampModel: meta must be a mapping"):
        RampModel({"meta": 3})


def test_another_model_converts_between_classes() -> None:
    cube = CubeModel((2, 3, 4))
    cube.meta.exposure.nframes = 2
    cube.extra_fits["PRIMARY"] = [("MYKEY", 1, "kept")]
    again = CubeModel(cube)
    assert again.data.shape == (2, 3, 4) and again.meta.exposure.nframes == 2
    image = ImageModel(CubeModel(meta_only := CubeModel()))
    assert image.array_names() == [] and meta_only.array_names() == []
    small = ImageModel(ImageModel((3, 3)))
    assert small.extra_fits == {} and small.data.shape == (3, 3)
    with pytest.raises(ValidationError, match=r"ImageModel: data .*2-D float32.*3-D"):
        ImageModel(cube)  # a 3-D cube has no place in a 2-D image's data


def test_arrays_as_keyword_arguments_are_validated() -> None:
    m = ImageModel(data=np.zeros((2, 2)), dq=np.ones((2, 2), np.uint8), err=np.ones((2, 2), np.float32))
    assert m.data.dtype == np.float32 and m.dq.dtype == np.uint32 and m.dq.sum() == 4
    with pytest.raises(ValidationError, match=r"ImageModel: dq \(FITS HDU DQ\): expected 2-D uint32 array"):
        ImageModel(dq=np.full((2, 2), 0.5))
    with pytest.raises(AttributeError, match=r"ImageModel has no attribute 'sci'"):
        ImageModel(sci=np.zeros((2, 2)))


def test_unsupported_init_is_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"ImageModel: cannot initialise from float"):
        ImageModel(3.5)


def test_read_is_the_constructor_as_a_class_method(image_file: Path) -> None:
    with ImageModel.read(image_file) as m:
        assert isinstance(m, ImageModel) and m.meta.exposure.nframes == 7
    assert ImageModel.read((2, 2)).shape == (2, 2)


def test_from_fits_takes_path_file_object_and_hdulist(image_file: Path, asdf_file: Path) -> None:
    with ImageModel.from_fits(image_file) as m:
        assert m.meta.exposure.nframes == 7
    with open(image_file, "rb") as handle, ImageModel.from_fits(handle) as m:
        assert m.data[1, 1] == 5
    with fits.open(image_file) as hdul:
        assert ImageModel.from_fits(hdul).data.shape == (3, 4)
    with pytest.raises(FileFormatError, match=r"image.asdf: is ASDF, not FITS"):
        ImageModel.from_fits(asdf_file)
    with pytest.raises(TypeError, match=r"ImageModel.from_fits: give a path"):
        ImageModel.from_fits((2, 2))


def test_from_asdf_takes_path_file_object_and_asdf_file(image_file: Path, asdf_file: Path) -> None:
    with ImageModel.from_asdf(asdf_file) as m:
        assert m.meta.exposure.nframes == 5
    with open(asdf_file, "rb") as handle, ImageModel.from_asdf(handle) as m:
        assert m.data.shape == (2, 3)
    with asdf.open(asdf_file) as af:
        m = ImageModel.from_asdf(af)
        assert m.meta.exposure.nframes == 5 and m.data[1, 2] == 5
    with pytest.raises(FileFormatError, match=r"image.fits: is FITS, not ASDF"):
        ImageModel.from_asdf(image_file)


def test_from_fits_with_schema_reads_the_added_entries(tmp_path: Path) -> None:
    extra = {
        "properties": {"meta": {"properties": {"obs_note": {"type": "string", "fits_keyword": "OBSNOTE"}}}}
    }
    m = ImageModel((2, 2), schema=extra)
    m["meta.obs_note"] = "calibration"
    path = m.save(tmp_path / "n.fits")
    with ImageModel.from_fits(path, schema=extra) as back:
        assert back["meta.obs_note"] == "calibration"
        assert "OBSNOTE" not in {card[0] for card in back.extra_fits.get("PRIMARY", [])}
    with ImageModel.from_fits(path) as plain:  # without the schema, the card is kept as unknown
        assert ("OBSNOTE", "calibration") in [(c[0], c[1]) for c in plain.extra_fits["PRIMARY"]]


def test_schema_must_be_a_schema_tree() -> None:
    with pytest.raises(TypeError, match=r"ImageModel: schema= takes a schema tree"):
        ImageModel(schema="image.schema.yaml")  # deliberately the wrong type


def test_pass_invalid_values_is_accepted_by_every_entry_point(tmp_path: Path) -> None:
    path = tmp_path / "bad.fits"
    primary = fits.PrimaryHDU()
    primary.header["DATAMODL"] = "ImageModel"
    primary.header["NFRAMES"] = "many"
    fits.HDUList([primary]).writeto(path)
    for opener in (ImageModel, ImageModel.read, ImageModel.from_fits, jwstmodels.open):
        with (
            pytest.warns(jwstmodels.InvalidValueWarning, match="NFRAMES"),
            opener(path, pass_invalid_values=True) as m,
        ):
            assert m.meta.exposure.nframes == "many"


# -- asdf extensions -----------------------------------------------------------------------------------

THING_TAG = "asdf://jwstmodels.test/tags/thing-1.0.0"


class Thing:
    """A custom object that only an asdf extension can store."""

    def __init__(self, value: int) -> None:
        self.value = value


class ThingConverter(Converter):
    tags = [THING_TAG]  # noqa: RUF012  (asdf's declared interface)
    types = [Thing]  # noqa: RUF012

    def to_yaml_tree(self, obj: Thing, tag: str, ctx: Any) -> dict[str, int]:
        return {"value": obj.value}

    def from_yaml_tree(self, node: dict[str, int], tag: str, ctx: Any) -> Thing:
        return Thing(node["value"])


class ThingExtension(Extension):
    extension_uri = "asdf://jwstmodels.test/extensions/thing-1.0.0"
    converters = [ThingConverter()]  # noqa: RUF012
    tags = [THING_TAG]  # noqa: RUF012


def test_extensions_are_used_to_read_and_write_asdf(tmp_path: Path) -> None:
    extension = ThingExtension()
    path = tmp_path / "thing.asdf"
    with asdf.config_context() as config:
        config.add_extension(extension)
        tree = {"meta": {"model_type": "ImageModel"}, "data": np.ones((2, 2), np.float32), "thing": Thing(7)}
        asdf.AsdfFile(tree).write_to(path)

    with ImageModel(path, extensions=[extension]) as m:
        thing = m.__jwst_state__.extra_tree["thing"]
        assert isinstance(thing, Thing) and thing.value == 7
        out = m.save(tmp_path / "again.asdf")  # writing the object needs the extension too
    with jwstmodels.open(out, extensions=extension) as back:
        assert (
            isinstance(back.__jwst_state__.extra_tree["thing"], Thing)
            and back.__jwst_state__.extra_tree["thing"].value == 7
        )
    with ImageModel.from_asdf(out, extensions=[extension]) as back:
        assert back.__jwst_state__.extra_tree["thing"].value == 7

    with pytest.warns(Warning, match=r"thing-1\.0\.0"), ImageModel(out) as raw:
        assert not isinstance(raw.__jwst_state__.extra_tree["thing"], Thing), (
            "without the extension the tag is not known"
        )
