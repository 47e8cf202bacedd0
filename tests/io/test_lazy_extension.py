"""A FITS file opens from its headers; its ``ASDF`` extension is parsed when a value first needs it
(``jwstmodels._io.fits_lazy``). The suite runs with warnings as errors, under which files open eagerly: these
tests choose the lazy open with ``read_mode("lazy")`` (and check the rule that chooses it)."""

from __future__ import annotations

import copy
import gc
import pickle
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import asdf
import numpy as np
import pytest
from astropy.io import fits

import jwstmodels
from jwstmodels import DataModel, FileFormatError, ImageModel, InvalidValueWarning
from jwstmodels._io.fits_lazy import read_mode


@pytest.fixture
def lazily() -> Iterator[None]:
    with read_mode("lazy"):
        yield


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose ASDF extension is parsed, in order."""
    from jwstmodels._io import asdf_in_fits

    seen: list[str] = []
    real = asdf_in_fits.read_document_bytes

    def spy(payload: Any, filename: str) -> Any:
        seen.append(filename)
        return real(payload, filename)

    monkeypatch.setattr(asdf_in_fits, "read_document_bytes", spy)  # looked up there when the file is read
    return seen


def _image(path: Path) -> Path:
    model = ImageModel(np.arange(6, dtype=np.float32).reshape(2, 3))
    model.meta.instrument.name = "NIRCAM"
    model.meta.exposure.nframes = 4
    model.meta.asn.exptype = "science"  # no FITS keyword: kept in the extension alone
    model.meta.observation.date = "2024-01-02"
    model.add_history_entry("made for the test")
    return model.save(path)


def _with_payload(path: Path, payload: bytes) -> Path:
    """``path`` with its ASDF extension's bytes replaced by ``payload``."""
    column = fits.Column(
        name="ASDF_METADATA", format=f"{len(payload)}B", array=np.frombuffer(payload, np.uint8)[None]
    )
    with fits.open(path) as hdul:
        hdus = [hdu.copy() for hdu in hdul if hdu.name != "ASDF"]
    fits.HDUList([*hdus, fits.BinTableHDU.from_columns([column], name="ASDF")]).writeto(path, overwrite=True)
    return path


def test_keyword_fields_read_without_parsing_the_extension(
    tmp_path: Path, lazily: None, parses: list[str]
) -> None:
    path = _image(tmp_path / "image.fits")
    with jwstmodels.open(path) as model:
        assert model.meta.instrument.name == "NIRCAM"
        assert model.meta.exposure.nframes == 4
        assert model.meta.observation.date == "2024-01-02"
        assert model.data.shape == (2, 3)
        assert parses == []
        assert model.meta.asn.exptype == "science"  # no keyword: the extension is read now, once
        assert parses == [str(path)]
        assert model.meta.history[0].description == "made for the test"
        assert parses == [str(path)]


@pytest.mark.read_rule
def test_the_extension_is_read_at_open_where_warnings_are_errors(tmp_path: Path, parses: list[str]) -> None:
    path = _image(tmp_path / "image.fits")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        jwstmodels.open(path).close()
    assert parses == [str(path)]
    with warnings.catch_warnings():
        warnings.simplefilter("default")
        jwstmodels.open(path).close()
        assert parses == [str(path)]  # not needed: not read
        jwstmodels.open(path, strict_validation=True).close()  # nothing postponed
    assert parses == [str(path)] * 2


def test_a_damaged_extension_fails_at_first_need_naming_the_file(tmp_path: Path, lazily: None) -> None:
    path = _with_payload(_image(tmp_path / "damaged.fits"), b"#ASDF 1.0.0\n%YAML 1.1\n--- {a: [1, \n...\n")
    with jwstmodels.open(path) as model:
        assert model.meta.instrument.name == "NIRCAM"  # headers: fine
        with pytest.raises(FileFormatError, match=r"damaged\.fits: the ASDF extension cannot be read"):
            _ = model.meta.asn.exptype
        with pytest.raises(FileFormatError, match=r"damaged\.fits: the ASDF extension"):
            model.to_flat_dict()  # still waiting: the same error
    with read_mode("eager"), pytest.raises(FileFormatError, match=r"damaged\.fits: the ASDF extension"):
        jwstmodels.open(path)


def test_hostile_yaml_fails_at_first_need_after_read_metadata(tmp_path: Path, lazily: None) -> None:
    payload = (
        b"#ASDF 1.0.0\n%YAML 1.1\n--- {a: &a [1, 2], b: [" + b", ".join([b"*a"] * 100_000) + b"]}\n...\n"
    )
    path = _with_payload(_image(tmp_path / "ext.fits"), payload)
    meta = jwstmodels.read_metadata(path)
    assert meta.instrument.name == "NIRCAM"
    with pytest.raises(FileFormatError, match=r"ext\.fits: the ASDF extension: .*limit of 150000 nodes"):
        meta.model_dump()


def test_edits_before_the_extension_is_read_survive_it(tmp_path: Path, lazily: None) -> None:
    path = _image(tmp_path / "image.fits")
    with jwstmodels.open(path) as model:
        assert "exptype" not in vars(model.meta.asn)  # waiting
        model.meta.asn.exptype = "background"
        model.meta.exposure.nframes = 8
        model.meta.target.ra = 10.5  # a keyword the file has no card for: waiting too
        assert model.meta.history[0].description == "made for the test"  # the extension is read now
        assert model.meta.asn.exptype == "background"
        assert model.meta.exposure.nframes == 8
        assert model.meta.target.ra == 10.5
        assert getattr(model.meta, "_pending", None) is None


@pytest.mark.parametrize("opener", [jwstmodels.open, ImageModel], ids=["open", "class"])
def test_fields_wait_after_close_and_in_read_metadata(
    tmp_path: Path, lazily: None, parses: list[str], opener: Callable[[Path], DataModel[Any]]
) -> None:
    path = _image(tmp_path / "image.fits")
    with opener(path) as model:  # ``ImageModel(path)`` and ``open`` close the file alike
        assert model.meta.instrument.name == "NIRCAM"
    assert parses == []
    assert model.meta.asn.exptype == "science"
    meta = jwstmodels.read_metadata(path)
    assert meta.instrument.name == "NIRCAM"
    assert meta.history[0].description == "made for the test"
    assert parses == [str(path)] * 2


def test_models_read_and_dropped_leave_no_hdu_behind(tmp_path: Path, lazily: None) -> None:
    """A process that opens thousands of files keeps nothing of a file once its model is gone (the
    extension's kept bytes and HDUs go with the model)."""
    path = _image(tmp_path / "image.fits")

    def extensions() -> int:
        gc.collect()
        return sum(isinstance(item, fits.BinTableHDU) for item in gc.get_objects())

    before = extensions()
    for _ in range(3):
        with jwstmodels.open(path) as model:
            assert model.meta.instrument.name == "NIRCAM"
        assert model.meta.asn.exptype == "science"  # read from the bytes kept at close
        del model
    assert extensions() == before


def test_a_node_kept_after_its_model_is_gone_still_reads(tmp_path: Path, lazily: None) -> None:
    path = _image(tmp_path / "image.fits")
    model = jwstmodels.open(path)
    asn = model.meta.asn
    model.close()
    del model  # and with it the root node
    gc.collect()
    assert asn.exptype == "science"


def test_a_lazy_model_copies_pickles_compares_and_saves_as_an_eager_one(tmp_path: Path) -> None:
    path = _image(tmp_path / "image.fits")
    with read_mode("eager"):
        eager = jwstmodels.open(path)
    with read_mode("lazy"):
        models = [jwstmodels.open(path) for _ in range(6)]
    assert all(getattr(m.meta, "_pending", None) is not None for m in models)
    assert models[0].meta == eager.meta
    assert copy.deepcopy(models[1]).to_flat_dict().keys() == eager.to_flat_dict().keys()
    assert models[2].copy().meta == eager.meta
    assert pickle.loads(pickle.dumps(models[3])).meta == eager.meta
    assert models[4].meta.model_dump() == eager.meta.model_dump()
    saved = models[5].save(tmp_path / "lazy.fits")
    again = eager.save(tmp_path / "eager.fits")
    with fits.open(saved) as one, fits.open(again) as other:
        for mine, theirs in zip(one, other, strict=True):
            assert _cards(mine) == _cards(theirs)
        assert one["ASDF"].data.tobytes() == other["ASDF"].data.tobytes()  # not stamped: date is a card
    with (
        asdf.open(eager.save(tmp_path / "eager.asdf")) as af_eager,
        asdf.open(models[5].save(tmp_path / "lazy.asdf")) as af_lazy,
    ):
        mine, theirs = dict(af_lazy.tree["meta"]), dict(af_eager.tree["meta"])
        for stamped in ("date", "filename"):
            mine.pop(stamped), theirs.pop(stamped)
        assert list(mine) == list(theirs)
        assert str(mine) == str(theirs)
    for model in (eager, *models):
        model.close()


def _cards(hdu: Any) -> list[tuple[str, object, str]]:
    stamped = ("DATE", "FILENAME")
    return [(c.keyword, c.value, c.comment) for c in hdu.header.cards if c.keyword not in stamped]


def _bad_list_file(tmp_path: Path) -> Path:
    """A FITS file whose extension holds a list that does not fit its field."""
    tree: dict[str, Any] = {
        "meta": {"model_type": "ImageModel", "background": {"polynomial_info": [{"channel": 3}]}},
        "data": np.zeros((2, 2), dtype=np.float32),
    }
    asdf.AsdfFile(tree).write_to(tmp_path / "bad.asdf")
    with pytest.warns(InvalidValueWarning):
        model = ImageModel(tmp_path / "bad.asdf")
    with model:
        return model.save(tmp_path / "bad.fits")


def test_a_warning_about_an_extension_value_comes_once_at_first_need(tmp_path: Path, lazily: None) -> None:
    path = _bad_list_file(tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = jwstmodels.open(path)
        assert model.meta.model_type == "ImageModel"  # a card
        assert [str(w.message) for w in caught] == []
        assert model.meta.background.polynomial_info == []  # the extension is read: it warns now
        assert model.meta.history == []
        model.save(tmp_path / "again.fits")
        model.close()
    about = [str(w.message) for w in caught if issubclass(w.category, InvalidValueWarning)]
    assert len(about) == 1
    assert "bad.fits: ASDF extension, meta.background.polynomial_info" in about[0]


def test_the_same_warnings_eagerly(tmp_path: Path) -> None:
    path = _bad_list_file(tmp_path)
    with (
        read_mode("eager"),
        pytest.warns(InvalidValueWarning, match=r"bad\.fits: ASDF extension, meta\.background"),
    ):
        jwstmodels.open(path).close()


def test_a_card_that_may_be_shortened_waits_for_the_extension(tmp_path: Path, lazily: None) -> None:
    st = pytest.importorskip("stdatamodels.jwst.datamodels", reason="stdatamodels is a test dependency")
    path = tmp_path / "float.fits"
    with st.ImageModel(np.zeros((2, 2), np.float32)) as theirs:  # astropy cuts the card to 16 digits
        theirs.meta.target.ra = 1 / 3 * 1e-5  # 3.3333333333333333e-06: more digits than 20 columns hold
        theirs.meta.exposure.nframes = 3
        theirs.save(path)
    with fits.open(path) as hdul:
        assert hdul[0].header["TARG_RA"] != 1 / 3 * 1e-5
    with jwstmodels.open(path) as again:
        assert "ra" not in vars(again.meta.target)
        assert "nframes" in vars(again.meta.exposure)
        assert again.meta.target.ra == 1 / 3 * 1e-5


def test_a_float_card_written_here_says_every_digit(tmp_path: Path, lazily: None) -> None:
    model = ImageModel(np.zeros((2, 2), np.float32))
    model.meta.target.ra = 1 / 3 * 1e-5
    path = model.save(tmp_path / "float.fits")
    with jwstmodels.open(path) as again:
        assert vars(again.meta.target)["ra"] == 1 / 3 * 1e-5  # from the header, at open


def test_an_extension_table_of_another_layout_is_read_after_close(tmp_path: Path, lazily: None) -> None:
    """Kept at close as the file holds it, the extension's data is read as a table when it is not the usual
    single column of one row."""
    path = _image(tmp_path / "image.fits")
    with fits.open(path) as hdul:
        payload = bytes(hdul["ASDF"].data["ASDF_METADATA"][0])
        hdus = [hdu.copy() for hdu in hdul if hdu.name != "ASDF"]
    columns = [
        fits.Column(
            name="ASDF_METADATA", format=f"{len(payload)}B", array=np.frombuffer(payload, np.uint8)[None]
        ),
        fits.Column(name="EXTRA", format="J", array=np.array([7])),
    ]
    fits.HDUList([*hdus, fits.BinTableHDU.from_columns(columns, name="ASDF")]).writeto(path, overwrite=True)
    model = jwstmodels.open(path)
    model.close()
    assert model.meta.asn.exptype == "science"
    assert model.meta.history[0].description == "made for the test"


def test_the_open_does_not_import_the_extension_reader(tmp_path: Path, lazily: None) -> None:
    path = _image(tmp_path / "image.fits")
    code = (
        "import sys, jwstmodels\n"
        f"m = jwstmodels.open({str(path)!r}); names = [m.meta.instrument.name]; m.close()\n"
        "assert 'jwstmodels._io.asdf_in_fits' not in sys.modules and 'yaml' not in sys.modules\n"
        "assert m.meta.asn.exptype == 'science'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
