"""A short tour: build an ImageModel, fill metadata, save FITS and ASDF, open both again.

Run it with `make demo`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

import jwstmodels
from jwstmodels import ImageModel, ValidationError


def main() -> None:
    model = ImageModel((64, 64))
    model.data[:] = np.random.default_rng(0).normal(100.0, 5.0, size=(64, 64))
    model.meta.instrument.name = "NIRCAM"
    model.meta.instrument.detector = "NRCA1"
    model.meta.exposure.nframes = 4
    model.meta.exposure.ngroups = 10
    model.meta.subarray.xstart = 1
    model.meta.observation.date = "2024-05-01"

    try:
        model.meta.exposure.nframes = "four"  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]
    except ValidationError as error:
        print(f"refused, as it should be: {error}")

    with tempfile.TemporaryDirectory() as folder:
        for name in ("demo_cal.fits", "demo_cal.asdf"):
            path = model.save(Path(folder) / name)
            with jwstmodels.open(path) as again:
                assert isinstance(again, ImageModel)
                print(
                    f"{name}: {type(again).__name__} {again.shape}, instrument={again.meta.instrument.name}, "
                    f"nframes={again.meta.exposure.nframes}, mean={float(again.data.mean()):.2f}"
                )
                assert again.meta.exposure.nframes == 4
    print("demo finished")


if __name__ == "__main__":
    main()
