"""Multi-models: typed item lists, kept whole through ASDF (FITS: test_multi_fits.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import jwstmodels
from jwstmodels import MultiSlitModel, MultiSpecModel, SlitModel, SpecModel, ValidationError


def two_slits() -> MultiSlitModel:
    multi = MultiSlitModel()
    multi.meta.instrument.name = "NIRSPEC"
    for index in range(2):
        slit = SlitModel(np.full((3, 5), float(index + 1), dtype=np.float32))
        slit.meta.exposure.nframes = index + 1
        multi.slits.append(slit)
    return multi


def test_slits_are_a_typed_list() -> None:
    multi = two_slits()
    assert len(multi.slits) == 2 and isinstance(multi.slits[1], SlitModel)
    assert [float(s.data.mean()) for s in multi.slits] == [1.0, 2.0]
    with pytest.raises(ValidationError, match=r"MultiSlitModel: slits\[0\]: expected a SlitModel"):
        multi.slits = [SpecModel()]  # wrong item class on purpose


def test_items_round_trip_through_asdf(tmp_path: Path) -> None:
    path = two_slits().save(tmp_path / "multi.asdf")
    with jwstmodels.open(path) as again:
        assert isinstance(again, MultiSlitModel)
        assert again.meta.instrument.name == "NIRSPEC"
        assert len(again.slits) == 2
        assert [s.meta.exposure.nframes for s in again.slits] == [1, 2]
        np.testing.assert_array_equal(again.slits[1].data, np.full((3, 5), 2.0, dtype=np.float32))


def test_spectra_round_trip_through_asdf(tmp_path: Path) -> None:
    multi = MultiSpecModel()
    spec = SpecModel()
    rows = np.zeros(4, dtype=SpecModel.spec_table.dtype)
    rows[rows.dtype.names[0]] = np.arange(4)
    spec.spec_table = rows
    multi.spec.append(spec)
    path = multi.save(tmp_path / "spec.asdf")
    with jwstmodels.open(path) as again:
        assert isinstance(again, MultiSpecModel)
        column = rows.dtype.names[0]
        np.testing.assert_array_equal(again.spec[0].spec_table[column], rows[column])


def test_a_multi_model_made_from_one_model_holds_it_as_its_first_item() -> None:
    slit = SlitModel(np.full((3, 4), 2.0, dtype=np.float32))
    slit.name = "S200A1"
    slit.meta.exposure.nframes = 5
    multi = MultiSlitModel(slit)
    assert len(multi.slits) == 1
    first = multi.slits[0]
    assert first.name == "S200A1" and first.meta.exposure.nframes == 5
    np.testing.assert_array_equal(first.data, slit.data)
    first.data[0, 0] = 9.0
    assert slit.data[0, 0] == 2.0, "the item is a copy"
    assert multi.meta.exposure.nframes == 5, "the metadata carries over to the multi-model too"

    image = jwstmodels.ImageModel(np.ones((2, 2), dtype=np.float32))
    from_image = MultiSlitModel(image)
    assert type(from_image.slits[0]) is SlitModel and from_image.slits[0].data.shape == (2, 2)

    again = MultiSlitModel(multi)
    assert [s.name for s in again.slits] == ["S200A1"] and again.slits[0] is not first
