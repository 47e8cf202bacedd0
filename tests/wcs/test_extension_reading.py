"""Reading the ``ASDF`` extension of a file the reference wrote, with PyYAML alone: the tree asdf's loader
gives (less what asdf writes about itself) without importing asdf, and asdf's loader otherwise."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from astropy.io import fits

from jwstmodels._io import asdf_in_fits
from jwstmodels._io.asdf_blocks import RawYaml
from tests.wcs.conftest import imaging_wcs, reference_save, st


@pytest.fixture(scope="module")
def reference_image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What the pipeline leaves: an image with its gwcs WCS and nothing else tagged in the tree."""
    model = st.ImageModel((16, 20))
    model.meta.instrument.name = "NIRCAM"
    model.meta.exposure.nframes = 3
    model.meta.wcs = imaging_wcs()
    return reference_save(model, tmp_path_factory.mktemp("reading") / "reference.fits")


def _extension(path: Path) -> tuple[Any, bytes]:
    with fits.open(path) as hdul:
        hdu = hdul["ASDF"]
        raw = bytes(np.asarray(hdu.data[0][0]))
        return hdu.copy(), raw


def _asdf_read(raw: bytes) -> dict[str, Any]:
    """The tree as asdf's tagged loader gives it, arrays of FITS HDUs dropped."""
    import asdf.util

    tree = asdf.util.load_yaml(io.BytesIO(raw), tagged=True)
    return asdf_in_fits.drop_fits_arrays(dict(tree))


def _read(hdu: Any, raw: bytes) -> dict[str, Any]:
    hdu.data = fits.FITS_rec.from_columns(
        [fits.Column(name="ASDF_METADATA", format=f"{len(raw)}B", array=np.frombuffer(raw, np.uint8)[None])]
    )
    return asdf_in_fits.read_tree(hdu, "test.fits")


def test_the_reference_tree_is_read_as_asdf_reads_it(reference_image: Path) -> None:
    hdu, raw = _extension(reference_image)
    ours = _read(hdu, raw)
    theirs = _asdf_read(raw)
    assert "asdf_library" in theirs and "extensions" in theirs["history"]  # what we leave out
    assert "data" not in theirs and "data" not in ours  # the array of the SCI HDU
    del theirs["asdf_library"]
    del theirs["history"]["extensions"]
    assert isinstance(ours["meta"].pop("wcs"), RawYaml)
    del theirs["meta"]["wcs"]
    assert ours == theirs
    assert ours["meta"]["instrument"]["name"] == "NIRCAM" and ours["meta"]["exposure"]["nframes"] == 3


def test_opening_a_reference_file_does_not_import_asdf(reference_image: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        import jwstmodels
        with jwstmodels.open({str(reference_image)!r}) as m:
            assert m.meta.exposure.nframes == 3
            assert m.meta.instrument.name == "NIRCAM"
            assert float(m.data.sum()) == 0.0
            assert "asdf" not in sys.modules, "asdf imported at open"
            m.meta.wcs(1.0, 2.0)
            assert "asdf" in sys.modules
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def _document(body: str) -> bytes:
    return (
        b"#ASDF 1.0.0\n#ASDF_STANDARD 1.6.0\n%YAML 1.1\n%TAG ! tag:stsci.edu:asdf/\n--- !core/asdf-1.1.0\n"
        + textwrap.dedent(body).encode()
        + b"...\n"
    )


def test_a_fits_array_in_a_list_keeps_its_tag(reference_image: Path) -> None:
    """Only arrays in mappings are dropped; one in a list is built by asdf's loader, with its tag."""
    hdu, _ = _extension(reference_image)
    raw = _document(
        """
        data: !core/ndarray-1.1.0 {source: 'fits:SCI,1', datatype: float32, byteorder: big, shape: [2, 2]}
        listed:
        - !core/ndarray-1.1.0 {source: 'fits:DQ,1', datatype: uint32, byteorder: big, shape: [2, 2]}
        meta: {telescope: JWST}
        """
    )
    ours = _read(hdu, raw)
    assert ours == _asdf_read(raw)
    assert "data" not in ours
    assert ours["listed"][0]._tag == "tag:stsci.edu:asdf/core/ndarray-1.1.0"


def test_other_tags_and_block_arrays_go_through_asdfs_loader(reference_image: Path) -> None:
    hdu, _ = _extension(reference_image)
    raw = _document(
        """
        history:
          entries:
          - !core/history_entry-1.0.0 {description: made here}
        meta: {telescope: JWST}
        kept: !core/ndarray-1.1.0 {source: 0, datatype: float64, byteorder: little, shape: [3]}
        """
    )
    ours = _read(hdu, raw)
    assert ours == _asdf_read(raw)
    assert ours["history"]["entries"][0]._tag == "tag:stsci.edu:asdf/core/history_entry-1.0.0"
    assert ours["kept"]._tag == "tag:stsci.edu:asdf/core/ndarray-1.1.0"
