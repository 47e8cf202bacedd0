"""Tagged objects at a model's top level, typed by their Python class: ``DistortionModel.model``.

The WCS reference files hold astropy.modeling transforms (and other objects that asdf reads and writes through
its converters, asdf-astropy's for transforms) where other models hold arrays. Generated classes declare them
as class attributes::

    model = ObjectField[Model]("astropy.modeling:Model", tag="tag:stsci.edu:asdf/transform/*", title="...")
    x_model = ObjectField[list[Model]]("astropy.modeling:Model", many=True, tag=..., title="...")

so that ``distortion.model`` is typed ``Model | None`` and ``mrs.x_model`` ``list[Model] | None``. The
class is named as ``module:qualname`` and imported on first check, so that importing a model module does not
import astropy.modeling. Values live with the model's top-level scalars (an ASDF tree key of the field's
name): the ASDF reader and writer of scalars carry them, and asdf converts the tagged nodes both ways. FITS
files cannot hold them (their arrays need ASDF blocks; the reference writes these models as ASDF only):
saving one to FITS raises FileFormatError. Assignment follows the validation policy: an object of another
class raises :class:`~jwstmodels.ValidationError` naming the model and the field, and leaves the field
unchanged; reading a file whose node is not such an object warns and keeps the node (see
:mod:`jwstmodels._core.scalars`).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Generic,
    Optional,
    Self,
    TypeVar,
    Union,
    cast,
    overload,
)

import numpy as np

from jwstmodels._core.errors import ValidationError
from jwstmodels._core.lazy_objects import import_class
from jwstmodels._core.scalars import ScalarField
from jwstmodels._core.state import ScalarValues

if TYPE_CHECKING:
    from jwstmodels._core.owners import ScalarOwner

O = TypeVar("O")  # noqa: E741 - the held object's type


class ObjectField(ScalarField[Any], Generic[O]):
    """An object of one Python class (or a list of them, ``many``) at the model's top level.

    ``cls``: the class as ``module:qualname``; ``tag``: the ASDF tag (pattern) of the node in files, for
    documentation; objects without a FITS keyword travel in the ASDF tree (``keyword`` and ``hdu`` are None).
    """

    def __init__(
        self,
        cls: str,
        *,
        many: bool = False,
        tag: str | None = None,
        title: str = "",
        depth: int = 1,
        ragged: bool = False,
    ) -> None:
        super().__init__(str, title=title)  # a scalar field without a keyword, as far as the I/O goes
        module_name, colon, qualname = cls.partition(":")
        if not (module_name and colon and qualname):
            raise TypeError(f"ObjectField: the class must be written 'module:qualname', not {cls!r}")
        if depth < 1 or (depth > 1 and not many):
            raise TypeError(f"ObjectField: depth {depth} needs many=True (and a depth of at least 1)")
        self.cls = cls
        self.many = many
        self.tag = tag
        self.depth = depth
        """Levels of lists (with ``many``): 2 is a list of lists of objects."""
        self.ragged = ragged
        """Each level may hold objects and deeper lists side by side (up to ``depth`` levels)."""

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> Self: ...
    @overload
    def __get__(self, obj: ScalarOwner, objtype: type | None = None) -> O | None: ...
    def __get__(self, obj: ScalarOwner | None, objtype: type | None = None) -> Self | O | None:
        if obj is None:
            return self
        return cast("O | None", obj.__jwst_state__.scalars.get(self.name))

    def __set__(self, obj: ScalarOwner, value: O | None) -> None:
        checked = self.check(value, type(obj).__name__)
        if checked is None:
            obj.__jwst_state__.scalars.pop(self.name, None)
        else:
            obj.__jwst_state__.scalars[self.name] = checked

    @property
    def annotation(self) -> Any:
        """``Model | None`` or ``list[Model] | None``."""
        held: Any = import_class(self.cls)
        # Optional and Union, not ``|``: astropy's Model class overloads ``|`` (it composes transforms)
        if not self.many:
            return Optional[held]  # noqa: UP045
        inner: Any = list[held]
        for _ in range(self.depth - 1):
            inner = list[Union[held, inner]] if self.ragged else list[inner]  # noqa: UP007
        return Optional[inner]  # noqa: UP045

    def describe(self) -> str:
        name = self.cls.replace(":", ".")
        if not self.many:
            return f"a {name} or None"
        if self.depth == 1:
            return f"a list of {name} or None"
        levels = "lists of " * (self.depth - 1)
        if self.ragged:
            return f"a list of {name} and of {levels}them (up to {self.depth} levels) or None"
        return f"a list of {levels}{name} or None"

    def check(self, value: object, model: str | None = None) -> Any:
        """``value`` itself when it is an object of the class (for ``many``: a list or tuple of them, held
        as a list); ValidationError otherwise."""
        if value is None:
            return None
        shown = _describe(value)  # before narrowing: what the error shows
        held = import_class(self.cls)
        if self.many:
            members = _nested(value, held, self.depth, self.ragged)
            if members is not None:
                return members
        elif isinstance(value, held):
            return value
        elif held is np.ndarray and hasattr(value, "__array__"):  # asdf's lazily read array (NDArrayType)
            return np.asarray(cast(Any, value))
        raise self.error(model, shown)


def _nested(value: object, held: type, depth: int, ragged: bool) -> list[object] | None:
    """``value`` as a list (of lists, ``depth`` levels) of objects of class ``held``; None when it is not
    one. ``ragged``: objects may stand beside deeper lists at every level."""
    if not isinstance(value, list | tuple):
        return None
    members: list[object] = []
    for item in cast(list[object] | tuple[object, ...], value):
        if isinstance(item, held) and (depth == 1 or ragged):
            members.append(item)
        elif depth > 1 and (inner := _nested(item, held, depth - 1, ragged)) is not None:
            members.append(inner)
        else:
            return None
    return members


def _describe(value: object) -> object:
    """What the error shows of a value that does not fit: the value, or its class for large objects."""
    if isinstance(value, str | int | float | bool):
        return value
    return f"<{type(value).__module__}.{type(value).__qualname__}>"


def object_fields(fields: Mapping[str, ScalarField[Any]]) -> dict[str, ObjectField[Any]]:
    """The object fields among a model class's scalar fields (``__jwst_layout__.scalar_fields``), by name."""
    return {name: f for name, f in fields.items() if isinstance(f, ObjectField)}


def held_objects(fields: Mapping[str, ScalarField[Any]], values: Mapping[str, object]) -> list[str]:
    """Names of the objects a model holds at its top level (its scalar ``fields``, set to ``values``): its
    object fields, and objects outside meta holding some. A FITS file cannot hold them (their arrays would
    need ASDF blocks), and the reference writes such models (WCS reference files) as ASDF only; the model
    layer asks this of a model and its list items before a FITS save."""
    held = [name for name in object_fields(fields) if values.get(name) is not None]
    held += [
        name for name, value in values.items() if isinstance(value, TreeObject) and value.holds_objects()
    ]
    return held


# -- objects outside meta ----------------------------------------------------------------------------------


class TreeObject:
    """An object of a model's ASDF tree outside ``meta``, with typed members: ``DisperserModel.gwa_tiltx``.

    Generated subclasses declare their members with the descriptors of top-level fields (``ScalarField``,
    ``ValueListField``, ``ObjectField``, ``NodeField`` for a nested object), so that
    ``disperser.gwa_tiltx.zeroreadings`` is typed ``list[float] | None`` and checked on assignment as a
    model's own fields are; errors name the model and the member's place (``DisperserModel:
    gwa_tiltx.zeroreadings``). Keys a file holds that the class does not declare are kept (``extra``) and
    written back.
    """

    __slots__ = ("__jwst_state__", "_extra", "_model", "_place")
    __jwst_state__: ScalarValues
    """The members' values (``_core.state``; the scalar descriptors keep them there, as a model's)."""
    _scalar_fields: ClassVar[dict[str, ScalarField[Any]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        found: dict[str, ScalarField[Any]] = {}
        for klass in reversed(cls.__mro__):
            for name, value in vars(klass).items():
                if isinstance(value, ScalarField):
                    found[name] = cast(ScalarField[Any], value)
        cls._scalar_fields = found

    def __init__(self, **values: object) -> None:
        self.__jwst_state__ = ScalarValues()
        self._extra: dict[str, object] = {}
        self._model = ""
        self._place = ""
        for name, value in values.items():
            setattr(self, name, value)

    def attach(self, model: str, place: str) -> None:
        """Record where the object sits (model class, dotted place), and so its nested objects."""
        self._model, self._place = model, place
        for name, value in self.__jwst_state__.scalars.items():
            if isinstance(value, TreeObject):
                value.attach(model, f"{place}.{name}")

    @property
    def model_name(self) -> str:
        """The model class holding this object ('' before it is attached to one)."""
        return self._model

    @property
    def place(self) -> str:
        """The object's dotted place in its model's tree (``gwa_tiltx``; '' before it is attached)."""
        return self._place

    if (
        not TYPE_CHECKING
    ):  # for type checkers, members are the declared fields only (a misspelt one is an error)

        def __setattr__(self, name: str, value: object) -> None:
            if name.startswith("_"):
                object.__setattr__(self, name, value)
                return
            if name not in self._scalar_fields:
                where = (
                    f"{self._model or type(self).__name__}: {self._place + '.' if self._place else ''}{name}"
                )
                raise AttributeError(
                    f"{where}: no such field (fields: {', '.join(self._scalar_fields) or 'none'})"
                )
            try:
                object.__setattr__(self, name, value)
            except ValidationError as exc:
                if not self._place:
                    raise
                raise exc.within(self._model or type(self).__name__, self._place) from None

    @property
    def extra(self) -> dict[str, object]:
        """What a file held in this object that the class does not declare, and members' values read from it
        that did not fit (warned about): written back on save, where no value was set since."""
        return self._extra

    def is_empty(self) -> bool:
        """True when nothing is set (an object created on first access and left unset is not saved)."""
        return not self._extra and all(
            isinstance(v, TreeObject) and v.is_empty() for v in self.__jwst_state__.scalars.values()
        )

    def holds_objects(self) -> bool:
        """True when a member (here or in a nested object) holds a tagged object: a FITS file cannot."""
        for name, field in self._scalar_fields.items():
            value = self.__jwst_state__.scalars.get(name)
            if isinstance(value, TreeObject) and value.holds_objects():
                return True
            if isinstance(field, ObjectField) and value is not None:
                return True
        return False

    def to_tree(self) -> dict[str, object]:
        """The object as an ASDF tree node: set members (nested objects as mappings), then extra keys."""
        tree: dict[str, object] = {}
        for name in self._scalar_fields:
            value = tree_value(self.__jwst_state__.scalars.get(name))
            if value is not None:
                tree[name] = value
        for key, value in self._extra.items():
            tree.setdefault(key, value)
        return tree

    @classmethod
    def from_tree(
        cls,
        node: Mapping[str, object],
        model: str | None = None,
        on_invalid: OnInvalidMember | None = None,
        place: str = "",
    ) -> Self:
        """An object of this class from a tree node read from a file: every member checked, keys the class
        does not declare kept as ``extra``. A member that does not fit raises ValidationError naming it; with
        ``on_invalid`` (the file-value policy, ``_core.policy``) it is reported instead, with its dotted place
        below the object (nested objects are read member by member too), and kept: in place when
        ``on_invalid`` returns True (``pass_invalid_values``), else as ``extra``, written back on save, while
        the members that fit are read."""
        made = cls()
        for key, value in node.items():
            field = cls._scalar_fields.get(key)
            if field is None:
                made._extra[key] = value
                continue
            if on_invalid is None:
                checked = field.check(value, model)
            else:
                inner = f"{place}.{key}" if place else key
                nested, members = object_class(field), object_members(value)
                if nested is not None and members is not None:
                    checked = nested.from_tree(members, model, on_invalid, inner)
                else:
                    try:
                        checked = field.check(value, model)
                    except ValidationError:
                        if on_invalid(inner, value, field.describe()):
                            made.__jwst_state__.scalars[key] = value
                        else:
                            made._extra[key] = value
                        continue
            if checked is not None:
                made.__jwst_state__.scalars[key] = checked
        return made

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        mine, theirs = self.to_tree(), cast(TreeObject, other).to_tree()
        return mine.keys() == theirs.keys() and all(_same(mine[k], theirs[k]) for k in mine)

    __hash__ = None  # pyright: ignore[reportAssignmentType]  # mutable and compared by value: not hashable

    def __copy__(self) -> Self:
        return self.__deepcopy__({})

    def __deepcopy__(self, memo: dict[int, object]) -> Self:
        new = type(self)()
        new.__jwst_state__.scalars = copy.deepcopy(self.__jwst_state__.scalars, memo)
        new._extra = copy.deepcopy(self._extra, memo)
        return new

    def __repr__(self) -> str:
        members = ", ".join(f"{k}={v!r}" for k, v in self.__jwst_state__.scalars.items())
        return f"{type(self).__name__}({members})"


def _same(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(np.asarray(a), np.asarray(b)))
    if isinstance(a, dict) and isinstance(b, dict):
        x, y = cast(dict[object, object], a), cast(dict[object, object], b)
        return x.keys() == y.keys() and all(_same(x[k], y[k]) for k in x)
    return bool(a == b)


OnInvalidMember = Callable[[str, object, str], bool]
"""Reports a member read from a file that does not fit (its dotted place below the object, its value, what
the member accepts); True keeps the value in place (``pass_invalid_values``), False keeps it aside."""


def object_members(value: object) -> Mapping[str, object] | None:
    """``value`` as the members of an object (a mapping with text keys), else None."""
    if isinstance(value, Mapping):
        mapping = cast(Mapping[object, object], value)
        if all(isinstance(k, str) for k in mapping):
            return cast(Mapping[str, object], mapping)
    return None


def object_class(field: ScalarField[Any]) -> type[TreeObject] | None:
    """The class of the objects ``field`` holds when it is a :class:`NodeField`, else None."""
    return cast("NodeField[TreeObject]", field).cls if isinstance(field, NodeField) else None


N = TypeVar("N", bound=TreeObject)


class NodeField(ScalarField[Any], Generic[N]):
    """An object outside ``meta`` (``gwa_tiltx``), held as an instance of a generated :class:`TreeObject`
    subclass. Like metadata groups it is never None: reading an unset one creates it empty (an empty object
    is not saved). It lives in the ASDF tree (in FITS files, in the ASDF extension)."""

    def __init__(self, cls: type[N], *, title: str = "") -> None:
        super().__init__(str, title=title)  # no keyword: an ASDF tree key, as far as the I/O goes
        self.cls: type[N] = cls

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> Self: ...
    @overload
    def __get__(self, obj: ScalarOwner, objtype: type | None = None) -> N: ...
    def __get__(self, obj: ScalarOwner | None, objtype: type | None = None) -> Self | N:
        if obj is None:
            return self
        found = obj.__jwst_state__.scalars.get(self.name)
        if found is None:
            found = self.cls()
            obj.__jwst_state__.scalars[self.name] = found
        if isinstance(found, TreeObject) and not found.place:
            self._attach(obj, found)
        return cast(N, found)  # not of the class only when kept in place with pass_invalid_values

    def __set__(self, obj: ScalarOwner, value: N | Mapping[str, object] | None) -> None:
        if value is None:
            obj.__jwst_state__.scalars.pop(self.name, None)
            return
        model, place = self._where(obj)
        if isinstance(value, self.cls):
            checked = value
        else:
            try:
                checked = self.check_assigned(value, model)
            except ValidationError as exc:  # the member's (or the field's) path from this field's holder
                relative = exc.path.removeprefix(self.name).lstrip(".")
                raise _at(exc, model, f"{place}.{relative}" if relative else place) from None
        obj.__jwst_state__.scalars[self.name] = checked
        self._attach(obj, checked)

    def _where(self, obj: ScalarOwner) -> tuple[str, str]:
        """(model class, this field's dotted place) of the field in holder ``obj``."""
        if isinstance(obj, TreeObject):
            parent = obj.place
            return obj.model_name or type(obj).__name__, f"{parent}.{self.name}" if parent else self.name
        return type(obj).__name__, self.name

    def _attach(self, obj: ScalarOwner, node: TreeObject) -> None:
        node.attach(*self._where(obj))

    @property
    def annotation(self) -> Any:
        return self.cls

    def describe(self) -> str:
        return f"a {self.cls.__name__} (or a mapping of its members)"

    def check_assigned(self, value: object, model: str | None = None) -> Any:
        """An object of the class (held as given), or a mapping checked member by member into one."""
        return self.check(value, model)

    def check(self, value: object, model: str | None = None) -> Any:
        """``value`` as an object of the class; ValidationError naming the member (``gwa_tiltx.unit``) or
        the field otherwise."""
        if value is None:
            return None
        if isinstance(value, self.cls):
            return value
        shown = _describe(value)
        given: object = value
        if isinstance(given, Mapping):
            mapping = cast(Mapping[object, object], given)
            if all(isinstance(k, str) for k in mapping):
                try:
                    return self.cls.from_tree(cast(Mapping[str, object], mapping), model)
                except ValidationError as exc:
                    raise exc.within(model or exc.model or self.owner_name, self.name) from None
        raise self.error(model, shown)


def _at(exc: ValidationError, model: str, path: str) -> ValidationError:
    """``exc`` with its place given in full (``gwa_tiltx.unit`` of ``DisperserModel``)."""
    return ValidationError.for_field(
        model=model, path=path, keyword=exc.keyword, hdu=exc.hdu, expected=exc.expected, got=exc.got
    )


def tree_value(value: object) -> object:
    """A top-level field's value as an ASDF tree node (objects outside meta as mappings; None when empty)."""
    if isinstance(value, TreeObject):
        return None if value.is_empty() else value.to_tree()
    return value
