"""Objects outside ``meta`` (``NodeField`` holding a generated ``TreeObject``), transform lists of several
levels and value lists of several kinds: checked assignment, errors naming model and place, ASDF round trips,
unknown keys kept, FITS refused where transforms are held."""

from __future__ import annotations

import warnings
from pathlib import Path

import asdf
import numpy as np
import pytest
from astropy.modeling import models

import jwstmodels
from jwstmodels import FileFormatError, InvalidValueWarning, ValidationError
from jwstmodels.base import NodeField, TreeObject
from jwstmodels_generated.disperser import DisperserModel
from jwstmodels_generated.ifupost import IFUPostModel
from jwstmodels_generated.msa import MSAModel
from jwstmodels_generated.specwcs_nircam_grism import NIRCAMGrismModel
from jwstmodels_generated.wavecorr import WaveCorrAperturesItem, WaveCorrModel
from jwstmodels_generated.wavelengthrange import WavelengthrangeModel

REQUIRED = {
    "author": "a",
    "description": "d",
    "pedigree": "GROUND",
    "useafter": "2022-01-01T00:00:00",
    "reftype": "test",
}


def _ready(model: jwstmodels.DataModel[jwstmodels.MetaNode]) -> None:
    """Fill the bookkeeping a reference file needs to be saved."""
    for name, value in REQUIRED.items():
        setattr(model.meta, name, value)
    model.meta.telescope = "JWST"
    model.meta.instrument.name = "NIRSPEC"  # every model here has one


def test_an_object_outside_meta_is_created_on_first_use_and_typed() -> None:
    model = DisperserModel()
    tilt = model.gwa_tiltx
    assert isinstance(tilt, TreeObject) and type(tilt).__name__ == "DisperserGwaTilt"
    assert model.gwa_tiltx is tilt  # the same object each time
    assert tilt.temperatures is None and tilt.is_empty()
    tilt.temperatures = [35, 40.5]  # ints widen into a float list
    assert tilt.temperatures == [35.0, 40.5]
    assert isinstance(type(model).__dict__["gwa_tiltx"], NodeField)


def test_identical_objects_of_a_model_share_one_class() -> None:
    assert type(IFUPostModel().slice_0) is type(IFUPostModel().slice_29)
    assert type(MSAModel().Q1).__name__ == type(MSAModel().Q5).__name__ == "MSAQ"


def test_a_member_of_the_wrong_kind_is_refused_naming_model_and_place() -> None:
    model = DisperserModel()
    model.gwa_tilty.unit = "deg"
    with pytest.raises(
        ValidationError, match=r"DisperserModel: gwa_tilty\.unit: expected str or None, got 3"
    ):
        model.gwa_tilty.unit = 3  # on purpose
    assert model.gwa_tilty.unit == "deg"  # unchanged
    with pytest.raises(ValidationError, match=r"DisperserModel: gwa_tiltx\.tilt_model: expected a astropy"):
        model.gwa_tiltx.tilt_model = "not a transform"  # on purpose
    with pytest.raises(AttributeError, match=r"DisperserModel: gwa_tiltx\.units: no such field"):
        model.gwa_tiltx.units = "deg"  # on purpose


def test_a_mapping_is_checked_member_by_member() -> None:
    model = DisperserModel()
    model.gwa_tiltx = {"unit": "deg", "zeroreadings": [0.5]}  # a mapping is accepted
    assert model.gwa_tiltx.unit == "deg" and model.gwa_tiltx.zeroreadings == [0.5]
    with pytest.raises(
        ValidationError, match=r"DisperserModel: gwa_tiltx\.zeroreadings: expected list of float"
    ):
        model.gwa_tiltx = {"zeroreadings": ["x"]}  # on purpose


def test_asdf_round_trip_keeps_every_member_and_unknown_keys(tmp_path: Path) -> None:
    model = DisperserModel()
    _ready(model)
    model.gwa_tiltx.tilt_model = models.Polynomial1D(2, c0=1.0, c1=0.5, c2=0.25)
    model.gwa_tiltx.temperatures = [35.0]
    model.gwa_tilty.unit = "deg"
    model.kcoef = [1.0, 2.0, 3.0]
    path = model.save(tmp_path / "disperser.asdf")
    with asdf.open(path) as af:
        assert "gwa_tiltx" in af.tree and af.tree["gwa_tilty"] == {"unit": "deg"}
        af.tree["gwa_tilty"]["sensor"] = "B"  # a key the class does not declare
        af.write_to(tmp_path / "extra.asdf")
    with DisperserModel(tmp_path / "extra.asdf") as back:
        assert back.gwa_tiltx.temperatures == [35.0]
        assert back.gwa_tiltx.tilt_model is not None and back.gwa_tiltx.tilt_model(2.0) == 3.0
        assert back.gwa_tilty.extra == {"sensor": "B"}
        again = back.save(tmp_path / "again.asdf")
    with asdf.open(again) as af:
        assert af.tree["gwa_tilty"] == {"unit": "deg", "sensor": "B"}  # nothing dropped


def test_an_unset_object_is_not_saved(tmp_path: Path) -> None:
    model = MSAModel()
    _ready(model)
    _ = model.Q3  # created on first access, left empty
    model.Q1.data = np.arange(6.0).reshape(2, 3)
    path = model.save(tmp_path / "msa.asdf")
    with asdf.open(path) as af:
        assert "Q3" not in af.tree and "Q1" in af.tree


def test_a_member_of_another_kind_in_a_file_warns_and_is_kept(tmp_path: Path) -> None:
    model = DisperserModel()
    _ready(model)
    path = model.save(tmp_path / "disperser.asdf")
    with asdf.open(path) as af:
        af.tree["gwa_tiltx"] = {"unit": 7}
        af.write_to(tmp_path / "bad.asdf")
    with (
        pytest.warns(InvalidValueWarning, match=r"bad\.asdf: gwa_tiltx"),
        DisperserModel(tmp_path / "bad.asdf") as m,
    ):
        assert m.gwa_tiltx.unit is None
        again = m.save(tmp_path / "again.asdf")
    with asdf.open(again) as af:
        assert af.tree["gwa_tiltx"] == {"unit": 7}  # kept and written back


def _reference_extract1difu(path: Path) -> Path:
    """An ASDF reference file written by the reference whose ``data`` object holds one member of another
    dtype than the schema's (float64 ``radius`` where float32 is declared; the reference keeps it)."""
    st = pytest.importorskip("stdatamodels.jwst.datamodels", reason="stdatamodels is a test dependency")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the reference's own warnings while saving are not under test
        with st.Extract1dIFUModel() as theirs:
            theirs.data = {
                "wavelength": np.arange(3, dtype=np.float32),
                "radius": np.array([0.5, 1.5, 2.5]),
                "inner_bkg": np.ones(3, np.float32),
            }
            for name, value in REQUIRED.items():
                setattr(theirs.meta, name, value)
            theirs.meta.telescope = "JWST"
            theirs.meta.instrument.name = "NIRSPEC"
            theirs.save(path)
    return path


def test_one_member_that_does_not_fit_leaves_the_others_readable(tmp_path: Path) -> None:
    from jwstmodels_generated.extract1difu import Extract1dIFUModel

    path = _reference_extract1difu(tmp_path / "x1difu.asdf")
    with pytest.warns(InvalidValueWarning) as caught, Extract1dIFUModel(path) as model:
        np.testing.assert_array_equal(model.data.wavelength, [0, 1, 2])  # the members that fit are read
        assert model.data.wavelength is not None and model.data.wavelength.dtype == np.float32
        assert model.data.inner_bkg is not None
        assert model.data.radius is None  # kept aside, as any value that does not fit
        saved = model.save(tmp_path / "again.asdf")
    assert len(caught) == 1  # one warning, for the one member, naming file, place and dtype expected
    message = str(caught[0].message)
    assert "x1difu.asdf: data.radius: value" in message and "float32 array" in message
    with asdf.open(saved) as af:  # written back as the file held it
        assert af.tree["data"]["radius"].dtype == np.float64
        np.testing.assert_array_equal(af.tree["data"]["radius"], [0.5, 1.5, 2.5])
        np.testing.assert_array_equal(af.tree["data"]["wavelength"], [0, 1, 2])
    with pytest.warns(InvalidValueWarning, match=r"data\.radius"):
        kept = Extract1dIFUModel(path, pass_invalid_values=True)
    with kept:
        assert np.asarray(kept.data.radius).dtype == np.float64  # in place, as read
    with pytest.warns(InvalidValueWarning, match=r"data\.radius"), Extract1dIFUModel(saved) as model:
        model.data.radius = np.array([1.0, 2.0, 3.0], np.float32)  # set again: the typed value is saved
        fixed = model.save(tmp_path / "fixed.asdf")
    with asdf.open(fixed) as af:
        assert af.tree["data"]["radius"].dtype == np.float32


def test_fits_refused_where_transforms_are_held(tmp_path: Path) -> None:
    model = MSAModel()
    _ready(model)
    model.Q2.model = models.Shift(1.0)
    with pytest.raises(FileFormatError, match=r"MSAModel holds Q2 .*save it as \.asdf"):
        model.save(tmp_path / "msa.fits")
    corr = WaveCorrModel()
    _ready(corr)
    item = WaveCorrAperturesItem()
    item.zero_point_offset = models.Shift(2.0)
    corr.apertures.append(item)
    with pytest.raises(FileFormatError, match=r"apertures\[0\]\.zero_point_offset"):
        corr.save(tmp_path / "wavecorr.fits")


def test_ragged_transform_lists() -> None:
    model = NIRCAMGrismModel()
    shift = models.Shift(1.0)
    model.displ = [shift, [shift, [shift, shift]]]  # objects and deeper lists side by side, three levels
    with pytest.raises(ValidationError, match=r"NIRCAMGrismModel: displ"):
        model.displ = [shift, [shift, [shift, [shift]]]]  # four levels
    with pytest.raises(ValidationError, match=r"NIRCAMGrismModel: displ"):
        model.displ = [shift, "no"]  # not a transform


def test_values_of_several_kinds(tmp_path: Path) -> None:
    model = WavelengthrangeModel()
    model.wavelengthrange = [[1, "F250M", 2.4, 2.6], [0.6, 5.3]]
    assert model.wavelengthrange == [[1.0, "F250M", 2.4, 2.6], [0.6, 5.3]]
    with pytest.raises(
        ValidationError, match=r"WavelengthrangeModel: wavelengthrange: expected list of lists"
    ):
        model.wavelengthrange = [[True]]
    _ready(model)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = model.save(tmp_path / "wavelengthrange.asdf")
        with WavelengthrangeModel(path) as back:
            assert back.wavelengthrange == [[1.0, "F250M", 2.4, 2.6], [0.6, 5.3]]
