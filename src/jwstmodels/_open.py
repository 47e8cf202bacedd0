"""Initialising a model from whatever ``init`` is, and ``jwstmodels.open()`` choosing the model class."""

# pyright: reportPrivateUsage=false
# (runtime module: it works on the internal state of models and metadata nodes)

from __future__ import annotations

import functools
import importlib
import io
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from ._dq_bits import standard_bits_after_read
from ._errors import FileFormatError, ValidationError, file_errors
from ._loading import build_meta

if TYPE_CHECKING:
    from jwstmodels_generated.meta import CommonMeta

    from ._base import DataModel
    from ._lists import ListField
    from ._meta import MetaNode

FITS_MAGIC = b"SIMPLE  ="
ASDF_MAGIC = b"#ASDF"


def sniff(path: str | os.PathLike[str]) -> str:
    """``"fits"`` or ``"asdf"`` from a file's first bytes; FileFormatError for anything else."""
    name = os.fspath(path)
    try:
        with open(name, "rb", buffering=0) as handle:  # unbuffered: a few bytes, read once
            head = handle.read(len(FITS_MAGIC))
    except FileNotFoundError:
        raise FileNotFoundError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise FileFormatError(f"{name}: is a directory, not a FITS or ASDF file") from None
    if head.startswith(b"\x1f\x8b"):
        _check_gzip_head(name)
    return _kind(head, name)


def _check_gzip_head(name: str) -> None:
    """A gzip-compressed file must hold a standard FITS file: astropy reads a compressed ``SIMPLE = F`` file
    without end (it looks for the end of its data past the end of the stream)."""
    import gzip
    import zlib

    try:
        with gzip.open(name, "rb") as handle:
            card = handle.read(80)
    except (OSError, EOFError, zlib.error) as exc:
        raise FileFormatError(f"{name}: not a readable gzip-compressed file ({exc})") from None
    if not card.startswith(FITS_MAGIC):
        raise FileFormatError(f"{name}: a gzip-compressed file that is not FITS (starts with {card[:16]!r})")
    if card[9:30].strip() != b"T":
        raise FileFormatError(
            f"{name}: keyword SIMPLE = {card[9:30].strip().decode('latin-1')!r}: not a standard FITS file"
        )


def _kind(head: bytes, name: str) -> str:
    if head.startswith(FITS_MAGIC):
        return "fits"
    if head.startswith(ASDF_MAGIC):
        return "asdf"
    if name.endswith(".gz"):
        return "fits"  # astropy reads gzip-compressed FITS; a bad one fails there with a clear error
    raise FileFormatError(f"{name}: neither a FITS nor an ASDF file (starts with {head[:16]!r})")


def reads_metadata(init: object) -> bool:
    """True when initialising from ``init`` reads a file, whose reader builds the metadata tree."""
    return _is_path(init) or _is_file(init) or _is_asdf_file(init) or _is_hdulist(init)


def _is_hdulist(init: object) -> bool:
    fits = sys.modules.get("astropy.io.fits")  # an HDUList exists only once astropy.io.fits is imported
    return fits is not None and isinstance(init, fits.HDUList)


def _is_path(init: object) -> bool:
    return isinstance(init, str | os.PathLike)


def _is_file(init: object) -> bool:
    return hasattr(init, "read") and hasattr(init, "seek")


def _is_asdf_file(init: object) -> bool:
    asdf = sys.modules.get("asdf")  # never import asdf just to ask
    return asdf is not None and isinstance(init, asdf.AsdfFile)


def detect_format(init: object) -> str | None:
    """``"fits"`` or ``"asdf"`` for a path, readable file object, HDUList or AsdfFile; None for other kinds.

    A file that is neither raises FileFormatError.
    """
    if _is_hdulist(init):
        return "fits"
    if _is_asdf_file(init):
        return "asdf"
    if _is_path(init):
        return sniff(cast("str | os.PathLike[str]", init))
    if _is_file(init):
        return _file_kind(init)
    return None


def _file_kind(handle: Any) -> str:
    position = handle.tell()
    try:
        # A real file: read the first bytes without moving it. (Reading and seeking back would leave a
        # buffered reader's operating-system position past its buffer, where asdf, reading the descriptor,
        # would look.)
        head = os.pread(handle.fileno(), len(FITS_MAGIC), position)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        head = handle.read(len(FITS_MAGIC))
        handle.seek(position)
    return _kind(bytes(head), str(getattr(handle, "name", "<file object>")))


def initialise(model: DataModel[MetaNode], init: object) -> None:
    """Fill a new model from ``init`` (see DataModel for the accepted kinds)."""
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
    elif _is_hdulist(init):
        from ._fits import read_fits

        hdul = cast(Any, init)
        source: object = hdul.filename()
        name = source if isinstance(source, str) else "<HDUList>"
        with file_errors(name, "read the FITS file"):
            read_fits(model, hdul, name)
        model.filename = name
    elif _is_asdf_file(init):
        from ._asdf import read_asdf

        name = str(getattr(init, "uri", None) or "<AsdfFile>")
        with file_errors(name, "read the ASDF file"):
            read_asdf(model, init, name)
    elif _is_path(init) or _is_file(init):
        _init_from_file(model, init)
    else:
        raise TypeError(
            f"{type(model).__name__}: cannot initialise from {type(init).__name__}; give None, a shape "
            "tuple, a path or file object, an HDUList, a numpy array, a dict or another model"
        )
    if model._store.loaders:  # read from a file
        standard_bits_after_read(model)


def _init_shape(model: DataModel[MetaNode], shape: tuple[int, ...]) -> None:
    from ._arrays import ArrayField

    name = model.get_primary_array_name()
    field = model._fields.get(name)
    if not all(isinstance(cast(object, n), int | np.integer) and n >= 0 for n in shape):
        raise TypeError(
            f"{type(model).__name__}: a shape must be a tuple of non-negative integers, got {shape!r}"
        )
    if not isinstance(field, ArrayField):
        what = f"its primary entry {name!r} is a table or list" if name else "it has no primary array"
        raise TypeError(f"{type(model).__name__}: a shape tuple sizes the primary array, and {what}")
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
        raise model.meta._unknown(".".join(loc))

    meta = build_meta(
        type(model.meta), cast(Mapping[str, object], meta_tree), on_invalid=on_invalid, on_unknown=on_unknown
    )
    meta.attach(model_name)
    model.meta = meta
    for key, value in tree.items():
        if key != "meta":
            setattr(model, key, value)


def _ignore(*_: object) -> None:
    """Conversion between model classes drops what the target class cannot hold."""


def _init_from_model(model: DataModel[MetaNode], other: DataModel[MetaNode]) -> None:
    """Convert between model classes: shared metadata and arrays carry over, the rest is dropped."""
    model.meta = build_meta(
        type(model.meta),
        other.meta.model_dump(exclude_none=True, warnings=False),
        on_invalid=_ignore,
        on_unknown=_ignore,
    )
    model.meta.attach(type(model).__name__)
    for name in other.array_names():
        if name in model._fields:
            setattr(model, name, getattr(other, name))
    for name, value in other._scalars.items():
        field = model._scalar_fields.get(name)
        try:
            if field is not None:
                model._scalars[name] = field.check(value)
        except ValidationError:
            pass  # a value this class's field cannot hold is dropped, like other metadata
    model.extra_fits = {hdu: list(cards) for hdu, cards in other.extra_fits.items()}
    model.filename = other.filename
    _carry_items(model, other)


def _carry_items(model: DataModel[MetaNode], other: DataModel[MetaNode]) -> None:
    """Items carry over (copied, converted to this class's item class where it differs); a multi-model made
    from one single model (``MultiSlitModel(slit)``) holds a copy of it as its first item."""
    for name, field in model._list_fields.items():
        if name in other._list_fields:
            field.__set__(model, [_as_item(field, item) for item in other._lists.get(name, [])])
    lists = list(model._list_fields.values())
    if len(lists) == 1 and not other._list_fields:
        lists[0].__set__(model, [_as_item(lists[0], other)])


def _as_item(field: ListField[Any], source: DataModel[MetaNode]) -> DataModel[MetaNode]:
    return source.copy() if isinstance(source, field.item_class) else field.item_class(source)


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
            with file_errors(name, "read the FITS file"):
                read_fits(model, hdul, name)
        except BaseException:
            model.close()
            raise
    else:
        from ._asdf import open_asdf, read_asdf

        af = open_asdf(init, name)
        model._close_hooks.append(af.close)
        try:
            with file_errors(name, "read the ASDF file"):
                read_asdf(model, af, name)
        except BaseException:
            model.close()
            raise


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
    validation warnings into errors: here validation is always strict (a value that does not fit raises),
    so either value reads the same.

    Falls back on the data's dimensionality (2-D ImageModel, 3-D CubeModel, 4-D RampModel when GROUPDQ is
    present, else QuadModel). A file is opened once; the model owns it until ``close()``. ``schema``,
    ``extensions`` and ``pass_invalid_values`` are passed to the model class (see ``DataModel``).

    The result is typed ``DataModel[CommonMeta]``: the fields every file carries (``meta.filename``,
    ``meta.instrument.name``, ...) need no narrowing. To get a given class, call it (``ImageModel(path)``)
    or narrow with ``isinstance``.
    """
    # every class a file or a model type names extends the common metadata root (the generator plans it)
    opened = _open_model(init, schema=schema, extensions=extensions, pass_invalid_values=pass_invalid_values)
    return cast("DataModel[CommonMeta]", opened)


def _open_model(
    init: object,
    *,
    schema: Mapping[str, object] | None,
    extensions: object,
    pass_invalid_values: bool,
) -> DataModel[MetaNode]:
    from ._base import DataModel

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
    if _is_hdulist(init):
        return _class_from_header(init)(init, **options)
    if _is_path(init):
        name = os.fspath(cast("str | os.PathLike[str]", init))
        kind = sniff(name)
    elif _is_file(init):
        name = str(getattr(init, "name", "<file object>"))
        kind = _file_kind(init)
    elif init is None:
        return _required("ImageModel")(None, **options)
    else:
        raise TypeError(f"jwstmodels.open: cannot open {type(init).__name__}")
    if kind == "fits":
        from ._fits import open_hdulist

        hdul = open_hdulist(init, name)
        try:
            with file_errors(name, "read the FITS file"):
                model = _class_from_header(hdul, name)(hdul, **options)
        except BaseException:
            hdul.close()
            raise
        model._close_hooks.append(hdul.close)
    else:
        af = _open_asdf_with(extensions, init, name)
        try:
            with file_errors(name, "read the ASDF file"):
                model = _class_from_tree(af.tree, name)(af, **options)
        except BaseException:
            af.close()
            raise
        model._close_hooks.append(af.close)
    model.filename = name
    return model


def _open_asdf_with(extensions: object, init: object, name: str) -> Any:
    """Open an ASDF file with ``extensions`` in effect (the tree is converted while it opens)."""
    from ._asdf import open_asdf

    if extensions is None:
        return open_asdf(init, name)
    import asdf

    from ._base import _extension_tuple

    with asdf.config_context() as config:
        for extension in _extension_tuple(extensions):
            config.add_extension(cast(Any, extension))
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


def warn_unknown_type(model: DataModel[MetaNode], filename: str, where: str) -> None:
    """A file naming a model type no class has (a junk value, a type of another package): the class was
    chosen otherwise (by the caller, or from the data), and the reader is told."""
    model_type = getattr(model.meta, "model_type", None)
    if not model_type or str(model_type) == type(model).__name__ or model_class(str(model_type)) is not None:
        return
    import warnings

    from ._errors import InvalidValueWarning

    warnings.warn(
        f"{filename}: {where} {model_type!r} names no model class; read as {type(model).__name__}",
        InvalidValueWarning,
        stacklevel=5,
    )


def _class_from_header(hdul: Any, filename: str = "<HDUList>") -> type[DataModel[MetaNode]]:
    del filename  # a model type no class has is reported by the reader (warn_unknown_type)
    model_type = hdul[0].header.get("DATAMODL")
    cls = model_class(str(model_type)) if model_type else None
    if cls is not None:
        return cls
    names = {str(hdu.name).upper() for hdu in hdul}
    naxis = hdul["SCI"].header.get("NAXIS", 2) if "SCI" in names else 2
    cls = _required(_by_ndim(naxis if isinstance(naxis, int) else 2, "GROUPDQ" in names))
    return cls
