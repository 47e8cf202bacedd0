"""Sphinx configuration of the jwstmodels documentation: the guide (the README), the architecture page and a
reference page per model class, made at build time by ``_ext/model_pages.py``. ``make docs`` builds it."""

from __future__ import annotations

import importlib.metadata
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "jwstmodels"
author = "the jwstmodels developers"
copyright = "the jwstmodels developers"
release = importlib.metadata.version("jwstmodels")
version = release

extensions = ["myst_parser", "model_pages"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]
myst_heading_anchors = 3
html_theme = "alabaster"
html_static_path: list[str] = []
html_theme_options = {"page_width": "auto", "body_max_width": "none", "sidebar_width": "240px"}
html_sidebars = {"**": ["about.html", "navigation.html", "searchbox.html"]}
smartquotes = False  # values such as 'NIRCAM' are shown with the quotes Python prints, not typographic ones
html_copy_source = False
html_show_sourcelink = False
