"""asdf's check of the extensions an ASDF file was written with: its warnings still reach the user (named by
file), and a list of extensions that passed it is not checked again (the check is a tenth of an open)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asdf
import pytest

import jwstmodels
from jwstmodels._core.errors import InvalidValueWarning
from jwstmodels._io import asdf_format

CORE = b"asdf://asdf-format.org/core/extensions/core-1.6.0"


def _written(path: Path, uri: bytes = CORE) -> Path:
    """An ASDF file of an ImageModel's metadata (no blocks: the YAML can be edited), naming ``uri``."""
    stream = path.with_suffix(".tmp")
    asdf.AsdfFile({"meta": {"model_type": "ImageModel", "instrument": {"name": "NIRCAM"}}}).write_to(stream)
    raw = stream.read_bytes()
    assert CORE in raw
    path.write_bytes(raw.replace(CORE, uri))
    return path


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """asdf's check, counted; the memory of passed lists emptied."""
    monkeypatch.setattr(asdf_format, "_CHECKED", {})
    counted: list[int] = []
    original = asdf.AsdfFile._check_extensions

    def check(self: Any, *args: Any, **kwargs: Any) -> None:
        counted.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(asdf.AsdfFile, "_check_extensions", check)
    return counted


def test_a_list_that_passed_is_not_checked_again(tmp_path: Path, calls: list[int]) -> None:
    path = _written(tmp_path / "clean.asdf")
    for _ in range(3):
        with jwstmodels.open(path) as model:
            assert model.meta.instrument.name == "NIRCAM"
    assert len(calls) == 1


def test_a_missing_extension_warns_at_every_open(tmp_path: Path, calls: list[int]) -> None:
    path = _written(tmp_path / "missing.asdf", b"asdf://example.org/no-such-extension-1.0.0")
    for _ in range(2):
        with pytest.warns(
            InvalidValueWarning, match=r"missing\.asdf.*no-such-extension.*not currently installed"
        ):
            model = jwstmodels.open(path)
        assert model.meta.instrument.name == "NIRCAM"
        model.close()
    assert len(calls) == 2


def test_new_extensions_installed_check_again(tmp_path: Path, calls: list[int]) -> None:
    """The answer holds for the installed extensions it was given: a configuration adding one asks again."""
    path = _written(tmp_path / "clean.asdf")
    jwstmodels.open(path).close()

    class Extra:
        extension_uri = "asdf://example.org/extra-1.0.0"

    with asdf.config_context() as config:
        config.add_extension(Extra())
        jwstmodels.open(path).close()
    jwstmodels.open(path).close()
    assert len(calls) == 2
