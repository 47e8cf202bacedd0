"""Stage 1: read the YAML schema files, check their keys and resolve ``$ref``.

YAML is read with YAML 1.2 booleans (only ``true``/``false`` in their three spellings are booleans; ``ON``,
``OFF``, ``YES``, ``NO`` stay strings) and without YAML 1.1 timestamps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from .errors import Report, SchemaError, join_pointer

SCHEMA_SUFFIX = ".schema.yaml"

#: JSON Schema keywords (draft 4 as used by ASDF, plus common later ones).
JSON_SCHEMA_KEYS = frozenset(
    [
        "$schema",
        "id",
        "$id",
        "$ref",
        "$comment",
        "title",
        "description",
        "default",
        "examples",
        "type",
        "enum",
        "const",
        "format",
        "pattern",
        "properties",
        "additionalProperties",
        "patternProperties",
        "required",
        "minProperties",
        "maxProperties",
        "dependencies",
        "items",
        "additionalItems",
        "minItems",
        "maxItems",
        "uniqueItems",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "definitions",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "readOnly",
        "writeOnly",
    ]
)
#: Keys of our dialect (DESIGN section 2).
DIALECT_KEYS = frozenset(
    {"fits_keyword", "fits_hdu", "datatype", "ndim", "max_ndim", "primary_axes"} | {"max_depth"}
)  # max_depth: levels of a list of tagged objects holding objects and lists side by side
#: ASDF / JWST keys that carry no meaning for the generated code; accepted and ignored.
TOLERATED_KEYS = frozenset(
    [
        "tag",
        "blend_table",
        "blend_rule",
        "unit",
        "fits_expected_keyword",
        "allow_extra_columns",
        "shape",
        "propertyOrder",
        "flowStyle",
        "style",
        "exact_datatype",
        "sdf",
        "archive_catalog",
    ]
)
ALLOWED_KEYS = JSON_SCHEMA_KEYS | DIALECT_KEYS | TOLERATED_KEYS

#: Keys whose value is a mapping from names to sub-schemas.
_SCHEMA_MAPS = ("properties", "definitions", "patternProperties", "dependencies")
#: Keys whose value is a list of sub-schemas.
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
#: Keys whose value is one sub-schema.
_SCHEMA_ONE = ("not", "additionalProperties", "additionalItems")
#: Keys whose value is data, not schema.
_DATA_KEYS = ("enum", "default", "examples", "const", "datatype", "required", "shape", "primary_axes")


# libyaml's parser when PyYAML was built with it (about ten times faster); the resolvers below are the same.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Yaml12Loader(_SafeLoader):
    """SafeLoader with YAML 1.2 core-schema booleans and no timestamps."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(  # pyright: ignore[reportUnknownMemberType]
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(text: str) -> Any:
    """Parse one YAML document with YAML 1.2 booleans (a ``%YAML 1.1`` directive line is accepted)."""
    return yaml.load(text, Loader=_Yaml12Loader)


def as_dict(value: object) -> dict[Any, Any] | None:
    """``value`` typed as a mapping when it is one (YAML data is untyped)."""
    return cast(dict[Any, Any], value) if isinstance(value, dict) else None


def as_list(value: object) -> list[Any] | None:
    return cast(list[Any], value) if isinstance(value, list) else None


def is_external_ref(ref: str) -> bool:
    return "://" in ref or ref.startswith(("tag:", "urn:"))


@dataclass
class SchemaSet:
    """The parsed schema files of one folder, keyed by file name (``core.schema.yaml``)."""

    folder: Path
    docs: dict[str, Any]
    strict: bool = True
    reports: list[Report] = field(default_factory=list[Report])

    def problem(self, file: str, pointer: str, message: str) -> None:
        """An error in strict mode, a report otherwise."""
        if self.strict:
            raise SchemaError(file, pointer, message)
        self.reports.append(Report(file, pointer, message))

    # -- references -------------------------------------------------------------------------------

    def ref_target_file(self, file: str, ref: str) -> str:
        """File name a ``$ref`` points into (the same file for local refs)."""
        name = ref.split("#", 1)[0]
        if not name:
            return file
        name = name.rsplit("/", 1)[-1]
        if not name.endswith(".yaml"):
            name += ".yaml"
        return name

    def resolve_ref(self, file: str, pointer: str, ref: str) -> tuple[str, str, Any]:
        """Follow ``ref`` found at ``file``/``pointer``; returns (file, pointer, node) of the target."""
        target_file = self.ref_target_file(file, ref)
        if target_file not in self.docs:
            raise SchemaError(
                file, pointer, f"dangling $ref {ref!r}: no file {target_file!r} beside this schema"
            )
        fragment = ref.split("#", 1)[1] if "#" in ref else ""
        if fragment and not fragment.startswith("/"):
            fragment = "/" + fragment  # ASDF style '#definitions/x'
        fragment = fragment.rstrip("/")
        node: Any = self.docs[target_file]
        if fragment:
            for token in fragment[1:].split("/"):
                token = token.replace("~1", "/").replace("~0", "~")
                mapping, sequence = as_dict(node), as_list(node)
                if mapping is not None and token in mapping:
                    node = mapping[token]
                elif sequence is not None and token.isdigit() and int(token) < len(sequence):
                    node = sequence[int(token)]
                else:
                    raise SchemaError(
                        file, pointer, f"dangling $ref {ref!r}: {target_file} has no {fragment}"
                    )
        return target_file, fragment, node

    # -- key checks ---------------------------------------------------------------------------------

    def check_keys(self) -> None:
        for file in sorted(self.docs):
            self._check_node(file, "", self.docs[file])

    def _check_node(self, file: str, pointer: str, value: Any) -> None:
        node = as_dict(value)
        if node is None:
            if not isinstance(value, bool):
                raise SchemaError(file, pointer, f"expected a schema mapping, got {type(value).__name__}")
            return
        for key, value in node.items():
            here = join_pointer(pointer, str(key))
            if not isinstance(key, str):
                raise SchemaError(file, here, f"key {key!r} is not a string")
            if key not in ALLOWED_KEYS:
                self.problem(file, here, f"unknown key {key!r}")
                continue
            mapping, sequence = as_dict(value), as_list(value)
            if key in _SCHEMA_MAPS:
                if mapping is None:
                    raise SchemaError(file, here, f"{key} must be a mapping")
                for name, sub in mapping.items():
                    if key == "dependencies" and isinstance(sub, list):
                        continue
                    self._check_node(file, join_pointer(here, str(name)), sub)
            elif key in _SCHEMA_LISTS:
                if sequence is None:
                    raise SchemaError(file, here, f"{key} must be a list")
                for index, sub in enumerate(sequence):
                    self._check_node(file, join_pointer(here, index), sub)
            elif key in _SCHEMA_ONE:
                self._check_node(file, here, value)
            elif key == "items":
                for index, sub in enumerate(sequence) if sequence is not None else [(None, value)]:
                    self._check_node(file, here if index is None else join_pointer(here, index), sub)
            elif key == "$ref":
                if not isinstance(value, str):
                    raise SchemaError(file, here, "$ref must be a string")
                if not is_external_ref(value):
                    self.resolve_ref(file, here, value)


def load_folder(folder: Path, *, strict: bool = True) -> SchemaSet:
    """Read every ``*.schema.yaml`` in ``folder``, check keys and that every local ``$ref`` resolves."""
    docs: dict[str, Any] = {}
    for path in sorted(folder.glob("*" + SCHEMA_SUFFIX)):
        try:
            doc = load_yaml(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark is not None else "?"
            raise SchemaError(
                path.name, "", f"invalid YAML ({where}): {getattr(exc, 'problem', exc)}"
            ) from None
        if not isinstance(doc, dict):
            raise SchemaError(path.name, "", "a schema file must hold a mapping")
        docs[path.name] = doc
    schemas = SchemaSet(folder=folder, docs=docs, strict=strict)
    schemas.check_keys()
    return schemas


def load_manifest(folder: Path) -> dict[str, Any] | None:
    """``models.yaml`` of the folder, or None when there is none."""
    path = folder / "models.yaml"
    if not path.exists():
        return None
    data = as_dict(load_yaml(path.read_text(encoding="utf-8")))
    if data is None:
        raise SchemaError("models.yaml", "", "the manifest must map class names to {schema: ...}")
    return {str(key): value for key, value in data.items()}
