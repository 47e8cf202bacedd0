"""Drift report: the facts of our schemas against the installed reference's, model by model, field by field.

Every difference must be listed in ``schemas/drift-allowed.yaml`` with a reason; an unlisted one fails with
the readable report of ``python -m codegen.reference_facts drift``, and so does an entry that matches nothing
(so the list shrinks as differences are resolved). The next reference release shows up here as a readable
report.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codegen import reference_facts as rf

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"


@pytest.fixture(scope="module")
def differences() -> list[rf.Difference]:
    return rf.drift(SCHEMAS)


def test_every_difference_is_listed_with_a_reason(differences: list[rf.Difference]) -> None:
    allowed = rf.load_allowed(SCHEMAS / "drift-allowed.yaml")
    unlisted, listed, stale = rf.split(differences, allowed)
    print(f"\ndrift from the reference: {len(differences)} differences, {len(listed)} listed as intended")
    message = ""
    if unlisted:
        message += f"{len(unlisted)} difference(s) not listed in schemas/drift-allowed.yaml:\n"
        message += rf.report(unlisted) + "\n"
    if stale:
        message += "entries of schemas/drift-allowed.yaml that match no difference (remove them):\n"
        message += "\n".join(f"  {entry}" for entry in stale)
    assert not message, message


def test_every_model_of_both_sides_is_compared(differences: list[rf.Difference]) -> None:
    ours = rf.our_models(SCHEMAS)
    reference = rf.reference_models()
    missing = {d.model for d in differences if d.fact == "model" and d.ours is None}
    only_ours = {d.model for d in differences if d.fact == "model" and d.reference is None}
    assert missing == set(reference) - set(ours)
    assert only_ours == set(ours) - set(reference)
    assert len(reference) > 140
    # a shared model is compared leaf by leaf: the reference's ImageModel has hundreds of paths
    image = rf.FactSet(rf.reference_folder()).facts(reference["ImageModel"])
    assert image["data"] == {
        "kind": "array",
        "datatype": "float32",
        "fits_hdu": "SCI",
        "ndim": "2",
        "default": "0.0",
    }
    assert image["meta.exposure.nframes"]["fits_keyword"] == "NFRAMES"
    assert len(image) > 400


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, folder)
    return folder


def test_a_changed_keyword_dtype_and_enum_are_reported(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    text = (folder / "core_exposure.schema.yaml").read_text()
    assert "fits_keyword: NFRAMES" in text
    (folder / "core_exposure.schema.yaml").write_text(
        text.replace("fits_keyword: NFRAMES", "fits_keyword: NFRAMEX")
    )
    image = (folder / "image.schema.yaml").read_text()
    (folder / "image.schema.yaml").write_text(image.replace("datatype: float32", "datatype: float64", 1))
    diffs = rf.drift(folder)
    unlisted, _, _ = rf.split(diffs, rf.load_allowed(folder / "drift-allowed.yaml"))
    text = rf.report(unlisted)
    assert "meta.exposure.nframes: fits_keyword: ours 'NFRAMEX', reference 'NFRAMES'" in text
    assert "ImageModel:\n" in text
    assert "  data: datatype: ours 'float64', reference 'float32'" in text


def test_a_removed_path_and_a_removed_model_are_reported(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    manifest = (folder / "models.yaml").read_text()
    entry = "ContrastModel:\n  schema: contrast.schema.yaml\n"
    assert entry in manifest
    (folder / "models.yaml").write_text(
        manifest.replace(entry, "ContrastModelX:\n  schema: contrast.schema.yaml\n")
    )
    diffs = rf.drift(folder)
    found = {str(d) for d in diffs}
    assert "ContrastModel: missing here" in found
    assert "ContrastModelX: only in ours" in found


def test_allowed_entries_need_a_reason_and_known_keys(tmp_path: Path) -> None:
    path = tmp_path / "allowed.yaml"
    path.write_text("allowed:\n- model: ImageModel\n  path: data\n")
    with pytest.raises(ValueError, match="needs a 'reason'"):
        rf.load_allowed(path)
    path.write_text("allowed:\n- model: ImageModel\n  pth: data\n  reason: typo\n")
    with pytest.raises(ValueError, match="unknown keys"):
        rf.load_allowed(path)


def test_stale_entries_are_reported() -> None:
    diff = rf.Difference("ImageModel", "data", "datatype", "float64", "float32")
    used = rf.Allowance("Image*", "data", "datatype", "why", ours="float64")
    other_value = rf.Allowance("ImageModel", "data", "datatype", "why", ours="int8")
    unlisted, listed, stale = rf.split([diff], [used, other_value])
    assert (unlisted, listed, stale) == ([], [diff], [other_value])
    unlisted, listed, stale = rf.split([diff], [other_value])
    assert unlisted == [diff] and stale == [other_value]


def test_show_prints_facts_without_words() -> None:
    text = rf.show("Level1bModel")
    assert "data: kind=array; datatype=uint16; fits_hdu=SCI; ndim=4" in text
    skeleton = rf.skeleton("Level1bModel")
    assert "datatype: uint16" in skeleton
    assert "description" not in skeleton
    assert "The science data" not in skeleton
