"""Exception and warning types of jwstmodels.

Every error names the model class, the dotted path of the field and, where the field has one, its FITS
keyword, so that a message read in a pipeline log points at the exact place to look.
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator


def describe_location(
    model: str | None, path: str, keyword: str | None = None, hdu: str | None = None
) -> str:
    """Return ``"ImageModel: meta.exposure.nframes (FITS NFRAMES in PRIMARY)"``-style text."""
    where = f"{model}: {path}" if model else path
    if keyword:
        where += f" (FITS {keyword} in {hdu or 'PRIMARY'})"
    elif hdu:
        where += f" (FITS HDU {hdu})"
    return where


class ValidationError(ValueError):
    """A value does not fit the schema of the field it was given to.

    Raised on assignment (the model is left unchanged), by ``validate()`` and by ``save()`` before anything is
    written.
    """

    def __init__(
        self,
        message: str,
        *,
        model: str | None = None,
        path: str = "",
        keyword: str | None = None,
        hdu: str | None = None,
        expected: str = "",
        got: object = None,
    ) -> None:
        super().__init__(message)
        self.model = model
        self.path = path
        self.keyword = keyword
        self.hdu = hdu
        self.expected = expected
        self.got = got

    @classmethod
    def for_field(
        cls,
        *,
        model: str | None,
        path: str,
        keyword: str | None,
        hdu: str | None,
        expected: str,
        got: object,
    ) -> ValidationError:
        where = describe_location(model, path, keyword, hdu)
        shown = got if isinstance(got, str) and got.startswith("<") else f"{got!r} ({type(got).__name__})"
        message = f"{where}: expected {expected}, got {shown}"
        return cls(message, model=model, path=path, keyword=keyword, hdu=hdu, expected=expected, got=got)

    def within(self, model: str, place: str) -> ValidationError:
        """This error of an item model, told from the multi-model ``model`` that holds it at ``place``
        (``slits[2]``): ``MultiSlitModel: slits[2].meta.exposure.nframes ...``."""
        return ValidationError.for_field(
            model=model,
            path=f"{place}.{self.path}",
            keyword=self.keyword,
            hdu=self.hdu,
            expected=self.expected,
            got=self.got,
        )


class ValidationErrors(ValidationError):
    """Several fields failed validation at once (``validate()``, ``save()``); ``errors`` lists each one."""

    def __init__(self, errors: list[ValidationError]) -> None:
        lines = "\n  ".join(str(e) for e in errors)
        first = errors[0]
        super().__init__(
            f"{len(errors)} validation error(s):\n  {lines}",
            model=first.model,
            path=first.path,
            keyword=first.keyword,
            hdu=first.hdu,
            expected=first.expected,
            got=first.got,
        )
        self.errors = errors


class UnknownFieldError(AttributeError, KeyError):
    """An attribute or dotted key (``model["meta.x.y"]``) that the schema does not define (usually a
    misspelling; the message suggests the closest name). It is an ``AttributeError`` and, so that code
    catching a missing key still works, a ``KeyError``."""

    def __str__(self) -> str:
        return AttributeError.__str__(self)  # the message, not KeyError's repr of it


class FileFormatError(OSError):
    """A file is neither FITS nor ASDF, is truncated, or lacks what the model needs."""


class InvalidValueWarning(UserWarning):
    """A file held a value that does not fit its field; it was kept so that re-saving loses nothing."""


class UnknownModelTypeWarning(InvalidValueWarning):
    """A file names (``DATAMODL``, ``meta.model_type``) a model type no class of the catalogue has: it was
    read as the closest class (the one asked for, or the one its data fit), and saving it keeps the type it
    names. A subclass of InvalidValueWarning, so filters of that warning still catch it."""


class ModelTypeMismatchWarning(UserWarning):
    """A file was opened with a model class other than the one its ``DATAMODL`` (``meta.model_type``) names:
    what the class's schema does not describe is kept aside, not read into fields. ``jwstmodels.open``
    picks the file's own class."""


class FileChangedError(FileFormatError):
    """An array that was not read while its file was open cannot be read any more: the model was closed (or
    unpickled elsewhere) and the file has since changed or gone, or it was not a file that can be opened again
    (a file object, an HDUList built in memory). The message names the model, the array and the file."""


def library_error_types() -> tuple[type[BaseException], ...]:
    """Exceptions the file libraries (astropy, asdf, numpy, zlib, PyYAML) raise for a damaged file."""
    import struct
    import zlib

    types: list[type[BaseException]] = [
        KeyError,
        IndexError,
        TypeError,
        ValueError,
        AttributeError,
        EOFError,
        MemoryError,
        OverflowError,
        RecursionError,
        UnicodeError,
        zlib.error,
        struct.error,
    ]
    import sys

    fits = sys.modules.get("astropy.io.fits")
    if fits is not None:
        types.append(fits.VerifyError)
    yaml = sys.modules.get("yaml")
    if yaml is not None:
        types.append(yaml.YAMLError)
    return tuple(types)


_OWN_ERRORS = (ValidationError, UnknownFieldError, FileFormatError)


def explain_library_error(exc: BaseException) -> str:
    """What a library's exception says about a damaged file, in words (``KeyError: -33`` alone says
    nothing)."""
    if isinstance(exc, KeyError):
        key = exc.args[0] if exc.args else "?"
        return f"a required entry is missing or invalid ({key!r})"
    if isinstance(exc, MemoryError):
        return f"it declares more data than can be held in memory ({exc or 'MemoryError'})"
    if isinstance(exc, RecursionError):
        return "it is nested too deeply"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{text} ({type(exc).__name__})"


def as_file_error(exc: BaseException, where: str, doing: str) -> BaseException:
    """``exc`` unchanged when it is already one of ours (or an OSError naming ``where``'s file), else a
    FileFormatError ``"{where}: cannot {doing}: {explanation}"``. ``where`` starts with the file name and
    may add the HDU or block, keyword and field (``"x.fits: HDU SCI (field data)"``)."""
    if isinstance(exc, _OWN_ERRORS):
        return exc
    if isinstance(exc, OSError) and where.split(": ")[0] in str(exc):
        return exc
    error = FileFormatError(f"{where}: cannot {doing}: {explain_library_error(exc)}")
    error.__cause__ = exc
    return error


@contextlib.contextmanager
def file_errors(where: str, doing: str) -> Generator[None]:
    """Turn a library's exception for a damaged file into a FileFormatError naming ``where`` (see
    :func:`as_file_error`); our own errors pass through."""
    try:
        yield
    except (*library_error_types(), OSError) as exc:
        clean = as_file_error(exc, where, doing)
        if clean is exc:
            raise
        raise clean from exc


@contextlib.contextmanager
def naming_place(where: str) -> Generator[None]:
    """A ValidationError raised inside gets ``where`` (the file, HDU or block) in front of its message when
    it does not name the file yet (an array that does not fit its field, found when it is first read)."""
    try:
        yield
    except ValidationError as exc:
        if where.split(": ")[0] not in str(exc):
            exc.args = (f"{where}: {exc}", *exc.args[1:])
        raise
