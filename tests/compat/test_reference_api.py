"""The reference API the JWST pipeline calls (instance, hasattr, get_dtype, get_default, getarray_noinit,
get_crds_parameters, crds_observatory, save's dir_path), checked side by side with stdatamodels 6.0.0 on the
same file."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import jwstmodels
from jwstmodels import DataModel, ImageModel, MetaNode, RampModel


def _reference() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from stdatamodels.jwst import datamodels

    return datamodels


@pytest.fixture
def image_file(tmp_path: Path) -> Path:
    """An ImageModel file written by the reference: data and dq set, err absent, a few keywords."""
    ref = _reference()
    model = ref.ImageModel((6, 7))
    model.data[:] = 2.5
    model.dq = np.ones((6, 7), dtype=np.uint32)
    model.meta.instrument.name = "NIRCAM"
    model.meta.instrument.detector = "NRCA1"
    model.meta.exposure.nframes = 4
    model.meta.exposure.exposure_time = 10.5
    model.meta.subarray.name = "SUB64P"
    model.meta.observation.date = "2024-01-01"
    path = tmp_path / "image_cal.fits"
    model.save(path)
    model.close()
    return path


@pytest.fixture
def both(image_file: Path) -> Iterator[tuple[DataModel[MetaNode], Any]]:
    ref = _reference()
    with jwstmodels.open(image_file) as mine, ref.open(image_file) as theirs:
        yield mine, theirs


def test_crds_parameters_equal_the_references(both: tuple[DataModel[MetaNode], Any]) -> None:
    mine, theirs = both
    assert mine.crds_observatory == theirs.crds_observatory == "jwst"
    ours = mine.get_crds_parameters()
    # The reference's also holds the file's bookkeeping (asdf_library.*, _fits_hash), which no CRDS rule
    # selects by and this package does not keep as metadata: the metadata values must be equal.
    reference = {k: v for k, v in theirs.get_crds_parameters().items() if k.startswith("meta.")}
    assert ours == reference
    assert ours["meta.instrument.name"] == "NIRCAM"
    assert ours["meta.exposure.nframes"] == 4


@pytest.mark.parametrize(
    "name", ["meta", "data", "dq", "err", "area", "zeroframe", "nonesuch", "meta.exposure"]
)
def test_model_hasattr_as_the_reference(both: tuple[DataModel[MetaNode], Any], name: str) -> None:
    mine, theirs = both
    assert mine.hasattr(name) is theirs.hasattr(name)


def test_model_hasattr_answers_both_ways(both: tuple[DataModel[MetaNode], Any]) -> None:
    mine, _ = both
    assert mine.hasattr("dq") and not mine.hasattr("err")  # the controls: one array held, one not


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("meta", "exposure"),
        ("meta", "instrument"),
        ("meta", "ephemeris"),
        ("meta.exposure", "nframes"),
        ("meta.exposure", "ngroups"),
        ("meta.exposure", "nonesuch"),
        ("meta", "exposure.nframes"),
    ],
)
def test_node_hasattr_as_the_reference(both: tuple[DataModel[MetaNode], Any], path: str, name: str) -> None:
    mine, theirs = both
    node_mine: Any = mine
    node_theirs: Any = theirs
    for part in path.split("."):
        node_mine = getattr(node_mine, part)
        node_theirs = getattr(node_theirs, part)
    assert node_mine.hasattr(name) is node_theirs.hasattr(name)


@pytest.mark.parametrize("name", ["data", "dq", "err", "area", "var_poisson"])
def test_get_dtype_as_the_reference(both: tuple[DataModel[MetaNode], Any], name: str) -> None:
    mine, theirs = both
    assert mine.get_dtype(name) == theirs.get_dtype(name)


def test_get_dtype_refuses_as_the_reference(both: tuple[DataModel[MetaNode], Any]) -> None:
    mine, theirs = both
    for model in (mine, theirs):
        with pytest.raises(ValueError, match="meta"):
            model.get_dtype("meta")
        with pytest.raises(AttributeError, match="nonesuch"):
            model.get_dtype("nonesuch")


@pytest.mark.parametrize("name", ["dq", "err", "area", "data"])
def test_get_default_as_the_reference(both: tuple[DataModel[MetaNode], Any], name: str) -> None:
    mine, theirs = both
    ours = mine.get_default(name)
    reference = theirs.get_default(name)
    assert isinstance(ours, np.ndarray) and isinstance(reference, np.ndarray)
    assert ours.shape == reference.shape and ours.dtype == reference.dtype
    np.testing.assert_array_equal(ours, reference)
    assert not mine.hasattr(name) or name in ("dq", "data")  # asking created nothing
    assert not mine.hasattr("err")


def test_get_default_of_meta_and_unknown(both: tuple[DataModel[MetaNode], Any]) -> None:
    mine, theirs = both
    assert mine.get_default("meta") == theirs.get_default("meta") == {}
    for model in (mine, theirs):
        with pytest.raises(AttributeError):
            model.get_default("nonesuch")


def test_getarray_noinit_as_the_reference(both: tuple[DataModel[MetaNode], Any]) -> None:
    mine, theirs = both
    np.testing.assert_array_equal(mine.getarray_noinit("dq"), theirs.getarray_noinit("dq"))
    for model in (mine, theirs):
        with pytest.raises(AttributeError, match="err"):
            model.getarray_noinit("err")
    assert not mine.hasattr("err")  # the failed call created nothing


def test_instance_holds_the_tree_as_the_reference(both: tuple[DataModel[MetaNode], Any]) -> None:
    mine, theirs = both
    ours = mine.instance
    reference = theirs.instance
    bookkeeping = {"asdf_library", "history", "_fits_hash"}  # the reference's file bookkeeping
    assert sorted(ours) == sorted(set(reference) - bookkeeping) == ["data", "dq", "meta"]
    assert ours["meta"]["instrument"] == reference["meta"]["instrument"]
    assert ours["meta"]["exposure"] == reference["meta"]["exposure"]
    np.testing.assert_array_equal(ours["data"], reference["data"])
    assert "err" not in ours and "err" not in reference


def test_instance_is_a_copy(both: tuple[DataModel[MetaNode], Any]) -> None:
    mine, _ = both
    mine.instance["meta"]["exposure"]["nframes"] = 9
    assert mine.meta.exposure.nframes == 4


def test_ramp_model_defaults_shaped_as_the_reference() -> None:
    ref = _reference()
    mine = RampModel((2, 3, 4, 5))
    theirs = ref.RampModel((2, 3, 4, 5))
    for name in ("pixeldq", "groupdq"):
        assert mine.get_default(name).shape == theirs.get_default(name).shape


UNDECLARED_NDIM = {"ImageModel.dq", "CubeModel.err"}
"""Arrays whose dimensionality the reference's schema leaves open."""


@pytest.mark.parametrize(
    ("model", "name"),
    [
        ("RampModel", "pixeldq"),
        ("RampModel", "groupdq"),
        ("RampModel", "zeroframe"),
        ("RampModel", "data"),
        ("ImageModel", "data"),
        ("ImageModel", "dq"),
        ("GuiderRawModel", "dq"),
        ("CubeModel", "err"),
    ],
)
def test_defaults_without_a_shape_as_the_reference(model: str, name: str) -> None:
    """A model made without a shape: the default is a 0-sized array of the field's dimensionality (jwst's
    dq_init compares its shape), not None. Where the reference's schema gives the array no dimensionality
    (ImageModel.dq, CubeModel.err) its default is 1-D; ours keeps the declared one."""
    mine = getattr(jwstmodels, model)().get_default(name)
    theirs = getattr(_reference(), model)().get_default(name)
    assert isinstance(mine, np.ndarray) and isinstance(theirs, np.ndarray)
    assert mine.dtype == theirs.dtype and mine.size == theirs.size == 0
    assert mine.shape == theirs.shape or (theirs.shape == (0,) and f"{model}.{name}" in UNDECLARED_NDIM)


def test_update_from_a_model_copies_keyword_values_as_the_reference() -> None:
    """jwst's resample builds the i2d with ``output.update(input)``: from a model, the reference copies the
    values that have a FITS keyword only (``meta.asn.pool_name``: ASNPOOL), not those kept in the ASDF tree
    alone (``meta.asn.exptype``); from a dict, every value given."""
    ref = _reference()
    results = []
    for module in (jwstmodels, ref):
        source = module.ImageModel((2, 2))
        source.meta.asn.pool_name = "pool"
        source.meta.asn.exptype = "science"
        source.meta.exposure.nframes = 4
        from_model, from_dict = module.ImageModel((2, 2)), module.ImageModel((2, 2))
        from_model.update(source)
        from_dict.update({"meta": {"asn": {"pool_name": "pool", "exptype": "science"}}})
        results.append(
            (
                from_model.meta.asn.pool_name,
                from_model.meta.asn.exptype,
                from_model.meta.exposure.nframes,
                from_dict.meta.asn.pool_name,
                from_dict.meta.asn.exptype,
            )
        )
    assert results[0] == results[1] == ("pool", None, 4, "pool", "science")


def test_update_merges_cal_logs_as_the_reference() -> None:
    """resample's i2d carries the step logs of the exposure it was made from: ``update`` merges the source's
    ``cal_logs`` (unless ``cal_logs=False``), from a model or a dict."""
    ref = _reference()
    results = []
    for module in (jwstmodels, ref):
        source = module.ImageModel((2, 2))
        source.cal_logs = {"calwebb_detector1": ["one", "two"]}
        merged = module.ImageModel()
        merged.cal_logs = {"calwebb_image2": ["three"]}
        merged.update(source)
        fresh, skipped = module.ImageModel(), module.ImageModel()
        fresh.update({"cal_logs": {"resample": ["four"]}, "meta": {"exposure": {"nframes": 2}}})
        skipped.update(source, cal_logs=False)
        results.append(
            (
                sorted(merged.cal_logs.instance if module is ref else merged.cal_logs.to_dict()),
                list(merged.cal_logs.calwebb_detector1),
                list(fresh.cal_logs.resample),
                fresh.meta.exposure.nframes,
                hasattr(skipped, "cal_logs") and bool(skipped.instance.get("cal_logs")),
            )
        )
    assert results[0] == results[1]
    assert results[0] == (["calwebb_detector1", "calwebb_image2"], ["one", "two"], ["four"], 2, False)


def test_save_takes_dir_path_and_a_path_function(tmp_path: Path) -> None:
    model = ImageModel((3, 3))
    model.meta.filename = "x_rate.fits"
    (tmp_path / "out").mkdir()
    written = model.save(str(tmp_path / "elsewhere" / "y_cal.fits"), dir_path=str(tmp_path / "out"))
    assert Path(written) == tmp_path / "out" / "y_cal.fits" and Path(written).is_file()
    model.meta.filename = "x_rate.fits"  # the save above stamped its own name
    written = model.save(lambda name: str(tmp_path / (str(name).replace("_rate", "_cal2"))))
    assert Path(written).name == "x_rate.fits".replace("_rate", "_cal2")


@pytest.mark.pipeline
def test_pipeline_abstract_base_accepts_models() -> None:
    from stpipe.datamodel import AbstractDataModel

    assert isinstance(ImageModel((2, 2)), AbstractDataModel)


def test_open_accepts_strict_validation(image_file: Path) -> None:
    for strict in (True, False, None):
        with jwstmodels.open(image_file, strict_validation=strict) as model:
            assert isinstance(model, ImageModel) and model.meta.exposure.nframes == 4


def test_every_model_is_a_jwst_data_model() -> None:
    ref = _reference()
    assert isinstance(ref.ImageModel(), ref.JwstDataModel) and isinstance(ref.FlatModel(), ref.JwstDataModel)
    assert isinstance(ImageModel(), jwstmodels.JwstDataModel)
    assert isinstance(jwstmodels.FlatModel(), jwstmodels.JwstDataModel)


REQUIRED_OF_REFERENCE_FILES = {
    "meta.reftype": "PHOTOM",
    "meta.author": "test",
    "meta.pedigree": "DUMMY",
    "meta.useafter": "2022-01-01T00:00:00",
    "meta.description": "test",
    "meta.telescope": "JWST",
    "meta.instrument.name": "NIRCAM",
}


def test_a_table_row_misses_a_column_as_the_reference(tmp_path: Path) -> None:
    """jwst's photom reads ``row["wavelength"]`` and takes a KeyError to mean an imaging table; a row of our
    tables raises KeyError for a missing column as the reference's FITS_rec rows do, and is a live view."""
    ref = _reference()
    for module in (jwstmodels, ref):
        photom = module.NrcImgPhotomModel()
        table = np.zeros(2, dtype=photom.get_dtype("phot_table"))
        table["filter"], table["photmjsr"] = "F200W", 0.25
        photom.phot_table = table
        for key, value in REQUIRED_OF_REFERENCE_FILES.items():
            photom[key] = value
        photom.save(tmp_path / f"{module.__name__}.fits")
    with (
        jwstmodels.open(tmp_path / "jwstmodels.fits") as mine,
        ref.open(tmp_path / f"{ref.__name__}.fits") as theirs,
    ):
        rows = (mine.phot_table[0], theirs.phot_table[0])
        for row in rows:
            with pytest.raises(KeyError):
                row["wavelength"]
        assert [row["filter"] for row in rows] == ["F200W", "F200W"]
        assert float(rows[0]["PHOTMJSR"]) == float(rows[1]["photmjsr"]) == 0.25
        rows[0]["photmjsr"] = 0.5
        assert float(mine.phot_table["photmjsr"][0]) == 0.5
