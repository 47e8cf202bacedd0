"""``jwstmodels search TEXT`` and ``jwstmodels keyword NAME``: look things up in the schemas of every model.

Answers come from the generated model classes (titles, FITS keywords, HDUs), merged over the whole catalogue:
an entry shared by many models is listed once, with the models that have it.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from . import output
from .common import FOUND, OK, BadInput, guarded

if TYPE_CHECKING:
    from jwstmodels import DataModel, MetaNode
    from jwstmodels._model.schema_search import SchemaMatch


class Entry(NamedTuple):
    """One schema entry and the model classes that have it."""

    path: str
    title: str
    keyword: str | None
    hdu: str | None
    models: tuple[str, ...]


def model_classes(only: str | None = None) -> list[type[DataModel[MetaNode]]]:
    """Every generated model class once (aliases folded), or the one named ``only`` (BadInput if unknown)."""
    import importlib

    from jwstmodels_generated.lookup import MODEL_CLASSES

    if only is not None:
        known = {name.lower(): name for name in MODEL_CLASSES}
        found = known.get(only.lower()) or known.get(f"{only.lower()}model")
        if found is None:
            close = difflib.get_close_matches(only, list(MODEL_CLASSES), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise BadInput(only, f"no such model class{hint}")
        targets = [MODEL_CLASSES[found]]
    else:
        targets = list(dict.fromkeys(MODEL_CLASSES.values()))
    classes: list[type[DataModel[MetaNode]]] = []
    for module_name, class_name in targets:
        module = importlib.import_module(f"jwstmodels_generated.{module_name}")
        classes.append(getattr(module, class_name))
    return classes


def merged(matches: list[tuple[str, list[SchemaMatch]]]) -> list[Entry]:
    """Fold per-model matches into entries listing their models, in first-seen order."""
    models: dict[SchemaMatch, list[str]] = {}
    for model_name, found in matches:
        for match in found:
            models.setdefault(match, []).append(model_name)
    return [Entry(m.path, m.title, m.keyword, m.hdu, tuple(names)) for m, names in models.items()]


def models_text(models: tuple[str, ...], total: int) -> str:
    if len(models) == total and total > 1:
        return f"all {total}"
    if len(models) <= 3:
        return ", ".join(models)
    return f"{', '.join(models[:2])} +{len(models) - 2} more"


def hdu_text(entry: Entry) -> str:
    return entry.hdu or ("PRIMARY" if entry.keyword else "")


def render(entries: list[Entry], total: int, title: str) -> None:
    rows = [
        [e.path, e.keyword or "", hdu_text(e), e.title.strip(), models_text(e.models, total)] for e in entries
    ]
    output.table(title, ["path", "keyword", "HDU", "title", "models"], rows)


def count(entries: list[Entry]) -> str:
    return f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"


def as_records(entries: list[Entry]) -> list[dict[str, object]]:
    return [{**e._asdict(), "models": list(e.models)} for e in entries]


@guarded
def search(
    text: Annotated[str, typer.Argument(help="Text to look for in paths, titles, FITS keywords and HDUs.")],
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="Search only this model class (ImageModel, ...).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON: a list of {path, title, keyword, hdu, models}.")
    ] = False,
) -> None:
    """Search the schemas: metadata, arrays and tables whose path, title, keyword or HDU contains TEXT.

    Case-insensitive. Exit status 1 when nothing matches.
    """
    from jwstmodels._model.schema_search import search_schema

    if not text.strip():
        raise BadInput("search", "give some text to look for")
    classes = model_classes(model)
    entries = merged([(cls.__name__, search_schema(cls, text.strip())) for cls in classes])
    if as_json:
        output.print_json(as_records(entries))
    elif entries:
        render(entries, len(classes), f"{count(entries)} matching {text.strip()!r}")
    else:
        output.problem(f"nothing in the schemas matches {text.strip()!r}")
    raise typer.Exit(OK if entries else FOUND)


@guarded
def keyword(
    name: Annotated[str, typer.Argument(help="FITS keyword (NFRAMES) or HDU name (SCI).")],
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="Look only in this model class (ImageModel, ...).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON: a list of {path, title, keyword, hdu, models}.")
    ] = False,
) -> None:
    """Where a FITS keyword (or HDU) lives: the dotted paths that are stored under NAME.

    Exit status 1 when no model has it (close keywords are suggested).
    """
    from jwstmodels._model.schema_search import schema_entries

    wanted = name.strip().upper()
    if not wanted:
        raise BadInput("keyword", "give a FITS keyword or HDU name")
    classes = model_classes(model)
    per_model = [(cls.__name__, schema_entries(cls)) for cls in classes]
    found = [(model_name, [e for e in found if _stored_as(e, wanted)]) for model_name, found in per_model]
    entries = merged(found)
    if as_json:
        output.print_json(as_records(entries))
    elif entries:
        render(entries, len(classes), f"{wanted}: {count(entries)}")
    else:
        known = sorted({e.keyword or e.hdu or "" for _, found in per_model for e in found} - {""})
        close = difflib.get_close_matches(wanted, known, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        output.problem(f"no model stores a FITS keyword or HDU named {wanted}{hint}")
    raise typer.Exit(OK if entries else FOUND)


def _stored_as(entry: SchemaMatch, wanted: str) -> bool:
    """True when ``entry`` is the keyword ``wanted``, or an array or table stored in HDU ``wanted``."""
    if entry.keyword is not None:
        return entry.keyword.upper() == wanted
    return entry.hdu is not None and entry.hdu.upper() == wanted
