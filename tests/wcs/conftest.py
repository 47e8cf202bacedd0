"""Files written by the reference (stdatamodels) holding a gwcs WCS made the way ``assign_wcs`` leaves it."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

st = pytest.importorskip("stdatamodels.jwst.datamodels", reason="stdatamodels is a test dependency")

PIXELS = (np.array([0.0, 10.5, 100.0, 2000.0, 1023.25]), np.array([0.0, 20.0, 300.0, 1500.0, 7.75]))
"""Sample pixels (x, y) where WCS evaluations are compared."""


def imaging_wcs(ra: float = 80.49, dec: float = -69.5) -> Any:
    """A pipeline-like imaging WCS: detector -> v2v3 (a distortion with polynomial and lookup-table terms,
    whose coefficient arrays asdf stores as binary blocks) -> sky (tangent projection, rotation)."""
    from astropy import coordinates
    from astropy import units as u
    from astropy.modeling import models
    from gwcs import coordinate_frames as cf
    from gwcs import wcs

    detector = cf.Frame2D(name="detector", axes_names=("x", "y"), unit=(u.pix, u.pix))
    v2v3 = cf.Frame2D(name="v2v3", axes_names=("v2", "v3"), unit=(u.arcsec, u.arcsec))
    sky = cf.CelestialFrame(name="world", reference_frame=coordinates.ICRS(), unit=(u.deg, u.deg))
    poly_x = models.Polynomial2D(3, c1_0=0.031, c0_1=0.0002, c2_0=1e-7)
    poly_y = models.Polynomial2D(3, c0_1=0.031, c1_0=-0.0001, c0_2=2e-7)
    table = models.Tabular1D(
        points=np.arange(500.0), lookup_table=np.linspace(0.0, 1e-3, 500), bounds_error=False, fill_value=None
    )
    distortion = (
        models.Shift(-1024.5) & models.Shift(-1024.5)
        | models.Mapping((0, 1, 0, 1))
        | poly_x & poly_y
        | models.Identity(1) & (models.Identity(1) + table)
    )
    telescope = (
        models.Scale(1 / 3600) & models.Scale(1 / 3600)
        | models.Pix2Sky_TAN()
        | models.RotateNative2Celestial(ra, dec, 180.0)
    )
    return wcs.WCS([(detector, distortion), (v2v3, telescope), (sky, None)])


def evaluations(w: Any) -> tuple[Any, Any]:
    """(forward at PIXELS, inverse of those sky positions)."""
    forward = w(*PIXELS)
    return forward, w.invert(*forward)


def assert_same_wcs(got: Any, expected: Any) -> None:
    forward, inverse = evaluations(expected)
    got_forward, got_inverse = evaluations(got)
    np.testing.assert_allclose(got_forward, forward, rtol=0, atol=1e-10)
    np.testing.assert_allclose(got_inverse, inverse, rtol=0, atol=1e-6)


def reference_save(model: Any, path: Path) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the reference's own warnings while saving are not under test
        model.save(path)
    model.close()
    return path


def reference_open(path: Path) -> Any:
    """The reference opens ``path`` under strict validation (a file it would refuse fails here)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return st.open(path, strict_validation=True)


@pytest.fixture(scope="session")
def reference_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An ImageModel with the pipeline-like WCS and an unknown block-holding key, written by the reference
    in both formats."""
    folder = tmp_path_factory.mktemp("reference_wcs")
    out: dict[str, Path] = {}
    for suffix in (".fits", ".asdf"):
        model = st.ImageModel((32, 40))
        model.meta.instrument.name = "NIRCAM"
        model.meta.exposure.nframes = 2
        model.meta.wcs = imaging_wcs()
        model.instance["unknown_calibration"] = {"curve": np.linspace(1.0, 2.0, 300), "label": "kept"}
        out[suffix] = reference_save(model, folder / f"reference{suffix}")
    return out
