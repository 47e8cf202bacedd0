"""The parts of the reference implementation's model API that the JWST pipeline (jwst 3.0) calls.

``DataModel`` delegates to these functions with thin methods: ``instance``, ``hasattr``, ``get_dtype``,
``get_default``, ``getarray_noinit``, ``get_crds_parameters``. Each behaves as stdatamodels 6.0.0's does (the
tests in ``tests/compat`` check them side by side with it).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast

import numpy as np

if TYPE_CHECKING:
    from jwstmodels._core.state import ModelState
    from jwstmodels._model.parts import ModelParts

CrdsValue = str | int | float | complex | bool
"""The value types ``get_crds_parameters`` keeps (those CRDS can match on)."""


def instance(model: ModelParts) -> dict[str, Any]:
    """The model's tree as nested dicts, as an ASDF file would hold it: ``{"meta": {...}, "data": array}``.

    A new tree each call, built from the model: changing it does not change the model (the reference's
    ``instance`` is its live tree; code that writes to it must set attributes here instead). Metadata
    values are copies; arrays are the model's own arrays (only those it holds: none is created).
    """
    from jwstmodels._core.content import FileContent
    from jwstmodels._io.asdf_format import metadata_tree

    layout, state = model.__jwst_layout__, model.__jwst_state__
    content = FileContent(
        layout,
        model.filename,
        state.pass_invalid,
        model.meta,
        scalars=state.scalars,
        extra_fits=model.extra_fits,
        extra_tree=state.extra_tree,
    )  # the metadata part of what a save writes (arrays are added below, as the model holds them)
    tree = copy.deepcopy(metadata_tree(content))
    for name in model.array_names():
        tree[name] = getattr(model, name)
    for name in layout.list_fields:
        items = state.lists.get(name)
        if items:
            tree[name] = [instance(item) for item in items]
    return tree


def model_hasattr(model: ModelParts, name: str) -> bool:
    """True when ``name`` is a top-level entry of the model's tree (``"meta"``, ``"data"``, ``"slits"``).

    As the reference's: the name is looked up in the tree's top level, so a dotted name
    (``"meta.exposure"``) is always False there; ask the node instead (``model.meta.hasattr("exposure")``).
    An array counts when the model holds it (given, read, or created and kept), not when it could be made.
    """
    layout, state = model.__jwst_layout__, model.__jwst_state__
    if name == "meta":
        return model.meta.has_values()
    if name in layout.fields:
        return name in model.array_names()
    if name in layout.list_fields:
        return bool(state.lists.get(name))
    if name in layout.scalar_fields:
        return state.scalars.get(name) is not None
    return name in state.extra_tree


def get_dtype(model: ModelParts, name: str) -> np.dtype[Any]:
    """The numpy dtype of the array or table ``name``.

    AttributeError for a name the model does not declare; ValueError for one that holds no array (``meta``,
    list fields, scalars), as the reference (whose schema gives those no datatype).
    """
    layout = model.__jwst_layout__
    field = layout.fields.get(name)
    if field is not None:
        return field.dtype
    if name == "meta" or name in layout.list_fields or name in layout.scalar_fields:
        raise ValueError(f'{type(model).__name__}: attribute "{name}" is not an array and has no dtype')
    raise AttributeError(f'{type(model).__name__} has no attribute "{name}"')


def get_default(model: ModelParts, name: str) -> object:
    """The value the schema gives ``name`` when it is not set, without setting it.

    An array: a new array of the model's shape filled with the schema default (0-sized, ``(0, 0)`` for a 2-D
    array, when the model has no shape, as the reference's); a table: an empty table; ``meta`` or a list
    field: an empty dict or list; a scalar: None. AttributeError for a name the model does not declare.
    """
    layout = model.__jwst_layout__
    field = layout.fields.get(name)
    if field is not None:
        created, _ = field.make_default(model.shape)
        return created
    if name == "meta":
        return {}
    if name in layout.list_fields:
        return []
    if name in layout.scalar_fields:
        return None
    raise AttributeError(f'{type(model).__name__} has no attribute "{name}"')


def getarray_noinit(model: ModelParts, name: str) -> object:
    """The value of ``name`` when the model holds it; AttributeError otherwise (nothing is created)."""
    if model_hasattr(model, name):
        return getattr(model, name)
    raise AttributeError(f'{model!r} has no attribute "{name}"')


def get_crds_parameters(model: ModelParts) -> dict[str, CrdsValue]:
    """Every set metadata value CRDS can select reference files by, under its dotted key
    (``{"meta.instrument.name": "NIRCAM", ...}``): the set values that are str, int, float, complex or bool.
    """
    flat = model.to_flat_dict(include_arrays=False)
    return {key: cast(CrdsValue, value) for key, value in flat.items() if _crds_value(value)}


def _crds_value(value: object) -> bool:
    return isinstance(value, str | int | float | complex | bool) and not isinstance(value, np.ndarray)


class CalLogs:
    """The log lines of the pipeline steps that made a model, by step name (``model.cal_logs.dq_init``).

    The reference keeps them in the tree's top-level ``cal_logs`` entry, which no schema describes; here they
    live in the model's preserved tree (written to ASDF, and to the ASDF extension of FITS files, as the
    reference writes them). Setting a step's lines: ``setattr(model.cal_logs, "dq_init", lines)``.
    """

    __slots__ = ("_logs",)
    _logs: dict[str, list[str]]

    def __init__(self, logs: dict[str, list[str]]) -> None:
        object.__setattr__(self, "_logs", logs)

    def __getattr__(self, name: str) -> list[str]:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._logs[name]
        except KeyError:
            raise AttributeError(f"cal_logs has no log of step {name!r}") from None

    def __setattr__(self, name: str, value: Iterable[str]) -> None:
        self._logs[name] = [str(line) for line in value]

    def __contains__(self, name: object) -> bool:
        return name in self._logs

    def __iter__(self) -> Iterator[str]:
        return iter(self._logs)

    def to_dict(self) -> dict[str, list[str]]:
        """A copy of the logs as ``{step name: lines}``."""
        return {name: list(lines) for name, lines in self._logs.items()}


def get_cal_logs(state: ModelState, model_name: str) -> CalLogs:
    """The logs a model (of class ``model_name``) keeps in its preserved tree."""
    logs: object = state.extra_tree.get("cal_logs")
    if not isinstance(logs, dict):
        raise AttributeError(f"{model_name}: no cal_logs (no pipeline step has logged to it)")
    return CalLogs(cast(dict[str, list[str]], logs))


def set_cal_logs(state: ModelState, logs: CalLogs | Mapping[str, Iterable[str]]) -> None:
    """Replace the logs a model keeps in its preserved tree (each line as text)."""
    source = logs.to_dict() if isinstance(logs, CalLogs) else logs
    copied = {str(name): [str(line) for line in lines] for name, lines in source.items()}
    state.extra_tree["cal_logs"] = copied
