"""FITS: header keywords <-> metadata, image HDUs <-> arrays, binary tables <-> tables, extra_fits."""

# pyright: reportPrivateUsage=false, reportUnknownMemberType=false, reportUnknownVariableType=false
# pyright: reportUnknownArgumentType=false
# (runtime module: it works on the internal state of models; it is also the typed boundary around
# astropy/asdf, which ship partial or no annotations: what leaves this module is typed)

from __future__ import annotations

import functools
import math
import os
import re
import warnings
from collections.abc import Callable, Container, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from astropy.io import fits
from astropy.utils.exceptions import AstropyUserWarning

from ._arrays import ArrayField, TableField, _Field
from ._atomic import atomic_write
from ._errors import (
    FileFormatError,
    InvalidValueWarning,
    explain_library_error,
    file_errors,
    library_error_types,
)
from ._file_kinds import keep_in_place, take_other_kinds
from ._header_carried import card_can_hold, card_is_exact, drop_carried, restore_inexact, take_keyword_values
from ._history import read_fits_lists, write_history_cards
from ._loading import Location, put_path, warn_invalid
from ._meta import KeywordLeaf, MetaNode, keyword_leaves
from ._meta_lists import install_file_meta
from ._objects import refuse_fits
from ._scalars import apply_header, apply_tree, scalar_cards, scalar_hdus
from ._sources import FitsSource, bind_fits

if TYPE_CHECKING:
    from ._base import Card, DataModel

# Cards astropy writes itself from the data; never kept in extra_fits.
_STRUCTURAL = re.compile(
    r"^(SIMPLE|BITPIX|NAXIS\d*|EXTEND|XTENSION|PCOUNT|GCOUNT|EXTNAME|EXTVER|BZERO|BSCALE|TFIELDS|THEAP|"
    r"CHECKSUM|DATASUM|T(TYPE|FORM|UNIT|DIM|NULL|SCAL|ZERO|DISP)\d+)$"
)
# astropy warns, rather than fails, on a damaged file; these words in a warning mean the file cannot be used.
_FATAL_WORDS = ("truncated", "corrupted")
# Keys asdf puts at the root of every tree, and the reference's hash of the FITS headers.
_ASDF_BOOKKEEPING = {"asdf_library", "history", "_fits_hash"}


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
    if handle is not None and getattr(hdul._file, "_file", None) is not handle:
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
    if getattr(hdul._file, "compression", None) != "gzip" or handle is None:
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


def read_fits(model: DataModel[MetaNode], hdul: fits.HDUList, filename: str) -> None:
    """Fill ``model`` from ``hdul``: metadata now, arrays when first touched.

    Headers are authoritative for every field that has a FITS keyword; the ``ASDF`` extension, when the file
    has one, supplies the rest (fields without a keyword) and whatever our schema does not describe, which is
    kept to be written back.
    """
    hdus, extension, extra_hdus = _split_hdus(hdul, model)
    meta_class = model.meta_class
    tree: dict[str, Any] = {}
    stored: dict[str, Any] | None = None
    if extension is not None:
        from ._asdf_in_fits import read_tree

        stored = read_tree(extension, filename)
        tree = _as_dict(stored.pop("meta", {}))
        scalars = apply_tree(model, stored, f"{filename}: ASDF extension", headers_own_keywords=True)
        for key, value in stored.items():
            if key in scalars:
                continue
            if key not in _ASDF_BOOKKEEPING and key not in model._fields and key not in model._list_fields:
                model._extra_tree[key] = value
    # One pass over the cards: a card the schema names fills its field (headers are authoritative, so a
    # keyword missing from the header is missing from the tree too, but for what _header_carried restores);
    # any other card goes to extra_fits.
    inexact = take_keyword_values(tree, _keyword_names(meta_class))
    by_keyword = _keyword_table(meta_class)
    where: dict[Location, tuple[str, Any]] = {}
    for name, hdu in hdus.items():
        scalar_keywords = apply_header(model, name, hdu.header, f"{filename}: HDU {name}")
        read_cards(
            model, name, hdu, by_keyword.get(name, {}), tree, where, skip=scalar_keywords, filename=filename
        )

    restore_inexact(tree, inexact, where)
    on_invalid, on_unknown = file_value_policy(model, filename, where, lambda hdu: f"HDU {hdu}")
    tree, other_kinds = take_other_kinds(meta_class, tree, on_invalid)
    lists = install_file_meta(model, tree, on_invalid=on_invalid, on_unknown=on_unknown)
    if model._pass_invalid:
        keep_in_place(model.meta, other_kinds)
    from ._open import warn_unknown_type

    warn_unknown_type(model, filename, "DATAMODL")
    read_fits_lists(model, lists, stored, filename)

    model._extra_hdus = extra_hdus

    for attr, field in model._fields.items():
        hdu = hdus.get(field.hdu)
        if hdu is None or hdu.header.get("NAXIS", 0) == 0:  # no data (a header for keywords only)
            continue
        attach_hdu(model, attr, field, hdu, f"{filename}: HDU {field.hdu}")
    if model._list_fields:  # multi-models: one set of HDUs per item (EXTVER)
        from ._fits_items import read_items

        read_items(model, hdul, stored, filename)
    bind_fits(model, hdul, filename)


def attach_hdu(model: DataModel[MetaNode], attr: str, field: _Field, hdu: Any, where: str) -> None:
    """Make ``hdu`` the source of array or table ``attr``, read when first touched; refused from the header
    alone when the field cannot hold it (``where`` names file and HDU)."""
    place = f"{where} (field {attr})"
    with file_errors(place, "read the header"):
        _check_hdu(field, hdu, where)
        shape = _image_shape(hdu, place) if isinstance(field, ArrayField) else None
    model._store.loaders[attr] = _loader(hdu, where)
    if shape is not None:
        model._store.shapes[attr] = shape


def _image_shape(hdu: Any, where: str) -> tuple[int, ...]:
    """The shape of an image HDU's data from its header, refusing what astropy would fail on (or allocate
    without bound) when the data is first read: a BITPIX that is no FITS type, missing or negative NAXISn,
    data running past the end of the file."""
    header = hdu.header
    bitpix = header.get("BITPIX")
    if bitpix not in _BITPIX or isinstance(bitpix, bool):
        raise FileFormatError(f"{where}: keyword BITPIX = {bitpix!r} is not a FITS data type")
    naxis = header.get("NAXIS")
    if not isinstance(naxis, int) or isinstance(naxis, bool) or not 0 <= naxis <= 999:
        raise FileFormatError(f"{where}: keyword NAXIS = {naxis!r} is not a number of axes")
    sizes: list[int] = []
    for i in range(naxis, 0, -1):
        size = header.get(f"NAXIS{i}")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            what = "missing" if size is None else f"{size!r}, not a length"
            raise FileFormatError(f"{where}: keyword NAXIS{i} is {what}")
        sizes.append(size)
    nbytes = abs(bitpix) // 8 * math.prod(sizes) if sizes else 0
    available = _bytes_after_header(hdu)
    if available is not None and nbytes > available:
        raise FileFormatError(
            f"{where}: the header declares {nbytes} bytes of data, the file holds {available} after it "
            "(truncated or damaged)"
        )
    return tuple(sizes)


def _bytes_after_header(hdu: Any) -> int | None:
    """How many bytes the file holds after ``hdu``'s header, when astropy knows (None otherwise)."""
    info = hdu.fileinfo()
    if info is None:
        return None
    handle = info.get("file")
    size = getattr(handle, "size", None)
    if not isinstance(size, int) or not size:
        return None
    return size - int(info["datLoc"])


def read_cards(
    model: DataModel[MetaNode],
    hdu_name: str,
    hdu: Any,
    known: Mapping[str, KeywordLeaf],
    tree: dict[str, Any],
    where: dict[Location, tuple[str, Any]],
    *,
    skip: Container[str] = (),
    keep_unknown: bool = True,
    filename: str = "",
) -> None:
    """One pass over the cards of ``hdu``: a card whose keyword ``known`` names fills that field's place in
    ``tree``, and ``where`` records the HDU and card it came from; with ``keep_unknown``, any other card goes
    to ``model.extra_fits``, except cards astropy writes from the data and keywords in ``skip`` (read
    elsewhere)."""
    for card in hdu.header.cards:
        keyword = card.keyword
        leaf = known.get(keyword)
        if leaf is None:
            if keep_unknown and keyword and keyword not in skip and not _STRUCTURAL.match(keyword):
                model.extra_fits.setdefault(hdu_name, []).append(
                    (keyword, _card_value(card.value), card.comment)
                )
            continue
        value = card.value
        if not isinstance(value, fits.card.Undefined):
            first = where.get(leaf.names)
            if first is not None and first[0] == hdu_name:
                _warn_duplicate(filename, hdu_name, first[1], card)
                continue
            put_path(tree, leaf.names, value)
            where[leaf.names] = (hdu_name, card)


def _warn_duplicate(filename: str, hdu_name: str, first: Any, card: Any) -> None:
    """A keyword given twice: the first card wins (as in astropy and the reference), the other is dropped."""
    warnings.warn(
        f"{filename or '<FITS>'}: HDU {hdu_name}, keyword {card.keyword} appears more than once; the first "
        f"value {first.value!r} is used, the later {card.value!r} is dropped",
        InvalidValueWarning,
        stacklevel=5,
    )


_BITPIX = {8: "uint8", 16: "int16", 32: "int32", 64: "int64", -32: "float32", -64: "float64"}
_UNSIGNED = {16: ("uint16", 2**15), 32: ("uint32", 2**31), 64: ("uint64", 2**63)}


def _check_hdu(field: _Field, hdu: Any, where: str) -> None:
    """Refuse, from the header alone, an HDU whose kind, dimensionality or dtype the field cannot hold."""
    header = hdu.header
    if not isinstance(field, ArrayField):
        if isinstance(field, TableField) and not isinstance(hdu, fits.BinTableHDU):
            raise field.file_error(where, f"a {type(hdu).__name__}")
        return
    if not isinstance(hdu, fits.ImageHDU | fits.PrimaryHDU | fits.CompImageHDU):
        raise field.file_error(where, f"a {type(hdu).__name__}")
    naxis = int(header.get("NAXIS", 0))
    dtype = _stored_dtype(header)
    wrong_ndim = (field.ndim is not None and naxis != field.ndim) or (
        field.max_ndim is not None and naxis > field.max_ndim
    )
    fits_dtype = np.can_cast(dtype, field.dtype, "same_kind") or (
        dtype.kind in "iu" and field.dtype.kind in "iu"
    )
    if wrong_ndim or not fits_dtype:
        raise field.file_error(where, f"a {naxis}-D {dtype.name} array")


def _stored_dtype(header: Any) -> np.dtype[Any]:
    """The dtype astropy will give an image HDU's data, from BITPIX, BZERO and BSCALE."""
    bitpix = int(header.get("BITPIX", -32))
    bzero, bscale = header.get("BZERO", 0), header.get("BSCALE", 1)
    if bscale == 1 and bitpix in _UNSIGNED and bzero == _UNSIGNED[bitpix][1]:
        return np.dtype(_UNSIGNED[bitpix][0])
    if bscale != 1 or bzero != 0:
        return np.dtype("float64")
    return np.dtype(_BITPIX.get(bitpix, "float64"))


@functools.cache
def _keyword_table(meta_class: type[MetaNode]) -> dict[str, dict[str, KeywordLeaf]]:
    """HDU name -> FITS keyword -> the field it fills, for one meta class."""
    table: dict[str, dict[str, KeywordLeaf]] = {}
    for leaf in keyword_leaves(meta_class):
        table.setdefault(leaf.hdu, {})[leaf.keyword] = leaf
    return table


def _loader(hdu: Any, where: str) -> FitsSource:
    return FitsSource(hdu, where)


def _split_hdus(hdul: fits.HDUList, model: DataModel[MetaNode]) -> tuple[dict[str, Any], Any, list[Any]]:
    """(HDUs the schema names, by name; the ASDF extension or None; every other HDU, in file order)."""
    named = {field.hdu for field in model._fields.values()}
    named |= {leaf.hdu for leaf in keyword_leaves(model.meta_class)}
    named |= set(scalar_hdus(type(model)))
    hdus: dict[str, Any] = {"PRIMARY": hdul[0]}
    extension: Any = None
    extra: list[Any] = []
    for hdu in cast(list[Any], hdul[1:]):
        name = str(hdu.name).upper()
        if name == _asdf_extension_name() and extension is None:
            extension = hdu
        elif name in named and name not in hdus:
            hdus[name] = hdu
        else:
            extra.append(hdu)
    return hdus, extension, extra


def _asdf_extension_name() -> str:
    from ._asdf_in_fits import EXTENSION_NAME

    return EXTENSION_NAME


def file_value_policy(
    model: DataModel[MetaNode],
    filename: str,
    where: dict[Location, tuple[str, Any]],
    hdu_label: Callable[[str], str],
    place: str = "",
) -> tuple[Callable[[Location, object, str], None], Callable[[Location, object], None]]:
    """The ``build_meta`` callbacks for metadata read from a FITS file into ``model``.

    A value that does not fit warns with the file, the HDU (``hdu_label``) and keyword it came from (``where``
    maps a metadata place to its HDU name and card), or the ASDF extension, and is kept to be written back:
    as its card in ``extra_fits``, or in the extension tree. ``place`` (``slits[1].``) prefixes item paths.
    """

    def on_invalid(loc: Location, value: object, expected: str) -> None:
        path = "meta." + ".".join(loc)
        if loc not in where:
            warn_invalid(f"{filename}: ASDF extension, {place}{path}", value, expected)
            if not model._pass_invalid:
                put_path(model._extra_tree, ("meta", *loc), value)
            return
        hdu_name, card = where[loc]
        warn_invalid(f"{filename}: {hdu_label(hdu_name)}, keyword {card.keyword} ({path})", value, expected)
        if not model._pass_invalid:
            model.extra_fits.setdefault(hdu_name, []).append((card.keyword, _card_value(value), card.comment))

    def on_unknown(loc: Location, value: object) -> None:
        put_path(model._extra_tree, ("meta", *loc), value)

    return on_invalid, on_unknown


def _as_dict(value: object) -> dict[str, Any]:
    return dict(cast(dict[str, Any], value)) if isinstance(value, dict) else {}


@functools.cache
def _keyword_names(meta_class: type[MetaNode]) -> frozenset[tuple[str, ...]]:
    return frozenset(leaf.names for leaf in keyword_leaves(meta_class))


def _card_value(value: object) -> str | int | float | bool | None:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, np.generic):
        return cast(str | int | float | bool, value.item())
    return None if value is None or isinstance(value, fits.card.Undefined) else str(value)


# -- writing -----------------------------------------------------------------------------------------


def build_hdulist(model: DataModel[MetaNode]) -> fits.HDUList:
    """The HDUs of ``model``: primary header, one HDU per array or table that holds data, the HDUs the schema
    does not describe (as read), and the ``ASDF`` extension with the metadata tree."""
    from ._asdf import metadata_tree
    from ._asdf_in_fits import build_hdu

    primary = fits.PrimaryHDU()
    hdus: dict[str, Any] = {"PRIMARY": primary}
    arrays: dict[str, Any] = {}
    for _, field, value in model._arrays_to_save():
        if isinstance(field, TableField):
            arrays[field.hdu] = _table_hdu(field, value)
        else:
            arrays[field.hdu] = fits.ImageHDU(data=value, name=field.hdu)
    for hdu_name in _keyword_hdus_first(model, arrays):  # the reference's order (see there)
        hdus[hdu_name] = arrays[hdu_name]
    hdus.update(arrays)

    def header(hdu_name: str) -> fits.Header:
        if hdu_name not in hdus:
            hdus[hdu_name] = fits.ImageHDU(name=hdu_name)
        return cast(fits.Header, hdus[hdu_name].header)

    carried: set[tuple[str, ...]] = set()
    for leaf in keyword_leaves(type(model.meta)):
        value = _get(model.meta, leaf.names)
        if value is not None and _set_card(header(leaf.hdu), leaf.keyword, value, leaf.title):
            carried.add(leaf.names)
    for hdu_name in scalar_hdus(type(model)):
        for keyword, value, comment in scalar_cards(model, hdu_name):
            target = header(hdu_name)
            if not (_STRUCTURAL.match(keyword) and keyword in target):  # astropy's own, from the data
                _set_card(target, keyword, value, comment)
    for hdu_name, cards in model.extra_fits.items():
        target = header(hdu_name)
        for keyword, value, comment in cards:
            _append_card(target, (keyword, value, comment))
    write_history_cards(model, cast(fits.Header, primary.header))
    for name, hdu in hdus.items():  # as the reference writes them: EXTVER = 1 ends each extension's header
        if name != "PRIMARY" and hdu.data is not None and "EXTVER" not in hdu.header:
            hdu.header["EXTVER"] = 1
    tree = metadata_tree(model)
    drop_carried(tree, carried)
    items: list[Any] = []
    if model._lists:  # multi-models: one set of HDUs per item (EXTVER), a subtree per item in the tree
        from ._fits_items import item_hdus

        items = item_hdus(model, hdus, tree)
    return fits.HDUList([*hdus.values(), *items, *model._extra_hdus, build_hdu(tree)])


def _keyword_hdus_first(model: DataModel[MetaNode], arrays: dict[str, Any]) -> list[str]:
    """The array HDUs that a set metadata keyword lives in, in metadata order.

    The reference writes the metadata first, making each HDU a set keyword names as it goes (the ERR of an
    image with ``meta.bunit_err`` set comes before its DQ), then the other arrays in schema order.
    """
    first: list[str] = []
    for leaf in keyword_leaves(type(model.meta)):
        if leaf.hdu in arrays and leaf.hdu not in first and _get(model.meta, leaf.names) is not None:
            first.append(leaf.hdu)
    return first


def _table_hdu(field: TableField, data: Any) -> fits.BinTableHDU:
    if data.dtype.itemsize == 0 and len(data):  # only empty cells: FITS cannot store rows of no bytes
        raise field.file_error(f"HDU {field.hdu}", f"{len(data)} rows whose cells are all empty")
    hdu = fits.BinTableHDU(data=data, name=field.hdu)
    for index, column in enumerate(field.columns, start=1):
        if column.unit:
            hdu.header[f"TUNIT{index}"] = column.unit
    return hdu


def write_fits(model: DataModel[MetaNode], path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> Path:
    refuse_fits(model, path)  # transforms and other objects: ASDF only
    hdul = build_hdulist(model)
    return atomic_write(path, lambda handle: hdul.writeto(handle, *args, **kwargs))


def _get(meta: MetaNode, names: tuple[str, ...]) -> object:
    node: Any = meta
    for name in names:
        node = node.__dict__.get(name)
        if node is None:
            return None
    return node


def _set_card(header: fits.Header, keyword: str, value: object, title: str) -> bool:
    """Write ``keyword = value / title`` (the title cut to fit the card); whether the card gives ``value``
    back exactly when read. A value no card can hold (NaN, a non-ASCII string) is not written: the ``ASDF``
    extension keeps it (see ``_header_carried``)."""
    if not card_can_hold(value):
        return False
    card = fits.Card(keyword, value)
    room = 80 - max(len(card.image.rstrip()), 30) - 3  # values are padded to column 30 before a comment
    header[keyword] = (value, title[:room] if room > 0 and len(card.image) <= 80 else "")
    return card_is_exact(value)


def _append_card(header: fits.Header, card: Card) -> None:
    keyword, value, comment = card
    if keyword in ("COMMENT", "HISTORY"):
        header.add_comment(str(value)) if keyword == "COMMENT" else header.add_history(str(value))
        return
    header.append(fits.Card(keyword, value, comment), end=True)
