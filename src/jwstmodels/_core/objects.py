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

# pyright: reportPrivateUsage=false
# (runtime module: it works on the internal state of models, as _scalars does)

from __future__ import annotations

import functools
import importlib
from typing import TYPE_CHECKING, Any, Generic, Optional, Self, TypeVar, cast, overload

import numpy as np

from jwstmodels._core.errors import FileFormatError
from jwstmodels._core.scalars import ScalarField, ScalarModel

if TYPE_CHECKING:
    from jwstmodels._core.owners import ScalarOwner

O = TypeVar("O")  # noqa: E741 - the held object's type


@functools.cache
def python_class(spec: str) -> type:
    """The class named ``module:qualname`` (``astropy.modeling:Model``), imported on first use."""
    module_name, _, qualname = spec.partition(":")
    target: object = importlib.import_module(module_name)
    for part in qualname.split("."):
        target = getattr(target, part)
    if not isinstance(target, type):
        raise TypeError(f"ObjectField: {spec!r} names no class")
    return target


class ObjectField(ScalarField[Any], Generic[O]):
    """An object of one Python class (or a list of them, ``many``) at the model's top level.

    ``cls``: the class as ``module:qualname``; ``tag``: the ASDF tag (pattern) of the node in files, for
    documentation; objects without a FITS keyword travel in the ASDF tree (``keyword`` and ``hdu`` are None).
    """

    def __init__(self, cls: str, *, many: bool = False, tag: str | None = None, title: str = "") -> None:
        super().__init__(str, title=title)  # a scalar field without a keyword, as far as the I/O goes
        module_name, colon, qualname = cls.partition(":")
        if not (module_name and colon and qualname):
            raise TypeError(f"ObjectField: the class must be written 'module:qualname', not {cls!r}")
        self.cls = cls
        self.many = many
        self.tag = tag

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> Self: ...
    @overload
    def __get__(self, obj: ScalarOwner, objtype: type | None = None) -> O | None: ...
    def __get__(self, obj: ScalarOwner | None, objtype: type | None = None) -> Self | O | None:
        if obj is None:
            return self
        return cast("O | None", obj._scalars.get(self.name))

    def __set__(self, obj: ScalarOwner, value: O | None) -> None:
        checked = self.check(value, type(obj).__name__)
        if checked is None:
            obj._scalars.pop(self.name, None)
        else:
            obj._scalars[self.name] = checked

    @property
    def annotation(self) -> Any:
        """``Model | None`` or ``list[Model] | None``."""
        held: Any = python_class(self.cls)
        # Optional, not ``| None``: astropy's Model class overloads ``|`` (it composes transforms)
        return Optional[list[held] if self.many else held]  # noqa: UP045

    def describe(self) -> str:
        name = self.cls.replace(":", ".")
        return f"a list of {name} or None" if self.many else f"a {name} or None"

    def check(self, value: object, model: str | None = None) -> Any:
        """``value`` itself when it is an object of the class (for ``many``: a list or tuple of them, held
        as a list); ValidationError otherwise."""
        if value is None:
            return None
        shown = _describe(value)  # before narrowing: what the error shows
        held = python_class(self.cls)
        if self.many:
            members = list(cast(list[object], value)) if isinstance(value, list | tuple) else None
            if members is not None and all(isinstance(v, held) for v in members):
                return members
        elif isinstance(value, held):
            return value
        elif held is np.ndarray and hasattr(value, "__array__"):  # asdf's lazily read array (NDArrayType)
            return np.asarray(cast(Any, value))
        raise self.error(model, shown)


def _describe(value: object) -> object:
    """What the error shows of a value that does not fit: the value, or its class for large objects."""
    if isinstance(value, str | int | float | bool):
        return value
    return f"<{type(value).__module__}.{type(value).__qualname__}>"


def object_fields(cls: type[ScalarModel]) -> dict[str, ObjectField[Any]]:
    """The object fields of a model class, by attribute name."""
    return {name: f for name, f in cls._scalar_fields.items() if isinstance(f, ObjectField)}


def refuse_fits(model: ScalarModel, path: object) -> None:
    """Raise FileFormatError when ``model`` holds objects: FITS files cannot hold them (their arrays would
    need ASDF blocks), and the reference writes such models (WCS reference files) as ASDF only."""
    held = [name for name in object_fields(type(model)) if model._scalars.get(name) is not None]
    if held:
        raise FileFormatError(
            f"{path}: {type(model).__name__} holds {', '.join(held)} (astropy objects), which a FITS file "
            "cannot hold; save it as .asdf"
        )
