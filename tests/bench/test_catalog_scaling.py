"""The harness of cases 9 (`benchmarks.catalog_scaling`, `benchmarks.twin_catalog`): the doubled catalogue
really doubles the models and their own metadata, the checks refuse a run on the wrong catalogue or a script
pyright does not accept, and the targets point the right way. Not timed: no figure is checked here."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, cast

import pytest

from benchmarks.cases import TARGETS
from benchmarks.catalog_scaling import (
    PLAIN_SCRIPT,
    USER_SCRIPT,
    check_child,
    cold_pyright,
    write_pyright_project,
)
from benchmarks.processes import ROOT, BenchmarkFailed
from benchmarks.report import Samples, summarise, verdicts
from benchmarks.twin_catalog import PACKAGE, doubled_catalogue, shared_files, twin_schemas
from benchmarks.workload import QUICK
from codegen.load import load_yaml

SCHEMAS = ROOT / "schemas"


def _yaml(path: Path) -> Any:
    return load_yaml(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[int, int]]:
    folder = tmp_path_factory.mktemp("twins") / "schemas"
    return folder, twin_schemas(SCHEMAS, folder)


def test_every_model_gets_a_twin_with_its_own_schema_copy(twins: tuple[Path, tuple[int, int]]) -> None:
    folder, (normal, doubled) = twins
    manifest, original = _yaml(folder / "models.yaml"), _yaml(SCHEMAS / "models.yaml")
    assert (normal, doubled) == (len(original), 2 * len(original)) == (len(original), len(manifest))
    for name, entry in original.items():
        twin = manifest[f"Twin{name}"]
        assert manifest[name] == entry
        assert twin["schema"] == "twin_" + entry["schema"]
        assert (folder / twin["schema"]).is_file()
        assert "aliases" not in twin  # a DATAMODL value opens one class
        assert twin.get("title") == entry.get("title")


def test_the_core_tree_stays_shared_and_every_other_file_is_copied(
    twins: tuple[Path, tuple[int, int]],
) -> None:
    folder, _ = twins
    docs = {path.name: _yaml(path) for path in SCHEMAS.glob("*.schema.yaml")}
    shared = shared_files(docs)
    assert {"core.schema.yaml", "core_exposure.schema.yaml"} <= shared
    assert "image.schema.yaml" not in shared and "keyword_filter.schema.yaml" not in shared
    for name in docs:
        assert (folder / name).read_bytes() == (SCHEMAS / name).read_bytes()  # the originals unchanged
        assert (folder / f"twin_{name}").is_file() is (name not in shared), name


def test_a_twin_refers_to_the_core_and_to_twins_and_keeps_its_values_in_other_hdus(
    twins: tuple[Path, tuple[int, int]],
) -> None:
    folder, _ = twins
    flat = _yaml(folder / "twin_flat.schema.yaml")
    refs = [part["$ref"] for part in flat["allOf"] if "$ref" in part]
    assert "twin_referencefile_required.schema" in refs and "twin_keyword_filter.schema" in refs
    assert flat["id"].endswith("/twin_flat.schema")
    image = _yaml(folder / "twin_image.schema.yaml")
    assert "core.schema" in [part["$ref"] for part in image["allOf"] if "$ref" in part]
    data = next(part for part in image["allOf"] if "properties" in part)["properties"]["data"]
    assert data["fits_hdu"] == "SCI"  # arrays stay where they are

    def keyword_values(node: Any) -> list[dict[str, Any]]:
        if isinstance(node, list):
            items = cast(list[Any], node)
            return [found for item in items for found in keyword_values(item)]
        if not isinstance(node, dict):
            return []
        mapping = cast(dict[str, Any], node)
        here = [mapping] if "fits_keyword" in mapping else []
        return here + [found for value in mapping.values() for found in keyword_values(value)]

    original = keyword_values(_yaml(SCHEMAS / "keyword_filter.schema.yaml"))
    copied = keyword_values(_yaml(folder / "twin_keyword_filter.schema.yaml"))
    assert [v["fits_keyword"] for v in copied] == [v["fits_keyword"] for v in original] != []
    assert [v["fits_hdu"] for v in copied] == [f"{v.get('fits_hdu', 'PRIMARY')}_TWIN" for v in original]
    assert [v.get("enum") for v in copied] == [v.get("enum") for v in original]  # values read back the same


def test_manifest_values_naming_a_model_name_its_twin(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(SCHEMAS, source)
    (source / "models.yaml").write_text(
        "RampModel: {schema: ramp.schema.yaml, title: RampModel}\n"
        "MIRIRampModel: {schema: miri_ramp.schema.yaml, base: RampModel, aliases: [X]}\n"
    )
    twin_schemas(source, tmp_path / "out")
    manifest = _yaml(tmp_path / "out" / "models.yaml")
    assert manifest["TwinMIRIRampModel"] == {"schema": "twin_miri_ramp.schema.yaml", "base": "TwinRampModel"}
    assert manifest["TwinRampModel"]["title"] == "RampModel"  # a title is text, not a reference
    assert manifest["MIRIRampModel"]["base"] == "RampModel"


@pytest.fixture(scope="module")
def small_catalogue(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two models of our schemas, doubled and generated by the project's generator (cached in a temp dir)."""
    root = tmp_path_factory.mktemp("catalogue")
    source = root / "schemas"
    shutil.copytree(SCHEMAS, source)
    (source / "models.yaml").write_text(
        "ImageModel: {schema: image.schema.yaml, title: An image.}\n"
        "FlatModel: {schema: flat.schema.yaml, title: A flat.}\n"
    )
    return source, root / "cache"


def test_the_doubled_catalogue_has_twin_classes_with_metadata_of_their_own(
    small_catalogue: tuple[Path, Path],
) -> None:
    source, cache = small_catalogue
    folder, counts = doubled_catalogue(source, cache)
    assert counts == {"normal": 2, "doubled": 4}
    package = folder / PACKAGE
    text = "\n".join(path.read_text() for path in sorted(package.glob("*.py")))
    for name in ("ImageModel", "FlatModel", "TwinImageModel", "TwinFlatModel"):
        assert f"class {name}(" in text, name
    assert "class TwinFlatInstrument(" in text and "class FlatInstrument(" in text
    assert "PRIMARY_TWIN" in text


def test_the_doubled_catalogue_is_cached_by_the_schemas_content(small_catalogue: tuple[Path, Path]) -> None:
    source, cache = small_catalogue
    first, _ = doubled_catalogue(source, cache)
    stamp = (first / "counts.txt").stat().st_mtime_ns
    assert doubled_catalogue(source, cache)[0] == first  # reused, not rebuilt
    assert (first / "counts.txt").stat().st_mtime_ns == stamp
    image = source / "image.schema.yaml"
    image.write_text(image.read_text().replace("Science pixel values", "Pixel values"))
    second, counts = doubled_catalogue(source, cache)
    assert second != first and counts["doubled"] == 4
    assert not first.exists()  # the stale catalogue is gone
    assert [p.name for p in cache.iterdir()] == [second.name]


def test_a_process_on_the_wrong_catalogue_is_refused(tmp_path: Path) -> None:
    doubled = tmp_path / "doubled"
    ours = {"package": str(ROOT / "generated" / PACKAGE / "__init__.py"), "twins": False}
    theirs = {"package": str(doubled / PACKAGE / "__init__.py"), "twins": True}
    check_child("jwstmodels", ours, doubled)
    check_child("doubled", theirs, doubled)
    with pytest.raises(BenchmarkFailed, match="expected the doubled catalogue"):
        check_child("doubled", ours, doubled)  # PYTHONPATH did not take: the normal catalogue was imported
    with pytest.raises(BenchmarkFailed, match="expected the normal catalogue"):
        check_child("jwstmodels", theirs, doubled)
    with pytest.raises(BenchmarkFailed):
        check_child("doubled", {**theirs, "twins": False}, doubled)


def test_the_two_scripts_have_the_same_number_of_lines_of_code() -> None:
    def code(script: str) -> list[str]:
        return [line for line in script.splitlines() if line.strip()]

    assert len(code(USER_SCRIPT)) == len(code(PLAIN_SCRIPT))
    assert "jwstmodels.ImageModel(path)" in USER_SCRIPT and ".save(out)" in USER_SCRIPT
    assert "jwstmodels" not in PLAIN_SCRIPT


def test_a_script_pyright_does_not_accept_fails_the_benchmark(tmp_path: Path) -> None:
    scripts = write_pyright_project(tmp_path)
    wrong = scripts["jwstmodels"].with_name("wrong.py")
    wrong.write_text(USER_SCRIPT.replace("nframes = 4", 'nframes = "four"'))
    with pytest.raises(BenchmarkFailed, match=r"did not check clean.*nframes"):
        cold_pyright(wrong)


def _samples(first_use: float, doubled: float, normal: float, pyright: float) -> Samples:
    return {
        "9-first-use": {"jwstmodels": [first_use], "stdatamodels": [1.0]},
        "9-import-doubled": {"jwstmodels": [doubled, 2 * doubled], "floor": [normal, 2 * normal]},
        "9-pyright": {"jwstmodels": [pyright], "floor": [1.0]},
    }


@pytest.mark.parametrize(
    ("first_use", "doubled", "pyright", "met"), [(0.059, 0.3, 1.2, True), (0.061, 0.34, 1.3, False)]
)
def test_the_issue_13_targets_point_the_right_way(
    first_use: float, doubled: float, pyright: float, met: bool
) -> None:
    rows = summarise(_samples(first_use, doubled, 0.3, pyright), QUICK)
    found = {v["row"]: v for v in verdicts(rows, ramp_sci_mib=1.0)}
    assert found["9-first-use"]["ratio"] == pytest.approx(first_use * 1e3)  # in the row's unit, ms
    assert found["9-import-doubled"]["ratio"] == pytest.approx(doubled / 0.3)
    for row in ("9-first-use", "9-import-doubled", "9-pyright"):
        assert found[row]["met"] is met, row
    assert {t.row for t in TARGETS} >= {"9-first-use", "9-import-doubled", "9-pyright"}
