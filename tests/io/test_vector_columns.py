"""Table columns whose cell length the data decides (``ndim`` without ``shape`` in the schema).

NIRSpec photometric reference files carry ``wavelength``/``relresponse``/``reluncertainty`` vectors whose
length differs from file to file; an IFU cube's ``wavetable`` holds 2-D cells. The table given or read
decides the length (one length for every row, as FITS vector columns have), and FITS and ASDF keep it.
"""

from __future__ import annotations

from pathlib import Path

import asdf
import numpy as np
import pytest
from astropy.io import fits
from numpy.typing import NDArray

from jwstmodels import Column, IFUCubeModel, NrsFsPhotomModel, TableField, ValidationError

VECTORS = ("wavelength", "relresponse", "reluncertainty")


def _photom(length: int) -> NrsFsPhotomModel:
    field = NrsFsPhotomModel.phot_table
    table = np.zeros(2, dtype=field.dtype_for({name: (length,) for name in VECTORS}))
    table["filter"] = [b"F070LP", b"F100LP"]
    table["slit"] = [b"S200A1", b"S1600A1"]
    table["nelem"] = length
    table["wavelength"] = np.linspace(0.6, 5.3, 2 * length).reshape(2, length)
    table["relresponse"] = 1.0
    model = NrsFsPhotomModel()
    for name, value in {
        "reftype": "PHOTOM",
        "author": "test",
        "pedigree": "GROUND",
        "useafter": "2022-01-01T00:00:00",
        "description": "vector columns",
        "telescope": "JWST",
    }.items():
        setattr(model.meta, name, value)
    model.meta.instrument.name = "NIRSPEC"
    model.phot_table = table
    return model


def test_columns_are_declared_with_data_sized_cells() -> None:
    field = NrsFsPhotomModel.phot_table
    assert isinstance(field, TableField)
    columns = {c.name: c for c in field.columns}
    assert columns["wavelength"] == Column("wavelength", "float32", shape=(None,))
    assert columns["wavelength"].sized_by_data and not columns["nelem"].sized_by_data
    assert "wavelength float32[*]" in field.describe()
    assert IFUCubeModel.wavetable.columns[0].shape == (None, None)


@pytest.mark.parametrize("length", [7, 11])
def test_fits_round_trip_keeps_the_length_of_the_data(tmp_path: Path, length: int) -> None:
    path = _photom(length).save(tmp_path / "photom.fits")
    with fits.open(path) as hdul:
        header = hdul["PHOTOM"].header
        forms = {header[f"TTYPE{i}"]: header[f"TFORM{i}"] for i in range(1, header["TFIELDS"] + 1)}
        assert [forms[name] for name in VECTORS] == [f"{length}E"] * 3
    with NrsFsPhotomModel(path) as again:
        table: NDArray[np.void] = again.phot_table
        assert table["wavelength"].shape == (2, length)
        expected = np.linspace(0.6, 5.3, 2 * length, dtype=np.float32).reshape(2, length)
        np.testing.assert_array_equal(table["wavelength"], expected)
        assert list(table["nelem"]) == [length, length] and table.dtype["relresponse"].shape == (length,)


def test_asdf_round_trip_keeps_the_length_of_the_data(tmp_path: Path) -> None:
    path = _photom(5).save(tmp_path / "photom.asdf")
    with asdf.open(path) as af:
        assert af.tree["phot_table"].dtype["reluncertainty"].shape == (5,)
    with NrsFsPhotomModel(path) as again:
        assert again.phot_table["wavelength"].shape == (2, 5)
        assert again.phot_table["slit"].tolist() == ["S200A1", "S1600A1"]  # str cells


def test_two_dimensional_cells_of_an_ifu_wavetable(tmp_path: Path) -> None:
    cube = IFUCubeModel((4, 2, 3))
    field = IFUCubeModel.wavetable
    wavetable = np.zeros(1, dtype=field.dtype_for({"wavelength": (4, 1)}))
    wavetable["wavelength"][0, :, 0] = [5.0, 5.1, 5.3, 5.6]
    cube.wavetable = wavetable
    cube.wavedim = "(1,4)"
    for suffix in (".fits", ".asdf"):
        path = cube.save(tmp_path / f"cube{suffix}")
        with IFUCubeModel(path) as again:
            assert again.wavetable["wavelength"].shape == (1, 4, 1)
            np.testing.assert_array_equal(again.wavetable["wavelength"], wavetable["wavelength"])
            assert again.wavedim == "(1,4)"


def test_cells_of_the_wrong_dimensionality_are_refused() -> None:
    model = _photom(3)
    before = model.phot_table
    flat = np.zeros(2, dtype=[(name, "f4") for name in NrsFsPhotomModel.phot_table.dtype.names or ()])
    with pytest.raises(ValidationError, match=r"phot_table .*column 'wavelength' with scalar cells"):
        model.phot_table = flat
    cube = IFUCubeModel()
    with pytest.raises(ValidationError, match=r"wavetable .*column 'wavelength' with 1-D cells \[4\]"):
        cube.wavetable = np.zeros(1, dtype=[("wavelength", "f4", (4,))])
    assert model.phot_table is before


def test_a_table_of_empty_rows_is_refused_before_writing(tmp_path: Path) -> None:
    cube = IFUCubeModel((2, 3, 4))
    cube.wavetable = np.zeros(1, dtype=IFUCubeModel.wavetable.dtype)  # cells of length 0
    with pytest.raises(ValidationError, match=r"HDU WCS-TABLE: IFUCubeModel: wavetable"):
        cube.save(tmp_path / "cube.fits")
    assert not (tmp_path / "cube.fits").exists()
