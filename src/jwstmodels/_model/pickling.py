"""Pickling models: what a model sends to another process (``DataModel.__getstate__``/``__setstate__``).

- An array not read yet whose file can be opened again travels as a reference to it (``_sources``: path, HDU
  position or tree node, size and modification time); the far side reads it when it is first touched, from
  the file if unchanged, else raises ``FileChangedError``. An opened 2048 x 2048 image whose data was not read
  pickles to a few kilobytes.
- Arrays created from their default and never changed are left out (the far side creates them again when
  touched). Arrays read, given or changed, the metadata, top-level scalars, item models (recursively),
  ``extra_fits``, the kept-aside tree and HDUs, and the options (``pass_invalid_values``, asdf extensions)
  travel by value.
  Arrays that cannot be found again (a file object, an in-memory HDUList) are read first and travel by value.
- The far side owns no open file: ``close()`` there has nothing to release.

Models whose class was extended at run time (``extend_schema``, ``schema=``) have a class of their own that
another process cannot import; they refuse to pickle with a TypeError that says so.
"""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false
# (astropy HDUs and asdf's lazy arrays, which ship no annotations, are turned into plain values here)

from __future__ import annotations

import copy
import io
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from jwstmodels._core.meta import MetaNode
from jwstmodels._core.state import ArrayStore, ModelState
from jwstmodels._io.sources import file_source, plain_table

if TYPE_CHECKING:
    from jwstmodels._model.parts import ModelParts

_VERSION = 1


def model_state(model: ModelParts) -> dict[str, Any]:
    """The picklable state of ``model`` (see the module docstring)."""
    cls = type(model)
    named = getattr(sys.modules.get(cls.__module__), cls.__qualname__, None)
    if isinstance(named, type) and named is not cls and issubclass(cls, named):  # _extend's own subclass
        raise TypeError(
            f"{cls.__name__}: a model whose schema was extended at run time (extend_schema, schema=) cannot "
            "be pickled (its class exists in this process only); save it to a file and open that instead"
        )
    state = model.__jwst_state__
    store = state.store
    for name, loader in list(store.loaders.items()):
        source = file_source(loader)
        if source is None or not source.reopenable():
            getattr(model, name)  # read now: it cannot be found again elsewhere
    with_refs = ArrayStore(
        values={name: _plain_array(value) for name, value in store.values.items()},
        loaders=dict(store.loaders),
        shapes=dict(store.shapes),
    )
    pickled: dict[str, Any] = {
        "version": _VERSION,
        "meta": model.meta,
        "store": with_refs,
        "shape": state.shape,
        "pass_invalid": state.pass_invalid,
        "extensions": state.extensions,
        "extra_fits": model.extra_fits,
        "filename": model.filename,
        "extra_tree": _materialised(state.extra_tree),
        "extra_hdus": _hdus_as_bytes(state.extra_hdus),
        "lists": state.lists,
        "scalars": state.scalars,
    }
    if state.unknown_type is not None:  # the file's DATAMODL no class has: saves keep it (``saving``)
        pickled["unknown_type"] = state.unknown_type
    slots = {
        name: getattr(model, name) for name in cls.__jwst_layout__.subclass_slots if hasattr(model, name)
    }
    if slots:
        pickled["slots"] = slots
    return pickled


def restore_state(model: ModelParts, state: Mapping[str, Any]) -> None:
    """Fill a model made by ``object.__new__`` from ``model_state``'s output."""
    if state.get("version") != _VERSION:
        raise TypeError(f"{type(model).__name__}: pickled by another version of jwstmodels (unknown format)")
    setter = object.__setattr__
    setter(model, "meta", state["meta"])
    _rebind(model.meta)  # where each node sits lives in slots that pydantic does not pickle
    model.meta.attach(type(model).__name__)
    restored = ModelState(
        scalars=state["scalars"],
        store=state["store"],
        lists=state["lists"],
        shape=state["shape"],
        pass_invalid=state["pass_invalid"],
        extensions=state["extensions"],
        extra_tree=state["extra_tree"],
        extra_hdus=_hdus_from_bytes(state["extra_hdus"]),
        unknown_type=state.get("unknown_type"),
    )  # no close hooks: the far side owns no open file
    setter(model, "__jwst_state__", restored)
    setter(model, "extra_fits", state["extra_fits"])
    setter(model, "filename", state["filename"])
    for name, value in cast(dict[str, Any], state.get("slots", {})).items():
        setter(model, name, value)


def _rebind(node: MetaNode) -> None:
    node.bind_children()
    for child in node.__dict__.values():
        if isinstance(child, MetaNode):
            _rebind(child)


def _plain_array(value: Any) -> Any:
    """A memory-mapped array as a plain one (its bytes travel); a FITS table as the values a user sees."""
    if type(value) is np.ndarray:
        return value
    if value.dtype.names and hasattr(value, "columns"):  # astropy's FITS_rec: scaled, converted columns
        return plain_table(value)
    return np.asarray(value)


def _materialised(tree: Any) -> Any:
    """``tree`` with asdf's lazy arrays (which hold the open file) read into numpy arrays; containers that
    hold none are passed as they are, the others are copied (their type, asdf's tagged dicts, kept)."""
    if isinstance(tree, dict | list):
        items = (
            cast(dict[Any, Any], tree).items() if isinstance(tree, dict) else enumerate(cast(list[Any], tree))
        )
        changed = {key: new for key, value in items if (new := _materialised(value)) is not value}
        if not changed:
            return tree
        out = copy.copy(tree)
        for key, value in changed.items():
            out[key] = value
        return out
    if type(tree).__module__.startswith("asdf.") and hasattr(tree, "__array__"):
        return np.asarray(tree)
    return tree


def _hdus_as_bytes(hdus: list[Any]) -> bytes | None:
    """HDUs the schema does not describe, as a FITS file in memory (an HDU of an open file holds it)."""
    if not hdus:
        return None
    from astropy.io import fits

    buffer = io.BytesIO()
    fits.HDUList([fits.PrimaryHDU(), *(hdu.copy() for hdu in hdus)]).writeto(buffer)
    return buffer.getvalue()


def _hdus_from_bytes(data: bytes | None) -> list[Any]:
    if data is None:
        return []
    from astropy.io import fits

    with fits.open(io.BytesIO(data), memmap=False) as hdul:
        hdus = list(hdul[1:])
        for hdu in hdus:
            _ = hdu.data  # read before the in-memory file closes
    return hdus
