"""Multi-model and container scaling: `python -m benchmarks.multi_scaling`.

1. A MultiSlitModel with 10/50/200 slits of 32 x 32 (data, dq and wavelength each, every slit named): save it
   and open it again touching every slit's data, as FITS (one set of HDUs per slit, EXTVER) and as ASDF, for
   jwstmodels and stdatamodels, and in FITS for astropy alone writing and reading the same HDUs (the floor).
   Times are per slit; linear scaling shows as a constant cost per added slit (the marginal cost from 50 to
   200 slits against the one from 10 to 50).
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


COUNTS = (10, 50, 200)
SHAPE = (32, 32)


def slit_arrays(index: int) -> dict[str, Any]:
    return {
        "data": np.full(SHAPE, index, dtype=np.float32),
        "dq": np.full(SHAPE, index % 7, dtype=np.uint32),
        "wavelength": np.full(SHAPE, 1.0 + index, dtype=np.float32),
    }


def build_ours(count: int) -> jwstmodels.MultiSlitModel:
    multi = jwstmodels.MultiSlitModel()
    multi.meta.instrument.name = "NIRSPEC"
    for index in range(count):
        slit = jwstmodels.SlitModel(**slit_arrays(index))
        slit.name = f"S{index}"
        slit.source_id = index
        multi.slits.append(slit)
    return multi


def build_reference(count: int) -> Any:
    st: Any = importlib.import_module("stdatamodels.jwst.datamodels")
    multi: Any = st.MultiSlitModel()
    multi.meta.instrument.name = "NIRSPEC"
    for index in range(count):
        slit: Any = st.SlitModel()
        for name, array in slit_arrays(index).items():
            setattr(slit, name, array)
        slit.name = f"S{index}"
        slit.source_id = index
        multi.slits.append(slit)
    return multi


def save_and_open(folder: Path, side: str, suffix: str, count: int) -> tuple[float, float]:
    """(save seconds, open-and-touch-every-slit seconds), best of several; the model is built beforehand."""
    path = folder / f"{side}_{count}{suffix}"
    expected = count * (count - 1) / 2
    repeats = 5 if count < 100 else 3
    if side == "astropy":
        return floor_save_and_open(path, count, repeats)
    model: Any = build_ours(count) if side == "ours" else build_reference(count)

    def save() -> None:
        model.save(path)

    def read_ours() -> None:
        with jwstmodels.open(path) as multi:
            assert isinstance(multi, jwstmodels.MultiSlitModel)
            assert sum(float(slit.data[0, 0]) for slit in multi.slits) == expected

    def read_reference() -> None:
        st: Any = importlib.import_module("stdatamodels.jwst.datamodels")
        with st.open(path) as opened:
            multi: Any = opened
            assert sum(float(slit.data[0, 0]) for slit in multi.slits) == expected

    return timed(save, repeats), timed(read_ours if side == "ours" else read_reference, repeats)


def floor_save_and_open(path: Path, count: int, repeats: int) -> tuple[float, float]:
    """The floor: astropy alone writes the same HDUs (with EXTVER and the slit keywords, no ASDF extension)
    and reads every slit's data back."""
    from astropy.io import fits

    expected = count * (count - 1) / 2

    def save() -> None:
        hdus: list[Any] = [fits.PrimaryHDU()]
        hdus[0].header["INSTRUME"] = "NIRSPEC"
        for index in range(count):
            for name, array in slit_arrays(index).items():
                hdu = fits.ImageHDU(array, name={"data": "SCI"}.get(name, name.upper()), ver=index + 1)
                if name == "data":
                    hdu.header["SLTNAME"] = f"S{index}"
                    hdu.header["SOURCEID"] = index
                hdus.append(hdu)
        fits.HDUList(hdus).writeto(path, overwrite=True)

    def read() -> None:
        with fits.open(path) as hdul:
            # one pass: looking each HDU up by (name, ver) would scan the list every time
            assert sum(float(hdu.data[0, 0]) for hdu in hdul if hdu.name == "SCI") == expected

    return timed(save, repeats), timed(read, repeats)


def linear(seconds: dict[int, float]) -> str:
    """Whether time grows linearly with the slit count: the cost per added slit from 50 to 200 slits against
    the one from 10 to 50 (a ratio near 1 is linear; a cost per slit that grows with the count is not)."""
    low, mid, high = COUNTS
    early = (seconds[mid] - seconds[low]) / (mid - low)
    late = (seconds[high] - seconds[mid]) / (high - mid)
    ratio = late / early if early > 0 else float("inf")
    verdict = "linear" if ratio < 1.5 else "NOT linear"
    return f"{1e3 * late:6.2f} ms per added slit (50->200), x{ratio:.2f} the 10->50 cost: {verdict}"


def slit_scaling(folder: Path, suffix: str, sides: tuple[str, ...]) -> dict[str, Any]:
    """Time save and open at each slit count for each side; print ms per slit and the scaling verdicts."""
    results: dict[str, Any] = {}
    names = [f"{side} {what}" for side in sides for what in ("save", "open")]
    print(f"\n{suffix[1:].upper()}: ms per slit (32 x 32 data, dq, wavelength per slit)")
    print(f"{'slits':>6} " + " ".join(f"{name:>14}" for name in names))
    totals: dict[str, dict[int, float]] = {name: {} for name in names}
    for count in COUNTS:
        row: list[float] = []
        for side in sides:
            save, read = save_and_open(folder, side, suffix, count)
            totals[f"{side} save"][count], totals[f"{side} open"][count] = save, read
            row += [1e3 * save / count, 1e3 * read / count]
        results[f"{suffix} {count} slits (ms/slit)"] = dict(zip(names, row, strict=True))
        print(f"{count:>6} " + " ".join(f"{value:>14.2f}" for value in row))
    for name, seconds in totals.items():
        verdict = linear(seconds)
        results[f"{suffix} {name} scaling"] = verdict
        print(f"  {name:>13}: {verdict}")
    return results


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
        results.update(slit_scaling(folder, ".fits", ("ours", "ref", "astropy")))
        results.update(slit_scaling(folder, ".asdf", ("ours", "ref")))
        scan = folder / "scan"
        scan.mkdir()
        figures = container(scan, 500)
        results.update(figures)
        for name, value in figures.items():
            print(f"{name}: {value:.2f}")


if __name__ == "__main__":
    main()
