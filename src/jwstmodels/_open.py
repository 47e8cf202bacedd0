"""Initialising a model from whatever ``init`` is, and ``jwstmodels.open()`` choosing the model class."""

# pyright: reportPrivateUsage=false
# (runtime module: it works on the internal state of models and metadata nodes)

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from ._errors import FileFormatError, ValidationError
from ._loading import build_meta

if TYPE_CHECKING:
    from jwstmodels_generated.meta import Meta

    from ._base import DataModel
    from ._meta import MetaNode

FITS_MAGIC = b"SIMPLE  ="
ASDF_MAGIC = b"#ASDF"


def sniff(path: str | os.PathLike[str]) -> str:
    """``"fits"`` or ``"asdf"`` from a file's first bytes; FileFormatError for anything else."""
    name = os.fspath(path)
    if os.path.isdir(name):
        raise FileFormatError(f"{name}: is a directory, not a FITS or ASDF file")
    try:
        with open(name, "rb") as handle:
            head = handle.read(len(FITS_MAGIC))
    except FileNotFoundError:
        raise FileNotFoundError(f"{name}: no such file") from None
    return _kind(head, name)


def _kind(head: bytes, name: str) -> str:
    if head.startswith(FITS_MAGIC):
        return "fits"
    if head.startswith(ASDF_MAGIC):
        return "asdf"
    if name.endswith(".gz"):
        return "fits"  # astropy reads gzip-compressed FITS; a bad one fails there with a clear error
    raise FileFormatError(f"{name}: neither a FITS nor an ASDF file (starts with {head[:16]!r})")


def _is_path(init: object) -> bool:
    return isinstance(init, str | os.PathLike)


def _is_file(init: object) -> bool:
    return hasattr(init, "read") and hasattr(init, "seek")


def _is_asdf_file(init: object) -> bool:
    asdf = sys.modules.get("asdf")  # never import asdf just to ask
    return asdf is not None and isinstance(init, asdf.AsdfFile)


def _file_kind(handle: Any) -> str:
    position = handle.tell()
    head = handle.read(len(FITS_MAGIC))
    handle.seek(position)
    return _kind(bytes(head), str(getattr(handle, "name", "<file object>")))


def initialise(model: DataModel[MetaNode], init: object) -> None:
    """Fill a new model from ``init`` (see DataModel for the accepted kinds)."""
    from astropy.io import fits

    from ._base import DataModel

    if init is None:
        return
    if isinstance(init, tuple):
        _init_shape(model, cast(tuple[int, ...], init))
    elif isinstance(init, np.ndarray):
        setattr(model, model.get_primary_array_name(), init)
    elif isinstance(init, DataModel):
        _init_from_model(model, cast("DataModel[MetaNode]", init))
    elif isinstance(init, Mapping):
        _init_from_tree(model, cast(Mapping[str, object], init))
    elif isinstance(init, fits.HDUList):
        from ._fits import read_fits

        source: object = cast(object, init.filename())
        name = source if isinstance(source, str) else "<HDUList>"
        read_fits(model, init, name)
        model.filename = name
    elif _is_asdf_file(init):
        from ._asdf import read_asdf

        read_asdf(model, init, str(getattr(init, "uri", None) or "<AsdfFile>"))
    elif _is_path(init) or _is_file(init):
        _init_from_file(model, init)
    else:
        raise TypeError(
            f"{type(model).__name__}: cannot initialise from {type(init).__name__}; give None, a shape "
            "tuple, a path or file object, an HDUList, a numpy array, a dict or another model"
        )


def _init_shape(model: DataModel[MetaNode], shape: tuple[int, ...]) -> None:
    from ._arrays import ArrayField

    name = model.get_primary_array_name()
    field = model._fields.get(name)
    if not all(isinstance(cast(object, n), int | np.integer) and n >= 0 for n in shape):
        raise TypeError(
            f"{type(model).__name__}: a shape must be a tuple of non-negative integers, got {shape!r}"
        )
    if isinstance(field, ArrayField):
        field.check_ndim(len(shape), f"shape {shape}")
        model._shape = tuple(int(n) for n in shape)
        setattr(model, name, field.make_default(model._shape)[0])


def _init_from_tree(model: DataModel[MetaNode], tree: Mapping[str, object]) -> None:
    model_name = type(model).__name__
    meta_tree = tree.get("meta", {})
    if not isinstance(meta_tree, Mapping):
        raise ValidationError(
            f"{model_name}: meta must be a mapping, got {type(meta_tree).__name__}",
            model=model_name,
            path="meta",
        )

    def on_invalid(loc: tuple[str, ...], value: object, expected: str) -> None:
        path = "meta." + ".".join(loc)
        raise ValidationError.for_field(
            model=model_name, path=path, keyword=None, hdu=None, expected=expected, got=value
        )

    def on_unknown(loc: tuple[str, ...], value: object) -> None:
        raise model._meta._unknown(".".join(loc))

    meta = build_meta(
        type(model._meta), cast(Mapping[str, object], meta_tree), on_invalid=on_invalid, on_unknown=on_unknown
    )
    meta._owner = model_name
    model._meta = meta
    for key, value in tree.items():
        if key != "meta":
            setattr(model, key, value)


def _ignore(*_: object) -> None:
    """Conversion between model classes drops what the target class cannot hold."""


def _init_from_model(model: DataModel[MetaNode], other: DataModel[MetaNode]) -> None:
    """Convert between model classes: shared metadata and arrays carry over, the rest is dropped."""
    model._meta = build_meta(
        type(model._meta),
        other._meta.model_dump(exclude_none=True, warnings=False),
        on_invalid=_ignore,
        on_unknown=_ignore,
    )
    model._meta._owner = type(model).__name__
    for name in other.array_names():
        if name in model._fields:
            setattr(model, name, getattr(other, name))
    model.extra_fits = {hdu: list(cards) for hdu, cards in other.extra_fits.items()}
    model.filename = other.filename


def _init_from_file(model: DataModel[MetaNode], init: object) -> None:
    if _is_path(init):
        path = cast("str | os.PathLike[str]", init)
        kind, name = sniff(path), os.fspath(path)
    else:
        kind, name = _file_kind(init), str(getattr(init, "name", "<file object>"))
    model.filename = name
    if kind == "fits":
        from ._fits import open_hdulist, read_fits

        hdul = open_hdulist(init, name)
        model._close_hooks.append(hdul.close)
        try:
            read_fits(model, hdul, name)
        except BaseException:
            model.close()
            raise
    else:
        from ._asdf import open_asdf, read_asdf

        af = open_asdf(init, name)
        model._close_hooks.append(af.close)
        try:
            read_asdf(model, af, name)
        except BaseException:
            model.close()
            raise


# -- open() ------------------------------------------------------------------------------------------


def model_class(model_type: str) -> type[DataModel[Meta]] | None:
    """The generated class for a ``DATAMODL`` / ``meta.model_type`` value (aliases included)."""
    from jwstmodels_generated.lookup import MODEL_CLASSES

    entry = MODEL_CLASSES.get(model_type)
    if entry is None:
        return None
    module = importlib.import_module(f"jwstmodels_generated.{entry[0]}")
    return cast("type[DataModel[Meta]]", getattr(module, entry[1]))


def _by_ndim(ndim: int, has_groupdq: bool = False) -> str:
    if ndim == 4:
        return "RampModel" if has_groupdq else "QuadModel"
    return {3: "CubeModel"}.get(ndim, "ImageModel")


def _required(name: str) -> type[DataModel[Meta]]:
    cls = model_class(name)
    if cls is None:  # pragma: no cover - the generated catalogue always has the basic models
        raise LookupError(f"model class {name} is not generated")
    return cls


def open_model(init: object, *, pass_invalid_values: bool = False) -> DataModel[Meta]:
    """``jwstmodels.open``: read ``init`` into the model class its DATAMODL / model_type names.

    Falls back on the data's dimensionality (2-D ImageModel, 3-D CubeModel, 4-D RampModel when GROUPDQ is
    present, else QuadModel). A file is opened once; the model owns it until ``close()``.
    """
    from astropy.io import fits

    from ._base import DataModel

    if isinstance(init, DataModel):
        other = cast("DataModel[Meta]", init)
        return type(other)(other, pass_invalid_values=pass_invalid_values)
    if isinstance(init, tuple):
        shape = cast(tuple[int, ...], init)
        return _required(_by_ndim(len(shape)))(shape, pass_invalid_values=pass_invalid_values)
    if isinstance(init, np.ndarray):
        array = cast(np.ndarray[Any, Any], init)
        return _required(_by_ndim(array.ndim))(array, pass_invalid_values=pass_invalid_values)
    if isinstance(init, fits.HDUList):
        return _class_from_header(init)(init, pass_invalid_values=pass_invalid_values)
    if _is_path(init):
        name = os.fspath(cast("str | os.PathLike[str]", init))
        kind = sniff(name)
    elif _is_file(init):
        name = str(getattr(init, "name", "<file object>"))
        kind = _file_kind(init)
    elif init is None:
        return _required("ImageModel")(None, pass_invalid_values=pass_invalid_values)
    else:
        raise TypeError(f"jwstmodels.open: cannot open {type(init).__name__}")
    if kind == "fits":
        from ._fits import open_hdulist

        hdul = open_hdulist(init, name)
        try:
            model = _class_from_header(hdul)(hdul, pass_invalid_values=pass_invalid_values)
        except BaseException:
            hdul.close()
            raise
        model._close_hooks.append(hdul.close)
    else:
        from ._asdf import open_asdf

        af = open_asdf(init, name)
        try:
            model = _class_from_tree(af.tree)(af, pass_invalid_values=pass_invalid_values)
        except BaseException:
            af.close()
            raise
        model._close_hooks.append(af.close)
    model.filename = name
    return model


def _class_from_tree(tree: Mapping[str, Any]) -> type[DataModel[Meta]]:
    meta: object = tree.get("meta", {})
    model_type = cast(Mapping[str, object], meta).get("model_type") if isinstance(meta, Mapping) else None
    cls = model_class(str(model_type)) if model_type else None
    if cls is not None:
        return cls
    data = tree.get("data")
    return _required(_by_ndim(len(getattr(data, "shape", ())), "groupdq" in tree))


def _class_from_header(hdul: Any) -> type[DataModel[Meta]]:
    model_type = hdul[0].header.get("DATAMODL")
    cls = model_class(str(model_type)) if model_type else None
    if cls is not None:
        return cls
    names = {str(hdu.name).upper() for hdu in hdul}
    ndim = int(hdul["SCI"].header.get("NAXIS", 2)) if "SCI" in names else 2
    return _required(_by_ndim(ndim, "GROUPDQ" in names))
