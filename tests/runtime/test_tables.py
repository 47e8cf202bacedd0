"""Tables as the JWST pipeline uses them (the reference hands out astropy FITS_rec objects): a column by name
in any case (``field``, ``table[name]``), ``columns[name].unit`` read and set, str cells for text columns; for
tables read from FITS, from ASDF, and built here, and through save and reopen (dtypes and units)."""

from __future__ import annotations

import pickle
import warnings
from collections.abc import Iterator
from pathlib import Path

import asdf
import numpy as np
import pytest
from astropy.io import fits

import jwstmodels
from jwstmodels import RampModel, SpecModel, Table, ValidationError

st = pytest.importorskip("stdatamodels.jwst.datamodels", reason="stdatamodels is a test dependency")


def spectrum() -> SpecModel:
    model = SpecModel()
    rows = np.zeros(3, dtype=SpecModel.spec_table.dtype)
    rows["WAVELENGTH"] = [1.0, 2.0, 3.0]
    rows["FLUX"] = [10.0, 20.0, 30.0]
    model.spec_table = rows
    return model


def ramp_with_text() -> RampModel:
    ramp = RampModel((1, 2, 3, 4))
    group = np.zeros(2, dtype=RampModel.group.dtype)
    group["group_end_time"] = [b"2024-01-01T00:00:00.000", b"2024-01-01T00:00:01.000"]
    ramp.group = group
    return ramp


@pytest.fixture
def quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the reference warns about values its schemas do not like
        yield


def test_a_table_built_here_is_a_table() -> None:
    table = spectrum().spec_table
    assert isinstance(table, Table) and isinstance(table, np.ndarray)
    np.testing.assert_array_equal(table.field("wavelength"), [1.0, 2.0, 3.0])  # any case, as FITS_rec
    np.testing.assert_array_equal(table.field(1), [10.0, 20.0, 30.0])  # or by position
    np.testing.assert_array_equal(table["flux"], table["FLUX"])
    assert table.names[:3] == ["WAVELENGTH", "FLUX", "FLUX_ERROR"]
    assert table.columns.names == table.names and len(table.columns) == len(table.names)
    assert "wavelength" in table.columns and "nope" not in table.columns
    with pytest.raises(KeyError, match="the table has no column 'nope'"):
        table.field("nope")


def test_columns_are_views_and_rows_keep_units() -> None:
    model = spectrum()
    table = model.spec_table
    assert table is not None
    table.field("flux")[0] = 99.0  # writes go to the model's table
    table["wavelength"][1] = 7.0
    assert model.spec_table is not None and list(model.spec_table["FLUX"][:1]) == [99.0]
    assert float(model.spec_table["WAVELENGTH"][1]) == 7.0
    table.columns["flux"].unit = "Jy"
    part = table[:2]
    assert isinstance(part, Table) and part.columns["FLUX"].unit == "Jy"
    copied = pickle.loads(pickle.dumps(table))
    assert isinstance(copied, Table) and copied.columns["flux"].unit == "Jy"
    np.testing.assert_array_equal(copied, table)


def test_text_cells_are_str_and_files_keep_ascii(tmp_path: Path) -> None:
    ramp = ramp_with_text()
    group = ramp.group
    assert group is not None
    cell = group["group_end_time"][0]
    assert isinstance(cell, str) and cell == "2024-01-01T00:00:00.000"
    assert (
        group.dtype["group_end_time"] == np.dtype("U26") and RampModel.group.dtype["group_end_time"] == "S26"
    )
    group["group_end_time"][1] = "later"  # str in, as the pipeline writes them
    for suffix in ("fits", "asdf"):
        path = ramp.save(tmp_path / f"r_uncal.{suffix}")
        if suffix == "fits":
            with fits.open(path) as hdul:
                assert hdul["GROUP"].columns["group_end_time"].format == "26A"
        else:
            with asdf.open(path) as af:
                assert af.tree["group"].dtype["group_end_time"] == np.dtype("S26")
        with RampModel(path) as back:
            assert back.group is not None
            assert back.group["group_end_time"].tolist() == ["2024-01-01T00:00:00.000", "later"]
            assert back.group.dtype == group.dtype


def test_non_ascii_text_is_refused() -> None:
    ramp = ramp_with_text()
    assert ramp.group is not None
    ramp.group["group_end_time"][0] = "été"
    with pytest.raises(ValidationError, match="column 'group_end_time' with non-ascii text"):
        ramp.validate()


def test_units_come_from_the_schema_and_a_set_unit_is_saved(tmp_path: Path, quiet: None) -> None:
    ramp = RampModel((1, 2, 3, 4))
    rows = np.zeros(1, dtype=RampModel.msa_targ_acq_table.dtype)
    ramp.msa_targ_acq_table = rows
    table = ramp.msa_targ_acq_table
    assert table is not None
    assert table.columns["reference_star_ra"].unit == "deg"  # the schema's
    assert table.columns["reference_star_mag"].unit == "mag"
    spec = spectrum()
    assert spec.spec_table is not None and spec.spec_table.columns["wavelength"].unit is None  # none given
    spec.spec_table.columns["wavelength"].unit = "um"  # as extract_1d sets them
    spec.spec_table.columns["flux"].unit = "Jy"
    path = spec.save(tmp_path / "s_x1d.fits")
    with fits.open(path) as hdul:
        assert hdul["EXTRACT1D"].columns["WAVELENGTH"].unit == "um"
        assert hdul["EXTRACT1D"].columns["FLUX"].unit == "Jy"
    with SpecModel(path) as back:
        assert back.spec_table is not None
        assert back.spec_table.columns["wavelength"].unit == "um"
        assert back.spec_table.columns.units[:2] == ["um", "Jy"]
        assert back.spec_table.dtype == SpecModel.spec_table.dtype  # no text columns: the file dtype
    with st.SpecModel(str(path)) as theirs:  # the reference reads the units we wrote
        assert theirs.spec_table.columns["WAVELENGTH"].unit == "um"


def test_a_reference_file_reads_as_the_reference_reads_it(tmp_path: Path, quiet: None) -> None:
    """A table written by the reference, with units the pipeline set: the same columns, units and cells."""
    ref = st.SpecModel()
    rows = np.zeros(4, dtype=ref.get_dtype("spec_table"))
    rows["WAVELENGTH"] = np.linspace(1.0, 2.0, 4)
    ref.spec_table = rows
    ref.spec_table.columns["WAVELENGTH"].unit = "um"
    ref.spec_table.columns["FLUX"].unit = "Jy"
    path = tmp_path / "ref_x1d.fits"
    ref.save(path)
    with st.SpecModel(str(path)) as theirs, jwstmodels.open(path) as ours:
        assert isinstance(ours, SpecModel) and ours.spec_table is not None
        mine = ours.spec_table
        for name in ("wavelength", "FLUX", "flux_error"):
            assert mine.columns[name].unit == theirs.spec_table.columns[name].unit
            np.testing.assert_array_equal(mine.field(name), theirs.spec_table.field(name))
        assert mine.columns["wavelength"].unit == "um"


def test_reference_text_columns_are_str_in_both(tmp_path: Path, quiet: None) -> None:
    path = ramp_with_text().save(tmp_path / "r_uncal.fits")
    with st.RampModel(str(path)) as theirs, RampModel(path) as ours:
        assert ours.group is not None
        expected = theirs.group.field("group_end_time")
        assert isinstance(expected[0], str)  # the reference's cells are str too
        assert ours.group.field("GROUP_END_TIME").tolist() == list(expected)


def test_a_table_from_asdf_takes_the_schemas_units(tmp_path: Path) -> None:
    ramp = RampModel((1, 2, 3, 4))
    ramp.msa_targ_acq_table = np.ones(2, dtype=RampModel.msa_targ_acq_table.dtype)
    path = ramp.save(tmp_path / "r.asdf")
    with RampModel(path) as back:
        table = back.msa_targ_acq_table
        assert isinstance(table, Table) and table.columns["planned_v2"].unit == "arcsec"
        assert table.field("PLANNED_V2").tolist() == [1.0, 1.0]


def test_copies_and_pickles_of_a_model_keep_its_tables(tmp_path: Path) -> None:
    spec = spectrum()
    assert spec.spec_table is not None
    spec.spec_table.columns["flux"].unit = "Jy"
    path = spec.save(tmp_path / "s_x1d.fits")
    with SpecModel(path) as opened:
        for twin in (spec.copy(), pickle.loads(pickle.dumps(spec)), pickle.loads(pickle.dumps(opened))):
            table = twin.spec_table
            assert isinstance(table, Table), type(table)
            assert table.columns["FLUX"].unit == "Jy"
            np.testing.assert_array_equal(table.field("wavelength"), [1.0, 2.0, 3.0])
    copied = spec.copy()
    assert copied.spec_table is not None
    copied.spec_table["flux"][0] = -1.0
    assert float(spec.spec_table["FLUX"][0]) == 10.0  # independent
