"""``jwstmodels convert IN OUT``: FITS to ASDF and back (the suffix of OUT decides), through the models.

Values that do not fit their field are carried over as they are (with a warning), FITS cards the schema does
not name travel in ``extra_fits``, and the written file is read back and compared with what was meant to be
written (``--no-verify`` skips that): exit status 0 when it matches, 1 when something was lost.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from . import output
from .common import FOUND, OK, BadInput, check_readable, guarded, open_model, reading, warning_lines
from .diff import compare_models, load, render
from .info import file_format

FITS_SUFFIXES = (".fits", ".fit", ".fts", ".fits.gz", ".fit.gz")


def target_format(target: str) -> str:
    name = target.lower()
    if name.endswith(".asdf"):
        return "ASDF"
    if name.endswith(FITS_SUFFIXES):
        return "FITS"
    raise BadInput(target, "cannot tell the format from the suffix; use .fits or .asdf")


def check_target(source: str, target: str, overwrite: bool) -> None:
    """BadInput for a target that cannot or must not be written."""
    if os.path.isdir(target):
        raise BadInput(target, "is a directory; give a file name ending in .fits or .asdf")
    folder = os.path.dirname(target) or "."
    if not os.path.isdir(folder):
        raise BadInput(target, f"no such folder {folder}")
    if os.path.exists(target):
        if os.path.samefile(source, target):
            raise BadInput(target, "is the input file; write to another name")
        if not overwrite:
            raise BadInput(target, "exists; --overwrite replaces it")


@guarded
def convert(
    source: Annotated[str, typer.Argument(help="Input file (FITS or ASDF)", metavar="IN")],
    target: Annotated[str, typer.Argument(help="Output file: .fits or .asdf", metavar="OUT")],
    overwrite: Annotated[bool, typer.Option("--overwrite", "-f", help="Replace OUT if it exists.")] = False,
    verify: Annotated[
        bool, typer.Option("--verify/--no-verify", help="Read OUT back and compare it with IN.")
    ] = True,
) -> None:
    """Convert between FITS and ASDF through the model, losing nothing; OUT's suffix picks the format."""
    check_readable(source)
    check_target(source, target, overwrite)
    kind = target_format(target)
    with reading(source) as caught:
        model = open_model(source)
        from_kind = file_format(source)
    with model:
        with reading(source):
            for name in model.array_names():
                getattr(model, name)  # read everything before the source may be replaced or closed
        with reading(target):
            model.save(target)
        for text in warning_lines(source, caught):
            output.warning(text)
        summary = f"{source} -> {target}: {type(model).__name__}, {from_kind} to {kind}"
        if not verify:
            output.line(f"{summary} (not verified)")
            raise typer.Exit(OK)
        written, notes = load(target)
        with written, reading(target):
            result = compare_models(model, written)
    if result["identical"]:
        output.line(f"{summary}; read back: identical", "green")
        raise typer.Exit(OK)
    for text in notes:
        output.warning(text)
    output.problem(f"{target}: written, but reading it back differs from {source}:")
    render(result, f"{source} (as written)", target)
    raise typer.Exit(FOUND)
