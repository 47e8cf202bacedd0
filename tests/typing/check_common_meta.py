# ruff: noqa: B018  (the expected-error lines in mistakes() are bare attribute reads)
"""Typing contract (issue 19): plain user scripts over files of any kind need no narrowing for the fields
every file carries.

``jwstmodels.open``, ``read_metadata`` and the members of a ``ModelContainer`` are typed with
``jwstmodels.CommonMeta``, the metadata root every model's tree extends (science ``Meta`` and
``ReferenceFileMeta`` alike). ``tests/typing/test_typecheckers.py`` runs pyright (strict) and mypy (strict)
on this file, runs it under python, and checks the negative controls in ``mistakes()``: a field only science
files have is an error without narrowing (each such line carries both checkers' markers; unnecessary ignores
are errors, so a mistake that stops being reported fails the check).
"""

import sys
import tempfile
from pathlib import Path
from typing import Literal, assert_type

import numpy as np
from numpy.typing import NDArray

import jwstmodels
from jwstmodels import (
    CommonMeta,
    DataModel,
    FlatMeta,
    FlatModel,
    ImageMeta,
    ImageModel,
    MIRIRampModel,
    ModelContainer,
    RampModel,
    ReferenceFileModel,
)

InstrumentName = Literal["FGS", "MIRI", "NIRCAM", "NIRISS", "NIRSPEC", "TFI", "ANY", "N/A"]


def describe(path: Path) -> str:
    """Open any file and read what every file carries."""
    with jwstmodels.open(path) as model:
        assert_type(model, DataModel[CommonMeta])
        meta = model.meta
        assert_type(meta.instrument.name, InstrumentName | None)
        assert_type(meta.filename, str | None)
        return " ".join(
            str(value)
            for value in (
                meta.filename,
                meta.model_type,
                meta.date,
                meta.telescope,
                meta.instrument.name,
                meta.instrument.detector,
                len(meta.history),
            )
        )


def instruments(paths: list[Path]) -> dict[str, str | None]:
    """Scan science and reference files alike: ``read_metadata`` needs no narrowing for common fields."""
    found: dict[str, str | None] = {}
    for path in paths:
        meta = jwstmodels.read_metadata(path)
        assert_type(meta, CommonMeta)
        found[path.name] = meta.instrument.name
        meta.telescope = "JWST"  # common fields are typed for writing too
    return found


def container_models(container: ModelContainer) -> list[tuple[str | None, str | None]]:
    """A loop over a container's members."""
    return [(model.meta.model_type, model.meta.instrument.name) for model in container]


def narrowed(path: Path) -> int | None:
    """Fields only some files have need a narrowing (or opening with the class: ``ImageModel(path)``)."""
    meta = jwstmodels.read_metadata(path)
    if isinstance(meta, jwstmodels.Meta):
        return meta.exposure.nframes
    return None


def reference_author(model: ReferenceFileModel) -> str | None:
    """A helper typed on the family base accepts every reference-file model."""
    return model.meta.author


def inherited() -> None:
    """Models extending others keep exact types: the subclass's own metadata, the inherited arrays."""
    flat = FlatModel((2, 2))
    assert_type(flat.meta, FlatMeta)
    assert reference_author(flat) is None
    ramp = MIRIRampModel((1, 1, 2, 2))
    assert_type(ramp.meta, ImageMeta)
    assert_type(ramp.groupdq, NDArray[np.uint8])
    base: RampModel = ramp
    assert base.groupdq.shape == (1, 1, 2, 2)


def mistakes(path: Path) -> None:
    """Never called: each line is an error both checkers must report (science-only fields, unnarrowed)."""
    jwstmodels.open(path).meta.exposure  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
    jwstmodels.read_metadata(path).observation  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
    for model in ModelContainer([path]):
        model.meta.reftype  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        image = ImageModel((2, 2))
        image.meta.instrument.name = "NIRCAM"
        image.meta.exposure.nframes = 4
        image.save(Path(tmp) / "science_cal.fits")
        flat = FlatModel((2, 2))
        meta = flat.meta
        meta.instrument.name = "MIRI"
        meta.telescope = "JWST"
        meta.reftype, meta.author, meta.pedigree = "FLAT", "typing test", "DUMMY"
        meta.useafter, meta.description = "2022-01-01T00:00:00", "A flat for the typing test"
        flat.save(Path(tmp) / "reference_flat.fits")
        paths = [Path(tmp) / "science_cal.fits", Path(tmp) / "reference_flat.fits"]
        assert describe(paths[0]).startswith("science_cal.fits ImageModel ")
        assert instruments(paths) == {"science_cal.fits": "NIRCAM", "reference_flat.fits": "MIRI"}
        container = ModelContainer(paths)
        assert container_models(container) == [("ImageModel", "NIRCAM"), ("FlatModel", "MIRI")]
        container.close()
        assert [narrowed(p) for p in paths] == [4, None]
    inherited()


if __name__ == "__main__":
    main()
    sys.exit(0)
