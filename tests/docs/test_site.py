"""The Sphinx site, built with warnings as errors from a copy of docs/ and the README; pages parsed as HTML.

The build is limited to a few model classes (``JWSTMODELS_DOCS_MODELS``) so that it takes seconds; ``make
docs`` builds every page and opens the ImageModel page in headless Chromium.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from jwstmodels import ImageModel, MultiSlitModel, RampModel
from jwstmodels._core.meta import scalar_leaves

REPO = Path(__file__).resolve().parents[2]
MODELS = ("ImageModel", "RampModel", "MultiSlitModel", "SlitModel")


def _pages_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("model_pages", REPO / "docs" / "_ext" / "model_pages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pages = _pages_module()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the site (a few model pages) with -W from a copy of docs/ beside a copy of the README."""
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(REPO / "docs", root / "docs", ignore=shutil.ignore_patterns("_build", "models"))
    shutil.copy(REPO / "README.md", root / "README.md")
    out = root / "html"
    env = {**os.environ, pages.ONLY: ",".join(MODELS)}
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", "docs", str(out)]
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    return out


def test_image_model_page_lists_every_metadata_field(site: Path) -> None:
    html = (site / "models" / "ImageModel.html").read_text(encoding="utf-8")
    leaves = scalar_leaves(ImageModel.meta_class)
    title = next(leaf.title for leaf in leaves if leaf.path == "meta.exposure.nframes")
    assert title
    assert pages.metadata_row(html, "meta.exposure.nframes") == [
        "meta.exposure.nframes",
        "NFRAMES",
        "PRIMARY",
        "int or None",
        title,
    ]
    (table,) = pages.tables_of(html, pages.METADATA_CLASS)
    assert table[0] == ["path", "FITS keyword", "HDU", "type", "title"]
    assert [row[0] for row in table[1:]] == [leaf.path for leaf in leaves]
    no_keyword = next(leaf for leaf in leaves if leaf.keyword is None)
    assert pages.metadata_row(html, no_keyword.path)[1:3] == ["", ""]
    (arrays,) = pages.tables_of(html, "jwstmodels-arrays")
    assert arrays[1][:4] == ["data", "SCI", "float32", "2"]
    assert [row[0] for row in arrays[1:]] == list(ImageModel.__jwst_layout__.fields)


def test_tables_and_lists_of_models(site: Path) -> None:
    ramp = (site / "models" / "RampModel.html").read_text(encoding="utf-8")
    (tables,) = pages.tables_of(ramp, "jwstmodels-tables")
    group = next(row for row in tables if row[0] == "group")
    assert group[1] == "GROUP" and "integration_number int" in group[2]
    assert [row[0] for row in tables[1:]] == [
        name
        for name, field in RampModel.__jwst_layout__.fields.items()
        if type(field).__name__ == "TableField"
    ]
    multi = (site / "models" / "MultiSlitModel.html").read_text(encoding="utf-8")
    (lists,) = pages.tables_of(multi, "jwstmodels-lists")
    assert lists[1][:2] == ["slits", "SlitModel"]
    assert 'href="SlitModel.html"' in multi  # the item class has a page of its own
    assert list(MultiSlitModel.__jwst_layout__.list_fields) == ["slits"]


def test_index_links_every_built_model_and_the_guide(site: Path) -> None:
    index = (site / "models" / "index.html").read_text(encoding="utf-8")
    (catalogue,) = pages.tables_of(index, "jwstmodels-catalogue")
    assert sorted(row[0] for row in catalogue[1:]) == sorted(MODELS)
    for name in MODELS:
        assert f'href="{name}.html"' in index
    guide = (site / "guide.html").read_text(encoding="utf-8")
    assert "A short tour" in guide and "stdatamodels" in guide
    assert (site / "architecture.html").is_file()


def test_text_that_looks_like_markup_stays_text(site: Path) -> None:
    html = (site / "models" / "ImageModel.html").read_text(encoding="utf-8")
    frame_time = pages.metadata_row(html, "meta.exposure.frame_time")
    assert frame_time is not None and frame_time[4].startswith("[s] ")
    assert "‘" not in html and "’" not in html  # no typographic quotes around enumerated values


def test_metadata_html_escapes_every_text() -> None:
    html = pages._html_table(["path", "title"], [["meta.x", "<b>bold</b> & [s] 'q'"]], "css", 1)
    assert "<b>" not in html and "&lt;b&gt;bold&lt;/b&gt; &amp; [s] &#x27;q&#x27;" in html
    assert pages.tables_of(html, "css") == [[["path", "title"], ["meta.x", "<b>bold</b> & [s] 'q'"]]]
