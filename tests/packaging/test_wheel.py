"""The built wheel installs into a fresh virtual environment and gives a working, typed ``import jwstmodels``.

DESIGN section 1: a plain (non-editable) install must carry both import packages (``jwstmodels`` and the
generated ``jwstmodels_generated``) with their ``py.typed`` markers. The wheel is built from the working tree
with ``uv build``, installed with ``uv pip install`` (dependencies from the package index, through uv's cache)
and exercised by the venv's own interpreter in isolated mode, from a directory outside the repository, so
nothing can be imported from the source tree by accident.
"""

import os
import subprocess
import sys
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.widget_schema import WIDGET_SCHEMA

REPO = Path(__file__).absolute().parents[2]
BIN = Path(sys.executable).parent
PACKAGES = ("jwstmodels", "jwstmodels_generated")


@dataclass(frozen=True)
class Installed:
    wheel: Path
    python: Path
    """The interpreter of the fresh venv the wheel is installed into."""
    work: Path
    """A scratch directory outside the repository (the working directory of every command)."""


def _env() -> dict[str, str]:
    env = {**os.environ, "NO_COLOR": "1"}
    for name in ("PYTHONPATH", "PYTHONHOME", "MYPYPATH", "VIRTUAL_ENV"):
        env.pop(name, None)
    return env


def _run(args: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=_env(), capture_output=True, text=True, timeout=300, check=False
    )
    command = " ".join(str(a) for a in args)
    assert result.returncode == 0, (
        f"$ {command}\nexit code {result.returncode}\n"
        f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )
    return result


def _uv() -> Path:
    uv = BIN / "uv"
    assert uv.is_file(), f"uv is not installed next to {sys.executable}"
    return uv


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("wheel")
    dist, venv, work = root / "dist", root / "venv", root / "work"
    work.mkdir()
    _run([_uv(), "build", "--wheel", "--out-dir", dist, REPO], cwd=work)
    wheels = sorted(dist.glob("jwstmodels-*.whl"))
    assert len(wheels) == 1, f"expected one wheel in {dist}, found {wheels}"
    _run([_uv(), "venv", "--quiet", "--python", sys.executable, venv], cwd=work)
    python = venv / "bin" / "python"
    _run([_uv(), "pip", "install", "--quiet", "--python", python, wheels[0]], cwd=work)
    return Installed(wheel=wheels[0], python=python, work=work)


def test_wheel_holds_both_packages_with_py_typed(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    for package in PACKAGES:
        assert f"{package}/__init__.py" in names, f"{package} missing from the wheel: {sorted(names)}"
        assert f"{package}/py.typed" in names, f"{package}/py.typed missing from the wheel: {sorted(names)}"
    misplaced = sorted(n for n in names if n.startswith(("src/", "generated/")))
    assert not misplaced, f"files under the source layout's folders instead of the packages: {misplaced}"


INSTALLED_CHECK = textwrap.dedent(
    """
    import sys
    import sysconfig
    from pathlib import Path

    import jwstmodels
    import jwstmodels_generated

    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    repo = Path(sys.argv[1]).resolve()
    for module in (jwstmodels, jwstmodels_generated):
        assert module.__file__ is not None
        where = Path(module.__file__).resolve()
        assert where.is_relative_to(site), f"{module.__name__} imported from {where}, not from {site}"
        assert not where.is_relative_to(repo), f"{module.__name__} imported from the repository: {where}"
        assert (where.parent / "py.typed").is_file(), f"{module.__name__} is installed without py.typed"

    m = jwstmodels.ImageModel((3, 4))
    m.meta.exposure.nframes = 4
    m.data[1, 2] = 7.5
    path = Path(sys.argv[2]) / "image.fits"
    written = m.save(path)
    assert written == path and path.is_file(), written

    with jwstmodels.open(path) as opened:
        assert type(opened) is jwstmodels.ImageModel, type(opened)
        assert opened.meta.exposure.nframes == 4, opened.meta.exposure.nframes
        assert opened.data.shape == (3, 4), opened.data.shape
        assert opened.data[1, 2] == 7.5
    print("ok")
    """
)


def test_installed_wheel_imports_and_round_trips(installed: Installed) -> None:
    script = installed.work / "check_installed.py"
    script.write_text(INSTALLED_CHECK, encoding="utf-8")
    out = installed.work / "out"
    out.mkdir(exist_ok=True)
    # -I: isolated mode (no PYTHON* variables, no user site, no script directory on sys.path).
    result = _run([installed.python, "-I", "-W", "error", script, REPO, out], cwd=installed.work)
    assert result.stdout.strip() == "ok", result.stdout


TYPED_CHECK = textwrap.dedent(
    """
    from typing import assert_type

    import numpy as np
    from numpy.typing import NDArray

    import jwstmodels

    m = jwstmodels.ImageModel((3, 4))
    assert_type(m, jwstmodels.ImageModel)
    assert_type(m.meta.exposure.nframes, int | None)
    assert_type(m.data, NDArray[np.float32])
    """
)


def test_installed_wheel_is_typed(installed: Installed) -> None:
    """mypy reads installed packages only through ``py.typed``: without it every class would be ``Any``."""
    mypy = BIN / "mypy"
    assert mypy.is_file(), f"mypy is not installed next to {sys.executable}"
    script = installed.work / "check_typed.py"
    script.write_text(TYPED_CHECK, encoding="utf-8")
    _run(
        [
            mypy,
            "--strict",
            "--python-executable",
            installed.python,
            "--cache-dir",
            installed.work / ".mypy_cache",
            "--config-file",
            os.devnull,
            script,
        ],
        cwd=installed.work,
    )


# -- the generator in the wheel: `pip install 'jwstmodels[codegen]'` gives a working `jwstmodels generate`


GENERATED_CHECK = textwrap.dedent(
    """
    import sys
    import sysconfig
    from pathlib import Path

    sys.path.insert(0, sys.argv[1])  # the folder holding the generated packages
    import widget_models

    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    import jwstmodels._codegen as shipped
    assert Path(shipped.__file__).resolve().is_relative_to(site), shipped.__file__

    m = widget_models.WidgetModel((2, 3))
    m.meta.widget.speed = 2.5
    m.data[1, 1] = 4.0
    path = m.save(Path(sys.argv[1]) / "widget.fits")
    with widget_models.WidgetModel(path) as back:
        assert back.meta.widget.speed == 2.5 and back.data[1, 1] == 4.0

    import catalogue  # the shipped schemas, generated again by the installed generator
    ipc = catalogue.IPCModel((3, 3))
    assert type(ipc).__name__ == "IPCModel" and ipc.data.shape == (3, 3)
    print("ok")
    """
)


@pytest.fixture(scope="module")
def with_codegen(installed: Installed) -> Installed:
    """The same venv with the codegen extra added (jinja2, PyYAML, ruff: from the package index, through
    uv's cache)."""
    _run(
        [_uv(), "pip", "install", "--quiet", "--python", installed.python, f"{installed.wheel}[codegen]"],
        cwd=installed.work,
    )
    return installed


def test_wheel_ships_the_generator_and_the_schemas(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    for name in (
        "jwstmodels/_codegen/build.py",
        "jwstmodels/_codegen/tree_nodes.py",
        "jwstmodels/_codegen/templates/model.py.jinja2",
        "jwstmodels/_codegen/ruff_generated.toml",
        "jwstmodels/_codegen/schemas/models.yaml",
        "jwstmodels/_codegen/schemas/core.schema.yaml",
    ):
        assert name in names, f"{name} missing from the wheel"
    assert not [n for n in names if "__pycache__" in n]


def test_bundled_ruff_settings_match_the_repository() -> None:
    """Generated code is laid out alike from a checkout (pyproject.toml) and a wheel (the bundled copy)."""
    import tomllib

    ours = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["ruff"]
    bundled = tomllib.loads((REPO / "codegen" / "ruff_generated.toml").read_text())
    assert bundled["line-length"] == ours["line-length"]
    assert bundled["target-version"] == ours["target-version"]
    assert bundled["lint"]["isort"] == ours["lint"]["isort"]


def test_generate_from_the_installed_wheel(with_codegen: Installed) -> None:
    """`jwstmodels generate` of the wheel (no checkout around: the work folder is outside the repository) on a
    user's schema folder and on the shipped schemas; the generated packages import and save."""
    work = with_codegen.work
    schemas = work / "widget_schemas"
    schemas.mkdir(exist_ok=True)
    (schemas / "widget.schema.yaml").write_text(WIDGET_SCHEMA)
    command = with_codegen.python.parent / "jwstmodels"
    _run([command, "generate", "--schemas", schemas, "--out", work / "widget_models"], cwd=work)
    result = _run([command, "generate", "--out", work / "catalogue"], cwd=work)
    assert "wrote" in result.stdout
    script = work / "check_generated.py"
    script.write_text(GENERATED_CHECK, encoding="utf-8")
    result = _run([with_codegen.python, "-I", "-W", "error", script, work], cwd=work)
    assert result.stdout.strip() == "ok", result.stdout
