"""``models.yaml``'s ``on_save``: a runtime function the generated class runs before it is saved or
validated. AmiOIModel's copies the OIFITS keywords (``jwstmodels._model.oifits``), as the reference's class
does: the file we write carries the same OIFITS keywords as the reference's own save of the same model."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from astropy.io import fits

import jwstmodels
from codegen.build import build_plan
from codegen.errors import SchemaError
from jwstmodels import AmiOIModel, TableField
from tests.interop.test_catalog_interop import sample_table

OIFITS_KEYWORDS = ("OBSERVER", "OBJECT", "CONTENT", "ARRNAME", "INSNAME", "DATE-OBS", "OI_REVN", "FRAME")
OIFITS_KEYWORDS += ("ARRAYX", "ARRAYY", "ARRAYZ")


def _fill(model: Any, tables: dict[str, np.ndarray[Any, Any]]) -> None:
    model.meta.origin = "STScI"
    model.meta.telescope = "JWST"
    model.meta.program.pi_name = "Ada Lovelace"
    model.meta.target.proposer_name = "Vega"
    model.meta.target.catalog_name = "HD 172167"
    model.meta.instrument.name = "NIRISS"
    model.meta.observation.date = "2024-01-02"
    model.meta.oifits.array_name = "JWST_NRM"
    model.meta.oifits.instrument_mode = "NRM"
    model.meta.oifits.derived.array.x = 1.5  # set: kept (only missing array values are filled)
    for name, table in tables.items():
        setattr(model, name, table.copy())


def _oifits_cards(path: Path) -> dict[str, dict[str, object]]:
    with fits.open(path) as hdul:
        return {
            hdu.name: {k: v for k, v in hdu.header.items() if k in OIFITS_KEYWORDS}
            for hdu in hdul
            if hdu.name == "PRIMARY" or hdu.name.startswith("OI_")
        }


def test_the_saved_file_carries_the_oifits_keywords_the_reference_writes(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from stdatamodels.jwst import datamodels as reference

    rng = np.random.default_rng(3)
    fields: dict[str, TableField] = {
        n: f for n, f in AmiOIModel.__jwst_layout__.fields.items() if isinstance(f, TableField)
    }
    tables = {name: sample_table(field, rng) for name, field in fields.items()}
    ours = AmiOIModel()
    _fill(ours, tables)
    assert ours.meta.oifits.derived.content is None  # nothing is copied before saving
    ours.save(tmp_path / "ours.fits")
    theirs = reference.AmiOIModel()
    _fill(theirs, tables)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs.save(tmp_path / "theirs.fits")
    expected = _oifits_cards(tmp_path / "theirs.fits")
    assert expected["PRIMARY"]["CONTENT"] == "OIFITS2" and expected["OI_T3"]["ARRNAME"] == "JWST_NRM"
    got = _oifits_cards(tmp_path / "ours.fits")
    assert {n: c for n, c in got.items() if n in expected} == expected
    assert got["OI_ARRAY"]["ARRAYX"] == 1.5 and got["OI_ARRAY"]["ARRAYY"] == 0.0
    # the model in memory holds them too, and so does one validated without saving (as the reference's)
    assert ours.meta.oifits.derived.observer == "Ada Lovelace"
    other = AmiOIModel()
    _fill(other, tables)
    other.validate()
    assert other.meta.oifits.derived.t3.instrument_name == "NIRISS"
    with jwstmodels.open(tmp_path / "ours.fits") as read:
        meta: Any = read.meta
        assert type(read) is AmiOIModel and meta.oifits.derived.vis2.revn == 2


def test_a_hook_must_name_module_and_function(tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    folder.mkdir()
    (folder / "a.schema.yaml").write_text("type: object\nproperties:\n  x: {type: string}\n")
    (folder / "models.yaml").write_text("AModel: {schema: a.schema.yaml, on_save: not a function}\n")
    with pytest.raises(SchemaError, match=r"models\.yaml.*/AModel/on_save.*'module:function'"):
        build_plan(folder)
    (folder / "models.yaml").write_text("AModel: {schema: a.schema.yaml, on_save: [m.n:f]}\n")
    assert [m.save_hooks for m in build_plan(folder).models] == [("m.n:f",)]
