"""A dq_def table that numbers its own bits, and dq arrays in the standard bits it can carry.

Some reference files store dq in bits of their own; their dq_def table says which standard flag each file
bit stands for. Models hold the standard bits in memory, so round-trip tests fill dq with standard bits the
table names and dq_def with this table.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

# (BIT, VALUE in the file, NAME): file bit 1 is DO_NOT_USE (standard 1), 2 NON_SCIENCE (512), 4 DEAD (1024).
ROWS = [(0, 1, b"DO_NOT_USE"), (1, 2, b"NON_SCIENCE"), (2, 4, b"DEAD")]
STANDARD_WORDS = np.array([0, 1, 1 << 9, 1 << 10, 1 | 1 << 10, 1 << 9 | 1 << 10], dtype=np.uint32)


def dq_definitions(dtype: np.dtype[Any]) -> NDArray[np.void]:
    """The ``ROWS`` table in a model's ``dq_def`` dtype (other columns left empty)."""
    table = np.zeros(len(ROWS), dtype=dtype)
    for column, index in (("BIT", 0), ("VALUE", 1), ("NAME", 2)):
        table[column] = [row[index] for row in ROWS]
    return table


def standard_dq(rng: np.random.Generator, shape: tuple[int, ...], dtype: np.dtype[Any]) -> NDArray[Any]:
    """A dq array of ``shape`` whose words use only standard bits that ``ROWS`` names."""
    return rng.choice(STANDARD_WORDS, size=shape).astype(dtype)
