"""The per-model state that the field descriptors and the model layer share: ``ModelState``, ``ArrayStore``.

A model keeps everything that changes per instance in one :class:`ModelState`, held under the framework name
``__jwst_state__`` (a dunder, as pydantic keeps ``__pydantic_fields__``: type checkers treat it as public, it
cannot collide with a schema field, and it does not look like user API). The field descriptors of the core
(``ScalarField``, ``ListField``, ``ArrayField``, ...) read and write their values there, through the protocols
of ``_core.owners``; the model layer's helpers (``_model.extend``, ``update``, ``pickling``, ...) are handed
the state instead of the model where the state is all they need. No module reaches a model's private
attributes.

Objects outside ``meta`` (``_core.objects.TreeObject``) hold their members with the same scalar descriptors;
their state is a :class:`ScalarValues`, the part of a model's state those descriptors use.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from numpy.typing import NDArray

Loader = Callable[[], NDArray[Any]]
"""Reads an array or table from the open file when first called."""


@dataclass(slots=True)
class ArrayStore:
    """Array values of one model instance.

    Thread-safe reading: an array in ``loaders`` is read once, under a lock of its own (``lock``), and stays
    in ``loaders`` until its value is in ``values``, so a thread never finds neither and never creates a
    default in place of the file's data. Different arrays are read under different locks.
    """

    values: dict[str, NDArray[Any]] = field(default_factory=dict[str, NDArray[Any]])
    loaders: dict[str, Loader] = field(default_factory=dict[str, Loader])
    """Arrays present in an open file and not read yet."""
    shapes: dict[str, tuple[int, ...]] = field(default_factory=dict[str, tuple[int, ...]])
    """Shapes of the arrays in ``loaders``, known from the file's headers without reading data."""
    locks: dict[str, threading.Lock] = field(default_factory=dict[str, threading.Lock], repr=False)
    """One lock per array name, made on first use (``lock``); never copied or pickled."""

    def is_present(self, name: str) -> bool:
        """True when the model holds the array: given, created with the model, or in its file."""
        return name in self.values or name in self.loaders

    def remove(self, name: str) -> None:
        """Forget array ``name`` (set to None or deleted): it is not held, read or written any more."""
        with self.lock(name):
            self.values.pop(name, None)
            self.loaders.pop(name, None)
            self.shapes.pop(name, None)

    def lock(self, name: str) -> threading.Lock:
        """The lock that guards reading, creating and replacing array ``name``."""
        found = self.locks.get(name)
        if found is None:
            found = self.locks.setdefault(name, threading.Lock())  # atomic: one lock wins
        return found

    def copy(self) -> ArrayStore:
        return ArrayStore(
            values={name: value.copy() for name, value in self.values.items()},  # a Table stays one
            loaders=dict(self.loaders),
            shapes=dict(self.shapes),
        )

    def __getstate__(self) -> dict[str, object]:
        return {
            "values": self.values,
            "loaders": self.loaders,
            "shapes": self.shapes,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.values = state["values"]
        self.loaders = state["loaders"]
        self.shapes = state["shapes"]
        self.locks = {}


@dataclass(slots=True, eq=False)
class ScalarValues:
    """The values of an owner's scalar fields (``ScalarField``, ``ObjectField``, ``ValueListField``,
    ``NodeField``), by field name: a set field has an entry, an unset one none."""

    scalars: dict[str, object] = field(default_factory=dict[str, object])


@dataclass(slots=True, eq=False, weakref_slot=True)
class ModelState(ScalarValues):
    """Everything one model holds besides its metadata tree, ``extra_fits`` and ``filename`` (which are public
    attributes of the model): values of its fields outside ``meta``, what its file held that the schema does
    not describe, and its options. Compared by identity: one per model."""

    store: ArrayStore = field(default_factory=ArrayStore)
    """Arrays and tables: values held, and loaders of those in the file not read yet."""
    lists: dict[str, list[Any]] = field(default_factory=dict[str, list[Any]])
    """Values of the list fields (``slits``, ``spec``, ...): lists of item models, by field name."""
    shape: tuple[int, ...] | None = None
    """The shape tuple the model was built from, if it was."""
    pass_invalid: bool = False
    """``pass_invalid_values``: values read that do not fit stay in place, and saves write them."""
    extensions: tuple[object, ...] = ()
    """asdf extensions used when the model reads or writes ASDF."""
    extra_tree: dict[str, Any] = field(default_factory=dict[str, Any])
    """Parts of an ASDF tree the schema does not describe (and ``cal_logs``), written back on save."""
    extra_hdus: list[Any] = field(default_factory=list[Any])
    """FITS HDUs the schema does not describe (astropy HDU objects), written back on FITS save."""
    close_hooks: list[Callable[[], object]] = field(default_factory=list[Callable[[], object]])
    """Called by ``close()``: closing the file the model was read from, marking its sources closed."""
    unknown_type: str | None = None
    """The model type a file read named that no class has (kept by saves; UnknownModelTypeWarning)."""

    def tree_extras(self) -> dict[str, Any]:
        """The preserved tree: metadata nodes keep undeclared keys (``node.instance``) in it. The model's root
        node holds this method weakly (``_core.node_instance.bind_tree_extras``)."""
        return self.extra_tree
