"""FITS: header keywords <-> metadata, image HDUs <-> arrays, binary tables <-> tables, extra_fits."""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false
# (the typed boundary around
# astropy/asdf, which ship partial or no annotations: what leaves this module is typed)

from __future__ import annotations

import itertools
import os
import re
import warnings
from pathlib import Path
from typing import Any, cast

from astropy.io import fits
from astropy.utils.exceptions import AstropyUserWarning

from jwstmodels._core.arrays import TableField
from jwstmodels._core.class_cache import per_layout
from jwstmodels._core.content import FileContent, ModelLayout, scalar_hdus
from jwstmodels._core.errors import (
    FileFormatError,
    InvalidValueWarning,
    explain_library_error,
    library_error_types,
)
from jwstmodels._core.header_carried import drop_carried
from jwstmodels._core.meta import MetaNode, keyword_leaves
from jwstmodels._io.fits_cards import (
    STRUCTURAL,
    HeaderValues,
    append_card,
    attach_hdu,
    name_of,
    scalar_cards,
    set_card,
    table_hdu,
    value_at,
)
from jwstmodels._io.fits_lazy import (
    open_lazily,
    parse_extension,
    read_tree_and_headers,
    reads_lazily,
)
from jwstmodels._io.header_scan import EXTENSION_NAME
from jwstmodels._io.history import write_history_cards
from jwstmodels._io.sources import bind_fits

# astropy warns, rather than fails, on a damaged file; these words in a warning mean the file cannot be used.
_FATAL_WORDS = ("truncated", "corrupted")


def open_hdulist(source: str | os.PathLike[str] | Any, filename: str) -> fits.HDUList:
    """Open a FITS file lazily (memory-mapped where possible), turning a truncated or malformed file into a
    clear FileFormatError instead of astropy warnings and a half-usable HDUList."""
    # A path is opened here, so that the file is closed when astropy fails part way (it leaves its own open).
    handle = open(source, "rb") if isinstance(source, str | os.PathLike) else None  # noqa: SIM115
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            hdul = fits.open(source if handle is None else handle, memmap=None, lazy_load_hdus=False)
        except (*library_error_types(), OSError) as exc:
            if handle is not None:
                handle.close()
            key = exc.args[0] if isinstance(exc, KeyError) and exc.args else None
            if isinstance(key, str) and re.fullmatch(r"[A-Z0-9_-]{1,8}", key):
                problem = f"keyword {key} is missing from a header that needs it"
            else:
                problem = explain_library_error(exc)
            raise FileFormatError(f"{filename}: not a readable FITS file ({problem})") from None
    if handle is not None and getattr(getattr(hdul, "_file", None), "_file", None) is not handle:
        _close_handle_too(hdul, handle)  # astropy reads through a wrapper (gzip) that leaves it open
    fatal = [str(w.message) for w in caught if any(word in str(w.message) for word in _FATAL_WORDS)]
    try:
        if not fatal:
            fatal = _gzip_damage(hdul) or _run_on_headers(hdul)
        if fatal:
            raise FileFormatError(f"{filename}: not a readable FITS file ({'; '.join(dict.fromkeys(fatal))})")
        for w in caught:
            if issubclass(w.category, AstropyUserWarning):  # e.g. non-ASCII header bytes, replaced by "?"
                warnings.warn(f"{filename}: {w.message}", InvalidValueWarning, stacklevel=3)
            else:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    except BaseException:
        hdul.close()
        raise
    return hdul


def _close_handle_too(hdul: fits.HDUList, handle: Any) -> None:
    close = hdul.close

    def close_both(*args: Any, **kwargs: Any) -> None:
        try:
            close(*args, **kwargs)
        finally:
            handle.close()

    vars(hdul)["close"] = close_both  # this HDUList's own close (``with hdul`` and hooks call it)


def _gzip_damage(hdul: fits.HDUList) -> list[str]:
    """For a gzip-compressed file: what is wrong with the compressed stream (a truncated or corrupt member,
    checked by reading it to its end and its checksum) or with HDUs whose data runs past it; else []."""
    handle = getattr(getattr(hdul, "_file", None), "_file", None)
    if getattr(getattr(hdul, "_file", None), "compression", None) != "gzip" or handle is None:
        return []
    position = handle.tell()
    try:
        while handle.read(1 << 22):
            pass
        size = handle.tell()
    except (EOFError, OSError, *library_error_types()) as exc:
        return [f"the gzip stream is truncated or corrupted ({exc})"]
    finally:
        handle.seek(position)
    for index, hdu in enumerate(hdul):
        info = hdu.fileinfo()
        if info is not None and int(info["datLoc"]) + int(info["datSpan"]) > size:
            return [f"HDU {index} ({hdu.name}) is truncated: its data runs past the end of the gzip stream"]
    return []


def _run_on_headers(hdul: fits.HDUList) -> list[str]:
    """A header that reads on into the next HDU's (its END card missing or damaged) holds that HDU's first
    card, XTENSION, again: the file's HDUs are then not what was written."""
    for index, hdu in enumerate(hdul):
        header = hdu.header
        extensions = header.count("XTENSION") if "XTENSION" in header else 0
        primaries = header.count("SIMPLE") if "SIMPLE" in header else 0
        if extensions > (1 if index else 0) or primaries > (0 if index else 1):
            return [f"the header of HDU {index} runs into the next HDU (its END card is missing or damaged)"]
    return []


def read_fits(
    hdul: fits.HDUList, layout: ModelLayout, filename: str, *, pass_invalid: bool = False
) -> FileContent:
    """What ``hdul`` holds for a model of ``layout``: metadata now (``fits_lazy.read_tree_and_headers``, or
    from the headers alone with the ``ASDF`` extension read when first needed: ``fits_lazy.open_lazily``),
    arrays when first touched."""
    content = FileContent(layout, filename, pass_invalid)
    hdus, extension, extra_hdus = _split_hdus(hdul, layout)
    stored: dict[str, Any] | None = None
    if extension is not None and reads_lazily(layout):
        open_lazily(content, hdul, hdus, extension, filename)  # the extension is parsed when first needed
    else:
        if extension is not None:
            from jwstmodels._io.asdf_in_fits import extension_bytes

            stored = parse_extension(lambda: extension_bytes(extension, filename), layout, filename)
        read_tree_and_headers(content, hdus, stored, filename)

    content.extra_hdus = extra_hdus

    for attr, field in layout.fields.items():
        hdu = hdus.get(field.hdu)
        if hdu is None:
            continue
        header = HeaderValues(hdu.header)
        if header.get("NAXIS", 0) == 0:  # no data (a header for keywords only)
            continue
        attach_hdu(content, attr, field, hdu, f"{filename}: HDU {field.hdu}", header)
    if layout.items:  # multi-models: one set of HDUs per item (EXTVER)
        from jwstmodels._io.fits_items import read_items  # imported by multi-models only

        read_items(content, hdul, stored, filename)
    bind_fits(content, hdul, filename)
    return content


def _split_hdus(hdul: fits.HDUList, layout: ModelLayout) -> tuple[dict[str, Any], Any, list[Any]]:
    """(HDUs the schema names, by name; the ASDF extension or None; every other HDU, in file order)."""
    named = _named_hdus(layout)
    hdus: dict[str, Any] = {"PRIMARY": hdul[0]}
    extension: Any = None
    extra: list[Any] = []
    for hdu in itertools.islice(cast(list[Any], hdul), 1, None):  # (a slice of an HDUList is a new one)
        name = name_of(hdu).upper()
        if name == EXTENSION_NAME and extension is None:
            extension = hdu
        elif name in named and name not in hdus:
            hdus[name] = hdu
        else:
            extra.append(hdu)
    return hdus, extension, extra


@per_layout
def _named_hdus(layout: ModelLayout) -> frozenset[str]:
    """The HDUs a model of ``layout`` reads by name: those of its arrays, keywords and scalars."""
    named = {field.hdu for field in layout.fields.values()}
    named |= {leaf.hdu for leaf in keyword_leaves(layout.meta_class)}
    return frozenset(named | set(scalar_hdus(layout)))


# -- writing -----------------------------------------------------------------------------------------


def build_hdulist(content: FileContent) -> fits.HDUList:
    """The HDUs of a model's ``content``: primary header, one HDU per array or table that holds data, the
    HDUs the schema does not describe (as read), and the ``ASDF`` extension with the metadata tree."""
    from jwstmodels._io.asdf_format import metadata_tree
    from jwstmodels._io.asdf_in_fits import build_hdu

    primary = fits.PrimaryHDU()
    hdus: dict[str, Any] = {"PRIMARY": primary}
    arrays: dict[str, Any] = {}
    for _, field, value in content.arrays:
        if isinstance(field, TableField):
            arrays[field.hdu] = table_hdu(field, value)
        else:
            arrays[field.hdu] = fits.ImageHDU(data=value, name=field.hdu)
    for hdu_name in _keyword_hdus_first(content.meta_tree, arrays):  # the reference's order (see there)
        hdus[hdu_name] = arrays[hdu_name]
    hdus.update(arrays)

    def header(hdu_name: str) -> fits.Header:
        if hdu_name not in hdus:
            hdus[hdu_name] = fits.ImageHDU(name=hdu_name)
        return cast(fits.Header, hdus[hdu_name].header)

    carried: set[tuple[str, ...]] = set()
    meta = content.meta_tree
    for leaf in keyword_leaves(type(meta)):
        value = value_at(meta, leaf.names)
        if value is not None and set_card(header(leaf.hdu), leaf.keyword, value, leaf.title):
            carried.add(leaf.names)
    for hdu_name in scalar_hdus(content.layout):
        for keyword, value, comment in scalar_cards(content, hdu_name):
            target = header(hdu_name)
            if not (STRUCTURAL.match(keyword) and keyword in target):  # astropy's own, from the data
                set_card(target, keyword, value, comment)
    for hdu_name, cards in content.extra_fits.items():
        target = header(hdu_name)
        for keyword, value, comment in cards:
            append_card(target, (keyword, value, comment))
    write_history_cards(content, cast(fits.Header, primary.header))
    for name, hdu in hdus.items():  # as the reference writes them: EXTVER = 1 ends each extension's header
        if name != "PRIMARY" and hdu.data is not None and "EXTVER" not in hdu.header:
            hdu.header["EXTVER"] = 1
    tree = metadata_tree(content)
    drop_carried(tree, carried)
    items: list[Any] = []
    if content.items:  # multi-models: one set of HDUs per item (EXTVER), a subtree per item in the tree
        from jwstmodels._io.fits_items import item_hdus  # imported by multi-models only

        items = item_hdus(content, hdus, tree)
    return fits.HDUList([*hdus.values(), *items, *content.extra_hdus, build_hdu(tree)])


def _keyword_hdus_first(meta: MetaNode, arrays: dict[str, Any]) -> list[str]:
    """The array HDUs that a set metadata keyword lives in, in metadata order.

    The reference writes the metadata first, making each HDU a set keyword names as it goes (the ERR of an
    image with ``meta.bunit_err`` set comes before its DQ), then the other arrays in schema order.
    """
    first: list[str] = []
    for leaf in keyword_leaves(type(meta)):
        if leaf.hdu in arrays and leaf.hdu not in first and value_at(meta, leaf.names) is not None:
            first.append(leaf.hdu)
    return first


def write_fits(content: FileContent, path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> Path:
    from jwstmodels._io.atomic import atomic_write  # saving only: an open does not import it

    hdul = build_hdulist(content)
    return atomic_write(path, lambda handle: hdul.writeto(handle, *args, **kwargs))
