"""``DATAMODL`` is read in one place (``header_scan.declared_model_type``): ``jwstmodels.open`` and the
headers-only ``scan`` choose a model class by the same reading of the primary header."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from astropy.io import fits

import jwstmodels
from jwstmodels import CubeModel, ImageModel, RampModel
from jwstmodels._api import opening
from jwstmodels._io import header_scan


def _hdul(datamodl: object = None, ndim: int = 2, groupdq: bool = False) -> fits.HDUList:
    cards: list[tuple[str, Any]] = [] if datamodl is None else [("DATAMODL", datamodl)]
    primary = fits.PrimaryHDU(header=fits.Header(cards))
    hdus: list[fits.PrimaryHDU | fits.ImageHDU] = [
        primary,
        fits.ImageHDU(np.zeros((2,) * ndim, np.float32), name="SCI"),
    ]
    if groupdq:
        hdus.append(fits.ImageHDU(np.zeros((2,) * ndim, np.uint8), name="GROUPDQ"))
    return fits.HDUList(hdus)


@pytest.mark.parametrize(
    ("datamodl", "ndim", "groupdq", "declared", "expected"),
    [
        ("CubeModel", 2, False, "CubeModel", CubeModel),  # the header's type wins over the data's shape
        ("ImageModel", 3, False, "ImageModel", ImageModel),
        (None, 3, False, None, CubeModel),  # no DATAMODL: by the SCI array's dimensionality
        ("", 3, False, None, CubeModel),  # an empty one is none
        (5, 2, False, None, ImageModel),  # not text: none
        (True, 3, False, None, CubeModel),
        ("NoSuchModel", 4, True, "NoSuchModel", RampModel),  # no class: by shape (the reader warns)
    ],
)
def test_open_and_scan_read_datamodl_alike(
    datamodl: object, ndim: int, groupdq: bool, declared: str | None, expected: type
) -> None:
    hdul = _hdul(datamodl, ndim, groupdq)
    assert header_scan.declared_model_type(hdul) == declared
    assert opening._class_from_header(hdul) is expected  # pyright: ignore[reportPrivateUsage]  # the choice alone


def test_open_asks_the_header_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """One reader: what ``declared_model_type`` says is what ``open`` follows."""

    def says_cube(hdul: object) -> str:
        return "CubeModel"

    monkeypatch.setattr(header_scan, "declared_model_type", says_cube)
    hdul = _hdul("ImageModel", 2)
    assert opening._class_from_header(hdul) is CubeModel  # pyright: ignore[reportPrivateUsage]  # see above


def test_an_hdulist_opens_as_its_datamodl_says() -> None:
    with jwstmodels.open(_hdul("CubeModel", 3)) as model:
        assert type(model) is CubeModel
