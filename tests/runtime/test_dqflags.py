"""Data-quality flags: JWST names and bits, name <-> mask conversions, and masks from a dq_def table."""

from __future__ import annotations

import numpy as np
import pytest

from jwstmodels import DataModel, Meta, dqflags
from jwstmodels._core.arrays import ArrayField, Column, TableField


def test_pixel_flag_bits_are_the_jwst_values() -> None:
    expected = {
        "GOOD": 0,
        "DO_NOT_USE": 1,
        "SATURATED": 2,
        "JUMP_DET": 4,
        "DROPOUT": 8,
        "OUTLIER": 16,
        "PERSISTENCE": 32,
        "AD_FLOOR": 64,
        "CHARGELOSS": 128,
        "RESERVED": 256,
        "NON_SCIENCE": 512,
        "DEAD": 1024,
        "HOT": 2048,
        "WARM": 4096,
        "LOW_QE": 8192,
        "RC": 2**14,
        "TELEGRAPH": 2**15,
        "NONLINEAR": 2**16,
        "BAD_REF_PIXEL": 2**17,
        "NO_FLAT_FIELD": 2**18,
        "NO_GAIN_VALUE": 2**19,
        "NO_LIN_CORR": 2**20,
        "NO_SAT_CHECK": 2**21,
        "UNRELIABLE_BIAS": 2**22,
        "UNRELIABLE_DARK": 2**23,
        "UNRELIABLE_SLOPE": 2**24,
        "UNRELIABLE_FLAT": 2**25,
        "OPEN": 2**26,
        "ADJ_OPEN": 2**27,
        "FLUX_ESTIMATED": 2**28,
        "MSA_FAILED_OPEN": 2**29,
        "OTHER_BAD_PIXEL": 2**30,
        "REFERENCE_PIXEL": 2**31,
    }
    assert dict(dqflags.PIXEL) == expected
    assert dqflags.pixel is dqflags.PIXEL


def test_group_flags_are_the_pixel_bits_of_the_same_names() -> None:
    assert list(dqflags.GROUP) == [
        "GOOD",
        "DO_NOT_USE",
        "SATURATED",
        "JUMP_DET",
        "DROPOUT",
        "PERSISTENCE",
        "AD_FLOOR",
        "CHARGELOSS",
    ]
    assert all(dqflags.GROUP[name] == dqflags.PIXEL[name] for name in dqflags.GROUP)
    assert dqflags.group is dqflags.GROUP


def test_the_tables_cannot_be_changed() -> None:
    with pytest.raises(TypeError):
        dqflags.PIXEL["DO_NOT_USE"] = 3  # a read-only mapping: a type error too


def test_agrees_with_the_reference_implementation() -> None:
    reference = pytest.importorskip("stdatamodels.jwst.datamodels.dqflags")
    assert dict(dqflags.PIXEL) == reference.pixel
    assert dict(dqflags.GROUP) == reference.group


def test_names_to_mask() -> None:
    assert dqflags.flags_to_mask("DO_NOT_USE") == 1
    assert dqflags.flags_to_mask(["do_not_use", "SATURATED"]) == 3
    assert dqflags.flags_to_mask("DO_NOT_USE+JUMP_DET, DEAD") == 1 | 4 | 1024
    assert dqflags.flags_to_mask(12) == 12
    assert dqflags.flags_to_mask([]) == 0
    assert dqflags.flags_to_mask("JUMP_DET", dqflags.GROUP) == 4
    with pytest.raises(
        KeyError, match=r"'SATURATD' is not a data-quality flag name; did you mean 'SATURATED'"
    ):
        dqflags.flags_to_mask("SATURATD")
    with pytest.raises(KeyError, match="'HOT' is not a data-quality flag name"):
        dqflags.flags_to_mask("HOT", dqflags.GROUP)


def test_mask_to_names() -> None:
    assert dqflags.mask_to_names(0) == []
    assert dqflags.mask_to_names(6) == ["SATURATED", "JUMP_DET"]
    assert dqflags.mask_to_names(np.uint32(2**31 + 1)) == ["DO_NOT_USE", "REFERENCE_PIXEL"]
    assert dqflags.mask_to_names(1024 + 4, dqflags.GROUP) == ["JUMP_DET"], "bits without a name are ignored"
    everything = dqflags.flags_to_mask(list(dqflags.PIXEL))
    assert everything == 2**32 - 1 and len(dqflags.mask_to_names(everything)) == 32
    with pytest.raises(ValueError, match="non-negative"):
        dqflags.mask_to_names(-1)


def test_flagged_marks_pixels_with_any_named_flag() -> None:
    dq = np.array([[0, 1, 2], [4, 5, 2**31]], dtype=np.uint32)
    np.testing.assert_array_equal(
        dqflags.flagged(dq, "DO_NOT_USE,REFERENCE_PIXEL"), [[False, True, False], [False, True, True]]
    )
    groupdq = np.array([0, 4, 6], dtype=np.uint8)
    np.testing.assert_array_equal(dqflags.flagged(groupdq, "JUMP_DET"), [False, True, True])


class MaskWithDefinitions(DataModel[Meta]):
    """A reference-file-like model with its own bit numbering in dq_def."""

    meta_class = Meta
    primary_array_name = "dq"
    dq = ArrayField(np.uint32, hdu="DQ", ndim=2, default=0)
    dq_def = TableField(
        hdu="DQ_DEF",
        columns=(
            Column("BIT", "int32"),
            Column("VALUE", "uint32"),
            Column("NAME", "S40"),
            Column("DESCRIPTION", "S80"),
        ),
    )


def definitions(*rows: tuple[int, str]) -> np.ndarray:
    table = np.zeros(len(rows), dtype=MaskWithDefinitions.dq_def.dtype)
    for index, (bit, name) in enumerate(rows):
        table[index] = (bit, 1 << bit, name.encode(), b"")
    return table


def test_dynamic_mask_translates_file_bits_to_standard_bits_and_back() -> None:
    m = MaskWithDefinitions()
    m.dq = np.array([[0, 1], [2, 3]], dtype=np.uint32)  # bit 0 = DEAD, bit 1 = HOT in this file
    m.dq_def = definitions((0, "DEAD"), (1, "HOT"))
    standard = dqflags.dynamic_mask(m)
    assert standard.dtype == np.uint32
    np.testing.assert_array_equal(standard, [[0, 1024], [2048, 1024 | 2048]])
    m.dq = standard
    np.testing.assert_array_equal(dqflags.dynamic_mask(m, inverse=True), [[0, 1], [2, 3]])


def test_dynamic_mask_warns_about_unknown_names_and_skips_them() -> None:
    m = MaskWithDefinitions()
    m.dq = np.array([[1, 2]], dtype=np.uint32)
    m.dq_def = definitions((0, "DO_NOT_USE"), (1, "SPARKLY"))
    with pytest.warns(dqflags.DQDefinitionWarning, match=r"'SPARKLY' \(bit value 2\)"):
        np.testing.assert_array_equal(dqflags.dynamic_mask(m), [[1, 0]])


def test_dynamic_mask_without_definitions_copies_dq() -> None:
    m = MaskWithDefinitions((2, 2))
    m.dq[0, 0] = 9
    out = dqflags.dynamic_mask(m)
    np.testing.assert_array_equal(out, m.dq)
    out[0, 0] = 0
    assert m.dq[0, 0] == 9
