"""One fresh process of the catalogue benchmarks: ``python -m benchmarks.catalog_child SIDE``.

It times its side's import first, with nothing but ``sys`` and ``time`` loaded, then (for the model libraries)
the first use of one model class, then checks what it ran on; one JSON line on stdout. Sides:

- ``jwstmodels``: ``import jwstmodels`` on the package's own catalogue;
- ``doubled``: the same import, with the doubled catalogue first on ``PYTHONPATH`` (set by the driver);
- ``numpy-pydantic``: ``import numpy`` and ``from pydantic import BaseModel`` alone, what any typed model
  library on pydantic and numpy pays;
- ``stdatamodels``: the reference, ``import stdatamodels.jwst.datamodels``.
"""

import sys
import time

IMPORTS = {
    "jwstmodels": ("jwstmodels",),
    "doubled": ("jwstmodels",),
    "numpy-pydantic": ("numpy", "pydantic"),
    "stdatamodels": ("stdatamodels.jwst.datamodels",),
}
SHAPE = (64, 64)
NFRAMES = 4


def _import(side: str) -> float:
    start = time.perf_counter()
    for name in IMPORTS[side]:
        __import__(name)
    if side == "numpy-pydantic":
        # pydantic loads its parts on first access; a user's model class needs BaseModel
        sys.modules["pydantic"].BaseModel  # noqa: B018
    return time.perf_counter() - start


def _first_use(library: str) -> float:
    """One ImageModel of the imported ``library`` with one metadata field set; the value must read back."""
    start = time.perf_counter()
    model = sys.modules[library].ImageModel(SHAPE)
    model.meta.exposure.nframes = NFRAMES
    seconds = time.perf_counter() - start
    if model.meta.exposure.nframes != NFRAMES or model.data.shape != SHAPE:
        nframes, shape = model.meta.exposure.nframes, model.data.shape
        raise SystemExit(f"first use did not work: nframes {nframes}, shape {shape}")
    return seconds


def main(side: str) -> None:
    import_s = _import(side)
    generated = [name for name in sys.modules if name.startswith("jwstmodels_generated.")]
    result: dict[str, object] = {"import_s": import_s, "generated_modules_after_import": len(generated)}
    if side in ("jwstmodels", "stdatamodels"):
        import warnings

        warnings.simplefilter("ignore")  # the reference's deprecation warnings are not under test
        result["first_use_s"] = _first_use(IMPORTS[side][0])
    if side in ("jwstmodels", "doubled"):
        import jwstmodels
        import jwstmodels_generated

        result["package"] = jwstmodels_generated.__file__
        result["twins"] = "TwinImageModel" in dir(jwstmodels)
    import json

    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
