"""jwstmodels.scan reads fields with a FITS keyword from the headers alone (issue 17) and gives the table a
model's open gives: the same values, types, warnings and errors; the model (and with it the ASDF extension) is
opened only for fields the headers cannot answer for."""

# pyright: reportPrivateUsage=false, reportUnknownMemberType=false, reportUnknownVariableType=false
# (the reference implementation and astropy ship without annotations; the tests read scan's internals)

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from astropy.io import fits

import jwstmodels
from jwstmodels import InvalidValueWarning
from jwstmodels._api import scan as scan_module

FIELDS = [
    "meta.exposure.nframes",
    "meta.exposure.exposure_time",
    "meta.instrument.name",
    "meta.observation.program_number",
    "meta.exposure.zero_frame",
    "meta.target.source_type",  # SCI header
    "meta.target.ra",
]


def by_model(paths: list[Path], fields: list[str], monkeypatch: pytest.MonkeyPatch) -> pd.DataFrame:
    """The table scan builds when it opens every file as a model (the headers-only path switched off)."""
    with monkeypatch.context() as patch:

        def by_model_only(name: str, wanted: tuple[str, ...]) -> None:
            del name, wanted  # every file: the model is opened

        patch.setattr(scan_module, "_header_row", by_model_only)
        return jwstmodels.scan(paths, fields)


def model_opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every file scan opens as a model (which reads the ASDF extension); the list of their names."""
    opened: list[str] = []
    open_model = scan_module.open_model

    def recording(init: object, **options: Any) -> Any:
        opened.append(str(init))
        return open_model(init, **options)

    monkeypatch.setattr(scan_module, "open_model", recording)
    return opened


def reference_image(folder: Path, name: str, **values: object) -> Path:
    """A FITS file written by the reference (stdatamodels) with ``values`` (dotted below meta) set."""
    from stdatamodels.jwst import datamodels

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the reference's own notices are not what is tested
        model: Any = datamodels.ImageModel((8, 8))
        for dotted, value in values.items():
            node = model.meta
            *parents, last = dotted.split(".")
            for part in parents:
                node = getattr(node, part)
            setattr(node, last, value)
        path = folder / f"{name}.fits"
        model.save(str(path))
        model.close()
    return path


@pytest.fixture(scope="module")
def reference_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("reference")
    common: dict[str, object] = {"instrument.name": "NIRCAM", "observation.program_number": "01234"}
    return [
        reference_image(
            folder,
            "plain",
            **common,
            **{"exposure.nframes": 4, "exposure.exposure_time": 10.5, "exposure.zero_frame": True},
            **{"target.source_type": "POINT", "target.ra": 80.5},
        ),
        reference_image(folder, "sparse", **{"exposure.nframes": 2}),  # most fields unset: <NA>
        reference_image(  # values a card cannot say exactly: the extension keeps them
            folder,
            "inexact",
            **common,
            **{"exposure.exposure_time": 1.2345678901234567e-300, "target.ra": 80.12345678901234},
            **{"exposure.nframes": 3, "instrument.filter": "F200W"},
        ),
    ]


def test_reference_files_give_the_models_table_from_headers_alone(
    reference_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = by_model(reference_files, FIELDS, monkeypatch)
    assert expected["error"].isna().all()
    assert expected["meta.exposure.exposure_time"].tolist()[2] == 1.2345678901234567e-300
    opened = model_opens(monkeypatch)
    plain = jwstmodels.scan(reference_files[:2], FIELDS)
    assert opened == []  # keyword fields of these files: headers only, the extension untouched
    pd.testing.assert_frame_equal(plain, expected.iloc[:2])
    assert plain["meta.target.source_type"].tolist()[0] == "POINT"
    assert pd.isna(plain["meta.exposure.exposure_time"].tolist()[1])


def test_a_card_shorter_than_the_extensions_value_opens_the_model(
    reference_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = by_model(reference_files, FIELDS, monkeypatch)
    table = jwstmodels.scan(reference_files, FIELDS)
    pd.testing.assert_frame_equal(table, expected)
    assert (
        table["meta.exposure.exposure_time"].tolist()[2] == 1.2345678901234567e-300
    )  # not the card's 1.23...e-300


def test_fields_without_a_keyword_open_the_model(
    reference_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    fields = [
        "meta.exposure.nframes",
        "meta.asn.exptype",
        "meta.no_such_group.value",
        "meta.exposure",
        "name",
    ]
    expected = by_model(reference_files, fields, monkeypatch)
    opened = model_opens(monkeypatch)
    table = jwstmodels.scan(reference_files, fields)  # meta.asn.exptype lives in the extension alone
    assert opened == [str(path) for path in reference_files]
    pd.testing.assert_frame_equal(table, expected)
    unknown = ["meta.exposure.nframes", "meta.no_such_group.value", "meta.exposure", "no_such_array"]
    opened.clear()
    table = jwstmodels.scan(reference_files[:1], unknown)  # names the class does not have: None, no open
    assert opened == []
    assert table["error"].isna().all() and table["meta.exposure.nframes"].tolist() == [4]
    assert table[unknown[1:]].isna().all().all()


def _edit(path: Path, out: Path, edit: Any) -> Path:
    with fits.open(path) as hdul:
        edit(hdul)
        hdul.writeto(out, overwrite=True)
    return out


def test_odd_cards_give_what_the_model_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = jwstmodels.ImageModel(np.zeros((4, 4), np.float32))
    model.meta.exposure.nframes = 4
    model.meta.instrument.name = "NIRCAM"
    model.meta.observation.program_number = "A long program number "  # trailing blank: kept in the extension
    model.meta.target.ra = math.nan  # no card can hold it: the extension alone
    model.meta.exposure.exposure_time = 1 / 3
    base = tmp_path / "base.fits"
    model.save(base)

    def wrong_kind(hdul: Any) -> None:
        hdul[0].header["NFRAMES"] = "four"

    def duplicate(hdul: Any) -> None:
        hdul[0].header.add_history("x")
        hdul[0].header.append(("NFRAMES", 9, "a second NFRAMES"))

    def without_model_type(hdul: Any) -> None:
        del hdul[0].header["DATAMODL"]

    def unknown_model_type(hdul: Any) -> None:
        hdul[0].header["DATAMODL"] = "NoSuchModel"

    paths = [
        base,
        _edit(base, tmp_path / "kind.fits", wrong_kind),
        _edit(base, tmp_path / "duplicate.fits", duplicate),
        _edit(base, tmp_path / "untyped.fits", without_model_type),
        _edit(base, tmp_path / "unknown.fits", unknown_model_type),
    ]
    truncated = tmp_path / "truncated.fits"
    truncated.write_bytes(base.read_bytes()[:4000])
    paths.append(truncated)
    with warnings.catch_warnings(record=True) as by_model_warnings:
        warnings.simplefilter("always")
        expected = by_model(paths, FIELDS, monkeypatch)
    with warnings.catch_warnings(record=True) as scan_warnings:
        warnings.simplefilter("always")
        table = jwstmodels.scan(paths, FIELDS)
    pd.testing.assert_frame_equal(table, expected)
    assert table["meta.observation.program_number"].tolist()[0] == "A long program number "
    assert pd.isna(table["meta.target.ra"].tolist()[0])  # NaN: <NA> in a Float64 column, as by the model
    assert pd.isna(table["meta.exposure.nframes"].tolist()[1])  # "four" does not fit: warned, left out
    assert table["meta.exposure.nframes"].tolist()[2] == 4  # the first card wins
    assert str(table["error"].tolist()[-1]).startswith("FileFormatError")
    invalid = [str(w.message) for w in scan_warnings if issubclass(w.category, InvalidValueWarning)]
    assert any("kind.fits: HDU PRIMARY, keyword NFRAMES" in text for text in invalid)
    expected_invalid = [
        str(w.message) for w in by_model_warnings if issubclass(w.category, InvalidValueWarning)
    ]
    assert sorted(set(invalid)) == sorted(set(expected_invalid))


def test_top_level_scalars_come_from_their_hdus_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slit = jwstmodels.SlitModel(np.zeros((4, 4), np.float32))
    slit.name = "S200A1"
    slit.xstart = 12
    slit.source_ra = 80.25
    path = tmp_path / "slit.fits"
    slit.save(path)
    fields = ["name", "xstart", "source_ra", "ystart", "meta.exposure.nframes"]
    expected = by_model([path], fields, monkeypatch)
    opened = model_opens(monkeypatch)
    table = jwstmodels.scan([path], fields)
    assert opened == []
    pd.testing.assert_frame_equal(table, expected)
    assert table.iloc[0][fields].tolist()[:3] == ["S200A1", 12, 80.25]
