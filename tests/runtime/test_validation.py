"""validate(): every metadata value, every array, and the keywords a reference file must carry."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import jwstmodels_generated
import jwstmodels_generated.catalog as catalog
from jwstmodels import DataModel, ImageModel, MetaNode, ValidationError, ValidationErrors


class ReferenceLike(ImageModel):
    """A model declaring required keywords, as the generator does for reference-file models."""

    required_meta = ("meta.telescope", "meta.instrument.name", "meta.exposure.type")


def classes_with_required_keywords() -> list[type[DataModel[MetaNode]]]:
    generated = [getattr(catalog, name) for name in jwstmodels_generated.__all__]
    found = [c for c in generated if isinstance(c, type) and issubclass(c, DataModel) and c.required_meta]
    return [ReferenceLike, *found]


def test_a_valid_model_validates() -> None:
    m = ImageModel((2, 2))
    m.meta.exposure.nframes = 1
    m.validate()


def test_validate_names_every_missing_required_keyword() -> None:
    for cls in classes_with_required_keywords():
        with pytest.raises(ValidationErrors) as info:
            cls().validate()
        errors = info.value.errors
        assert [e.path for e in errors] == list(cls.required_meta), cls.__name__
        for error in errors:
            assert error.model == cls.__name__
            assert error.keyword is not None, f"{cls.__name__}: {error.path} has a FITS keyword to name"
            assert error.keyword in str(error) and error.path in str(error) and "required" in str(error)


def test_required_keywords_once_set_validate() -> None:
    m = ReferenceLike()
    m.meta.telescope = "JWST"
    m.meta.instrument.name = "MIRI"
    with pytest.raises(ValidationErrors) as info:
        m.validate()
    assert [(e.path, e.keyword) for e in info.value.errors] == [("meta.exposure.type", "EXP_TYPE")]
    m.meta.exposure.type = "MIR_IMAGE"
    m.validate()


def test_saving_a_model_without_its_required_keywords_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ValidationErrors, match=r"ReferenceLike: meta.telescope \(FITS TELESCOP in PRIMARY\)"):
        ReferenceLike((2, 2)).save(tmp_path / "ref.fits")
    assert list(tmp_path.iterdir()) == []


def test_validate_reports_metadata_and_arrays_together() -> None:
    m = ImageModel((2, 2))
    vars(m.meta.exposure)["ngroups"] = "x"
    m.__jwst_state__.store.values["dq"] = np.full(
        (2, 2), 0.5
    )  # what a broken file or foreign code could leave behind
    with pytest.raises(ValidationErrors) as info:
        m.validate()
    found = {(e.path, e.keyword, e.hdu) for e in info.value.errors}
    assert found == {("meta.exposure.ngroups", "NGROUPS", "PRIMARY"), ("dq", None, "DQ")}
    assert isinstance(info.value, ValidationError) and isinstance(info.value, ValueError)


def test_error_messages_say_what_was_expected_and_what_was_given() -> None:
    m = ImageModel()
    with pytest.raises(ValidationError) as info:
        m.meta.target.ra = "north"
    message = str(info.value)
    for part in ("ImageModel", "meta.target.ra", "TARG_RA", "float", "'north'", "str"):
        assert part in message
    assert (info.value.expected, info.value.got) == ("float or None", "north")
    with pytest.raises(ValidationError) as array_info:
        m.err = np.zeros((2, 2, 2), np.float32)
    message = str(array_info.value)
    for part in ("ImageModel", "err", "ERR", "2-D float32", "3-D", "(2, 2, 2)"):
        assert part in message


def test_a_dropped_model_is_freed_at_once_and_leaves_no_garbage_cycles() -> None:
    import gc

    gc.collect()
    gc.disable()
    try:
        model = ImageModel((2, 2))
        model.meta.exposure.nframes = 3
        model.meta.observation.date = "2026-01-02"
        del model
        assert gc.collect() == 0  # nothing was left for the cycle collector: refcounting freed the tree
    finally:
        gc.enable()


def test_a_node_kept_after_its_model_is_gone_still_names_the_field() -> None:
    exposure = ImageModel().meta.exposure
    assert exposure.dotted_path == "exposure"
    with pytest.raises(ValidationError, match=r"exposure\.nframes") as raised:
        exposure.nframes = "four"  # pyright: ignore[reportAttributeAccessIssue]
    assert raised.value.model is None
