"""DataModel: the base class of every generated model class.

Generated classes declare ``meta_class`` and their array and table fields; everything a model does lives here
and in the I/O modules.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import difflib
import functools
import importlib
import os
import warnings
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, Self, TypeVar, cast, overload

import numpy as np
import pydantic
from numpy.typing import ArrayLike, NDArray

from jwstmodels._core.arrays import ArrayField, CreatedArrayField, DataField
from jwstmodels._core.content import Card, FileContent, ModelLayout
from jwstmodels._core.errors import (
    FileFormatError,
    ModelTypeMismatchWarning,
    UnknownFieldError,
    UnknownModelTypeWarning,
    ValidationError,
    ValidationErrors,
    file_errors,
)
from jwstmodels._core.lists import ListField
from jwstmodels._core.loading import build_meta
from jwstmodels._core.meta import MetaNode, describe_annotation, scalar_leaves, unknown_field
from jwstmodels._core.meta_lists import error_in_list
from jwstmodels._core.node import complete
from jwstmodels._core.node_instance import bind_tree_extras
from jwstmodels._core.node_plans import new_node, tree_is_valid
from jwstmodels._core.scalars import ScalarField, scalar_errors
from jwstmodels._core.state import ModelState
from jwstmodels._io.asdf_extensions import extension_tuple, extensions_in_effect
from jwstmodels._io.sniff import (
    detect_format,
    file_kind,
    is_asdf_file,
    is_file,
    is_hdulist,
    is_path,
    reads_metadata,
    sniff,
)
from jwstmodels._model import saving
from jwstmodels._model.dq_bits import standard_bits_after_read
from jwstmodels._model.schema_search import SchemaSearch

if TYPE_CHECKING:
    from astropy.wcs import WCS

    from jwstmodels._model.compat_api import CalLogs
    from jwstmodels_generated.meta import HistoryEntry, HistorySoftware

MetaT = TypeVar("MetaT", bound=MetaNode, covariant=True)


CatalogueLookup = Callable[[str], "type[DataModel[MetaNode]] | None"]
"""The catalogue's model class for a ``DATAMODL`` value (aliases included), None for one it does not have."""
_catalogue: list[CatalogueLookup] = []


def use_catalogue(lookup: CatalogueLookup) -> None:
    """How DataModel finds the catalogue's class for a ``DATAMODL`` value (to warn when a file is read into
    another class). The catalogue lives above this layer: ``_open``, which owns the lookup, registers it when
    imported (``jwstmodels`` imports it), so that this module never imports upward."""
    _catalogue[:] = [lookup]


_SETTABLE_PROPERTIES = frozenset({"cal_logs"})
"""Properties with a setter that ``__setattr__`` lets through."""


class DataModel(Generic[MetaT]):
    """Base class of all data models: typed metadata in ``meta`` plus arrays and tables as attributes.

    ``init`` may be None (an empty model), a shape tuple (sizes the primary array), a path or readable binary
    file object (FITS or ASDF), an ``astropy.io.fits.HDUList``, a numpy array (the primary array), a dict
    holding the object tree (``{"meta": {...}, "data": array}``) or another model (converted to this class).
    Arrays may also be passed as keyword arguments: ``ImageModel(data=sci, dq=dq)``.

    ``schema`` (a schema tree) adds entries to this model before ``init`` is read, as ``extend_schema``
    does; the class's own schema cannot be replaced. ``extensions`` are asdf extensions
    (``asdf.extension.Extension`` objects, one or a list) used when this model reads or writes ASDF, for
    custom tags in the tree. ``pass_invalid_values`` keeps values read from a file that do not fit their
    field in place (with a warning) and lets ``save`` write them.
    """

    meta_class: ClassVar[type[MetaNode]]
    schema_name: ClassVar[str] = ""
    primary_array_name: ClassVar[str] = "data"
    _save_hooks: ClassVar[tuple[str, ...]] = ()
    """Functions (``module:name``) run with the model before it is saved or validated, as ``models.yaml``'s
    ``on_save`` declares them (``AmiOIModel``: the OIFITS keywords, ``_model.oifits``); private, as a
    generated class's own business."""
    required_meta: ClassVar[tuple[str, ...]] = ()
    """Dotted metadata paths that must be set for ``validate()`` to pass (reference-file bookkeeping)."""
    meta: MetaT
    """The metadata tree (``model.meta.exposure.nframes``, ...): typed per model class."""
    __jwst_layout__: ClassVar[ModelLayout]
    """This class's description (``_core.content.ModelLayout``): its arrays, tables, scalars and lists, what
    the backends read and write by; made when the class is created. A framework dunder, as pydantic's
    ``__pydantic_fields__``: public to type checkers, never a schema field, not user API."""
    __jwst_state__: ModelState
    """This model's state besides ``meta``, ``extra_fits`` and ``filename`` (``_core.state.ModelState``): what
    the field descriptors and the model layer's helpers share."""

    __slots__ = ("__jwst_state__", "extra_fits", "filename", "meta")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.__jwst_layout__ = _make_layout(cls)

    def __init__(
        self,
        init: object = None,
        *,
        schema: Mapping[str, object] | None = None,
        extensions: object = None,
        pass_invalid_values: bool = False,
        **arrays: ArrayLike,
    ) -> None:
        self.__jwst_state__ = ModelState(
            pass_invalid=pass_invalid_values, extensions=extension_tuple(extensions)
        )
        self.extra_fits: dict[str, list[Card]] = {}
        """FITS header cards the schema does not name, by HDU name; written back on save."""
        self.filename: str | None = None
        """The file this model was read from, if any."""
        if schema is not None or not reads_metadata(init):  # a reader builds the tree itself, once
            _set_meta(self, new_node(self.meta_class))
            self.meta.attach(type(self).__name__)

        if schema is not None:
            if not isinstance(cast(object, schema), Mapping):
                raise TypeError(
                    f"{type(self).__name__}: schema= takes a schema tree (a dict) whose entries are added to "
                    f"the class's schema, not a {type(schema).__name__}; the class's own schema stays"
                )
            self.extend_schema(schema)

        with self._asdf_extensions():
            self._initialise(init)
        if reads_metadata(init):
            try:
                self._warn_if_mismatched(init)
            except BaseException:  # the warning raised (warnings as errors): the file is not kept open
                self.close()
                raise
        for name, value in arrays.items():
            if name not in self.__jwst_layout__.fields:
                raise self._unknown(name)
            setattr(self, name, value)
        self._create_arrays()

    def _create_arrays(self) -> None:
        """As the reference's classes do after reading ``init``: a model holding its primary array also holds
        the arrays its class creates beside it (``__jwst_layout__.created_arrays``), the ones it lacks made
        from their schema default and sized after the primary array. Any other array stays absent (reads
        None)."""
        if not self.__jwst_layout__.created_arrays:
            return
        shape = self._primary_shape()
        if shape is None:
            return
        for name in self.__jwst_layout__.created_arrays:
            if not self.__jwst_state__.store.is_present(name):
                field = self.__jwst_layout__.fields[name]
                if isinstance(field, ArrayField):
                    setattr(self, name, field.make_default(shape)[0])

    # -- initialising --------------------------------------------------------------------------------

    def _initialise(self, init: object) -> None:
        """Fill a new model from ``init`` (see the class docstring for the accepted kinds)."""
        if init is None:
            return
        if isinstance(init, tuple):
            self._init_shape(cast(tuple[int, ...], init))
        elif isinstance(init, np.ndarray):
            setattr(self, self.get_primary_array_name(), init)
        elif isinstance(init, DataModel):
            self._init_from_model(cast("DataModel[MetaNode]", init))
        elif isinstance(init, Mapping):
            self._init_from_tree(cast(Mapping[str, object], init))
        elif is_hdulist(init):
            from jwstmodels._io.fits_format import read_fits

            hdul = cast(Any, init)
            source: object = hdul.filename()
            name = source if isinstance(source, str) else "<HDUList>"
            with file_errors(name, "read the FITS file"):
                content = read_fits(
                    hdul, self.__jwst_layout__, name, pass_invalid=self.__jwst_state__.pass_invalid
                )
            self._adopt(content)
            self.filename = name
        elif is_asdf_file(init):
            from jwstmodels._io.asdf_format import read_asdf

            label = str(getattr(init, "uri", None) or "<AsdfFile>")
            with file_errors(label, "read the ASDF file"):
                content = read_asdf(
                    init, self.__jwst_layout__, label, pass_invalid=self.__jwst_state__.pass_invalid
                )
            self._adopt(content)
        elif is_path(init) or is_file(init):
            self._init_from_file(init)
        else:
            raise TypeError(
                f"{type(self).__name__}: cannot initialise from {type(init).__name__}; give None, a shape "
                "tuple, a path or file object, an HDUList, a numpy array, a dict or another model"
            )
        self._after_read()

    def _after_read(self) -> None:
        """A model read from a file (and each of its items) holds the standard DQ bits (see ``_dq_bits``)."""
        if self.__jwst_state__.store.loaders:
            dq_def = functools.partial(saving.dq_def, self)
            standard_bits_after_read(self.__jwst_state__.store, self.__jwst_layout__.fields, dq_def)
        for items in self.__jwst_state__.lists.values():
            for item in items:
                item._after_read()

    def _init_shape(self, shape: tuple[int, ...]) -> None:
        name = self.get_primary_array_name()
        field = self.__jwst_layout__.fields.get(name)
        if not all(isinstance(cast(object, n), int | np.integer) and n >= 0 for n in shape):
            raise TypeError(
                f"{type(self).__name__}: a shape must be a tuple of non-negative integers, got {shape!r}"
            )
        if not isinstance(field, ArrayField):
            what = f"its primary entry {name!r} is a table or list" if name else "it has no primary array"
            raise TypeError(f"{type(self).__name__}: a shape tuple sizes the primary array, and {what}")
        field.check_ndim(len(shape), f"shape {shape}")
        self.__jwst_state__.shape = tuple(int(n) for n in shape)
        setattr(self, name, field.make_default(self.__jwst_state__.shape)[0])

    def _init_from_tree(self, tree: Mapping[str, object]) -> None:
        model_name = type(self).__name__
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
            raise unknown_field(self.meta, ".".join(loc))

        meta = build_meta(
            type(self.meta),
            cast(Mapping[str, object], meta_tree),
            on_invalid=on_invalid,
            on_unknown=on_unknown,
        )
        meta.attach(model_name)
        _set_meta(self, meta)
        for key, value in tree.items():
            if key != "meta":
                setattr(self, key, value)

    def _init_from_model(self, other: DataModel[MetaNode]) -> None:
        """Convert between model classes: shared metadata and arrays carry over, the rest is dropped."""
        meta = build_meta(
            type(self.meta),
            other.meta.model_dump(exclude_none=True, warnings=False),
            on_invalid=_ignore,
            on_unknown=_ignore,
        )
        meta.attach(type(self).__name__)
        _set_meta(self, meta)
        for name in other.array_names():
            if name in self.__jwst_layout__.fields:
                setattr(self, name, getattr(other, name))
        for name, value in other.__jwst_state__.scalars.items():
            field = self.__jwst_layout__.scalar_fields.get(name)
            try:
                if field is not None:
                    self.__jwst_state__.scalars[name] = field.check(value)
            except ValidationError:
                pass  # a value this class's field cannot hold is dropped, like other metadata
        self.extra_fits = {hdu: list(cards) for hdu, cards in other.extra_fits.items()}
        self.filename = other.filename
        self._carry_items(other)

    def _carry_items(self, other: DataModel[MetaNode]) -> None:
        """Items carry over (copied, converted to this class's item class where it differs); a multi-model
        made from one single model (``MultiSlitModel(slit)``) holds a copy of it as its first item."""
        for name, field in self.__jwst_layout__.list_fields.items():
            if name in other.__jwst_layout__.list_fields:
                field.__set__(
                    self, [self._as_item(field, item) for item in other.__jwst_state__.lists.get(name, [])]
                )
        lists = list(self.__jwst_layout__.list_fields.values())
        if len(lists) == 1 and not other.__jwst_layout__.list_fields:
            lists[0].__set__(self, [self._as_item(lists[0], other)])

    @staticmethod
    def _as_item(field: ListField[Any], source: DataModel[MetaNode]) -> DataModel[MetaNode]:
        return source.copy() if isinstance(source, field.item_class) else field.item_class(source)

    def _init_from_file(self, init: object) -> None:
        if is_path(init):
            path = cast("str | os.PathLike[str]", init)
            kind, name = sniff(path), os.fspath(path)
        else:
            kind, name = file_kind(init), str(getattr(init, "name", "<file object>"))
        self.filename = name
        if kind == "fits":
            from jwstmodels._io.fits_format import open_hdulist, read_fits

            hdul = open_hdulist(init, name)
            # looked up at close: a lazy read wraps it to keep the extension's bytes (``fits_lazy``)
            self.__jwst_state__.close_hooks.append(lambda: hdul.close())
            try:
                with file_errors(name, "read the FITS file"):
                    content = read_fits(
                        hdul, self.__jwst_layout__, name, pass_invalid=self.__jwst_state__.pass_invalid
                    )
                self._adopt(content)
            except BaseException:
                self.close()
                raise
        else:
            from jwstmodels._io.asdf_format import open_asdf, read_asdf

            af = open_asdf(init, name)
            self.__jwst_state__.close_hooks.append(af.close)
            try:
                with file_errors(name, "read the ASDF file"):
                    content = read_asdf(
                        af, self.__jwst_layout__, name, pass_invalid=self.__jwst_state__.pass_invalid
                    )
                self._adopt(content)
            except BaseException:
                self.close()
                raise

    def _warn_unknown_type(self, place: str) -> None:
        """A file naming (at ``place``: ``x.fits: DATAMODL``) a model type no class has (a junk value, a type
        of another package): the class was chosen otherwise (by the caller, or from the data); say so."""
        model_type = getattr(self.meta, "model_type", None)
        if not model_type or str(model_type) == type(self).__name__ or not _catalogue:
            return
        if _catalogue[0](str(model_type)) is not None:
            return
        self.__jwst_state__.unknown_type = str(model_type)
        warnings.warn(
            f"{place} {model_type!r} names no model class; read as {type(self).__name__}",
            UnknownModelTypeWarning,
            stacklevel=5,
        )

    def _warn_if_mismatched(self, init: object) -> None:
        """ModelTypeMismatchWarning when the file just read names (``DATAMODL``) a model class of the
        catalogue that this model's class is not (nor a subclass of)."""
        declared: object = vars(self.meta).get("model_type")
        if not isinstance(declared, str) or not declared or not _catalogue:
            return
        cls = _catalogue[0](declared)
        if cls is None or isinstance(self, cls):
            return
        if any(issubclass(cls, field.item_class) for field in self.__jwst_layout__.list_fields.values()):
            return  # one item's file (a SlitModel's into a MultiSlitModel): read as its one item
        source = self.filename or _describe_source(init)
        mine = type(self).__name__
        warnings.warn(
            f"{source}: its DATAMODL is {declared!r}, opened as {mine}: what {mine}'s schema does not "
            f"describe is kept aside, not read into fields ({cls.__name__}(...) or jwstmodels.open reads it)",
            ModelTypeMismatchWarning,
            stacklevel=3,
        )

    # -- the interface to the I/O backends (see _content) ----------------------------------------------

    def _adopt(self, content: FileContent) -> None:
        """Take what a reader found in a file (a new model's state; items become models of their class)."""
        if content.meta is not None:
            _set_meta(self, content.meta)
            if content.model_type_place is not None:
                self._warn_unknown_type(content.model_type_place)
        self.__jwst_state__.scalars = content.scalars
        self.__jwst_state__.store.loaders.update(content.loaders)
        self.__jwst_state__.store.shapes.update(content.shapes)
        self.extra_fits = content.extra_fits
        self.__jwst_state__.extra_tree = content.extra_tree
        self.__jwst_state__.extra_hdus = content.extra_hdus
        self.__jwst_state__.close_hooks += content.close_hooks
        for name, contents in content.items.items():
            item_class = self.__jwst_layout__.list_fields[name].item_class
            items: list[DataModel[MetaNode]] = []
            for found in contents:
                item = item_class()
                item.__jwst_state__.pass_invalid = found.pass_invalid
                if found.filename is not None:
                    item.filename = found.filename
                item._adopt(found)
                items.append(item)
            self.__jwst_state__.lists[name] = items

    # -- attributes ---------------------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...] | None:
        """Shape of the primary array, or None when the model has none."""
        return self._primary_shape()

    def _primary_shape(self) -> tuple[int, ...] | None:
        """The primary array's shape (from the file's headers when it is not read yet); None without one."""
        name = self.get_primary_array_name()
        value = self.__jwst_state__.store.values.get(name)
        if value is not None:
            return value.shape
        return self.__jwst_state__.store.shapes.get(name)

    def get_primary_array_name(self) -> str:
        """Name of the array that a shape tuple creates and whose shape sizes the arrays made from defaults.

        ``data`` unless the schema's manifest names another (``dq`` for MaskModel); empty for models without
        one (tables only).
        """
        return self.primary_array_name

    if not TYPE_CHECKING:
        # Hidden from type checkers so that assigning to a misspelt attribute stays a static error.
        def __setattr__(self, name: str, value: object) -> None:
            layout = self.__jwst_layout__
            if (
                name in DataModel.__slots__
                or name in layout.fields
                or name in layout.list_fields
                or name in layout.scalar_fields
                or name in layout.subclass_slots
                or name in _SETTABLE_PROPERTIES
            ):
                object.__setattr__(self, name, value)
                return
            raise self._unknown(name)

        # Hidden from type checkers so that reading a misspelt attribute stays a static error; at run time it
        # names the closest attribute (``m.dat`` -> did you mean 'data'?).
        def __getattr__(self, name: str) -> object:
            if (
                name.startswith("_")
                or name in DataModel.__slots__
                or name in self.__jwst_layout__.subclass_slots
            ):
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            if (
                name in self.__jwst_layout__.fields
            ):  # a CreatedArrayField the model does not hold (see _core.arrays)
                raise AttributeError(
                    f"{type(self).__name__}.{name}: the model holds no {name} array (it was built without "
                    f"one, or it was removed); set it first, or ask hasattr(model, {name!r})"
                )
            # its message (the closest name) is made when shown
            raise _UnknownAttribute(type(self), name, type(self)._attribute_choices)

    @classmethod
    def _attribute_choices(cls) -> list[str]:
        """The names an unknown attribute may be a misspelling of (methods and properties aside)."""
        layout = cls.__jwst_layout__
        return ["meta", *layout.fields, *layout.scalar_fields, *layout.list_fields]

    def _unknown(self, name: str) -> UnknownFieldError:
        choices = [
            "meta",
            *self.__jwst_layout__.fields,
            *self.__jwst_layout__.scalar_fields,
            *self.__jwst_layout__.list_fields,
        ]
        close = difflib.get_close_matches(name, choices, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return UnknownFieldError(f"{type(self).__name__} has no attribute {name!r}{hint}")

    def _unknown_key(self, key: str, hint: bool = True) -> UnknownFieldError:
        """UnknownFieldError for a dotted key the schema does not have, suggesting the closest key."""
        if not hint:
            return UnknownFieldError(f"{type(self).__name__}: {key!r} is not in the schema")
        choices = [leaf.path for leaf in scalar_leaves(type(self.meta))]
        choices += [
            *self.__jwst_layout__.fields,
            *self.__jwst_layout__.scalar_fields,
            *self.__jwst_layout__.list_fields,
        ]
        close = difflib.get_close_matches(key, choices, n=1, cutoff=0.75)
        if not close and "." in key:  # the closest name at each part that is wrong
            fixed = self._closest_by_parts(key)
            close = [fixed] if fixed else []
        suggestion = f"; did you mean {close[0]!r}?" if close else ""
        return UnknownFieldError(f"{type(self).__name__}: {key!r} is not in the schema{suggestion}")

    def _closest_by_parts(self, key: str) -> str | None:
        """``key`` with each wrong part of its metadata path replaced by the closest field name there."""
        parts = key.split(".")
        if parts[0] != "meta":
            return None
        node_class: type[MetaNode] = type(self.meta)
        fixed = ["meta"]
        for position, part in enumerate(parts[1:], start=1):
            names = list(node_class.model_fields)
            if part not in names:
                close = difflib.get_close_matches(part, names, n=1)
                if not close:
                    return None
                part = close[0]
            fixed.append(part)
            annotation = node_class.model_fields[part].annotation
            if isinstance(annotation, type) and issubclass(annotation, MetaNode):
                node_class = annotation
            elif position != len(parts) - 1:
                return None
        return ".".join(fixed)

    def __repr__(self) -> str:
        shape = self.shape
        named: object = vars(self.meta).get("filename")  # as the reference: the name in meta first
        name = named if isinstance(named, str) and named else self.filename
        source = f" from {name}" if name else ""
        return f"<{type(self).__name__}{shape if shape is not None else ''}{source}>"

    def array_names(self) -> list[str]:
        """Names of the arrays and tables that hold data (given, read, or created and then kept)."""
        return [
            name
            for name in self.__jwst_layout__.fields
            if name in self.__jwst_state__.store.values or name in self.__jwst_state__.store.loaders
        ]

    # -- life cycle ---------------------------------------------------------------------------------

    def close(self) -> None:
        """Release the file this model was read from (arrays already read stay usable).

        An array not read before ``close()`` can still be touched: the file is opened again, the array read
        and the file closed, provided the file still has the size and modification time it had when the model
        read it. Otherwise (changed, replaced, removed, or never a file on disk) touching it raises
        ``jwstmodels.FileChangedError`` naming the model, the array and the file.
        """
        hooks, self.__jwst_state__.close_hooks = self.__jwst_state__.close_hooks, []
        for hook in hooks:
            hook()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def copy(self, memo: dict[int, object] | None = None) -> Self:
        """A deep copy: metadata, arrays, tables, list items and kept file content are independent of this
        model's (schema extensions included). ``memo`` is the ``copy.deepcopy`` memo, for compatibility."""
        for name in list(self.__jwst_state__.store.loaders):
            getattr(self, name)
        new = type(self)()
        _set_meta(new, self.meta.model_copy(deep=True))
        new.meta.attach(type(self).__name__)
        mine, theirs = self.__jwst_state__, new.__jwst_state__
        theirs.store = mine.store.copy()
        theirs.shape = mine.shape
        theirs.pass_invalid = mine.pass_invalid
        theirs.extensions = mine.extensions
        new.extra_fits = {hdu: list(cards) for hdu, cards in self.extra_fits.items()}
        theirs.extra_tree = copy.deepcopy(mine.extra_tree, memo)
        theirs.extra_hdus = [hdu.copy() for hdu in mine.extra_hdus]
        theirs.lists = {name: [item.copy() for item in items] for name, items in mine.lists.items()}
        theirs.scalars = dict(mine.scalars)
        theirs.unknown_type = mine.unknown_type
        new.filename = self.filename
        return new

    def __deepcopy__(self, memo: dict[int, object]) -> Self:
        return self.copy(memo)

    def __getstate__(self) -> dict[str, Any]:
        """For ``pickle``: arrays not read yet travel as references to the file (read on the far side when
        touched, if the file is unchanged), everything else by value (see ``jwstmodels._model.pickling``)."""
        from jwstmodels._model.pickling import model_state

        complete(self.meta)
        return model_state(self)

    def __setstate__(self, state: dict[str, Any]) -> None:
        from jwstmodels._model.pickling import restore_state

        restore_state(self, state)
        _set_meta(self, self.meta)  # binds the restored tree to this model (node.instance)

    # -- class-method constructors ------------------------------------------------------------------

    @classmethod
    def read(
        cls,
        init: object = None,
        schema: Mapping[str, object] | None = None,
        extensions: object = None,
        pass_invalid_values: bool = False,
    ) -> Self:
        """A model of this class from ``init`` (anything ``__init__`` accepts), as calling the class does."""
        return cls(init, schema=schema, extensions=extensions, pass_invalid_values=pass_invalid_values)

    @classmethod
    def from_fits(
        cls, init: object, schema: Mapping[str, object] | None = None, *, pass_invalid_values: bool = False
    ) -> Self:
        """A model of this class read from a FITS file: a path, a readable binary file object or an HDUList.

        Raises FileFormatError when ``init`` is not FITS (an ASDF file, say).
        """
        _require_format(cls, init, "fits")
        return cls(init, schema=schema, pass_invalid_values=pass_invalid_values)

    @classmethod
    def from_asdf(
        cls,
        init: object,
        schema: Mapping[str, object] | None = None,
        *,
        extensions: object = None,
        pass_invalid_values: bool = False,
    ) -> Self:
        """A model of this class read from an ASDF file: a path, a readable binary file object or an AsdfFile.

        Raises FileFormatError when ``init`` is not ASDF (a FITS file, say).
        """
        _require_format(cls, init, "asdf")
        return cls(init, schema=schema, extensions=extensions, pass_invalid_values=pass_invalid_values)

    # -- validation ---------------------------------------------------------------------------------

    def validate(self) -> None:
        """Validate the whole model; raise ValidationErrors listing every problem.

        Checks every metadata value and top-level scalar (values kept in place by ``pass_invalid_values``
        included), every array and table against its dtype and dimensionality, that each path of
        ``required_meta`` (the keywords a reference file must carry) is set, and every item of a multi-model
        (errors name the item: ``slits[2].name``). The class's ``_save_hooks`` run first, as the reference's
        ``AmiOIModel`` maps its OIFITS keywords before validating.
        """
        self._run_save_hooks()
        errors = self._validation_errors()
        if errors:
            raise ValidationErrors(errors)

    def _run_save_hooks(self) -> None:
        """Run the class's ``_save_hooks`` (``models.yaml``'s ``on_save``) on this model."""
        for spec in type(self)._save_hooks:
            module, _, name = spec.partition(":")
            getattr(importlib.import_module(module), name)(self)

    def _validation_errors(self, *, item: bool = False) -> list[ValidationError]:
        """Every problem :meth:`validate` reports. A list item (``item``) need not carry the bookkeeping
        keywords of ``required_meta``: a reference file's items (``SpecProfileModel.profile``) share the
        file's, as in the reference implementation."""
        errors = validate_meta_tree(self.meta, type(self).__name__)
        errors += [] if item else self._missing_required()
        errors += scalar_errors(
            self.__jwst_layout__.scalar_fields, self.__jwst_state__.scalars, type(self).__name__
        )
        for name, field in self.__jwst_layout__.fields.items():
            value = self.__jwst_state__.store.values.get(name)
            if value is None:
                continue
            try:
                field.coerce(value)
            except ValidationError as exc:
                errors.append(exc)
        for list_name, items in self.__jwst_state__.lists.items():  # each item is a model of its own
            for index, member in enumerate(items):
                place = f"{list_name}[{index}]"
                errors += [e.within(type(self).__name__, place) for e in member._validation_errors(item=True)]
        return errors

    def _missing_required(self) -> list[ValidationError]:
        if not self.required_meta:
            return []
        leaves = {leaf.path: leaf for leaf in scalar_leaves(type(self.meta))}
        errors: list[ValidationError] = []
        for path in self.required_meta:
            leaf = leaves.get(path)
            value = _meta_value(self.meta, leaf.names) if leaf is not None else None
            if value is None:
                errors.append(
                    ValidationError.for_field(
                        model=type(self).__name__,
                        path=path,
                        keyword=leaf.keyword if leaf is not None else None,
                        hdu=leaf.hdu if leaf is not None and leaf.keyword else None,
                        expected="a value (required in this kind of file)",
                        got=None,
                    )
                )
        return errors

    # -- saving -------------------------------------------------------------------------------------

    def on_save(self, path: str | os.PathLike[str] | None = None) -> None:
        """Called just before writing: stamps ``meta.date``, ``meta.filename`` and ``meta.model_type`` (kept
        when it names a type no class has: UnknownModelTypeWarning).

        Subclasses may extend it; they should call ``super().on_save(path)``.
        """
        fields = type(self.meta).model_fields
        if "date" in fields:
            now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
            setattr(self.meta, "date", now.isoformat(timespec="milliseconds"))
        if path is not None and "filename" in fields:
            setattr(self.meta, "filename", Path(path).name)
        if "model_type" in fields and not saving.keeps_unknown_type(self):
            setattr(self.meta, "model_type", type(self).__name__)
        self._run_save_hooks()

    def save(
        self, path: str | os.PathLike[str] | Callable[[str | None], str], *args: Any, **kwargs: Any
    ) -> Path:
        """Save to FITS or ASDF, chosen by the file name's suffix; returns the path written.

        The model is validated first (nothing is written when it is invalid, unless it was opened with
        ``pass_invalid_values=True``), and the file is written to a temporary name that replaces ``path`` only
        when writing succeeded. As the reference's: ``path`` may be a function of ``meta.filename`` giving the
        path, and ``dir_path=`` replaces the path's folder.
        """
        return saving.save(self, path, *args, **kwargs)

    write = save

    def to_fits(self, path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> Path:
        """Write FITS; extra arguments go to ``astropy.io.fits.HDUList.writeto``."""
        return saving.to_fits(self, path, *args, **kwargs)

    def to_asdf(self, path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> Path:
        """Write ASDF; extra arguments go to ``asdf.AsdfFile.write_to``."""
        return saving.to_asdf(self, path, *args, **kwargs)

    def _asdf_extensions(self) -> contextlib.AbstractContextManager[None]:
        """asdf configured with this model's ``extensions`` (without any, asdf is not even imported)."""
        return extensions_in_effect(self.__jwst_state__.extensions)

    # -- flat views ---------------------------------------------------------------------------------

    def to_flat_dict(self, include_arrays: bool = True) -> dict[str, object]:
        """Every set value as ``{"meta.observation.date": "2024-01-01", ..., "data": array}``; scalars outside
        ``meta`` under their own name (``{"name": "S200A1"}``); the values of list items (``slits``, ``spec``,
        ...) under the item's index, as the reference names them (``{"slits.0.name": "S200A1"}``)."""
        from jwstmodels._core.lazy_objects import loaded

        flat: dict[str, object] = {}
        # a WCS not read yet is converted: users see the object (model_dump leaves it as the file holds it)
        _flatten(cast(dict[str, object], loaded(self.meta.model_dump(exclude_none=True))), "meta", flat)
        flat.update(self.__jwst_state__.scalars)
        if include_arrays:
            for name in self.array_names():
                flat[name] = getattr(self, name)
        for (
            list_name,
            items,
        ) in self.__jwst_state__.lists.items():  # keys as the reference names them: slits.0.name
            for index, item in enumerate(items):
                prefix = f"{list_name}.{index}."
                flat.update((prefix + key, value) for key, value in item.to_flat_dict(include_arrays).items())
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

    # -- dotted access ------------------------------------------------------------------------------

    def _resolve(self, key: str, hint: bool = True) -> tuple[object, str]:
        """(the object holding ``key``'s last part, that part); UnknownFieldError (a KeyError too) naming the
        model and the closest key for a key the schema does not have.

        ``slits.0.name`` reaches into item 0 of the list field ``slits``, as the reference names its keys.
        ``hint=False`` leaves out the suggestion (for callers that only ask whether the key exists).
        """
        if not isinstance(cast(object, key), str):
            raise KeyError(f"{type(self).__name__}: keys are dotted names such as 'meta.exposure.nframes'")
        parts = key.split(".")
        if len(parts) == 1:
            if (
                key in self.__jwst_layout__.fields
                or key in self.__jwst_layout__.list_fields
                or key in self.__jwst_layout__.scalar_fields
                or key == "meta"
            ):
                return self, key
            raise self._unknown_key(key, hint)
        if parts[0] in self.__jwst_layout__.list_fields:
            items = self.__jwst_state__.lists.get(parts[0], [])
            index = int(parts[1]) if parts[1].isdigit() else None
            if index is None or index >= len(items) or len(parts) == 2:
                raise KeyError(
                    f"{type(self).__name__}: {key!r}: {parts[0]} has {len(items)} item(s); keys of their "
                    f"values are like '{parts[0]}.0.meta.exposure.nframes'"
                )
            item: DataModel[MetaNode] = items[index]
            try:
                return item._resolve(".".join(parts[2:]), hint)
            except UnknownFieldError as exc:
                raise UnknownFieldError(f"{type(self).__name__}: {parts[0]}[{index}]: {exc}") from None
        if parts[0] != "meta":
            raise self._unknown_key(key, hint)
        node: MetaNode = self.meta
        for part in parts[1:-1]:
            child = node.__dict__.get(part)
            if not isinstance(child, MetaNode):
                raise self._unknown_key(key, hint)
            node = child
        if parts[-1] not in type(node).model_fields:
            raise self._unknown_key(key, hint)
        return node, parts[-1]

    def __getitem__(self, key: str) -> object:
        """The value at a dotted path: ``model["meta.exposure.nframes"]``, ``model["data"]``.

        This is how code reaches entries added at run time (``extend_schema``), which static types do not
        know. ``"slits.0.name"`` reaches item 0 of ``slits``. A path the schema does not have raises
        UnknownFieldError (an AttributeError and a KeyError) suggesting the closest one.
        """
        holder, name = self._resolve(key)
        return getattr(holder, name)

    def __setitem__(self, key: str, value: object) -> None:
        """Set the value at a dotted path, validated as an attribute assignment is."""
        holder, name = self._resolve(key)
        if name == "meta" and isinstance(holder, DataModel):
            raise KeyError(f"{type(self).__name__}: 'meta' itself cannot be replaced; set its fields")
        setattr(holder, name, value)

    def __contains__(self, key: object) -> bool:
        """True when ``key`` is one of ``keys()`` (a dotted path holding a value)."""
        if not isinstance(key, str):
            return False
        try:
            holder, name = self._resolve(key, hint=False)
        except KeyError:  # UnknownFieldError included: an unknown key holds nothing
            return False
        if isinstance(holder, DataModel):  # arrays are not read to answer
            model = cast("DataModel[MetaNode]", holder)
            if name in model.__jwst_layout__.fields:
                return name in model.array_names()
        return key in self.to_flat_dict(include_arrays=False)

    def get_item_as_json_value(self, key: str) -> pydantic.JsonValue:
        """The value at a dotted path as JSON data: str, int, float, bool, None, lists and dicts.

        numpy scalars become Python numbers, byte strings text, arrays nested lists, tables lists of
        ``{column: value}`` rows, metadata groups dicts of their set values.
        """
        return to_json_value(self[key])

    # -- schema -------------------------------------------------------------------------------------

    search_schema = SchemaSearch()
    """``Model.search_schema("frames")`` or ``model.search_schema("exposure time")``: schema entries
    (metadata, arrays, tables, lists) whose dotted path, title, FITS keyword or HDU holds the text, or each
    of its words (blanks, ``_`` and ``.`` separate words), case-insensitively; each a ``(path, title,
    keyword, hdu)`` named tuple, the best matches first. On a model, entries added with ``extend_schema`` are
    included. Meant for interactive use."""

    def find_fits_keyword(self, keyword: str, return_result: bool = True) -> list[str]:
        """Dotted paths of the metadata fields stored as FITS ``keyword`` (``['meta.observation.date']`` for
        ``DATE-OBS``). ``return_result`` is accepted for compatibility and ignored."""
        from jwstmodels._model.schema_search import find_fits_keyword

        return find_fits_keyword(self, keyword)

    def extend_schema(self, new_schema: Mapping[str, object]) -> Self:
        """Add the entries of ``new_schema`` (a schema of the whole model tree, in the dialect of
        ``schemas/``; ``allOf`` parts are merged) to this model only; returns the model.

        Scalars below ``meta`` (``type``, ``enum``, ``title``, ``fits_keyword``, ``fits_hdu``) and new
        groups of them become validated metadata fields, saved to FITS and ASDF; top-level entries with a
        ``datatype`` become arrays or tables. Values that the file this model was read from held for the new
        entries are moved into them. Entries that already exist raise SchemaExtensionError (a ValueError).
        Static types do not know these entries: use ``model["meta.x.y"]``. The metadata tree is rebuilt in
        extended classes, so take references to ``model.meta`` nodes again after extending.
        """
        from jwstmodels._model.extend import extend

        extend(self, new_schema)
        return self

    def add_schema_entry(self, position: str, new_schema: Mapping[str, object]) -> Self:
        """Add one entry, ``new_schema``, at the dotted ``position`` (``"meta.exposure.my_keyword"``)."""
        from jwstmodels._model.extend import wrap_at

        return self.extend_schema(wrap_at(position, new_schema, type(self).__name__))

    # -- metadata from elsewhere --------------------------------------------------------------------

    def update(
        self,
        d: DataModel[MetaNode] | Mapping[str, object],
        only: str | Iterable[str] | None = None,
        extra_fits: bool = False,
        cal_logs: bool = True,
    ) -> None:
        """Copy metadata values (and scalars outside ``meta``, such as ``name``) from another model or a
        nested (or dotted-key) dict into this model.

        From a model: every value it has set whose path this model's schema also has (other paths are a
        difference between classes and are skipped). From a dict: every value; a key that is not in the
        schema raises UnknownFieldError. Arrays, tables and lists are never copied, nor ``meta.date`` and
        ``meta.model_type`` (``save`` stamps them). ``only`` (an HDU name or several) restricts the copy to
        fields whose FITS keyword lives in those HDUs. ``extra_fits=True`` also copies the source's
        ``extra_fits`` cards of those HDUs. All or nothing: when values do not fit, ValidationErrors lists
        each one and this model is unchanged. ``cal_logs=True`` (as the reference) also merges the source's
        pipeline step logs (``cal_logs``) into this model's, once the values are copied.
        """
        from jwstmodels._model.update import update

        complete(self.meta)
        if isinstance(d, DataModel):
            complete(d.meta)
        update(self, d, only, extra_fits, from_model=isinstance(d, DataModel), cal_logs=cal_logs)

    def add_history_entry(
        self, description: str, software: HistorySoftware | Mapping[str, str] | None = None
    ) -> HistoryEntry:
        """Append an entry to ``meta.history``, stamped with the current UTC time, and return it.

        ``software`` names the program (``name`` and ``version`` required, ``author`` and ``homepage``
        optional). ``model.meta.history.append(HistoryEntry(description=...))`` adds one without a time.
        """
        from jwstmodels._io.history import history_leaf

        leaf = history_leaf(type(self.meta))
        if leaf is None or leaf.item_class is None:
            raise AttributeError(f"{type(self).__name__}: its metadata has no history list")
        now = datetime.datetime.now(datetime.UTC)
        # built as users build one, so that a misfit raises ValidationError naming the entry's field
        build = cast("type[HistoryEntry]", leaf.item_class)
        entry = build(description=description, time=now, software=cast("HistorySoftware | None", software))
        complete(self.meta)
        cast("list[HistoryEntry]", vars(self.meta)["history"]).append(entry)
        return entry

    # -- FITS WCS -----------------------------------------------------------------------------------

    def get_fits_wcs(self, hdu_name: str = "SCI", hdu_ver: int = 1, key: str = " ") -> WCS:
        """An ``astropy.wcs.WCS`` built from the FITS WCS cards of HDU ``hdu_name`` (``'PRIMARY'`` for the
        primary header; ``hdu_ver`` picks among HDUs of one name; ``key`` is the alternate WCS letter).

        The WCS is built from the header this model would write; changing it does not change the model
        (use ``set_fits_wcs``).
        """
        from jwstmodels._model.wcs import get_fits_wcs

        return get_fits_wcs(saving.file_content(self), hdu_name, hdu_ver, key)

    def set_fits_wcs(self, wcs: WCS, hdu_name: str = "SCI") -> None:
        """Store the FITS WCS of ``wcs`` (its alternate key included) as the header cards of HDU ``hdu_name``.

        Cards the schema names in that HDU go to their metadata fields (validated), the others to
        ``extra_fits``; cards of an earlier WCS with the same key are replaced. All or nothing.
        """
        from jwstmodels._model.wcs import set_fits_wcs

        set_fits_wcs(self.meta, self.extra_fits, wcs, hdu_name)

    # -- the reference API the JWST pipeline calls (see _compat_api) ---------------------------------

    crds_observatory: ClassVar[str] = "jwst"
    """The observatory CRDS selects this model's reference files for (as the reference's JWST models)."""

    @property
    def instance(self) -> dict[str, Any]:
        """The tree as nested dicts (``{"meta": {...}, "data": array}``): a new copy each time, read-only in
        effect (setting values in it does not change the model). Arrays are the model's own."""
        from jwstmodels._model.compat_api import instance

        complete(self.meta)
        return instance(self)

    def hasattr(self, name: str) -> bool:
        """True when ``name`` is a top-level entry the model holds (``"data"``, ``"meta"``), as the
        reference's: dotted names are always False; ask the node (``model.meta.exposure.hasattr("nframes")``).
        """
        from jwstmodels._model.compat_api import model_hasattr

        complete(self.meta)
        return model_hasattr(self, name)

    def get_dtype(self, name: str) -> np.dtype[Any]:
        """The numpy dtype of the array or table ``name`` (ValueError for ``meta``, AttributeError for an
        unknown name)."""
        from jwstmodels._model.compat_api import get_dtype

        return get_dtype(self, name)

    # "meta" is the one name whose default is no array: a literal special case before the general str one,
    # as typeshed writes them (the overlap is the point, so its report is switched off on this line).
    @overload
    def get_default(self, name: Literal["meta"]) -> dict[str, object]: ...  # pyright: ignore[reportOverlappingOverload]
    @overload
    def get_default(self, name: str) -> NDArray[Any]: ...
    def get_default(self, name: str) -> object:
        """The value ``name`` has when unset, without setting it: for an array, a new array of the model's
        shape filled with the schema's default (0-sized without a shape); for a table, an empty table;
        ``{}`` for ``meta``. Typed as an array for every name but ``meta``: the pipeline asks it of arrays
        and tables; a list field gives ``[]`` and a value outside meta ``None``, as the reference."""
        from jwstmodels._model.compat_api import get_default

        return get_default(self, name)

    def getarray_noinit(self, name: str) -> object:
        """The value of ``name`` when the model holds it; AttributeError otherwise (nothing is created)."""
        from jwstmodels._model.compat_api import getarray_noinit

        return getarray_noinit(self, name)

    @property
    def cal_logs(self) -> CalLogs:
        """The log lines of the pipeline steps that made this model, by step name (as the reference keeps
        them); AttributeError until a step has logged (so ``hasattr(model, "cal_logs")`` asks that)."""
        from jwstmodels._model.compat_api import get_cal_logs

        return get_cal_logs(self.__jwst_state__, type(self).__name__)

    @cal_logs.setter
    def cal_logs(self, logs: CalLogs | Mapping[str, Iterable[str]]) -> None:
        from jwstmodels._model.compat_api import set_cal_logs

        set_cal_logs(self.__jwst_state__, logs)

    def get_crds_parameters(self) -> dict[str, str | int | float | complex | bool]:
        """The set metadata values CRDS selects reference files by, as ``{"meta.instrument.name": ...}``."""
        from jwstmodels._model.compat_api import get_crds_parameters

        return get_crds_parameters(self)


class _UnknownAttribute(UnknownFieldError):
    """UnknownFieldError for reading a missing attribute, whose message is made when it is shown: code
    probing attributes (``hasattr``) should not pay for looking up the closest name."""

    def __init__(self, cls: type[DataModel[MetaNode]], name: str, choices: Callable[[], list[str]]) -> None:
        super().__init__(name)
        self.name = name  # as AttributeError has it
        self._attr = name
        self._cls = cls
        self._choices = choices
        self._message: str | None = None

    def __str__(self) -> str:
        if self._message is None:
            cls = self._cls
            choices = self._choices()
            choices += [attr for attr in dir(cls) if not attr.startswith("_")]  # methods and properties too
            close = difflib.get_close_matches(self._attr, choices, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            self._message = f"{cls.__name__} has no attribute {self._attr!r}{hint}"
        return self._message


def _require_format(cls: type, init: object, kind: str) -> None:
    """Raise FileFormatError when ``init`` is a file of the other format (``from_fits``/``from_asdf``)."""
    found = detect_format(init)
    if found is None:
        raise TypeError(
            f"{cls.__name__}.from_{kind}: give a path, a readable file object or an "
            f"{'HDUList' if kind == 'fits' else 'AsdfFile'}, not {type(init).__name__}"
        )
    if found != kind:
        raise FileFormatError(f"{_describe_source(init)}: is {found.upper()}, not {kind.upper()}")


def _describe_source(init: object) -> str:
    if isinstance(init, str | os.PathLike):
        return os.fspath(cast("str | os.PathLike[str]", init))
    return str(getattr(init, "name", None) or f"<{type(init).__name__}>")


def _make_layout(cls: type[DataModel[MetaNode]]) -> ModelLayout:
    """The description of a model class (its ``__jwst_layout__``): its fields found along its MRO, the arrays
    it creates with its primary array, the attributes its subclasses declare in ``__slots__``, and the
    layouts of its list items (classes made before it)."""
    found: dict[str, DataField] = {}
    lists: dict[str, ListField[Any]] = {}
    scalars: dict[str, ScalarField[Any]] = {}
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, DataField):
                found[name] = value
            elif isinstance(value, ListField):
                lists[name] = cast(ListField[Any], value)
            elif isinstance(value, ScalarField):
                scalars[name] = cast(ScalarField[Any], value)
    primary = cls.primary_array_name
    slots: set[str] = set()
    for klass in cls.__mro__[: cls.__mro__.index(DataModel)]:
        declared: object = klass.__dict__.get("__slots__", ())
        if declared:
            slots.update([declared] if isinstance(declared, str) else cast(tuple[str, ...], declared))
    item_layouts: dict[str, ModelLayout] = {
        name: cast("type[DataModel[MetaNode]]", field.item_class).__jwst_layout__
        for name, field in lists.items()
    }
    return ModelLayout(
        name=cls.__name__,
        meta_class=getattr(cls, "meta_class", MetaNode),
        fields=found,
        scalar_fields=scalars,
        items=item_layouts,
        list_fields=lists,
        created_arrays=tuple(
            name for name, value in found.items() if isinstance(value, CreatedArrayField) and name != primary
        ),
        subclass_slots=frozenset(slots),
    )


DataModel.__jwst_layout__ = _make_layout(DataModel)  # the base's own (no fields): subclasses make theirs


def _ignore(*_: object) -> None:
    """Conversion between model classes drops what the target class cannot hold."""


def _set_meta(model: DataModel[MetaNode], node: MetaNode) -> None:
    """Set ``model.meta``. Done here, not as ``self.meta = ...`` in a method, so that editors which infer
    attributes from assignments in methods (jedi) take the type of ``meta`` from the model class's own
    declaration (``meta: ImageMeta``) instead of the type variable's bound."""
    model.meta = node
    # node.instance keeps undeclared keys in the model's preserved tree; the node holds the state weakly
    bind_tree_extras(node, weakref.WeakMethod(model.__jwst_state__.tree_extras))


def _meta_value(meta: MetaNode, names: tuple[str, ...]) -> object:
    node: object = meta
    for name in names:
        node = vars(node).get(name)
        if node is None:
            return None
    return node


def to_json_value(value: object) -> pydantic.JsonValue:
    """``value`` as JSON data (see ``DataModel.get_item_as_json_value``)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, MetaNode):
        return to_json_value(value.model_dump(exclude_none=True, warnings=False))
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v) for k, v in cast(Mapping[object, object], value).items()}
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace").rstrip()
    if isinstance(value, np.ndarray):
        array = cast("np.ndarray[Any, np.dtype[Any]]", value)
        names = array.dtype.names
        if names is not None:
            return [{name: to_json_value(row[name]) for name in names} for row in array.reshape(-1)]
        items: object = array.tolist()
        return to_json_value(items)
    if isinstance(value, np.generic):
        return to_json_value(cast(object, cast("np.generic[Any]", value).item()))
    if isinstance(value, list | tuple):
        return [to_json_value(item) for item in cast(Iterable[object], value)]
    return str(value)


def _flatten(tree: Mapping[str, object], prefix: str, out: dict[str, object]) -> None:
    for key, value in tree.items():
        dotted = f"{prefix}.{key}"
        if isinstance(value, Mapping):
            _flatten(cast(Mapping[str, object], value), dotted, out)
        else:
            out[dotted] = value


def validate_meta_tree(meta: MetaNode, model_name: str) -> list[ValidationError]:
    """Validate every value of a metadata tree at once (values kept with ``pass_invalid_values`` included)."""
    complete(meta)
    if tree_is_valid(meta):  # every value fits: pydantic's whole-tree validator is not needed (nor built)
        return []
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
    in_list = error_in_list(cls, model_name, loc, got)
    if in_list is not None:  # inside meta.history and the other lists
        return in_list
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
