"""The generator digests a third-party schema set in the same dialect: the JWST schemas of the stdatamodels
wheel, without a manifest and without edits.

It generates a package into a temporary folder, every module of it imports, a short script type-checks against
it with pyright strict (and a mistake in a copy of that script is reported), and whatever the generator cannot
express is reported by schema file and JSON pointer instead of stopping it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from codegen.build import Result, generate

PACKAGE = "sdm_generated"
BIN = Path(sys.executable).parent


def _schemas() -> Path:
    import stdatamodels  # test-only dependency: a missing install must fail, not skip

    folder = Path(stdatamodels.__file__).parent / "jwst" / "datamodels" / "schemas"
    assert (folder / "core.schema.yaml").is_file()
    return folder


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    out = tmp_path_factory.mktemp("thirdparty") / PACKAGE
    return out, generate(_schemas(), out)


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYRIGHT_PYTHON_IGNORE_WARNINGS": "1", "NO_COLOR": "1"}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


def test_every_schema_file_becomes_code_or_a_report(generated: tuple[Path, Result]) -> None:
    out, result = generated
    schema_files = {p.name for p in _schemas().glob("*.schema.yaml")}
    # meta_*: shared metadata classes; scalars_*: scalar fields that models of several modules share
    modules = {p.name for p in out.glob("*.py") if not p.name.startswith(("meta_", "scalars_"))}
    modules -= {"__init__.py", "meta.py", "lookup.py", "catalog.py"}
    models = [m for m in result.plan.models if not m.is_item]
    # one model per schema file with top-level properties (the others are bare tables or arrays that models
    # $ref); a file whose root is no object is reported and skipped
    from codegen.load import load_yaml

    structured = {
        name
        for name in schema_files
        if {"properties", "allOf", "$ref"} & set(load_yaml((_schemas() / name).read_text()))
    }
    skipped = {r.file for r in result.reports if "skipped" in r.message}
    assert skipped == set()  # the OIFITS root's "one of vis, vis2, t3, q4 present" is a presence check only
    assert {m.schema_file for m in models} | skipped == structured
    assert len(structured) > 190
    assert len(modules) == len({m.module for m in result.plan.models})
    assert len(result.plan.meta_classes) > 200
    for report in result.reports:
        assert report.file in schema_files, report
        assert report.pointer.startswith("/") or report.pointer == "", report
    messages = {str(r) for r in result.reports}
    # examples of what cannot be expressed, each named by file and JSON pointer
    assert not [m for m in messages if "/properties/meta/properties/wcs:" in m]  # meta.wcs is expressed
    assert (
        "camera.schema.yaml: /allOf/4/properties/model: cannot be expressed: an object without properties"
    ) in messages
    # what used to be reported is now expressed: scalars outside meta, table cells sized by the data
    assert not [m for m in messages if "scalar outside meta" in m or "no shape of that length" in m]


def test_every_module_imports(generated: tuple[Path, Result]) -> None:
    out, _ = generated
    code = textwrap.dedent(
        f"""
        import importlib, pkgutil, sys
        sys.path.insert(0, {str(out.parent)!r})
        import {PACKAGE}
        names = [m.name for m in pkgutil.iter_modules({PACKAGE}.__path__)]
        for name in names:
            importlib.import_module("{PACKAGE}." + name)
        from {PACKAGE}.lookup import MODEL_CLASSES
        print(len(names), len({PACKAGE}.__all__), len(MODEL_CLASSES))
        """
    )
    done = _run([sys.executable, "-W", "error", "-c", code], cwd=out.parent)
    assert done.returncode == 0, done.stderr
    modules, exported, model_types = map(int, done.stdout.split())
    assert modules == len(list(out.glob("*.py"))) - 1  # every module but __init__
    assert exported > 400 and model_types > 150


SCRIPT = """\
from typing import assert_type

import numpy as np
from numpy.typing import NDArray

from typing import Literal

from jwstmodels import Table
from sdm_generated import FlatModel, IfucubeModel, ImageModel, MultislitModel, SlitdataModel, SpecModel

image = ImageModel((2, 3))
assert_type(image.data, NDArray[np.float32])
assert_type(image.dq, NDArray[np.uint32] | None)
assert_type(image.meta.exposure.nints, int | None)
flat = FlatModel()
assert_type(flat.meta.instrument.p_filter, str | None)
assert_type(flat.meta.reftype, str | None)
multi = MultislitModel()
assert_type(multi.slits, list[SlitdataModel])
multi.slits.append(SlitdataModel())
slit = multi.slits[0]
assert_type(slit.name, str | None)
assert_type(slit.source_type, Literal["EXTENDED", "POINT", "UNKNOWN"] | None)
slit.xstart = 4
assert_type(SpecModel().spectral_order, int | None)
assert_type(IfucubeModel().wavetable, Table | None)
print(image.meta.exposure.nints)
"""


def _pyright(folder: Path, script: str, generated_parent: Path) -> subprocess.CompletedProcess[str]:
    (folder / "check.py").write_text(script)
    config = {
        "include": ["check.py"],
        "extraPaths": [str(generated_parent)],
        "typeCheckingMode": "strict",
        "pythonVersion": "3.11",
        "reportMissingTypeStubs": False,
    }
    (folder / "pyrightconfig.json").write_text(json.dumps(config))
    return _run(
        [str(BIN / "pyright"), "-p", str(folder), "--pythonpath", sys.executable, "--outputjson"], folder
    )


def test_a_script_type_checks_against_the_generated_package(
    generated: tuple[Path, Result], tmp_path: Path
) -> None:
    out, _ = generated
    good = tmp_path / "good"
    good.mkdir()
    done = _pyright(good, SCRIPT, out.parent)
    assert done.returncode == 0, done.stdout
    assert json.loads(done.stdout)["summary"]["errorCount"] == 0
    # negative control: a misspelt metadata field and a wrong value type are reported, with their lines
    bad = tmp_path / "bad"
    bad.mkdir()
    mistakes = SCRIPT.replace("print(image.meta.exposure.nints)", "print(image.meta.exposure.nintz)")
    mistakes += "flat.meta.reftype = 3\n"
    done = _pyright(bad, mistakes, out.parent)
    found = {
        (d["range"]["start"]["line"] + 1, d["rule"]) for d in json.loads(done.stdout)["generalDiagnostics"]
    }
    last = len(SCRIPT.splitlines())
    assert {line for line, _ in found} == {last, last + 1}, found
    assert {(last, "reportAttributeAccessIssue"), (last + 1, "reportAttributeAccessIssue")} <= found
