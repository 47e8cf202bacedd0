"""Lists inside the metadata tree (list leaves of ``codegen.meta_plan``, list fields of ``codegen.render``):
lists of values become ``list[float] | None`` fields, lists of objects ``list[Item]`` fields whose item
classes are planned, named, rendered and looked up like the other metadata classes."""

from __future__ import annotations

import datetime
import importlib
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codegen import ir
from codegen.build import build_plan, generate

SCHEMAS = {
    "core.schema.yaml": """
type: object
properties:
  meta:
    type: object
    title: Header metadata
    properties:
      telescope: {type: string, fits_keyword: TELESCOP, title: Telescope}
      log:
        title: What happened to the file
        type: array
        items: {$ref: log_entry.schema}
      exposure:
        type: object
        title: Exposure
        properties:
          nints: {type: integer, fits_keyword: NINTS, title: Integrations}
          read_times:
            title: Read times per group
            type: array
            items: {type: array, items: {type: number}}
          frame_names:
            title: Names of the frames
            type: array
            items: {type: string, enum: [A, B]}
      fits:
        title: Fits done
        type: array
        items:
          type: object
          properties:
            order: {type: array, title: Orders, items: {type: integer}}
            label: {type: string, title: Label}
""",
    "log_entry.schema.yaml": """
title: One log entry
type: object
properties:
  text: {type: string, title: Text}
  when: {type: string, format: date-time, title: When}
  tool:
    type: object
    title: Tool
    properties:
      name: {type: string, title: Tool name}
      version: {type: string, title: Tool version}
    required: [name]
required: [text]
""",
    "thing.schema.yaml": """
allOf:
- $ref: core.schema
- type: object
  properties:
    data: {datatype: float32, ndim: 2, fits_hdu: SCI, title: Data}
    coefficients: {type: array, title: Coefficients, items: {type: number}}
""",
    "models.yaml": "ThingModel: {schema: thing.schema.yaml}\n",
}


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "schemas"
    folder.mkdir()
    for name, text in SCHEMAS.items():
        (folder / name).write_text(text)
    return folder


@pytest.fixture
def package(tmp_path: Path) -> Iterator[types.ModuleType]:
    out = tmp_path / "pkg" / "lists_generated"
    generate(_folder(tmp_path), out, strict=False)
    sys.path.insert(0, str(out.parent))
    try:
        yield importlib.import_module("lists_generated")
    finally:
        sys.path.remove(str(out.parent))
        for name in [n for n in sys.modules if n.startswith("lists_generated")]:
            del sys.modules[name]


def test_item_classes_are_planned_and_named(tmp_path: Path) -> None:
    plan = build_plan(_folder(tmp_path), strict=False)
    classes = {c.name: c for c in plan.meta_classes}
    # from the items' schema file, else from the path; nested classes from the path without the item part
    assert {"LogEntry", "LogTool", "FitsItem"} <= set(classes)
    assert (classes["LogEntry"].base, classes["LogEntry"].first_path) == ("ListItem", "meta.log[]")
    assert classes["LogTool"].base == "MetaNode" and classes["LogTool"].first_path == "meta.log[].tool"
    assert classes["LogEntry"].required == ("text",) and classes["LogTool"].required == ("name",)
    names = [c.name for c in plan.meta_classes]
    assert names.index("LogTool") < names.index("LogEntry") < names.index("Meta")  # used before use
    fields = {f.name: f for f in classes["Meta"].fields}
    assert (fields["log"].kind, fields["log"].class_name) == ("list", "LogEntry")
    assert plan.leaves["meta.log"].type == "array" and plan.leaves["meta.log"].keyword is None
    assert plan.leaves["meta.exposure.read_times"].type == "array"
    assert "meta.log[].text" not in plan.leaves  # items are not leaves of the tree; their lists are
    assert plan.meta_leaves["LogEntry"] == ("meta.log[].text", "meta.log[].when")
    assert plan.meta_leaves["FitsItem"] == ("meta.fits[].order", "meta.fits[].label")
    # a list of values outside meta is a field of its own kind (ValueListField, kept in the ASDF tree)
    messages = [str(r) for r in plan.reports]
    assert not [m for m in messages if "coefficients" in m], messages
    thing = next(m for m in plan.models if m.class_name == "ThingModel")
    field = next(f for f in thing.fields if f.name == "coefficients")
    assert field.kind == "values" and isinstance(field.node, ir.ValueList)
    assert field.node.item.type == "number"


def test_rendered_fields(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    out = tmp_path / "out" / "lists_generated"
    generate(folder, out, strict=False)
    text = (out / "meta.py").read_text()
    assert "from jwstmodels.base import ListItem, MetaNode, field_table, no_items" in text
    assert "import datetime" in text and "from typing import ClassVar, Literal" in text
    assert 'item_path: ClassVar[str] = "meta.log[]"' in text
    assert "read_times: list[list[float]] | None = None\n" in text
    assert 'read_times={"title": "Read times per group"},' in text  # the facts in the class's table
    assert "frame_names: list[Literal['A', 'B']] | None" in text.replace('"', "'")
    assert "log: list[LogEntry] = Field(" in text and "exclude_if=no_items" in text
    assert 'text: str\n    """Text"""' in text  # required in the items: no None default
    # objects inside items may be absent
    assert "tool: LogTool | None = None\n" in text
    assert "when: datetime.datetime | None" in text
    # deterministic: a second run gives the same bytes
    again = tmp_path / "again" / "lists_generated"
    generate(folder, again, strict=False)
    assert (again / "meta.py").read_bytes() == text.encode() and (again / "lookup.py").read_bytes() == (
        out / "lookup.py"
    ).read_bytes()


def test_generated_lists_at_run_time(package: types.ModuleType) -> None:
    from jwstmodels import ValidationError

    pkg: Any = package
    meta = pkg.Meta()
    assert meta.log == [] and meta.exposure.read_times is None and meta.fits == []
    meta.log.append(pkg.LogEntry(text="made", when="2024-01-02T03:04:05", tool={"name": "t"}))
    assert meta.log[0].when == datetime.datetime(2024, 1, 2, 3, 4, 5)
    assert meta.log[0].tool.dotted_path == "meta.log[].tool"
    meta.exposure.frame_names = ["A", "B"]
    with pytest.raises(ValidationError, match=r"meta\.exposure\.frame_names"):
        meta.exposure.frame_names = ["C"]
    with pytest.raises(ValidationError, match=r"meta\.log\[\]\.tool\.name"):
        pkg.LogEntry(text="x", tool={"version": "1"})
    assert meta.model_dump(exclude_none=True) == {
        "log": [{"text": "made", "when": datetime.datetime(2024, 1, 2, 3, 4, 5), "tool": {"name": "t"}}],
        "exposure": {"frame_names": ["A", "B"]},
    }
    model = pkg.ThingModel()
    assert isinstance(model.meta.log, list)
    from tests.support.generated_facts import leaves

    assert leaves("lists_generated")["meta.fits"].type == "array"


def test_an_array_inside_meta_is_still_reported(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    core = folder / "core.schema.yaml"
    core.write_text(
        core.read_text()
        + "      image:\n        title: An array in meta\n        type: array\n"
        + "        items: {datatype: float32, ndim: 2}\n"
    )
    plan = build_plan(folder, strict=False)
    assert any("/properties/meta/properties/image" in str(r) for r in plan.reports)
    assert "meta.image" not in plan.leaves
