"""Models pickle: unread arrays travel as references to their file, everything else by value (issue 17)."""

from __future__ import annotations

import io
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import jwstmodels
from jwstmodels import DataModel, FileChangedError, MetaNode
from tests.support.sample_files import (
    assert_same,
    far_side,
    image_model,
    summary,
    unread,
    write_image,
    write_multislit,
    write_reference_image,
    write_spec,
)

WRITERS: dict[str, Callable[[Path, str], Path]] = {
    "image": write_image,
    "multislit": write_multislit,
    "reference-image": write_reference_image,
    "spec-table": write_spec,
}


@pytest.fixture(scope="module")
def spawned() -> Iterator[ProcessPoolExecutor]:
    """One spawned process (a fresh interpreter, nothing inherited) for the whole module."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
@pytest.mark.parametrize("kind", list(WRITERS))
def test_opened_model_round_trips_through_a_spawned_process(
    kind: str, suffix: str, tmp_path: Path, spawned: ProcessPoolExecutor
) -> None:
    path = WRITERS[kind](tmp_path, suffix)
    with jwstmodels.open(path) as expected_model:
        expected = summary(expected_model)
    with jwstmodels.open(path) as model:
        if kind in ("image", "multislit"):
            first = model.__jwst_state__.lists["slits"][0] if kind == "multislit" else model
            np.asarray(first.data)  # one array read before pickling: travels by value
        not_read = unread(model)
        blob = pickle.dumps(model)
    assert not_read  # the rest travel as references and are read over there
    before, theirs, again = spawned.submit(far_side, blob).result(timeout=120)
    assert before == not_read
    assert_same(expected, theirs)
    back = pickle.loads(again)  # and back, every array by value now
    assert unread(back) == []
    assert_same(expected, summary(back))


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
def test_unread_2048_square_model_pickles_small(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"big{suffix}"
    model = image_model(shape=(2048, 2048))
    model.save(path)
    with jwstmodels.open(path) as opened:
        blob = pickle.dumps(opened)
        assert len(blob) < 64 * 1024, len(blob)
        np.asarray(opened.data)
        assert len(pickle.dumps(opened)) > 2048 * 2048 * 4  # once read, the data travel by value
    copy = pickle.loads(blob)
    np.testing.assert_array_equal(copy.data, model.data)


def test_in_memory_model_pickles_by_value(tmp_path: Path) -> None:
    model = image_model()
    copy: jwstmodels.ImageModel = pickle.loads(pickle.dumps(model))
    assert unread(copy) == []
    assert_same(summary(model), summary(copy))
    copy.meta.exposure.nframes = 99  # independent, and still validated, naming the model
    assert model.meta.exposure.nframes == 4
    with pytest.raises(jwstmodels.ValidationError, match=r"ImageModel: meta\.exposure\.nframes"):
        copy["meta.exposure.nframes"] = "four"


def test_changed_array_travels_by_value(tmp_path: Path) -> None:
    path = write_image(tmp_path, ".fits")
    with jwstmodels.open(path) as model:
        assert isinstance(model, jwstmodels.ImageModel)
        model.err[0, 0] = 123.0
        model.meta.exposure.nframes = 77
        copy = pickle.loads(pickle.dumps(model))
    assert copy.err[0, 0] == 123.0
    assert copy.meta.exposure.nframes == 77
    assert "data" in unread(copy)


def test_file_changed_before_the_far_side_reads(tmp_path: Path) -> None:
    path = write_image(tmp_path, ".asdf")
    with jwstmodels.open(path) as model:
        blob = pickle.dumps(model)
    image_model(salt=5).save(path)  # replaced by another file
    copy: DataModel[MetaNode] = pickle.loads(blob)
    assert copy["meta.exposure.nframes"] == 4
    with pytest.raises(FileChangedError, match=r"ImageModel\.data: .*ASDF node data.* has changed"):
        copy["data"]


def test_model_read_from_a_file_object_travels_by_value(tmp_path: Path) -> None:
    path = write_image(tmp_path, ".fits")
    content = path.read_bytes()
    os.remove(path)
    with jwstmodels.ImageModel(io.BytesIO(content)) as model:
        blob = pickle.dumps(model)
        expected = summary(model)
    copy = pickle.loads(blob)
    assert unread(copy) == []
    assert_same({**expected, "filename": None}, {**summary(copy), "filename": None})


def test_model_with_schema_extended_at_run_time_refuses_to_pickle() -> None:
    model = jwstmodels.ImageModel((2, 2))
    model.add_schema_entry("meta.exposure.my_key", {"type": "integer", "fits_keyword": "MYKEY"})
    with pytest.raises(TypeError, match="extended at run time"):
        pickle.dumps(model)


def test_container_of_opened_models_pickles(tmp_path: Path) -> None:
    paths = [write_image(tmp_path, ".fits", salt=i, name=f"m{i}") for i in range(3)]
    container = jwstmodels.ModelContainer(paths)
    first = container[0]
    blob = pickle.dumps(container)
    container.close()
    copy: jwstmodels.ModelContainer = pickle.loads(blob)
    assert len(copy) == 3
    assert "data" in unread(copy[0])
    np.testing.assert_array_equal(copy[0]["data"], np.asarray(first["data"]))
    with copy:
        assert [m["meta.exposure.nframes"] for m in copy] == [4, 5, 6]


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
def test_reference_file_dq_in_its_own_bits_pickles_unread(suffix: str, tmp_path: Path) -> None:
    """dq of a file with a dq_def table is translated to standard bits when read; pickled unread, the far side
    reads and translates it the same way."""
    from tests.support.dq_bits import dq_definitions, standard_dq

    flat = jwstmodels.FlatModel((6, 7))
    meta = flat.meta
    meta.reftype, meta.author, meta.pedigree = "FLAT", "jwstmodels tests", "GROUND"
    meta.useafter, meta.description, meta.telescope = "2022-01-01T00:00:00", "pickling test", "JWST"
    meta.instrument.name = "NIRCAM"
    flat.dq_def = dq_definitions(jwstmodels.FlatModel.dq_def.dtype)
    flat.dq = standard_dq(np.random.default_rng(3), (6, 7), jwstmodels.FlatModel.dq.dtype)
    path = flat.save(tmp_path / f"flat{suffix}")
    with jwstmodels.open(path) as model:
        assert "dq" in unread(model)
        copy = pickle.loads(pickle.dumps(model))
        np.testing.assert_array_equal(model["dq"], flat.dq)
    assert "dq" in unread(copy)
    np.testing.assert_array_equal(copy["dq"], flat.dq)


def test_absent_arrays_are_not_sent(tmp_path: Path) -> None:
    model = jwstmodels.ImageModel((512, 512))
    model.data[0, 0] = 1.0
    assert model.err is None and model.dq is None  # absent: never made
    model.area = np.zeros((512, 512), dtype=np.float32)
    model.area[1, 1] = 2.0
    blob = pickle.dumps(model)
    assert 512 * 512 * 4 * 2 < len(blob) < 512 * 512 * 4 * 2 + 64 * 1024  # data and area only
    copy = pickle.loads(blob)
    assert copy.array_names() == ["data", "area"]
    assert copy.err is None
    assert copy.area is not None and copy.area[1, 1] == 2.0 and copy.data[0, 0] == 1.0


def test_model_from_an_in_memory_hdulist_travels_by_value() -> None:
    from astropy.io import fits

    data = np.arange(12, dtype=np.float32).reshape(3, 4)
    hdul = fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(data, name="SCI")])
    model = jwstmodels.ImageModel(hdul)
    assert unread(model) == ["data"]
    copy = pickle.loads(pickle.dumps(model))
    assert unread(copy) == []
    np.testing.assert_array_equal(copy.data, data)
