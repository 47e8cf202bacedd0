"""Threads reading one lazily opened model get the file's data, never a default or another's (issue 18)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import jwstmodels
from jwstmodels import DataModel, MetaNode
from tests.support.sample_files import write_image, write_multislit

THREADS = 8
ROUNDS = 50


def _arrays(model: DataModel[MetaNode]) -> list[tuple[str, Callable[[], object]]]:
    """(label, a function reading it) for every array of ``model`` and of its items."""
    readers: list[tuple[str, Callable[[], object]]] = [
        (name, lambda name=name: model[name]) for name in model.array_names()
    ]
    for list_name, items in model.__jwst_state__.lists.items():
        for index, item in enumerate(items):
            readers += [(f"{list_name}[{index}].{label}", read) for label, read in _arrays(item)]
    return readers


def _expected(path: Path) -> dict[str, np.ndarray]:
    with jwstmodels.open(path) as model:
        return {label: np.array(read()) for label, read in _arrays(model)}


def _read_all(
    offset: int,
    readers: list[tuple[str, Callable[[], object]]],
    expected: dict[str, np.ndarray],
    start: threading.Barrier,
    round_number: int,
    wrong: list[str],
) -> None:
    """One thread: every array once, starting at ``offset``, after every thread is ready."""
    start.wait()
    for step in range(len(readers)):
        label, read = readers[(offset + step) % len(readers)]
        try:
            got = np.asarray(read())
            if got.shape != expected[label].shape or not np.array_equal(got, expected[label]):
                wrong.append(f"round {round_number}: {label} differs")
        except Exception as exc:
            wrong.append(f"round {round_number}: {label}: {type(exc).__name__}: {exc}")


@pytest.mark.parametrize(
    "make",
    [
        lambda folder: write_image(folder, ".fits"),
        lambda folder: write_image(folder, ".asdf"),
        lambda folder: write_multislit(folder, ".fits", slits=4),
        lambda folder: write_multislit(folder, ".asdf", slits=4),
    ],
    ids=["fits", "asdf", "multislit-fits", "multislit-asdf"],
)
def test_threads_reading_every_array_get_the_files_data(make: Callable[[Path], Path], tmp_path: Path) -> None:
    path = make(tmp_path)
    expected = _expected(path)
    assert len(expected) >= 4
    wrong: list[str] = []
    for round_number in range(ROUNDS):
        with jwstmodels.open(path) as model:
            readers = _arrays(model)
            assert [label for label, _ in readers] == list(expected)
            start = threading.Barrier(THREADS)
            context = (readers, expected, start, round_number, wrong)
            threads = [threading.Thread(target=_read_all, args=(n, *context)) for n in range(THREADS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    assert wrong == []
