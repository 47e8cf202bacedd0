"""FITS: header keywords <-> metadata, image HDUs <-> arrays, binary tables <-> tables, extra_fits."""

# pyright: reportPrivateUsage=false, reportUnknownMemberType=false, reportUnknownVariableType=false
# pyright: reportUnknownArgumentType=false
# (runtime module: it works on the internal state of models; it is also the typed boundary around
# astropy/asdf, which ship partial or no annotations: what leaves this module is typed)

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from astropy.io import fits
from astropy.utils.exceptions import AstropyUserWarning

from ._arrays import ArrayField, TableField
from ._atomic import atomic_write
from ._errors import FileFormatError
from ._loading import Location, build_meta, warn_invalid
from ._meta import MetaNode, keyword_leaves

if TYPE_CHECKING:
    from ._base import Card, DataModel

# Cards astropy writes itself from the data; never kept in extra_fits.
_STRUCTURAL = re.compile(
    r"^(SIMPLE|BITPIX|NAXIS\d*|EXTEND|XTENSION|PCOUNT|GCOUNT|EXTNAME|EXTVER|BZERO|BSCALE|TFIELDS|THEAP|"
    r"CHECKSUM|DATASUM|T(TYPE|FORM|UNIT|DIM|NULL|SCAL|ZERO|DISP)\d+)$"
)
# HDUs the reference implementation adds; read by their own issue, not kept as extra HDUs.
_SKIPPED_HDUS = {"ASDF"}


def open_hdulist(source: str | os.PathLike[str] | Any, filename: str) -> fits.HDUList:
    """Open a FITS file lazily (memory-mapped where possible), turning a truncated or malformed file into a
    clear FileFormatError instead of astropy warnings and a half-usable HDUList."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            hdul = fits.open(source, memmap=None, lazy_load_hdus=False)
        except (OSError, ValueError, IndexError, TypeError) as exc:
            raise FileFormatError(f"{filename}: not a readable FITS file ({exc})") from None
    problems = [str(w.message) for w in caught if issubclass(w.category, AstropyUserWarning)]
    if problems:
        hdul.close()
        raise FileFormatError(f"{filename}: not a readable FITS file ({'; '.join(problems)})")
    for w in caught:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return hdul


def read_fits(model: DataModel[MetaNode], hdul: fits.HDUList, filename: str) -> None:
    """Fill ``model`` from ``hdul``: metadata now, arrays when first touched."""
    hdus = _hdus_by_name(hdul)
    meta_class = type(model._meta)
    tree: dict[str, Any] = {}
    where: dict[Location, tuple[str, str, str]] = {}
    for leaf in keyword_leaves(meta_class):
        hdu = hdus.get(leaf.hdu)
        if hdu is None or leaf.keyword not in hdu.header:
            continue
        value = hdu.header[leaf.keyword]
        if isinstance(value, fits.card.Undefined):
            continue
        node = tree
        for name in leaf.names[:-1]:
            node = node.setdefault(name, {})
        node[leaf.names[-1]] = value
        where[leaf.names] = (leaf.hdu, leaf.keyword, hdu.header.comments[leaf.keyword])

    def on_invalid(loc: Location, value: object, expected: str) -> None:
        hdu_name, keyword, comment = where[loc]
        warn_invalid(f"{filename}: HDU {hdu_name}, keyword {keyword} (meta.{'.'.join(loc)})", value, expected)
        if not model._pass_invalid:
            model.extra_fits.setdefault(hdu_name, []).append((keyword, _card_value(value), comment))

    def on_unknown(loc: Location, value: object) -> None:  # header-built trees hold only known paths
        raise AssertionError(f"unexpected key {loc}")

    meta = build_meta(
        meta_class, tree, on_invalid=on_invalid, on_unknown=on_unknown, keep_invalid=model._pass_invalid
    )
    meta._owner = type(model).__name__
    model._meta = meta

    known = {(leaf.hdu, leaf.keyword) for leaf in keyword_leaves(meta_class)}
    for name, hdu in hdus.items():
        for card in hdu.header.cards:
            keyword = card.keyword
            if not keyword or _STRUCTURAL.match(keyword) or (name, keyword) in known:
                continue
            model.extra_fits.setdefault(name, []).append((keyword, _card_value(card.value), card.comment))

    for attr, field in model._fields.items():
        hdu = hdus.get(field.hdu)
        if hdu is None or (isinstance(field, ArrayField) and hdu.header.get("NAXIS", 0) == 0):
            continue
        model._store.loaders[attr] = _loader(hdu)
        if isinstance(field, ArrayField):
            naxis = int(hdu.header.get("NAXIS", 0))
            model._store.shapes[attr] = tuple(int(hdu.header[f"NAXIS{i}"]) for i in range(naxis, 0, -1))


def _loader(hdu: Any) -> Any:
    def load() -> Any:
        return hdu.data

    return load


def _hdus_by_name(hdul: fits.HDUList) -> dict[str, Any]:
    hdus: dict[str, Any] = {"PRIMARY": hdul[0]}
    for hdu in cast(list[Any], hdul[1:]):
        name = str(hdu.name).upper()
        if name in _SKIPPED_HDUS or name in hdus:
            continue
        hdus[name] = hdu
    return hdus


def _card_value(value: object) -> str | int | float | bool | None:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, np.generic):
        return cast(str | int | float | bool, value.item())
    return None if value is None or isinstance(value, fits.card.Undefined) else str(value)


# -- writing -----------------------------------------------------------------------------------------


def build_hdulist(model: DataModel[MetaNode]) -> fits.HDUList:
    """The HDUs of ``model``: primary header, then one HDU per array or table that holds data."""
    primary = fits.PrimaryHDU()
    hdus: dict[str, Any] = {"PRIMARY": primary}
    for name, field in model._fields.items():
        if name not in model._store.values and name not in model._store.loaders:
            continue
        value = getattr(model, name)
        if name in model._store.defaulted and not np.any(value != field.default):
            continue  # created lazily and never changed: reopening recreates it
        if isinstance(field, TableField):
            hdus[field.hdu] = fits.BinTableHDU(data=np.asarray(value), name=field.hdu)
        else:
            hdus[field.hdu] = fits.ImageHDU(data=np.asarray(value), name=field.hdu)

    def header(hdu_name: str) -> fits.Header:
        if hdu_name not in hdus:
            hdus[hdu_name] = fits.ImageHDU(name=hdu_name)
        return cast(fits.Header, hdus[hdu_name].header)

    for leaf in keyword_leaves(type(model._meta)):
        value = _get(model._meta, leaf.names)
        if value is None:
            continue
        _set_card(header(leaf.hdu), leaf.keyword, value, leaf.title)
    for hdu_name, cards in model.extra_fits.items():
        target = header(hdu_name)
        for keyword, value, comment in cards:
            _append_card(target, (keyword, value, comment))
    return fits.HDUList(list(hdus.values()))


def write_fits(model: DataModel[MetaNode], path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> Path:
    hdul = build_hdulist(model)
    return atomic_write(path, lambda tmp: hdul.writeto(tmp, *args, **kwargs))


def _get(meta: MetaNode, names: tuple[str, ...]) -> object:
    node: Any = meta
    for name in names:
        node = node.__dict__.get(name)
        if node is None:
            return None
    return node


def _set_card(header: fits.Header, keyword: str, value: object, title: str) -> None:
    if isinstance(value, float) and not np.isfinite(value):
        return
    card = fits.Card(keyword, value)
    room = 80 - max(len(card.image.rstrip()), 30) - 3  # values are padded to column 30 before a comment
    header[keyword] = (value, title[:room] if room > 0 and len(card.image) <= 80 else "")


def _append_card(header: fits.Header, card: Card) -> None:
    keyword, value, comment = card
    if keyword in ("COMMENT", "HISTORY"):
        header.add_comment(str(value)) if keyword == "COMMENT" else header.add_history(str(value))
        return
    header.append(fits.Card(keyword, value, comment), end=True)
