"""Reference files that number their own dq bits: standard bits in memory, the file's bits on disk."""

from __future__ import annotations

from pathlib import Path

import asdf
import numpy as np
import pytest
from astropy.io import fits

import jwstmodels
from jwstmodels import MaskModel, dqflags

# File bit 1 stands for DO_NOT_USE (standard 1), 2 for NON_SCIENCE (standard 512), 4 for DEAD (1024).
ROWS = [(0, 1, "DO_NOT_USE"), (1, 2, "NON_SCIENCE"), (2, 4, "DEAD")]
STANDARD = np.array([[0, 1, 512], [1024, 1025, 513]], dtype=np.uint32)
IN_FILE = np.array([[0, 1, 2], [4, 5, 3]], dtype=np.uint32)


def bookkeeping(model: MaskModel) -> MaskModel:
    """The keywords every reference file must carry."""
    meta = model.meta
    meta.reftype, meta.author, meta.pedigree = "MASK", "jwstmodels tests", "GROUND"
    meta.useafter, meta.description, meta.telescope = "2022-01-01T00:00:00", "dq bit test", "JWST"
    meta.instrument.name = "NIRCAM"
    return model


def mask_model(rows: list[tuple[int, int, str]] = ROWS) -> MaskModel:
    model = bookkeeping(MaskModel(STANDARD.copy()))
    table = np.zeros(len(rows), dtype=MaskModel.dq_def.dtype)
    table["BIT"] = [r[0] for r in rows]
    table["VALUE"] = [r[1] for r in rows]
    table["NAME"] = [r[2].encode() for r in rows]
    model.dq_def = table
    return model


def test_fits_file_holds_the_files_bits_and_reading_gives_standard_bits(tmp_path: Path) -> None:
    model = mask_model()
    path = model.save(tmp_path / "mask.fits")
    np.testing.assert_array_equal(model.dq, STANDARD)  # saving leaves the model's own array alone
    with fits.open(path) as hdul:
        np.testing.assert_array_equal(hdul["DQ"].data, IN_FILE)
    with jwstmodels.open(path) as again:
        np.testing.assert_array_equal(again.dq, STANDARD)
        assert dqflags.flagged(again.dq, "DEAD").tolist() == [[False, False, False], [True, True, False]]


def test_asdf_file_holds_the_files_bits_and_reading_gives_standard_bits(tmp_path: Path) -> None:
    path = mask_model().save(tmp_path / "mask.asdf")
    with asdf.open(path) as af:
        np.testing.assert_array_equal(np.asarray(af.tree["dq"]), IN_FILE)
    with MaskModel(path) as again:
        np.testing.assert_array_equal(again.dq, STANDARD)


def test_a_read_then_save_reproduces_the_files_bits(tmp_path: Path) -> None:
    first = mask_model().save(tmp_path / "first.fits")
    with MaskModel(first) as model:
        second = model.save(tmp_path / "second.fits")
    with fits.open(second) as hdul:
        np.testing.assert_array_equal(hdul["DQ"].data, IN_FILE)


def test_without_dq_def_the_bits_are_kept_as_they_are(tmp_path: Path) -> None:
    raw = np.array([[0, 3, 8], [16, 2**30, 7]], dtype=np.uint32)
    path = bookkeeping(MaskModel(raw)).save(tmp_path / "plain.fits")
    with MaskModel(path) as again:
        np.testing.assert_array_equal(again.dq, raw)


def test_an_identity_definition_changes_nothing(tmp_path: Path) -> None:
    rows = [(0, 1, "DO_NOT_USE"), (9, 512, "NON_SCIENCE"), (10, 1024, "DEAD")]
    path = mask_model(rows).save(tmp_path / "identity.fits")
    with fits.open(path) as hdul:
        np.testing.assert_array_equal(hdul["DQ"].data, STANDARD)


def test_a_definition_naming_an_unknown_flag_warns_on_save(tmp_path: Path) -> None:
    model = mask_model([(0, 1, "DO_NOT_USE"), (1, 2, "NOT_A_FLAG")])
    with pytest.warns(dqflags.DQDefinitionWarning, match="NOT_A_FLAG"):
        model.save(tmp_path / "unknown.fits")
