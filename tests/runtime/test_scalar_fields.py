"""Scalars at a model's top level, outside ``meta`` (``SlitModel.name``, ``SpecModel.spectral_order``): typed
descriptors validated on assignment and wired through the DataModel API (copy, flat views, item access,
update, validate, schema search)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from jwstmodels import (
    ImageModel,
    MultiSlitModel,
    SlitModel,
    SpecModel,
    UnknownFieldError,
    ValidationError,
    ValidationErrors,
)
from jwstmodels._core.scalars import ScalarField
from jwstmodels._io.fits_cards import scalar_cards
from jwstmodels._model.saving import file_content


def test_declared_as_typed_descriptors() -> None:
    field = SlitModel.name  # the descriptor itself (declared by the model or a scalar group it lists)
    assert isinstance(field, ScalarField) and SlitModel.__jwst_layout__.scalar_fields["name"] is field
    assert (field.keyword, field.hdu, field.kind) == ("SLTNAME", "SCI", str)
    fields: dict[str, ScalarField[Any]] = SlitModel.__jwst_layout__.scalar_fields
    assert list(fields)[:5] == ["name", "xstart", "xsize", "ystart", "ysize"]
    assert fields["source_type"].enum == ("EXTENDED", "POINT", "UNKNOWN")
    assert fields["is_extended"].keyword is None and fields["is_extended"].hdu is None  # ASDF only
    spec: dict[str, ScalarField[Any]] = SpecModel.__jwst_layout__.scalar_fields
    assert spec["spectral_order"].hdu == "EXTRACT1D" and spec["spectral_order"].default == 1
    # the items of the multi-models are the same classes, so they carry the same fields
    assert MultiSlitModel().slits == [] and isinstance(SlitModel.name, ScalarField)
    assert SlitModel().slitlet_id is None  # the schema default documents; an unset field reads None


def test_assignment_is_validated_and_a_refusal_changes_nothing() -> None:
    slit = SlitModel()
    slit.xstart = 5
    with pytest.raises(ValidationError) as info:
        slit.xstart = "a"  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]
    error = info.value
    assert str(error) == "SlitModel: xstart (FITS SLTSTRT1 in SCI): expected int or None, got 'a' (str)"
    assert (error.model, error.path, error.keyword, error.hdu, error.got) == (
        "SlitModel",
        "xstart",
        "SLTSTRT1",
        "SCI",
        "a",
    )
    assert slit.xstart == 5
    for bad in ("5", True, 2.5, [5]):
        with pytest.raises(ValidationError, match=r"xstart \(FITS SLTSTRT1 in SCI\)"):
            slit.xstart = bad  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]
        assert slit.xstart == 5
    with pytest.raises(
        ValidationError, match=r"source_type .*expected one of 'EXTENDED', 'POINT', 'UNKNOWN'"
    ):
        slit.source_type = "DIFFUSE"  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]
    with pytest.raises(ValidationError, match=r"SlitModel: name \(FITS SLTNAME in SCI\): expected str"):
        slit.name = 3  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]
    assert slit.name is None and slit.source_type is None


def test_values_are_converted_to_the_fields_type() -> None:
    slit = SlitModel()
    slit.source_xpos = 2  # an int is a float
    assert slit.source_xpos == 2.0 and type(slit.source_xpos) is float
    slit.xstart = np.int64(7)  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]
    assert slit.xstart == 7 and type(slit.xstart) is int
    slit.stellarity = np.float32(0.25)  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]
    assert slit.stellarity == 0.25 and type(slit.stellarity) is float
    slit.is_extended = np.bool_(True)  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]
    assert slit.is_extended is True
    slit.xstart = None
    assert slit.xstart is None and "xstart" not in slit.to_flat_dict()


def test_unknown_attribute_lists_scalars_as_choices() -> None:
    slit = SlitModel()
    with pytest.raises(
        UnknownFieldError, match=r"SlitModel has no attribute 'xstrat'; did you mean 'xstart'\?"
    ):
        slit.xstrat = 3  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]
    with pytest.raises(KeyError, match=r"did you mean 'source_id'"):
        slit["source_idd"]


def test_copy_flat_views_and_item_access() -> None:
    slit = SlitModel((3, 4))
    slit.name = "S200A1"
    slit.source_id = 12
    slit.meta.exposure.nints = 2
    flat = slit.to_flat_dict(include_arrays=False)
    assert flat["name"] == "S200A1" and flat["source_id"] == 12 and flat["meta.exposure.nints"] == 2
    assert "name" in slit and "xstart" not in slit and "name" in list(slit.keys())
    assert ("source_id", 12) in list(slit.items())
    assert slit["name"] == "S200A1" and slit.get_item_as_json_value("source_id") == 12
    slit["xstart"] = 4
    assert slit.xstart == 4
    with pytest.raises(ValidationError, match=r"xstart"):
        slit["xstart"] = "four"
    assert slit.xstart == 4

    copied = slit.copy()
    assert (copied.name, copied.source_id, copied.xstart) == ("S200A1", 12, 4)
    copied.name = "S400A1"
    assert slit.name == "S200A1"


def test_init_from_a_dict_and_from_another_model() -> None:
    slit = SlitModel({"meta": {"exposure": {"nints": 3}}, "name": "S1600A1", "source_type": "POINT"})
    assert (slit.name, slit.source_type, slit.meta.exposure.nints) == ("S1600A1", "POINT", 3)
    with pytest.raises(ValidationError, match=r"source_type"):
        SlitModel({"source_type": "WIDE"})
    again = SlitModel(slit)
    assert (again.name, again.source_type) == ("S1600A1", "POINT")
    image = ImageModel(slit)  # a class without these fields drops them, as other metadata
    assert "name" not in image.to_flat_dict(include_arrays=False)


def test_update_copies_scalars_all_or_nothing() -> None:
    source = SlitModel()
    source.name = "S200B1"
    source.xstart = 9
    source.meta.exposure.nints = 4
    target = SlitModel()
    target.update(source)
    assert (target.name, target.xstart, target.meta.exposure.nints) == ("S200B1", 9, 4)

    only_primary = SlitModel()
    only_primary.update(source, only="PRIMARY")  # SLTNAME lives in SCI
    assert only_primary.name is None and only_primary.meta.exposure.nints == 4

    target.update({"name": "S400A1", "meta": {"exposure": {"nints": 5}}})
    assert (target.name, target.meta.exposure.nints) == ("S400A1", 5)
    with pytest.raises(ValidationErrors) as info:
        target.update({"name": "S1600A1", "xstart": "x", "meta": {"exposure": {"nints": "many"}}})
    assert [e.path for e in info.value.errors] == ["meta.exposure.nints", "xstart"]
    assert (target.name, target.xstart, target.meta.exposure.nints) == ("S400A1", 9, 5)


def test_validate_reports_a_kept_invalid_value() -> None:
    slit = SlitModel()
    slit.__jwst_state__.scalars["xstart"] = "three"  # as pass_invalid_values keeps it
    with pytest.raises(ValidationErrors, match=r"SlitModel: xstart \(FITS SLTSTRT1 in SCI\): expected int"):
        slit.validate()


def test_schema_search_and_keyword_lookup() -> None:
    slit = SlitModel()
    assert slit.find_fits_keyword("SLTNAME") == ["name"]
    assert slit.find_fits_keyword("sltstrt1") == ["xstart"]
    # the reference stores a slit's source type and the target's in the same SCI card
    assert slit.find_fits_keyword("SRCTYPE") == ["meta.target.source_type", "source_type"]
    assert SpecModel().find_fits_keyword("SPORDER") == ["spectral_order"]
    matches = {m.path: m for m in slit.search_schema("sltname")}
    assert matches["name"].keyword == "SLTNAME" and matches["name"].hdu == "SCI"
    assert [m.path for m in slit.search_schema("slit_ymin")] == ["slit_ymin"]
    assert SlitModel.search_schema("slit_ymin")[0].keyword is None


def test_scalar_cards_per_hdu() -> None:
    spec = SpecModel()
    spec.name = "S200A1"
    spec.spectral_order = 2
    spec.source_type = "POINT"
    content = file_content(spec)  # what the FITS writer is given
    cards = scalar_cards(content, "EXTRACT1D")
    assert [(k, v) for k, v, _ in cards] == [("SLTNAME", "S200A1"), ("SRCTYPE", "POINT"), ("SPORDER", 2)]
    assert all(comment for _, _, comment in cards)
    assert scalar_cards(content, "extract1d") == cards and scalar_cards(content, "SCI") == []
