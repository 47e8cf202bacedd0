"""Tagged objects at a model's top level (``DistortionModel.model``): astropy.modeling transforms typed by
their Python class, validated on assignment, written to and read from ASDF files through asdf's converters,
refused by FITS files (as the reference refuses to write these models to FITS)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import numpy as np
import pytest
from astropy.modeling import Model, models

from jwstmodels import FileFormatError, ReferenceFileModel, ValidationError
from jwstmodels._core.lazy_objects import import_class
from jwstmodels._core.objects import ObjectField, object_fields


class TransformFile(ReferenceFileModel):
    """A reference file holding one transform and a list of them (as the WCS reference files do)."""

    model = ObjectField[Model]("astropy.modeling:Model", tag="tag:stsci.edu:asdf/transform/*", title="A")
    per_slice = ObjectField[list[Model]]("astropy.modeling:Model", many=True, title="One per slice")


def bookkept(model: ReferenceFileModel) -> None:
    meta = model.meta
    meta.reftype, meta.author, meta.pedigree = "distortion", "me", "GROUND"
    meta.useafter, meta.description, meta.telescope = "2022-01-01T00:00:00", "test", "JWST"
    meta.instrument.name = "NIRCAM"


def test_declared_and_typed() -> None:
    fields = object_fields(TransformFile.__jwst_layout__.scalar_fields)
    assert list(fields) == ["model", "per_slice"]
    assert (fields["model"].keyword, fields["model"].hdu, fields["model"].many) == (None, None, False)
    assert fields["model"].annotation == Optional[Model]  # noqa: UP045 - Model overloads |
    assert fields["per_slice"].annotation == Optional[list[Model]]  # noqa: UP045
    assert import_class("astropy.modeling:Model") is Model
    assert TransformFile().model is None


def test_assignment_checks_the_class_and_a_refusal_changes_nothing() -> None:
    shift = models.Shift(1.5)
    model = TransformFile()
    model.model = shift
    assert model.model is shift
    with pytest.raises(ValidationError) as info:
        model.model = np.zeros(3)  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]
    assert str(info.value) == (
        "TransformFile: model: expected a astropy.modeling.Model or None, got <numpy.ndarray>"
    )
    assert model.model is shift
    model.per_slice = [models.Shift(1), models.Scale(2)]
    with pytest.raises(ValidationError):
        model.per_slice = [models.Shift(1), "x"]  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
    assert [type(m).__name__ for m in model.per_slice] == ["Shift", "Scale"]
    model.model = None
    assert model.model is None


def test_asdf_round_trip_and_validation(tmp_path: Path) -> None:
    model = TransformFile()
    bookkept(model)
    model.model = (models.Shift(1) & models.Shift(2)) | models.Polynomial2D(2, c1_0=3.0)
    model.per_slice = [models.Tabular1D(points=np.arange(5.0), lookup_table=np.arange(5.0) ** 2)]
    model.validate()
    path = model.save(tmp_path / "transforms.asdf")
    with TransformFile(path) as back:
        assert isinstance(back.model, Model) and back.model(1.0, 2.0) == model.model(1.0, 2.0)
        assert back.per_slice is not None
        assert back.per_slice[0](2.5) == pytest.approx(6.5)


def test_a_file_node_that_is_no_transform_warns_and_is_kept(tmp_path: Path) -> None:
    import asdf

    model = TransformFile()
    bookkept(model)
    path = model.save(tmp_path / "odd.asdf")
    with asdf.open(path, mode="rw") as af:
        af.tree["model"] = "not a transform"
        af.update()
    with pytest.warns(UserWarning, match="model"), TransformFile(path) as odd:
        assert odd.model is None
        again = odd.save(tmp_path / "again.asdf")
    with asdf.open(again) as af:
        assert af.tree["model"] == "not a transform"


def test_fits_refuses_a_model_holding_objects(tmp_path: Path) -> None:
    model = TransformFile()
    bookkept(model)
    model.model = models.Shift(1)
    with pytest.raises(FileFormatError, match=r"TransformFile holds model .*save it as \.asdf"):
        model.save(tmp_path / "transforms.fits")
    assert not (tmp_path / "transforms.fits").exists()
    model.model = None
    model.save(tmp_path / "plain.fits")  # nothing held: FITS is fine
