"""``jwstmodels validate FILE...``: check files against their model's schema.

Exit status 0 when every file is valid, 1 when any is invalid, 2 when any could not be read. Each problem is
one line naming the file, the dotted path, the FITS keyword and HDU, what was expected and what was found.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import output
from .common import BAD_INPUT, FOUND, OK, BadInput, guarded, open_model, reading, report, warning_lines

if TYPE_CHECKING:
    from jwstmodels import DataModel, MetaNode, ValidationError

PROGRESS_FROM = 4
"""A progress bar is shown (on stderr, when it is a terminal) when at least this many files are validated."""


def problems_of(name: str, model: DataModel[MetaNode], prefix: str = "") -> list[dict[str, Any]]:
    """Every problem ``model.validate()`` finds, as JSON-ready records naming ``name``.

    Arrays still in the file are read (and so checked) first; the items of list fields (``slits``) are
    validated too, their paths prefixed (``slits[0].data``).
    """
    from jwstmodels import ValidationError, ValidationErrors
    from jwstmodels._model.schema_search import list_names

    errors: list[ValidationError] = []
    for array_name in model.array_names():
        try:
            getattr(model, array_name)
        except ValidationError as exc:
            errors.append(exc)
    try:
        model.validate()
    except ValidationErrors as exc:
        seen = {(e.path, e.keyword) for e in errors}
        errors += [e for e in exc.errors if (e.path, e.keyword) not in seen]
    except ValidationError as exc:
        errors.append(exc)
    records = [_record(name, type(model).__name__, error, prefix) for error in errors]
    for list_name in list_names(model):
        for index, item in enumerate(getattr(model, list_name)):
            records += problems_of(name, item, f"{prefix}{list_name}[{index}].")
    return records


def _record(name: str, model_name: str, error: ValidationError, prefix: str) -> dict[str, Any]:
    return {
        "file": name,
        "model": error.model or model_name,
        "path": prefix + error.path,
        "keyword": error.keyword,
        "hdu": error.hdu,
        "expected": error.expected,
        "found": output.jsonable(error.got),
        "message": str(error),
    }


def _unexplained(caught: list[warnings.WarningMessage]) -> list[warnings.WarningMessage]:
    """Warnings other than the invalid-value ones (those reappear as validation problems)."""
    from jwstmodels import InvalidValueWarning

    return [w for w in caught if not issubclass(w.category, InvalidValueWarning)]


def problem_line(record: dict[str, Any]) -> str:
    """``FILE: meta.x.y (FITS KEY in HDU): expected ..., found ...``."""
    where = record["path"]
    if record["keyword"]:
        where += f" (FITS {record['keyword']} in {record['hdu'] or 'PRIMARY'})"
    elif record["hdu"]:
        where += f" (FITS HDU {record['hdu']})"
    found = record["found"]
    shown = found if isinstance(found, str) and found.startswith("<") else output.shown(found)
    return f"{record['file']}: {where}: expected {record['expected']}, found {shown}"


@guarded
def validate(
    files: Annotated[list[str], typer.Argument(help="FITS or ASDF files", metavar="FILE")],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the problems.")] = False,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="JSON: {valid, files: [{file, model, valid, problems}], unreadable}."),
    ] = False,
) -> None:
    """Validate each file against its model's schema: exit 0 when all are valid, 1 otherwise."""
    results: list[dict[str, Any]] = []
    unreadable: list[dict[str, str]] = []
    show_bar = len(files) >= PROGRESS_FROM and not as_json
    with output.progress("validating", len(files), enabled=show_bar) as step:
        for name in files:
            try:
                with reading(name) as caught:
                    with open_model(name) as model:
                        problems = problems_of(name, model)
                        model_name = type(model).__name__
                    notes = warning_lines(name, _unexplained(caught))
            except BadInput as exc:
                step()
                unreadable.append({"file": exc.name, "problem": exc.problem})
                if not as_json:
                    report(exc)
                continue
            step()
            results.append({"file": name, "model": model_name, "valid": not problems, "problems": problems})
            if not as_json:
                for text in notes:
                    output.warning(text)
                if problems:
                    count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
                    output.line(f"{name}: invalid ({model_name}, {count})", "bold red")
                    for record in problems:
                        output.line(f"  {problem_line(record)}", "red")
                elif not quiet:
                    output.line(f"{name}: valid ({model_name})", "green")
    invalid = sum(1 for r in results if not r["valid"])
    if as_json:
        output.print_json(
            {"valid": not invalid and not unreadable, "files": results, "unreadable": unreadable}
        )
    elif len(files) > 1 and not quiet:
        output.line(
            f"{len(files)} files: {len(results) - invalid} valid, {invalid} invalid, "
            f"{len(unreadable)} unreadable",
            "bold",
        )
    raise typer.Exit(BAD_INPUT if unreadable else FOUND if invalid else OK)
