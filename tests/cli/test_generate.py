"""``jwstmodels generate``: the code generator from the command line, on a third-party schema folder."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest

from jwstmodels.cli import generate as generate_module
from tests.cli.conftest import Run, run_process
from tests.support.widget_schema import WIDGET_SCHEMA


@pytest.fixture
def widget_schemas(tmp_path: Path) -> Path:
    """A third-party schema folder (no models.yaml): one model, WidgetModel."""
    folder = tmp_path / "widget_schemas"
    folder.mkdir()
    (folder / "widget.schema.yaml").write_text(WIDGET_SCHEMA)
    return folder


def test_generates_a_working_package_from_a_third_party_folder(
    run: Run, widget_schemas: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site" / "widget_models"
    result = run("generate", "--schemas", widget_schemas, "--out", out)
    assert result.code == 0, result.stdout + result.stderr
    assert f"files to {out} from {widget_schemas}" in result.stdout
    assert (out / "widget.py").is_file()
    script = textwrap.dedent(
        f"""
        import numpy as np
        from widget_models import WidgetModel
        m = WidgetModel(np.ones((2, 3)))
        m.meta.widget.speed = 2.5
        m.save({str(tmp_path / "w.fits")!r})
        print(type(m).__name__, m.data.dtype, m.meta.widget.speed)
        """
    )
    used = run_process(sys.executable, "-c", script, env={"PYTHONPATH": str(out.parent)})
    assert used.code == 0, used.stderr
    assert used.stdout.strip() == "WidgetModel float32 2.5"


def test_check_says_up_to_date_then_stale(run: Run, widget_schemas: Path, tmp_path: Path) -> None:
    out = tmp_path / "widget_models"
    assert run("generate", "--schemas", widget_schemas, "--out", out).code == 0
    fresh = run("generate", "--check", "--schemas", widget_schemas, "--out", out)
    assert fresh.code == 0, fresh.stderr
    assert f"{out} is up to date" in fresh.stdout
    (out / "widget.py").write_text("# edited by hand\n")
    stale = run("generate", "--check", "--schemas", widget_schemas, "--out", out)
    assert stale.code == 1
    assert f"differs: {out / 'widget.py'}" in stale.stderr
    report = json.loads(
        run("generate", "--check", "--json", "--schemas", widget_schemas, "--out", out).stdout
    )
    assert report == {"out": str(out), "stale": [f"differs: {out / 'widget.py'}"]}


def test_json_lists_the_files_written(run: Run, widget_schemas: Path, tmp_path: Path) -> None:
    out = tmp_path / "widget_models"
    result = run("generate", "--json", "--schemas", widget_schemas, "--out", out)
    assert result.code == 0
    report = json.loads(result.stdout)
    assert report["out"] == str(out)
    assert "widget.py" in report["files"] and "__init__.py" in report["files"]
    assert all((out / name).is_file() for name in report["files"])


def test_schema_error_exits_1_and_writes_nothing(run: Run, widget_schemas: Path, tmp_path: Path) -> None:
    path = widget_schemas / "widget.schema.yaml"
    path.write_text(path.read_text().replace("ndim: 2", "ndims: 2"))
    out = tmp_path / "widget_models"
    result = run("generate", "--strict", "--schemas", widget_schemas, "--out", out)
    assert result.code == 1
    assert "widget.schema.yaml" in result.stderr and "ndims" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_folder_problems_exit_2(run: Run, widget_schemas: Path, tmp_path: Path) -> None:
    missing = run("generate", "--schemas", tmp_path / "nowhere", "--out", tmp_path / "o")
    assert missing.code == 2
    assert missing.stderr.strip() == f"jwstmodels: {tmp_path / 'nowhere'}: no such folder"
    no_out = run("generate", "--schemas", widget_schemas)
    assert no_out.code == 2
    assert "give --out DIR for a schema folder other than the checkout's schemas/" in no_out.stderr


def test_without_the_source_checkout_the_generator_is_missing(
    run: Run, widget_schemas: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As after ``pip install jwstmodels`` without the wheel's generator: ``codegen`` is not importable, no
    checkout is around (the wheel's ``jwstmodels._codegen`` does not exist in the source tree)."""
    for name in [m for m in sys.modules if m == "codegen" or m.startswith("codegen.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "codegen", None)  # import codegen -> ModuleNotFoundError
    monkeypatch.setattr(generate_module, "checkout_candidates", list)
    result = run("generate", "--schemas", widget_schemas, "--out", tmp_path / "o")
    assert result.code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert (
        "the generator is not installed: install jwstmodels from its wheel with the codegen extra" in lines[0]
    )
    assert not (tmp_path / "o").exists()


def test_finds_the_checkout_from_an_outside_folder(widget_schemas: Path, tmp_path: Path) -> None:
    """The console script, run elsewhere, still finds codegen in the checkout it was installed from."""
    out = tmp_path / "widget_models"
    result = run_process(
        Path(sys.executable).parent / "jwstmodels",
        "generate",
        "--schemas",
        widget_schemas,
        "--out",
        out,
        cwd=tmp_path,
    )
    assert result.code == 0, result.stderr
    assert (out / "widget.py").is_file()
