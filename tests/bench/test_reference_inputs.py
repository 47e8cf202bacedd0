"""The benchmark's inputs are what users have: files written by the reference (stdatamodels) with a gwcs WCS
as assign_wcs leaves it, whose arrays asdf stores as binary blocks in the ``ASDF`` extension; the floor's WCS
read (asdf by hand) gives the WCS the reference wrote."""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false
# (the reference and astropy ship without annotations)

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from astropy.io import fits

from benchmarks.reference_wcs import build_wcs, extension_wcs, sky
from benchmarks.sides.models import ModelLibrary
from benchmarks.tasks import scan_paths, write_fixtures
from benchmarks.workload import FIVE, QUICK, values

pytest.importorskip("stdatamodels", reason="stdatamodels is a benchmark dependency (dev extra)")


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reference")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the reference's own notices
        write_fixtures(ModelLibrary("stdatamodels", "stdatamodels.jwst.datamodels"), folder, QUICK)
    return folder


def test_the_wcs_has_a_pipeline_of_several_transforms() -> None:
    wcs: Any = build_wcs()
    assert [str(frame) for frame in wcs.available_frames] == ["detector", "v2v3", "v2v3vacorr", "world"]
    ra, dec = wcs(1023.5, 1023.5)
    assert abs(ra - 80.49) < 0.01 and abs(dec + 69.50) < 0.01


@pytest.mark.parametrize("name", ["image.fits", "scan/small_000.fits"])
def test_science_files_hold_the_wcs_with_binary_blocks(fixtures: Path, name: str) -> None:
    hdul: Any
    with fits.open(fixtures / name) as hdul:
        assert hdul[0].header["DATAMODL"] == "ImageModel"
        payload = hdul["ASDF"].data[0][0].tobytes()
        assert payload.count(b"\xd3BLK") >= 3  # asdf's block magic: the lookup tables and grids
        assert b"tag:stsci.edu:gwcs/wcs" in payload or b"gwcs/wcs-" in payload
        assert sky(extension_wcs(hdul)) == sky(build_wcs())


def test_every_side_reads_the_values_the_reference_wrote(fixtures: Path) -> None:
    paths = scan_paths(fixtures)
    assert len(paths) == QUICK.scan_files
    expected = [values(FIVE)[field] for field in FIVE]
    ours = ModelLibrary("jwstmodels", "jwstmodels")  # reads the reference's files without a warning
    assert ours.scan_fields(paths, FIVE) == [expected] * len(paths)
    assert ours.read_fields(paths[0], FIVE) == expected
    reference = ModelLibrary("stdatamodels", "stdatamodels.jwst.datamodels")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the reference's own notices
        assert reference.scan_fields(paths, FIVE) == [expected] * len(paths)
