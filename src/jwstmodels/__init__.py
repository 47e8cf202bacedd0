"""jwstmodels: statically typed data models for James Webb Space Telescope data.

``jwstmodels.open(path)`` reads a FITS or ASDF file into the model class its ``DATAMODL`` names; every model
class (``ImageModel``, ``RampModel``, ...) can also be built directly. See the README for a tour.
"""

from importlib.metadata import version as _version
from typing import TYPE_CHECKING

import jwstmodels_generated as _generated
from jwstmodels_generated.lookup import CLASS_MODULES as _CLASS_MODULES

from . import dqflags
from ._arrays import ArrayField, Column, TableField
from ._base import DataModel
from ._container import AssociationError, ContainerSaveError, ModelContainer
from ._errors import (
    FileChangedError,
    FileFormatError,
    InvalidValueWarning,
    ModelTypeMismatchWarning,
    UnknownFieldError,
    ValidationError,
    ValidationErrors,
)
from ._extend import SchemaExtensionError
from ._lists import ListField
from ._map import MapError
from ._map import map as map  # not in __all__: a star import must not shadow the builtin
from ._meta import MetaNode
from ._metadata import read_metadata
from ._open import open_model as open
from ._scalars import ScalarField
from ._scan import scan
from ._search import search_everywhere as search_schema

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
    "TableField",
    "UnknownFieldError",
    "ValidationError",
    "ValidationErrors",
    "dqflags",
    "open",
    "read_metadata",
    "scan",
    "search_schema",
]
__all__ += _generated.__all__

__version__: str = _version("jwstmodels")
"""The installed distribution's version."""

if TYPE_CHECKING:
    # Type checkers see every generated class (the generated package imports each explicitly for them); at run
    # time a class's module is imported on first access, by __getattr__ below, so that `import jwstmodels`
    # builds no model class.
    from jwstmodels_generated import *  # noqa: F403


def __getattr__(name: str) -> object:
    """A generated class (``jwstmodels.ImageModel``), its module imported on first access (PEP 562)."""
    if name in _CLASS_MODULES:
        value: object = getattr(_generated, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
