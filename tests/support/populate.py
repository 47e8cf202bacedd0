"""Fill every metadata field of a model with a valid, distinctive value (for round-trip tests)."""

from __future__ import annotations

import types
from typing import Any, Literal, Union, cast, get_args, get_origin

import numpy as np

from jwstmodels import MetaNode
from jwstmodels._core.lazy_objects import import_class, lazy_class_of


def sample_value(annotation: Any, salt: int) -> object:
    """A valid value for a scalar field annotation; ``salt`` makes values differ between fields."""
    args = [a for a in get_args(annotation) if a is not type(None)]
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType) and len(args) == 1:
        return sample_value(args[0], salt)
    if origin is Literal:
        values = get_args(annotation)
        return values[salt % len(values)]
    if annotation is bool:
        return salt % 2 == 0
    if annotation is int:
        return 100 + salt
    if annotation is float:
        return 0.5 + salt
    if annotation is str:
        return f"value-{salt}"
    if origin is list and len(args) == 1:  # a list of objects (ObjectField many=True): two of them
        return [sample_value(args[0], salt), sample_value(args[0], salt + 1)]
    if isinstance(annotation, type):
        spec = lazy_class_of(annotation)  # meta.wcs: the run-time stand-in of gwcs.WCS
        return sample_object(import_class(spec) if spec is not None else annotation, salt)
    raise TypeError(f"no sample for {annotation!r}")


def sample_object(cls: type, salt: int) -> object:
    """A distinctive object of a tagged-object field's class (a transform, an array)."""
    from astropy.modeling import Model, models

    if issubclass(cls, Model):  # a compound transform, its parameters told apart by ``salt``
        return (models.Shift(salt) & models.Shift(-salt)) | models.Polynomial2D(1, c0_0=salt, c1_0=0.5)
    if cls is np.ndarray:
        return np.arange(salt, salt + 12, dtype=np.float64).reshape(3, 4)
    if f"{cls.__module__}.{cls.__qualname__}".startswith("gwcs."):
        return sample_wcs(salt)
    raise TypeError(f"no sample for {cls!r}")


def sample_wcs(salt: int) -> object:
    """A small imaging gwcs WCS (pixels -> sky), its pointing told apart by ``salt``."""
    from astropy import coordinates, units
    from astropy.modeling import models
    from gwcs import coordinate_frames, wcs

    detector = coordinate_frames.Frame2D(name="detector", axes_names=("x", "y"), unit=(units.pix, units.pix))
    sky = coordinate_frames.CelestialFrame(
        name="world", reference_frame=coordinates.ICRS(), unit=(units.deg, units.deg)
    )
    transform = (
        models.Shift(-2.0) & models.Shift(-3.0)
        | models.Scale(1e-4) & models.Scale(1e-4)
        | models.Pix2Sky_TAN()
        | models.RotateNative2Celestial(float(salt % 360), 20.0, 180.0)
    )
    return wcs.WCS([(detector, transform), (sky, None)])


def same_value(a: object, b: object) -> bool:
    """Equality for compared values, transforms included (same class, parameters and results)."""
    from astropy.modeling import Model

    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Model) and isinstance(b, Model):
        probe = [np.linspace(0.5, 3.5, 4)] * a.n_inputs
        return (
            type(a) is type(b)
            and a.n_inputs == b.n_inputs
            and np.array_equal(a.parameters, b.parameters)
            and np.allclose(a(*probe), b(*probe))
        )
    if type(a).__name__ == "WCS" and type(b).__name__ == "WCS":  # gwcs objects: the same sky positions
        probe = (np.array([0.0, 10.5, 40.0]), np.array([0.0, 7.25, 30.0]))
        return bool(np.allclose(cast(Any, a)(*probe), cast(Any, b)(*probe), rtol=0, atol=1e-10))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(np.asarray(a), np.asarray(b)))
    return a == b


def is_list(annotation: Any) -> bool:
    """True for a list field (``HistoryList[HistoryEntry]``, ``list[float] | None``)."""
    return _is_list(annotation) or any(_is_list(arg) for arg in get_args(annotation))


def _is_list(annotation: Any) -> bool:
    origin = get_origin(annotation)
    return origin is list or (isinstance(origin, type) and issubclass(origin, list))


def populate(meta: MetaNode, prefix: str = "meta", start: int = 0) -> dict[str, object]:
    """Set every scalar below ``meta`` and return ``{dotted path: value}``."""
    values: dict[str, object] = {}
    salt = start
    for name, info in type(meta).model_fields.items():
        child = getattr(meta, name)
        if isinstance(child, MetaNode):
            values.update(populate(child, f"{prefix}.{name}", salt + 1000))
            continue
        if is_list(info.annotation):  # lists (history, read_times, ...) have tests of their own
            continue
        value = sample_value(info.annotation, salt)
        setattr(meta, name, value)
        values[f"{prefix}.{name}"] = value
        salt += 1
    return values


def get_path(root: object, dotted: str) -> object:
    node = root
    for part in dotted.split("."):
        node = getattr(node, part)
    return node
