"""What a damaged file turns into, case by case: the error or warning, what it names, what is kept."""

from __future__ import annotations

import gzip
import time
import warnings
from pathlib import Path

import asdf
import numpy as np
import pytest
from astropy.io import fits

import jwstmodels
from jwstmodels import FileFormatError, ImageModel, InvalidValueWarning, ValidationErrors


def _image(path: Path, **cards: object) -> Path:
    primary = fits.PrimaryHDU()
    primary.header["DATAMODL"] = "ImageModel"
    for key, value in cards.items():
        primary.header[key] = value
    fits.HDUList([primary, fits.ImageHDU(np.zeros((4, 4), np.float32), name="SCI")]).writeto(path)
    return path


def _swap_card(path: Path, old: bytes, new: bytes) -> None:
    raw = path.read_bytes()
    at = raw.index(old)
    path.write_bytes(raw[:at] + new.ljust(80) + raw[at + 80 :])


def test_duplicate_keyword_first_wins_with_a_warning(tmp_path: Path) -> None:
    path = _image(tmp_path / "dup.fits", NFRAMES=4, NGROUPS=2)
    _swap_card(path, b"NGROUPS ", b"NFRAMES =                    9")
    with pytest.warns(
        InvalidValueWarning, match=r"dup\.fits: HDU PRIMARY, keyword NFRAMES appears more than once"
    ):
        meta = jwstmodels.read_metadata(path)
    assert meta.exposure.nframes == 4  # as astropy and the reference


@pytest.mark.parametrize(
    ("card", "value"),
    [(b"NFRAMES =                    T", True), (b"NFRAMES = '7'", "7"), (b"ZEROFRAM= 'yes'", "yes")],
)
def test_values_of_another_kind_warn_and_are_kept_aside(tmp_path: Path, card: bytes, value: object) -> None:
    keyword = card[:8].decode().strip()
    path = _image(tmp_path / "kind.fits", NFRAMES=4, ZEROFRAM=False)
    _swap_card(path, card[:8], card)
    with pytest.warns(InvalidValueWarning, match=rf"kind\.fits: HDU PRIMARY, keyword {keyword} .*{value!r}"):
        model = jwstmodels.open(path)
    with model:
        field = "nframes" if keyword == "NFRAMES" else "zero_frame"
        assert getattr(model.meta.exposure, field) is None  # not converted to 1, 7 or True
        assert (keyword, value, "") in [(k, v, "") for k, v, _ in model.extra_fits["PRIMARY"]]
        out = model.save(tmp_path / "again.fits")
    with fits.open(out) as hdul:
        assert hdul[0].header[keyword] == value  # written back as it was
    with pytest.warns(InvalidValueWarning), jwstmodels.open(path, pass_invalid_values=True) as kept:
        assert getattr(kept.meta.exposure, field) == value  # in place, unconverted


def test_value_of_another_kind_in_an_asdf_tree(tmp_path: Path) -> None:
    path = tmp_path / "kind.asdf"
    asdf.AsdfFile(
        {"meta": {"model_type": "ImageModel", "exposure": {"nframes": "7", "ngroups": 3}}}
    ).write_to(path)
    with pytest.warns(InvalidValueWarning, match=r"kind\.asdf: meta\.exposure\.nframes: value '7'"):
        model = jwstmodels.open(path)
    with model:
        assert model.meta.exposure.nframes is None
        assert model.meta.exposure.ngroups == 3


def test_junk_datamodl_warns_and_the_class_comes_from_the_data(tmp_path: Path) -> None:
    path = _image(tmp_path / "junk.fits")
    _swap_card(path, b"DATAMODL", b"DATAMODL= 'NotAModel!!'")
    with pytest.warns(InvalidValueWarning, match=r"junk\.fits: DATAMODL 'NotAModel!!' names no model class"):
        model = jwstmodels.open(path)
    with model:
        assert type(model) is ImageModel


def test_truncated_gzip_member_is_an_error_not_fewer_arrays(tmp_path: Path) -> None:
    whole = ImageModel(np.ones((64, 64), np.float32)).save(tmp_path / "whole.fits")
    packed = gzip.compress(whole.read_bytes())
    cut = tmp_path / "cut.fits.gz"
    cut.write_bytes(packed[: len(packed) * 2 // 3])
    with pytest.raises(FileFormatError, match=r"cut\.fits\.gz: not a readable FITS file .*gzip stream"):
        jwstmodels.open(cut)


def test_missing_end_card_is_an_error(tmp_path: Path) -> None:
    path = _image(tmp_path / "noend.fits")
    raw = bytearray(path.read_bytes())
    at = next(i for i in range(0, 2880, 80) if raw[i : i + 8] == b"END     ")
    raw[at : at + 3] = b"   "
    path.write_bytes(bytes(raw))
    with pytest.raises(FileFormatError, match=r"noend\.fits: .*runs into the next HDU \(its END card"):
        jwstmodels.open(path)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            b"BITPIX",
            b"BITPIX  =                  -33",
            r"HDU SCI \(field data\): keyword BITPIX = -33 is not",
        ),
        (
            b"NAXIS   ",
            b"NAXIS   =                    3",
            r"not a readable FITS file \(keyword NAXIS3 is missing from a header",
        ),
        (
            b"NAXIS1  ",
            b"NAXIS1  =            999999999",
            r"not a readable FITS file \(File may have been truncated: .* expected size \(16000007040\)\)$",
        ),
    ],
)
def test_damaged_image_header_names_file_hdu_keyword_and_field(
    tmp_path: Path, old: bytes, new: bytes, message: str
) -> None:
    path = _image(tmp_path / "hdr.fits")
    raw = path.read_bytes()
    at = raw.index(old, 2880)
    path.write_bytes(raw[:at] + new.ljust(80) + raw[at + 80 :])
    with pytest.raises(FileFormatError, match=rf"hdr\.fits: {message}"):
        jwstmodels.open(path)


def test_unparsable_card_is_a_file_format_error(tmp_path: Path) -> None:
    path = _image(tmp_path / "card.fits", INSTRUME="NIRCAM")
    _swap_card(path, b"INSTRUME", b"INSTRUME= 'NIR\x01CAM'")
    with pytest.raises(FileFormatError, match=r"card\.fits: cannot read the FITS file: .*INSTRUME"):
        jwstmodels.read_metadata(path)


def _asdf_with_yaml(path: Path, body: str) -> Path:
    path.write_text(
        f"#ASDF 1.0.0\n#ASDF_STANDARD 1.6.0\n%YAML 1.1\n%TAG ! tag:stsci.edu:asdf/\n{body}\n...\n"
    )
    return path


@pytest.mark.parametrize(
    ("body", "limit"),
    [
        (
            "--- !core/asdf-1.1.0\na0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
            + "\n".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)),
            "more than the limit of 150000 nodes",
        ),
        ("--- !core/asdf-1.1.0\nloop: &loop [1, *loop]", "contains itself"),
        ("--- !core/asdf-1.1.0\ndeep: " + "[" * 900 + "]" * 900, "deeper than the limit of 200 levels"),
    ],
    ids=["billion-laughs", "self-reference", "deep"],
)
def test_hostile_yaml_is_refused_quickly_naming_the_limit(tmp_path: Path, body: str, limit: str) -> None:
    path = _asdf_with_yaml(tmp_path / "bomb.asdf", body)
    start = time.perf_counter()
    for read in (jwstmodels.open, jwstmodels.read_metadata):
        with pytest.raises(FileFormatError, match=rf"bomb\.asdf: the ASDF tree: .*{limit}"):
            read(path)
    assert time.perf_counter() - start < 2


def test_hostile_yaml_in_the_fits_extension(tmp_path: Path) -> None:
    path = ImageModel(np.zeros((2, 2), np.float32)).save(tmp_path / "ext.fits")
    payload = (
        b"#ASDF 1.0.0\n%YAML 1.1\n--- {a: &a [1, 2], b: [" + b", ".join([b"*a"] * 100_000) + b"]}\n...\n"
    )
    column = fits.Column(
        name="ASDF_METADATA", format=f"{len(payload)}B", array=np.frombuffer(payload, np.uint8)[None]
    )
    with fits.open(path) as hdul:
        hdus = [hdu.copy() for hdu in hdul if hdu.name != "ASDF"]
    fits.HDUList([*hdus, fits.BinTableHDU.from_columns([column], name="ASDF")]).writeto(path, overwrite=True)
    with pytest.raises(FileFormatError, match=r"ext\.fits: the ASDF extension: .*limit of 150000 nodes"):
        # at open (eager), or where the tree is first needed whole (a lazy open reads the headers alone)
        jwstmodels.read_metadata(path).model_dump()


def test_asdf_root_that_is_a_list(tmp_path: Path) -> None:
    path = _asdf_with_yaml(tmp_path / "list.asdf", "--- !core/asdf-1.1.0\n- 1\n- 2")
    with pytest.raises(FileFormatError, match=r"list\.asdf: .*not a mapping"):
        jwstmodels.open(path)


def test_damaged_asdf_block_is_named_when_the_array_is_read(tmp_path: Path) -> None:
    path = ImageModel(np.ones((8, 8), np.float32)).save(tmp_path / "block.asdf")
    raw = bytearray(path.read_bytes())
    at = raw.index(b"\xd3BLK") + 22  # the used size of block 0
    raw[at : at + 8] = (2**62).to_bytes(8, "big")
    path.write_bytes(bytes(raw))
    with (
        jwstmodels.open(path) as model,
        pytest.raises(FileFormatError, match=r"block\.asdf: ASDF node data \(ASDF block 0\)"),
    ):
        _ = model.data


def test_update_with_an_array_for_a_metadata_field_applies_nothing() -> None:
    model = ImageModel((2, 2))
    with pytest.raises(ValidationErrors, match=r"meta\.exposure\.nframes"):
        model.update({"meta": {"exposure": {"nframes": np.arange(3), "ngroups": 5}}})
    assert model.meta.exposure.ngroups is None


def test_normal_files_open_without_warnings(tmp_path: Path) -> None:
    model = ImageModel(np.ones((4, 4), np.float32))
    model.meta.exposure.nframes = 3
    model.meta.exposure.zero_frame = True
    for suffix in (".fits", ".asdf", ".fits.gz"):
        path = model.save(tmp_path / f"fine{suffix}")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with jwstmodels.open(path) as again:
                assert again.meta.exposure.nframes == 3 and again.meta.exposure.zero_frame is True
                assert float(np.asarray(again.data).sum()) == 16
