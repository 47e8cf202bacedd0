"""Record types for the lookup tables that the generator emits (``jwstmodels_generated.lookup``).

Runtime code answers schema questions (which keyword, which HDU, which type) from these tables; it never
reads YAML.
"""

from __future__ import annotations

from typing import NamedTuple


class Leaf(NamedTuple):
    """One scalar metadata field: where it lives in the tree and in a FITS file."""

    path: str
    """Dotted path, e.g. ``meta.exposure.nframes``."""
    keyword: str | None
    """FITS keyword, e.g. ``NFRAMES``; None for fields that only ASDF stores."""
    hdu: str
    """HDU the keyword lives in, ``PRIMARY`` unless the schema says otherwise."""
    type: str
    """JSON-schema type: ``string``, ``integer``, ``number`` or ``boolean``."""
    title: str
    """The schema title, shown in search results and hover text."""
