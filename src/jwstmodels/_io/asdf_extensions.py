"""The asdf extensions a model reads and writes with (``extensions=``), in effect only while it does: kept
apart from the ASDF backend so that DataModel imports it without importing the backend (or asdf)."""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Iterable
from typing import Any, cast


def extension_tuple(extensions: object) -> tuple[object, ...]:
    """The ``extensions=`` a model or ``open`` was given (None, one, or several) as a tuple."""
    if extensions is None:
        return ()
    if isinstance(extensions, list | tuple | set | frozenset):
        return tuple(cast(Iterable[object], extensions))
    return (extensions,)


@contextlib.contextmanager
def extensions_in_effect(extensions: tuple[object, ...]) -> Generator[None]:
    """asdf configured with ``extensions`` (extension objects); without any, asdf is not even imported."""
    if not extensions:
        yield
        return
    import asdf

    with asdf.config_context() as config:
        for extension in extensions:
            config.add_extension(cast(Any, extension))
        yield
