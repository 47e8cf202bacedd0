"""The drop-in switch: make code written for the reference implementation use jwstmodels.

After ``jwstmodels.compat.install()``, ``from stdatamodels.jwst import datamodels`` (and
``import stdatamodels.jwst.datamodels``, ``from stdatamodels.jwst.datamodels import ImageModel``,
``stdatamodels.jwst.datamodels.util.open``) give jwstmodels' ``open`` and model classes, so the JWST
pipeline's steps (run through stpipe) open, pass around and save jwstmodels models. Call it before the
pipeline is imported: modules that imported the reference's classes earlier keep them.

A name jwstmodels does not provide (a model class not in its catalogue yet, the reference's helper modules
such as ``dqflags`` or ``schema``) still resolves to the reference's, which must be installed
(``pip install 'jwstmodels[pipeline]'`` brings it with the pipeline). ``provided()`` lists the names that
resolve here; ``uninstall()`` restores the reference.

While it is on, metadata nodes also take attributes their schema does not declare, as the reference's do
(jwst's ModelLibrary sets ``model.meta.group_id``): the value is kept in the model's preserved tree and saved
where the reference saves it (the ASDF tree; the ASDF extension of FITS files). Off, such an attribute is an
UnknownFieldError, as everywhere else in jwstmodels.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

from jwstmodels._core.node_instance import keep_undeclared_attributes

__all__ = ["install", "installed", "provided", "uninstall"]

_TARGET = "stdatamodels.jwst.datamodels"
_REDIRECTED_SUBMODULES = ("util",)
"""Submodules of the reference's package whose ``open`` jwst imports directly (``...datamodels.util``)."""

_saved: dict[str, types.ModuleType] = {}


def _ours() -> dict[str, object]:
    """The names jwstmodels provides in place of the reference's: its model classes and ``open``."""
    import jwstmodels

    exported: list[str] = vars(jwstmodels)["__all__"]
    names: dict[str, object] = {name: getattr(jwstmodels, name) for name in exported}
    for helper in (
        "dqflags",
        "search_schema",
        "ValidationError",
        "ValidationErrors",
        "ListField",
        "read_metadata",
    ):
        names.pop(helper, None)  # the reference's functions of those names stay (other signatures)
    names["open"] = jwstmodels.open
    names["DataModel"] = jwstmodels.DataModel
    names["JwstDataModel"] = jwstmodels.JwstDataModel
    return names


class _Redirected(types.ModuleType):
    """A stand-in for one of the reference's modules: its namespace, with jwstmodels' names over it."""

    def __init__(self, original: types.ModuleType, replacements: dict[str, object]) -> None:
        super().__init__(original.__name__, original.__doc__)
        self.__dict__.update({k: v for k, v in vars(original).items() if k not in ("__name__", "__doc__")})
        self.__dict__.update(replacements)
        self.__dict__["__jwstmodels_original__"] = original

    def __getattr__(self, name: str) -> Any:
        original: types.ModuleType = self.__dict__["__jwstmodels_original__"]
        return getattr(original, name)


def provided() -> list[str]:
    """The names of ``stdatamodels.jwst.datamodels`` that resolve to jwstmodels once installed."""
    reference = importlib.import_module(_TARGET)
    public = set(getattr(reference, "__all__", [])) | {"open", "JwstDataModel", "DataModel"}
    return sorted(name for name in _ours() if name in public)


def installed() -> bool:
    """True while the switch is on."""
    return isinstance(sys.modules.get(_TARGET), _Redirected)


def install() -> None:
    """Make ``stdatamodels.jwst.datamodels`` resolve to jwstmodels (see the module's text). Idempotent."""
    if installed():
        return
    reference = importlib.import_module(_TARGET)
    ours = _ours()
    package = importlib.import_module("stdatamodels.jwst")
    for sub in _REDIRECTED_SUBMODULES:
        name = f"{_TARGET}.{sub}"
        original = importlib.import_module(name)
        _saved[name] = original
        replacements = {"open": ours["open"]} if hasattr(original, "open") else {}
        stand_in = _Redirected(original, replacements)
        sys.modules[name] = stand_in
        ours[sub] = stand_in
    _saved[_TARGET] = reference
    stand_in = _Redirected(reference, ours)
    sys.modules[_TARGET] = stand_in
    setattr(package, "datamodels", stand_in)
    keep_undeclared_attributes(True)


def uninstall() -> None:
    """Restore the reference's modules (code that already imported names from the stand-in keeps them)."""
    if not installed():
        return
    package = importlib.import_module("stdatamodels.jwst")
    for name, module in _saved.items():
        sys.modules[name] = module
    setattr(package, "datamodels", _saved[_TARGET])
    _saved.clear()
    keep_undeclared_attributes(False)
