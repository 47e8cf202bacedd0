"""The ``jwstmodels`` command: info, validate, search, keyword, convert, diff and generate.

Built on typer (click) with rich output on a terminal. Each command lives in its own module and imports the
runtime (numpy, astropy, the model classes) and rich only when it runs, so that ``jwstmodels --help`` stays
quick: help and usage errors are click's plain text (typer's rich help would import rich and draw boxes).
"""

from __future__ import annotations

from typing import Annotated

import typer

from . import convert, diff, generate, info, schema, validate
from .common import state

app = typer.Typer(
    name="jwstmodels",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from .._version import __version__

        typer.echo(f"jwstmodels {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of unexpected errors.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Inspect, validate, convert and compare JWST data model files (FITS and ASDF); search the schemas.

    \b
    Exit status 0: success.
    Exit status 1: something was found (invalid files, differences, no match, stale output).
    Exit status 2: bad input (missing, unreadable or foreign file, bad option); --debug adds tracebacks.
    """
    state.debug = debug


app.command("info")(info.info)
app.command("validate")(validate.validate)
app.command("search")(schema.search)
app.command("keyword")(schema.keyword)
app.command("convert")(convert.convert)
app.command("diff")(diff.diff)
app.command("generate")(generate.generate)


def main() -> None:
    """Console-script entry point (``jwstmodels``, ``python -m jwstmodels``)."""
    app(prog_name="jwstmodels")
