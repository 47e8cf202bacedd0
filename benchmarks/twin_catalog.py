"""A catalogue twice the size of ours, generated with the project's own generator, for the import benchmark.

Every model of ``schemas/models.yaml`` gets a twin (``ImageModel`` -> ``TwinImageModel``) whose schema is a
copy of its own (``image.schema.yaml`` -> ``twin_image.schema.yaml``), so the doubled catalogue has twice the
model classes, twice the model modules and twice the table entries. Only the shared core tree
(``core.schema.yaml`` and the files it refers to) stays shared, as it would in a real, larger catalogue.

The copies must not simply repeat the originals: the generator shares a metadata class between models whose
objects are equal (same path, same keywords), so identical twins would add model classes but no metadata
classes, and the doubled catalogue would be cheaper than a real one. In every copied file, each metadata value
that has a FITS keyword is therefore moved to another HDU (``PRIMARY`` -> ``PRIMARY_TWIN``): the generator
reads that as a different object (it is one of a value's facts) without a conflict (the same keyword may live
in another HDU at the same path), and each twin gets metadata classes of its own, as large as its original's.
Twins drop their ``aliases`` (a ``DATAMODL`` value opens one class); any other manifest value naming a model
(a base class, say) names the twin instead when that model has one.

The generated package is cached under ``.bench/twin-catalog/<hash>/jwstmodels_generated``, keyed by a hash of
``schemas/``, ``codegen/`` and this file, so reruns reuse it. Put the returned folder first on ``sys.path``
(``PYTHONPATH``) of a process and ``import jwstmodels`` runs on the doubled catalogue.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from collections import deque
from pathlib import Path
from typing import Any

import yaml

from benchmarks.processes import ROOT, BenchmarkFailed, child_environment

SCHEMA_SUFFIX = ".schema.yaml"
SHARED_ROOT = "core.schema.yaml"
"""The root of the shared core tree: this file and every file it refers to are not copied."""
PREFIX = "twin_"
CLASS_PREFIX = "Twin"
HDU_SUFFIX = "_TWIN"
PACKAGE = "jwstmodels_generated"
CACHE = ROOT / ".bench" / "twin-catalog"


def _load(path: Path) -> Any:
    """One schema document, read the way the generator reads it (YAML 1.2 booleans, no timestamps)."""
    from codegen.load import load_yaml

    return load_yaml(path.read_text(encoding="utf-8"))


def _file_of(ref: str) -> str | None:
    """The schema file a ``$ref`` points into (None for a reference inside the same file)."""
    target = ref.split("#", 1)[0]
    if not target:
        return None
    name = target.rsplit("/", 1)[-1]
    return name if name.endswith(".yaml") else name + ".yaml"


def _refs(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():  # pyright: ignore[reportUnknownVariableType]  (YAML data)
            if key == "$ref" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(_refs(value))
    elif isinstance(node, list):
        for value in node:  # pyright: ignore[reportUnknownVariableType]  (YAML data)
            found.extend(_refs(value))
    return found


def shared_files(docs: dict[str, Any]) -> set[str]:
    """The core tree: ``core.schema.yaml`` and every file reachable from it through ``$ref``."""
    shared: set[str] = set()
    queue = deque([SHARED_ROOT] if SHARED_ROOT in docs else [])
    while queue:
        name = queue.popleft()
        if name in shared:
            continue
        shared.add(name)
        for ref in _refs(docs[name]):
            target = _file_of(ref)
            if target is not None and target in docs and target not in shared:
                queue.append(target)
    return shared


def _twin_name(name: str) -> str:
    """``image.schema`` -> ``twin_image.schema`` (the last part of a path or URL, suffix kept)."""
    head, slash, last = name.rpartition("/")
    return f"{head}{slash}{PREFIX}{last}"


def _twin_node(node: Any, shared: set[str]) -> Any:
    """A copy of a schema node: references to copied files point at the copies, ids are renamed, and every
    value with a FITS keyword sits in another HDU."""
    if isinstance(node, list):
        return [_twin_node(value, shared) for value in node]  # pyright: ignore[reportUnknownVariableType]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():  # pyright: ignore[reportUnknownVariableType]
        if key == "$ref" and isinstance(value, str):
            target = _file_of(value)
            out[key] = value if target is None or target in shared else _twin_name(value)
        elif key in ("id", "$id") and isinstance(value, str):
            out[key] = _twin_name(value)
        else:
            out[str(key)] = _twin_node(value, shared)  # pyright: ignore[reportUnknownArgumentType]
    if "fits_keyword" in out:
        out["fits_hdu"] = f"{out.get('fits_hdu') or 'PRIMARY'}{HDU_SUFFIX}"
    return out


def _dump(document: Any) -> str:
    # safe_dump quotes every string a YAML 1.1 reader would take for something else (ON, 2024-01-01, ...)
    return "%YAML 1.1\n---\n" + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=1000)


def _schema_file(name: str) -> str:
    return name if name.endswith(".yaml") else name + ".yaml"


def twin_schemas(source: Path, target: Path) -> tuple[int, int]:
    """Write the doubled schema folder into the new folder ``target``; (models before, models after)."""
    docs = {path.name: _load(path) for path in sorted(source.glob(f"*{SCHEMA_SUFFIX}"))}
    shared = shared_files(docs)
    target.mkdir(parents=True)
    for name in docs:
        shutil.copyfile(source / name, target / name)
        if name not in shared:
            (target / f"{PREFIX}{name}").write_text(_dump(_twin_node(docs[name], shared)), encoding="utf-8")
    manifest: dict[str, Any] = _load(source / "models.yaml")
    twins = {
        name: CLASS_PREFIX + name
        for name, entry in manifest.items()
        if _schema_file(str(entry["schema"])) not in shared
    }

    def renamed(value: Any) -> Any:
        if isinstance(value, str):
            return twins.get(value, value)
        if isinstance(value, list):
            return [renamed(item) for item in value]  # pyright: ignore[reportUnknownVariableType]
        return value

    doubled = dict(manifest)
    for name, twin in twins.items():
        entry: dict[str, Any] = {}
        for key, value in manifest[name].items():
            if key == "aliases":
                continue
            if key == "schema":
                entry[key] = PREFIX + _schema_file(str(value))
            elif key == "title":
                entry[key] = value
            else:
                entry[key] = renamed(value)
        doubled[twin] = entry
    (target / "models.yaml").write_text(_dump(doubled), encoding="utf-8")
    return len(manifest), len(doubled)


def source_hash(schemas: Path) -> str:
    """A hash of what the doubled catalogue is made from: the schemas, the generator and this file."""
    digest = hashlib.sha256()
    for label, folder in (("schemas", schemas), ("codegen", ROOT / "codegen")):
        files = [path for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts]
        for path in sorted(files):
            digest.update(f"{label}/{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


def doubled_catalogue(schemas: Path = ROOT / "schemas", cache: Path = CACHE) -> tuple[Path, dict[str, int]]:
    """The folder to put first on ``sys.path`` (it holds ``jwstmodels_generated``), generating it with the
    project's generator unless cached; and the model counts ``{"normal": n, "doubled": m}``."""
    folder = cache / source_hash(schemas)
    counts_file = folder / "counts.txt"
    if not counts_file.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        for old in cache.iterdir():  # one cached catalogue at a time: the others are stale
            if old.is_dir() and not old.name.startswith("."):
                shutil.rmtree(old)
        # built aside and renamed into place whole, so that a half-built catalogue is never used
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=cache))
        try:
            _build(schemas, staging)
            staging.rename(folder)
        except OSError:
            if not counts_file.is_file():  # not a concurrent run that finished first
                raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    normal, doubled = map(int, counts_file.read_text().split())
    return folder, {"normal": normal, "doubled": doubled}


def _build(schemas: Path, folder: Path) -> None:
    twins = folder / "schemas"
    normal, doubled = twin_schemas(schemas, twins)
    done = subprocess.run(
        [sys.executable, "-m", "codegen", "--schemas", str(twins), "--out", str(folder / PACKAGE), "-q"],
        cwd=ROOT,
        env=child_environment(),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BenchmarkFailed(f"generating the doubled catalogue from {twins} failed:\n{done.stderr[-3000:]}")
    (folder / "counts.txt").write_text(f"{normal} {doubled}\n")
