"""Errors and warnings of the generator: each names a schema file and a JSON pointer inside it."""

from __future__ import annotations

from dataclasses import dataclass


class SchemaError(Exception):
    """A schema cannot be turned into code; ``str()`` is one line ``file: /json/pointer: message``."""

    def __init__(self, file: str, pointer: str, message: str) -> None:
        super().__init__(f"{file}: {pointer or '/'}: {message}")
        self.file = file
        self.pointer = pointer
        self.message = message


class BuildError(Exception):
    """A planning decision failed (for example two schema paths that derive the same class name)."""


@dataclass(frozen=True, slots=True)
class Report:
    """Something the generator could not express and skipped (non-strict mode) or noticed."""

    file: str
    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.pointer or '/'}: {self.message}"


def escape_pointer_token(token: str) -> str:
    """Escape one JSON-pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def join_pointer(pointer: str, *tokens: str | int) -> str:
    return pointer + "".join("/" + escape_pointer_token(str(t)) for t in tokens)
