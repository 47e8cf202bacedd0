"""Hundreds of damaged and hostile variants of files the reference implementation writes, each read every way
a user can: the outcome is a clean error naming the file, or a correct model (with a warning where the damage
is visible), within 5 s and 500 MB.

The variants (``_variants.py``) cover FITS with and without the ASDF extension, gzip-compressed FITS, ASDF and
a multi-model FITS file: truncations, bit flips and scrambled bytes, header damage (unparsable cards, wrong
BITPIX/NAXISn, missing END, duplicate keywords, values of another kind, junk DATAMODL), hostile YAML (alias
bombs, fan-out, self-reference, deep nesting, huge documents, wrong roots, python tags), ASDF block damage
(sizes, compression, index) and array-node damage (shape, datatype, source). Each is run through
``jwstmodels.open`` (touching every array, then saving), ``read_metadata``, ``jwstmodels info`` and
``jwstmodels validate`` (``_outcome.py``).
"""

from __future__ import annotations

import gc
import gzip
import os
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile._outcome import check
from tests.hostile._variants import Variant, flip, flip_compressed, variants, write_bases

VARIANTS = variants()


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, bytes]]:
    """The reference's files, written once per session. What is alive after each case (modules, caches) is
    moved out of the collector's sight (``gc.freeze``, undone at the end) so that the collection after each
    step, which blames a file left open on the step that left it, costs milliseconds."""
    written = write_bases(tmp_path_factory.mktemp("reference"))
    gc.collect()
    gc.freeze()
    yield written
    gc.unfreeze()


def test_the_catalogue_is_large_and_covers_every_kind_of_file() -> None:
    kinds = {variant.base for variant in VARIANTS}
    assert len(VARIANTS) >= 300
    assert kinds == {"fits", "plain", "gz", "asdf", "multi"}
    assert sum(variant.expect != "any" for variant in VARIANTS) >= 80


@pytest.mark.parametrize("variant", VARIANTS, ids=[variant.id for variant in VARIANTS])
def test_damaged_file(variant: Variant, bases: dict[str, bytes], tmp_path: Path) -> None:
    path = tmp_path / f"case-{variant.id}{variant.suffix}"
    path.write_bytes(variant.mutate(bases[variant.base]))
    outcome = check(path, tmp_path, variant.expect)
    gc.freeze()  # the step's own collection has run: what is left is alive
    assert not outcome.problems, "\n".join(outcome.problems)
    assert not os.path.exists("/tmp/jwstmodels-pwned"), "a python/object tag ran code"
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".partial-"))
    assert leftovers == [], "a save left a temporary file"


def test_damage_is_seen(bases: dict[str, bytes], tmp_path: Path) -> None:
    """The harness itself: an undamaged file passes every step without a problem, and a case whose damage
    goes unnoticed is reported (here: an undamaged file declared damaged)."""
    path = tmp_path / "whole.fits"
    path.write_bytes(bases["fits"])
    assert check(path, tmp_path, "any").problems == []
    silent = check(path, tmp_path, "loud").problems
    assert any("succeeded without a warning" in problem for problem in silent)


def _decodes_to(data: bytes) -> bytes | None:
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        return None


def test_every_compressed_flip_is_damage(bases: dict[str, bytes]) -> None:
    """A "loud" gzip flip must change what the stream decodes to. Deflate has bits no decoder uses, and the
    reference stamps ``DATE`` when it writes the base, so a plain seeded flip lands on such a bit in a
    session now and then (about 0.7% of the flips): the file is then intact and opens without a warning,
    rightly (the one failure in five full runs). The gz flips redraw until the flip is damage."""
    whole = gzip.decompress(bases["gz"])
    flips = [v for v in VARIANTS if v.base == "gz" and v.name.startswith("flip-")]
    assert len(flips) == 10
    for variant in flips:
        assert _decodes_to(variant.mutate(bases["gz"])) != whole, variant.id
    # this session's base has such bits: seeds whose plain flip leaves the file intact, which the
    # compressed flip of the same seed does not
    region = (0.01, 0.99)
    silent = [seed for seed in range(3000) if _decodes_to(flip(seed, region)(bases["gz"])) == whole]
    assert silent, "no flip landed on an unused bit: the premise of flip_compressed changed"
    for seed in silent[:5]:
        assert _decodes_to(flip_compressed(seed, region)(bases["gz"])) != whole
