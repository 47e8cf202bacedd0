"""The ``ASDF`` extension of JWST FITS files: the model's tree, stored as an ASDF document in a binary table.

The reference implementation writes the whole tree there and reads it back (values that headers do not carry,
such as fields without a FITS keyword, history and WCS objects). We read it with asdf's YAML layer alone and
write it with asdf's YAML dumper: the document holds no binary blocks (arrays stay in their HDUs), so neither
direction needs ``asdf.AsdfFile``, whose first use in a process costs seconds of plugin discovery.
"""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false
# (typed boundary around asdf's untyped YAML helpers and astropy's table HDU)

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any, cast

import numpy as np
from astropy.io import fits

EXTENSION_NAME = "ASDF"
COLUMN_NAME = "ASDF_METADATA"
_ROOT_TAG = "tag:stsci.edu:asdf/core/asdf-1.1.0"


def read_tree(hdu: Any, filename: str) -> dict[str, Any]:
    """The tree of an ``ASDF`` extension HDU, with tags kept (so unknown objects survive a re-save)."""
    import asdf.util

    from ._errors import FileFormatError

    try:
        raw = bytes(
            np.asarray(hdu.data[COLUMN_NAME][0] if COLUMN_NAME in hdu.columns.names else hdu.data[0][0])
        )
        tree = asdf.util.load_yaml(io.BytesIO(raw), tagged=True)
    except Exception as exc:  # yaml and asdf raise many types for a damaged document
        raise FileFormatError(
            f"{filename}: the ASDF extension cannot be read ({type(exc).__name__}: {exc})"
        ) from None
    if not isinstance(tree, Mapping):
        raise FileFormatError(f"{filename}: the ASDF extension does not hold a mapping")
    return drop_fits_arrays(cast(dict[str, Any], dict(tree)))


def drop_fits_arrays(tree: dict[str, Any]) -> dict[str, Any]:
    """Remove ndarrays whose data live in FITS HDUs (``source: fits:SCI,1``): the HDUs are read directly."""

    def keep(value: object) -> bool:
        if isinstance(value, Mapping):
            source = cast(Mapping[str, object], value).get("source")
            return not (isinstance(source, str) and source.startswith("fits:"))
        return True

    def walk(node: object) -> object:
        if isinstance(node, dict):
            mapping = cast(dict[str, object], node)
            for key in [k for k, v in mapping.items() if not keep(v)]:
                del mapping[key]
            for value in mapping.values():
                walk(value)
        elif isinstance(node, list):
            for item in cast(list[object], node):
                walk(item)
        return node

    walk(tree)
    return tree


def build_hdu(tree: Mapping[str, Any]) -> fits.BinTableHDU:
    """An ``ASDF`` extension HDU holding ``tree`` (no arrays) as an ASDF document the reference can open."""
    import asdf.tagged
    import asdf.versioning
    import asdf.yamlutil
    import yaml

    root = asdf.tagged.TaggedDict(dict(tree), _ROOT_TAG)
    stream = io.BytesIO()
    # The standard asdf writes by default: readers enable the converters of tags (gwcs WCS objects, say)
    # by it, and the reference reads a WCS object back only under the current standard.
    stream.write(f"#ASDF 1.0.0\n#ASDF_STANDARD {asdf.versioning.default_version}\n".encode())
    yaml.dump_all(
        [root],
        stream=stream,
        Dumper=asdf.yamlutil.AsdfDumper,
        explicit_start=True,
        explicit_end=True,
        version=(1, 1),
        allow_unicode=True,
        encoding="utf-8",
        tags={"!": "tag:stsci.edu:asdf/"},
    )
    payload = np.frombuffer(stream.getvalue(), dtype=np.uint8)
    column = fits.Column(name=COLUMN_NAME, format=f"{payload.size}B", array=payload[np.newaxis, :])
    return fits.BinTableHDU.from_columns([column], name=EXTENSION_NAME)
