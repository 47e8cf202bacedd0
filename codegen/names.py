"""Names: classes from dotted paths and file stems, modules from schema files, and the reserved words."""

from __future__ import annotations

import keyword
import re

from .load import SCHEMA_SUFFIX

#: Attribute names of pydantic BaseModel and of MetaNode that a metadata field must not shadow (and
#: ``field_table``, which each class body calls after its fields: ``__jwst_fields__ = field_table(...)``).
RESERVED_META = frozenset(
    {
        "copy", "dict", "json", "schema", "schema_json", "validate", "construct", "parse_obj", "parse_raw",
        "parse_file", "from_orm", "update_forward_refs", "fields", "model_config", "model_fields",
        "model_computed_fields", "model_extra", "model_fields_set", "model_construct", "model_copy",
        "model_dump", "model_dump_json", "model_json_schema", "model_parametrized_name", "model_post_init",
        "model_rebuild", "model_validate", "model_validate_json", "model_validate_strings", "dotted_path",
        "owner_name", "fits_location", "field_table",
    }
)  # fmt: skip
#: Attribute names of DataModel (the reference API) that an array, table or list must not shadow.
RESERVED_MODEL = frozenset(
    {
        "meta", "meta_class", "schema_name", "primary_array_name", "required_meta", "copy", "save", "write",
        "validate", "close", "update", "shape", "filename", "extra_fits", "items", "keys", "values",
        "iteritems", "iterkeys", "itervalues", "to_fits", "to_asdf", "from_fits", "from_asdf", "read",
        "on_save", "to_flat_dict", "get_primary_array_name", "array_names", "search_schema",
        "find_fits_keyword", "extend_schema", "add_schema_entry", "get_fits_wcs", "set_fits_wcs",
        "get_item_as_json_value", "add_history_entry",
    }
)  # fmt: skip


def usable(name: str, reserved: frozenset[str]) -> bool:
    """True when ``name`` can be a Python attribute that shadows nothing in ``reserved``."""
    return (
        name.isidentifier()
        and not keyword.iskeyword(name)
        and not name.startswith("_")
        and name not in reserved
    )


def camel(name: str) -> str:
    """``ref_file`` -> ``RefFile``; ``nirspec-ifu`` -> ``NirspecIfu``."""
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", name) if p]
    text = "".join(p[:1].upper() + p[1:] for p in parts)
    if not text or text[0].isdigit():
        text = "N" + text
    return text


def path_name(path: tuple[str, ...]) -> str:
    """Class name derived from a dotted path: a leading ``meta`` is dropped unless it is the whole path."""
    if len(path) > 1 and path[0] == "meta":
        path = path[1:]
    return "".join(camel(p) for p in path)


def model_stem(class_name: str) -> str:
    return class_name.removesuffix("Model") or class_name


def module_name(schema_file: str) -> str:
    stem = schema_file.removesuffix(SCHEMA_SUFFIX).removesuffix(".yaml")
    name = re.sub(r"[^0-9A-Za-z_]", "_", stem).lower()
    if not name or name[0].isdigit():
        name = "m_" + name
    if keyword.iskeyword(name) or name in ("meta", "lookup", "catalog", "__init__"):
        name += "_model"
    return name
