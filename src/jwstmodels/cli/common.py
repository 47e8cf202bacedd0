"""What every command shares: exit statuses, bad-input handling, ``--debug``, opening a file for a command.

Exit statuses: 0 success; 1 the command ran and found something (invalid files, differences, nothing found,
a stale generated package); 2 the command could not do its work (a missing, unreadable or foreign file, a bad
argument, the generator missing). Bad input is one line naming the file and the problem, with no traceback
unless ``--debug`` was given.
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Callable, Generator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, ParamSpec

import typer

from . import output

if TYPE_CHECKING:
    from jwstmodels import DataModel, MetaNode

OK = 0
FOUND = 1
BAD_INPUT = 2

P = ParamSpec("P")


@dataclass
class State:
    debug: bool = False


state = State()
"""Options of the top-level ``jwstmodels`` command, set by its callback before any command runs."""


class BadInput(Exception):
    """A file or argument the command cannot work on: shown as ``NAME: problem``, exit status 2."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem


def report(exc: BadInput) -> None:
    """The one line for bad input, on stderr: ``jwstmodels: NAME: problem``."""
    output.problem(f"jwstmodels: {exc}")


def guarded(command: Callable[P, None]) -> Callable[P, None]:
    """Run a command so that bad input and unexpected errors end in one line and exit status 2.

    With ``--debug`` unexpected errors propagate with their traceback.
    """

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except BadInput as exc:
            report(exc)
            raise typer.Exit(BAD_INPUT) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            if state.debug:
                raise
            text = " ".join(str(exc).split())
            output.problem(f"jwstmodels: {type(exc).__name__}: {text} (--debug shows the traceback)")
            raise typer.Exit(BAD_INPUT) from None

    return run


def _problem_text(exc: BaseException, name: str) -> str:
    """The message of ``exc`` without a leading ``name:`` (the caller puts the file name in front)."""
    text = str(exc).strip() or type(exc).__name__
    for prefix in (f"{name}: ", f"{os.path.abspath(name)}: "):
        text = text.removeprefix(prefix)
    return " ".join(text.split())


@contextmanager
def reading(name: str) -> Generator[list[warnings.WarningMessage]]:
    """Work on file ``name``: warnings are collected (not printed) and any failure becomes BadInput(name)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # pydantic's note when dumping a value kept with pass_invalid_values repeats our own warning
        warnings.filterwarnings("ignore", message="Pydantic serializer warnings")
        try:
            yield caught
        except (BadInput, typer.Exit):
            raise
        except Exception as exc:
            if state.debug:
                raise
            raise BadInput(name, _problem_text(exc, name)) from exc


def check_readable(name: str) -> None:
    """BadInput unless ``name`` is an existing, readable file (checked before any library sees it)."""
    if not os.path.lexists(name):
        raise BadInput(name, "no such file")
    if os.path.isdir(name):
        raise BadInput(name, "is a directory, not a FITS or ASDF file")
    if not os.path.exists(name):
        raise BadInput(name, "broken symbolic link")
    if not os.access(name, os.R_OK):
        raise BadInput(name, "permission denied")


def open_model(name: str, *, pass_invalid_values: bool = True) -> DataModel[MetaNode]:
    """``jwstmodels.open(name)`` for a command; use inside :func:`reading` so that failures name the file.

    By default values that do not fit their field stay in place (``pass_invalid_values``) so that a command
    shows and validates what the file holds. A FITS or ASDF file holding nothing the schemas know (no model
    type, no metadata, no arrays) is foreign: BadInput. One that names no model type, or a type the catalogue
    does not know, gets a warning saying which class it was read as.
    """
    check_readable(name)
    import jwstmodels

    model = jwstmodels.open(name, pass_invalid_values=pass_invalid_values)
    meta = model.to_flat_dict(include_arrays=False)
    if "meta.model_type" not in meta:
        cls = type(model).__name__
        if not meta and not model.array_names():
            model.close()
            raise BadInput(name, "not a JWST data model file (no model type, no known metadata or arrays)")
        warnings.warn(
            f"{name}: names no model type (DATAMODL / meta.model_type); read as {cls}", stacklevel=2
        )
    else:
        from jwstmodels_generated.lookup import MODEL_CLASSES

        model_type = str(meta["meta.model_type"])
        if model_type not in MODEL_CLASSES:
            cls = type(model).__name__
            warnings.warn(
                f"{name}: model type {model_type} is not in the catalogue; read as {cls}", stacklevel=2
            )
    return model


def warning_lines(name: str, caught: list[warnings.WarningMessage]) -> list[str]:
    """The collected warnings as text, each naming the file, each distinct message once."""
    lines: list[str] = []
    for item in caught:
        text = str(item.message).strip()
        if os.path.basename(name) not in text:
            text = f"{name}: {text}"
        if text not in lines:
            lines.append(text)
    return lines
