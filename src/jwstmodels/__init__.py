"""jwstmodels: statically typed data models for James Webb Space Telescope data.

``jwstmodels.open(path)`` reads a FITS or ASDF file into the model class its ``DATAMODL`` names; every model
class (``ImageModel``, ``RampModel``, ...) can also be built directly. See the README for a tour.
"""

import importlib
from typing import TYPE_CHECKING

import jwstmodels_generated as _generated
from jwstmodels._api.opening import open_model as open
from jwstmodels._core.arrays import ArrayField, Column, TableField
from jwstmodels._core.errors import (
    FileChangedError,
    FileFormatError,
    InvalidValueWarning,
    ModelTypeMismatchWarning,
    UnknownFieldError,
    UnknownModelTypeWarning,
    ValidationError,
    ValidationErrors,
)
from jwstmodels._core.lists import ListField
from jwstmodels._core.meta import MetaNode
from jwstmodels._core.scalars import ScalarField
from jwstmodels._core.tables import Table, TableColumn, TableColumns
from jwstmodels._model.datamodel import DataModel
from jwstmodels_generated.lookup import CLASS_MODULES as _CLASS_MODULES

from ._version import __version__ as __version__

__all__ = [
    "ArrayField",
    "AssociationError",
    "Column",
    "ContainerSaveError",
    "DataModel",
    "FileChangedError",
    "FileFormatError",
    "InvalidValueWarning",
    "ListField",
    "MapError",
    "MetaNode",
    "ModelContainer",
    "ModelTypeMismatchWarning",
    "ScalarField",
    "SchemaExtensionError",
    "Table",
    "TableColumn",
    "TableColumns",
    "TableField",
    "UnknownFieldError",
    "UnknownModelTypeWarning",
    "ValidationError",
    "ValidationErrors",
    "dqflags",
    "open",
    "read_metadata",
    "scan",
    "search_schema",
]
__all__ += _generated.__all__


if TYPE_CHECKING:
    # Type checkers see every generated class (the generated package imports each explicitly for them); at run
    # time a class's module is imported on first access, by __getattr__ below, so that `import jwstmodels`
    # builds no model class.
    from jwstmodels._api.container import AssociationError, ContainerSaveError, ModelContainer
    from jwstmodels._api.mapping import MapError
    from jwstmodels._api.mapping import (
        map as map,  # not in __all__: a star import must not shadow the builtin
    )
    from jwstmodels._api.metadata import read_metadata
    from jwstmodels._api.scan import scan
    from jwstmodels._api.search import search_everywhere as search_schema
    from jwstmodels._model.extend import SchemaExtensionError
    from jwstmodels_generated import *  # noqa: F403

    from . import dqflags

_LAZY_NAMES = {
    "AssociationError": ("jwstmodels._api.container", "AssociationError"),
    "ContainerSaveError": ("jwstmodels._api.container", "ContainerSaveError"),
    "ModelContainer": ("jwstmodels._api.container", "ModelContainer"),
    "MapError": ("jwstmodels._api.mapping", "MapError"),
    "map": ("jwstmodels._api.mapping", "map"),
    "read_metadata": ("jwstmodels._api.metadata", "read_metadata"),
    "scan": ("jwstmodels._api.scan", "scan"),
    "search_schema": ("jwstmodels._api.search", "search_everywhere"),
    "SchemaExtensionError": ("jwstmodels._model.extend", "SchemaExtensionError"),
}
"""Names whose modules are imported on first access, as the generated classes are: opening or saving a model
needs none of them, and a fresh process pays for each module it imports."""
_LAZY_MODULES = {"dqflags": "jwstmodels.dqflags"}
"""Submodules imported on first access (``jwstmodels.dqflags``): only a model whose file numbers its own DQ
bits reads them."""


def __getattr__(name: str) -> object:
    """A generated class (``jwstmodels.ImageModel``), a name of ``_LAZY_NAMES`` or a module of
    ``_LAZY_MODULES``, its module imported on first access (PEP 562)."""
    value: object
    if name in _CLASS_MODULES:
        value = getattr(_generated, name)
    elif name in _LAZY_NAMES:
        module, attribute = _LAZY_NAMES[name]
        value = getattr(importlib.import_module(module), attribute)
    elif name in _LAZY_MODULES:
        value = importlib.import_module(_LAZY_MODULES[name])
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


JwstDataModel = DataModel
"""The reference's name for the base of its JWST models (science and reference files alike): every model
here is a JWST model, so it is ``DataModel``."""
__all__ += ["JwstDataModel"]

from jwstmodels._core.objects import TreeObject  # noqa: E402  (the base of the generated tree-object classes)

__all__ += ["TreeObject"]
