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
    "ScalarField",
    "SchemaExtensionError",
    "TableField",
    "UnknownFieldError",
    "ValidationError",
    "ValidationErrors",
    "dqflags",
    "open",
    "read_metadata",
]
__all__ += _catalog.__all__
from ._errors import FileChangedError  # noqa: E402  (appended: issue 17, scan/map and pickling)
from ._map import MapError  # noqa: E402
from ._map import map as map  # noqa: E402  (not in __all__: a star import must not shadow map)
from ._scan import scan  # noqa: E402

__all__ += ["FileChangedError", "MapError", "scan"]
