"""Typing contract of jwstmodels.families: generic helpers typed against a family accept each member and
refuse other models. ``test_families_typing.py`` runs pyright (strict) and mypy (strict) on this file and runs
it under python; every line of ``mistakes()`` carries both checkers' markers (unnecessary ignores are errors,
so each mistake must be reported)."""

from typing import assert_type

import numpy as np
from numpy.typing import NDArray

from jwstmodels import CubeModel, FlatModel, ImageModel, RampModel, SpecModel, SuperBiasModel
from jwstmodels.families import CubeLike, ImageLike, RampLike, SpectralTableLike


def apply_gain(model: ImageLike, gain: float) -> None:
    """A pipeline-style helper: scale the science array and its uncertainty, flag saturated pixels."""
    assert_type(model.data, NDArray[np.float32])
    assert_type(model.dq, NDArray[np.uint32] | None)  # ImageModel's dq and err may be absent
    model.data *= gain
    if model.err is not None:
        model.err *= gain
    if model.dq is not None:
        model.dq[model.data > 1.0e4] |= np.uint32(2)


def subtract_first_group(ramp: RampLike) -> None:
    assert_type(ramp.groupdq, NDArray[np.uint8])
    ramp.data -= ramp.data[:, :1]


def integrations(cube: CubeLike) -> int:
    return int(cube.data.shape[0])


def wavelengths(spectrum: SpectralTableLike) -> NDArray[np.void] | None:
    return spectrum.spec_table


def main() -> None:
    image = ImageModel((4, 4))
    image.data[:] = 2.0
    apply_gain(image, 3.0)
    assert float(image.data[0, 0]) == 6.0
    flat = FlatModel((4, 4))
    apply_gain(flat, 2.0)
    apply_gain(SuperBiasModel((4, 4)), 2.0)
    ramp = RampModel((1, 3, 4, 4))
    ramp.data[:] = np.arange(3, dtype=np.float32)[None, :, None, None]
    subtract_first_group(ramp)
    assert float(ramp.data[0, 2, 0, 0]) == 2.0
    assert integrations(CubeModel((5, 2, 2))) == 5
    assert wavelengths(SpecModel()) is None


def mistakes() -> None:
    """Never called: each line is a mistake both checkers report."""
    apply_gain(SpecModel(), 2.0)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    subtract_first_group(ImageModel())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    integrations(ImageModel())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


if __name__ == "__main__":
    main()
