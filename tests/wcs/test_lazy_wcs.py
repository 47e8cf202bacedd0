"""``meta.wcs`` of a FITS file opened from its headers (``_io.fits_lazy``): the extension is parsed when
the WCS is first touched, whether or not an earlier file installed the converting attribute on the class."""

from __future__ import annotations

from pathlib import Path

import jwstmodels
from jwstmodels._io.fits_lazy import read_mode
from tests.wcs.conftest import assert_same_wcs, imaging_wcs


def test_wcs_of_a_lazily_opened_reference_file(reference_files: dict[str, Path]) -> None:
    path = reference_files[".fits"]
    with read_mode("lazy"):
        for _ in range(2):  # the second time the class has the converting attribute already
            with jwstmodels.open(path) as model:
                assert "wcs" not in vars(model.meta)  # waiting for the extension
                assert model.meta.instrument.name == "NIRCAM"
                assert_same_wcs(model.meta.wcs, imaging_wcs())
                assert model.meta.exposure.nframes == 2
