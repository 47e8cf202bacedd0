"""jwstmodels.scan and jwstmodels.map: serially and on a 2-worker LocalCluster on the loopback (issue 17)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster

import jwstmodels
from jwstmodels import DataModel, MapError, MetaNode
from jwstmodels._api.parallel import MissingExtraError
from tests.support.sample_files import image_model, write_image, write_multislit

FIELDS = [
    "meta.exposure.nframes",
    "instrument.name",
    "meta.exposure.exposure_time",
    "meta.exposure.zero_frame",
]
COUNT = 12


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        Client(cluster) as dask_client,
    ):
        yield dask_client


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """COUNT image files (FITS and ASDF by turns), a multi-model, and a file that is neither format."""
    folder = tmp_path_factory.mktemp("scan")
    paths = [
        write_image(folder, ".fits" if salt % 2 == 0 else ".asdf", salt=salt, name=f"image{salt}")
        for salt in range(COUNT)
    ]
    paths.append(write_multislit(folder, ".fits"))
    bad = folder / "bad.fits"
    bad.write_bytes(b"not a FITS file at all")
    paths.append(bad)
    return paths


def test_scan_serial_gives_typed_columns_and_reports_bad_files(files: list[Path]) -> None:
    table = jwstmodels.scan(files, FIELDS)
    assert list(table.columns) == ["path", "model_type", *FIELDS, "error"]
    assert [str(t) for t in table.dtypes] == [
        "string",
        "string",
        "Int64",
        "string",
        "Float64",
        "boolean",
        "string",
    ]
    assert len(table) == COUNT + 2
    images = table.iloc[:COUNT]
    assert images["path"].tolist() == [str(path) for path in files[:COUNT]]
    assert images["model_type"].tolist() == ["ImageModel"] * COUNT
    assert images["meta.exposure.nframes"].tolist() == [4 + salt for salt in range(COUNT)]
    assert images["meta.exposure.exposure_time"].tolist() == [10.5 * (salt + 1) for salt in range(COUNT)]
    assert images["meta.exposure.zero_frame"].tolist() == [salt % 2 == 0 for salt in range(COUNT)]
    assert images["instrument.name"].tolist() == ["NIRCAM"] * COUNT
    assert images["error"].isna().all()
    multi = table.iloc[COUNT]
    assert multi["model_type"] == "MultiSlitModel" and multi["meta.exposure.nframes"] == 2
    assert pd.isna(multi["meta.exposure.exposure_time"])  # not in that file: <NA>, not invented
    bad = table.iloc[COUNT + 1]
    assert pd.isna(bad["model_type"]) and pd.isna(bad["meta.exposure.nframes"])
    assert str(bad["error"]).startswith(f"FileFormatError: {files[-1]}: neither a FITS nor an ASDF file")


def test_scan_without_fields_has_every_value_set(files: list[Path]) -> None:
    table = jwstmodels.scan(files[:2])
    assert {"meta.exposure.nframes", "meta.instrument.name", "meta.observation.program_number"} <= set(
        table.columns
    )
    assert table["meta.exposure.nframes"].dtype == "Int64"
    assert table["meta.observation.program_number"].tolist() == ["01234", "01235"]


def test_scan_on_the_cluster_gives_the_serial_table(files: list[Path], client: Client) -> None:
    serial = jwstmodels.scan(files, FIELDS)
    parallel = jwstmodels.scan(files, FIELDS, client=client)
    pd.testing.assert_frame_equal(parallel, serial)
    pd.testing.assert_frame_equal(jwstmodels.scan(files, client=client), jwstmodels.scan(files))


def _summary(model: DataModel[MetaNode]) -> tuple[str, object, float, str]:
    return (
        type(model).__name__,
        model["meta.exposure.nframes"],
        float(np.sum(model["data"])),
        str(model.filename),
    )


def test_map_over_paths_serial_and_on_the_cluster(files: list[Path], client: Client) -> None:
    paths = files[:COUNT]
    expected = [
        ("ImageModel", 4 + salt, float(image_model(salt).data.sum()), str(paths[salt]))
        for salt in range(COUNT)
    ]
    assert jwstmodels.map(_summary, paths) == expected
    assert jwstmodels.map(_summary, paths, client=client) == expected


def test_map_over_an_association_and_a_container(files: list[Path], client: Client, tmp_path: Path) -> None:
    association = files[0].parent / "asn.json"
    members = [{"expname": path.name, "exptype": "science"} for path in files[:4]]
    association.write_text(json.dumps({"asn_id": "a1", "products": [{"name": "p", "members": members}]}))
    expected = [
        ("ImageModel", 4 + salt, float(image_model(salt).data.sum()), str(files[salt])) for salt in range(4)
    ]
    assert jwstmodels.map(_summary, association, client=client) == expected
    assert jwstmodels.map(_summary, association) == expected

    in_memory = image_model(salt=20)
    with jwstmodels.ModelContainer([files[0], in_memory, files[1]]) as container:
        container[2]  # opened (and kept) here: travels pickled, unread arrays by reference
        got = jwstmodels.map(_summary, container, client=client)
        assert got == jwstmodels.map(_summary, container)
    assert got[0] == expected[0] and got[2] == expected[1]
    assert got[1] == ("ImageModel", 24, float(in_memory.data.sum()), "None")


def _fails_on_multislit(model: DataModel[MetaNode]) -> object:
    if isinstance(model, jwstmodels.MultiSlitModel):
        raise ValueError("no slits wanted here")
    return model["meta.exposure.nframes"]


@pytest.mark.parametrize("where", ["serial", "cluster"])
def test_map_failure_names_the_member_and_the_error(files: list[Path], client: Client, where: str) -> None:
    paths = [files[0], files[COUNT], files[1]]
    with pytest.raises(MapError) as caught:
        jwstmodels.map(_fails_on_multislit, paths, client=client if where == "cluster" else None)
    error = caught.value
    assert error.index == 1 and error.member == str(files[COUNT])
    assert str(error) == f"jwstmodels.map: member 1 ({files[COUNT]}) failed: ValueError: no slits wanted here"
    assert isinstance(error.__cause__, ValueError)
    with pytest.raises(MapError, match=r"member 1 \(.*bad\.fits\) failed: FileFormatError: "):
        jwstmodels.map(
            _fails_on_multislit, [files[0], files[-1]], client=client if where == "cluster" else None
        )


def _save_into(folder: Path) -> Callable[[DataModel[MetaNode]], str]:
    def save(model: DataModel[MetaNode]) -> str:
        model["meta.exposure.nframes"] = 100
        return str(model.save(folder / Path(str(model.filename)).name))

    return save


def test_map_saves_each_member(files: list[Path], client: Client, tmp_path: Path) -> None:
    written = jwstmodels.map(_save_into(tmp_path), files[:4], client=client)
    assert written == [str(tmp_path / path.name) for path in files[:4]]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        path.name for path in files[:4]
    )  # no leftovers
    for salt, path in enumerate(written):
        with jwstmodels.open(path) as model:
            assert model["meta.exposure.nframes"] == 100
            np.testing.assert_array_equal(model["data"], image_model(salt).data)


def test_without_the_extra_scan_and_map_run_serially(
    files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now fails
    assert jwstmodels.map(_summary, files[:2])[1][1] == 5
    assert jwstmodels.scan(files[:2], FIELDS)["meta.exposure.nframes"].tolist() == [4, 5]
    for call in (
        lambda: jwstmodels.scan(files[:2], client=object()),
        lambda: jwstmodels.map(_summary, files[:2], client=object()),
    ):
        with pytest.raises(ImportError, match=r"pip install 'jwstmodels\[distributed\]'") as caught:
            call()
        assert isinstance(caught.value, MissingExtraError)
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(
        MissingExtraError, match=r"jwstmodels.scan needs pandas.*pip install 'jwstmodels\[distributed\]'"
    ):
        jwstmodels.scan(files[:2])


def test_fields_must_be_a_list_of_names(files: list[Path]) -> None:
    with pytest.raises(TypeError, match=r"fields= takes a list of dotted names, not one string"):
        jwstmodels.scan(files[:1], "meta.exposure.nframes")


def test_client_must_be_a_dask_client(files: list[Path]) -> None:
    with pytest.raises(TypeError, match=r"client= takes a dask\.distributed\.Client, not str"):
        jwstmodels.scan(files[:1], client="tcp://127.0.0.1:8786")


def test_relative_paths_on_the_cluster(
    files: list[Path], client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers started elsewhere (before the chdir) open absolute paths; the table shows the names given."""
    monkeypatch.chdir(files[0].parent)
    names = [path.name for path in files[:3]]
    table = jwstmodels.scan(names, FIELDS, client=client)
    assert table["path"].tolist() == names and table["error"].isna().all()
    pd.testing.assert_frame_equal(table, jwstmodels.scan(names, FIELDS))
    on_workers = jwstmodels.map(_summary, names, client=client)
    assert [result[3] for result in on_workers] == [str(files[0].parent / name) for name in names]
    assert [result[:3] for result in on_workers] == [result[:3] for result in jwstmodels.map(_summary, names)]
