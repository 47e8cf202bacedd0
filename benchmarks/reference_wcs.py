"""A gwcs WCS like the one ``assign_wcs`` leaves in an imaging product, for files written by the reference.

The pipeline's imaging WCS is a chain of frames, detector -> v2v3 -> v2v3vacorr -> world, whose first step is
a distortion (a shift to the reference pixel, two 5th-degree polynomials and, here, a residual map as two
64x64 lookup tables), then the velocity-aberration correction and the rotation onto the sky. asdf stores the
arrays (lookup tables, grids, rotation angles) as binary blocks: the ``ASDF`` extension of the FITS file then
holds a YAML tree of some 20 KB and blocks of some 60 KB, as files from the pipeline do.

Imported only by the processes that write or read these files (gwcs, astropy.modeling and asdf are loaded
on first use).
"""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false
# (gwcs, astropy.modeling and asdf ship without complete annotations)

from __future__ import annotations

import io
import warnings
from typing import Any

SAMPLE_PIXELS = ((0.0, 0.0), (1023.5, 1023.5), (2047.0, 100.0))
"""Pixels at which two WCS objects are compared (sky positions equal: both sides decoded the same WCS)."""


def build_wcs() -> Any:
    """The gwcs.WCS of a 2048x2048 NIRCam-like image near RA 80.5, Dec -69.5."""
    import importlib

    import numpy as np
    from astropy import coordinates, units
    from gwcs import coordinate_frames as cf
    from gwcs import wcs

    # the model classes combine with & | + through their metaclass, which type checkers do not see
    models: Any = importlib.import_module("astropy.modeling.models")
    rng = np.random.default_rng(15)
    names = models.Polynomial2D(5).param_names
    # higher orders scaled down as the detector's 1024-pixel half-size grows them
    scale = {name: 1e-3 * 1024.0 ** -sum(map(int, name[1:].split("_"))) for name in names}
    x_terms = {name: rng.normal(0, scale[name]) for name in names} | {"c1_0": 0.0311, "c0_1": 0.0001}
    y_terms = {name: rng.normal(0, scale[name]) for name in names} | {"c1_0": -0.0001, "c0_1": 0.0312}
    polynomials = models.Mapping((0, 1, 0, 1)) | (
        models.Polynomial2D(5, **x_terms) & models.Polynomial2D(5, **y_terms)
    )
    grid = np.linspace(-40.0, 40.0, 64)
    residual_x = models.Tabular2D(
        points=(grid, grid), lookup_table=rng.normal(0, 1e-4, (64, 64)), bounds_error=False, fill_value=0.0
    )
    residual_y = models.Tabular2D(
        points=(grid, grid), lookup_table=rng.normal(0, 1e-4, (64, 64)), bounds_error=False, fill_value=0.0
    )
    residuals = models.Mapping((0, 1, 0, 1)) | (
        (models.Mapping((0,), n_inputs=2) + residual_x) & (models.Mapping((1,), n_inputs=2) + residual_y)
    )
    v2_ref, v3_ref = 86.1, -493.2
    distortion = (
        (models.Shift(-1023.5) & models.Shift(-1023.5))
        | polynomials
        | residuals
        | (models.Scale(60.0) & models.Scale(60.0))
        | (models.Shift(v2_ref) & models.Shift(v3_ref))
    )
    aberration = (
        (models.Shift(-v2_ref) & models.Shift(-v3_ref))
        | (models.Scale(1.0000123) & models.Scale(1.0000123))
        | (models.Shift(v2_ref) & models.Shift(v3_ref))
    )
    angles = [v2_ref / 3600, -v3_ref / 3600, 291.7, -69.5, -80.49]
    to_sky = (models.Scale(1 / 3600) & models.Scale(1 / 3600)) | models.SphericalRotationSequence(
        angles, axes_order="zyxyz"
    )
    detector = cf.Frame2D(name="detector", axes_order=(0, 1), unit=(units.pix, units.pix))
    v2v3 = cf.Frame2D(name="v2v3", axes_order=(0, 1), unit=(units.arcsec, units.arcsec))
    v2v3vacorr = cf.Frame2D(name="v2v3vacorr", axes_order=(0, 1), unit=(units.arcsec, units.arcsec))
    world = cf.CelestialFrame(reference_frame=coordinates.ICRS(), name="world")
    result = wcs.WCS([(detector, distortion), (v2v3, aberration), (v2v3vacorr, to_sky), (world, None)])
    result.bounding_box = ((-0.5, 2047.5), (-0.5, 2047.5))
    return result


def sky(wcs: Any) -> list[tuple[float, ...]]:
    """The WCS evaluated at SAMPLE_PIXELS, rounded to 1e-9 degrees."""
    return [tuple(round(float(v), 9) for v in wcs(x, y)) for x, y in SAMPLE_PIXELS]


def extension_wcs(hdul: Any) -> Any:
    """The floor: asdf opening the ``ASDF`` extension of an open FITS file (its bytes, blocks included) and
    converting its tree, the WCS included (asdf's lazy tree, converting the WCS alone, is no faster)."""
    import asdf

    payload = hdul["ASDF"].data[0][0].tobytes()
    with warnings.catch_warnings():
        # the tree's ``data`` points at the SCI HDU, which asdf alone cannot resolve (and no side reads here)
        warnings.simplefilter("ignore", asdf.exceptions.AsdfConversionWarning)
        with asdf.open(io.BytesIO(payload), lazy_load=False, memmap=False) as af:
            return af.tree["meta"]["wcs"]
