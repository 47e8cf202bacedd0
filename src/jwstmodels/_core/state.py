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
from typing import Any

from numpy.typing import NDArray

Loader = Callable[[], NDArray[Any]]
"""Reads an array or table from the open file when first called."""

# The classes here are plain classes with ``__slots__`` rather than dataclasses: every fresh process that
# imports jwstmodels builds them, and a dataclass costs some 0.3 ms to build (its methods are generated and
# compiled), about a tenth of what the runtime's own modules cost to import. They compare by identity.


class ArrayStore:
    """Array values of one model instance.

    Thread-safe reading: an array in ``loaders`` is read once, under a lock of its own (``lock``), and stays
    in ``loaders`` until its value is in ``values``, so a thread never finds neither and never creates a
    default in place of the file's data. Different arrays are read under different locks.
    """

    __slots__ = ("loaders", "locks", "shapes", "values")

    def __init__(
        self,
        values: dict[str, NDArray[Any]] | None = None,
        loaders: dict[str, Loader] | None = None,
        shapes: dict[str, tuple[int, ...]] | None = None,
    ) -> None:
        self.values: dict[str, NDArray[Any]] = {} if values is None else values
        self.loaders: dict[str, Loader] = {} if loaders is None else loaders
        """Arrays present in an open file and not read yet."""
        self.shapes: dict[str, tuple[int, ...]] = {} if shapes is None else shapes
        """Shapes of the arrays in ``loaders``, known from the file's headers without reading data."""
        self.locks: dict[str, threading.Lock] = {}
        """One lock per array name, made on first use (``lock``); never copied or pickled."""

    def __repr__(self) -> str:
        return f"ArrayStore(values={sorted(self.values)}, loaders={sorted(self.loaders)})"

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


class ScalarValues:
    """The values of an owner's scalar fields (``ScalarField``, ``ObjectField``, ``ValueListField``,
    ``NodeField``), by field name: a set field has an entry, an unset one none."""

    __slots__ = ("scalars",)

    def __init__(self, scalars: dict[str, object] | None = None) -> None:
        self.scalars: dict[str, object] = {} if scalars is None else scalars


class ModelState(ScalarValues):
    """Everything one model holds besides its metadata tree, ``extra_fits`` and ``filename`` (which are public
    attributes of the model): values of its fields outside ``meta``, what its file held that the schema does
    not describe, and its options. Compared by identity: one per model."""

    __slots__ = (
        "__weakref__",
        "close_hooks",
        "extensions",
        "extra_hdus",
        "extra_tree",
        "lists",
        "pass_invalid",
        "shape",
        "store",
        "unknown_type",
    )

    def __init__(
        self,
        scalars: dict[str, object] | None = None,
        store: ArrayStore | None = None,
        lists: dict[str, list[Any]] | None = None,
        shape: tuple[int, ...] | None = None,
        pass_invalid: bool = False,
        extensions: tuple[object, ...] = (),
        extra_tree: dict[str, Any] | None = None,
        extra_hdus: list[Any] | None = None,
        close_hooks: list[Callable[[], object]] | None = None,
        unknown_type: str | None = None,
    ) -> None:
        super().__init__(scalars)
        self.store: ArrayStore = ArrayStore() if store is None else store
        """Arrays and tables: values held, and loaders of those in the file not read yet."""
        self.lists: dict[str, list[Any]] = {} if lists is None else lists
        """Values of the list fields (``slits``, ``spec``, ...): lists of item models, by field name."""
        self.shape = shape
        """The shape tuple the model was built from, if it was."""
        self.pass_invalid = pass_invalid
        """``pass_invalid_values``: values read that do not fit stay in place, and saves write them."""
        self.extensions = extensions
        """asdf extensions used when the model reads or writes ASDF."""
        self.extra_tree: dict[str, Any] = {} if extra_tree is None else extra_tree
        """Parts of an ASDF tree the schema does not describe (and ``cal_logs``), written back on save."""
        self.extra_hdus: list[Any] = [] if extra_hdus is None else extra_hdus
        """FITS HDUs the schema does not describe (astropy HDU objects), written back on FITS save."""
        self.close_hooks: list[Callable[[], object]] = [] if close_hooks is None else close_hooks
        """Called by ``close()``: closing the file the model was read from, marking its sources closed."""
        self.unknown_type = unknown_type
        """The model type a file read named that no class has (kept by saves; UnknownModelTypeWarning)."""

    def tree_extras(self) -> dict[str, Any]:
        """The preserved tree: metadata nodes keep undeclared keys (``node.instance``) in it. The model's root
        node holds this method weakly (``_core.node_instance.bind_tree_extras``)."""
        return self.extra_tree
