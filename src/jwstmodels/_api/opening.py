"""``jwstmodels.open()``: the model class a file, array or shape asks for (``DATAMODL``, ``meta.model_type``,
the data's dimensionality), found in the generated catalogue."""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from jwstmodels._core.errors import file_errors
from jwstmodels._io.sniff import file_kind, is_file, is_hdulist, is_path, sniff
from jwstmodels._model.datamodel import use_catalogue

if TYPE_CHECKING:
    from jwstmodels._core.meta import MetaNode
    from jwstmodels._model.datamodel import DataModel
    from jwstmodels_generated.meta import CommonMeta


# -- open() ------------------------------------------------------------------------------------------


@functools.cache
def model_class(model_type: str) -> type[DataModel[MetaNode]] | None:
    """The generated class for a ``DATAMODL`` / ``meta.model_type`` value (aliases included)."""
    from jwstmodels_generated.lookup import MODEL_CLASSES

    entry = MODEL_CLASSES.get(model_type)
    if entry is None:
        return None
    module = importlib.import_module(f"jwstmodels_generated.{entry[0]}")
    return cast("type[DataModel[MetaNode]]", getattr(module, entry[1]))


use_catalogue(model_class)  # DataModel (a layer below) asks the catalogue through this


def _by_ndim(ndim: int, has_groupdq: bool = False) -> str:
    if ndim == 4:
        return "RampModel" if has_groupdq else "QuadModel"
    return {3: "CubeModel"}.get(ndim, "ImageModel")


def _required(name: str) -> type[DataModel[MetaNode]]:
    cls = model_class(name)
    if cls is None:  # pragma: no cover - the generated catalogue always has the basic models
        raise LookupError(f"model class {name} is not generated")
    return cls


def open_model(
    init: object,
    *,
    schema: Mapping[str, object] | None = None,
    extensions: object = None,
    pass_invalid_values: bool = False,
    strict_validation: bool | None = None,
) -> DataModel[CommonMeta]:
    """``jwstmodels.open``: read ``init`` into the model class its DATAMODL / model_type names.

    ``strict_validation`` is accepted for code written for the reference implementation, where it turns
    validation warnings into errors; here it only has a FITS file's ``ASDF`` extension read at open rather
    than when first needed, so that every warning about the file is given by the open (assignments and
    saves always refuse a value that does not fit, and reading a file warns and keeps such a value aside).

    Falls back on the data's dimensionality (2-D ImageModel, 3-D CubeModel, 4-D RampModel when GROUPDQ is
    present, else QuadModel). A file is opened once; the model owns it until ``close()``. ``schema``,
    ``extensions`` and ``pass_invalid_values`` are passed to the model class (see ``DataModel``).

    The result is typed ``DataModel[CommonMeta]``: the fields every file carries (``meta.filename``,
    ``meta.instrument.name``, ...) need no narrowing. To get a given class, call it (``ImageModel(path)``)
    or narrow with ``isinstance``.
    """
    # every class a file or a model type names extends the common metadata root (the generator plans it)
    if strict_validation:  # nothing is postponed: a FITS file's ASDF extension is read at open
        from jwstmodels._io.fits_lazy import read_mode

        with read_mode("eager"):
            opened = _open_model(
                init, schema=schema, extensions=extensions, pass_invalid_values=pass_invalid_values
            )
    else:
        opened = _open_model(
            init, schema=schema, extensions=extensions, pass_invalid_values=pass_invalid_values
        )
    return cast("DataModel[CommonMeta]", opened)


def _open_model(
    init: object,
    *,
    schema: Mapping[str, object] | None,
    extensions: object,
    pass_invalid_values: bool,
) -> DataModel[MetaNode]:
    from jwstmodels._model.datamodel import DataModel

    options: dict[str, Any] = {
        "schema": schema,
        "extensions": extensions,
        "pass_invalid_values": pass_invalid_values,
    }
    if isinstance(init, DataModel):
        other = cast("DataModel[MetaNode]", init)
        return type(other)(other, **options)
    if isinstance(init, tuple):
        shape = cast(tuple[int, ...], init)
        return _required(_by_ndim(len(shape)))(shape, **options)
    if isinstance(init, np.ndarray):
        array = cast(np.ndarray[Any, Any], init)
        return _required(_by_ndim(array.ndim))(array, **options)
    if is_hdulist(init):
        return _class_from_header(init)(init, **options)
    if is_path(init):
        name = os.fspath(cast("str | os.PathLike[str]", init))
        kind = sniff(name)
    elif is_file(init):
        name = str(getattr(init, "name", "<file object>"))
        kind = file_kind(init)
    elif init is None:
        return _required("ImageModel")(None, **options)
    else:
        raise TypeError(f"jwstmodels.open: cannot open {type(init).__name__}")
    if kind == "fits":
        from jwstmodels._io.fits_format import open_hdulist

        hdul = open_hdulist(init, name)
        try:
            with file_errors(name, "read the FITS file"):
                model = _class_from_header(hdul, name)(hdul, **options)
        except BaseException:
            hdul.close()
            raise
        model.__jwst_state__.close_hooks.append(hdul.close)  # the model owns the file: close() closes it
    else:
        af = _open_asdf_with(extensions, init, name)
        try:
            with file_errors(name, "read the ASDF file"):
                model = _class_from_tree(af.tree, name)(af, **options)
        except BaseException:
            af.close()
            raise
        model.__jwst_state__.close_hooks.append(af.close)  # the model owns the file: close() closes it
    model.filename = name
    return model


def _open_asdf_with(extensions: object, init: object, name: str) -> Any:
    """Open an ASDF file with ``extensions`` in effect (the tree is converted while it opens)."""
    from jwstmodels._io.asdf_extensions import extension_tuple, extensions_in_effect
    from jwstmodels._io.asdf_format import open_asdf

    with extensions_in_effect(extension_tuple(extensions)):
        return open_asdf(init, name)


def _class_from_tree(tree: Mapping[str, Any], filename: str = "<AsdfFile>") -> type[DataModel[MetaNode]]:
    del filename  # a model type no class has is reported by the reader (warn_unknown_type)
    meta: object = tree.get("meta", {})
    model_type = cast(Mapping[str, object], meta).get("model_type") if isinstance(meta, Mapping) else None
    cls = model_class(str(model_type)) if model_type else None
    if cls is not None:
        return cls
    data = tree.get("data")
    shape: object = getattr(data, "shape", ())
    ndim = len(cast(tuple[object, ...], shape)) if isinstance(shape, tuple | list) else 2
    cls = _required(_by_ndim(ndim, "groupdq" in tree))
    return cls


def _class_from_header(hdul: Any, filename: str = "<HDUList>") -> type[DataModel[MetaNode]]:
    del filename  # a model type no class has is reported by the reader (warn_unknown_type)
    from jwstmodels._io.header_scan import declared_model_type  # the one reader of DATAMODL (scan's too)

    model_type = declared_model_type(hdul)
    cls = model_class(model_type) if model_type is not None else None
    if cls is not None:
        return cls
    names = {str(hdu.name).upper() for hdu in hdul}
    naxis = hdul["SCI"].header.get("NAXIS", 2) if "SCI" in names else 2
    cls = _required(_by_ndim(naxis if isinstance(naxis, int) else 2, "GROUPDQ" in names))
    return cls
