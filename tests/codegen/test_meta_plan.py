"""The metadata class rules of ``codegen.meta_plan``: shared unions, variants, root extension, required."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen import ir
from codegen.build import build_plan
from codegen.errors import BuildError
from codegen.plan import Plan

CORE = """
type: object
properties:
  meta:
    type: object
    title: Header metadata
    properties:
      telescope: {type: string, fits_keyword: TELESCOP, title: Telescope}
      exposure:
        type: object
        title: Exposure
        properties:
          nints: {type: integer, fits_keyword: NINTS, title: Integrations}
"""


def _plan(tmp_path: Path, files: dict[str, str], manifest: str) -> Plan:
    folder = tmp_path / "schemas"
    folder.mkdir()
    (folder / "core.schema.yaml").write_text(CORE)
    for name, text in files.items():
        (folder / name).write_text(text)
    (folder / "models.yaml").write_text(manifest)
    return build_plan(folder)


def _meta(path: str, body: str) -> str:
    """A schema that adds ``body`` (YAML properties, 4-space indented) at ``meta.<path>``."""
    lines = ["allOf:", "- $ref: core.schema", "- type: object", "  properties:"]
    lines += ["    meta:", "      type: object"]
    indent = "      "
    for part in path.split(".") if path else []:
        lines += [f"{indent}properties:", f"{indent}  {part}:", f"{indent}    type: object"]
        indent += "    "
    lines.append(f"{indent}properties:")
    lines += [f"{indent}  {line}" for line in body.strip().splitlines()]
    return "\n".join(lines) + "\n"


def _classes(plan: Plan) -> dict[str, tuple[str, list[str]]]:
    return {c.name: (c.base, [f.name for f in c.fields]) for c in plan.meta_classes}


def test_identical_objects_share_one_class_whatever_their_titles(tmp_path: Path) -> None:
    retitled = "nints: {type: integer, fits_keyword: NINTS, title: Another title}"
    plan = _plan(
        tmp_path,
        {"a.schema.yaml": _meta("exposure", retitled), "b.schema.yaml": "allOf:\n- $ref: core.schema\n"},
        "AModel: {schema: a.schema.yaml}\nBModel: {schema: b.schema.yaml}\n",
    )
    assert [m.meta_class for m in plan.models] == ["Meta", "Meta"]
    assert list(_classes(plan)) == ["Exposure", "Meta"]


def test_nested_extension_subclasses_and_narrows_the_root_field(tmp_path: Path) -> None:
    ngroups = "ngroups: {type: integer, fits_keyword: NGROUPS, title: G}"
    nframes = "nframes: {type: integer, fits_keyword: NFRAMES, title: F}"
    plan = _plan(
        tmp_path,
        {
            "a.schema.yaml": _meta("exposure", ngroups),
            "b.schema.yaml": _meta("exposure", ngroups + "\n" + nframes),
            "c.schema.yaml": _meta("exposure", ngroups),
        },
        "AModel: {schema: a.schema.yaml}\nBModel: {schema: b.schema.yaml}\nCModel: {schema: c.schema.yaml}\n",
    )
    classes = _classes(plan)
    # each model gets exactly its own members; extensions declare only what they add
    assert classes["Exposure"] == ("MetaNode", ["nints"])
    assert classes["AExposure"] == ("Exposure", ["ngroups"])
    assert classes["BExposure"] == ("AExposure", ["nframes"])
    # the roots extend Meta, narrowing ``exposure`` to their own class
    assert classes["AMeta"] == ("Meta", ["exposure"])
    assert classes["BMeta"] == ("AMeta", ["exposure"])
    assert [m.meta_class for m in plan.models] == ["AMeta", "BMeta", "AMeta"]
    narrowed = {c.name: [(f.name, f.narrows) for f in c.fields] for c in plan.meta_classes}
    assert narrowed["AMeta"] == [("exposure", "Exposure")]
    assert narrowed["BMeta"] == [("exposure", "AExposure")]


def test_contradiction_gets_a_class_of_its_own(tmp_path: Path) -> None:
    moved = "nints: {type: integer, fits_keyword: NINTS, fits_hdu: SCI, title: Integrations}"
    plan = _plan(
        tmp_path,
        {"a.schema.yaml": _meta("exposure", moved)},
        "AModel: {schema: a.schema.yaml}\n",
    )
    classes = _classes(plan)
    assert classes["AExposure"] == ("MetaNode", ["nints"])
    # no extension of Meta: only what every root shares (``telescope``) comes from the common root
    assert classes["AMeta"] == ("CommonMeta", ["exposure"])
    assert classes["CommonMeta"] == ("MetaNode", ["telescope"]) and classes["Meta"][0] == "CommonMeta"
    # the lookup table lists the core's location
    assert plan.leaves["meta.exposure.nints"].hdu == "PRIMARY"


def test_root_extends_the_largest_planned_root(tmp_path: Path) -> None:
    x = "x: {type: string, fits_keyword: XKEY, title: X}"
    y = "y: {type: string, fits_keyword: YKEY, title: Y}"
    plan = _plan(
        tmp_path,
        {
            "a.schema.yaml": _meta("", x),
            "b.schema.yaml": _meta("", x + "\n" + y),
            "c.schema.yaml": _meta("", x),
        },
        "AModel: {schema: a.schema.yaml}\nBModel: {schema: b.schema.yaml}\nCModel: {schema: c.schema.yaml}\n",
    )
    classes = _classes(plan)
    assert classes["AMeta"] == ("Meta", ["x"])
    assert classes["BMeta"] == ("AMeta", ["y"])
    assert "CMeta" not in classes
    assert [m.meta_class for m in plan.models] == ["AMeta", "BMeta", "AMeta"]


def test_a_class_planned_before_a_smaller_one_it_extends_subclasses_it(tmp_path: Path) -> None:
    # the larger object comes first in the manifest: it still extends the smaller one, in both the nested
    # object and the root, rather than repeating its members
    x = "x: {type: string, fits_keyword: XKEY, title: X}"
    y = "y: {type: string, fits_keyword: YKEY, title: Y}"
    plan = _plan(
        tmp_path,
        {"a.schema.yaml": _meta("exposure", x + "\n" + y), "b.schema.yaml": _meta("exposure", y)},
        "AModel: {schema: a.schema.yaml}\nBModel: {schema: b.schema.yaml}\n",
    )
    classes = _classes(plan)
    # names still follow the manifest order: the first class at a path takes the plain name
    assert classes["AExposure"] == ("BExposure", ["x"])
    assert classes["BExposure"] == ("Exposure", ["y"])
    assert classes["AMeta"] == ("BMeta", ["exposure"])
    assert classes["BMeta"] == ("Meta", ["exposure"])
    narrowed = {c.name: [(f.name, f.narrows) for f in c.fields] for c in plan.meta_classes}
    assert narrowed["AMeta"] == [("exposure", "BExposure")]
    names = [c.name for c in plan.meta_classes]  # bases are defined before their subclasses
    assert names.index("BExposure") < names.index("AExposure") and names.index("BMeta") < names.index("AMeta")
    assert [m.meta_class for m in plan.models] == ["AMeta", "BMeta"]


def test_a_core_class_extends_no_model_class(tmp_path: Path) -> None:
    # the core's exposure has every member of a model's smaller one, but ``meta`` imports no model module
    plan = _plan(
        tmp_path,
        {
            "a.schema.yaml": "type: object\nproperties:\n  meta:\n    type: object\n    properties:\n"
            "      exposure: {type: object, properties: {}}\n"
            "      telescope: {type: string, fits_keyword: TELESCOP, title: Telescope}\n"
        },
        "AModel: {schema: a.schema.yaml}\n",
    )
    classes = _classes(plan)
    assert classes["AExposure"] == ("MetaNode", [])
    assert classes["Exposure"] == ("MetaNode", ["nints"])


def test_keyword_conflict_at_one_path_fails(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match=r"meta\.exposure\.nints is \(NINTS, PRIMARY, integer\) in core"):
        _plan(
            tmp_path,
            {"a.schema.yaml": _meta("exposure", "nints: {type: integer, fits_keyword: NINT, title: I}")},
            "AModel: {schema: a.schema.yaml}\n",
        )


def test_required_meta_follows_required_lists_down_from_meta(tmp_path: Path) -> None:
    schema = """
allOf:
- $ref: core.schema
- type: object
  properties:
    meta:
      type: object
      required: [telescope, exposure, missing]
      properties:
        exposure:
          type: object
          required: [nints]
    data: {datatype: float32, fits_hdu: SCI, ndim: 2, default: 0}
"""
    plan = _plan(tmp_path, {"a.schema.yaml": schema}, "AModel: {schema: a.schema.yaml}\n")
    assert plan.models[0].required_meta == ("meta.telescope", "meta.exposure.nints")


def test_primary_array_must_name_an_attribute(tmp_path: Path) -> None:
    from codegen.errors import SchemaError

    with pytest.raises(SchemaError, match=r"models\.yaml: /AModel/primary_array: 'dq' is not an array"):
        _plan(
            tmp_path,
            {"a.schema.yaml": _meta("", "x: {type: string, title: X}")},
            "AModel: {schema: a.schema.yaml, primary_array: dq}\n",
        )


def test_table_column_sized_by_the_data(tmp_path: Path) -> None:
    """A column with ``ndim`` and no ``shape`` has cells as long as the data makes them; an ``ndim`` that
    contradicts a ``shape`` is reported (strict: an error naming file and pointer)."""
    from codegen.errors import SchemaError

    table = """
allOf:
- $ref: core.schema
- type: object
  properties:
    phot_table:
      fits_hdu: PHOTOM
      datatype:
      - {name: filter, datatype: [ascii, 12]}
      - {name: wavelength, datatype: float32, ndim: 1}
      - {name: image, datatype: float32, ndim: 2}
    data: {datatype: float32, fits_hdu: SCI, ndim: 2, default: 0}
"""
    plan = _plan(tmp_path, {"a.schema.yaml": table}, "AModel: {schema: a.schema.yaml}\n")
    phot = next(f for f in plan.models[0].fields if f.name == "phot_table")
    assert isinstance(phot.node, ir.Table)
    assert [c.shape for c in phot.node.columns] == [(), (None,), (None, None)]

    wrong = table.replace("ndim: 1}", "ndim: 1, shape: [3, 4]}")
    (tmp_path / "wrong").mkdir()
    with pytest.raises(
        SchemaError, match=r"/allOf/1/properties/phot_table/datatype/1/ndim: cannot be expressed"
    ):
        _plan(tmp_path / "wrong", {"a.schema.yaml": wrong}, "AModel: {schema: a.schema.yaml}\n")
    lenient = tmp_path / "lenient"
    lenient.mkdir()
    (lenient / "core.schema.yaml").write_text(CORE)
    (lenient / "a.schema.yaml").write_text(wrong)
    plan = build_plan(lenient)  # no manifest: lenient, one model per file
    model = next(m for m in plan.models if m.class_name == "AModel")
    assert [f.name for f in model.fields] == ["data"]
    assert any(
        r.file == "a.schema.yaml" and "column 'wavelength' has ndim 1 but a shape of 2 axes" in r.message
        for r in plan.reports
    )


def test_fields_listing_the_same_values_share_one_literal_alias(tmp_path: Path) -> None:
    """Six or more enum values that several metadata fields list (in any order) are one ``Literal`` alias in
    ``meta``, in the first field's order; shorter lists and lists of one field stay inline."""
    six = ["A", "B", "C", "D", "E", "F"]
    band = "band: {{type: string, fits_keyword: {}, title: Band, enum: {}}}"
    short = "mode: {type: string, fits_keyword: MODE, title: Mode, enum: [X, Y]}"
    plan = _plan(
        tmp_path,
        {
            "a.schema.yaml": _meta("instrument", band.format("BAND", six) + "\n" + short),
            "b.schema.yaml": _meta("exposure", band.format("EBAND", six[::-1])),  # another path and order
        },
        "AModel: {schema: a.schema.yaml}\nBModel: {schema: b.schema.yaml}\n",
    )
    assert [(x.name, x.values, x.users) for x in plan.enum_aliases] == [
        ("InstrumentBand", tuple(six), ["Instrument.band", "BExposure.band"])
    ]
    fields = {(c.name, f.name): f for c in plan.meta_classes for f in c.fields}
    assert fields[("BExposure", "band")].enum_alias == "InstrumentBand"
    assert fields[("Instrument", "mode")].enum_alias is None


def test_literal_aliases_are_written_once_and_validate(tmp_path: Path) -> None:
    import importlib
    import sys

    from codegen.build import generate
    from jwstmodels import ValidationError

    six = ["A", "B", "C", "D", "E", "F"]
    band = "band: {{type: string, fits_keyword: {}, enum: {}}}"
    folder = tmp_path / "schemas"
    folder.mkdir()
    (folder / "core.schema.yaml").write_text(CORE)
    (folder / "a.schema.yaml").write_text(_meta("exposure", band.format("B", six)))
    (folder / "b.schema.yaml").write_text(_meta("instrument", band.format("B2", six[::-1])))
    (folder / "models.yaml").write_text("AModel: {schema: a.schema.yaml}\nBModel: {schema: b.schema.yaml}\n")
    out = tmp_path / "out" / "alias_generated"
    generate(folder, out)
    meta = (out / "meta.py").read_text()
    assert 'AExposureBand = Literal["A", "B", "C", "D", "E", "F"]' in meta
    written = "".join(p.read_text() for p in sorted(out.glob("*.py")))
    assert written.count("Literal[") == 1 and written.count("band: AExposureBand | None") == 2
    sys.path.insert(0, str(out.parent))
    try:
        pkg = importlib.import_module("alias_generated")
        model = pkg.BModel()
        model.meta.instrument.band = "C"
        with pytest.raises(ValidationError, match="band"):
            model.meta.instrument.band = "Z"
    finally:
        sys.path.remove(str(out.parent))
        for name in [m for m in sys.modules if m.startswith("alias_generated")]:
            del sys.modules[name]
