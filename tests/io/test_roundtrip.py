"""FITS and ASDF round trips of every model with every metadata field set, arrays and tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits

import jwstmodels
from jwstmodels import CubeModel, DataModel, ImageModel, MetaNode, QuadModel, RampModel
from tests.support.populate import get_path, populate, same_value

SHAPES: dict[type[DataModel[MetaNode]], tuple[int, ...]] = {
    ImageModel: (6, 7),
    CubeModel: (3, 6, 7),
    QuadModel: (2, 3, 6, 7),
    RampModel: (2, 3, 6, 7),
}


def filled(cls: type[DataModel[MetaNode]]) -> tuple[DataModel[MetaNode], dict[str, object]]:
    model = cls(SHAPES[cls])
    values = populate(model.meta)
    rng = np.random.default_rng(42)
    for name, field in type(model).__jwst_layout__.fields.items():
        if isinstance(field, jwstmodels.ArrayField):
            array = model.get_default(name)  # every array, sized after the primary one
            assert isinstance(array, np.ndarray)
            setattr(model, name, rng.integers(0, 200, size=array.shape).astype(array.dtype))
    if isinstance(model, RampModel):
        table = np.zeros(3, dtype=RampModel.group.dtype)
        table["integration_number"] = [1, 1, 2]
        table["group_end_time"] = [b"2024-01-01T00:00:00.000", b"2024-01-01T00:00:01.000", b"x"]
        table["bary_end_time"] = [1.5, 2.5, 3.5]
        model.group = table
    return model, values


def assert_same(a: DataModel[MetaNode], b: DataModel[MetaNode], values: dict[str, object]) -> None:
    for path, value in values.items():
        if path in ("meta.date", "meta.filename", "meta.model_type"):
            continue  # stamped by on_save
        assert same_value(get_path(b, path), value), path
    assert b.meta.model_type == type(a).__name__
    assert sorted(a.array_names()) == sorted(b.array_names())
    for name in a.array_names():
        left, right = np.asarray(getattr(a, name)), np.asarray(getattr(b, name))
        assert left.shape == right.shape, name
        assert left.dtype.newbyteorder("=") == right.dtype.newbyteorder("="), name
        if left.dtype.names:
            for column in left.dtype.names:
                np.testing.assert_array_equal(left[column], right[column], err_msg=f"{name}.{column}")
        else:
            np.testing.assert_array_equal(left, right, err_msg=name)


@pytest.mark.parametrize("cls", list(SHAPES), ids=lambda c: c.__name__)
@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
def test_round_trip(cls: type[DataModel[MetaNode]], suffix: str, tmp_path: Path) -> None:
    model, values = filled(cls)
    path = model.save(tmp_path / f"model{suffix}")
    assert model.meta.filename == f"model{suffix}"
    with jwstmodels.open(path) as back:
        assert type(back) is cls
        assert_same(model, back, values)
    with cls(path) as direct:
        assert_same(model, direct, values)


def test_fits_layout_follows_jwst_conventions(tmp_path: Path) -> None:
    model, _ = filled(RampModel)
    path = model.save(tmp_path / "ramp.fits")
    with fits.open(path) as hdul:
        names = [hdu.name for hdu in hdul]
        assert names[0] == "PRIMARY"
        assert {"SCI", "PIXELDQ", "GROUPDQ", "GROUP"} <= set(names)
        primary = hdul[0].header
        assert primary["DATAMODL"] == "RampModel"
        assert primary["NFRAMES"] == model.meta.exposure.nframes
        assert primary["SUBSTRT1"] == model.meta.subarray.xstart
        assert hdul["SCI"].data.dtype.name in ("float32", ">f4") and hdul["SCI"].data.ndim == 4
        assert hdul["PIXELDQ"].data.dtype.kind == "u"
        assert isinstance(hdul["GROUP"], fits.BinTableHDU)


def test_absent_arrays_are_not_written(tmp_path: Path) -> None:
    m = ImageModel((3, 3))
    assert m.err is None  # reading an absent array makes nothing
    m.dq = np.zeros((3, 3), dtype=np.uint32)
    m.dq[0, 0] = 4  # set, then changed in place
    path = m.save(tmp_path / "i.fits")
    with fits.open(path) as hdul:
        names = {hdu.name for hdu in hdul}
    assert "ERR" not in names and "DQ" in names and "SCI" in names


def test_unknown_keywords_are_kept_through_a_round_trip(tmp_path: Path) -> None:
    m = ImageModel((2, 2))
    m.extra_fits["PRIMARY"] = [("MYKEY", 42, "a user keyword")]
    first = m.save(tmp_path / "a.fits")
    with fits.open(first, mode="update") as hdul:
        hdul["SCI"].header["SCIKEY"] = ("hello", "on the science header")
    with jwstmodels.open(first) as back:
        assert ("MYKEY", 42, "a user keyword") in back.extra_fits["PRIMARY"]
        assert ("SCIKEY", "hello", "on the science header") in back.extra_fits["SCI"]
        second = back.save(tmp_path / "b.fits")
    with fits.open(second) as hdul:
        assert hdul[0].header["MYKEY"] == 42
        assert hdul["SCI"].header["SCIKEY"] == "hello"


def test_saving_over_the_file_the_model_was_opened_from(tmp_path: Path) -> None:
    path = ImageModel(np.arange(6, dtype=np.float32).reshape(2, 3)).save(tmp_path / "same.fits")
    with jwstmodels.open(path) as m:
        assert isinstance(m, ImageModel)
        m.data[0, 0] = 100  # memory-mapped read-only file: astropy gives a copy-on-write array
        m.meta.exposure.nframes = 5
        m.save(path)
    with jwstmodels.open(path) as again:
        assert isinstance(again, ImageModel)
        assert again.data[0, 0] == 100 and again.data[1, 2] == 5
        assert again.meta.exposure.nframes == 5


def test_open_reads_headers_and_defers_array_data(tmp_path: Path) -> None:
    path = RampModel((2, 3, 4, 5)).save(tmp_path / "r.fits")
    with jwstmodels.open(path) as m:
        assert m.__jwst_state__.store.loaders  # arrays not read yet
        assert m.shape == (2, 3, 4, 5)
        assert "data" in m.__jwst_state__.store.loaders
        assert isinstance(m, RampModel)
        assert m.data.shape == (2, 3, 4, 5)
        assert "data" not in m.__jwst_state__.store.loaders
