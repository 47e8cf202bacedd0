"""The pipeline row of ``make bench`` (benchmarks/pipeline.py) says so, and measures nothing, when the
pipeline's environment does not exist (it runs in ``.venv-pipeline``, not in the environment of ``make
bench``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import pipeline


def test_without_the_pipeline_environment_the_row_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(pipeline, "PIPELINE_PYTHON", tmp_path / "nowhere" / "bin" / "python")
    result = pipeline.run_pipeline(quick=True)
    assert set(result) == {"skipped"} and "make pipeline-test" in result["skipped"]
    assert "pipeline (issue 16): not measured" in capsys.readouterr().out


def test_an_environment_without_jwst_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setattr(pipeline, "PIPELINE_PYTHON", Path(sys.executable))  # the dev environment: no jwst
    assert pipeline._pipeline_environment() is (_has_jwst())


def _has_jwst() -> bool:
    import importlib.util

    return importlib.util.find_spec("jwst") is not None
