"""Reference files that number their own data-quality bits: translate on read and on save.

A reference file with a ``dq_def`` table may store its ``dq`` array in bits of its own choosing; each row of
the table names the standard flag a file bit stands for. In memory, a model's ``dq`` always holds the
standard JWST bits (what ``dqflags.PIXEL`` and every pipeline step expect), so:

- after a file is read, ``dq`` is translated from the file's bits to the standard ones when it is first
  touched (the translation reads ``dq_def``; memory mapping and lazy reading are otherwise unchanged);
- when such a model is saved, ``dq`` is translated back into the file's bits.

The JWST pipeline's data models do the same, so a file moves between the two with the same in-memory values.
A bit the table does not name has no standard meaning and is dropped by the translation, and a row naming
an unknown flag gives a :class:`~jwstmodels.dqflags.DQDefinitionWarning`.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from jwstmodels._core.state import ArrayStore
    from jwstmodels.dqflags import HasDQDefinitions

DQDef = Callable[[], NDArray[np.void]]
"""Gives a model's ``dq_def`` table (read from the file on first use)."""


def _defines_bits(store: ArrayStore, fields: Container[str], dq_def: DQDef) -> bool:
    """True when the model has ``dq`` and ``dq_def`` fields and its ``dq_def`` table has rows."""
    if "dq" not in fields or "dq_def" not in fields or not store.is_present("dq_def"):
        return False
    return dq_def().size > 0


class _Bits:
    """The two arrays the translation needs, read from the model when asked."""

    def __init__(self, dq: NDArray[Any], dq_def: NDArray[np.void]) -> None:
        self._dq = dq
        self._dq_def = dq_def

    @property
    def dq(self) -> NDArray[Any]:
        return self._dq

    @property
    def dq_def(self) -> NDArray[np.void]:
        return self._dq_def


def standard_bits_after_read(store: ArrayStore, fields: Container[str], dq_def: DQDef) -> None:
    """Make the ``dq`` array of a model just read from a file hold the standard bits (lazily); ``store`` and
    ``fields`` are the model's arrays and array field names."""
    raw = store.loaders.get("dq")
    if raw is None or "dq_def" not in fields or not store.is_present("dq_def"):
        return
    store.loaders["dq"] = StandardBits(dq_def, raw)


class StandardBits:
    """The loader of a ``dq`` array read in a file's own bits: reads ``raw`` (the file's source, kept as
    ``raw`` so that pickling and error messages find it) and translates through the model's ``dq_def``
    (``dq_def`` gives it: a bound method of the model, which pickles with it)."""

    __slots__ = ("dq_def", "raw")

    def __init__(self, dq_def: DQDef, raw: Callable[[], NDArray[Any]]) -> None:
        self.dq_def = dq_def
        self.raw = raw

    @property
    def where(self) -> str | None:
        return getattr(self.raw, "where", None)

    @property
    def hdu_name(self) -> str | None:
        return getattr(self.raw, "hdu_name", None)

    def __call__(self) -> NDArray[Any]:
        table = self.dq_def()
        if table.size == 0:
            return self.raw()
        from jwstmodels.dqflags import dynamic_mask  # models whose file numbers its own bits only

        bits: HasDQDefinitions = _Bits(self.raw(), table)
        return dynamic_mask(bits)


def file_bits(
    store: ArrayStore, fields: Container[str], dq_def: DQDef, name: str, value: NDArray[Any]
) -> NDArray[Any]:
    """The array a save writes for ``name``: ``dq`` in the file's own bits when ``dq_def`` defines them."""
    if name != "dq" or not _defines_bits(store, fields, dq_def):
        return value
    from jwstmodels.dqflags import dynamic_mask  # models whose file numbers its own bits only

    bits: HasDQDefinitions = _Bits(value, dq_def())
    return dynamic_mask(bits, inverse=True).astype(value.dtype, copy=False)
