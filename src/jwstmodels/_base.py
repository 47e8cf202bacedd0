"""DataModel: the base class of every generated model class.

Generated classes declare ``meta_class`` and their array and table fields; everything a model does lives here
and in the I/O modules.
"""

# pyright: reportPrivateUsage=false
# (runtime module: it works on the internal state of models and metadata nodes)

from __future__ import annotations

import copy
import datetime
import difflib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar, cast

import pydantic
from numpy.typing import ArrayLike

from ._arrays import ArrayStore, _Field
from ._errors import UnknownFieldError, ValidationError, ValidationErrors
from ._lists import ListField
from ._meta import MetaNode, describe_annotation

MetaT = TypeVar("MetaT", bound=MetaNode, covariant=True)

Card = tuple[str, str | int | float | bool | None, str]
"""A FITS header card kept verbatim: (keyword, value, comment)."""

_FITS_SUFFIXES = (".fits", ".fit", ".fts", ".fits.gz", ".fit.gz")


class DataModel(Generic[MetaT]):
    """Base class of all data models: typed metadata in ``meta`` plus arrays and tables as attributes.

    ``init`` may be None (an empty model), a shape tuple (sizes the primary array), a path or readable binary
    file object (FITS or ASDF), an ``astropy.io.fits.HDUList``, a numpy array (the primary array), a dict
    holding the object tree (``{"meta": {...}, "data": array}``) or another model (converted to this class).
    Arrays may also be passed as keyword arguments: ``ImageModel(data=sci, dq=dq)``.
    """

    meta_class: ClassVar[type[MetaNode]]
    schema_name: ClassVar[str] = ""
    primary_array_name: ClassVar[str] = "data"
    required_meta: ClassVar[tuple[str, ...]] = ()
    """Dotted metadata paths that must be set for ``validate()`` to pass (reference-file bookkeeping)."""
    _fields: ClassVar[dict[str, _Field]] = {}
    _list_fields: ClassVar[dict[str, ListField[Any]]] = {}

    __slots__ = (
        "_close_hooks",
        "_extra_hdus",
        "_extra_tree",
        "_lists",
        "_meta",
        "_pass_invalid",
        "_shape",
        "_store",
        "extra_fits",
        "filename",
    )

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        found: dict[str, _Field] = {}
        lists: dict[str, ListField[Any]] = {}
        for klass in reversed(cls.__mro__):
            for name, value in vars(klass).items():
                if isinstance(value, _Field):
                    found[name] = value
                elif isinstance(value, ListField):
                    lists[name] = cast(ListField[Any], value)
        cls._fields = found
        cls._list_fields = lists

    def __init__(
        self,
        init: object = None,
        *,
        pass_invalid_values: bool = False,
        **arrays: ArrayLike,
    ) -> None:
        self._meta: MetaNode = self.meta_class()
        self._meta._owner = type(self).__name__
        self._store = ArrayStore()
        self._shape: tuple[int, ...] | None = None
        self._pass_invalid = pass_invalid_values
        self._close_hooks: list[Any] = []
        self.extra_fits: dict[str, list[Card]] = {}
        """FITS header cards the schema does not name, by HDU name; written back on save."""
        self.filename: str | None = None
        """The file this model was read from, if any."""
        self._extra_tree: dict[str, Any] = {}
        self._extra_hdus: list[Any] = []
        """FITS HDUs the schema does not describe (astropy HDU objects), written back on FITS save."""
        self._lists: dict[str, list[Any]] = {}
        """Values of the list fields (``slits``, ``spec``, ...)."""
        """Parts of an ASDF tree the schema does not describe, written back on save."""

        from ._open import initialise

        initialise(self, init)
        for name, value in arrays.items():
            if name not in self._fields:
                raise self._unknown(name)
            setattr(self, name, value)

    # -- attributes ---------------------------------------------------------------------------------

    @property
    def meta(self) -> MetaT:
        """The metadata tree (``model.meta.exposure.nframes``, ...)."""
        return cast(MetaT, self._meta)

    @property
    def shape(self) -> tuple[int, ...] | None:
        """Shape of the primary array, or None when the model has none."""
        return self._primary_shape()

    @property
    def _arrays(self) -> ArrayStore:
        return self._store

    def _primary_shape(self) -> tuple[int, ...] | None:
        name = self.get_primary_array_name()
        value = self._store.values.get(name)
        if value is not None and name not in self._store.defaulted:
            return value.shape
        return self._store.shapes.get(name, self._shape)

    def get_primary_array_name(self) -> str:
        """Name of the array whose shape sizes the arrays created lazily (``data`` unless the schema says)."""
        return self.primary_array_name

    if not TYPE_CHECKING:
        # Hidden from type checkers so that assigning to a misspelt attribute stays a static error.
        def __setattr__(self, name: str, value: object) -> None:
            if name in DataModel.__slots__ or name in self._fields or name in self._list_fields:
                object.__setattr__(self, name, value)
                return
            raise self._unknown(name)

    def _unknown(self, name: str) -> UnknownFieldError:
        choices = ["meta", *self._fields]
        close = difflib.get_close_matches(name, choices, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return UnknownFieldError(f"{type(self).__name__} has no attribute {name!r}{hint}")

    def __repr__(self) -> str:
        shape = self.shape
        source = f" from {self.filename}" if self.filename else ""
        return f"<{type(self).__name__}{shape if shape is not None else ''}{source}>"

    def array_names(self) -> list[str]:
        """Names of the arrays and tables that hold data (given, read, or created and then kept)."""
        return [name for name in self._fields if name in self._store.values or name in self._store.loaders]

    # -- life cycle ---------------------------------------------------------------------------------

    def close(self) -> None:
        """Release the file this model was read from (arrays already read stay usable)."""
        hooks, self._close_hooks = self._close_hooks, []
        for hook in hooks:
            hook()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def copy(self) -> Self:
        """A deep copy: arrays and metadata of the copy are independent of this model."""
        for name in list(self._store.loaders):
            getattr(self, name)
        new = type(self)()
        new._meta = self._meta.model_copy(deep=True)
        new._meta._owner = type(self).__name__
        new._store = self._store.copy()
        new._shape = self._shape
        new._pass_invalid = self._pass_invalid
        new.extra_fits = {hdu: list(cards) for hdu, cards in self.extra_fits.items()}
        new._extra_tree = copy.deepcopy(self._extra_tree)
        return new

    # -- validation ---------------------------------------------------------------------------------

    def validate(self) -> None:
        """Validate the whole model: every metadata value and every array; raise ValidationErrors."""
        errors = validate_meta_tree(self._meta, type(self).__name__)
        for name, field in self._fields.items():
            value = self._store.values.get(name)
            if value is None:
                continue
            try:
                field.coerce(value)
            except ValidationError as exc:
                errors.append(exc)
        if errors:
            raise ValidationErrors(errors)

    # -- saving -------------------------------------------------------------------------------------

    def on_save(self, path: str | os.PathLike[str] | None = None) -> None:
        """Called just before writing: stamps ``meta.date``, ``meta.filename`` and ``meta.model_type``.

        Subclasses may extend it; they should call ``super().on_save(path)``.
        """
        fields = type(self._meta).model_fields
        if "date" in fields:
            now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
            setattr(self._meta, "date", now.isoformat(timespec="milliseconds"))
        if path is not None and "filename" in fields:
            setattr(self._meta, "filename", Path(path).name)
        if "model_type" in fields:
            setattr(self._meta, "model_type", type(self).__name__)

    def save(self, path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> Path:
        """Save to FITS or ASDF, chosen by the file name's suffix; returns the path written.

        The model is validated first (nothing is written when it is invalid, unless it was opened with
        ``pass_invalid_values=True``), and the file is written to a temporary name that replaces ``path`` only
        when writing succeeded.
        """
        name = os.fspath(path).lower()
        if name.endswith(".asdf"):
            return self.to_asdf(path, *args, **kwargs)
        if name.endswith(_FITS_SUFFIXES):
            return self.to_fits(path, *args, **kwargs)
        raise ValueError(f"{os.fspath(path)}: cannot tell the format from the suffix; use .fits or .asdf")

    write = save

    def _prepare_save(self, path: str | os.PathLike[str]) -> None:
        self.on_save(path)
        if not self._pass_invalid:
            self.validate()

    def to_fits(self, path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> Path:
        """Write FITS; extra arguments go to ``astropy.io.fits.HDUList.writeto``."""
        from ._fits import write_fits

        self._prepare_save(path)
        return write_fits(self, path, *args, **kwargs)

    def to_asdf(self, path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> Path:
        """Write ASDF; extra arguments go to ``asdf.AsdfFile.write_to``."""
        from ._asdf import write_asdf

        self._prepare_save(path)
        return write_asdf(self, path, *args, **kwargs)

    # -- flat views ---------------------------------------------------------------------------------

    def to_flat_dict(self, include_arrays: bool = True) -> dict[str, object]:
        """Every set value as ``{"meta.observation.date": "2024-01-01", ..., "data": array}``."""
        flat: dict[str, object] = {}
        _flatten(self._meta.model_dump(exclude_none=True), "meta", flat)
        if include_arrays:
            for name in self.array_names():
                flat[name] = getattr(self, name)
        return flat

    def items(self) -> Iterator[tuple[str, object]]:
        """Iterate over (dotted key, value) pairs of every set value, arrays included."""
        return iter(self.to_flat_dict().items())

    def keys(self) -> Iterator[str]:
        """Iterate over the dotted keys of every set value."""
        return iter(self.to_flat_dict())

    def values(self) -> Iterator[object]:
        """Iterate over every set value."""
        return iter(self.to_flat_dict().values())

    iteritems = items
    iterkeys = keys
    itervalues = values


def _flatten(tree: Mapping[str, object], prefix: str, out: dict[str, object]) -> None:
    for key, value in tree.items():
        dotted = f"{prefix}.{key}"
        if isinstance(value, Mapping):
            _flatten(cast(Mapping[str, object], value), dotted, out)
        else:
            out[dotted] = value


def validate_meta_tree(meta: MetaNode, model_name: str) -> list[ValidationError]:
    """Validate every value of a metadata tree at once (values kept with ``pass_invalid_values`` included)."""
    cls = type(meta)
    try:
        cls.model_validate(meta.model_dump(warnings=False))
    except pydantic.ValidationError as exc:
        return [_error_at(cls, model_name, error["loc"], error["input"]) for error in exc.errors()]
    return []


def _error_at(
    cls: type[MetaNode], model_name: str, loc: tuple[int | str, ...], got: object
) -> ValidationError:
    """A ValidationError for the field at pydantic location ``loc`` below a meta class."""
    node = cls
    for part in loc[:-1]:
        annotation = node.model_fields[str(part)].annotation
        if not (isinstance(annotation, type) and issubclass(annotation, MetaNode)):
            break
        node = annotation
    name = str(loc[-1])
    info = node.model_fields.get(name)
    keyword, hdu = node.fits_location(name)
    return ValidationError.for_field(
        model=model_name,
        path=".".join(("meta", *map(str, loc))),
        keyword=keyword,
        hdu=hdu,
        expected=describe_annotation(info.annotation) if info is not None else "no such field",
        got=got,
    )
