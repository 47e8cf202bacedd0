"""The generated package as users meet it: lazy imports, one public base module, and inheritance as the
reference implementation has it."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import jwstmodels
import jwstmodels_generated
from jwstmodels_generated.lookup import CLASS_MODULES, MODEL_CLASSES

REPO = Path(__file__).absolute().parents[2]
GENERATED = REPO / "generated" / "jwstmodels_generated"


def _loaded_after(code: str) -> list[str]:
    """The generated modules (beside the package and its run-time tables) a fresh interpreter holds after
    running ``code``."""
    probe = (
        f"{code}\nimport sys, json\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('jwstmodels_generated.')"
        " and m != 'jwstmodels_generated.lookup')))"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    )
    return json.loads(result.stdout.splitlines()[-1])


def test_import_jwstmodels_imports_no_model_module() -> None:
    assert _loaded_after("import jwstmodels") == []
    assert _loaded_after("import jwstmodels_generated") == []


def test_first_use_loads_only_that_models_modules() -> None:
    image = _loaded_after("import jwstmodels\njwstmodels.ImageModel")
    # the core tree, the classes image shares with other science models, its own module
    assert image == [
        "jwstmodels_generated.image",
        "jwstmodels_generated.meta",
        "jwstmodels_generated.meta_image",
    ]
    flat = _loaded_after("import jwstmodels\njwstmodels.FlatModel()")
    assert flat == [
        "jwstmodels_generated.flat",
        "jwstmodels_generated.meta",
        "jwstmodels_generated.referencefile_required",
    ]


def test_open_loads_the_class_its_datamodl_names(tmp_path: Path) -> None:
    jwstmodels.CubeModel((2, 2, 2)).save(tmp_path / "cube.fits")
    path = str(tmp_path / "cube.fits")
    code = f"import jwstmodels\nm = jwstmodels.open({path!r})\nassert type(m).__name__ == 'CubeModel', m"
    assert "jwstmodels_generated.cube" in _loaded_after(code)
    assert {m for m in _loaded_after(code) if not m.startswith("jwstmodels_generated.meta")} == {
        "jwstmodels_generated.cube"
    }


def test_every_name_is_listed_and_reachable() -> None:
    names = set(CLASS_MODULES)
    assert set(jwstmodels_generated.__all__) == names
    assert names <= set(jwstmodels.__all__) and names <= set(dir(jwstmodels))
    assert names <= set(dir(jwstmodels_generated))
    for name in sorted(names):
        value = getattr(jwstmodels, name)
        assert value is getattr(jwstmodels_generated, name)
        assert value.__module__ == f"jwstmodels_generated.{CLASS_MODULES[name]}"
    for module, cls in MODEL_CLASSES.values():
        assert CLASS_MODULES[cls] == module
    with pytest.raises(AttributeError, match="NoSuchModel"):
        _ = jwstmodels.NoSuchModel  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="NoSuchModel"):
        _ = jwstmodels_generated.NoSuchModel  # type: ignore[attr-defined]


ALLOWED = {"datetime", "typing", "numpy", "pydantic", "jwstmodels.base", "importlib"}
"""What generated modules may import besides their siblings (``importlib``: the package's lazy loading)."""


@pytest.mark.parametrize("path", sorted(GENERATED.glob("*.py")), ids=lambda p: p.name)
def test_generated_code_imports_only_the_public_base(path: Path) -> None:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # sibling generated modules
                continue
            modules = [node.module or ""]
        else:
            continue
        for module in modules:
            assert module in ALLOWED, f"{path.name}:{node.lineno} imports {module}"


def test_model_classes_declare_their_metadata_type() -> None:
    for name in sorted(CLASS_MODULES):
        cls = getattr(jwstmodels, name)
        if isinstance(cls, type) and issubclass(cls, jwstmodels.DataModel):
            assert cls.__annotations__["meta"] == cls.meta_class.__name__ or (
                cls.__annotations__["meta"] is cls.meta_class
            ), name


# -- inheritance against the reference implementation ---------------------------------------------------

INTENDED: dict[tuple[str, str], str] = {
    (
        "MiriResolutionModel",
        "ResolutionModel",
    ): "the reference subclasses it with a schema that does not extend "
    "its parent's (no data array, three tables instead): here the class inherits only what its schema has",
}
"""(A, B) pairs where ``issubclass(A, B)`` differs from the reference on purpose, with the reason."""


def _model_classes() -> dict[str, type]:
    return {
        name: cls
        for name in CLASS_MODULES
        if isinstance(cls := getattr(jwstmodels, name), type) and issubclass(cls, jwstmodels.DataModel)
    }


def test_inheritance_matches_the_reference() -> None:
    reference = pytest.importorskip("stdatamodels.jwst.datamodels")
    ours = _model_classes()
    both = {name: (cls, getattr(reference, name)) for name, cls in ours.items() if hasattr(reference, name)}
    assert len(both) > 40
    differ = []
    for a, (ours_a, ref_a) in both.items():
        for b, (ours_b, ref_b) in both.items():
            if a != b and issubclass(ours_a, ours_b) != issubclass(ref_a, ref_b) and (a, b) not in INTENDED:
                differ.append(
                    f"{a} < {b}: ours {issubclass(ours_a, ours_b)}, reference {issubclass(ref_a, ref_b)}"
                )
    assert not differ, "\n".join(differ)
    assert isinstance(jwstmodels.FlatModel(), jwstmodels.ReferenceFileModel)
    assert not isinstance(jwstmodels.ImageModel(), jwstmodels.ReferenceFileModel)


def test_every_reference_file_model_is_a_reference_file_model() -> None:
    for name, cls in _model_classes().items():
        meta_class = cls.meta_class
        is_reference = issubclass(meta_class, jwstmodels.ReferenceFileMeta)
        assert issubclass(cls, jwstmodels.ReferenceFileModel) == is_reference, name


def test_a_schema_extension_subclasses_its_base() -> None:
    assert jwstmodels.MIRIRampModel.__bases__ == (jwstmodels.RampModel,)
    ramp, miri = jwstmodels.RampModel, jwstmodels.MIRIRampModel
    # inherited fields are the base's descriptors; the extension declares only what differs
    assert set(ramp.__jwst_layout__.fields) <= set(miri.__jwst_layout__.fields)
    assert (
        "groupdq" not in vars(miri)
        and miri.__jwst_layout__.fields["groupdq"] is ramp.__jwst_layout__.fields["groupdq"]
    )
    model = miri((1, 2, 3, 4))
    assert model.groupdq.shape == (1, 2, 3, 4) and model.schema_name == "miri_ramp.schema.yaml"
    assert isinstance(model, ramp)
