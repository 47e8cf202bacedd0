"""``jwstmodels convert`` and ``diff`` compare the WCS (evaluated at sample pixels, forward and inverse) and
the ASDF content kept beside the schema's (arrays read from binary blocks): "identical" means identical."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import jwstmodels
from jwstmodels.cli.diff import same_wcs, wcs_samples
from tests.cli.conftest import Run
from tests.cli.conftest import run as run
from tests.wcs.conftest import assert_same_wcs, imaging_wcs, reference_open


@pytest.mark.parametrize("target", [".asdf", ".fits"])
def test_convert_of_a_reference_file_with_a_wcs_is_identical(
    target: str, run: Run, reference_files: dict[str, Path], tmp_path: Path
) -> None:
    source = reference_files[".fits"]
    out = tmp_path / f"converted{target}"
    result = run("convert", source, out)
    assert result.code == 0, result.stdout + result.stderr
    assert "read back: identical" in result.stdout
    with reference_open(out) as theirs:
        assert_same_wcs(theirs.meta.wcs, imaging_wcs())
    assert run("diff", "-i", "meta.filename", "-i", "meta.date", source, out).code == 0


def test_diff_reports_a_different_wcs(run: Run, tmp_path: Path) -> None:
    paths = []
    for index, ra in enumerate((80.49, 80.4901)):  # 0.36 arcsec apart
        model = jwstmodels.ImageModel((4, 4))
        model.meta.wcs = imaging_wcs(ra=ra)
        paths.append(model.save(tmp_path / f"wcs{index}.fits"))
    result = run("diff", "-i", "meta.filename", "-i", "meta.date", *paths)
    assert result.code == 1, result.stdout
    assert "meta.wcs" in result.stdout
    same = run("diff", "-i", "meta.filename", "-i", "meta.date", paths[0], paths[0])
    assert same.code == 0, same.stdout


def test_diff_reports_a_different_array_kept_from_blocks(
    run: Run, reference_files: dict[str, Path], tmp_path: Path
) -> None:
    with jwstmodels.open(reference_files[".asdf"]) as ours:
        ours.__jwst_state__.extra_tree["unknown_calibration"]["curve"] = np.linspace(1.0, 2.5, 300)
        changed = ours.save(tmp_path / "changed.fits")
    result = run("diff", "-i", "meta.filename", "-i", "meta.date", reference_files[".fits"], changed)
    assert result.code == 1, result.stdout
    assert "extra_tree.unknown_calibration.curve" in result.stdout
    assert "meta.wcs" not in result.stdout  # the WCS itself is the same


def test_same_wcs_compares_forward_and_inverse() -> None:
    from astropy.modeling import models

    from tests.support.populate import sample_wcs

    a, b = imaging_wcs(), imaging_wcs()
    assert same_wcs(a, b, 0.0, 0.0)
    assert not same_wcs(a, imaging_wcs(dec=-69.5001), 0.0, 0.0)
    assert [len(axis) for axis in wcs_samples(a)] == [5, 5]
    analytic, other = sample_wcs(3), sample_wcs(3)  # transforms with analytic inverses
    assert same_wcs(analytic, other, 0.0, 0.0)
    step: Any = other.pipeline[0].transform
    step.inverse = models.Shift(1.0) & models.Shift(1.0) | step.inverse  # the same forward, another inverse
    assert not same_wcs(analytic, other, 0.0, 0.0)
