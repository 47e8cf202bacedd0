"""Drive the JWST pipeline (calwebb_detector1, then calwebb_image2) on a small NIRCam exposure.

``python -m tests.pipeline.drive inputs FOLDER`` writes, with jwstmodels, the exposure (``*_uncal.fits``, a
RampModel) and every reference file the steps read, plus the CRDS stub configuration.
``python -m tests.pipeline.drive run FOLDER OUT [--switch] [--stage=detector1|image2]...`` runs the
pipelines (both unless stages are named) through stpipe as a user does (``Detector1Pipeline.call``), with
``jwstmodels.compat.install()`` first when ``--switch`` is given, and writes the products to OUT. Each run is
its own process: the switch changes ``sys.modules``.

No network: every reference type of every step that runs is overridden (``"N/A"`` where the step allows it)
and CRDS reads a local stub configuration.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

SHAPE = (2, 5, 64, 64)
"""(integrations, groups, rows, columns) of the exposure."""

REF_META = {
    "meta.telescope": "JWST",
    "meta.instrument.name": "NIRCAM",
    "meta.instrument.detector": "NRCA1",
    "meta.author": "jwstmodels pipeline test",
    "meta.pedigree": "DUMMY",
    "meta.useafter": "2022-01-01T00:00:00",
    "meta.description": "Reference file for the pipeline test, written by jwstmodels",
    "meta.subarray.name": "SUB64P",
    "meta.subarray.xstart": 1,
    "meta.subarray.ystart": 1,
    "meta.subarray.xsize": 64,
    "meta.subarray.ysize": 64,
    "meta.subarray.fastaxis": -1,
    "meta.subarray.slowaxis": 2,
}

OVERRIDES_NA = (
    "refpix",
    "sirskernel",
    "rscd",
    "reset",
    "bkg",
    "wavelengthrange",
    "filteroffset",
    "specwcs",
    "regions",
    "camera",
    "chromcorr",
    "collimator",
    "disperser",
    "fore",
    "fpa",
    "msa",
    "ote",
    "ifupost",
    "ifufore",
    "ifuslicer",
    "fflat",
    "sflat",
    "dflat",
)
"""Reference types that the steps run here accept as "N/A" (not applicable to NIRCam imaging)."""

REFERENCE_FILES = {
    "mask": "mask.fits",
    "saturation": "saturation.fits",
    "superbias": "superbias.fits",
    "ipc": "ipc.fits",
    "linearity": "linearity.fits",
    "dark": "dark.fits",
    "gain": "gain.fits",
    "readnoise": "readnoise.fits",
    "flat": "flat.fits",
    "photom": "photom.fits",
    "area": "area.fits",
    "distortion": "distortion.asdf",
}
"""Reference type -> file name in the inputs folder."""

DETECTOR1_STEPS = {
    "dq_init": ("mask",),
    "saturation": ("saturation", "superbias"),
    "ipc": ("ipc",),
    "superbias": ("superbias",),
    "refpix": ("refpix", "sirskernel"),
    "rscd": ("rscd",),
    "linearity": ("linearity",),
    "dark_current": ("dark",),
    "reset": ("reset",),
    "jump": ("gain", "readnoise"),
    "ramp_fit": ("readnoise", "gain"),
    "gain_scale": ("gain",),
}
IMAGE2_STEPS = {
    "bkg_subtract": ("bkg", "wavelengthrange"),
    "assign_wcs": (
        "distortion",
        "filteroffset",
        "specwcs",
        "regions",
        "wavelengthrange",
        "camera",
        "chromcorr",
        "collimator",
        "disperser",
        "fore",
        "fpa",
        "msa",
        "ote",
        "ifupost",
        "ifufore",
        "ifuslicer",
    ),
    "flat_field": ("flat", "fflat", "sflat", "dflat"),
    "photom": ("photom", "area"),
}

PRODUCTS = ("ramp", "rate", "rateints", "cal", "i2d")
"""Suffixes of the products compared (``jw..._<suffix>.fits``)."""

EXPOSURE = "jw01234001001_01101_00001_nrca1"


def environment(folder: Path) -> dict[str, str]:
    """The environment of a pipeline run: CRDS local with the stub, no CRDS step parameters."""
    return {
        "CRDS_PATH": str(folder / "crds"),
        "CRDS_MODE": "local",
        "CRDS_SERVER_URL": "https://jwst-crds.invalid",
        "CRDS_OBSERVATORY": "jwst",
        "STPIPE_DISABLE_CRDS_STEPPARS": "true",
    }


def _set(model: Any, values: dict[str, object]) -> None:
    for key, value in values.items():
        model[key] = value


def _set_declared(model: Any, values: dict[str, object]) -> None:
    """Set the values whose keys the model's schema declares (reference-file schemas differ in which of the
    common keywords they carry)."""
    from jwstmodels import UnknownFieldError

    for key, value in values.items():
        try:
            model[key] = value
        except UnknownFieldError:
            continue


def write_inputs(folder: Path) -> None:
    """The exposure, its reference files and the CRDS stub, all written by jwstmodels."""
    import jwstmodels as jm

    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "crds" / "config" / "jwst"
    config.mkdir(parents=True, exist_ok=True)
    (config / "server_config").write_text(
        repr(
            {
                "observatory": "jwst",
                "operational_context": "jwst_1400.pmap",
                "bad_files": "",
                "last_synced": "2026-01-01 00:00:00",
                "force_remote_mode": False,
            }
        )
        + "\n"
    )
    rng = np.random.default_rng(16)
    _, ngroups, ny, nx = SHAPE
    _write_exposure(jm, folder, rng)

    def ref(model: Any, reftype: str, **extra: object) -> None:
        _set_declared(model, REF_META)
        model.meta.reftype = reftype.upper()
        _set_declared(model, extra)
        model.save(folder / REFERENCE_FILES[reftype])

    mask = jm.MaskModel(dq=np.zeros((ny, nx), np.uint32))
    mask.dq[10, 10] = 1  # DO_NOT_USE
    mask.dq[20, 30] = 2**10  # DEAD
    ref(mask, "mask")
    sat = jm.SaturationModel(data=np.full((ny, nx), 60000.0, np.float32), dq=np.zeros((ny, nx), np.uint32))
    sat.data[5, 5] = 11000.0  # saturates in the later groups
    ref(sat, "saturation")
    bias = jm.SuperBiasModel(
        data=rng.normal(10000.0, 5.0, (ny, nx)).astype(np.float32),
        dq=np.zeros((ny, nx), np.uint32),
        err=np.full((ny, nx), 1.0, np.float32),
    )
    ref(bias, "superbias", **{"meta.exposure.readpatt": "ANY"})
    kernel = np.zeros((3, 3), np.float32)
    kernel[1, 1] = 0.98
    kernel[0, 1] = kernel[2, 1] = kernel[1, 0] = kernel[1, 2] = 0.005
    ref(jm.IPCModel(data=kernel), "ipc")
    coeffs = np.zeros((3, ny, nx), np.float32)
    coeffs[1] = 1.0
    coeffs[2] = 1.0e-7
    ref(jm.LinearityModel(coeffs=coeffs, dq=np.zeros((ny, nx), np.uint32)), "linearity")
    dark = jm.DarkModel(
        data=np.linspace(0.0, 2.0, ngroups * ny * nx, dtype=np.float32).reshape(ngroups, ny, nx),
        dq=np.zeros((ny, nx), np.uint32),
        err=np.full((ngroups, ny, nx), 0.1, np.float32),
    )
    dark_exposure = {"meta.exposure.nframes": 1, "meta.exposure.groupgap": 0, "meta.exposure.ngroups": 20}
    ref(dark, "dark", **dark_exposure)
    ref(jm.GainModel(data=np.full((ny, nx), 2.0, np.float32)), "gain")
    ref(jm.ReadnoiseModel(data=np.full((ny, nx), 6.0, np.float32)), "readnoise")
    flat = jm.FlatModel(
        data=rng.normal(1.0, 0.01, (ny, nx)).astype(np.float32),
        dq=np.zeros((ny, nx), np.uint32),
        err=np.full((ny, nx), 0.001, np.float32),
    )
    ref(flat, "flat", **{"meta.instrument.filter": "F200W", "meta.instrument.pupil": "CLEAR"})
    photom = jm.NrcImgPhotomModel()
    table = np.zeros(1, dtype=photom.get_dtype("phot_table"))
    table["filter"], table["pupil"] = "F200W", "CLEAR"
    table["photmjsr"], table["uncertainty"] = 0.25, 0.01
    photom.phot_table = table
    ref(photom, "photom")
    area = jm.PixelAreaModel(data=np.full((ny, nx), 1.0, np.float32))
    _set_declared(
        area,
        {"meta.photometry.pixelarea_steradians": 2.3e-14, "meta.photometry.pixelarea_arcsecsq": 0.00098},
    )
    ref(area, "area", **{"meta.instrument.filter": "F200W", "meta.instrument.pupil": "CLEAR"})
    _write_distortion(folder / REFERENCE_FILES["distortion"])


def _write_exposure(jm: Any, folder: Path, rng: np.random.Generator) -> None:
    nints, ngroups, ny, nx = SHAPE
    ramp = jm.RampModel(SHAPE)
    slope = rng.uniform(5.0, 50.0, (ny, nx)).astype(np.float32)
    frames = np.arange(1, ngroups + 1, dtype=np.float32)[None, :, None, None]
    noise = rng.normal(0.0, 3.0, SHAPE).astype(np.float32)
    ramp.data = np.round(10000.0 + slope * frames * 10.737 + noise).astype(np.float32)
    ramp.data[1, 3:, 40, 40] += 3000.0  # a cosmic ray in integration 2
    ramp.data[:, :, 5, 5] += np.float32(300.0) * frames[0, :, 0, 0]  # reaches saturation
    _set(
        ramp,
        {
            "meta.telescope": "JWST",
            "meta.filename": f"{EXPOSURE}_uncal.fits",
            "meta.instrument.name": "NIRCAM",
            "meta.instrument.detector": "NRCA1",
            "meta.instrument.channel": "SHORT",
            "meta.instrument.module": "A",
            "meta.instrument.filter": "F200W",
            "meta.instrument.pupil": "CLEAR",
            "meta.exposure.type": "NRC_IMAGE",
            "meta.exposure.readpatt": "RAPID",
            "meta.exposure.nints": nints,
            "meta.exposure.ngroups": ngroups,
            "meta.exposure.nframes": 1,
            "meta.exposure.groupgap": 0,
            "meta.exposure.nresets_at_start": 1,
            "meta.exposure.nresets_between_ints": 1,
            "meta.exposure.drop_frames1": 0,
            "meta.exposure.drop_frames3": 0,
            "meta.exposure.sample_time": 10,
            "meta.exposure.frame_time": 0.05016,
            "meta.exposure.group_time": 0.05016,
            "meta.exposure.integration_time": 0.2508,
            "meta.exposure.exposure_time": 0.5016,
            "meta.exposure.effective_exposure_time": 0.5016,
            "meta.exposure.duration": 0.6,
            "meta.exposure.start_time": 59900.0,
            "meta.exposure.mid_time": 59900.000003,
            "meta.exposure.end_time": 59900.000006,
            "meta.exposure.gain_factor": 2.0,
            "meta.observation.date": "2023-01-01",
            "meta.observation.time": "00:00:00.000",
            "meta.observation.program_number": "01234",
            "meta.observation.observation_number": "001",
            "meta.observation.visit_number": "001",
            "meta.observation.visit_group": "01",
            "meta.observation.sequence_id": "1",
            "meta.observation.activity_id": "01",
            "meta.observation.exposure_number": "00001",
            "meta.subarray.name": "SUB64P",
            "meta.subarray.xstart": 1,
            "meta.subarray.ystart": 1,
            "meta.subarray.xsize": nx,
            "meta.subarray.ysize": ny,
            "meta.subarray.fastaxis": -1,
            "meta.subarray.slowaxis": 2,
            "meta.target.ra": 80.0,
            "meta.target.dec": -69.5,
            "meta.pointing.ra_v1": 80.0,
            "meta.pointing.dec_v1": -69.5,
            "meta.pointing.pa_v3": 0.0,
            "meta.wcsinfo.v2_ref": 120.0,
            "meta.wcsinfo.v3_ref": -527.0,
            "meta.wcsinfo.v3yangle": 0.0,
            "meta.wcsinfo.vparity": -1,
            "meta.wcsinfo.roll_ref": 0.0,
            "meta.wcsinfo.ra_ref": 80.0,
            "meta.wcsinfo.dec_ref": -69.5,
            "meta.wcsinfo.crpix1": 32.5,
            "meta.wcsinfo.crpix2": 32.5,
            "meta.wcsinfo.crval1": 80.0,
            "meta.wcsinfo.crval2": -69.5,
            "meta.wcsinfo.cdelt1": 8.6e-6,
            "meta.wcsinfo.cdelt2": 8.6e-6,
            "meta.wcsinfo.ctype1": "RA---TAN",
            "meta.wcsinfo.ctype2": "DEC--TAN",
            "meta.wcsinfo.pc1_1": -1.0,
            "meta.wcsinfo.pc1_2": 0.0,
            "meta.wcsinfo.pc2_1": 0.0,
            "meta.wcsinfo.pc2_2": 1.0,
            "meta.wcsinfo.wcsaxes": 2,
            "meta.wcsinfo.cunit1": "deg",
            "meta.wcsinfo.cunit2": "deg",
            "meta.wcsinfo.siaf_xref_sci": 32.5,
            "meta.wcsinfo.siaf_yref_sci": 32.5,
            "meta.visit.type": "PRIME_TARGETED_FIXED",
            "meta.visit.start_time": "2023-01-01 00:00:00",
        },
    )
    ramp.save(folder / f"{EXPOSURE}_uncal.fits")


def _write_distortion(path: Path) -> None:
    """The NIRCam distortion (pixels -> V2/V3 arcsec): a shift, a scale and the aperture's reference point."""
    from astropy.modeling import models

    import jwstmodels as jm

    scale = 0.031
    transform = (models.Shift(-31.5) & models.Shift(-31.5)) | (
        (models.Scale(scale) | models.Shift(120.0)) & (models.Scale(scale) | models.Shift(-527.0))
    )
    model = jm.DistortionModel()
    model.model = transform
    _set_declared(model, REF_META)
    _set(
        model,
        {
            "meta.instrument.module": "A",
            "meta.instrument.channel": "SHORT",
            "meta.instrument.pupil": "CLEAR",
            "meta.instrument.p_pupil": "CLEAR|",
            "meta.exposure.type": "NRC_IMAGE",
            "meta.reftype": "DISTORTION",
            "meta.input_units": "pixel",
            "meta.output_units": "arcsec",
        },
    )
    model.save(path)


def overrides(folder: Path, steps: dict[str, tuple[str, ...]]) -> dict[str, dict[str, str]]:
    """``{step: {"override_<reftype>": path or "N/A"}}`` for every reference type of every step."""
    out: dict[str, dict[str, str]] = {}
    for step, reftypes in steps.items():
        out[step] = {}
        for reftype in reftypes:
            value = "N/A" if reftype in OVERRIDES_NA else str(folder / REFERENCE_FILES[reftype])
            out[step][f"override_{reftype}"] = value
    return out


def run(
    folder: Path, out: Path, switch: bool, stages: tuple[str, ...] = ("detector1", "image2")
) -> dict[str, Any]:
    """Run detector1 then image2 on the exposure in ``folder``, writing products to ``out``; the seconds each
    stage took go to ``out/run.json``."""
    os.environ.update(environment(folder))
    started = time.perf_counter()
    if switch:
        import jwstmodels.compat

        jwstmodels.compat.install()
    from jwst.pipeline import Detector1Pipeline, Image2Pipeline

    out.mkdir(parents=True, exist_ok=True)
    seconds: dict[str, float] = {"import": time.perf_counter() - started}
    if "detector1" in stages:
        started = time.perf_counter()
        Detector1Pipeline.call(
            str(folder / f"{EXPOSURE}_uncal.fits"),
            output_dir=str(out),
            save_results=True,
            save_calibrated_ramp=True,
            steps=overrides(folder, DETECTOR1_STEPS),
        )
        seconds["detector1"] = time.perf_counter() - started
    if "image2" in stages:
        started = time.perf_counter()
        Image2Pipeline.call(
            str(out / f"{EXPOSURE}_rate.fits"),
            output_dir=str(out),
            save_results=True,
            steps=overrides(folder, IMAGE2_STEPS),
        )
        seconds["image2"] = time.perf_counter() - started
    report = {"seconds": seconds, "switch": switch, "products": sorted(p.name for p in out.glob("*.fits"))}
    (out / f"run-{'-'.join(stages)}.json").write_text(json.dumps(report))
    return report


def main(argv: list[str]) -> int:
    if argv[:1] == ["inputs"] and len(argv) == 2:
        write_inputs(Path(argv[1]))
        return 0
    if argv[:1] == ["run"] and len(argv) >= 3:
        options = argv[3:]
        stages = tuple(o.removeprefix("--stage=") for o in options if o.startswith("--stage="))
        run(Path(argv[1]), Path(argv[2]), "--switch" in options, stages or ("detector1", "image2"))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
