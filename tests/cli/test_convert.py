"""``jwstmodels convert IN OUT``: FITS to ASDF and back through the models, losing nothing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits

import jwstmodels
from jwstmodels import DataModel, MetaNode
from tests.cli.conftest import Run


def test_fits_to_asdf_and_back_loses_nothing(run: Run, image_fits: Path, tmp_path: Path) -> None:
    asdf_path, back = tmp_path / "converted.asdf", tmp_path / "back.fits"
    first = run("convert", image_fits, asdf_path)
    assert first.code == 0, first.stdout + first.stderr
    assert (
        first.stdout.strip() == f"{image_fits} -> {asdf_path}: ImageModel, FITS to ASDF; read back: identical"
    )
    second = run("convert", asdf_path, back)
    assert second.code == 0, second.stdout + second.stderr
    assert "ASDF to FITS; read back: identical" in second.stdout
    assert run("diff", "-i", "meta.date", "-i", "meta.filename", image_fits, back).code == 0
    with jwstmodels.open(image_fits) as before, jwstmodels.open(back) as after:
        assert after.meta.exposure.nframes == before.meta.exposure.nframes == 4
        assert after.meta.observation.program_number == "01234"
        np.testing.assert_array_equal(after.data, before.data)
        np.testing.assert_array_equal(after.dq, before.dq)
        assert after.extra_fits["PRIMARY"] == [("OBSERVER", "Hubble", "who looked")]
        assert after.meta.filename == "back.fits"


def test_tables_survive_conversion(run: Run, ramp_fits: Path, tmp_path: Path) -> None:
    out = tmp_path / "ramp.asdf"
    result = run("convert", ramp_fits, out)
    assert result.code == 0, result.stdout + result.stderr
    with jwstmodels.open(ramp_fits) as before, jwstmodels.open(out) as after:
        assert type(after).__name__ == "RampModel"
        for column in ("integration_number", "group_end_time", "bary_end_time"):
            np.testing.assert_array_equal(after.group[column], before.group[column])


def test_values_that_do_not_fit_are_carried_over_with_a_warning(
    run: Run, invalid_fits: Path, tmp_path: Path
) -> None:
    asdf_path, back = tmp_path / "invalid.asdf", tmp_path / "invalid_back.fits"
    first = run("convert", invalid_fits, asdf_path)
    assert first.code == 0, first.stdout + first.stderr
    assert "NFRAMES" in first.stderr and first.stderr.startswith("warning: ")
    assert run("convert", asdf_path, back).code == 0
    with fits.open(back) as hdul:
        assert hdul[0].header["NFRAMES"] == "lots"
        assert hdul[0].header["INSTRUME"] == "HUBBLE"
        assert hdul[0].header["NGROUPS"] == 4


def test_existing_output_is_kept_unless_overwrite(run: Run, image_fits: Path, tmp_path: Path) -> None:
    out = tmp_path / "taken.asdf"
    out.write_text("precious")
    refused = run("convert", image_fits, out)
    assert refused.code == 2
    assert refused.stderr.strip() == f"jwstmodels: {out}: exists; --overwrite replaces it"
    assert out.read_text() == "precious"
    replaced = run("convert", "--overwrite", image_fits, out)
    assert replaced.code == 0, replaced.stderr
    with jwstmodels.open(out) as model:
        assert model.meta.exposure.nframes == 4


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("out.txt", "cannot tell the format from the suffix; use .fits or .asdf"),
        ("no/such/folder/out.asdf", "no such folder no/such/folder"),
        (".", "is a directory"),
    ],
)
def test_bad_output_names_are_refused(
    run: Run, image_fits: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, problem: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("convert", image_fits, target)
    assert result.code == 2
    assert result.stderr.startswith(f"jwstmodels: {target}: {problem}")
    assert len(result.stderr.splitlines()) == 1


def test_converting_onto_the_input_is_refused(run: Run, image_fits: Path) -> None:
    before = image_fits.read_bytes()
    result = run("convert", "--overwrite", image_fits, image_fits)
    assert result.code == 2
    assert "is the input file" in result.stderr
    assert image_fits.read_bytes() == before


def test_bad_input_file(run: Run, bad_inputs: dict[str, tuple[Path, str]], tmp_path: Path) -> None:
    for path, problem in bad_inputs.values():
        result = run("convert", path, tmp_path / "out.asdf")
        assert result.code == 2, path
        assert result.stderr.startswith(f"jwstmodels: {path}: ") and problem in result.stderr
        assert not (tmp_path / "out.asdf").exists()


def test_a_writer_that_loses_something_is_caught_by_the_read_back(
    run: Run, image_fits: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The verification compares the written file with the model: a lossy writer is an exit status 1."""
    real_to_asdf = DataModel.to_asdf

    def lossy_to_asdf(self: DataModel[MetaNode], path: str | Path, *args: object, **kwargs: object) -> Path:
        kept = self.extra_fits
        self.extra_fits = {}
        try:
            return real_to_asdf(self, path, *args, **kwargs)
        finally:
            self.extra_fits = kept

    monkeypatch.setattr(DataModel, "to_asdf", lossy_to_asdf)
    out = tmp_path / "lossy.asdf"
    result = run("convert", image_fits, out)
    assert result.code == 1
    assert f"{out}: written, but reading it back differs from {image_fits}" in result.stderr
    row = next(line for line in result.stdout.splitlines() if "extra_fits.PRIMARY.OBSERVER" in line)
    assert "'Hubble'" in row and "(absent)" in row
    unchecked = run("convert", "--no-verify", "--overwrite", image_fits, out)
    assert unchecked.code == 0 and "(not verified)" in unchecked.stdout
