"""History entries are tagged in the ``ASDF`` extension of every pipeline product (``!core/history_entry``,
``!core/software``): reading such a file and saving a model with history to FITS need neither asdf's import
nor its loader; what is written is what asdf's dumper writes, and asdf itself gets its own tagged dicts."""

from __future__ import annotations

import copy
import io
import pickle
import subprocess
import sys
import textwrap
import warnings
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from astropy.io import fits

from jwstmodels import HistoryEntry, ImageModel
from jwstmodels._io import asdf_in_fits
from jwstmodels._io.asdf_blocks import TaggedMapping, asdf_tagged
from jwstmodels._io.history import ENTRY_TAG, SOFTWARE_TAG

SOFTWARE = {"name": "jwst", "author": "STScI", "homepage": "https://example.org/jwst", "version": "1.19"}


@pytest.fixture(scope="module")
def reference_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What the pipeline writes: history entries (one with its software) and nothing else tagged."""
    from stdatamodels.jwst import datamodels as st

    path = tmp_path_factory.mktemp("history") / "reference.fits"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the reference's own deprecation notes
        model = st.ImageModel((4, 5))
        model.meta.instrument.name = "NIRCAM"
        model.add_history_entry("flat-fielded", software=SOFTWARE)
        model.add_history_entry("dark subtracted")
        model.save(path)
        model.close()
    return path


def _extension_bytes(path: Path) -> bytes:
    with fits.open(path) as hdul:
        return bytes(np.asarray(hdul["ASDF"].data[0][0]))


def _run(script: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_reference_file_holds_tagged_history(reference_history: Path) -> None:
    raw = _extension_bytes(reference_history)
    assert b"!core/history_entry-1.0.0" in raw and b"!core/software-1.0.0" in raw


def test_reading_and_saving_history_does_not_import_asdf(reference_history: Path, tmp_path: Path) -> None:
    out = tmp_path / "ours.fits"
    _run(
        f"""
        import sys
        import jwstmodels
        from jwstmodels import HistoryEntry, ImageModel
        with jwstmodels.open({str(reference_history)!r}) as m:
            entries = list(m.meta.history)
            assert [e.description for e in entries] == ["flat-fielded", "dark subtracted"], entries
            assert entries[0].software is not None and entries[0].software.name == "jwst"
            assert entries[0].time is not None
            assert "asdf" not in sys.modules, "asdf imported to read the history"
            m.meta.history.append(HistoryEntry(description="resampled"))
            m.save({str(out)!r})
        assert "asdf" not in sys.modules, "asdf imported to save the history"
        fresh = ImageModel((2, 2))
        fresh.meta.history.append(HistoryEntry(description="new", software={SOFTWARE!r}))
        fresh.save({str(tmp_path / "fresh.fits")!r})
        assert "asdf" not in sys.modules, "asdf imported to save a new model's history"
        """
    )
    raw = _extension_bytes(out)
    assert raw.count(b"!core/history_entry-1.0.0") == 3 and b"!core/software-1.0.0" in raw
    with ImageModel(out) as back:
        assert [e.description for e in back.meta.history] == ["flat-fielded", "dark subtracted", "resampled"]
        software = back.meta.history[0].software
        assert software is not None and software.version == "1.19"


def test_another_tag_still_goes_through_asdfs_loader(reference_history: Path, tmp_path: Path) -> None:
    """The control: the subprocess check sees asdf's import when the extension holds a tag of another kind."""
    raw = _extension_bytes(reference_history).replace(
        b"meta:\n", b"meta:\n  thing: !core/complex-1.0.0 1+2j\n", 1
    )
    assert b"thing:" in raw
    column = fits.Column(
        name=asdf_in_fits.COLUMN_NAME, format=f"{len(raw)}B", array=np.frombuffer(raw, np.uint8)[None]
    )
    edited = tmp_path / "edited.fits"
    with fits.open(reference_history) as hdul:
        kept = [hdu.copy() for hdu in hdul if hdu.name != "ASDF"]
        fits.HDUList([*kept, fits.BinTableHDU.from_columns([column], name="ASDF")]).writeto(edited)
    out = _run(
        f"""
        import sys
        import jwstmodels
        with jwstmodels.open({str(edited)!r}) as m:
            print([e.description for e in m.meta.history])
        print("asdf" in sys.modules)
        """
    )
    assert out.split("\n")[:2] == ["['flat-fielded', 'dark subtracted']", "True"]


def test_tagged_entries_are_dumped_as_asdf_dumps_them() -> None:
    import asdf.tagged
    import asdf.versioning

    entry = {"description": "d", "software": TaggedMapping(SOFTWARE, SOFTWARE_TAG)}
    ours: dict[str, Any] = {"history": {"entries": [TaggedMapping(entry, ENTRY_TAG)]}}
    software = asdf.tagged.TaggedDict(SOFTWARE, SOFTWARE_TAG)
    tagged = asdf.tagged.TaggedDict({"description": "d", "software": software}, ENTRY_TAG)
    theirs = {"history": {"entries": [tagged]}}
    root = asdf.tagged.TaggedDict(theirs, "tag:stsci.edu:asdf/core/asdf-1.1.0")
    expected = asdf_in_fits._dump(root, asdf_in_fits._dumper(), str(asdf.versioning.default_version))
    assert asdf_in_fits._yaml_document(ours) == expected
    # with an object only asdf's dumper writes, the entries go through it too
    ours["meta"] = {"o": OrderedDict([("b", 1)])}
    assert b"!core/history_entry-1.0.0" in asdf_in_fits._yaml_document(ours)


def test_the_untagged_reader_reads_entries_as_asdf_does(reference_history: Path) -> None:
    import asdf.util

    raw = _extension_bytes(reference_history)
    theirs = asdf.util.load_yaml(io.BytesIO(raw), tagged=True)["history"]["entries"]
    ours = asdf_in_fits._load_untagged(raw, "test.fits")
    assert isinstance(ours, dict)
    entries = ours["history"]["entries"]
    assert all(isinstance(entry, TaggedMapping) for entry in entries)
    assert entries == list(theirs) and entries[0]["software"].tag == SOFTWARE_TAG
    assert entries != [dict(entry) for entry in entries]  # the tag counts in the comparison


def test_tagged_mapping_copies_and_pickles() -> None:
    entry = TaggedMapping({"description": "d", "software": TaggedMapping(SOFTWARE, SOFTWARE_TAG)}, ENTRY_TAG)
    for other in (copy.copy(entry), copy.deepcopy(entry), pickle.loads(pickle.dumps(entry))):
        assert type(other) is TaggedMapping and other == entry and other.tag == ENTRY_TAG
        assert type(other["software"]) is TaggedMapping
    assert copy.deepcopy(entry)["software"] is not entry["software"]
    assert entry != TaggedMapping(dict(entry), SOFTWARE_TAG)


def test_asdf_gets_its_own_tagged_dicts(tmp_path: Path) -> None:
    import asdf
    import asdf.tagged

    entry = TaggedMapping({"description": "d", "software": TaggedMapping(SOFTWARE, SOFTWARE_TAG)}, ENTRY_TAG)
    plain: dict[str, Any] = {"meta": {"a": 1}}
    assert asdf_tagged(plain) is plain  # nothing to convert: not copied
    tree = {"meta": {"a": 1}, "history": {"entries": [entry]}}
    converted: Any = asdf_tagged(tree)
    assert converted["meta"] is tree["meta"]
    first = converted["history"]["entries"][0]
    assert isinstance(first, asdf.tagged.TaggedDict) and first._tag == ENTRY_TAG
    assert isinstance(first["software"], asdf.tagged.TaggedDict) and first["software"]._tag == SOFTWARE_TAG
    model = ImageModel((2, 2))
    model.meta.history.append(HistoryEntry(description="saved", software=SOFTWARE))
    path = model.save(tmp_path / "ours.asdf")
    text = Path(path).read_bytes()
    assert b"!core/history_entry-1.0.0" in text and b"!core/software-1.0.0" in text
    with asdf.open(path) as af:
        assert af.tree["history"]["entries"][0]["description"] == "saved"


def test_entries_written_by_asdf_keep_their_tags() -> None:
    """A tree holding an object only asdf writes (an ndarray in the metadata): asdf writes the document, the
    history entries given to it as its own tagged dicts."""
    entry = TaggedMapping({"description": "d", "software": TaggedMapping(SOFTWARE, SOFTWARE_TAG)}, ENTRY_TAG)
    payload = asdf_in_fits.extension_payload(
        {"history": {"entries": [entry]}, "meta": {"curve": np.arange(3.0)}}
    )
    assert b"curve: !core/ndarray-" in payload
    assert b"!core/history_entry-1.0.0" in payload and b"!core/software-1.0.0" in payload
