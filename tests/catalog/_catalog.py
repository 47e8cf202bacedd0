"""The model catalogue the issue asks for, and helpers that fill a model with distinctive values."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

import jwstmodels
from jwstmodels import ArrayField, DataModel, ListField, MetaNode, TableField
from tests.support.dq_bits import dq_definitions, standard_dq
from tests.support.populate import populate, sample_value

Model = DataModel[MetaNode]

#: "List of current models" of the API reference (ModelContainer has its own issue).
REFERENCE_LIST = [
    "AmiLgModel", "AsnModel", "ContrastModel", "CubeModel", "CubeFlatModel", "DarkModel",
    "DarkMIRIModel", "DrizParsModel", "NircamDrizParsModel", "MiriImgDrizParsModel", "DrizProductModel",
    "FilterModel", "FlatModel", "FringeModel", "GainModel", "GLS_RampFitModel", "IFUCubeModel",
    "ImageModel", "IPCModel", "IRS2Model", "LastFrameModel", "LinearityModel", "MaskModel",
    "MIRIRampModel", "MultiExposureModel", "MultiProductModel", "MultiSlitModel", "MultiSpecModel",
    "NRSFlatModel", "NirspecFlatModel", "NirspecQuadFlatModel", "PathlossModel", "PhotomModel",
    "FgsPhotomModel", "MiriImgPhotomModel", "MiriMrsPhotomModel", "NircamPhotomModel",
    "NirissPhotomModel", "NirspecPhotomModel", "NirspecFSPhotomModel", "PixelAreaModel", "QuadModel",
    "RampModel", "RampFitOutputModel", "ReadnoiseModel", "ReferenceFileModel", "ReferenceImageModel",
    "ReferenceCubeModel", "ReferenceQuadModel", "ResetModel", "RSCDModel", "SaturationModel",
    "SpecModel", "StrayLightModel", "SuperBiasModel",
]  # fmt: skip

#: The names today's pipeline writes in DATAMODL of flux calibration reference files.
PIPELINE_PHOTOM = [
    "FgsImgPhotomModel", "MirImgPhotomModel", "MirMrsPhotomModel", "NrcImgPhotomModel",
    "NisImgPhotomModel", "NrsMosPhotomModel", "NrsFsPhotomModel",
]  # fmt: skip

#: Science products of the current pipeline that the seed's list lacks (issue 14).
CURRENT_SCIENCE = [
    "Level1bModel", "IFUImageModel", "SegmentationMapModel", "SlitDataModel", "TSOSpecModel",
    "TSOMultiSpecModel", "MRSSpecModel", "MRSMultiSpecModel", "CombinedSpecModel", "MultiCombinedSpecModel",
    "WFSSSpecModel", "WFSSMultiSpecModel", "WFSSCombinedSpecModel", "WFSSMultiCombinedSpecModel",
    "GuiderRawModel", "GuiderCalModel", "AmiLgFitModel", "SossExtractModel", "SossWaveGridModel",
    "OutlierIFUOutputModel", "SuperstripeRampModel", "TsoPhotModel",
]  # fmt: skip

#: Classes whose schema has no ``meta.model_type`` (no DATAMODL, as in the reference): no file names them, so
#: their files are opened with the class given explicitly.
EXPLICIT = {"SlitDataModel"}

#: Multi-models: list attribute -> item class.
MULTI = {
    "MultiSlitModel": ("slits", "SlitModel"),
    "MultiExposureModel": ("exposures", "SlitModel"),
    "MultiSpecModel": ("spec", "SpecModel"),
    "MultiProductModel": ("products", "DrizProductModel"),
    "NirspecQuadFlatModel": ("quadrants", "NirspecFlatQuadrantModel"),
    "PathlossModel": ("apertures", "PathlossApertureModel"),
    "TSOMultiSpecModel": ("spec", "TSOSpecModel"),
    "MRSMultiSpecModel": ("spec", "MRSSpecModel"),
    "MultiCombinedSpecModel": ("spec", "CombinedSpecModel"),
    "WFSSMultiSpecModel": ("spec", "WFSSSpecModel"),
    "WFSSMultiCombinedSpecModel": ("spec", "WFSSCombinedSpecModel"),
    "TsoPhotModel": ("radii", "TsoPhotRadiiItem"),
}

#: Every model class that files can name (the reference's list, today's photom names and SlitModel).
ALL_MODELS = sorted({*REFERENCE_LIST, *PIPELINE_PHOTOM, "SlitModel", *CURRENT_SCIENCE})

#: The bookkeeping keywords a reference file must carry.
BOOKKEEPING = (
    "meta.reftype",
    "meta.author",
    "meta.pedigree",
    "meta.useafter",
    "meta.description",
    "meta.telescope",
    "meta.instrument.name",
)

REFERENCE_FILE_MODELS = sorted(
    {
        "CubeFlatModel", "DarkMIRIModel", "DarkModel", "DrizParsModel", "FgsImgPhotomModel", "FgsPhotomModel",
        "FilterModel", "FlatModel", "FringeModel", "GainModel", "IPCModel", "IRS2Model", "LastFrameModel",
        "LinearityModel", "MaskModel", "MiriImgDrizParsModel", "MiriImgPhotomModel", "MiriMrsPhotomModel",
        "MirImgPhotomModel", "MirMrsPhotomModel", "NRSFlatModel", "NircamDrizParsModel", "NircamPhotomModel",
        "NirissPhotomModel", "NirspecFSPhotomModel", "NirspecFlatModel", "NirspecPhotomModel",
        "NirspecQuadFlatModel", "NisImgPhotomModel", "NrcImgPhotomModel", "NrsFsPhotomModel",
        "NrsMosPhotomModel", "PathlossModel", "PhotomModel", "PixelAreaModel", "RSCDModel", "ReadnoiseModel",
        "ReferenceCubeModel", "ReferenceFileModel", "ReferenceImageModel", "ReferenceQuadModel", "ResetModel",
        "SaturationModel", "StrayLightModel", "SuperBiasModel", "TsoPhotModel",
    }
)  # fmt: skip

STAMPED = {"meta.date", "meta.filename", "meta.model_type"}


def model_class(name: str) -> type[Model]:
    cls: object = getattr(jwstmodels, name)
    assert isinstance(cls, type) and issubclass(cls, DataModel)
    return cls  # pyright: ignore[reportUnknownVariableType]


def sample_shape(field: ArrayField[Any]) -> tuple[int, ...]:
    """A small shape of the field's dimensionality, its axes all of different lengths."""
    ndim = field.ndim or field.max_ndim or 2
    return (2, 3, 5, 6)[4 - ndim :]


def primary_shape(cls: type[Model]) -> tuple[int, ...] | None:
    field = cls.__jwst_layout__.fields.get(cls.primary_array_name)
    return sample_shape(field) if isinstance(field, ArrayField) else None


def sample_table(field: TableField, rng: np.random.Generator) -> NDArray[np.void]:
    # columns whose cell length the data decides get cells of 5 (per axis)
    table = np.zeros(3, dtype=field.dtype_for({c.name: (5,) * len(c.shape) for c in field.columns}))
    for column in field.columns:
        cells = table[column.name]
        kind = table.dtype[column.name].base.kind
        if kind == "S":
            table[column.name] = np.array([b"a", b"bb", b"ccc"]).reshape((3,) + (1,) * len(column.shape))
        elif kind == "U":
            table[column.name] = np.array(["a", "bb", "ccc"]).reshape((3,) + (1,) * len(column.shape))
        else:
            table[column.name] = rng.integers(0, 100, size=cells.shape)
    return table


def filled(cls: type[Model]) -> tuple[Model, dict[str, object], dict[str, NDArray[Any]]]:
    """A model of ``cls`` with every metadata field, array and table set to a distinctive value."""
    shape = primary_shape(cls)
    model = cls(shape) if shape is not None else cls()
    values = {path: value for path, value in populate(model.meta).items() if path not in STAMPED}
    for index, (name, scalar) in enumerate(cls.__jwst_layout__.scalar_fields.items()):
        values[name] = sample_value(scalar.annotation, index)  # scalars outside meta (``name``)
        setattr(model, name, values[name])
    rng = np.random.default_rng(sum(map(ord, cls.__name__)))
    arrays: dict[str, NDArray[Any]] = {}
    for name, field in cls.__jwst_layout__.fields.items():
        if isinstance(field, TableField):
            arrays[name] = sample_table(field, rng)
        elif isinstance(field, ArrayField):
            size = sample_shape(field)
            if shape is not None and (field.ndim or field.max_ndim or 0) <= len(shape):
                size = field.shape_for(shape)  # what a lazily created array would be
            arrays[name] = rng.integers(0, 100, size=size).astype(field.dtype)
        setattr(model, name, arrays[name])
    if "dq_def" in arrays and "dq" in arrays:  # dq in standard bits that the file's dq_def table names
        arrays["dq_def"] = dq_definitions(arrays["dq_def"].dtype)
        arrays["dq"] = standard_dq(rng, arrays["dq"].shape, arrays["dq"].dtype)
        for name in ("dq_def", "dq"):
            setattr(model, name, arrays[name])
    return model, values, arrays


def list_fields(cls: type[Model]) -> dict[str, ListField[Any]]:
    return dict(cls.__jwst_layout__.list_fields)
