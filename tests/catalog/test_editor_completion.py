"""Editors that do not solve generics (jedi: Jupyter, IPython, vim, VS Code with jedi) complete the metadata
of a model: each generated model class declares its metadata type (``meta: ImageMeta``)."""

from __future__ import annotations

import sys
from pathlib import Path

import jedi
import pytest

import jwstmodels
from jwstmodels._core.meta import field_facts

USER = "import jwstmodels\nm = jwstmodels.ImageModel((2, 2))\n"


def _script(source: str, tmp_path: Path) -> jedi.Script:
    project = jedi.Project(str(tmp_path), sys_path=list(sys.path))
    return jedi.Script(source, path=str(tmp_path / "user.py"), project=project)


@pytest.mark.parametrize(
    "user",
    [USER, "from jwstmodels import ImageModel\nm = ImageModel((2, 2))\n"],
    ids=["attribute", "from-import"],
)
def test_jedi_completes_the_metadata_of_a_model(user: str, tmp_path: Path) -> None:
    script = _script(user + "m.meta.", tmp_path)
    names = {c.name for c in script.complete(3, len("m.meta."))}
    assert {"exposure", "instrument", "observation", "filename"} <= names, sorted(names)
    inferred = [(d.name, d.type) for d in script.infer(3, len("m.me"))]
    assert inferred == [("ImageMeta", "instance")]


def test_jedi_help_shows_title_and_fits_keyword(tmp_path: Path) -> None:
    source = USER + "m.meta.exposure.nframes"
    script = _script(source, tmp_path)
    help_texts = [h.docstring() for h in script.help(3, len("m.meta.exposure.nfr"))]
    exposure = jwstmodels.ImageMeta.model_fields["exposure"].annotation
    assert isinstance(exposure, type) and issubclass(exposure, jwstmodels.MetaNode)
    expected_title = field_facts(exposure)["nframes"].get("title")
    assert expected_title and help_texts, help_texts
    assert expected_title in help_texts[0] and "FITS keyword: NFRAMES (PRIMARY)" in help_texts[0], help_texts


def test_jedi_completes_a_reference_file_model(tmp_path: Path) -> None:
    script = _script("import jwstmodels\nf = jwstmodels.FlatModel()\nf.meta.", tmp_path)
    names = {c.name for c in script.complete(3, len("f.meta."))}
    assert {"reftype", "pedigree", "useafter", "instrument"} <= names, sorted(names)
