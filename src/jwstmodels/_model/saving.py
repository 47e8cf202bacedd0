"""Saving a model: what ``DataModel.save`` (``write``), ``to_fits`` and ``to_asdf`` do, and the
``FileContent`` a writer is handed.

A save picks the format by the file name's suffix, refuses what the format cannot hold before anything
changes (items sharing an HDU in FITS, astropy objects in FITS), stamps the model (``on_save``), validates it
(unless it was read with ``pass_invalid_values``; a refused save takes the stamps back), and hands the model's
content to the backend's writer (``_io.fits_format.write_fits``, ``_io.asdf_format.write_asdf``), which
writes a temporary file that replaces the target only when writing succeeded. ``DataModel``'s methods are
thin delegates to the functions here, which see the model as ``ModelParts``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from numpy.typing import NDArray

from jwstmodels._core.arrays import DataField, TableField
from jwstmodels._core.content import FileContent
from jwstmodels._core.errors import FileFormatError, ValidationError
from jwstmodels._core.node import complete
from jwstmodels._core.objects import held_objects
from jwstmodels._io.asdf_extensions import extensions_in_effect
from jwstmodels._model.dq_bits import file_bits

if TYPE_CHECKING:
    from jwstmodels._model.parts import ModelParts

FITS_SUFFIXES = (".fits", ".fit", ".fts", ".fits.gz", ".fit.gz")

_DQ_DEF = "dq_def"


def save(
    model: ModelParts, path: str | os.PathLike[str] | Callable[[str | None], str], *args: Any, **kwargs: Any
) -> Path:
    """``DataModel.save``: FITS or ASDF by the suffix of the path (``dir_path=`` replaces its folder; a
    function of ``meta.filename`` gives it), through the model's own ``to_fits``/``to_asdf``."""
    path = output_path(model, path, kwargs.pop("dir_path", None))
    name = os.fspath(path).lower()
    if name.endswith(".asdf"):
        return model.to_asdf(path, *args, **kwargs)
    if name.endswith(FITS_SUFFIXES):
        return model.to_fits(path, *args, **kwargs)
    raise ValueError(f"{os.fspath(path)}: cannot tell the format from the suffix; use .fits or .asdf")


def to_fits(model: ModelParts, path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> Path:
    """``DataModel.to_fits``; extra arguments go to ``astropy.io.fits.HDUList.writeto``."""
    from jwstmodels._io.fits_format import write_fits

    check_fits_items(model, path)  # multi-model items, before on_save: a refused save changes nothing
    prepare_save(model, path)
    held = held_in(model)  # transforms and other objects: ASDF only
    if held:
        raise FileFormatError(
            f"{path}: {type(model).__name__} holds {', '.join(held)} (astropy objects), which a FITS file "
            "cannot hold; save it as .asdf"
        )
    return write_fits(file_content(model), path, *args, **kwargs)


def to_asdf(model: ModelParts, path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> Path:
    """``DataModel.to_asdf``; extra arguments go to ``asdf.AsdfFile.write_to``."""
    from jwstmodels._io.asdf_format import write_asdf

    prepare_save(model, path)
    with extensions_in_effect(model.__jwst_state__.extensions):
        return write_asdf(file_content(model), path, *args, **kwargs)


def output_path(
    model: ModelParts,
    path: str | os.PathLike[str] | Callable[[str | None], str],
    dir_path: str | os.PathLike[str] | None,
) -> str | os.PathLike[str]:
    """The path ``save`` writes: ``path`` itself, or ``path(meta.filename)`` when it is a function; in
    ``dir_path`` when that is given."""
    if callable(path):
        filename: object = vars(model.meta).get("filename")
        path = path(filename if isinstance(filename, str) else None)
    if dir_path:
        return Path(dir_path) / Path(path).name
    return path


def prepare_save(model: ModelParts, path: str | os.PathLike[str]) -> None:
    """Stamp the model (``on_save``) and validate it; a model that does not validate gets its stamps back."""
    meta = model.meta
    complete(meta)  # fields waiting for the file's ASDF extension are read first (_io.fits_lazy)
    stamps = {name: meta.__dict__.get(name) for name in ("date", "filename", "model_type")}
    model.on_save(path)
    if model.__jwst_state__.pass_invalid:
        return
    try:
        model.validate()
    except ValidationError:
        for name, value in stamps.items():  # a refused save leaves the model as it was
            if name in vars(meta):
                vars(meta)[name] = value
        raise


def keeps_unknown_type(model: ModelParts) -> bool:
    """True when ``meta.model_type`` is still the type no class has that the file read named (its DATAMODL
    is of a newer or another package): saving keeps it, so the file keeps its identity. A value set in
    memory is stamped over with the class, as the reference does."""
    current: object = model.meta.__dict__.get("model_type")
    kept = model.__jwst_state__.unknown_type
    return kept is not None and current == kept


def file_content(model: ModelParts) -> FileContent:
    """What a writer writes for ``model``; it shares the model's values (writers only read them)."""
    complete(model.meta)  # fields waiting for the file's ASDF extension are read first (_io.fits_lazy)
    layout, state = model.__jwst_layout__, model.__jwst_state__
    return FileContent(
        layout,
        model.filename,
        state.pass_invalid,
        model.meta,
        scalars=state.scalars,
        arrays=list(arrays_to_save(model)),
        extra_fits=model.extra_fits,
        extra_tree=state.extra_tree,
        extra_hdus=state.extra_hdus,
        items={
            name: [file_content(item) for item in items]
            for name, items in state.lists.items()
            if name in layout.list_fields
        },
    )


def arrays_to_save(model: ModelParts) -> Iterator[tuple[str, DataField, NDArray[Any]]]:
    """(name, field, array) of every array and table a save writes: those the model holds (given, read, or
    created with the model); an absent one (never set, set to None, deleted) is not written. Tables are given
    in the file's dtype (ascii text), as a Table carrying their units; DQ arrays in the file's bits."""
    fields, store = model.__jwst_layout__.fields, model.__jwst_state__.store
    for name in model.array_names():
        field = fields[name]
        if isinstance(field, TableField):
            yield name, field, field.file_table(getattr(model, name))
            continue
        value = np.asarray(getattr(model, name))
        yield name, field, file_bits(store, fields, lambda: dq_def(model), name, value)


def dq_def(model: ModelParts) -> NDArray[np.void]:
    """The ``dq_def`` table, for models that number their own DQ bits (see ``_model.dq_bits``); an empty one
    when the model holds none."""
    table: object = getattr(model, _DQ_DEF)  # a field of the generated classes that have one
    if table is None:
        return np.zeros((0,), dtype=model.__jwst_layout__.fields[_DQ_DEF].dtype)
    return cast("NDArray[np.void]", table)


def check_fits_items(model: ModelParts, path: str | os.PathLike[str]) -> None:
    """Refuse, before anything is stamped or written, items the FITS layout cannot hold: items that would
    share a data HDU with the model's own arrays, or with the items of another list. (``validate()`` checks
    the items themselves before any save.)"""
    layout, lists = model.__jwst_layout__, model.__jwst_state__.lists
    filled = [name for name in layout.list_fields if lists.get(name)]
    name = type(model).__name__
    if len(filled) > 1:
        both = " and ".join(f"{name}.{list_name}" for list_name in filled)
        raise ValueError(f"{os.fspath(path)}: {both} both hold items; FITS tells items apart by EXTVER only")
    own_hdus = {field.hdu.upper() for field in layout.fields.values()}  # EXTNAMEs (a schema may say ps)
    for list_name in filled:
        first = cast("ModelParts", lists[list_name][0])
        for attr, field in first.__jwst_layout__.fields.items():
            if field.hdu.upper() in own_hdus and first.__jwst_state__.store.is_present(attr):
                raise ValueError(
                    f"{os.fspath(path)}: {name} and its {list_name}[0].{attr} would both be HDU "
                    f"{field.hdu.upper()},1"
                )


def held_in(model: ModelParts, prefix: str = "") -> list[str]:
    """Places of the objects ``model`` holds (``_core.objects.held_objects``), its list items' included
    (``apertures[0].zero_point_offset``): the reference writes such models as ASDF only."""
    layout, state = model.__jwst_layout__, model.__jwst_state__
    held = [prefix + name for name in held_objects(layout.scalar_fields, state.scalars)]
    for name, items in state.lists.items():
        for index, item in enumerate(items):
            held += held_in(cast("ModelParts", item), f"{prefix}{name}[{index}].")
    return held
