"""``jwstmodels.read_metadata``: the typed metadata of a file, without reading its arrays."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ._open import open_model

if TYPE_CHECKING:
    from ._meta import MetaNode


def read_metadata(path: str | os.PathLike[str]) -> MetaNode:
    """Read the metadata of a FITS or ASDF file: headers (and the ASDF extension), never array data.

    The class of the returned tree is the one the file's model uses (``DATAMODL``): science models share
    ``jwstmodels.Meta`` (narrow with ``isinstance(meta, jwstmodels.Meta)``), reference files have their own
    tree. The file is closed before this returns.
    """
    with open_model(path) as model:
        return model.meta
