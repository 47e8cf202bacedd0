"""JWST data-quality flags: names and bit values, and conversions between names, masks and dq_def tables.

Every pixel of a ``dq`` array is a 32-bit word; each named condition owns one bit. ``PIXEL`` holds the flags
of pixel-level arrays (``dq``, ``pixeldq``), ``GROUP`` the subset used in per-group arrays (``groupdq``)::

    from jwstmodels import dqflags

    bad = dqflags.flags_to_mask(["DO_NOT_USE", "SATURATED"])  # 3
    dqflags.mask_to_names(6)  # ["SATURATED", "JUMP_DET"]
    usable = ~dqflags.flagged(model.dq, "DO_NOT_USE")

The mappings are keyed by ``Literal`` names, so a misspelt flag in ``PIXEL["SATURATD"]`` is a type error.
Reference files may number their own bits: their ``dq_def`` table says which bit means which flag, and
:func:`dynamic_mask` translates their ``dq`` array into the standard bits (and back).
"""

from __future__ import annotations

import difflib
import types
import warnings
from collections.abc import Iterable, Mapping
from typing import Any, Final, Literal, Protocol, cast, get_args

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "GROUP",
    "PIXEL",
    "DQDefinitionWarning",
    "FlagMap",
    "GroupFlagName",
    "PixelFlagName",
    "dynamic_mask",
    "flagged",
    "flags_to_mask",
    "group",
    "mask_to_names",
    "pixel",
]

PixelFlagName = Literal[
    "GOOD",
    "DO_NOT_USE",
    "SATURATED",
    "JUMP_DET",
    "DROPOUT",
    "OUTLIER",
    "PERSISTENCE",
    "AD_FLOOR",
    "CHARGELOSS",
    "RESERVED",
    "NON_SCIENCE",
    "DEAD",
    "HOT",
    "WARM",
    "LOW_QE",
    "RC",
    "TELEGRAPH",
    "NONLINEAR",
    "BAD_REF_PIXEL",
    "NO_FLAT_FIELD",
    "NO_GAIN_VALUE",
    "NO_LIN_CORR",
    "NO_SAT_CHECK",
    "UNRELIABLE_BIAS",
    "UNRELIABLE_DARK",
    "UNRELIABLE_SLOPE",
    "UNRELIABLE_FLAT",
    "OPEN",
    "ADJ_OPEN",
    "FLUX_ESTIMATED",
    "MSA_FAILED_OPEN",
    "OTHER_BAD_PIXEL",
    "REFERENCE_PIXEL",
]
"""Names of the pixel flags."""

GroupFlagName = Literal[
    "GOOD", "DO_NOT_USE", "SATURATED", "JUMP_DET", "DROPOUT", "PERSISTENCE", "AD_FLOOR", "CHARGELOSS"
]
"""Names of the group flags (a subset of the pixel flags, with the same bits)."""


def _pixel_values() -> dict[PixelFlagName, int]:
    # GOOD is no bit at all; every other flag owns the next bit, in the order of the Literal above.
    names = cast(tuple[PixelFlagName, ...], get_args(PixelFlagName))
    return {name: 0 if index == 0 else 1 << (index - 1) for index, name in enumerate(names)}


PIXEL: Final[Mapping[PixelFlagName, int]] = types.MappingProxyType(_pixel_values())
"""Pixel flag name -> bit value (``PIXEL["DO_NOT_USE"] == 1``, ``PIXEL["REFERENCE_PIXEL"] == 2**31``)."""

GROUP: Final[Mapping[GroupFlagName, int]] = types.MappingProxyType(
    {name: PIXEL[name] for name in cast(tuple[GroupFlagName, ...], get_args(GroupFlagName))}
)
"""Group flag name -> bit value (the same bits as the pixel flags of the same name)."""

pixel: Final = PIXEL
"""Alias of :data:`PIXEL` under the reference implementation's name."""
group: Final = GROUP
"""Alias of :data:`GROUP` under the reference implementation's name."""


FlagMap = Mapping[PixelFlagName, int] | Mapping[GroupFlagName, int] | Mapping[str, int]
"""A flag table: :data:`PIXEL`, :data:`GROUP` or any name -> bit mapping."""


class DQDefinitionWarning(UserWarning):
    """A ``dq_def`` table names a flag that is not a standard JWST flag; its bit is left out of the mask."""


def _bit(name: str, flags: FlagMap) -> int:
    table = cast(Mapping[str, int], flags)
    value = table.get(name.strip().upper())
    if value is None:
        close = difflib.get_close_matches(name.strip().upper(), list(table), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise KeyError(f"{name!r} is not a data-quality flag name{hint}")
    return value


def flags_to_mask(names: str | int | Iterable[str], flags: FlagMap = PIXEL) -> int:
    """The bit mask of the named flags.

    ``names`` is a flag name, a comma- or plus-separated list (``"DO_NOT_USE+SATURATED"``), an iterable of
    names, or an int (returned unchanged). Names are case-insensitive; an unknown name raises KeyError
    naming the closest known name.
    """
    if isinstance(names, int):
        return names
    if isinstance(names, str):
        names = [part for part in names.replace("+", ",").split(",") if part.strip()]
    mask = 0
    for name in names:
        mask |= _bit(name, flags)
    return mask


def mask_to_names(mask: int | np.integer[Any], flags: FlagMap = PIXEL) -> list[str]:
    """Names of the flags set in ``mask``, lowest bit first (``[]`` for 0); bits with no name are ignored."""
    value = int(mask)
    if value < 0:
        raise ValueError(f"a data-quality mask is a non-negative integer, got {value}")
    by_bit = sorted((bit, name) for name, bit in cast(Mapping[str, int], flags).items() if bit)
    return [name for bit, name in by_bit if value & bit]


def flagged(dq: NDArray[np.integer[Any]], names: str | int | Iterable[str]) -> NDArray[np.bool_]:
    """Boolean array: True where any of the named flags is set in ``dq``."""
    mask = np.uint32(flags_to_mask(names))
    return np.bitwise_and(np.asarray(dq, dtype=np.uint32), mask) != 0


class HasDQDefinitions(Protocol):
    """A model with a ``dq`` array and a ``dq_def`` table (reference-file models such as MaskModel)."""

    @property
    def dq(self) -> NDArray[Any]: ...

    @property
    def dq_def(self) -> NDArray[np.void]: ...


def dynamic_mask(
    model: HasDQDefinitions, flags: FlagMap = PIXEL, *, inverse: bool = False
) -> NDArray[np.uint32]:
    """Translate a reference file's ``dq`` array into the standard JWST bits using its ``dq_def`` table.

    Each ``dq_def`` row gives a bit ``VALUE`` as used in this file and the ``NAME`` of the flag it stands for;
    the result has, for every pixel, the standard bit of each named flag whose file bit is set. With
    ``inverse=True`` the translation runs the other way (standard bits -> the file's bits), as done before
    writing such a file. A row whose name is not a known flag gives a :class:`DQDefinitionWarning` and is
    skipped. Without a ``dq_def`` table (or with an empty one) a uint32 copy of ``dq`` is returned.
    """
    dq = np.asarray(model.dq, dtype=np.uint32)
    table = np.asarray(model.dq_def)
    if table.dtype.names is None or table.size == 0:
        return dq.copy()
    columns = {name.upper(): name for name in table.dtype.names}
    missing = [c for c in ("VALUE", "NAME") if c not in columns]
    if missing:
        raise ValueError(
            f"dq_def table has no {' or '.join(missing)} column; it has {list(table.dtype.names)}"
        )
    out = np.zeros(dq.shape, dtype=np.uint32)
    for row in table:
        file_bit = int(row[columns["VALUE"]])
        raw_name: object = row[columns["NAME"]]
        name = (raw_name.decode("ascii") if isinstance(raw_name, bytes) else str(raw_name)).strip().upper()
        standard = cast(Mapping[str, int], flags).get(name)
        if standard is None:
            warnings.warn(
                f"dq_def names {name!r} (bit value {file_bit}), which is not a data-quality flag; ignored",
                DQDefinitionWarning,
                stacklevel=2,
            )
            continue
        source, target = (standard, file_bit) if inverse else (file_bit, standard)
        if source:
            out[(dq & np.uint32(source)) != 0] |= np.uint32(target)
    return out
