"""Multi-model and container scaling: `python -m benchmarks.multi_scaling`.

1. A MultiSlitModel with 25/50/100/200 slits of 32 x 32: save as ASDF and open again touching every slit's
   data, for jwstmodels and stdatamodels (both ASDF: our FITS layout for items is not written yet). Linear
   scaling shows as a constant time per slit.
2. A ModelContainer over an association of 500 small FITS files: grouping by exposure (metadata only), beside
   astropy reading the same primary headers.
"""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false
# pyright: reportAttributeAccessIssue=false
# (this script drives stdatamodels and astropy, which ship no or partial annotations)

from __future__ import annotations

import importlib
import json
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import jwstmodels


def timed(function: Callable[[], object], repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def ours_slits(folder: Path, count: int) -> tuple[float, float]:
    path = folder / f"ours_{count}.asdf"

    def save() -> None:
        multi = jwstmodels.MultiSlitModel()
        for index in range(count):
            multi.slits.append(jwstmodels.SlitModel(np.full((32, 32), index, dtype=np.float32)))
        multi.save(path)

    def read() -> None:
        with jwstmodels.open(path) as multi:
            assert isinstance(multi, jwstmodels.MultiSlitModel)
            assert sum(float(slit.data[0, 0]) for slit in multi.slits) == count * (count - 1) / 2

    return timed(save), timed(read)


def reference_slits(folder: Path, count: int) -> tuple[float, float]:
    st: Any = importlib.import_module("stdatamodels.jwst.datamodels")
    path = folder / f"reference_{count}.asdf"

    def save() -> None:
        multi: Any = st.MultiSlitModel()
        for index in range(count):
            multi.slits.append(st.SlitModel(np.full((32, 32), index, dtype=np.float32)))
        multi.save(path)

    def read() -> None:
        with st.open(path) as opened:
            multi: Any = opened
            assert sum(float(slit.data[0, 0]) for slit in multi.slits) == count * (count - 1) / 2

    return timed(save), timed(read)


def container(folder: Path, count: int) -> dict[str, float]:
    from astropy.io import fits

    model = jwstmodels.ImageModel((8, 8))
    model.meta.observation.exposure_number = "1"
    model.meta.instrument.name = "NIRCAM"
    first = model.save(folder / "f0_cal.fits")
    names = [first.name] + [shutil.copy(first, folder / f"f{i}_cal.fits").name for i in range(1, count)]
    members = [{"expname": name, "exptype": "science"} for name in names]
    asn = folder / "asn.json"
    asn.write_text(json.dumps({"asn_id": "a1", "products": [{"name": "p", "members": members}]}))

    def group() -> None:
        assert len(jwstmodels.ModelContainer(asn).group_names) == 1

    def headers() -> None:
        for name in names:
            with fits.open(folder / name) as hdul:
                _ = hdul[0].header["EXPOSURE"]

    return {"group 500 files (s)": timed(group, 2), "astropy primary headers (s)": timed(headers, 2)}


def main() -> None:
    warnings.simplefilter("ignore")  # the reference's deprecation warnings are not under test
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        header = ("slits", "ours save", "ours open", "ref save", "ref open")
        print(f"{header[0]:>6} " + " ".join(f"{h:>10}" for h in header[1:]) + "   (ms per slit)")
        for count in (25, 50, 100, 200):
            ours = ours_slits(folder, count)
            ref = reference_slits(folder, count)
            per = [1e3 * t / count for t in (*ours, *ref)]
            results[f"{count} slits"] = per
            print(f"{count:>6} " + " ".join(f"{value:>10.2f}" for value in per))
        scan = folder / "scan"
        scan.mkdir()
        figures = container(scan, 500)
        results.update(figures)
        for name, value in figures.items():
            print(f"{name}: {value:.2f}")


if __name__ == "__main__":
    main()
