"""Fidelity gaps against files the reference implementation (stdatamodels) writes: PathlossModel's aperture
arrays in HDUs its schema names in lower case, history entries given as text, quiet FITS WCS errors, and
files opened with a class they do not fit."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from astropy.io import fits

import jwstmodels
from jwstmodels import PathlossModel

st = pytest.importorskip("stdatamodels.jwst.datamodels", reason="stdatamodels is a test dependency")


def quietly(make: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return make()


# -- PathlossModel ---------------------------------------------------------------------------------------


def reference_pathloss(path: Path) -> None:
    def make() -> None:
        ref = st.PathlossModel()
        ref.meta.reftype = "PATHLOSS"
        ref.meta.author = "tester"
        ref.meta.pedigree = "GROUND"
        ref.meta.useafter = "2020-01-01T00:00:00"
        ref.meta.description = "path-loss test file"
        ref.meta.telescope = "JWST"
        ref.meta.instrument.name = "NIRSPEC"
        for index in range(2):
            ref.apertures.append(
                {
                    "name": f"S200A{index + 1}",
                    "shutters": index + 1,
                    "pointsource_data": np.full((2, 3, 4), index + 1.0, np.float32),
                    "pointsource_err": np.full((2, 3, 4), 0.5, np.float32),
                    "uniform_data": np.arange(4, dtype=np.float32) + index,
                    "uniform_err": np.zeros(4, np.float32),
                }
            )
        ref.save(path)

    quietly(make)


def test_pathloss_apertures_read_from_a_reference_file(tmp_path: Path) -> None:
    path = tmp_path / "ref_pathloss.fits"
    reference_pathloss(path)
    with PathlossModel(path) as ours:
        assert [a.name for a in ours.apertures] == ["S200A1", "S200A2"]
        assert [a.shutters for a in ours.apertures] == [1, 2]
        for index, aperture in enumerate(ours.apertures):
            np.testing.assert_array_equal(aperture.pointsource_data, np.full((2, 3, 4), index + 1.0))
            np.testing.assert_array_equal(aperture.pointsource_err, np.full((2, 3, 4), 0.5))
            np.testing.assert_array_equal(aperture.uniform_data, np.arange(4) + index)
            assert aperture.uniform_err.shape == (4,)
        assert not ours.__jwst_state__.extra_hdus  # every HDU was an aperture's


def test_pathloss_written_here_has_each_hdu_once_and_opens_in_the_reference(tmp_path: Path) -> None:
    source = tmp_path / "ref_pathloss.fits"
    reference_pathloss(source)
    ours = tmp_path / "our_pathloss.fits"
    with PathlossModel(source) as model:
        model.save(ours)
    with fits.open(ours) as hdul:
        names = [(hdu.name, hdu.ver) for hdu in hdul]
    assert len(names) == len(set(names)), names
    assert [name for name in names if name[0] == "PS"] == [("PS", 1), ("PS", 2)]

    def reopen() -> list[tuple[str, int, float, tuple[int, ...]]]:
        with st.open(ours) as ref:
            return [
                (a.name, a.shutters, float(a.pointsource_data[0, 0, 0]), a.uniform_data.shape)
                for a in ref.apertures
            ]

    assert quietly(reopen) == [("S200A1", 1, 1.0, (4,)), ("S200A2", 2, 2.0, (4,))]


# -- history entries given as text -----------------------------------------------------------------------


def test_history_text_becomes_an_entry_as_in_the_reference(tmp_path: Path) -> None:
    m = jwstmodels.ImageModel((2, 2))
    m.meta.history.append("flat-fielded")
    m.meta.history.extend(["resampled"])
    m.meta.history.insert(0, "first")
    assert [e.description for e in m.meta.history] == ["first", "flat-fielded", "resampled"]
    assert all(e.time is not None and e.time.tzinfo is not None for e in m.meta.history)

    def reference_entries(path: Path) -> list[tuple[str, bool]]:
        with st.open(path) as ref:
            return [(str(e["description"]), e.get("time") is not None) for e in ref.history]

    def reference_appends() -> list[tuple[str, bool]]:
        ref = st.ImageModel((2, 2))
        ref.history.append("flat-fielded")
        return [(str(e["description"]), e.get("time") is not None) for e in ref.history]

    assert quietly(reference_appends) == [("flat-fielded", True)], "the reference stamps the time too"
    for suffix in (".fits", ".asdf"):
        path = tmp_path / f"history{suffix}"
        m.save(path)
        timed = suffix == ".asdf"  # the reference reads a FITS file's history from its HISTORY cards only
        expected = [("first", timed), ("flat-fielded", timed), ("resampled", timed)]
        assert quietly(lambda path=path: reference_entries(path)) == expected
        with jwstmodels.ImageModel(path) as back:
            back.meta.history.append("again")  # a history read from a file takes text too
            assert [e.description for e in back.meta.history][-2:] == ["resampled", "again"]


# -- a file opened with a class it does not fit ------------------------------------------------------------


def reference_spec_files(folder: Path) -> tuple[Path, Path]:
    def make() -> tuple[Path, Path]:
        ref = st.MultiSpecModel()
        item = st.SpecModel()
        item.spec_table = np.zeros(3, dtype=jwstmodels.SpecModel.spec_table.dtype)
        ref.spec.append(item)
        fits_path, asdf_path = folder / "x_x1d.fits", folder / "x_spec.asdf"
        ref.save(fits_path)
        ref.save(asdf_path)
        return fits_path, asdf_path

    return quietly(make)


@pytest.mark.parametrize("index", [0, 1], ids=["fits", "asdf"])
def test_a_class_the_file_does_not_fit_warns(tmp_path: Path, index: int) -> None:
    path = reference_spec_files(tmp_path)[index]
    with pytest.warns(jwstmodels.ModelTypeMismatchWarning) as caught:
        model = jwstmodels.ImageModel(path)
    model.close()
    message = str(caught[0].message)
    assert str(path) in message and "'MultiSpecModel'" in message and "ImageModel" in message
    assert issubclass(jwstmodels.ModelTypeMismatchWarning, UserWarning)


def test_the_fitting_class_and_open_do_not_warn(tmp_path: Path) -> None:
    fits_path, asdf_path = reference_spec_files(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", jwstmodels.ModelTypeMismatchWarning)
        for path in (fits_path, asdf_path):
            with jwstmodels.MultiSpecModel(path) as same, jwstmodels.open(path) as opened:
                assert isinstance(opened, jwstmodels.MultiSpecModel) and len(same.spec) == 1


def test_a_refused_open_closes_the_file(tmp_path: Path) -> None:
    fits_path, _ = reference_spec_files(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", jwstmodels.ModelTypeMismatchWarning)
        with pytest.raises(jwstmodels.ModelTypeMismatchWarning):
            jwstmodels.ImageModel(fits_path)  # a leaked file would fail the run (ResourceWarning is an error)
