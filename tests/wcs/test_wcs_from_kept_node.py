"""``meta.wcs`` of a FITS file is built from the YAML node the extension's reader kept (``_io.asdf_blocks``):
asdf reads the document's blocks and its ``history.extensions`` alone, not the whole document again. What
asdf's open of the whole document gave is still given: its check of the extensions the file names (made
once for a list that passed it), and errors naming the file."""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import asdf
import gwcs
import pytest
from asdf.exceptions import AsdfPackageVersionWarning

import jwstmodels
from jwstmodels import FileFormatError
from jwstmodels._io import asdf_blocks
from jwstmodels._io.fits_lazy import read_mode
from tests.wcs.conftest import assert_same_wcs, imaging_wcs


def _edited(source: Path, path: Path, old: bytes, new: bytes) -> Path:
    """A copy of ``source`` with ``old`` (found once, in the ASDF extension) replaced by ``new``, of the same
    length (the table's layout and the block offsets stay right)."""
    assert len(old) == len(new)
    raw = source.read_bytes()
    assert raw.count(old) == 1
    path.write_bytes(raw.replace(old, new))
    return path


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """asdf's checks of a list of extensions, counted (asdf calls its check at every open: one of a document
    naming none is not counted); the memory of lists that passed it emptied."""
    monkeypatch.setattr(asdf_blocks, "_EXTENSIONS_PASSED", {})
    counted: list[int] = []
    original = asdf.AsdfFile._check_extensions

    def check(self: Any, tree: Any, *args: Any, **kwargs: Any) -> None:
        if "history" in tree:
            counted.append(1)
        original(self, tree, *args, **kwargs)

    monkeypatch.setattr(asdf.AsdfFile, "_check_extensions", check)
    return counted


@pytest.mark.parametrize("mode", ["eager", "lazy"])
def test_a_list_that_passed_is_checked_once(
    mode: str, reference_files: dict[str, Path], checks: list[int], tmp_path: Path
) -> None:
    path = shutil.copy(reference_files[".fits"], tmp_path / "copy.fits")
    with read_mode("lazy" if mode == "lazy" else "eager"):
        for _ in range(3):
            with jwstmodels.open(path) as model:
                assert_same_wcs(model.meta.wcs, imaging_wcs())
    assert len(checks) == 1


def test_a_newer_package_named_in_the_extension_warns_at_every_access(
    reference_files: dict[str, Path], checks: list[int], tmp_path: Path
) -> None:
    installed = f"{{name: gwcs, version: {gwcs.__version__}}}".encode()
    newer = installed.replace(f"version: {gwcs.__version__[0]}".encode(), b"version: 9")
    path = _edited(reference_files[".fits"], tmp_path / "newer.fits", installed, newer)
    for mode in ("lazy", "eager"):
        with read_mode(mode), jwstmodels.open(path) as model:
            with pytest.warns(AsdfPackageVersionWarning, match=r"gwcs==9.*older package \(gwcs=="):
                wcs = model.meta.wcs
            assert_same_wcs(wcs, imaging_wcs())
    assert len(checks) == 2


def test_damaged_blocks_fail_at_the_access_naming_the_file(
    reference_files: dict[str, Path], tmp_path: Path
) -> None:
    """The first block's compression (four bytes after its magic, header size and flags) says none known."""
    raw = reference_files[".fits"].read_bytes()
    start = raw.index(asdf_blocks.BLOCK_MAGIC) + 10
    path = tmp_path / "damaged.fits"
    path.write_bytes(raw[:start] + b"zzzz" + raw[start + 4 :])
    with read_mode("lazy"), jwstmodels.open(path) as model:
        assert model.meta.instrument.name == "NIRCAM"
        with pytest.raises(FileFormatError, match=rf"{path}: the ASDF extension cannot be read by asdf"):
            _ = model.meta.wcs


def test_threads_touching_the_wcs_at_once_get_one_object(reference_files: dict[str, Path]) -> None:
    """One lazily opened model, eight threads reading its WCS together: built once, the same object for all
    (the resolver's and the document's locks), as a second model of the same file reads it too."""
    barrier = threading.Barrier(8)
    with read_mode("lazy"), jwstmodels.open(reference_files[".fits"]) as model:

        def touch() -> object:
            barrier.wait()
            return model.meta.wcs

        with ThreadPoolExecutor(8) as pool:
            found = list(pool.map(lambda _: touch(), range(8)))
        with jwstmodels.open(reference_files[".fits"]) as other:
            assert_same_wcs(other.meta.wcs, imaging_wcs())
    assert all(wcs is found[0] for wcs in found)
    assert_same_wcs(found[0], imaging_wcs())
