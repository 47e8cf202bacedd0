"""Typed families of models, for helpers that accept any model holding a given set of arrays.

A pipeline step that scales an image works on ``ImageModel``, ``FlatModel``, ``SuperBiasModel`` ... alike;
typing its argument as ``DataModel`` hides ``data``. Each family here is the union of the catalogue classes
that hold its arrays with the same dtypes and dimensionality, so a helper typed with it sees ``model.data`` as
``NDArray[np.float32]`` whichever member it is given, and a model outside the family is a type error::

    from jwstmodels.families import ImageLike

    def apply_gain(model: ImageLike, gain: float) -> None:
        model.data *= gain
        if model.err is not None:  # ImageModel's err may be absent (None), as in the reference
            model.err *= gain

    apply_gain(ImageModel((64, 64)), 2.0)  # FlatModel too; a SpecModel is refused by pyright and mypy

The families are unions rather than protocols because the arrays are descriptors, which type checkers do not
match against protocol attributes. They are also usable at run time: ``isinstance(model, ImageLike)``.
``tests/compat/test_families.py`` derives each family from the catalogue's fields, so a class that gains or
loses the arrays is noticed.
"""

from __future__ import annotations

from typing import TypeAlias

from jwstmodels_generated.catalog import (
    CombinedSpecModel,
    CubeModel,
    DarkMIRIModel,
    FlatModel,
    FringeModel,
    IFUCubeModel,
    IFUImageModel,
    ImageModel,
    LastFrameModel,
    MiriMrsPhotomModel,
    MIRIRampModel,
    MirMrsPhotomModel,
    MRSSpecModel,
    QuadModel,
    RampModel,
    ReferenceCubeModel,
    ReferenceImageModel,
    ReferenceQuadModel,
    SossBkgModel,
    SpecModel,
    SuperBiasModel,
    TSOSpecModel,
    WfssBkgModel,
    WFSSCombinedSpecModel,
    WFSSSpecModel,
)

__all__ = ["CubeLike", "ImageLike", "QuadLike", "RampLike", "SpectralTableLike"]

ImageLike: TypeAlias = (
    ImageModel
    | FlatModel
    | FringeModel
    | LastFrameModel
    | MirMrsPhotomModel
    | MiriMrsPhotomModel
    | ReferenceImageModel
    | SuperBiasModel
    | IFUImageModel
    | WfssBkgModel
)
"""Models with 2-D ``data`` (float32), ``dq`` (uint32) and ``err`` (float32)."""

CubeLike: TypeAlias = CubeModel | IFUCubeModel | ReferenceCubeModel | SossBkgModel
"""Models with 3-D ``data`` (float32), ``dq`` (uint32) and ``err`` (float32): one plane per integration or
wavelength."""

QuadLike: TypeAlias = QuadModel | DarkMIRIModel | ReferenceQuadModel
"""Models with 4-D ``data`` (float32), ``dq`` (uint32) and ``err`` (float32)."""

RampLike: TypeAlias = RampModel | MIRIRampModel
"""Up-the-ramp reads: 4-D ``data`` (float32; integrations, groups, rows, columns), 2-D ``pixeldq``
(uint32) and 4-D ``groupdq`` (uint8)."""

SpectralTableLike: TypeAlias = (
    SpecModel | CombinedSpecModel | MRSSpecModel | TSOSpecModel | WFSSSpecModel | WFSSCombinedSpecModel
)
"""Models holding one spectrum as a table (``spec_table``, one row per wavelength)."""

FAMILIES: dict[str, object] = {
    "ImageLike": ImageLike,
    "CubeLike": CubeLike,
    "QuadLike": QuadLike,
    "RampLike": RampLike,
    "SpectralTableLike": SpectralTableLike,
}
"""Each family by name (for tests and tools)."""
