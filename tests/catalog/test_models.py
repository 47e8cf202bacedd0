"""Every model of the reference list: it exists, ``open()`` picks it from DATAMODL, and a model with every
metadata field, array and table filled survives a FITS and an ASDF round trip unchanged.

Multi-models (lists of item models) are covered for construction, appending and item types; their file I/O
is a later issue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import jwstmodels
from jwstmodels import ArrayField, TableField, ValidationError, ValidationErrors
from jwstmodels._core.tables import memory_dtype
from jwstmodels_generated.lookup import MODEL_CLASSES
from tests.catalog._catalog import (
    ALL_MODELS,
    BOOKKEEPING,
    EXPLICIT,
    MULTI,
    REFERENCE_FILE_MODELS,
    filled,
    list_fields,
    model_class,
    primary_shape,
)
from tests.support.populate import get_path, same_value

SINGLE = [name for name in ALL_MODELS if not list_fields(model_class(name))]


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
@pytest.mark.parametrize("name", SINGLE)
def test_round_trip(name: str, suffix: str, tmp_path: Path) -> None:
    cls = model_class(name)
    model, values, arrays = filled(cls)
    assert len(values) > 5, "every model carries metadata"
    path = model.save(tmp_path / f"{name}{suffix}")
    with cls(path) if name in EXPLICIT else jwstmodels.open(path) as back:
        assert type(back) is cls  # chosen from DATAMODL
        if name not in EXPLICIT:
            assert back.meta.model_type == name
        for dotted, value in values.items():
            assert same_value(get_path(back, dotted), value), dotted
        assert sorted(back.array_names()) == sorted(arrays)
        for array_name, expected in arrays.items():
            got = np.asarray(getattr(back, array_name))
            assert got.shape == expected.shape, array_name
            if expected.dtype.names:
                assert got.dtype.names == expected.dtype.names, array_name
                # text columns hold str in memory (files keep ascii; tests/runtime/test_tables.py)
                expected = np.asarray(expected).astype(memory_dtype(expected.dtype))
                for column in expected.dtype.names:
                    assert got.dtype[column].base.newbyteorder("=") == expected.dtype[column].base
                    np.testing.assert_array_equal(got[column], expected[column], err_msg=column)
            else:
                assert got.dtype.newbyteorder("=") == expected.dtype, array_name
                np.testing.assert_array_equal(got, expected, err_msg=array_name)


@pytest.mark.parametrize("name", sorted(MULTI))
def test_multi_model_lists(name: str) -> None:
    cls = model_class(name)
    attribute, item_name = MULTI[name]
    field = list_fields(cls)[attribute]
    assert field.item_class is model_class(item_name)
    model = cls()
    items: list[Any] = getattr(model, attribute)
    assert items == []
    shape = primary_shape(field.item_class)
    item = field.item_class(shape) if shape is not None else field.item_class()
    items.append(item)
    items.append(field.item_class())
    assert getattr(model, attribute)[0] is item and len(getattr(model, attribute)) == 2
    with pytest.raises(ValidationError, match=rf"{attribute}\[1\]"):
        setattr(model, attribute, [item, jwstmodels.ImageModel()])
    assert len(getattr(model, attribute)) == 2, "a refused assignment leaves the list unchanged"
    assert cls.primary_array_name == "", "as in the reference implementation"


def test_item_models_are_not_file_types() -> None:
    for item in ("NirspecFlatQuadrantModel", "PathlossApertureModel"):
        assert model_class(item).__name__ == item and item not in MODEL_CLASSES


@pytest.mark.parametrize("name", REFERENCE_FILE_MODELS)
def test_reference_files_require_their_bookkeeping(name: str) -> None:
    cls = model_class(name)
    assert cls.required_meta == BOOKKEEPING
    model = cls()
    with pytest.raises(ValidationErrors) as info:
        model.validate()
    text = str(info.value)
    for dotted in BOOKKEEPING:
        assert dotted in text, dotted
    assert "(FITS REFTYPE in PRIMARY)" in text and "(FITS INSTRUME in PRIMARY)" in text
    for dotted, value in zip(
        BOOKKEEPING,
        ("FLAT", "me", "GROUND", "2024-01-01T00:00:00", "a test file", "JWST", "MIRI"),
        strict=True,
    ):
        *parents, last = dotted.split(".")
        setattr(get_path(model, ".".join(parents)), last, value)
    model.validate()


def test_science_models_require_nothing() -> None:
    for name in sorted(set(ALL_MODELS) - set(REFERENCE_FILE_MODELS)):
        assert model_class(name).required_meta == (), name


def test_primary_arrays() -> None:
    expected = {
        "ImageModel": "data",
        "MaskModel": "dq",
        "LinearityModel": "coeffs",
        "AmiLgModel": "fit_image",
        "AsnModel": "asn_table",
        "SpecModel": "spec_table",
        "NircamPhotomModel": "phot_table",
        "RampFitOutputModel": "",
        "MultiSlitModel": "",
        "ContrastModel": "",
        "ReferenceFileModel": "",
    }
    for name, primary in expected.items():
        assert model_class(name)().get_primary_array_name() == primary, name
    mask = jwstmodels.MaskModel((4, 5))
    assert mask.dq.shape == (4, 5) and mask.dq.dtype == np.uint32


def test_table_layouts_of_the_issue() -> None:
    table = vars(jwstmodels.NircamPhotomModel)["phot_table"]
    assert isinstance(table, TableField)
    assert [(c.name, table.dtype[c.name].base.str[1:], c.shape) for c in table.columns] == [
        ("filter", "S12", ()),
        ("pupil", "S12", ()),
        ("order", "i2", ()),
        ("photmjsr", "f4", ()),
        ("uncertainty", "f4", ()),
        ("nelem", "i2", ()),
        ("wavelength", "f4", (3000,)),
        ("relresponse", "f4", (3000,)),
    ]
    today = vars(jwstmodels.NrcImgPhotomModel)["phot_table"]
    assert isinstance(today, TableField)
    assert [c.name for c in today.columns] == ["filter", "pupil", "photmjsr", "uncertainty"]
    dq_def = vars(jwstmodels.FlatModel)["dq_def"]
    assert isinstance(dq_def, TableField) and dq_def.hdu == "DQ_DEF"
    assert dq_def.dtype.names == ("BIT", "VALUE", "NAME", "DESCRIPTION")


def test_array_facts() -> None:
    facts = {
        ("DarkMIRIModel", "data"): ("SCI", "float32", 4, None),
        ("DarkModel", "dq"): ("DQ", "uint32", 2, None),
        ("RampModel", "groupdq"): ("GROUPDQ", "uint8", 4, None),
        ("StrayLightModel", "data"): ("MASK", "uint8", 2, None),
        ("NirspecFlatModel", "data"): ("SCI", "float32", None, 3),
        ("IFUCubeModel", "weightmap"): ("WMAP", "float32", 3, None),
        ("GLS_RampFitModel", "crmag"): ("CRMAG", "float32", 4, None),
        ("MIRIRampModel", "refout"): ("REFOUT", "float32", 4, None),
    }
    for (name, attribute), (hdu, dtype, ndim, max_ndim) in facts.items():
        field = model_class(name).__jwst_layout__.fields[attribute]  # inherited ones included
        assert isinstance(field, ArrayField)
        assert (field.hdu, field.dtype.name, field.ndim, field.max_ndim) == (hdu, dtype, ndim, max_ndim)
    # lazily created arrays take the schema default
    assert float(jwstmodels.PixelAreaModel((2, 3)).data[0, 0]) == 1.0
    assert float(jwstmodels.SaturationModel((2, 3)).data[0, 0]) == 100000.0


def test_reference_file_metadata_is_the_reference_file_tree() -> None:
    flat = jwstmodels.FlatModel()
    flat.meta.instrument.p_filter = "F560W|"
    flat.meta.reftype = "FLAT"
    image = jwstmodels.ImageModel()
    assert not hasattr(image.meta, "reftype") and not hasattr(image.meta.instrument, "p_filter")
    # every reference file's metadata is a ReferenceFileMeta (isinstance holds), narrowed where it adds
    base = type(jwstmodels.ReferenceFileModel().meta)
    for name in REFERENCE_FILE_MODELS:
        assert isinstance(model_class(name)().meta, base), name
    pixel_area = jwstmodels.PixelAreaModel()
    assert type(pixel_area.meta.photometry).fits_location("pixelarea_steradians") == ("PIXAR_SR", "PRIMARY")
    assert type(image.meta.photometry).fits_location("pixelarea_steradians") == ("PIXAR_SR", "SCI")


def test_round_trip_helpers_fill_what_they_claim() -> None:
    model, values, arrays = filled(jwstmodels.NircamPhotomModel)
    assert set(arrays) >= {"phot_table"} and values["meta.reftype"]
    assert isinstance(model, jwstmodels.NircamPhotomModel) and model.meta.reftype == values["meta.reftype"]
    assert arrays["phot_table"]["wavelength"].shape == (3, 3000)


def test_narrowed_metadata_fields_refuse_the_wider_class() -> None:
    from jwstmodels_generated.meta import Aperture, Meta

    image = jwstmodels.ImageModel()
    assert isinstance(image.meta, Meta) and type(image.meta.aperture) is not Aperture
    as_base: Meta = image.meta
    with pytest.raises(ValidationError, match=r"ImageModel: meta\.aperture: expected ImageAperture"):
        as_base.aperture = Aperture()
    flat = jwstmodels.FlatModel()
    base = type(jwstmodels.ReferenceFileModel().meta.instrument)
    with pytest.raises(ValidationError, match=r"meta\.instrument"):
        setattr(flat.meta, "instrument", base())
