"""Damaged and hostile variants of files the reference implementation (stdatamodels) writes.

Each variant is a pure function of the base file's bytes, so the list of cases is fixed at collection time and
every run builds the same files. ``expect`` says what the outcome may be besides a clean error: ``"any"``
(a clean error or a model), ``"loud"`` (a clean error, or a model with a warning: the file was changed in a
way the reader can see).
"""

from __future__ import annotations

import gzip
import io
import random
import re
import warnings
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

Mutate = Callable[[bytes], bytes]


@dataclass(frozen=True)
class Variant:
    base: str  # "fits" (with the ASDF extension), "plain" (without it), "gz", "asdf", "multi"
    name: str
    mutate: Mutate
    expect: str = "any"
    """"any": a clean error or a model; "loud": also, a step that succeeds must warn (open, read_metadata,
    info); "loud-data": the same for the steps that read array data (open, info)."""

    @property
    def id(self) -> str:
        return f"{self.base}-{self.name}"

    @property
    def suffix(self) -> str:
        return {"gz": ".fits.gz", "asdf": ".asdf"}.get(self.base, ".fits")


# -- base files, written by the reference ---------------------------------------------------------------


def write_bases(folder: Path) -> dict[str, bytes]:
    """The reference's files: an ImageModel as FITS (with and without the ASDF extension), gzip-compressed
    FITS and ASDF, and a MultiSlitModel as FITS."""
    from astropy.io import fits

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from stdatamodels.jwst import datamodels

        image = datamodels.ImageModel(np.arange(48 * 64, dtype=np.float32).reshape(48, 64))
        image.dq = np.ones((48, 64), np.uint32)
        image.err = np.full((48, 64), 0.5, np.float32)
        image.meta.exposure.nframes = 4
        image.meta.exposure.ngroups = 7
        image.meta.instrument.name = "NIRCAM"
        image.meta.observation.date = "2024-01-01"
        image.save(folder / "image.fits")
        image.save(folder / "image.asdf")
        multi = datamodels.MultiSlitModel()
        for index in range(2):
            slit = datamodels.SlitModel(np.full((5, 7), index, np.float32))
            slit.name = f"S{index}"
            multi.slits.append(slit)
        multi.meta.exposure.nframes = 2
        multi.save(folder / "multi.fits")
    raw = (folder / "image.fits").read_bytes()
    with fits.open(io.BytesIO(raw)) as hdul:
        plain = io.BytesIO()
        fits.HDUList([hdu for hdu in hdul if hdu.name != "ASDF"]).writeto(plain)
    return {
        "fits": raw,
        "plain": plain.getvalue(),
        "gz": gzip.compress(raw, mtime=0),
        "asdf": (folder / "image.asdf").read_bytes(),
        "multi": (folder / "multi.fits").read_bytes(),
    }


# -- FITS helpers -------------------------------------------------------------------------------------------


def _hdu_starts(raw: bytes) -> list[int]:
    starts = [0]
    for match in re.finditer(rb"XTENSION= ", raw):
        if match.start() % 2880 == 0:
            starts.append(match.start())
    return starts


def _card_at(raw: bytes, keyword: str, hdu: int = 0) -> int:
    """Offset of the first card ``keyword`` in HDU number ``hdu``."""
    start = _hdu_starts(raw)[hdu]
    key = keyword.encode().ljust(8)
    at = start
    while True:
        at = raw.index(key, at)
        if (at - start) % 80 == 0:
            return at
        at += 1


def _card(image: str) -> bytes:
    return image.encode("latin-1").ljust(80)[:80]


def set_card(keyword: str, image: str, hdu: int = 0) -> Mutate:
    def mutate(raw: bytes) -> bytes:
        at = _card_at(raw, keyword, hdu)
        return raw[:at] + _card(image) + raw[at + 80 :]

    return mutate


def put_card(image: str, hdu: int = 0) -> Mutate:
    """Write a card over the first blank card of the HDU (the header keeps its size)."""

    def mutate(raw: bytes) -> bytes:
        start = _hdu_starts(raw)[hdu]
        at = start
        while raw[at : at + 80] != b" " * 80:
            if raw[at : at + 8] == b"END     ":  # no blank card before END: write over END, END after it
                return raw[:at] + _card(image) + _card("END") + raw[at + 160 :]
            at += 80
        return raw[:at] + _card(image) + raw[at + 80 :]

    return mutate


def drop_card(keyword: str, hdu: int = 0) -> Mutate:
    return set_card(keyword, "", hdu)


def replace_extension(payload: bytes) -> Mutate:
    """The FITS file with its ASDF extension holding ``payload`` instead."""

    def mutate(raw: bytes) -> bytes:
        from astropy.io import fits

        with fits.open(io.BytesIO(raw)) as hdul:
            column = fits.Column(
                name="ASDF_METADATA",
                format=f"{max(len(payload), 1)}B",
                array=np.frombuffer(payload or b"\0", np.uint8)[np.newaxis, :],
            )
            hdus = [hdu for hdu in hdul if hdu.name != "ASDF"]
            hdus.append(fits.BinTableHDU.from_columns([column], name="ASDF"))
            out = io.BytesIO()
            fits.HDUList(hdus).writeto(out)
        return out.getvalue()

    return mutate


# -- ASDF helpers -------------------------------------------------------------------------------------------

_END = b"\n...\n"


def split_asdf(raw: bytes) -> tuple[bytes, bytes, bytes]:
    """(header lines, YAML document, blocks and index) of an ASDF file."""
    start = raw.index(b"%YAML")
    end = raw.index(_END) + len(_END)
    return raw[:start], raw[start:end], raw[end:]


def replace_yaml(edit: Callable[[str], str]) -> Mutate:
    def mutate(raw: bytes) -> bytes:
        head, document, rest = split_asdf(raw)
        return head + edit(document.decode()).encode() + rest

    return mutate


def sub(old: str, new: str, count: int = 1) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, count)

    return edit


def whole_document(body: str) -> Callable[[str], str]:
    """A document of our own after the ASDF root tag line."""

    def edit(text: str) -> str:
        return text[: text.index("--- ")] + body + "\n...\n"

    return edit


def _blocks(raw: bytes) -> list[int]:
    return [m.start() for m in re.finditer(rb"\xd3BLK", raw)]


def block_field(block: int, offset: int, value: bytes) -> Mutate:
    """Overwrite bytes of block header ``block``, at ``offset`` from the block magic: the magic at 0, header
    size 4, flags 6, compression 10, allocated size 14, used size 22, data size 30, checksum 38."""

    def mutate(raw: bytes) -> bytes:
        at = _blocks(raw)[block] + offset
        return raw[:at] + value + raw[at + len(value) :]

    return mutate


# -- generic byte damage -----------------------------------------------------------------------------------


def truncate(fraction: float, minus: int = 0) -> Mutate:
    def mutate(raw: bytes) -> bytes:
        return raw[: max(int(len(raw) * fraction) - minus, 0)]

    return mutate


def flip(seed: int, region: tuple[float, float] = (0.0, 1.0)) -> Mutate:
    def mutate(raw: bytes) -> bytes:
        rng = random.Random(seed)
        data = bytearray(raw)
        at = rng.randrange(int(len(raw) * region[0]), int(len(raw) * region[1]))
        data[at] ^= 1 << rng.randrange(8)
        return bytes(data)

    return mutate


def flip_compressed(seed: int, region: tuple[float, float]) -> Mutate:
    """A bit flip in a gzip stream that changes what the stream holds. Deflate has bits a decoder never uses
    (about 0.7% of the flips in the region of our base decode to the very same bytes, checksum included: no
    reader can see them), and the base changes from one session to the next (the reference stamps ``DATE``
    when it saves), so a seed would land on such a bit now and then: a "loud" case with no damage at all.
    The next position the seed draws is taken until the flip changes the decoded bytes or breaks the
    stream."""

    def mutate(raw: bytes) -> bytes:
        rng = random.Random(seed)
        whole = gzip.decompress(raw)
        while True:
            data = bytearray(raw)
            at = rng.randrange(int(len(raw) * region[0]), int(len(raw) * region[1]))
            data[at] ^= 1 << rng.randrange(8)
            try:
                if gzip.decompress(bytes(data)) == whole:
                    continue  # a bit the decoder does not use: no damage
            except (OSError, EOFError, zlib.error):
                pass
            return bytes(data)

    return mutate


def scramble(seed: int, region: tuple[float, float]) -> Mutate:
    """A run of 1-8 random bytes (often control characters) in a region."""

    def mutate(raw: bytes) -> bytes:
        rng = random.Random(seed)
        data = bytearray(raw)
        at = rng.randrange(int(len(raw) * region[0]), int(len(raw) * region[1]))
        for i in range(rng.randrange(1, 9)):
            if at + i < len(data):
                data[at + i] = rng.randrange(256)
        return bytes(data)

    return mutate


def gzipped(mutate: Mutate) -> Mutate:
    """The same damage inside the compressed file: decompress the gz base, damage, compress."""

    def inner(raw: bytes) -> bytes:
        return gzip.compress(mutate(gzip.decompress(raw)), mtime=0)

    return inner


# -- hostile YAML -------------------------------------------------------------------------------------------


def billion_laughs(levels: int = 9, fan: int = 10) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * fan)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines)


def fan_out(width: int = 1000, refs: int = 20000) -> str:
    items = ", ".join(str(i) for i in range(width))
    return f"big: &big [{items}]\nfan: [{', '.join(['*big'] * refs)}]"


def deep_block(depth: int) -> str:
    levels = "".join("  " * (i + 1) + f"k{i}:\n" for i in range(depth))
    return "deep:\n" + levels + "  " * (depth + 1) + "end: 1"


def deep_flow(depth: int) -> str:
    return "deep: " + "[" * depth + "]" * depth


MERGE_BOMB = "\n".join(
    ["m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}"]
    + [f"m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 8)}], x{i}: 1}}" for i in range(1, 9)]
)

META = "meta: {model_type: ImageModel, exposure: {nframes: 4}}"
EXPOSURE = "--- !core/asdf-1.1.0\nmeta: {model_type: ImageModel, exposure: {"
"""The start of a document whose exposure group follows."""

HOSTILE_DOCUMENTS: dict[str, tuple[str, str]] = {
    # name: (YAML after the root tag, expect)
    "laughs": (f"--- !core/asdf-1.1.0\n{META}\n{billion_laughs()}", "any"),
    "laughs-in-meta": (
        "--- !core/asdf-1.1.0\nmeta:\n  model_type: ImageModel\n  exposure:\n    "
        + billion_laughs().replace("\n", "\n    "),
        "any",
    ),
    "fan-out": (f"--- !core/asdf-1.1.0\n{META}\n{fan_out()}", "any"),
    "merge-bomb": (f"--- !core/asdf-1.1.0\n{META}\n{MERGE_BOMB}", "any"),
    "recursive-alias": (f"--- !core/asdf-1.1.0\n{META}\nloop: &loop [1, *loop]", "any"),
    "recursive-map": (f"--- !core/asdf-1.1.0\n{META}\nloop: &loop {{a: *loop}}", "any"),
    "deep-block-900": (f"--- !core/asdf-1.1.0\n{META}\n{deep_block(900)}", "any"),
    "deep-flow-990": (f"--- !core/asdf-1.1.0\n{META}\n{deep_flow(990)}", "any"),
    "deep-flow-5000": (f"--- !core/asdf-1.1.0\n{META}\n{deep_flow(5000)}", "any"),
    "deep-meta-600": (
        "--- !core/asdf-1.1.0\nmeta:\n  model_type: ImageModel\n  exposure:\n"
        + "".join("  " * (i + 2) + f"k{i}:\n" for i in range(600))
        + "  " * 602
        + "end: 1",
        "any",
    ),
    "many-keys": (
        "--- !core/asdf-1.1.0\n" + META + "\nwide: {" + ", ".join(f"k{i}: {i}" for i in range(120000)) + "}",
        "any",
    ),
    "long-key": (f"--- !core/asdf-1.1.0\n{META}\n" + "k" * 2_000_000 + ": 1", "any"),
    "root-list": ("--- !core/asdf-1.1.0\n- 1\n- 2", "any"),
    "root-plain-list": ("---\n- meta\n- 2", "any"),
    "root-scalar": ("--- just a string", "any"),
    "root-null": ("---\n", "any"),
    "meta-list": ("--- !core/asdf-1.1.0\nmeta: [1, 2, 3]", "any"),
    "meta-string": ("--- !core/asdf-1.1.0\nmeta: hello", "any"),
    "exposure-list": ("--- !core/asdf-1.1.0\nmeta: {model_type: ImageModel, exposure: [4]}", "loud"),
    "nframes-string": (EXPOSURE + "nframes: '7'}}", "loud"),
    "nframes-bool": (EXPOSURE + "nframes: true}}", "loud"),
    "nframes-float": (EXPOSURE + "nframes: 2.5}}", "loud"),
    "nframes-huge": (
        EXPOSURE + "nframes: 1e400}}",
        "any",
    ),
    "zeroframe-yes": (EXPOSURE + "zero_frame: 'yes'}}", "loud"),
    "model-type-junk": (
        "--- !core/asdf-1.1.0\nmeta: {model_type: 'Not a model!', exposure: {nframes: 4}}",
        "loud",
    ),
    "model-type-number": ("--- !core/asdf-1.1.0\nmeta: {model_type: 12, exposure: {nframes: 4}}", "loud"),
    "python-object": (
        f"--- !core/asdf-1.1.0\n{META}\n"
        "evil: !!python/object/apply:os.system ['touch /tmp/jwstmodels-pwned']",
        "any",
    ),
    "unknown-tag": (f"--- !core/asdf-1.1.0\n{META}\nthing: !<tag:example.org/thing-1.0.0> {{a: 1}}", "loud"),
    "syntax-error": (f"--- !core/asdf-1.1.0\n{META}\nbroken: [1, 2", "any"),
    "tab-indent": ("--- !core/asdf-1.1.0\nmeta:\n\tmodel_type: ImageModel", "any"),
    "two-documents": (f"--- !core/asdf-1.1.0\n{META}\n...\n--- !core/asdf-1.1.0\n{META}", "any"),
    "timestamp": (
        "--- !core/asdf-1.1.0\nmeta: {model_type: ImageModel, observation: {date: 2024-01-01}}",
        "any",
    ),
    "duplicate-key": (
        EXPOSURE + "nframes: 4, nframes: 5}}",
        "any",
    ),
    "ndarray-bad-source": (
        f"--- !core/asdf-1.1.0\n{META}\ndata: !core/ndarray-1.1.0 {{source: 99, datatype: float32, "
        "byteorder: little, shape: [48, 64]}",
        "any",
    ),
    "ndarray-inline-ragged": (
        f"--- !core/asdf-1.1.0\n{META}\ndata: !core/ndarray-1.1.0 {{data: [[1, 2], [3]], datatype: float32}}",
        "any",
    ),
}


def extension_payload(body: str) -> bytes:
    return (
        "#ASDF 1.0.0\n#ASDF_STANDARD 1.6.0\n%YAML 1.1\n%TAG ! tag:stsci.edu:asdf/\n" + body + "\n...\n"
    ).encode()


# -- the catalogue -------------------------------------------------------------------------------------------


def _header_damage() -> list[tuple[str, Mutate, str]]:
    """Damage to FITS headers of the image files (HDU 1 is SCI, 2 DQ, 3 ERR, 4 the ASDF extension)."""
    return [
        ("nframes-nan", set_card("NFRAMES", "NFRAMES =                  NaN"), "any"),
        ("instrume-control", set_card("INSTRUME", "INSTRUME= 'NIR\x01CAM'"), "any"),
        ("instrume-open-quote", set_card("INSTRUME", "INSTRUME= 'NIRCAM  "), "any"),
        ("nframes-no-equals", set_card("NFRAMES", "NFRAMES   4"), "any"),
        ("nframes-duplicate", put_card("NFRAMES =                    9"), "loud"),
        ("nframes-bool", set_card("NFRAMES", "NFRAMES =                    T"), "loud"),
        ("nframes-string", set_card("NFRAMES", "NFRAMES = '7'"), "loud"),
        ("nframes-float", set_card("NFRAMES", "NFRAMES =                  1.5"), "loud"),
        ("nframes-huge", set_card("NFRAMES", "NFRAMES = 999999999999999999999999999"), "any"),
        ("ngroups-word", set_card("NGROUPS", "NGROUPS = 'seven'"), "loud"),
        ("zerofram-yes", put_card("ZEROFRAM= 'yes'"), "loud"),
        ("datamodl-junk", set_card("DATAMODL", "DATAMODL= 'NotAModel!!'"), "loud"),
        ("datamodl-number", set_card("DATAMODL", "DATAMODL=                   12"), "loud"),
        ("datamodl-other", set_card("DATAMODL", "DATAMODL= 'MultiSlitModel'"), "any"),
        ("lowercase-keyword", set_card("NFRAMES", "nframes =                    4"), "any"),
        ("non-ascii-comment", set_card("NFRAMES", "NFRAMES =                    4 / caf\xe9"), "loud"),
        ("end-missing", set_card("END", ""), "loud"),
        ("end-damaged", set_card("END", "EMD"), "loud"),
        ("sci-end-missing", set_card("END", "", hdu=1), "loud"),
        ("simple-false", set_card("SIMPLE", "SIMPLE  =                    F"), "any"),
        ("primary-naxis-2", set_card("NAXIS", "NAXIS   =                    2"), "loud"),
        ("sci-bitpix-33", set_card("BITPIX", "BITPIX  =                  -33", hdu=1), "loud"),
        ("sci-bitpix-7", set_card("BITPIX", "BITPIX  =                    7", hdu=1), "loud"),
        ("sci-bitpix-missing", drop_card("BITPIX", hdu=1), "loud"),
        ("sci-bitpix-string", set_card("BITPIX", "BITPIX  = 'float'", hdu=1), "loud"),
        ("sci-naxis-3", set_card("NAXIS", "NAXIS   =                    3", hdu=1), "loud"),
        ("sci-naxis-missing", drop_card("NAXIS", hdu=1), "loud"),
        ("sci-naxis1-huge", set_card("NAXIS1", "NAXIS1  =            999999999", hdu=1), "loud"),
        ("sci-naxis2-negative", set_card("NAXIS2", "NAXIS2  =                   -5", hdu=1), "loud"),
        ("sci-naxis1-missing", drop_card("NAXIS1", hdu=1), "loud"),
        ("sci-xtension-damaged", set_card("XTENSION", "XTENSIOM= 'IMAGE   '", hdu=1), "loud"),
        ("sci-extname-err", set_card("EXTNAME", "EXTNAME = 'ERR'", hdu=1), "any"),
        ("sci-bscale-zero", put_card("BSCALE  =                    0", hdu=1), "any"),
        ("dq-bzero-missing", drop_card("BZERO", hdu=2), "any"),
        ("dq-bitpix-float", set_card("BITPIX", "BITPIX  =                  -32", hdu=2), "loud"),
        ("err-pcount-huge", set_card("PCOUNT", "PCOUNT  =         999999999999", hdu=3), "loud"),
        ("err-gcount-zero", set_card("GCOUNT", "GCOUNT  =                    0", hdu=3), "any"),
    ]


def _extension_damage() -> list[tuple[str, Mutate, str]]:
    return [
        ("ext-naxis1-huge", set_card("NAXIS1", "NAXIS1  =          99999999999", hdu=4), "loud"),
        ("ext-tform-huge", set_card("TFORM1", "TFORM1  = '99999999B'", hdu=4), "loud"),
        ("ext-tform-junk", set_card("TFORM1", "TFORM1  = 'QQQ'", hdu=4), "loud"),
        ("ext-pcount-huge", set_card("PCOUNT", "PCOUNT  =         999999999999", hdu=4), "loud"),
        ("ext-naxis2-zero", set_card("NAXIS2", "NAXIS2  =                    0", hdu=4), "any"),
        ("ext-empty", replace_extension(b""), "any"),
        ("ext-not-utf8", replace_extension(b"#ASDF 1.0.0\n%YAML 1.1\n--- {meta: \xff\xfe}\n...\n"), "any"),
        ("ext-garbage", replace_extension(bytes(range(256)) * 4), "any"),
    ]


INDEX = b"#ASDF BLOCK INDEX\n%YAML 1.1\n"
NDARRAY = "data: !core/ndarray-1.1.0\n"


def _node(old: str, new: str) -> Mutate:
    return replace_yaml(sub(old, new))


def _block_damage() -> list[tuple[str, Mutate, str]]:
    huge = (2**62).to_bytes(8, "big")
    return [
        ("block-allocated-huge", block_field(0, 14, huge), "loud-data"),
        ("block-used-huge", block_field(0, 22, huge), "loud-data"),
        ("block-data-size-huge", block_field(0, 30, huge), "loud-data"),
        ("block-all-sizes-huge", block_field(1, 14, huge * 3), "loud-data"),
        ("block-used-over-allocated", block_field(1, 22, (20000).to_bytes(8, "big")), "loud-data"),
        ("block-data-size-small", block_field(0, 30, (8).to_bytes(8, "big")), "loud-data"),
        ("block-magic", block_field(1, 0, b"XBLK"), "any"),
        ("block-header-size-huge", block_field(0, 4, b"\xff\xff"), "loud-data"),
        ("block-header-size-small", block_field(0, 4, b"\x00\x02"), "loud-data"),
        ("block-zlib-not-compressed", block_field(0, 10, b"zlib"), "loud-data"),
        ("block-bzp2-not-compressed", block_field(1, 10, b"bzp2"), "loud-data"),
        ("block-unknown-compression", block_field(2, 10, b"xxxx"), "loud-data"),
        ("block-checksum", block_field(0, 38, b"\0" * 16), "any"),
        ("block-flags-streamed", block_field(2, 6, b"\0\0\0\1"), "any"),
        ("index-damaged", replace_index(INDEX + b"--- [1, 2, 999999999999]\n...\n"), "any"),
        ("index-junk", replace_index(INDEX + b"--- {a: [\n"), "any"),
        ("shape-huge", _node("shape: [48, 64]", "shape: [1000000000000, 1000000000000]"), "loud-data"),
        ("shape-negative", _node("shape: [48, 64]", "shape: [-48, 64]"), "loud-data"),
        ("shape-text", _node("shape: [48, 64]", "shape: [a, b]"), "loud-data"),
        ("shape-scalar", _node("shape: [48, 64]", "shape: 7"), "loud-data"),
        ("shape-3d", _node("shape: [48, 64]", "shape: [3, 16, 64]"), "any"),
        ("shape-larger", _node("shape: [48, 64]", "shape: [96, 64]"), "loud-data"),
        ("shape-smaller", _node("shape: [48, 64]", "shape: [8, 64]"), "any"),
        ("datatype-junk", _node("datatype: float32", "datatype: float99"), "loud-data"),
        ("datatype-list", _node("datatype: float32", "datatype: [ascii, 5]"), "any"),
        ("datatype-structured", _node("datatype: float32", "datatype: [{name: a}]"), "any"),
        ("byteorder-junk", _node("byteorder: little", "byteorder: middle"), "loud-data"),
        ("source-missing", _node("source: 1\n", "source: 17\n"), "loud-data"),
        ("source-negative", _node("source: 0\n", "source: -7\n"), "loud-data"),
        ("source-url", _node("source: 0\n", "source: 'file:///etc/passwd'\n"), "loud-data"),
        ("source-text", _node("source: 0\n", "source: [1, 2]\n"), "loud-data"),
        ("offset-huge", _node("source: 0\n", "source: 0\n  offset: 1000000000000000\n"), "loud-data"),
        ("strides-zero", _node("source: 0\n", "source: 0\n  strides: [0, 0]\n"), "any"),
        ("strides-huge", _node("source: 0\n", "source: 0\n  strides: [99999999, 4]\n"), "loud-data"),
        ("data-string", _node(NDARRAY, "data: hello\nx" + NDARRAY), "any"),
        ("data-untagged", _node(NDARRAY, "data:\n"), "any"),
        ("data-tag-unknown", _node(NDARRAY, "data: !core/ndarray-9.9.9\n"), "any"),
    ]


def replace_index(index: bytes) -> Mutate:
    def mutate(raw: bytes) -> bytes:
        at = raw.rfind(b"#ASDF BLOCK INDEX")
        return (raw[:at] if at >= 0 else raw) + index

    return mutate


def _generic(base: str, count: int) -> list[Variant]:
    out: list[Variant] = []
    cut = "any" if base == "asdf" else "loud"  # an ASDF file cut in its block index may still read whole
    for fraction in (0.0005, 0.01, 0.05, 0.2, 0.5, 0.8, 0.95, 0.999):
        out.append(Variant(base, f"truncate-{fraction}", truncate(fraction), cut))
    out.append(Variant(base, "truncate-last-byte", truncate(1.0, 1), cut))
    out.append(Variant(base, "empty", truncate(0.0), "any"))
    header = (0.0, 0.04) if base != "asdf" else (0.0, 0.03)
    for seed in range(count):
        out.append(Variant(base, f"flip-{seed}", flip(seed)))
        out.append(Variant(base, f"flip-head-{seed}", flip(1000 + seed, header)))
        out.append(Variant(base, f"scramble-head-{seed}", scramble(2000 + seed, header)))
    return out


def variants() -> list[Variant]:
    out: list[Variant] = []
    for base in ("fits", "plain", "asdf", "multi"):
        out += _generic(base, 8 if base != "multi" else 4)
    for name, mutate, expect in _header_damage():
        out.append(Variant("fits", name, mutate, expect))
        out.append(Variant("gz", name, gzipped(mutate), expect))
        if "ext" not in name:
            out.append(Variant("plain", name, mutate, expect))
    for name, mutate, expect in _extension_damage():
        out.append(Variant("fits", name, mutate, expect))
    for name, (body, expect) in HOSTILE_DOCUMENTS.items():
        # Headers are authoritative in a FITS file: a bad value in the extension for a field with a keyword is
        # overridden by its card, so only a clean outcome is required there.
        out.append(Variant("fits", f"ext-{name}", replace_extension(extension_payload(body)), "any"))
        out.append(Variant("asdf", name, replace_yaml(whole_document(body)), expect))
    for name, mutate, expect in _block_damage():
        out.append(Variant("asdf", name, mutate, expect))
    out += [
        Variant("gz", f"truncate-{fraction}", truncate(fraction), "loud")
        for fraction in (0.001, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99)
    ]
    out += [Variant("gz", "truncate-trailer", truncate(1.0, 4), "loud")]
    out += [Variant("gz", f"flip-{seed}", flip_compressed(seed, (0.01, 0.99)), "loud") for seed in range(10)]
    out += [
        Variant("gz", "trailing-garbage", lambda raw: raw + b"\x00garbage" * 3, "any"),
        Variant("gz", "two-members", lambda raw: raw + raw, "any"),
        Variant("gz", "not-gzip", lambda raw: b"\x1f\x8b" + b"\x00" * 100, "any"),
    ]
    out += [
        Variant("multi", "item-bitpix-33", set_card("BITPIX", "BITPIX  = -33", hdu=1), "loud"),
        Variant("multi", "item-naxis-3", set_card("NAXIS", "NAXIS   = 3", hdu=1), "loud"),
        Variant("multi", "item-extver-junk", set_card("EXTVER", "EXTVER  = 'x'", hdu=1), "any"),
        Variant("multi", "item-naxis1-missing", drop_card("NAXIS1", hdu=2), "loud"),
    ]
    ids = [v.id for v in out]
    assert len(ids) == len(set(ids)), "variant names repeat"
    return out
