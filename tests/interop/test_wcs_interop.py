"""A pipeline file's WCS object (``meta.wcs``, a gwcs object in the ASDF tree) survives a pass through here.

The subtree is kept as read until ``meta.wcs`` is first touched and written back as it was, so a calibrated
file opened and re-saved here still gives the reference its working WCS (tests/wcs covers the typed field).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import jwstmodels

st = pytest.importorskip("stdatamodels.jwst.datamodels", reason="stdatamodels is a test dependency")


def gwcs_object() -> Any:
    """An imaging WCS: detector pixels -> tangent plane -> sky at (10, 20) degrees."""
    from astropy import coordinates, units
    from astropy.modeling import models
    from gwcs import coordinate_frames, wcs

    detector = coordinate_frames.Frame2D(name="detector", axes_names=("x", "y"), unit=(units.pix, units.pix))
    sky = coordinate_frames.CelestialFrame(
        name="world", reference_frame=coordinates.ICRS(), unit=(units.deg, units.deg)
    )
    transform = (
        models.Shift(-2.0) & models.Shift(-3.0)
        | models.Scale(1e-4) & models.Scale(1e-4)
        | models.Pix2Sky_TAN()
        | models.RotateNative2Celestial(10.0, 20.0, 180.0)
    )
    return wcs.WCS([(detector, transform), (sky, None)])


@pytest.mark.parametrize("suffix", [".fits", ".asdf"])
def test_a_reference_wcs_survives_open_and_save_here(suffix: str, tmp_path: Path) -> None:
    theirs = st.ImageModel((4, 5))
    theirs.meta.wcs = gwcs_object()
    expected = theirs.meta.wcs(1.0, 2.0)
    written = tmp_path / f"reference{suffix}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the reference's own warnings while saving are not under test
        theirs.save(written)
    theirs.close()

    with jwstmodels.open(written) as ours:  # no warning: a WCS object is not an invalid value
        ours.meta.exposure.nframes = 4
        resaved = ours.save(tmp_path / f"ours{suffix}")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with st.open(resaved, strict_validation=True) as back:
            assert type(back.meta.wcs).__name__ == "WCS", "the reference gets a WCS object, not a plain tree"
            np.testing.assert_allclose(back.meta.wcs(1.0, 2.0), expected)
            assert back.meta.exposure.nframes == 4
