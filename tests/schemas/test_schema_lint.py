"""Lint the YAML schemas in ``schemas/`` and check their facts against the JWST reference schemas.

Self-contained on purpose: the YAML loader and the ``allOf``/``$ref`` resolver below are small local copies,
so these tests do not depend on ``codegen/``.
"""

from __future__ import annotations

import fnmatch
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = ROOT / "schemas"
MANIFEST = SCHEMA_DIR / "models.yaml"
SCHEMA_FILES = sorted(SCHEMA_DIR.glob("*.schema.yaml"))

HEADER_SCHEMA = "$schema: http://stsci.edu/schemas/asdf/asdf-schema-1.1.0"
ID_PREFIX = "id: http://stsci.edu/schemas/jwstmodels/"
FITS_KEYWORD_RE = re.compile(r"^[A-Z0-9_-]{1,8}$")
SCALAR_TYPES = {"string", "integer", "number", "boolean"}
ARRAY_DTYPES = {
    "bool8",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float16",
    "float32",
    "float64",
    "complex64",
    "complex128",
}

# Metadata schema files of the reference implementation that ours mirror file for file: every leaf fact
# (dotted path, FITS keyword, HDU, type, enumeration, default) of the reference file must be in ours and
# equal, and ours must add nothing the reference file lacks. Our core.schema.yaml pulls its topics in from
# the core_*.schema.yaml fragments; the comparison sees the merged tree.
META_FRAGMENTS = (
    "core.schema.yaml",
    "wcsinfo.schema.yaml",
    "photometry.schema.yaml",
    "bunit.schema.yaml",
    "referencefile.schema.yaml",
    # scalars at the top level of slit and spectrum models (outside meta), fact for fact
    "slitmeta.schema.yaml",
    "specmeta.schema.yaml",
)

# Reference nodes of those files that the generator cannot express and that are therefore left out, with why.
# (Lists inside meta, such as meta.exposure.read_times, are leaves of their own: tests/interop/
# test_history_interop.py compares them with the reference.)
NOT_EXPRESSED: dict[str, dict[str, str]] = {}  # meta.wcs, the one tagged object in meta, is expressed now


# --------------------------------------------------------------------------------------------------------
# YAML loading


class Yaml12SafeLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false are booleans; ON/OFF/YES/NO stay strings."""


Yaml12SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12SafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def load12(path: Path) -> Any:
    with path.open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=Yaml12SafeLoader)


def load11(path: Path) -> Any:
    """Load as the reference implementation does (PyYAML's YAML 1.1 SafeLoader)."""
    with path.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


# --------------------------------------------------------------------------------------------------------
# Tree helpers


def walk(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Yield (JSON pointer, node) for every node of a YAML tree, not descending into table columns."""
    yield pointer, node
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "datatype" and is_table(node):
                continue
            yield from walk(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{pointer}/{index}")


def split_ref(ref: str) -> tuple[str, str]:
    """Split a ``$ref`` into (file name or "", pointer without leading '#/')."""
    target, _, fragment = ref.partition("#")
    name = target.rsplit("/", 1)[-1]
    if name and not name.endswith(".yaml"):
        name += ".yaml"
    return name, fragment.lstrip("/")


def follow_pointer(doc: Any, pointer: str) -> Any:
    node = doc
    for part in filter(None, pointer.split("/")):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def resolve(node: Any, directory: Path, doc: Any, loader: Any, cache: dict[str, Any]) -> Any:
    """Return ``node`` with every resolvable ``$ref`` replaced by its (resolved) target.

    Refs to files not present in ``directory`` (e.g. ASDF core schemas) are replaced by an empty object.
    """
    if isinstance(node, list):
        return [resolve(item, directory, doc, loader, cache) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name, pointer = split_ref(node["$ref"])
        target_doc = doc
        if name:
            path = directory / name
            if not path.is_file():
                return {}
            if name not in cache:
                cache[name] = loader(path)
            target_doc = cache[name]
        target = follow_pointer(target_doc, pointer)
        return resolve(target, directory, target_doc, loader, cache)
    return {key: resolve(value, directory, doc, loader, cache) for key, value in node.items()}


def is_table(node: Any) -> bool:
    """A table: ``datatype`` is a list of column mappings (a column's ``[ascii, N]`` is not)."""
    columns = node.get("datatype") if isinstance(node, dict) else None
    return isinstance(columns, list) and all(isinstance(column, dict) for column in columns)


def is_array(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("datatype"), str)


def is_list(node: dict[str, Any]) -> bool:
    """A list inside meta (of values or of objects), e.g. ``meta.history``: a leaf the generator types."""
    return node.get("type") == "array" and isinstance(node.get("items"), dict)


def is_scalar(node: dict[str, Any]) -> bool:
    return "fits_keyword" in node or node.get("type") in SCALAR_TYPES or is_unit(node)


def is_unit(node: dict[str, Any]) -> bool:
    """The reference's units: a string or an ASDF unit object (``anyOf``; the external unit schema resolves to
    an empty node); ours are strings."""
    options = node.get("anyOf", [])
    others = [o for o in options if o != {"type": "string"}]
    return len(others) < len(options) and all(o == {} or "/unit/" in str(o.get("$ref", "")) for o in others)


def enum_values(node: dict[str, Any]) -> set[Any] | None:
    """Allowed values of a scalar; an ``anyOf`` of enums is flattened. None when unrestricted."""
    values: set[Any] = set()
    found = False
    if "enum" in node:
        values.update(node["enum"])
        found = True
    for option in node.get("anyOf", []):
        if isinstance(option, dict) and "enum" in option:
            values.update(option["enum"])
            found = True
    if not found:
        return None
    # The reference is read as YAML 1.1, which turns the unquoted ON/OFF into booleans.
    return {{True: "ON", False: "OFF"}.get(v, v) if isinstance(v, bool) else v for v in values}


def collect(node: Any, path: tuple[str, ...] = ()) -> dict[str, dict[str, Any]]:
    """Leaves of a resolved schema: dotted path -> leaf node, merging ``allOf`` branches."""
    leaves: dict[str, dict[str, Any]] = {}
    if not isinstance(node, dict):
        return leaves
    for branch in node.get("allOf", []):
        for key, leaf in collect(branch, path).items():
            leaves[key] = {**leaves.get(key, {}), **leaf}
    for name, child in (node.get("properties") or {}).items():
        child_path = (*path, name)
        if not isinstance(child, dict):
            continue
        if is_table(child) or is_array(child) or is_scalar(child):
            key = ".".join(child_path)
            leaves[key] = {**leaves.get(key, {}), **child}
        else:
            for key, leaf in collect(child, child_path).items():
                leaves[key] = {**leaves.get(key, {}), **leaf}
    return leaves


def model_schema(schema_file: str) -> Any:
    path = SCHEMA_DIR / schema_file
    doc = load12(path)
    return resolve(doc, SCHEMA_DIR, doc, load12, {})


def manifest() -> dict[str, dict[str, Any]]:
    return load12(MANIFEST)


MODELS = sorted(manifest()) if MANIFEST.is_file() else []


def reference_schema_dir() -> Path:
    import stdatamodels  # test-only dependency; a missing install must fail, not skip

    return Path(stdatamodels.__file__).parent / "jwst" / "datamodels" / "schemas"


# --------------------------------------------------------------------------------------------------------
# Per-file lint


def test_schema_files_exist() -> None:
    assert SCHEMA_FILES, f"no *.schema.yaml in {SCHEMA_DIR}"


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_header(path: Path) -> None:
    stem = path.name.removesuffix(".schema.yaml")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[:4] == ["%YAML 1.1", "---", HEADER_SCHEMA, f"{ID_PREFIX}{stem}.schema"]
    assert len(lines) > 4
    assert re.fullmatch(r"title: \S.*", lines[4]), f"line 5 must be the title, got {lines[4]!r}"


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_whitespace(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "\t" not in text, "tab character"
    assert "\r" not in text, "carriage return"
    assert text.endswith("\n"), "missing final newline"
    assert not text.endswith("\n\n"), "more than one newline at end of file"
    for number, line in enumerate(text.split("\n"), start=1):
        assert line == line.rstrip(), f"trailing whitespace on line {number}"
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 2 == 0, f"odd indentation on line {number}"


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_parses_as_yaml12(path: Path) -> None:
    doc = load12(path)
    assert isinstance(doc, dict)
    assert doc["id"] == f"http://stsci.edu/schemas/jwstmodels/{path.name.removesuffix('.yaml')}"
    assert isinstance(doc.get("title"), str) and doc["title"].strip()
    assert "properties" in doc or "allOf" in doc or isinstance(doc.get("datatype"), list)  # or one table


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_refs_resolve(path: Path) -> None:
    doc = load12(path)
    for pointer, node in walk(doc):
        if not (isinstance(node, dict) and "$ref" in node):
            continue
        name, fragment = split_ref(node["$ref"])
        target_doc = doc
        if name:
            target = SCHEMA_DIR / name
            assert target.is_file(), f"{pointer}: $ref {node['$ref']!r} names no sibling file"
            target_doc = load12(target)
        try:
            follow_pointer(target_doc, fragment)
        except (KeyError, IndexError, ValueError, TypeError):
            pytest.fail(f"{pointer}: $ref {node['$ref']!r} points nowhere")


def in_tree_object(pointer: str) -> bool:
    """True for a node inside an object outside ``meta`` or inside a list item of such a file's lists whose
    items are plain objects (``/properties/apcorr_table/properties/wavelength``,
    ``/properties/traces/items/properties/trace``, ``/definitions/kernels/properties/gamma``)."""
    parts = pointer.split("/")
    if "meta" in parts:
        return False
    return pointer.startswith("/definitions/") or parts.count("properties") > 1 or "items" in parts


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_arrays_and_tables(path: Path) -> None:
    for pointer, node in walk(load12(path)):
        if is_array(node):
            assert node["datatype"] in ARRAY_DTYPES, f"{pointer}: unknown datatype {node['datatype']!r}"
            if not in_tree_object(pointer):  # arrays of objects outside meta and of their list items live
                # in the ASDF tree, as the reference's (which gives them no HDU and leaves their ndim open)
                assert isinstance(node.get("fits_hdu"), str), f"{pointer}: array without fits_hdu"
                assert "ndim" in node or "max_ndim" in node, f"{pointer}: array without ndim/max_ndim"
            for key in ("ndim", "max_ndim"):
                if key in node:
                    value = node[key]
                    # ndim may list several dimensionalities (an IPC kernel: [2, 4])
                    values = value if key == "ndim" and isinstance(value, list) and value else [value]
                    assert all(isinstance(v, int) and v >= 1 for v in values), f"{pointer}: bad {key}"
            if "default" in node:  # the fill value of a lazily created array (the reference omits some)
                assert isinstance(node["default"], int | float), f"{pointer}: default is not a number"
        elif is_table(node):
            assert isinstance(node.get("fits_hdu"), str), f"{pointer}: table without fits_hdu"
            names = []
            for column in node["datatype"]:
                assert isinstance(column, dict), f"{pointer}: column is not a mapping"
                assert isinstance(column.get("name"), str), f"{pointer}: column without name"
                dtype = column.get("datatype")
                ascii_column = isinstance(dtype, list) and len(dtype) == 2 and dtype[0] == "ascii"
                valid = ascii_column and isinstance(dtype[1], int) and dtype[1] > 0
                assert valid or (isinstance(dtype, str) and dtype in ARRAY_DTYPES), (
                    f"{pointer}: column {column['name']!r} has bad datatype {dtype!r}"
                )
                names.append(column["name"])
            assert len(names) == len(set(names)), f"{pointer}: duplicate column names"


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_property_has_title(path: Path) -> None:
    for pointer, node in walk(load12(path)):
        if isinstance(node, dict) and isinstance(node.get("properties"), dict):
            for name, child in node["properties"].items():
                assert isinstance(child, dict), f"{pointer}/properties/{name} is not a mapping"
                if "$ref" in child:
                    continue
                title = child.get("title")
                assert isinstance(title, str) and title.strip(), f"{pointer}/properties/{name}: no title"


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_scalar_leaves(path: Path) -> None:
    for pointer, node in walk(load12(path)):
        if not isinstance(node, dict) or "fits_keyword" not in node:
            continue
        keyword = node["fits_keyword"]
        assert isinstance(keyword, str) and FITS_KEYWORD_RE.match(keyword), (
            f"{pointer}: bad FITS keyword {keyword!r}"
        )
        assert node.get("type") in SCALAR_TYPES, f"{pointer}: keyword without a scalar type"
        assert node.get("fits_hdu") != "PRIMARY", f"{pointer}: PRIMARY is the default, leave fits_hdu out"
        values = node.get("enum")
        if values is not None:
            assert len(values) == len(set(values)), f"{pointer}: duplicate enum values"
            assert all(isinstance(v, str) for v in values) or node["type"] != "string", (
                f"{pointer}: non-string value in a string enum"
            )


# --------------------------------------------------------------------------------------------------------
# Per-model checks (models.yaml)


def test_manifest() -> None:
    models = manifest()
    assert isinstance(models, dict) and models
    for name, entry in models.items():
        assert re.fullmatch(r"[A-Z][A-Za-z0-9_]*Model", name), name
        assert isinstance(entry, dict)
        keys = {"schema", "title", "primary_array", "aliases", "base", "created_arrays", "on_save"}
        assert set(entry) <= keys, name
        hooks = entry.get("on_save", [])  # runtime functions in src/ ('module:function')
        hooks = [hooks] if isinstance(hooks, str) else hooks
        assert all(h.startswith("jwstmodels.") and ":" in h for h in hooks), name
        created = entry.get("created_arrays", [])
        assert isinstance(created, list) and all(isinstance(n, str) for n in created), name
        assert entry.get("base", models and next(iter(models))) in models, f"{name}: unknown base"
        assert (SCHEMA_DIR / entry["schema"]).is_file(), f"{name}: {entry['schema']} does not exist"
        assert isinstance(entry.get("title"), str) and entry["title"].strip(), f"{name}: no title"


# (HDU, keyword) pairs that two fields of one model share, as in the reference: both read the one card.
SHARED_CARDS = {
    ("SCI", "SRCTYPE"): {"meta.target.source_type", "source_type"},  # a slit's own source type
}


def _paths(leaves: dict[str, dict[str, Any]], card: tuple[str, str]) -> set[str]:
    return {
        path
        for path, leaf in leaves.items()
        if (leaf.get("fits_hdu", "PRIMARY"), leaf.get("fits_keyword")) == card
    }


@pytest.mark.parametrize("model", MODELS)
def test_model_keywords_and_hdus_unique(model: str) -> None:
    entry = manifest()[model]
    leaves = collect(model_schema(entry["schema"]))
    keywords = Counter(
        (leaf.get("fits_hdu", "PRIMARY"), leaf["fits_keyword"])
        for leaf in leaves.values()
        if "fits_keyword" in leaf
    )
    twice = [k for k, n in keywords.items() if n > 1 and SHARED_CARDS.get(k) != _paths(leaves, k)]
    assert not twice, f"FITS keyword used twice in one HDU: {twice}"
    hdus = Counter(
        leaf["fits_hdu"]
        for leaf in leaves.values()
        if (is_array(leaf) or is_table(leaf)) and "fits_hdu" in leaf
    )
    shared = [h for h, n in hdus.items() if n > 1]
    assert not shared, f"HDU used by two arrays/tables: {shared}"
    primary = generated_class(model).primary_array_name  # the rule lives in the generator
    if primary:
        assert primary in leaves and (is_array(leaves[primary]) or is_table(leaves[primary])), (
            f"primary array {primary!r} missing"
        )


# --------------------------------------------------------------------------------------------------------
# Facts against the JWST reference implementation (stdatamodels)


def reference_leaves(schema_file: str) -> dict[str, dict[str, Any]]:
    directory = reference_schema_dir()
    doc = load11(directory / schema_file)
    return collect(resolve(doc, directory, doc, load11, {}))


def leaf_fact(leaf: dict[str, Any]) -> tuple[Any, ...]:
    """The facts of a scalar leaf that must agree with the reference: keyword, HDU, type, enum, default."""
    values = enum_values(leaf)
    return (
        leaf.get("fits_keyword"),
        leaf.get("fits_hdu", "PRIMARY"),
        leaf.get("type"),
        None if values is None else frozenset(values),
        leaf.get("default"),
    )


def unexpressed(node: Any, path: tuple[str, ...] = ()) -> set[str]:
    """Dotted paths of properties that are neither leaves (scalar, array, table) nor objects with members."""
    found: set[str] = set()
    if not isinstance(node, dict):
        return found
    for branch in node.get("allOf", []):
        found |= unexpressed(branch, path)
    for name, child in (node.get("properties") or {}).items():
        child_path = (*path, name)
        if not isinstance(child, dict) or is_table(child) or is_array(child) or is_scalar(child):
            continue
        if is_list(child) or str(child.get("tag", "")).startswith("tag:stsci.edu:gwcs/wcs-"):
            continue  # a list, or the gwcs WCS (a tagged object the generator types by its class)
        if child.get("properties") or child.get("allOf"):
            found |= unexpressed(child, child_path)
        else:
            found.add(".".join(child_path))
    return found


@pytest.mark.parametrize("schema_file", META_FRAGMENTS)
def test_meta_fragment_matches_reference(
    schema_file: str, reference_tally: dict[str, int], record_property: Any
) -> None:
    ours = collect(model_schema(schema_file))
    directory = reference_schema_dir()
    doc = load11(directory / schema_file)
    resolved = resolve(doc, directory, doc, load11, {})
    reference = collect(resolved)
    assert reference, f"the reference {schema_file} yielded no leaves"

    problems = [
        f"{path}: missing (reference {leaf_fact(reference[path])})"
        for path in sorted(set(reference) - set(ours))
    ]
    problems += [f"{path}: not in the reference {schema_file}" for path in sorted(set(ours) - set(reference))]
    for path in sorted(set(ours) & set(reference)):
        if not is_scalar(ours[path]):
            problems.append(f"{path}: expected a scalar leaf, got {ours[path]}")
        elif leaf_fact(ours[path]) != leaf_fact(reference[path]):
            problems.append(f"{path}: ours {leaf_fact(ours[path])} != reference {leaf_fact(reference[path])}")
    assert not problems, f"{len(problems)} difference(s) from the reference {schema_file}:\n" + "\n".join(
        problems
    )

    # What the reference has beyond its leaves is exactly the documented list of things left out.
    assert unexpressed(resolved) == set(NOT_EXPRESSED.get(schema_file, {}))
    assert not unexpressed(model_schema(schema_file)), "our schemas must only hold expressible nodes"

    reference_tally[schema_file] = len(reference)
    record_property("reference_facts_compared", len(reference))
    print(f"{schema_file}: {len(reference)} reference leaves compared (keyword, HDU, type, enum, default)")


@pytest.mark.parametrize("schema_file", META_FRAGMENTS)
def test_titles_are_our_own(schema_file: str) -> None:
    """Titles are written in our own words: none may repeat the reference's title of the same leaf."""

    def words(title: Any) -> str:
        return re.sub(r"[^a-z0-9]+", " ", str(title).lower()).strip()

    ours = collect(model_schema(schema_file))
    reference = reference_leaves(schema_file)
    same = [
        path
        for path, leaf in ours.items()
        if words(leaf.get("title")) == words(reference.get(path, {}).get("title"))
    ]
    assert not same, f"titles copied from the reference: {same}"


@pytest.mark.parametrize(
    ("schema_file", "model"),
    [
        ("slitmeta.schema.yaml", "SlitModel"),
        ("slitmeta.schema.yaml", "MultiSlitModel.slits"),
        ("specmeta.schema.yaml", "SpecModel"),
        ("specmeta.schema.yaml", "MultiSpecModel.spec"),
    ],
)
def test_generated_model_scalars_agree(schema_file: str, model: str) -> None:
    """The top-level scalars of a fragment are typed fields of the models that use it (items included), with
    the schema's keyword, HDU and type in the generated lookup and on the class."""
    from tests.support.generated_facts import model_scalars

    cls = generated_class(model.split(".")[0])
    if "." in model:
        cls = cls.__jwst_layout__.list_fields[model.split(".")[1]].item_class
    generated = {leaf.path: leaf for leaf in model_scalars(cls)}
    ours = collect(model_schema(schema_file))
    assert ours and set(ours) <= set(generated)
    for path, leaf in ours.items():
        keyword = leaf.get("fits_keyword")
        expected = (keyword, leaf.get("fits_hdu", "PRIMARY"), leaf["type"])
        assert (generated[path].keyword, generated[path].hdu, generated[path].type) == expected, path
        field = cls.__jwst_layout__.scalar_fields[path]
        assert (field.keyword, field.hdu) == ((keyword, expected[1]) if keyword else (None, None)), path


def test_core_pulls_in_every_core_fragment() -> None:
    """Each core_*.schema.yaml fragment is reached through core.schema.yaml (models only ever ref core)."""
    fragments = {path.name.removesuffix(".yaml") for path in SCHEMA_FILES if path.name.startswith("core_")}
    refs = {
        part["$ref"] for part in load12(SCHEMA_DIR / "core.schema.yaml").get("allOf", []) if "$ref" in part
    }
    assert fragments <= refs, f"fragments not referenced from core.schema.yaml: {sorted(fragments - refs)}"
    for path in SCHEMA_FILES:
        if path.name.startswith("core"):
            continue
        direct = [
            node["$ref"]
            for _, node in walk(load12(path))
            if isinstance(node, dict) and str(node.get("$ref", "")).startswith("core_")
        ]
        assert not direct, f"{path.name} refs a core fragment directly ({direct}); ref core.schema instead"


def generated_class(model: str) -> Any:
    import jwstmodels

    return getattr(jwstmodels, model)


def reference_schema_file(model: str) -> str | None:
    """The reference's schema file for a class of the same name (None where the reference has none)."""
    from stdatamodels.jwst import datamodels as reference

    cls = getattr(reference, model, None)
    url = getattr(cls, "schema_url", None)
    return f"{url.rsplit('/', 1)[-1]}.yaml" if isinstance(url, str) else None


# Classes the reference still defines; the older API names it has dropped have no schema to compare with.
# SlitDataModel adds the core metadata to the reference's slit fields: its facts are compared by
# tests/schemas/test_drift.py, where that difference is listed with its reason (schemas/drift-allowed.yaml).
CORE_ADDED = {"SlitDataModel"}
#: Paths of ours that the reference's schema text does not list as properties (each with its reason in
#: drift-allowed.yaml): NIRISS grism's wheel position (its type line sits in its description), the SIRS
#: kernels (matched by a detector-name pattern there).
NOT_IN_REFERENCE_TEXT = {"NIRISSGrismModel": ("fwcpos_ref",), "SIRSKernelModel": ("*.gamma", "*.zeta")}
REFERENCE_MODELS = [m for m in MODELS if reference_schema_file(m) is not None and m not in CORE_ADDED]


@pytest.mark.parametrize("model", REFERENCE_MODELS)
def test_facts_match_reference(model: str) -> None:
    schema_file = manifest()[model]["schema"]
    ours = collect(model_schema(schema_file))
    reference_file = reference_schema_file(model)
    assert reference_file is not None
    reference = reference_leaves(reference_file)
    problems: list[str] = []
    for path, leaf in sorted(ours.items()):
        ref = reference.get(path)
        if ref is None and any(fnmatch.fnmatch(path, p) for p in NOT_IN_REFERENCE_TEXT.get(model, ())):
            continue
        if ref is None:
            problems.append(f"{path}: not in the reference {schema_file}")
            continue
        if is_scalar(leaf):
            for key, default in (("fits_keyword", None), ("fits_hdu", "PRIMARY"), ("type", None)):
                if key == "type" and "type" not in ref:
                    continue  # the reference leaves the type open (any value); ours must pin one
                mine, theirs = leaf.get(key, default), ref.get(key, default)
                if key == "fits_hdu":  # EXTNAME is case-insensitive (astropy writes it in capitals)
                    mine, theirs = str(mine).upper(), str(theirs).upper()
                if mine != theirs:
                    problems.append(f"{path}: {key} {leaf.get(key, default)!r} != {ref.get(key, default)!r}")
            ours_enum, ref_enum = enum_values(leaf), enum_values(ref)
            if ours_enum != ref_enum:
                diff = (ours_enum or set()) ^ (ref_enum or set())
                problems.append(f"{path}: enum differs ({ours_enum is None=}, {ref_enum is None=}): {diff}")
        elif is_table(leaf):
            if leaf["fits_hdu"] != ref.get("fits_hdu"):
                problems.append(f"{path}: fits_hdu {leaf['fits_hdu']!r} != {ref.get('fits_hdu')!r}")
            ours_columns = [(c["name"], c["datatype"], c.get("shape")) for c in leaf["datatype"]]
            ref_columns = [(c["name"], c["datatype"], c.get("shape")) for c in ref.get("datatype", [])]
            if ours_columns != ref_columns:
                problems.append(f"{path}: columns {ours_columns} != {ref_columns}")
        else:
            for key in ("fits_hdu", "datatype", "default"):
                mine, theirs = leaf.get(key), ref.get(key)
                if key == "fits_hdu":  # EXTNAME is case-insensitive
                    mine, theirs = str(mine).upper(), str(theirs).upper()
                if mine != theirs:
                    problems.append(f"{path}: {key} {leaf.get(key)!r} != {ref.get(key)!r}")
            # Where the reference fixes the dimensionality, ours must agree; where it leaves it open,
            # ours may pin it (the lint requires one of ndim/max_ndim).
            for key in ("ndim", "max_ndim"):
                if key in ref and leaf.get(key) != ref[key]:
                    problems.append(f"{path}: {key} {leaf.get(key)!r} != {ref[key]!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("schema_file", META_FRAGMENTS)
def test_generated_lookup_agrees(schema_file: str) -> None:
    """The committed generated lookup carries these leaves with the schema's keyword, HDU and type.

    Every core leaf must be there (every science model refs core); a fragment's leaves are checked where a
    model of ours already uses that fragment.
    """
    from tests.support.generated_facts import leaves

    LEAVES = leaves("jwstmodels_generated")
    ours = collect(model_schema(schema_file))
    problems: list[str] = []
    for path, leaf in sorted(ours.items()):
        generated = LEAVES.get(path)
        if generated is None:
            if schema_file == "core.schema.yaml":
                problems.append(f"{path}: missing from the generated lookup")
            continue
        expected = (leaf.get("fits_keyword"), leaf.get("fits_hdu", "PRIMARY"), leaf["type"])
        if (generated.keyword, generated.hdu, generated.type) != expected:
            problems.append(f"{path}: generated {generated} != schema {expected}")
    assert not problems, "\n".join(problems)
