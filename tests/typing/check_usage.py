# ruff: noqa: B018  (the expected-error lines in mistakes() are bare attribute reads)
"""Typing contract (DESIGN section 7): the public API as users write it, checked by pyright and mypy.

``tests/typing/test_typecheckers.py`` runs pyright (strict, project configuration) and mypy (strict) on this
file and requires both to pass, and runs it under plain python.

- ``assert_type(...)`` lines pin the types the checkers must infer.
- ``mistakes()`` (never called) holds one mistake per line that both checkers must report. Every such line
  carries both checkers' markers with the exact error code: ``# type: ignore[code]`` for mypy (pyright
  disregards it: ``enableTypeIgnoreComments = false``) and ``# pyright: ignore[rule]`` for pyright (mypy
  disregards it). Unnecessary ignores are errors in both (``warn_unused_ignores``,
  ``reportUnnecessaryTypeIgnoreComment``), so a mistake that stops being reported fails the check.
"""

import datetime
import sys
import tempfile
from pathlib import Path
from typing import Any, Literal, Optional, assert_type

import numpy as np
from numpy.typing import NDArray

import jwstmodels
from jwstmodels import (
    CubeModel,
    DisperserModel,
    DistortionModel,
    Extract1dIFUModel,
    HistoryEntry,
    HistorySoftware,
    ImageModel,
    Level1bModel,
    PolynomialInfo,
    RampModel,
    SlitModel,
    SpecModel,
    Table,
    TableColumn,
    TSOMultiSpecModel,
    TSOSpecModel,
    WavelengthrangeModel,
)
from jwstmodels._core.meta_lists import HistoryList
from jwstmodels._model.schema_search import SchemaMatch
from jwstmodels.base import GWCS, Transform

InstrumentName = Literal["FGS", "MIRI", "NIRCAM", "NIRISS", "NIRSPEC", "TFI", "ANY", "N/A"]
"""``meta.instrument.name``: the enum of ``INSTRUME`` in schemas/core.schema.yaml."""


def image_metadata(m: ImageModel) -> None:
    """Reading and writing metadata: scalars are ``T | None``, enums are ``Literal[...] | None``."""
    assert_type(m.meta, jwstmodels.ImageMeta)
    shared: jwstmodels.Meta = m.meta  # every science model's meta extends the shared tree
    assert_type(shared.exposure.nframes, int | None)
    assert_type(m.meta.exposure.nframes, int | None)
    assert_type(m.meta.exposure.exposure_time, float | None)
    assert_type(m.meta.observation.date, str | None)
    assert_type(m.meta.target.ra, float | None)
    assert_type(m.meta.instrument.name, InstrumentName | None)
    assert_type(m.meta.model_type, str | None)

    m.meta.exposure.nframes = 4
    m.meta.exposure.exposure_time = 10.5
    m.meta.observation.date = "2024-01-01"
    m.meta.target.ra = 53.16
    m.meta.instrument.name = "NIRCAM"
    m.meta.instrument.name = None


def narrowing(m: ImageModel) -> None:
    """``None`` checks and enum comparisons narrow the way users expect."""
    nframes = m.meta.exposure.nframes
    if nframes is not None:
        assert_type(nframes, int)
    name = m.meta.instrument.name
    if name == "NIRCAM":
        assert_type(name, Literal["NIRCAM"])


def image_arrays(m: ImageModel) -> None:
    """Arrays are typed by the schema's ``datatype``; those a model may lack (ImageModel's ``dq`` and ``err``)
    with ``| None``, the primary array without."""
    assert_type(m.data, NDArray[np.float32])
    assert_type(m.dq, NDArray[np.uint32] | None)
    assert_type(m.err, NDArray[np.float32] | None)
    m.data = np.ones((3, 4), dtype=np.float32)
    m.dq = np.zeros((3, 4), dtype=np.uint32)
    m.data[0, 0] = 1.5
    if m.err is not None:
        m.err[0, 0] = 0.5
    m.err = None  # removes it


def cube_arrays(c: CubeModel) -> None:
    """CubeModel creates ``dq`` and ``err`` with its data, as the reference's does: typed without ``None``."""
    assert_type(c.data, NDArray[np.float32])
    assert_type(c.dq, NDArray[np.uint32])
    assert_type(c.err, NDArray[np.float32])
    assert_type(c.var_poisson, NDArray[np.float32] | None)
    assert_type(c.int_times, Table | None)
    c.dq[0, 0, 0] = 1


def ramp_arrays(r: RampModel) -> None:
    """Ramps: 4-D data, uint8 group DQ, and the GROUP table as a structured array."""
    assert_type(r.meta, jwstmodels.ImageMeta)
    assert_type(r.meta.exposure.ngroups, int | None)
    assert_type(r.data, NDArray[np.float32])
    assert_type(r.pixeldq, NDArray[np.uint32])
    assert_type(r.groupdq, NDArray[np.uint8])
    assert_type(r.zeroframe, NDArray[np.float32] | None)
    assert_type(r.group, Table | None)


def spectrum_table(s: SpecModel) -> None:
    """Tables as the pipeline uses them: a column by name in any case, its unit, str cells."""
    s.spec_table = np.zeros(3, dtype=SpecModel.spec_table.dtype)
    table = s.spec_table
    assert table is not None  # set just above; statically a table may be absent
    assert_type(table, Table)
    wavelength = table.field("wavelength")
    assert_type(wavelength, NDArray[Any])
    column = table.columns["WAVELENGTH"]
    assert_type(column, TableColumn)
    assert_type(column.unit, str | None)
    column.unit = "um"
    assert_type(table.names, list[str])
    assert table.columns["wavelength"].unit == "um" and wavelength.shape == (3,)


def table_mistakes(s: SpecModel, t: Table) -> None:
    """Never called: a table the model may lack, or a unit that is not text."""
    s.spec_table.field("flux")  # type: ignore[union-attr]  # pyright: ignore[reportOptionalMemberAccess]
    t.columns["flux"].unit = 3  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]


def life_cycle(path: Path) -> None:
    """Build, save, copy, flatten, open again: the model's class survives every step."""
    m = ImageModel((3, 4))
    assert_type(m, ImageModel)
    image_metadata(m)
    narrowing(m)
    image_arrays(m)
    m.meta.exposure.nframes = 4
    m.meta.instrument.name = "NIRCAM"

    copied = m.copy()
    assert_type(copied, ImageModel)
    flat = m.to_flat_dict()
    assert_type(flat, dict[str, object])

    written = m.save(path)
    assert_type(written, Path)

    opened = jwstmodels.open(path)
    assert_type(opened, jwstmodels.DataModel[jwstmodels.CommonMeta])  # any class: the fields every file has
    assert isinstance(opened, ImageModel)  # narrowing gives the class's own types back
    assert_type(opened.meta.exposure.nframes, int | None)
    assert opened.meta.exposure.nframes == 4
    opened.close()

    with ImageModel(path) as m2:
        assert_type(m2, ImageModel)
        assert_type(m2.meta.instrument.name, InstrumentName | None)
        assert m2.meta.instrument.name == "NIRCAM"

    r = RampModel((2, 3, 4, 5))
    assert_type(r, RampModel)
    ramp_arrays(r)
    assert r.groupdq.shape == (2, 3, 4, 5)


def mistakes(m: ImageModel) -> None:
    """Never called: every line is a mistake that both checkers must report with this error code."""
    m.meta.exposre  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
    m.meta.exposure.nframes = "four"  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]
    m.meta.instrument.name = "JWST"  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]
    m.dat  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
    m.meta.exposure.nframs = 3  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]
    m.dat = np.zeros((2, 2))  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]


def array_mistakes(m: ImageModel, r: RampModel) -> None:
    """Never called: an array the model may lack is used without asking whether it is there."""
    m.dq[0, 0] = 1  # type: ignore[index]  # pyright: ignore[reportOptionalSubscript]
    print(r.zeroframe.shape)  # type: ignore[union-attr]  # pyright: ignore[reportOptionalMemberAccess]


# -- scalars outside meta (SlitModel.name, SpecModel.source_id) -------------------------------------------

SourceType = Literal["EXTENDED", "POINT", "UNKNOWN"]
"""``SlitModel.source_type``: the enum of ``SRCTYPE`` in schemas/slitmeta.schema.yaml."""


def slit_scalars(s: SlitModel) -> None:
    """Top-level scalars are typed as metadata is: ``T | None``, enums ``Literal[...] | None``."""
    assert_type(s.name, str | None)
    assert_type(s.xstart, int | None)
    assert_type(s.source_xpos, float | None)
    assert_type(s.is_extended, bool | None)
    assert_type(s.source_type, SourceType | None)
    s.name = "S200A1"
    s.xstart = 5
    s.source_xpos = 1  # an int is a valid float
    s.source_type = "POINT"
    s.is_extended = None
    assert (s.name, s.xstart, s.source_xpos) == ("S200A1", 5, 1.0)
    spec = SpecModel()
    assert_type(spec.source_id, int | None)
    assert_type(spec.spectral_order, int | None)


def scalar_mistakes(s: SlitModel) -> None:
    """Never called: each line is a mistake on a top-level scalar that both checkers must report."""
    s.xstart = "a"  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]
    s.source_type = "DIFFUSE"  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]


# -- end of the scalars outside meta -----------------------------------------------------------------------


# -- lists inside meta (meta.history, meta.exposure.read_times, meta.background.polynomial_info) -------------


def metadata_lists(m: ImageModel) -> None:
    """History entries and the other lists inside the metadata are typed lists of typed items."""
    assert_type(m.meta.history, HistoryList[HistoryEntry])
    plain: list[HistoryEntry] = m.meta.history  # a list of entries, which also takes text
    m.meta.history.append(HistoryEntry(description="flat-fielded"))
    plain.pop()
    m.meta.history.append("flat-fielded")  # an entry of this text, stamped with the time (as the reference)
    entry = m.add_history_entry("dark subtracted", software={"name": "jwst", "version": "1.19"})
    assert_type(entry, HistoryEntry)
    assert_type(entry.description, str)
    assert_type(entry.time, datetime.datetime | None)
    assert_type(entry.software, HistorySoftware | None)
    if entry.software is not None:
        assert_type(entry.software.version, str)
        assert_type(entry.software.homepage, str | None)
    tool = HistorySoftware(name="resample", version="1")
    m.meta.history.append(HistoryEntry(description="resampled", software=tool))
    assert [e.description for e in m.meta.history] == ["flat-fielded", "dark subtracted", "resampled"]

    assert_type(m.meta.exposure.read_times, list[list[float]] | None)
    m.meta.exposure.read_times = [[0.0, 10.7], [21.5]]
    assert_type(m.meta.background.polynomial_info, list[PolynomialInfo])
    m.meta.background.polynomial_info.append(PolynomialInfo(degree=[1, 1], channel="1"))
    assert_type(m.meta.background.polynomial_info[0].coefficients, list[float] | None)


def schema_search(m: ImageModel) -> None:
    """search_schema on the class, on a model and module-wide; flat keys of list items."""
    assert_type(ImageModel.search_schema("nframes"), list[SchemaMatch])
    assert_type(m.search_schema("exposure time"), list[SchemaMatch])
    assert_type(jwstmodels.search_schema("exposure time", model="ImageModel"), list[SchemaMatch])
    assert_type(ImageModel.search_schema("nframes")[0].keyword, str | None)


def list_mistakes(m: ImageModel) -> None:
    """Never called: each line is a mistake with a list inside meta that both checkers must report."""
    m.meta.history.append(5)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    HistoryEntry(descripton="flat-fielded")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    m.meta.exposure.read_times = [0.0, 10.7]  # type: ignore[list-item]  # pyright: ignore[reportAttributeAccessIssue]


# -- end of the lists inside meta --------------------------------------------------------------------------


def tilt_unit(tilt: jwstmodels.DisperserGwaTilt) -> str | None:
    """A user's function annotated with a tree-object class (exported like the metadata classes)."""
    return tilt.unit


def tree_object_mistakes(d: DisperserModel) -> None:
    """Never called: an annotation with a tree-object class refuses another object."""
    tilt_unit(d.meta)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def tree_objects(d: DisperserModel, w: WavelengthrangeModel, e: Extract1dIFUModel) -> None:
    """An object outside meta (``gwa_tiltx``) has typed members, checked as a model's own fields; a list may
    hold values of several kinds (a wavelength range: order, filter name, wavelengths)."""
    assert_type(d.gwa_tiltx, jwstmodels.DisperserGwaTilt)  # the generated classes are exported
    tilt: jwstmodels.TreeObject = d.gwa_tilty  # every tree object extends TreeObject
    assert isinstance(tilt, jwstmodels.DisperserGwaTilt)
    assert_type(tilt_unit(d.gwa_tiltx), str | None)
    assert_type(d.gwa_tiltx.zeroreadings, list[float] | None)
    assert_type(e.data.wavelength, NDArray[np.float32] | None)  # an array member: its schema dtype
    e.data.wavelength = np.zeros(3, np.float32)
    assert_type(d.gwa_tiltx.unit, str | None)
    d.gwa_tiltx.temperatures = [35.0, 40.0]
    assert_type(w.wavelengthrange, list[list[float | str]] | None)
    w.wavelengthrange = [[1.0, "F250M", 2.4, 2.6]]


def transforms(d: DistortionModel) -> None:
    """A transform-holding reference model: ``model`` is an astropy transform (``Transform``) or None.
    (astropy ships no types for mypy, where Transform is Any; pyright refuses a non-transform, see
    test_typecheckers.py.)"""
    assert_type(d.model, Optional[Transform])  # noqa: UP045 - astropy's Model overloads |
    d.model = None
    assert_type(d.meta.input_units, str | None)
    assert_type(d.meta.instrument.p_pupil, str | None)
    reference: jwstmodels.ReferenceFileModel = d  # a reference file, as in the reference
    assert reference.meta.reftype is None


def world_coordinates(m: ImageModel, slit: SlitModel) -> None:
    """``meta.wcs`` is the gwcs WCS or None, on models and on the items of multi-models (pyright: gwcs's
    ``WCS``; mypy sees gwcs untyped, Any; pyright refuses a non-WCS, see test_typecheckers.py)."""
    assert_type(m.meta.wcs, Optional[GWCS])  # noqa: UP045 - the same spelling as Transform's above
    assert_type(slit.meta.wcs, Optional[GWCS])  # noqa: UP045
    if m.meta.wcs is not None:
        m.meta.wcs(1.0, 2.0)
    m.meta.wcs = None


# -- products of the current pipeline (issue 14): raw ramps and time-series spectra -------------------------


def raw_ramps(u: Level1bModel) -> None:
    """A raw ``_uncal`` file: unsigned 16-bit ramps, one zero frame per integration."""
    assert_type(u.data, NDArray[np.uint16])
    assert_type(u.zeroframe, NDArray[np.uint16] | None)
    assert_type(u.moving_target, Table | None)
    assert_type(u.meta.exposure.ngroups, int | None)
    assert u.data.shape == (2, 3, 5, 6) and u.zeroframe is None  # not made with the model, as the reference


def tso_spectra(x1dints: TSOMultiSpecModel) -> None:
    """A ``_x1dints`` file: a typed list of time-series spectra, each with its table and keywords."""
    assert_type(x1dints.spec, list[TSOSpecModel])
    item = TSOSpecModel()
    item.spectral_order = 1
    x1dints.spec.append(item)
    first = x1dints.spec[0]
    assert_type(first, TSOSpecModel)
    assert_type(first.spec_table, Table | None)
    assert_type(first.spectral_order, int | None)
    assert_type(first.meta.exposure.nints, int | None)
    assert_type(x1dints.int_times, Table | None)
    assert x1dints.spec[0].spectral_order == 1


def current_product_mistakes(u: Level1bModel, x1dints: TSOMultiSpecModel) -> None:
    """Never called: each line is a mistake with a current product that both checkers must report."""
    x1dints.spec.append(ImageModel())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    u.meta.exposure.ngroups = "ten"  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        life_cycle(Path(tmp) / "image.fits")
    metadata_lists(ImageModel())
    slit_scalars(SlitModel())
    transforms(DistortionModel())
    tree_objects(DisperserModel(), WavelengthrangeModel(), Extract1dIFUModel())
    raw_ramps(Level1bModel((2, 3, 5, 6)))
    image_arrays(ImageModel((3, 4)))
    cube_arrays(CubeModel((2, 3, 4)))
    spectrum_table(SpecModel())
    tso_spectra(TSOMultiSpecModel())
    return 0


if __name__ == "__main__":
    sys.exit(main())
