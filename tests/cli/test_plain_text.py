"""Text from files and schemas is shown as it is, and output that is not a terminal is plain text.

Rich would read ``[s]`` as a style tag (and drop it) and ``[/red]`` as a closing tag (and fail): neither may
happen to titles, values, file names or search text. In a pipe or a file tables are plain aligned columns:
no box-drawing characters (U+2500-U+257F) and no trailing blanks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import jwstmodels
from jwstmodels.cli import output
from tests.cli.conftest import BIN, BOX_DRAWING, Run, make_image, row, run_process

SCRIPT = BIN / "jwstmodels"
TARGET = "[s] NGC 1234"
PROPOSED = "M31 [/red] core"


def tagged_image(path: Path, *, target: str = TARGET, proposed: str = PROPOSED) -> Path:
    """An image file whose TARGNAME and TARGPROP look like rich markup."""
    model = jwstmodels.ImageModel((2, 3))
    model.meta.instrument.name = "NIRCAM"
    model.meta.target.catalog_name = target
    model.meta.target.proposer_name = proposed
    return model.save(path)


def test_search_shows_unit_tags_of_titles(run: Run) -> None:
    result = run("search", "frame_time")
    assert result.code == 0, result.stderr
    title = row(result.stdout, "meta.exposure.frame_time")[3]
    assert title.startswith("[s] ")  # the schema's title starts with its unit
    entry = next(e for e in json.loads(run("search", "--json", "frame_time").stdout))
    assert title == entry["title"]


def test_search_text_that_looks_like_markup_is_shown_as_given(run: Run) -> None:
    result = run("search", "[s]")
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines()[0].endswith("matching '[s]'")
    assert row(result.stdout, "meta.exposure.frame_time")[3].startswith("[s] ")
    missing = run("search", "[/red]zzz")
    assert missing.code == 1
    assert missing.stderr == "nothing in the schemas matches '[/red]zzz'\n"


def test_info_shows_values_verbatim(run: Run, tmp_path: Path) -> None:
    for suffix in ("fits", "asdf"):
        path = tagged_image(tmp_path / f"tagged.{suffix}")
        result = run("info", "--all", path)
        assert result.code == 0, result.stderr
        assert row(result.stdout, "meta.target.catalog_name") == [
            "meta.target.catalog_name",
            "TARGNAME",
            repr(TARGET),
        ]
        assert row(result.stdout, "meta.target.proposer_name")[2] == repr(PROPOSED)
        assert result.stderr == ""


def test_diff_shows_values_and_file_names_verbatim(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "[bold]"
    folder.mkdir()
    a = tagged_image(folder / "a.fits")
    b = tagged_image(folder / "b.asdf", target="[/red]", proposed="[/]")
    ignore = ("-i", "meta.date", "-i", "meta.filename")
    same = run("diff", *ignore, a, a)
    assert same.code == 0, same.stderr
    assert same.stdout == f"{a} and {a}: no differences\n"
    result = run("diff", *ignore, a, b)
    assert result.code == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{a} vs {b}: 2 differences"
    assert lines[2].split() == ["path", str(a), str(b)]
    assert row(result.stdout, "meta.target.catalog_name")[1:] == [repr(TARGET), "'[/red]'"]
    assert row(result.stdout, "meta.target.proposer_name")[1:] == [repr(PROPOSED), "'[/]'"]


def test_warnings_and_problems_quote_file_values_verbatim(run: Run, tmp_path: Path) -> None:
    from astropy.io import fits

    path = tmp_path / "odd.fits"
    primary = fits.PrimaryHDU()
    primary.header["DATAMODL"] = "ImageModel"
    primary.header["INSTRUME"] = "[/red]"
    fits.HDUList([primary]).writeto(path)
    result = run("validate", path)
    assert result.code == 1
    assert "found '[/red]'" in result.stdout
    info = run("info", path)
    assert info.code == 0, info.stderr
    assert row(info.stdout, "meta.instrument.name")[2] == "'[/red]'"


@pytest.mark.parametrize(
    "command",
    [
        ["search", "frame"],
        ["keyword", "NFRAMES"],
        ["info", "--all", "IMAGE"],
        ["diff", "IMAGE", "OTHER"],
        ["validate", "IMAGE", "IMAGE", "IMAGE", "IMAGE", "OTHER"],
        ["convert", "IMAGE", "OUT"],
        ["--help"],
        ["info", "--help"],
        ["info", "--no-such-option"],
    ],
    ids=lambda c: "-".join(c[:2]),
)
def test_piped_output_has_no_box_drawing_and_no_trailing_blanks(command: list[str], tmp_path: Path) -> None:
    image = make_image(tmp_path / "image.fits")
    other = tagged_image(tmp_path / "other.asdf")
    files = {"IMAGE": str(image), "OTHER": str(other), "OUT": str(tmp_path / "out.asdf")}
    result = run_process(SCRIPT, *(files.get(a, a) for a in command), cwd=tmp_path)
    assert result.code in (0, 1, 2)
    assert result.stdout or result.stderr
    for text in (result.stdout, result.stderr):
        assert not BOX_DRAWING.search(text), text
        assert "\x1b" not in text, text
        for line in text.splitlines():
            assert line == line.rstrip(), repr(line)


def test_plain_table_lines_up_columns_and_keeps_rows_on_one_line() -> None:
    lines = output.plain_table(
        "Title [b]", ["a", "bb", "c"], [["1", "two\nlines", ""], ["[/red]", "x", "last\tcell"]]
    )
    assert lines == [
        "Title [b]",
        "a       bb         c",
        "1       two lines",
        "[/red]  x          last cell",
    ]
