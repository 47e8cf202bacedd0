"""``jwstmodels.read_metadata``: the typed metadata of a file, without reading its arrays."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from jwstmodels._api.opening import open_model

if TYPE_CHECKING:
    from jwstmodels_generated.meta import CommonMeta


def read_metadata(path: str | os.PathLike[str]) -> CommonMeta:
    """Read the metadata of a FITS or ASDF file: headers (and the ASDF extension), never array data.

    The class of the returned tree is the one the file's model uses (``DATAMODL``); it is typed
    ``jwstmodels.CommonMeta``, the fields every file carries (``filename``, ``model_type``, ``date``,
    ``telescope``, ``instrument.name``, ...), which need no narrowing. For the others narrow the tree:
    science models share ``jwstmodels.Meta`` (``isinstance(meta, jwstmodels.Meta)``), reference files extend
    ``jwstmodels.ReferenceFileMeta``. The file is closed before this returns.
    """
    with open_model(path) as model:
        return model.meta
