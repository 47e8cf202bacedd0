"""``node.instance``: a metadata node's values as a live dict, as the reference's nodes give them.

The JWST pipeline edits metadata through this dict as well as through attributes: assign_wcs deletes the
linear WCS keywords from ``meta.wcsinfo.instance`` and updates it with the fitted header's keywords, resample
clears keys from it, stpipe records step status in ``meta.cal_step.instance``. ``NodeInstance`` is a
``MutableMapping`` over one node:

- a declared field is read and written through the node, so every value is validated as an attribute
  assignment is (``instance["nframes"] = "four"`` raises the same ValidationError), and deleting it unsets it;
  a nested node reads as the ``NodeInstance`` of that node;
- a key the schema does not declare lives where values of files the schema does not describe live: the
  model's preserved tree (written to ASDF, and to the ASDF extension of FITS files, as the reference writes
  them). Attribute access stays strict (``node.latpole`` is an UnknownFieldError); the dict is the
  reference's untyped view and takes any key, as it does.

A node outside a model (built alone) has no preserved tree: an undeclared key is refused there.

While the drop-in switch is on (``jwstmodels.compat.install()``), attributes behave as the reference's too:
``setattr(model.meta, "group_id", ...)`` (jwst's ModelLibrary does) keeps the value as ``instance`` would, and
reading it back finds it. Off by default: a misspelt attribute is an error.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any, cast

from jwstmodels._core.node import NodeBase

_undeclared_attributes = False
"""While True (``jwstmodels.compat.install()``), metadata nodes take undeclared attributes as the reference
does: kept in the model's preserved tree, as ``node.instance`` keeps undeclared keys."""


def keep_undeclared_attributes(on: bool) -> None:
    """Switch the reference's handling of undeclared metadata attributes on or off (the drop-in switch)."""
    global _undeclared_attributes
    _undeclared_attributes = on


def undeclared_attributes_kept() -> bool:
    """True while metadata nodes keep undeclared attributes (see ``keep_undeclared_attributes``)."""
    return _undeclared_attributes


TreeExtras = Callable[[], dict[str, Any]]
"""Gives the owning model's preserved tree (its undeclared values, by path from the tree's root)."""


def bind_tree_extras(root: NodeBase, getter: weakref.WeakMethod[TreeExtras]) -> None:
    """Record, on the root node of a model's metadata, where that model keeps its undeclared values."""
    object.__setattr__(root, "_tree_extras", getter)


def _root_and_path(node: NodeBase) -> tuple[NodeBase, tuple[str, ...]]:
    names: list[str] = []
    current = node
    while (parent := current.__jwst_parent__()) is not None:
        names.append(str(getattr(current, "_name", "")))
        current = parent
    return current, ("meta", *reversed(names))


def _empty_list(value: object) -> bool:
    """An empty metadata list (``history`` with no entry) is not held, as a group with no value is not."""
    return isinstance(value, list) and not cast(list[object], value)


class NodeInstance(MutableMapping[str, object]):
    """The values of one metadata node as a dict (see the module's text)."""

    __slots__ = ("_node",)

    def __init__(self, node: NodeBase) -> None:
        self._node = node

    # -- the undeclared values, in the owning model's preserved tree --------------------------------

    def _extras(self, create: bool) -> dict[str, Any] | None:
        root, path = _root_and_path(self._node)
        getter: weakref.WeakMethod[TreeExtras] | None = getattr(root, "_tree_extras", None)
        tree = getter() if getter is not None else None
        if tree is None:
            return None
        level: dict[str, Any] = tree()
        for name in path:
            below: object = level.get(name)
            if not isinstance(below, dict):
                if not create:
                    return None
                below = {}
                level[name] = below
            level = cast(dict[str, Any], below)
        return level

    def _declared(self, key: str) -> bool:
        return key in type(self._node).model_fields

    # -- the mapping --------------------------------------------------------------------------------

    def __getitem__(self, key: str) -> object:
        if self._declared(key):
            value: object = self._node.__dict__.get(key)
            if isinstance(value, NodeBase):
                child = NodeInstance(value)
                if not child.held():
                    raise KeyError(key)
                return child
            if value is None or _empty_list(value):
                raise KeyError(key)
            return value
        extras = self._extras(create=False)
        if extras is None or key not in extras:
            raise KeyError(key)
        return extras[key]

    def __setitem__(self, key: str, value: object) -> None:
        if self._declared(key):
            current: object = self._node.__dict__.get(key)
            if isinstance(current, NodeBase) and isinstance(value, Mapping):
                child = NodeInstance(current)
                child.clear()
                child.update(cast(Mapping[str, object], value))
                return
            setattr(self._node, key, value)
            return
        extras = self._extras(create=True)
        if extras is None:
            where = f"{self._node.owner_name or type(self._node).__name__}: {self._node.dotted_path}"
            raise KeyError(f"{where} has no field {key!r} and no model to keep an undeclared value in")
        extras[key] = value

    def __delitem__(self, key: str) -> None:
        if self._declared(key):
            current: object = self._node.__dict__.get(key)
            if isinstance(current, NodeBase):
                NodeInstance(current).clear()
                return
            if current is None:
                raise KeyError(key)
            setattr(self._node, key, None)
            return
        extras = self._extras(create=False)
        if extras is None or key not in extras:
            raise KeyError(key)
        del extras[key]

    def held(self) -> bool:
        """True when any value below this node is set (declared or not)."""
        return any(True for _ in self)

    def __iter__(self) -> Iterator[str]:
        declared = type(self._node).model_fields
        for name in declared:
            value: object = self._node.__dict__.get(name)
            if isinstance(value, NodeBase):
                if NodeInstance(value).held():
                    yield name
            elif value is not None and not _empty_list(value):
                yield name
        extras = self._extras(create=False)
        if extras is not None:  # the groups' own undeclared values sit below their names: not keys here
            yield from [key for key in extras if key not in declared]

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __repr__(self) -> str:
        return f"NodeInstance({dict(self.items())!r})"


def flat_items(view: Mapping[str, object], prefix: str = "") -> Iterator[tuple[str, object]]:
    """Every set value below a node as ``(dotted key, value)``, groups flattened (the reference's
    ``node.items()``); undeclared values included."""
    for key, value in view.items():
        if isinstance(value, NodeInstance | dict):
            yield from flat_items(cast(Mapping[str, object], value), f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value
