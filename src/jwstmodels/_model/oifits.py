"""The save hook of ``AmiOIModel`` (``models.yaml``: ``on_save``): the OIFITS keywords a file must carry.

OIFITS (the optical interferometry exchange format) wants some values JWST files already hold under other
keywords, and cross-references between its tables. As the reference's ``AmiOIModel`` does before it saves or
validates, copy them into ``meta.oifits.derived``: the observer and object, ``CONTENT = 'OIFITS2'``, the
array and instrument names and the observation date of every data table, revision 2 of every table, and the
array's frame and position when they are missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jwstmodels._model.parts import ModelParts

OIFITS_REVISION = 2


def map_oifits_keywords(model: ModelParts) -> None:
    """Fill ``meta.oifits.derived`` from the rest of the metadata (as the reference's
    ``_map_oifits_keywords``)."""
    meta: Any = model.meta  # an AmiOIModel's metadata (the hook is declared for that class only)
    derived = meta.oifits.derived
    derived.observer = meta.program.pi_name
    derived.object = meta.target.proposer_name or meta.target.catalog_name
    derived.content = "OIFITS2"
    data_tables = (derived.t3, derived.vis, derived.vis2, derived.q4)
    for table in data_tables:
        table.array_name = meta.oifits.array_name
        table.date_obs = meta.observation.date  # DATE-OBS as JWST writes it (a date), left as it is
    for table in (derived.wavelength, *data_tables):
        table.instrument_name = meta.instrument.name
    for table in (derived.array, derived.target, *data_tables, derived.wavelength):
        table.revn = OIFITS_REVISION
    array = derived.array
    if array.frame is None:
        array.frame = "SKY"
    for axis in ("x", "y", "z"):
        if getattr(array, axis) is None:
            setattr(array, axis, 0.0)
