"""The pipeline: load -> normalize -> plan -> render -> format, into a temporary folder swapped into place."""

from __future__ import annotations

import filecmp
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import Report
from .format import format_dir
from .load import load_folder, load_manifest
from .plan import Plan, make_plan
from .render import render


@dataclass
class Result:
    plan: Plan
    files: list[str]

    @property
    def reports(self) -> list[Report]:
        return self.plan.reports


def build_plan(schemas: Path, *, strict: bool | None = None) -> Plan:
    """Load and plan the schema folder; ``strict`` defaults to True when it has a ``models.yaml``."""
    manifest = load_manifest(schemas)
    if strict is None:
        strict = manifest is not None
    schema_set = load_folder(schemas, strict=strict)
    return make_plan(schema_set, manifest, schemas.name or schemas.resolve().name)


def generate_into(schemas: Path, folder: Path, *, strict: bool | None = None) -> Result:
    """Write the formatted generated package into the existing empty ``folder``."""
    plan = build_plan(schemas, strict=strict)
    files = render(plan)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    format_dir(folder)
    return Result(plan, sorted(files))


def generate(schemas: Path, out: Path, *, strict: bool | None = None) -> Result:
    """Generate into ``out``; nothing in ``out`` changes unless every stage succeeds."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        result = generate_into(schemas, staging, strict=strict)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            old.rmdir()
            out.rename(old)
            staging.rename(out)
            shutil.rmtree(old)
        else:
            staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return result


def compare(expected: Path, actual: Path) -> tuple[list[str], list[str], list[str]]:
    """(differing, missing from actual, extra in actual) file names, comparing bytes; caches ignored."""

    def files(folder: Path) -> set[str]:
        if not folder.is_dir():
            return set()
        return {
            p.relative_to(folder).as_posix()
            for p in folder.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }

    want, have = files(expected), files(actual)
    differ = sorted(n for n in want & have if not filecmp.cmp(expected / n, actual / n, shallow=False))
    return differ, sorted(want - have), sorted(have - want)


def check(schemas: Path, out: Path, *, strict: bool | None = None) -> tuple[list[str], list[str], list[str]]:
    """Generate into a temporary folder and compare with ``out`` byte for byte."""
    with tempfile.TemporaryDirectory(prefix="codegen-check-") as tmp:
        generate_into(schemas, Path(tmp), strict=strict)
        return compare(Path(tmp), out)
