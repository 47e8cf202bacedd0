"""Model inheritance (``base:`` in models.yaml), checked by the generator, and where metadata classes live."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest

from codegen.build import build_plan, generate
from codegen.errors import SchemaError
from jwstmodels import ValidationError

CORE = """
type: object
properties:
  meta:
    type: object
    title: Header metadata
    properties:
      telescope: {type: string, fits_keyword: TELESCOP, title: Telescope}
"""

ARRAY = "{{title: Values, fits_hdu: {hdu}, datatype: {dtype}, ndim: {ndim}}}"


def _schema(arrays: dict[str, tuple[str, str, int]], meta: str = "") -> str:
    lines = ["allOf:", "- $ref: core.schema", "- type: object", "  properties:"]
    for name, (hdu, dtype, ndim) in arrays.items():
        lines.append(f"    {name}: " + ARRAY.format(hdu=hdu, dtype=dtype, ndim=ndim))
    if meta:
        lines += ["    meta:", "      type: object", "      properties:", f"        {meta}"]
    return "\n".join(lines) + "\n"


def _folder(tmp_path: Path, files: dict[str, str], manifest: str) -> Path:
    folder = tmp_path / "schemas"
    folder.mkdir()
    (folder / "core.schema.yaml").write_text(CORE)
    for name, text in files.items():
        (folder / name).write_text(text)
    (folder / "models.yaml").write_text(manifest)
    return folder


BASE = {"data": ("SCI", "float32", 2)}
EXTRA = "extra: {type: string, fits_keyword: EXTRA, title: Extra}"


def test_a_checked_extension_subclasses_and_declares_only_what_differs(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        {
            "a.schema.yaml": _schema(BASE),
            "b.schema.yaml": _schema({**BASE, "err": ("ERR", "float32", 2)}, EXTRA),
        },
        "AModel: {schema: a.schema.yaml}\nBModel: {schema: b.schema.yaml, base: AModel}\n",
    )
    out = tmp_path / "out" / "inherit_generated"
    generate(folder, out)
    b = (out / "b.py").read_text()
    assert "class BModel(AModel):" in b and "from .a import AModel" in b
    assert "data = ArrayField" not in b and "err = ArrayField" in b
    # the metadata only b uses lives in b's module; its narrowing of ``meta`` says why it is sound
    assert "class BMeta(Meta):" in b
    assert "meta: BMeta  # pyright: ignore[reportIncompatibleVariableOverride]" in b
    assert "class BMeta" not in (out / "meta.py").read_text()
    assert "meta: Meta\n" in (out / "a.py").read_text()
    sys.path.insert(0, str(out.parent))
    try:
        pkg: Any = importlib.import_module("inherit_generated")
        assert issubclass(pkg.BModel, pkg.AModel) and isinstance(pkg.BModel().meta, pkg.BMeta)
        assert pkg.BModel.__jwst_layout__.fields["data"] is pkg.AModel.__jwst_layout__.fields["data"]
        assert pkg.BModel((2, 3)).err is None, "an array not created with the model is absent"
        assert pkg.BModel((2, 3)).data.shape == (2, 3)
    finally:
        sys.path.remove(str(out.parent))
        for name in [m for m in sys.modules if m.startswith("inherit_generated")]:
            del sys.modules[name]


@pytest.mark.parametrize(
    ("b_arrays", "b_meta", "message"),
    [
        ({"data": ("SCI", "float64", 2)}, "", r"'data' differs"),
        ({"data": ("SCI", "float32", 3)}, "", r"'data' differs"),
        ({"data": ("DATA", "float32", 2)}, "", r"'data' differs"),
        ({"other": ("SCI", "float32", 2)}, "", r"it has no array 'data'"),
    ],
)
def test_an_extension_that_changes_an_inherited_field_fails(
    tmp_path: Path, b_arrays: dict[str, tuple[str, str, int]], b_meta: str, message: str
) -> None:
    folder = _folder(
        tmp_path,
        {"a.schema.yaml": _schema(BASE), "b.schema.yaml": _schema(b_arrays, b_meta)},
        "AModel: {schema: a.schema.yaml}\nBModel: {schema: b.schema.yaml, base: AModel}\n",
    )
    with pytest.raises(SchemaError, match=message) as caught:
        build_plan(folder)
    assert caught.value.file == "models.yaml" and caught.value.pointer == "/BModel/base"
    assert "BModel (b.schema.yaml) cannot extend AModel (a.schema.yaml)" in str(caught.value)


def test_an_extension_whose_metadata_does_not_extend_the_base_fails(tmp_path: Path) -> None:
    other = "telescope: {type: string, fits_keyword: TELESCOP, title: Telescope}"
    folder = _folder(
        tmp_path,
        {
            "a.schema.yaml": _schema(BASE, EXTRA),
            "b.schema.yaml": "type: object\nproperties:\n  meta:\n    type: object\n    properties:\n"
            f"      {other}\n  data: " + ARRAY.format(hdu="SCI", dtype="float32", ndim=2) + "\n",
        },
        "AModel: {schema: a.schema.yaml}\nBModel: {schema: b.schema.yaml, base: AModel}\n",
    )
    with pytest.raises(SchemaError, match=r"its metadata class \w+ does not extend AMeta"):
        build_plan(folder)


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("AModel: {schema: a.schema.yaml, base: NoModel}\n", r"'NoModel' is not a model of models.yaml"),
        ("AModel: {schema: a.schema.yaml, base: [x]}\n", r"base must be a model class name"),
        (
            "AModel: {schema: a.schema.yaml, base: BModel}\nBModel: {schema: a.schema.yaml, base: AModel}\n",
            r"models extend each other",
        ),
    ],
)
def test_bad_bases_fail_naming_the_manifest_entry(tmp_path: Path, manifest: str, message: str) -> None:
    folder = _folder(tmp_path, {"a.schema.yaml": _schema(BASE)}, manifest)
    with pytest.raises(SchemaError, match=message) as caught:
        build_plan(folder)
    assert caught.value.file == "models.yaml" and caught.value.pointer.endswith("/base")


def test_common_root_of_differing_roots(tmp_path: Path) -> None:
    """Roots that do not extend one another get a generated common base holding what they all share."""
    reference = (
        "type: object\nproperties:\n  meta:\n    type: object\n    properties:\n"
        "      telescope: {type: string, fits_keyword: TELESCOP, title: Telescope}\n"
        "      reftype: {type: string, fits_keyword: REFTYPE, title: Reference type}\n"
    )
    folder = _folder(
        tmp_path,
        {"a.schema.yaml": _schema(BASE, EXTRA), "r.schema.yaml": reference},
        "AModel: {schema: a.schema.yaml}\nRModel: {schema: r.schema.yaml}\n",
    )
    core = CORE + "      origin: {type: string, fits_keyword: ORIGIN, title: Origin}\n"
    (folder / "core.schema.yaml").write_text(core)
    plan = build_plan(folder)
    classes = {c.name: (c.base, [f.name for f in c.fields]) for c in plan.meta_classes}
    assert plan.common_meta == "CommonMeta"
    assert classes["CommonMeta"] == ("MetaNode", ["telescope"])
    assert classes["Meta"] == ("CommonMeta", ["origin"]) and classes["RMeta"] == ("CommonMeta", ["reftype"])
    assert plan.meta_modules["CommonMeta"] == "meta" and plan.meta_modules["RMeta"] == "r"


def test_classes_some_models_share_live_beside_the_first_of_them(tmp_path: Path) -> None:
    """Neither a core class nor one module's: ``meta_<first user>``, importing only ``meta`` (no cycle)."""
    folder = _folder(
        tmp_path,
        {"a.schema.yaml": _schema(BASE, EXTRA), "c.schema.yaml": _schema(BASE, EXTRA)},
        "AModel: {schema: a.schema.yaml}\nCModel: {schema: c.schema.yaml}\nDModel: {schema: a.schema.yaml}\n",
    )
    out = tmp_path / "out" / "shared_generated"
    result = generate(folder, out)
    assert result.plan.meta_modules["AMeta"] == "meta_a" and result.plan.meta_modules["Meta"] == "meta"
    shared = (out / "meta_a.py").read_text()
    assert "class AMeta(Meta):" in shared and "from .meta import Meta" in shared
    assert "from .meta_a import AMeta" in (out / "c.py").read_text()
    assert "AMeta" not in (out / "meta.py").read_text()


def test_created_arrays_are_declared_typed_and_inherited(tmp_path: Path) -> None:
    """``created_arrays``: CreatedArrayFields, made with the primary array; a base model's list is
    inherited."""
    arrays = {**BASE, "dq": ("DQ", "uint32", 2), "err": ("ERR", "float32", 2)}
    folder = _folder(
        tmp_path,
        {"a.schema.yaml": _schema(arrays), "b.schema.yaml": _schema(arrays, EXTRA)},
        "AModel: {schema: a.schema.yaml, created_arrays: [dq]}\n"
        "BModel: {schema: b.schema.yaml, base: AModel}\n",
    )
    out = tmp_path / "out" / "created_generated"
    generate(folder, out)
    a = (out / "a.py").read_text()
    assert "data = CreatedArrayField(" in a and "dq = CreatedArrayField(" in a and "err = ArrayField(" in a
    sys.path.insert(0, str(out.parent))
    try:
        pkg: Any = importlib.import_module("created_generated")
        for cls in (pkg.AModel, pkg.BModel):
            model = cls((2, 3))
            assert model.array_names() == ["data", "dq"] and model.dq.shape == (2, 3)
            assert model.err is None
            assert cls().array_names() == [], "no primary array: nothing is created"
    finally:
        sys.path.remove(str(out.parent))
        for name in [m for m in sys.modules if m.startswith("created_generated")]:
            del sys.modules[name]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{schema: a.schema.yaml, created_arrays: [nope]}", "'nope' is not an array of AModel"),
        ("{schema: a.schema.yaml, created_arrays: dq}", "created_arrays must be a list of names"),
        ("{schema: a.schema.yaml, primary_array: '', created_arrays: [dq]}", "has no primary array"),
    ],
)
def test_created_arrays_must_name_arrays_of_a_model_with_a_primary_array(
    tmp_path: Path, entry: str, message: str
) -> None:
    folder = _folder(
        tmp_path, {"a.schema.yaml": _schema({**BASE, "dq": ("DQ", "uint32", 2)})}, f"AModel: {entry}\n"
    )
    with pytest.raises(SchemaError, match=message):
        build_plan(folder)


def _scalars_schema(names: list[str], first: str = "") -> str:
    """A model with ``data`` and top-level scalars ``names`` (keywords in SCI), ``first`` before them."""
    lines = ["allOf:", "- $ref: core.schema", "- type: object", "  properties:"]
    lines.append("    data: " + ARRAY.format(hdu="SCI", dtype="float32", ndim=2))
    for name in [first] if first else []:
        lines.append(f"    {name}: {{type: string, fits_keyword: {name.upper()}, fits_hdu: SCI, title: Own}}")
    for name in names:
        lines.append(f"    {name}: {{type: integer, fits_keyword: {name.upper()}, fits_hdu: SCI, title: S}}")
    return "\n".join(lines) + "\n"


def test_models_declaring_the_same_leading_scalars_share_a_scalar_group(tmp_path: Path) -> None:
    """Models that do not extend each other but start with the same scalar fields take them from one plain
    class (a mixin): declared once, in the same order, ``isinstance`` between the models unchanged."""
    shared = ["s1", "s2", "s3", "s4", "s5"]
    folder = _folder(
        tmp_path,
        {
            "a.schema.yaml": _scalars_schema([*shared, "own_a"]),
            "b.schema.yaml": _scalars_schema([*shared, "own_b"]),
            "c.schema.yaml": _scalars_schema(shared[:3]),  # too few alike: no group
            "d.schema.yaml": _scalars_schema(shared, first="lead"),  # another field first: not a prefix
        },
        "AModel: {schema: a.schema.yaml}\nBModel: {schema: b.schema.yaml}\nCModel: {schema: c.schema.yaml}\n"
        "DModel: {schema: d.schema.yaml}\nEModel: {schema: a.schema.yaml, base: AModel}\n",
    )
    plan = build_plan(folder)
    groups = [(g.name, g.module, [f.name for f in g.fields], g.users) for g in plan.scalar_groups]
    # EModel extends AModel: it inherits the group through AModel and is no user of its own
    assert groups == [("AScalars", "scalars_a", shared, ["AModel", "BModel"])]
    out = tmp_path / "out" / "group_generated"
    generate(folder, out)
    group = (out / "scalars_a.py").read_text()
    assert "class AScalars:" in group and "__slots__ = ()" in group and "s5 = ScalarField(" in group
    b = (out / "b.py").read_text()
    assert "class BModel(AScalars, DataModel[Meta]):" in b and "from .scalars_a import AScalars" in b
    assert "s1 = ScalarField" not in b and "own_b = ScalarField" in b
    assert "s1 = ScalarField" in (out / "d.py").read_text()
    sys.path.insert(0, str(out.parent))
    try:
        pkg: Any = importlib.import_module("group_generated")
        assert list(pkg.BModel.__jwst_layout__.scalar_fields) == [
            *shared,
            "own_b",
        ]  # the order the header keywords take
        assert list(pkg.EModel.__jwst_layout__.scalar_fields) == [*shared, "own_a"]
        assert not issubclass(pkg.BModel, pkg.AModel) and not issubclass(pkg.AModel, pkg.BModel)
        model = pkg.BModel()
        model.s1 = 3
        assert model.s1 == 3
        with pytest.raises(ValidationError, match=r"BModel.*s2"):  # errors name the instance's model
            model.s2 = "three"
    finally:
        sys.path.remove(str(out.parent))
        for name in [m for m in sys.modules if m.startswith("group_generated")]:
            del sys.modules[name]
