"""Compare two pipeline products (FITS) HDU for HDU, array for array and keyword for keyword.

Differences come back as readable lines; an empty list means equal. Values that differ between any two runs
(the time a file was written) are left out by name: ``VOLATILE``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import numpy as np

VOLATILE = frozenset({"DATE", "CHECKSUM", "DATASUM"})
"""Header keywords holding the time of writing (or sums over it)."""


def _hdus(path: Path) -> list[tuple[str, Any, Any]]:
    from astropy.io import fits

    out: list[tuple[str, Any, Any]] = []
    with fits.open(path, memmap=False) as hdul:
        for index, hdu in enumerate(hdul):
            name = f"{hdu.name or index},{hdu.ver}"
            data: Any = None if hdu.name == "ASDF" else hdu.data
            out.append((name, hdu.header.copy(), None if data is None else np.array(data, copy=True)))
    return out


def compare_files(reference: Path, mine: Path) -> list[str]:
    """Every difference between the two files (HDU list, header cards, array dtypes, shapes and values)."""
    ours = _hdus(mine)
    theirs = _hdus(reference)
    problems: list[str] = []
    names_ours = [n for n, _, _ in ours]
    names_theirs = [n for n, _, _ in theirs]
    if names_ours != names_theirs:
        problems.append(f"HDUs differ: reference {names_theirs}, jwstmodels {names_ours}")
    by_name = {n: (h, d) for n, h, d in ours}
    for name, header, data in theirs:
        if name not in by_name:
            continue
        my_header, my_data = by_name[name]
        if name.startswith("ASDF"):  # its size depends on the tree, whose values compare_values compares
            continue
        problems += [f"{name}: {line}" for line in _compare_headers(header, my_header)]
        problems += [f"{name}: {line}" for line in _compare_data(data, my_data)]
    return problems


def _cards(header: Any) -> dict[str, object]:
    cards: dict[str, object] = {}
    for card in cast(Any, header).cards:
        keyword = str(card.keyword)
        if keyword in VOLATILE or keyword in ("", "COMMENT"):
            continue
        if keyword == "HISTORY":
            cards[f"HISTORY#{len([k for k in cards if k.startswith('HISTORY#')])}"] = str(card.value)
            continue
        cards[keyword] = card.value
    return cards


def _compare_headers(reference: Any, mine: Any) -> list[str]:
    theirs, ours = _cards(reference), _cards(mine)
    problems: list[str] = []
    for keyword in sorted(set(theirs) | set(ours)):
        if keyword not in ours:
            problems.append(f"{keyword} missing (reference {theirs[keyword]!r})")
        elif keyword not in theirs:
            problems.append(f"{keyword} extra ({ours[keyword]!r})")
        elif not _same(theirs[keyword], ours[keyword]) and not _card_rounded(ours[keyword], theirs[keyword]):
            problems.append(f"{keyword}: reference {theirs[keyword]!r}, jwstmodels {ours[keyword]!r}")
    return problems


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b):
        return True
    return type(a) is type(b) and a == b


def _compare_data(reference: Any, mine: Any) -> list[str]:
    if reference is None or mine is None:
        return [] if reference is None and mine is None else [f"data: reference {reference is not None}"]
    if reference.dtype != mine.dtype or reference.shape != mine.shape:
        return [f"array: reference {reference.dtype}{reference.shape}, jwstmodels {mine.dtype}{mine.shape}"]
    if reference.dtype.names:
        return [
            f"column {name}: values differ"
            for name in reference.dtype.names
            if not _arrays_equal(np.asarray(reference[name]), np.asarray(mine[name]))
        ]
    if not _arrays_equal(reference, mine):
        differ = int(np.count_nonzero(~_equal_mask(reference, mine)))
        return [f"values differ at {differ} of {reference.size} elements"]
    return []


def _equal_mask(a: Any, b: Any) -> Any:
    if a.dtype.kind in "fc":
        return (a == b) | (np.isnan(a) & np.isnan(b))
    return a == b


def _arrays_equal(a: Any, b: Any) -> bool:
    return bool(np.all(_equal_mask(a, b)))


_VOLATILE_KEYS = ("meta.date", "_fits_hash")
_VOLATILE_PREFIXES = ("asdf_library.", "history.")
_VOLATILE_LOG_TEXT = ("elapsed time", "execution time", "Time:", "output_dir:")
"""Log lines that hold a duration or the run's own output folder."""


def _log_line(line: str) -> str:
    """A log line without its time stamp (``2026-01-01T00:00:00.000 - ``)."""
    return line.split(" - ", 1)[1] if " - " in line else line


def _card_rounded(full: object, cut: object) -> bool:
    """True when ``cut`` is the float ``full`` as astropy writes it on a header card (16 digits in the card's
    20 columns): the reference's own products hold such cards (their extension, which it trusts through a
    hash of the headers, has every digit), where jwstmodels writes every digit on the card in free format
    (``_io.fits_cards``), so that the reference reads our files' values exactly too."""
    if not (isinstance(full, float) and isinstance(cut, float)) or full == cut:
        return False
    from astropy.io import fits

    card = fits.Card.fromstring(fits.Card("VALUE", full).image)
    return len(repr(full)) > 20 and float(card.value) == cut


def compare_values(reference: Path, mine: Path) -> list[str]:
    """Every value the reference's reader finds in the two files (metadata, cal_logs, ...; not arrays),
    compared; the time of writing and durations in logs left out."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from stdatamodels.jwst import datamodels

        with datamodels.open(reference) as a, datamodels.open(mine) as b:
            theirs = a.to_flat_dict(include_arrays=False)
            ours = b.to_flat_dict(include_arrays=False)
    problems: list[str] = []
    for key in sorted(set(theirs) | set(ours)):
        if key in _VOLATILE_KEYS or key.startswith(_VOLATILE_PREFIXES):
            continue
        a_value, b_value = theirs.get(key, "<absent>"), ours.get(key, "<absent>")
        if key.startswith("cal_logs."):
            a_lines = [
                _log_line(x) for x in str(a_value).splitlines() if not any(v in x for v in _VOLATILE_LOG_TEXT)
            ]
            b_lines = [
                _log_line(x) for x in str(b_value).splitlines() if not any(v in x for v in _VOLATILE_LOG_TEXT)
            ]
            if a_lines != b_lines:
                problems.append(f"{key}: log lines differ")
            continue
        if isinstance(a_value, np.ndarray) or isinstance(b_value, np.ndarray):
            if not _arrays_equal(np.asarray(a_value), np.asarray(b_value)):
                problems.append(f"{key}: reference {a_value!r}, jwstmodels {b_value!r}")
        elif str(a_value) != str(b_value):
            problems.append(f"{key}: reference {a_value!r}, jwstmodels {b_value!r}")
    return problems
