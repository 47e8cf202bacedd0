"""FITS cards and HDUs, shared by the single-model layout (``_fits``) and the multi-model items
(``_fits_items``): which cards astropy writes itself, how a card is written and read back, and an HDU made the
lazy source of an array or table."""

# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false
# (a typed boundary around astropy, which ships partial annotations)

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Container, Mapping
from typing import Any, cast

import numpy as np
from astropy.io import fits

from jwstmodels._core.arrays import ArrayField, DataField, TableField
from jwstmodels._core.class_cache import per_class
from jwstmodels._core.content import Card, FileContent, scalars_by_hdu
from jwstmodels._core.errors import FileFormatError, InvalidValueWarning, file_errors
from jwstmodels._core.header_carried import card_can_hold, card_is_exact
from jwstmodels._core.loading import Location, put_path
from jwstmodels._core.meta import KeywordLeaf, MetaNode, keyword_leaves
from jwstmodels._core.tables import Table
from jwstmodels._io.card_values import read_value, strips_blanks
from jwstmodels._io.sources import FitsSource

# Cards astropy writes itself from the data; never kept in extra_fits.
STRUCTURAL = re.compile(
    r"^(SIMPLE|BITPIX|NAXIS\d*|EXTEND|XTENSION|PCOUNT|GCOUNT|EXTNAME|EXTVER|BZERO|BSCALE|TFIELDS|THEAP|"
    r"CHECKSUM|DATASUM|T(TYPE|FORM|UNIT|DIM|NULL|SCAL|ZERO|DISP)\d+)$"
)


class HeaderValues:
    """The values of an HDU's header cards, each looked up once (astropy's lookup of a card value costs
    microseconds: the checks below ask for BITPIX and NAXIS more than once)."""

    __slots__ = ("_header", "_seen")

    def __init__(self, header: Any) -> None:
        self._header = header
        self._seen: dict[str, object] = {}

    def get(self, keyword: str, default: object = None) -> Any:
        if keyword not in self._seen:
            self._seen[keyword] = header_value(self._header, keyword, _MISSING)
        value = self._seen[keyword]
        return default if value is _MISSING else value


_MISSING = object()


def header_value(header: Any, keyword: str, default: object = None) -> Any:
    """``header.get(keyword, default)`` for a keyword that is not commentary, read by ``card_values``."""
    try:
        card = header.cards[keyword]
    except KeyError:
        return default
    return read_value(card)


def name_of(hdu: Any) -> str:
    """``hdu.name`` (its EXTNAME, or astropy's default name for its kind), read by ``card_values``."""
    name = header_value(hdu.header, "EXTNAME", _MISSING)
    return str(hdu.name) if name is _MISSING else str(name)


def attach_hdu(
    content: FileContent,
    attr: str,
    field: DataField,
    hdu: Any,
    where: str,
    header: HeaderValues | None = None,
) -> None:
    """Make ``hdu`` the source of array or table ``attr``, read when first touched; refused from the header
    alone when the field cannot hold it (``where`` names file and HDU; ``header``: its values, when the
    caller has looked some up)."""
    place = f"{where} (field {attr})"
    values = header or HeaderValues(hdu.header)
    with file_errors(place, "read the header"):
        _check_hdu(field, hdu, where, values)
        shape = _image_shape(hdu, place, values) if isinstance(field, ArrayField) else None
    content.loaders[attr] = FitsSource(hdu, where)
    if shape is not None:
        content.shapes[attr] = shape


def _image_shape(hdu: Any, where: str, header: HeaderValues) -> tuple[int, ...]:
    """The shape of an image HDU's data from its header, refusing what astropy would fail on (or allocate
    without bound) when the data is first read: a BITPIX that is no FITS type, missing or negative NAXISn,
    data running past the end of the file."""
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
    content: FileContent,
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
    to ``content.extra_fits``, except cards astropy writes from the data and keywords in ``skip`` (read
    elsewhere)."""
    strip = strips_blanks()
    for card in hdu.header.cards:
        keyword = card.keyword
        leaf = known.get(keyword)
        if leaf is None:
            if keep_unknown and keyword and keyword not in skip and not STRUCTURAL.match(keyword):
                content.extra_fits.setdefault(hdu_name, []).append(
                    (keyword, card_value(read_value(card, strip)), card.comment)
                )
            continue
        value = read_value(card, strip)
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


def _check_hdu(field: DataField, hdu: Any, where: str, header: HeaderValues) -> None:
    """Refuse, from the header alone, an HDU whose kind, dimensionality or dtype the field cannot hold."""
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


def _stored_dtype(header: HeaderValues) -> np.dtype[Any]:
    """The dtype astropy will give an image HDU's data, from BITPIX, BZERO and BSCALE."""
    bitpix = int(header.get("BITPIX", -32))
    bzero, bscale = header.get("BZERO", 0), header.get("BSCALE", 1)
    if bscale == 1 and bitpix in _UNSIGNED and bzero == _UNSIGNED[bitpix][1]:
        return np.dtype(_UNSIGNED[bitpix][0])
    if bscale != 1 or bzero != 0:
        return np.dtype("float64")
    return np.dtype(_BITPIX.get(bitpix, "float64"))


@per_class
def keyword_table(meta_class: type[MetaNode]) -> dict[str, dict[str, KeywordLeaf]]:
    """HDU name -> FITS keyword -> the field it fills, for one meta class."""
    table: dict[str, dict[str, KeywordLeaf]] = {}
    for leaf in keyword_leaves(meta_class):
        table.setdefault(leaf.hdu, {})[leaf.keyword] = leaf
    return table


def card_value(value: object) -> str | int | float | bool | None:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, np.generic):
        return cast(str | int | float | bool, value.item())
    return None if value is None or isinstance(value, fits.card.Undefined) else str(value)


def table_hdu(field: TableField, data: Any) -> fits.BinTableHDU:
    if data.dtype.itemsize == 0 and len(data):  # only empty cells: FITS cannot store rows of no bytes
        raise field.file_error(f"HDU {field.hdu}", f"{len(data)} rows whose cells are all empty")
    units = data.units if isinstance(data, Table) else {c.name: c.unit for c in field.columns}
    hdu = fits.BinTableHDU(data=np.asarray(data), name=field.hdu)
    for index, name in enumerate(cast(tuple[str, ...], data.dtype.names), start=1):
        unit = units.get(name)
        if unit:
            hdu.header[f"TUNIT{index}"] = unit
    return hdu


def value_at(meta: MetaNode, names: tuple[str, ...]) -> object:
    node: Any = meta
    for name in names:
        node = node.__dict__.get(name)
        if node is None:
            return None
    return node


def set_card(header: fits.Header, keyword: str, value: object, title: str) -> bool:
    """Write ``keyword = value / title`` (the title cut to fit the card); whether the card gives ``value``
    back exactly when read. A value no card can hold (NaN, a non-ASCII string) is not written: the ``ASDF``
    extension keeps it (see ``_header_carried``)."""
    if not card_can_hold(value):
        return False
    if isinstance(value, float) and not card_is_exact(value) and len(keyword) <= _KEYWORD_COLUMNS:
        _set_card_image(header, keyword, _full_float_card(keyword, value, title))
        return True
    card = fits.Card(keyword, value)
    fits_in_one = len(card.image) <= 80
    header[keyword] = (value, _comment(card.image.rstrip(), title) if fits_in_one else "")
    return card_is_exact(value)


_KEYWORD_COLUMNS = 8
_VALUE_END = 30
"""A fixed-format value ends in column 30; a comment follows after `` / ``."""


def _full_float_card(keyword: str, value: float, title: str) -> fits.Card:
    """The card of a float whose shortest text needs more than FITS's 20 fixed-format columns, in free format
    with every digit (``2.2587683987499075E-14``): astropy would cut it to 16 digits, and a reader of the
    headers (the reference's, which trusts cards over our extension; a scan) would take the cut value."""
    number = repr(value).upper()  # FITS writes the exponent letter as E
    image = f"{keyword:<{_KEYWORD_COLUMNS}}= {number:>20}"
    comment = _comment(image, title)
    if comment:
        image = f"{image:<{_VALUE_END}} / {comment}"
    return fits.Card.fromstring(image)


def _comment(image: str, title: str) -> str:
    """``title`` cut to the room a card whose keyword and value take ``image`` leaves for its comment (values
    are padded to column 30, then `` / ``)."""
    room = 80 - max(len(image), _VALUE_END) - 3
    return title[:room] if room > 0 else ""


def _set_card_image(header: fits.Header, keyword: str, card: fits.Card) -> None:
    """Put ``card`` in place of ``keyword``'s card (appended when there is none), as ``header[keyword] = ...``
    places a value."""
    if keyword in header:
        index = header.index(keyword)
        del header[index]
        header.insert(index, card)
    else:
        header.append(card)


def append_card(header: fits.Header, card: Card) -> None:
    keyword, value, comment = card
    if keyword in ("COMMENT", "HISTORY"):
        header.add_comment(str(value)) if keyword == "COMMENT" else header.add_history(str(value))
        return
    header.append(fits.Card(keyword, value, comment), end=True)


def scalar_cards(content: FileContent, hdu: str) -> list[Card]:
    """The header cards ``(keyword, value, comment)`` of the set scalar fields that live in HDU ``hdu``.

    For writers: a single model's FITS file and each item of a multi-model (call it per item and HDU).
    """
    cards: list[Card] = []
    for field in scalars_by_hdu(content.layout).get(hdu.upper(), ()):
        value = content.scalars.get(field.name)
        if value is not None and field.keyword is not None:
            cards.append((field.keyword, cast("str | int | float | bool", value), field.title))
    return cards
