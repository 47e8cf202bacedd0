"""The JWST pipeline on jwstmodels (issue 16): calwebb_detector1 and calwebb_image2, run through stpipe on a
NIRCam exposure whose inputs and reference files jwstmodels wrote, once with the reference implementation and
once with ``jwstmodels.compat.install()``; every product must be equal, HDU for HDU, keyword for keyword,
array for array, and in every value the reference's reader finds (cal_logs included).

Marked ``pipeline``: it needs the ``pipeline`` extra, which ``make pipeline-test`` installs in an environment
of its own (``.venv-pipeline``: jwst 3.0 needs asdf < 6) before running it; CI does. About a minute and a
half; each run is its own process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.pipeline.compare import compare_files, compare_values
from tests.pipeline.drive import EXPOSURE

pytestmark = pytest.mark.pipeline

REPO = Path(__file__).absolute().parents[2]
STAGES = {"detector1": ("ramp", "rate", "rateints"), "image2": ("cal", "i2d")}


def _drive(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.pipeline.drive", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Inputs written by jwstmodels; the reference run's and the switch run's product folders. A stage that
    fails leaves its log in ``<folder>/<stage>.log``."""
    root = tmp_path_factory.mktemp("pipeline")
    made = _drive("inputs", str(root / "in"))
    assert made.returncode == 0, made.stderr
    for name, switch in (("reference", ()), ("jwstmodels", ("--switch",))):
        for stage in STAGES:
            result = _drive("run", str(root / "in"), str(root / name), *switch, f"--stage={stage}")
            (root / name).mkdir(exist_ok=True)
            (root / name / f"{stage}.log").write_text(result.stdout + result.stderr)
    return {"in": root / "in", "reference": root / "reference", "jwstmodels": root / "jwstmodels"}


def test_inputs_are_written_by_jwstmodels(runs: dict[str, Path]) -> None:
    import jwstmodels

    with jwstmodels.open(runs["in"] / f"{EXPOSURE}_uncal.fits") as exposure:
        assert isinstance(exposure, jwstmodels.RampModel)
        assert exposure.data.shape == (2, 5, 64, 64)
    names = sorted(p.name for p in runs["in"].glob("*.fits"))
    assert len(names) == 12  # the exposure and every FITS reference file (distortion is ASDF)
    with jwstmodels.open(runs["in"] / "distortion.asdf") as distortion:
        assert isinstance(distortion, jwstmodels.DistortionModel)
        assert distortion.model is not None and distortion.model(31.5, 31.5) == (120.0, -527.0)


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_the_reference_run_makes_every_product(runs: dict[str, Path], stage: str) -> None:
    log = (runs["reference"] / f"{stage}.log").read_text()
    for suffix in STAGES[stage]:
        assert (runs["reference"] / f"{EXPOSURE}_{suffix}.fits").is_file(), log[-3000:]


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_the_steps_that_ran(runs: dict[str, Path], stage: str) -> None:
    """Every step of the stage ran (or was skipped by the pipeline's own defaults), in both runs alike."""
    done = {}
    for name in ("reference", "jwstmodels"):
        log = (runs[name] / f"{stage}.log").read_text()
        done[name] = [
            line.split("Step ", 1)[1]
            for line in log.splitlines()
            if " - Step " in line and line.endswith(" done")
        ]
    assert done["jwstmodels"] == done["reference"], (runs["jwstmodels"] / f"{stage}.log").read_text()[-3000:]


@pytest.mark.parametrize("suffix", [s for products in STAGES.values() for s in products])
def test_products_equal_the_references(runs: dict[str, Path], suffix: str) -> None:
    stage = next(name for name, products in STAGES.items() if suffix in products)
    name = f"{EXPOSURE}_{suffix}.fits"
    mine = runs["jwstmodels"] / name
    assert mine.is_file(), (runs["jwstmodels"] / f"{stage}.log").read_text()[-3000:]
    problems = compare_files(runs["reference"] / name, mine) + compare_values(runs["reference"] / name, mine)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("suffix", STAGES["image2"])
def test_the_pipelines_wcs_evaluates_alike_in_both_readers(runs: dict[str, Path], suffix: str) -> None:
    """The gwcs WCS that assign_wcs (cal) and resample (i2d) leave in the product: read by the reference and
    by jwstmodels, from the reference run's file and from the switch run's, it gives the same sky position at
    each sample pixel and the same pixel back (``make bench``'s first-``meta.wcs`` row reads such files)."""
    import warnings

    import numpy as np
    from stdatamodels.jwst import datamodels

    import jwstmodels

    x, y = np.array([0.0, 31.5, 63.0, 10.0]), np.array([0.0, 31.5, 10.0, 63.0])
    found: dict[str, tuple[Any, ...]] = {}
    for side in ("reference", "jwstmodels"):
        path = runs[side] / f"{EXPOSURE}_{suffix}.fits"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the reference's own warnings on open are not under test
            with datamodels.open(path) as theirs:
                wcs = theirs.meta.wcs
                assert wcs is not None, f"{path}: the reference reads no meta.wcs"
                found[f"reference reads {side}'s"] = (*wcs(x, y), *wcs.invert(*wcs(x, y)))
        with jwstmodels.open(path) as ours:
            wcs = ours.meta.wcs
            assert wcs is not None, f"{path}: jwstmodels reads no meta.wcs"
            found[f"jwstmodels reads {side}'s"] = (*wcs(x, y), *wcs.invert(*wcs(x, y)))
    expected = found["reference reads reference's"]
    assert np.all(np.isfinite(np.asarray(expected[:2]))), expected
    np.testing.assert_allclose(expected[2:], (x, y), atol=1e-6)  # the WCS inverts at the samples
    for reader, values in found.items():
        for got, want in zip(values, expected, strict=True):
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-10, err_msg=reader)


def test_run_times_are_recorded(runs: dict[str, Path]) -> None:
    for name in ("reference", "jwstmodels"):
        report = json.loads((runs[name] / "run-detector1.json").read_text())
        assert report["seconds"]["detector1"] > 0
