"""``jwstmodels generate [--schemas DIR] [--out DIR]``: run the code generator, also on a third-party folder.

The generator is the package ``codegen`` of the source checkout; the wheel ships it as ``jwstmodels._codegen``
with the catalogue's schemas (``pip install 'jwstmodels[codegen]'`` adds what it needs: jinja2, PyYAML, ruff).
The checkout's copy is preferred (importable ``codegen``, the checkout this package was installed from, or the
current folder or one of its parents), so that developers run the generator they edit; otherwise the shipped
one, whose default schema folder is the shipped schemas (``--out`` is then required). When neither is there
the command says so and exits with status 2.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any

import typer

from . import output
from .common import FOUND, OK, BadInput, guarded

DEFAULT_SCHEMAS = "schemas"
DEFAULT_OUT = "generated/jwstmodels_generated"


def _is_checkout(folder: Path) -> bool:
    return (folder / "codegen" / "build.py").is_file() and (folder / DEFAULT_SCHEMAS).is_dir()


def checkout_candidates() -> list[Path]:
    """Folders that may be the source checkout: the one this package came from, then cwd and its parents."""
    here = Path(__file__).resolve()
    cwd = Path.cwd().resolve()
    return [here.parents[3], cwd, *cwd.parents]


def load_generator() -> tuple[ModuleType, Path | None]:
    """``codegen.build`` and the checkout it comes from (None when ``codegen`` was importable as it is)."""
    try:
        build = importlib.import_module("codegen.build")
    except ModuleNotFoundError as exc:
        if exc.name not in ("codegen", "codegen.build"):
            raise _missing_dependency(exc) from exc
    else:
        root = Path(build.__file__ or "").resolve().parents[1]
        return build, root if _is_checkout(root) else None
    for folder in checkout_candidates():
        if _is_checkout(folder):
            sys.path.insert(0, str(folder))
            try:
                return importlib.import_module("codegen.build"), folder
            except ModuleNotFoundError as exc:
                raise _missing_dependency(exc) from exc
    try:  # the generator shipped in the wheel
        return importlib.import_module(f"{SHIPPED}.build"), None
    except ModuleNotFoundError as exc:
        if exc.name != SHIPPED and exc.name != f"{SHIPPED}.build":
            raise _missing_dependency(exc) from exc
    raise BadInput(
        "generate",
        "the generator is not installed: install jwstmodels from its wheel with the codegen extra "
        "(pip install 'jwstmodels[codegen]') or run this command inside the source checkout",
    )


SHIPPED = "jwstmodels._codegen"
"""Where the wheel puts the generator (and its ``schemas`` folder: the catalogue's schemas)."""


def shipped_schemas(build: ModuleType) -> Path | None:
    """The schemas shipped beside the wheel's generator (None for a checkout's generator)."""
    if not build.__name__.startswith(f"{SHIPPED}."):
        return None
    folder = Path(build.__file__ or "").resolve().parent / DEFAULT_SCHEMAS
    return folder if folder.is_dir() else None


def _missing_dependency(exc: ModuleNotFoundError) -> BadInput:
    return BadInput(
        "generate",
        f"the generator needs {exc.name}, which is not installed: pip install 'jwstmodels[codegen]'",
    )


def folders(
    schemas: Path | None, out: Path | None, checkout: Path | None, shipped: Path | None = None
) -> tuple[Path, Path]:
    """The schema and output folders; by default the checkout's ``schemas/`` and generated package (with the
    wheel's generator: its shipped schemas, and ``--out`` is required)."""
    if schemas is None and checkout is None and shipped is not None:
        if out is None:
            raise BadInput("generate", f"give --out DIR (generating from the shipped schemas in {shipped})")
        schemas = shipped
    if schemas is None:
        if checkout is None:
            raise BadInput("generate", "give --schemas DIR (no source checkout to take schemas/ from)")
        schemas = checkout / DEFAULT_SCHEMAS
    if not schemas.exists():
        raise BadInput(str(schemas), "no such folder")
    if not schemas.is_dir():
        raise BadInput(str(schemas), "not a folder of *.schema.yaml files")
    if out is None:
        if checkout is None or schemas.resolve() != (checkout / DEFAULT_SCHEMAS).resolve():
            raise BadInput(
                str(schemas), "give --out DIR for a schema folder other than the checkout's schemas/"
            )
        out = checkout / DEFAULT_OUT
    if out.exists() and not out.is_dir():
        raise BadInput(str(out), "exists and is not a folder")
    return schemas, out


@guarded
def generate(
    schemas: Annotated[
        Path | None,
        typer.Option(help="Folder of *.schema.yaml (and models.yaml); default: the checkout's schemas/."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Package folder to write; default: generated/jwstmodels_generated of the checkout."
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 when OUT differs from a fresh generation.")
    ] = False,
    strict: Annotated[
        bool | None,
        typer.Option(
            "--strict/--lenient",
            help="Unknown schema keys are errors / are reported. Default: strict when models.yaml exists.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON: {out, files, notes} or {out, stale}.")
    ] = False,
) -> None:
    """Generate the typed model classes from a schema folder (the checkout's generator, else the wheel's).

    Exit status 0 on success, 1 when the schemas have errors or --check finds OUT stale, 2 when the generator
    or a folder is missing.
    """
    build, checkout = load_generator()
    schema_dir, out_dir = folders(schemas, out, checkout, shipped_schemas(build))
    if check:
        run_check(build, schema_dir, out_dir, strict, as_json)
    else:
        run_generate(build, schema_dir, out_dir, strict, as_json)


def _failures(package: str) -> tuple[type[Exception], ...]:
    """The generator's own error types: a schema problem or a failed build (reported, exit status 1)."""
    errors = importlib.import_module(f"{package}.errors")
    formatting = importlib.import_module(f"{package}.format")
    return (errors.SchemaError, errors.BuildError, formatting.FormatError)


def _generator_call(function: Any, schema_dir: Path, out_dir: Path, strict: bool | None) -> Any:
    package = str(function.__module__).rsplit(".", 1)[0]  # codegen, or jwstmodels._codegen
    try:
        return function(schema_dir, out_dir, strict=strict)
    except _failures(package) as exc:
        output.problem(str(exc))
        raise typer.Exit(FOUND) from None
    except OSError as exc:
        raise BadInput(str(out_dir), exc.strerror or str(exc)) from exc


def run_check(build: ModuleType, schema_dir: Path, out_dir: Path, strict: bool | None, as_json: bool) -> None:
    differ, missing, extra = _generator_call(build.check, schema_dir, out_dir, strict)
    stale = [
        f"{label}: {out_dir / name}"
        for label, names in (("differs", differ), ("missing", missing), ("extra", extra))
        for name in names
    ]
    if as_json:
        output.print_json({"out": str(out_dir), "stale": stale})
    elif stale:
        for text in stale:
            output.problem(f"  {text}")
        output.problem(f"{out_dir} is stale: run jwstmodels generate")
    else:
        output.line(f"{out_dir} is up to date with {schema_dir}", "green")
    raise typer.Exit(FOUND if stale else OK)


def run_generate(
    build: ModuleType, schema_dir: Path, out_dir: Path, strict: bool | None, as_json: bool
) -> None:
    result = _generator_call(build.generate, schema_dir, out_dir, strict)
    notes = [str(report) for report in result.reports]
    files = [str(name) for name in result.files]
    if as_json:
        output.print_json({"out": str(out_dir), "files": files, "notes": notes})
    else:
        for text in notes:
            output.line(f"note: {text}", "yellow", stderr=True)
        output.line(f"wrote {len(files)} files to {out_dir} from {schema_dir}", "green")
    raise typer.Exit(OK)
