"""Sphinx extension: one reference page per model class, made at build time from the generated classes.

When the build starts (``builder-inited``) a small ``.rst`` page per model is written into ``docs/models/``
(not committed; rewritten only when its text changes, so rebuilds stay incremental), plus an index. Each page
is a heading and directives; the directives build the tables as docutils nodes straight from the runtime's
field declarations (``scalar_leaves`` for metadata, the ``ArrayField``/``TableField``/``ListField``
declarations for arrays, tables and lists), so titles are never parsed as reStructuredText and no YAML is
read. Which sections a page has is decided here, in Python; the ``.rst`` files only lay them out.

``JWSTMODELS_DOCS_MODELS=ImageModel,RampModel`` limits the build to those classes (the tests build a few
pages quickly). Run as a script, the module checks a built site in headless Chromium:
``python docs/_ext/model_pages.py check-browser docs/_build/html``.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import re
import shutil
import subprocess
import sys
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

PAGES = "models"
"""Folder (inside the docs source folder) the model pages are written to."""

ONLY = "JWSTMODELS_DOCS_MODELS"
SOURCE_DIGEST = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
"""Changes with this module, so that a changed extension rewrites (and Sphinx rereads) every page."""
METADATA_CLASS = "jwstmodels-metadata"
"""HTML class of every metadata table (the browser check and the tests look for it)."""


# -- what the pages say: decided from the classes --------------------------------------------------------


def catalogue() -> dict[str, type[Any]]:
    """Model classes by name, in catalogue order (aliases folded), limited by ``JWSTMODELS_DOCS_MODELS``."""
    from jwstmodels_generated.lookup import MODEL_CLASSES

    classes: dict[str, type[Any]] = {}
    for module_name, class_name in dict.fromkeys(MODEL_CLASSES.values()):
        module = importlib.import_module(f"jwstmodels_generated.{module_name}")
        classes[class_name] = getattr(module, class_name)
    only = [name.strip() for name in os.environ.get(ONLY, "").split(",") if name.strip()]
    if only:
        unknown = sorted(set(only) - set(classes))
        if unknown:
            raise ValueError(f"{ONLY}: no model class named {', '.join(unknown)}")
        classes = {name: cls for name, cls in classes.items() if name in only}
    return classes


def aliases(name: str) -> list[str]:
    """Other ``DATAMODL`` values that open as the class ``name``."""
    from jwstmodels_generated.lookup import MODEL_CLASSES

    return [alias for alias, (_, target) in MODEL_CLASSES.items() if target == name and alias != name]


def summary(cls: type[Any]) -> str:
    return (cls.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")


def array_rows(cls: type[Any]) -> list[list[str]]:
    from jwstmodels import TableField

    rows: list[list[str]] = []
    for name, field in cls.__jwst_layout__.fields.items():
        if isinstance(field, TableField):
            continue
        if field.ndim is not None:
            dims = f"{field.ndim}"
        elif field.max_ndim is not None:
            dims = f"up to {field.max_ndim}"
        else:
            dims = "any"
        rows.append([name, field.hdu, field.dtype.name, dims, field.title])
    return rows


def table_rows(cls: type[Any]) -> list[list[str]]:
    from jwstmodels import TableField

    return [
        [name, field.hdu, ", ".join(column.describe() for column in field.columns), field.title]
        for name, field in cls.__jwst_layout__.fields.items()
        if isinstance(field, TableField)
    ]


def list_rows(cls: type[Any]) -> list[tuple[str, str, str]]:
    """(list name, item class name, title) of each list field (``slits``: items are models themselves)."""
    return [
        (name, field.item_class.__name__, field.title)
        for name, field in cls.__jwst_layout__.list_fields.items()
    ]


def metadata_rows(cls: type[Any]) -> list[list[str]]:
    """Every metadata field (dotted path, FITS keyword, HDU, type, title), top-level scalars first."""
    from jwstmodels._core.meta import describe_annotation, scalar_leaves

    rows: list[list[str]] = []
    for name, field in cls.__jwst_layout__.scalar_fields.items():
        kind = field.kind.__name__
        if field.enum is not None:
            kind = f"{kind}, one of " + ", ".join(repr(v) for v in field.enum)
        rows.append([name, field.keyword or "", field.hdu or "", f"{kind} or None", field.title])
    for leaf in scalar_leaves(cls.meta_class):
        hdu = leaf.hdu if leaf.keyword else ""
        rows.append([leaf.path, leaf.keyword or "", hdu, describe_annotation(leaf.annotation), leaf.title])
    return rows


def page_text(name: str, cls: type[Any]) -> str:
    """The ``.rst`` of one model page: headings, and a directive per section the class has."""
    sections = [("Arrays", "arrays", array_rows(cls)), ("Tables", "tables", table_rows(cls))]
    sections.append(("Lists of models", "lists", list_rows(cls)))
    sections.append(("Metadata", "metadata", metadata_rows(cls)))
    # the digest changes whenever what the directives show changes, so that Sphinx reads the page again
    shown = repr([summary(cls), aliases(name), sections, SOURCE_DIGEST]).encode()
    digest = hashlib.sha256(shown).hexdigest()[:16]
    lines = [f".. content {digest}", "", f".. _model-{name}:", "", name, "=" * len(name), ""]
    lines += [f".. jwstmodels-summary:: {name}", ""]
    for heading, part, rows in sections:
        if rows:
            lines += [heading, "-" * len(heading), "", f".. jwstmodels-{part}:: {name}", ""]
    return "\n".join(lines)


def index_text(classes: dict[str, type[Any]]) -> str:
    shown = repr([[name, summary(cls)] for name, cls in classes.items()] + [SOURCE_DIGEST]).encode()
    lines = [
        f".. content {hashlib.sha256(shown).hexdigest()[:16]}",
        "",
        "Model reference",
        "===============",
        "",
        "One page per model class: its arrays and tables (FITS HDU, dtype, dimensions), the lists of",
        "models it holds, and every metadata field with its dotted path, FITS keyword, HDU, type and title.",
        "The pages are made from the generated classes each time the documentation is built.",
        "",
        ".. jwstmodels-catalogue::",
        "",
        ".. toctree::",
        "   :hidden:",
        "",
        *(f"   {name}" for name in classes),
        "",
    ]
    return "\n".join(lines)


def write_pages(folder: Path) -> list[str]:
    """Write the pages into ``folder`` (only those whose text changed), remove stale ones; the page names."""
    classes = catalogue()
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {f"{name}.rst": page_text(name, cls) for name, cls in classes.items()}
    wanted["index.rst"] = index_text(classes)
    for old in folder.glob("*.rst"):
        if old.name not in wanted:
            old.unlink()
    for file_name, text in wanted.items():
        path = folder / file_name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return list(classes)


# -- Sphinx: directives that turn the rows into docutils tables --------------------------------------------


def _table(headers: list[str], rows: list[list[Any]], css: str, code: int = 1) -> nodes.table:
    """A docutils table of text cells (a cell may also be ready nodes); the first ``code`` columns of the
    body are set as code (names, paths, keywords)."""
    from docutils import nodes

    table = nodes.table(classes=[css], align="left")
    group = nodes.tgroup(cols=len(headers))
    table += group
    for _ in headers:
        group += nodes.colspec(colwidth=1)

    def row_of(cells: list[Any], code: int) -> nodes.row:
        row = nodes.row()
        for index, cell in enumerate(cells):
            entry = nodes.entry()
            paragraph = nodes.paragraph()
            if isinstance(cell, nodes.Node | list):
                paragraph += cell
            elif index < code and cell:
                paragraph += nodes.literal(text=str(cell))
            else:
                paragraph += nodes.Text(str(cell))
            entry += paragraph
            row += entry
        return row

    head = nodes.thead()
    head += row_of(list(headers), 0)
    group += head
    body = nodes.tbody()
    for cells in rows:
        body += row_of(cells, code)
    group += body
    return table


def _html_table(
    headers: list[str], rows: list[list[str]], css: str, code: int, widths: list[int] | None = None
) -> str:
    """The HTML that Sphinx writes for :func:`_table` (same classes, so the theme styles it the same), made
    directly: a metadata table has hundreds of rows per page, and docutils' transforms and writer would
    spend most of the build on them. Every text is escaped; ``widths`` are column widths in percent."""
    out = [f'<table class="docutils align-left {escape(css)}">']
    if widths:
        out += ["<colgroup>", *(f'<col style="width: {w}%" />' for w in widths), "</colgroup>"]
    out += ["<thead>", '<tr class="row-odd">']
    out += [f'<th class="head"><p>{escape(header)}</p></th>' for header in headers]
    out += ["</tr>", "</thead>", "<tbody>"]
    for number, cells in enumerate(rows):
        out.append(f'<tr class="row-{"odd" if number % 2 else "even"}">')
        for index, cell in enumerate(cells):
            text = escape(cell)
            if index < code and cell:
                text = f'<code class="docutils literal notranslate"><span class="pre">{text}</span></code>'
            out.append(f"<td><p>{text}</p></td>")
        out.append("</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _inline(text: str) -> list[nodes.Node]:
    """Text with its double-backquoted parts (``slits``) as code; nothing else is read as markup."""
    from docutils import nodes

    parts = re.split(r"``(.+?)``", text)
    return [
        nodes.literal(text=part) if index % 2 else nodes.Text(part)
        for index, part in enumerate(parts)
        if part
    ]


def _model_link(name: str, known: set[str]) -> nodes.Node:
    from docutils import nodes
    from sphinx import addnodes

    literal = nodes.literal(text=name)
    if name not in known:
        return literal
    ref = addnodes.pending_xref(
        "", refdomain="std", reftype="doc", reftarget=f"/{PAGES}/{name}", refexplicit=True
    )
    ref += literal
    return ref


def setup(app: Sphinx) -> dict[str, Any]:
    from docutils import nodes
    from sphinx.util.docutils import SphinxDirective

    built: list[str] = []

    class ModelDirective(SphinxDirective):
        required_arguments = 1
        has_content = False

        def model(self) -> type[Any]:
            return catalogue()[self.arguments[0]]

    class Summary(ModelDirective):
        def run(self) -> list[nodes.Node]:
            name = self.arguments[0]
            cls = self.model()
            text = nodes.paragraph()
            text += _inline(summary(cls))
            usage = nodes.paragraph()
            usage += nodes.literal(text=f"jwstmodels.{name}")
            others = aliases(name)
            opens = f"; files whose DATAMODL is {name}"
            opens += f" or {', '.join(others)}" if others else ""
            usage += nodes.Text(f"{opens} open as this class with jwstmodels.open.")
            return [text, usage]

    class Arrays(ModelDirective):
        def run(self) -> list[nodes.Node]:
            rows = array_rows(self.model())
            return [_table(["array", "HDU", "dtype", "dimensions", "title"], rows, "jwstmodels-arrays")]

    class Tables(ModelDirective):
        def run(self) -> list[nodes.Node]:
            rows = table_rows(self.model())
            return [_table(["table", "HDU", "columns", "title"], rows, "jwstmodels-tables", 3)]

    class Lists(ModelDirective):
        def run(self) -> list[nodes.Node]:
            known = set(built)
            rows = [[name, _model_link(item, known), title] for name, item, title in list_rows(self.model())]
            return [_table(["list", "items", "title"], rows, "jwstmodels-lists")]

    class Metadata(ModelDirective):
        def run(self) -> list[nodes.Node]:
            rows = metadata_rows(self.model())
            count = nodes.paragraph()
            count += nodes.Text(f"{len(rows)} fields. Fields without a FITS keyword are stored in ASDF only ")
            count += nodes.Text("(in FITS files, in the ASDF extension).")
            headers = ["path", "FITS keyword", "HDU", "type", "title"]
            if self.env.app.builder.format == "html":
                html = _html_table(headers, rows, METADATA_CLASS, 2, [26, 9, 8, 27, 30])
                return [count, nodes.raw("", html, format="html")]
            return [count, _table(headers, rows, METADATA_CLASS, 2)]

    class Catalogue(SphinxDirective):
        has_content = False

        def run(self) -> list[nodes.Node]:
            classes = catalogue()
            known = set(classes)
            rows = [[_model_link(name, known), _inline(summary(cls))] for name, cls in classes.items()]
            return [_table(["model", "what it holds"], rows, "jwstmodels-catalogue")]

    def make_pages(app: Sphinx) -> None:
        built[:] = write_pages(Path(app.srcdir) / PAGES)

    app.connect("builder-inited", make_pages)
    for part, directive in (
        ("summary", Summary),
        ("arrays", Arrays),
        ("tables", Tables),
        ("lists", Lists),
        ("metadata", Metadata),
    ):
        app.add_directive(f"jwstmodels-{part}", directive)
    app.add_directive("jwstmodels-catalogue", Catalogue)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


# -- checks of a built site ---------------------------------------------------------------------------------


class _Tables(HTMLParser):
    """The tables of an HTML page: for each ``<table>``, its classes and the text of each row's cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(((dict(attrs).get("class") or "").split(), []))
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.tables and self.tables[-1][1]:
            self.tables[-1][1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables_of(html: str, css: str) -> list[list[list[str]]]:
    """The rows (lists of cell texts, header row first) of every table with class ``css`` in ``html``."""
    parser = _Tables()
    parser.feed(html)
    return [rows for classes, rows in parser.tables if css in classes]


def metadata_row(html: str, path: str) -> list[str] | None:
    """The metadata-table row of dotted ``path`` in a model page, or None."""
    for rows in tables_of(html, METADATA_CLASS):
        for row in rows:
            if row and row[0] == path:
                return row
    return None


def check_browser(site: Path) -> int:
    """Open the built ImageModel page in headless Chromium and find the NFRAMES row of its field table."""
    page = (site / PAGES / "ImageModel.html").resolve()
    if not page.is_file():
        print(f"browser check: {page} was not built", file=sys.stderr)
        return 1
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("browser check skipped: chromium is not installed (Debian: apt-get install chromium)")
        return 0
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    row = metadata_row(result.stdout, "meta.exposure.nframes")
    if result.returncode != 0 or row is None or row[1:3] != ["NFRAMES", "PRIMARY"]:
        print(f"browser check failed: {page}: no metadata row meta.exposure.nframes | NFRAMES | PRIMARY")
        print(result.stderr[-2000:], file=sys.stderr)
        return 1
    print(f"browser check: Chromium shows {page.name} with the row {' | '.join(row)}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "check-browser":
        sys.exit("usage: python docs/_ext/model_pages.py check-browser BUILT_HTML_FOLDER")
    sys.exit(check_browser(Path(sys.argv[2])))
