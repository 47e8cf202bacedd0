"""Multi-models: typed item lists, kept whole through ASDF; FITS refuses items rather than dropping them."""

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
    rows = np.zeros(4, dtype=spec.spec_table.dtype)
    rows[rows.dtype.names[0]] = np.arange(4)
    spec.spec_table = rows
    multi.spec.append(spec)
    path = multi.save(tmp_path / "spec.asdf")
    with jwstmodels.open(path) as again:
        assert isinstance(again, MultiSpecModel)
        column = rows.dtype.names[0]
        np.testing.assert_array_equal(again.spec[0].spec_table[column], rows[column])


def test_fits_refuses_items_instead_of_dropping_them(tmp_path: Path) -> None:
    target = tmp_path / "multi.fits"
    with pytest.raises(NotImplementedError, match=r"multi.fits: MultiSlitModel.slits holds 2 item\(s\)"):
        two_slits().save(target)
    assert not target.exists()
