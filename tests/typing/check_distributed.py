"""Typing contract of scan, map and pickling (issue 17), checked by pyright and mypy (strict) with the rest of
tests/typing; ``mistakes()`` (never called) holds calls both checkers must refuse."""

import pickle
from pathlib import Path
from typing import assert_type

import pandas as pd
from distributed import Client

import jwstmodels
from jwstmodels import DataModel, MetaNode


def nframes(model: DataModel[MetaNode]) -> int | None:
    value = model["meta.exposure.nframes"]
    return value if isinstance(value, int) else None


def usage(paths: list[Path], client: Client) -> None:
    assert_type(jwstmodels.scan(paths, ["meta.exposure.nframes"]), pd.DataFrame)
    assert_type(jwstmodels.scan(paths, client=client), pd.DataFrame)
    assert_type(jwstmodels.map(nframes, paths), list[int | None])
    assert_type(jwstmodels.map(nframes, "jw01234_asn.json", client=client), list[int | None])
    assert_type(jwstmodels.map(nframes, jwstmodels.ModelContainer(paths)), list[int | None])
    with jwstmodels.open(paths[0]) as model:
        copy: object = pickle.loads(pickle.dumps(model))
        assert isinstance(copy, DataModel)
    try:
        jwstmodels.map(nframes, paths)
    except jwstmodels.MapError as error:
        assert_type(error.index, int)
        assert_type(error.member, str)
    except jwstmodels.FileChangedError as error:
        assert_type(error, jwstmodels.FileChangedError)


def mistakes(paths: list[Path]) -> None:
    jwstmodels.scan(paths, client="tcp://host:8786")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    jwstmodels.map(nframes, 3)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
