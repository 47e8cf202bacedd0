"""Facts of a schema set, and how ours drift from the reference's (a development tool, not run by the build).

The facts of a model are what decides how a file maps onto it: every dotted path with its kind (scalar,
array, table, list, list of values), FITS keyword and HDU, type or dtype, ndim, table columns with their cell
shapes and units, enum values, defaults, and which schema files the model's schema extends. Titles and
descriptions are not facts: ours are written in our own words and are never compared.

Both schema sets are read with the generator's own loader and normalizer (``load`` -> ``normalize``), so the
facts are what the generator would see. The reference's models are the classes
``stdatamodels.jwst.datamodels`` exports (each names its schema file); ours are the entries of
``schemas/models.yaml``.

    python -m codegen.reference_facts show Level1bModel           # the reference's facts of one model
    python -m codegen.reference_facts show level1b.schema.yaml    # ... of one schema file
    python -m codegen.reference_facts show Level1bModel --ours    # our facts of the same model
    python -m codegen.reference_facts skeleton Level1bModel       # a schema skeleton with the facts, no words
    python -m codegen.reference_facts drift                       # every difference, model by model
    python -m codegen.reference_facts drift --allowed schemas/drift-allowed.yaml   # only unlisted ones

Intended differences are listed in ``schemas/drift-allowed.yaml``: entries with ``model``, optional ``path``
and ``fact``, ``ours`` and ``reference`` (shell-style patterns on the fact values; ``-`` is an absent value)
and a ``reason``; an entry that matches no difference is reported as stale.
"""

from __future__ import annotations

import argparse
import fnmatch
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

from . import ir
from .load import SchemaSet, as_dict, as_list, load_folder, load_manifest, load_yaml
from .normalize import Normalizer

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
ALLOWED = SCHEMAS / "drift-allowed.yaml"

#: Fact value of one dotted path: fact name -> value (a string, comparable and printable).
Facts = dict[str, str]


def reference_folder() -> Path:
    """The installed reference's schema folder (stdatamodels is a development dependency)."""
    import stdatamodels

    return Path(stdatamodels.__file__).parent / "jwst" / "datamodels" / "schemas"


def reference_models() -> dict[str, str]:
    """Model class name -> schema file, for every model class the installed reference exports."""
    import stdatamodels.jwst.datamodels as sdm

    out: dict[str, str] = {}
    for name in sorted(sdm.__all__):
        cls = getattr(sdm, name, None)
        url = getattr(cls, "schema_url", None)
        if isinstance(cls, type) and isinstance(url, str) and url:
            out[name] = url.rsplit("/", 1)[-1].removesuffix(".yaml") + ".yaml"
    return out


def reference_bases() -> dict[str, str]:
    """Model class name -> the nearest exported model class it subclasses (empty for the roots)."""
    import stdatamodels.jwst.datamodels as sdm

    models = reference_models()
    out: dict[str, str] = {}
    for name in models:
        cls = getattr(sdm, name)
        base = next((b.__name__ for b in cls.__mro__[1:] if b.__name__ in models), "")
        out[name] = base
    return out


def our_models(folder: Path = SCHEMAS) -> dict[str, dict[str, Any]]:
    """Model class name -> manifest entry (schema, title, aliases, base, ...) of our ``models.yaml``."""
    manifest = load_manifest(folder) or {}
    return {name: (as_dict(entry) or {}) for name, entry in manifest.items()}


class FactSet:
    """One schema folder read by the generator's loader; facts of its schema files on demand."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.schemas: SchemaSet = load_folder(folder, strict=False)
        self.normalizer = Normalizer(self.schemas)
        self._cache: dict[str, dict[str, Facts]] = {}

    def has(self, file: str) -> bool:
        return file in self.schemas.docs

    def facts(self, file: str) -> dict[str, Facts]:
        """Dotted path -> facts, for every leaf of schema ``file`` (list items under ``path[]``)."""
        if file not in self._cache:
            root = self.normalizer.classify(self.normalizer.expand(file, "", self.schemas.docs[file]))
            out: dict[str, Facts] = {}
            _flatten(root, "" if isinstance(root, ir.ObjectNode) else "(file)", out)
            out[""] = {"extends": ", ".join(self.extends(file))}
            self._cache[file] = out
        return self._cache[file]

    def extends(self, file: str) -> list[str]:
        """The schema files the root of ``file`` includes through ``allOf`` / ``$ref``, in order."""
        doc = self.schemas.docs[file]
        refs: list[str] = []
        top = as_dict(doc) or {}
        parts = [top, *(as_dict(p) or {} for p in (as_list(top.get("allOf")) or []))]
        for part in parts:
            ref = part.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                refs.append(ref.split("#", 1)[0].rsplit("/", 1)[-1].removesuffix(".yaml") + ".yaml")
        return refs


def _fmt(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return repr(value)
    return repr(value) if isinstance(value, str) else str(value)


def _flatten(node: ir.Node, path: str, out: dict[str, Facts]) -> None:
    match node:
        case ir.ObjectNode():
            for name, sub in node.properties:
                _flatten(sub, f"{path}.{name}" if path else name, out)
        case ir.Scalar():
            facts: Facts = {"kind": "scalar", "type": node.type}
            if node.fits_keyword is not None:
                facts["fits_keyword"] = node.fits_keyword
                facts["fits_hdu"] = node.fits_hdu
            if node.enum is not None:
                facts["enum"] = ", ".join(sorted(_fmt(v) for v in node.enum))
            if node.default is not None:
                facts["default"] = _fmt(node.default)
            if node.format is not None:
                facts["format"] = node.format
            out[path] = facts
        case ir.Array():
            facts = {"kind": "array", "datatype": node.datatype, "fits_hdu": node.fits_hdu}
            if node.ndim is not None:
                facts["ndim"] = str(node.ndim)
            if node.max_ndim is not None:
                facts["max_ndim"] = str(node.max_ndim)
            if node.ndims is not None:
                facts["ndim"] = " or ".join(map(str, node.ndims))
            if node.default is not None:
                facts["default"] = _fmt(node.default)
            out[path] = facts
        case ir.Table():
            facts = {"kind": "table", "fits_hdu": node.fits_hdu}
            for column in node.columns:
                shape = "x".join("N" if n is None else str(n) for n in column.shape)
                text = column.dtype + (f"[{shape}]" if shape else "")
                if column.unit is not None:
                    text += f" ({column.unit})"
                facts[f"column {column.name}"] = text
            out[path] = facts
        case ir.ListNode():
            out[path] = {"kind": "list of objects"}
            _flatten(node.items, path + "[]", out)
        case ir.ValueList():
            out[path] = {"kind": f"list of {node.item.type}" + " lists" * (node.depth - 1)}
        case ir.TaggedObject() if ir.tagged_meta_class(node.tag) is not None:  # meta.wcs (gwcs)
            out[path] = {"kind": "list of tagged objects" if node.many else "tagged object", "tag": node.tag}
        case ir.Unsupported():
            out[path] = {"kind": f"not expressed ({node.reason})"}


# -- differences ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Difference:
    model: str
    path: str
    fact: str
    ours: str | None
    reference: str | None

    def __str__(self) -> str:
        where = self.path or "(model)"
        if self.fact == "model":
            return f"{self.model}: {'only in ours' if self.reference is None else 'missing here'}"
        if self.fact == "path":
            side = "only in ours" if self.reference is None else "missing here"
            return f"{self.model}: {where}: {side} ({self.ours or self.reference})"
        return f"{self.model}: {where}: {self.fact}: ours {self.ours!r}, reference {self.reference!r}"


def _summary(facts: Facts) -> str:
    return facts.get("kind", "") + "".join(
        f" {k}={v}" for k, v in facts.items() if k in ("datatype", "type", "fits_keyword", "fits_hdu")
    )


def compare_facts(model: str, ours: dict[str, Facts], ref: dict[str, Facts]) -> Iterator[Difference]:
    """Every difference between our facts of ``model`` and the reference's, path by path and fact by fact."""
    for path in sorted(set(ours) | set(ref)):
        mine, theirs = ours.get(path), ref.get(path)
        if mine is None or theirs is None:
            present = cast(Facts, mine or theirs)
            summary = _summary(present)
            yield Difference(model, path, "path", summary if mine else None, summary if theirs else None)
            continue
        for fact in sorted(set(mine) | set(theirs)):
            if mine.get(fact) != theirs.get(fact):
                yield Difference(model, path, fact, mine.get(fact), theirs.get(fact))


def drift(ours_folder: Path = SCHEMAS, ref_folder: Path | None = None) -> list[Difference]:
    """Every difference between our schema set and the installed reference's, model by model."""
    ref_set = FactSet(ref_folder or reference_folder())
    our_set = FactSet(ours_folder)
    ref_models = reference_models()
    ref_bases = reference_bases()
    mine = our_models(ours_folder)
    by_alias = {
        alias: name for name, entry in mine.items() for alias in (as_list(entry.get("aliases")) or [])
    }
    diffs: list[Difference] = []
    matched: set[str] = set()
    for name, ref_file in ref_models.items():
        ours_name = name if name in mine else by_alias.get(name)
        if ours_name is None:
            diffs.append(Difference(name, "", "model", None, ref_file))
            continue
        matched.add(ours_name)
        entry = mine[ours_name]
        our_file = str(entry.get("schema"))
        if ours_name != name:
            diffs.append(Difference(name, "", "class name", ours_name, name))
        base = str(entry.get("base") or "")
        ref_base = ref_bases[name]
        if ref_base == "JwstDataModel" and "JwstDataModel" not in mine:
            ref_base = (
                ""  # the reference's common root; ours is DataModel itself until a class of that name exists
            )
        if base != ref_base:
            diffs.append(Difference(name, "", "base", base, ref_base))
        if not ref_set.has(ref_file):
            continue
        diffs.extend(compare_facts(name, our_set.facts(our_file), ref_set.facts(ref_file)))
    for name in sorted(set(mine) - matched):
        diffs.append(Difference(name, "", "model", str(mine[name].get("schema")), None))
    return sorted(diffs)


@dataclass(frozen=True)
class Allowance:
    model: str
    path: str
    fact: str
    reason: str
    ours: str = "*"
    reference: str = "*"

    def matches(self, diff: Difference) -> bool:
        return (
            fnmatch.fnmatchcase(diff.model, self.model)
            and fnmatch.fnmatchcase(diff.path, self.path)
            and fnmatch.fnmatchcase(diff.fact, self.fact)
            and fnmatch.fnmatchcase(_text(diff.ours), self.ours)
            and fnmatch.fnmatchcase(_text(diff.reference), self.reference)
        )

    def __str__(self) -> str:
        return (
            f"model={self.model!r} path={self.path!r} fact={self.fact!r} ours={self.ours!r} "
            f"reference={self.reference!r} ({self.reason})"
        )


def _text(value: str | None) -> str:
    """A fact value as the allowance patterns see it (an absent value is ``-``)."""
    return "-" if value is None else value


def load_allowed(path: Path = ALLOWED) -> list[Allowance]:
    """The intended differences; every entry needs a ``model`` and a non-empty ``reason``."""
    data = load_yaml(path.read_text(encoding="utf-8"))
    top = as_dict(data) or {}
    entries = as_list(top.get("allowed"))
    if entries is None:
        raise ValueError(f"{path.name}: expected a mapping with a list 'allowed'")
    out: list[Allowance] = []
    for index, raw in enumerate(entries):
        entry = as_dict(raw)
        if entry is None or not isinstance(entry.get("model"), str):
            raise ValueError(f"{path.name}: allowed[{index}]: needs a 'model' pattern")
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError(f"{path.name}: allowed[{index}] ({entry['model']}): needs a 'reason'")
        unknown = set(entry) - {"model", "path", "fact", "ours", "reference", "reason"}
        if unknown:
            raise ValueError(f"{path.name}: allowed[{index}]: unknown keys {sorted(unknown)}")
        out.append(
            Allowance(
                entry["model"],
                str(entry.get("path", "*")),
                str(entry.get("fact", "*")),
                reason.strip(),
                str(entry.get("ours", "*")),
                str(entry.get("reference", "*")),
            )
        )
    return out


def split(
    diffs: Iterable[Difference], allowed: list[Allowance]
) -> tuple[list[Difference], list[Difference], list[Allowance]]:
    """(unlisted differences, listed differences, entries that match nothing)."""
    used: set[int] = set()
    unlisted: list[Difference] = []
    listed: list[Difference] = []
    for diff in diffs:
        hit = next((i for i, a in enumerate(allowed) if a.matches(diff)), None)
        if hit is None:
            unlisted.append(diff)
        else:
            used.add(hit)
            listed.append(diff)
    stale = [a for i, a in enumerate(allowed) if i not in used]
    return unlisted, listed, stale


def report(diffs: Iterable[Difference]) -> str:
    """A readable report: one block per model, one line per difference."""
    lines: list[str] = []
    current = None
    for diff in diffs:
        if diff.model != current:
            current = diff.model
            lines.append(f"{diff.model}:")
        text = str(diff).removeprefix(f"{diff.model}: ")
        lines.append(f"  {text}")
    return "\n".join(lines)


# -- command line ------------------------------------------------------------------------------------------


@cache
def _reference() -> FactSet:
    return FactSet(reference_folder())


def _resolve(name: str, ours: bool) -> tuple[FactSet, str]:
    if ours:
        facts = FactSet(SCHEMAS)
        mine = our_models()
        if name in mine:
            return facts, str(mine[name].get("schema"))
        return facts, name if name.endswith(".yaml") else name + ".schema.yaml"
    models = reference_models()
    if name in models:
        return _reference(), models[name]
    return _reference(), name if name.endswith(".yaml") else name + ".schema.yaml"


def show(name: str, ours: bool = False) -> str:
    """The facts of one model or schema file, one path a line."""
    facts, file = _resolve(name, ours)
    if not facts.has(file):
        raise SystemExit(f"no schema file {file!r} in {facts.folder}")
    lines = [f"# {file} ({'ours' if ours else 'reference'})"]
    for path, values in sorted(facts.facts(file).items()):
        lines.append(f"{path or '(root)'}: " + "; ".join(f"{k}={v}" for k, v in values.items()))
    return "\n".join(lines)


def skeleton(name: str) -> str:
    """Our-dialect YAML of a reference schema, every title a TODO to be written in our words."""
    facts, file = _resolve(name, False)
    doc = as_dict(facts.schemas.docs[file]) or {}
    stem = file.removesuffix(".schema.yaml")
    out = [
        "%YAML 1.1",
        "---",
        "$schema: http://stsci.edu/schemas/asdf/asdf-schema-1.1.0",
        f"id: http://stsci.edu/schemas/jwstmodels/{stem}.schema",
        "title: TODO",
    ]
    body = _strip_words(doc)
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def _short_lists_inline(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
        flow = all(not isinstance(v, dict | list) for v in data) and len(data) <= 4
        return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)

    _Dumper.add_representer(list, _short_lists_inline)
    text = yaml.dump(
        {k: v for k, v in cast(dict[str, Any], body).items() if k not in ("$schema", "id", "title")},
        Dumper=_Dumper,
        sort_keys=False,
        width=110,
    )
    return "\n".join(out) + "\n" + text


def _strip_words(node: Any) -> Any:
    """The node without titles/descriptions (replaced by TODO so that none is copied by accident)."""
    if isinstance(node, dict):
        items = cast(dict[str, Any], node)
        result: dict[str, Any] = {}
        for key, value in items.items():
            if key in ("description", "fits_comment"):
                continue
            result[key] = "TODO" if key == "title" else _strip_words(value)
        return result
    if isinstance(node, list):
        return [_strip_words(v) for v in cast(list[Any], node)]
    return node


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m codegen.reference_facts", description=(__doc__ or "").split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_show = sub.add_parser("show", help="print the facts of a model class or schema file")
    p_show.add_argument("name")
    p_show.add_argument("--ours", action="store_true", help="our schemas/ instead of the reference's")
    p_skel = sub.add_parser("skeleton", help="print a schema skeleton (facts only) of a reference schema")
    p_skel.add_argument("name")
    p_drift = sub.add_parser("drift", help="print every difference between our facts and the reference's")
    p_drift.add_argument("--allowed", type=Path, help="leave out the differences this file lists")
    p_drift.add_argument("--model", help="only models matching this pattern")
    args = parser.parse_args(argv)
    if args.command == "show":
        print(show(args.name, args.ours))
        return 0
    if args.command == "skeleton":
        print(skeleton(args.name), end="")
        return 0
    diffs = drift()
    if args.model:
        diffs = [d for d in diffs if fnmatch.fnmatchcase(d.model, args.model)]
    if args.allowed:
        unlisted, listed, stale = split(diffs, load_allowed(args.allowed))
        print(report(unlisted))
        print(f"\n{len(unlisted)} unlisted differences, {len(listed)} listed in {args.allowed.name}")
        for entry in stale:
            print(f"stale entry (matches nothing): {entry}")
        return 1 if unlisted or stale else 0
    print(report(diffs))
    print(f"\n{len(diffs)} differences")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
