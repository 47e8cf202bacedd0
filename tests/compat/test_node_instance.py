"""``node.instance`` as the reference's: a live dict of a metadata node that the pipeline edits (assign_wcs
deletes and updates ``meta.wcsinfo.instance``; stpipe writes ``meta.cal_step.instance``). Declared keys go
through the node (validated); undeclared keys are kept in the model's preserved tree and saved where the
reference saves them (the ASDF tree, the ASDF extension of FITS files)."""

from __future__ import annotations

import pickle
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

import pytest

import jwstmodels
from jwstmodels import ImageModel, ValidationError


def _reference() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from stdatamodels.jwst import datamodels

    return datamodels


def _edit(model: Any) -> None:
    """What jwst's assign_wcs.util.update_fits_wcsinfo does to the WCS keywords, on either implementation."""
    model.meta.wcsinfo.crpix1 = 32.5
    model.meta.wcsinfo.pc1_1 = -1.0
    model.meta.wcsinfo.cdelt1 = 8.6e-6
    for key in ("pc1_1", "cdelt1", "a_order"):
        if key in model.meta.wcsinfo.instance:
            del model.meta.wcsinfo.instance[key]
    model.meta.wcsinfo.instance.update({"crval1": 80.0, "latpole": -69.5, "wcsname": "world", "cd1_1": 1e-5})
    model.meta.cal_step.instance["assign_wcs"] = "COMPLETE"


def test_edits_through_instance_equal_the_references() -> None:
    mine, theirs = ImageModel((4, 4)), _reference().ImageModel((4, 4))
    for model in (mine, theirs):
        _edit(model)
    assert dict(mine.meta.wcsinfo.instance) == dict(theirs.meta.wcsinfo.instance)
    assert dict(mine.meta.cal_step.instance) == dict(theirs.meta.cal_step.instance)
    assert mine.meta.wcsinfo.pc1_1 is None and mine.meta.wcsinfo.crval1 == 80.0
    assert mine.meta.cal_step.assign_wcs == "COMPLETE"


def test_undeclared_keys_are_saved_as_the_reference_saves_them(tmp_path: Path) -> None:
    mine, theirs = ImageModel((4, 4)), _reference().ImageModel((4, 4))
    for model, name in ((mine, "mine"), (theirs, "theirs")):
        _edit(model)
        model.save(tmp_path / f"{name}.fits")
        model.save(tmp_path / f"{name}.asdf")
    ref = _reference()
    for suffix in (".fits", ".asdf"):
        with ref.open(tmp_path / f"mine{suffix}") as a, ref.open(tmp_path / f"theirs{suffix}") as b:
            assert dict(a.meta.wcsinfo.instance) == dict(b.meta.wcsinfo.instance), suffix
        with jwstmodels.open(tmp_path / f"theirs{suffix}") as reopened:
            assert reopened.meta.wcsinfo.instance["latpole"] == -69.5  # kept from the reference's file
            assert "pc1_1" not in reopened.meta.wcsinfo.instance


def test_declared_keys_are_validated_and_attributes_stay_strict() -> None:
    model = ImageModel((2, 2))
    with pytest.raises(ValidationError, match=r"meta\.wcsinfo\.crpix1"):
        model.meta.wcsinfo.instance["crpix1"] = "x"
    assert "crpix1" not in model.meta.wcsinfo.instance  # the refused value left the node unchanged
    model.meta.wcsinfo.instance["latpole"] = 1.0
    with pytest.raises(AttributeError, match="latpole"):
        _ = model.meta.wcsinfo.latpole  # type: ignore[attr-defined]


def test_nested_nodes_read_as_views_and_missing_keys_raise() -> None:
    model = ImageModel((2, 2))
    model.meta.exposure.nframes = 4
    meta = model.meta.instance
    assert "exposure" in meta and "instrument" not in meta  # an empty group is not held
    exposure = meta["exposure"]
    assert isinstance(exposure, Mapping) and dict(cast(Mapping[str, object], exposure)) == {"nframes": 4}
    with pytest.raises(KeyError):
        _ = model.meta.exposure.instance["ngroups"]
    with pytest.raises(KeyError):
        del model.meta.exposure.instance["ngroups"]


def test_copies_keep_their_own_undeclared_keys() -> None:
    model = ImageModel((2, 2))
    model.meta.wcsinfo.instance["latpole"] = 1.0
    copied = model.copy()
    copied.meta.wcsinfo.instance["latpole"] = 2.0
    assert model.meta.wcsinfo.instance["latpole"] == 1.0 and copied.meta.wcsinfo.instance["latpole"] == 2.0
    unpickled = pickle.loads(pickle.dumps(model))
    assert unpickled.meta.wcsinfo.instance["latpole"] == 1.0
    unpickled.meta.wcsinfo.instance["lonpole"] = 180.0  # bound to the new model, not to the original
    assert "lonpole" not in model.meta.wcsinfo.instance


def test_a_node_outside_a_model_refuses_undeclared_keys() -> None:
    node = jwstmodels.ImageMeta()
    node.wcsinfo.instance["crpix1"] = 1.0
    assert node.wcsinfo.crpix1 == 1.0
    with pytest.raises(KeyError, match="latpole"):
        node.wcsinfo.instance["latpole"] = 1.0


def test_items_flatten_the_set_values_as_the_reference() -> None:
    """jwst's attrs_to_group_id reads ``dict(model.meta.observation.items())``."""
    mine, theirs = ImageModel(), _reference().ImageModel()
    for model in (mine, theirs):
        model.meta.exposure.nframes = 3
        model.meta.instrument.name = "NIRCAM"
        model.meta.observation.program_number = "01234"
        model.meta.wcsinfo.instance["latpole"] = 2.0
    construction = {"model_type", "date"}  # the reference sets these when a model is made; here on save
    assert dict(mine.meta.items()) == {k: v for k, v in theirs.meta.items() if k not in construction}
    assert (
        dict(mine.meta.observation.items())
        == dict(theirs.meta.observation.items())
        == {"program_number": "01234"}
    )
