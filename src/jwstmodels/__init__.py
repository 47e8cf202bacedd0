"""jwstmodels: statically typed data models for James Webb Space Telescope data.

``jwstmodels.open(path)`` reads a FITS or ASDF file into the model class its ``DATAMODL`` names; every model
class (``ImageModel``, ``RampModel``, ...) can also be built directly. See the README for a tour.
"""

import jwstmodels_generated.catalog as _catalog
from jwstmodels_generated.catalog import *  # noqa: F403  (the generated classes; its __all__ lists them)

from . import dqflags
from ._arrays import ArrayField, Column, TableField
from ._base import DataModel
from ._container import AssociationError, ContainerSaveError, ModelContainer
from ._errors import (
    FileFormatError,
    InvalidValueWarning,
    ModelTypeMismatchWarning,
    UnknownFieldError,
    ValidationError,
    ValidationErrors,
)
from ._extend import SchemaExtensionError
from ._lists import ListField
from ._meta import MetaNode
from ._metadata import read_metadata
from ._open import open_model as open
from ._scalars import ScalarField
from ._search import search_everywhere as search_schema

__all__ = [
    "ArrayField",
    "AssociationError",
    "Column",
    "ContainerSaveError",
    "DataModel",
    "FileFormatError",
    "InvalidValueWarning",
    "ListField",
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
    "search_schema",
]
__all__ += _catalog.__all__
