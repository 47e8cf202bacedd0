"""ModelContainer: associations, list behaviour, grouping by exposure from metadata only, saving."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import jwstmodels
from jwstmodels import AssociationError, ContainerSaveError, ImageModel, ModelContainer


def exposure_file(folder: Path, name: str, exposure: str, detector: str) -> Path:
    model = ImageModel(np.full((4, 4), float(exposure), dtype=np.float32))
    model.meta.observation.program_number = "01234"
    model.meta.observation.observation_number = "001"
    model.meta.observation.visit_number = "001"
    model.meta.observation.visit_group = "01"
    model.meta.observation.sequence_id = "1"
    model.meta.observation.activity_id = "01"
    model.meta.observation.exposure_number = exposure
    model.meta.instrument.name = "NIRCAM"
    model.meta.instrument.detector = detector
    model.meta.exposure.exposure_time = 10.0 * int(exposure)
    return model.save(folder / name)


@pytest.fixture
def association(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    members = []
    for exposure in ("1", "2"):
        for detector in ("NRCA1", "NRCA2"):
            name = f"jw01234_{exposure}_{detector.lower()}_cal.fits"
            exposure_file(data, name, exposure, detector)
            members.append({"expname": f"data/{name}", "exptype": "science"})
    asn = {
        "asn_id": "a3001",
        "asn_pool": "jw01234_pool",
        "products": [{"name": "jw01234", "members": members}],
    }
    path = tmp_path / "jw01234_asn.json"
    path.write_text(json.dumps(asn))
    return path


def test_association_members_open_on_access(association: Path) -> None:
    with ModelContainer(association) as container:
        assert len(container) == 4
        assert container.asn_pool_name == "jw01234_pool"
        assert all(member.model is None for member in container._members)
        first = container[0]
        assert isinstance(first, ImageModel) and first.meta.observation.exposure_number == "1"
        assert container._members[0].model is first  # persist=True keeps it
        assert [m.meta.instrument.detector for m in container] == ["NRCA1", "NRCA2", "NRCA1", "NRCA2"]


def test_grouping_reads_metadata_only(association: Path) -> None:
    container = ModelContainer(association)
    assert len(container.group_names) == 2
    assert container.get_recursively("meta.exposure.exposure_time") == [10.0, 10.0, 20.0, 20.0]
    assert all(member.model is None for member in container._members), "no model was opened to group"
    with container:
        groups = container.models_grouped
        assert [len(group) for group in groups] == [2, 2]
        assert {m.meta.observation.exposure_number for m in groups[1]} == {"2"}
        assert sum(group[0].meta.exposure.exposure_time or 0 for group in groups) == 30.0


def test_persist_false_opens_each_time(association: Path) -> None:
    container = ModelContainer(association, persist=False)
    with container[0] as one, container[0] as two:
        assert one is not two
    assert container._members[0].model is None


def test_list_of_models_append_copy_and_save(tmp_path: Path) -> None:
    a, b = ImageModel((2, 2)), ImageModel((2, 2))
    a.meta.filename, b.meta.filename = "a_cal.fits", "b_cal.asdf"
    container = ModelContainer([a])
    container.append(b)
    assert len(container) == 2 and container[1] is b
    copied = container.copy()
    copied[0].data[0, 0] = 5
    assert a.data[0, 0] == 0, "copy() is deep"
    written = container.save(None, path=tmp_path / "out" / "nested")
    assert [p.name for p in written] == ["a_cal.fits", "b_cal.asdf"]
    with jwstmodels.open(written[1]) as again:
        assert isinstance(again, ImageModel)


def test_failed_save_names_the_member_and_keeps_earlier_files(tmp_path: Path) -> None:
    good, bad = ImageModel((2, 2)), ImageModel((2, 2))
    good.meta.filename, bad.meta.filename = "good.fits", "bad.fits"
    vars(bad.meta.exposure)["nframes"] = "many"  # an invalid value: save refuses it
    with pytest.raises(ContainerSaveError, match=r"member 1 \(bad.fits\)") as info:
        ModelContainer([good, bad]).save(None, path=tmp_path)
    assert [p.name for p in info.value.written] == ["good.fits"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.fits"]
    with jwstmodels.open(tmp_path / "good.fits") as again:
        assert again.shape == (2, 2)


def test_association_errors_name_association_member_and_path(tmp_path: Path, association: Path) -> None:
    broken = tmp_path / "broken_asn.json"
    broken.write_text('{"products": [')
    with pytest.raises(AssociationError, match=r"broken_asn.json: not valid JSON \(line 1"):
        ModelContainer(broken)
    missing = tmp_path / "missing_asn.json"
    missing.write_text(json.dumps({"products": [{"members": [{"expname": "nothere_cal.fits"}]}]}))
    with pytest.raises(
        AssociationError, match=r"missing_asn.json: member 'nothere_cal.fits' not found at .*nothere"
    ):
        ModelContainer(missing)
    foreign = tmp_path / "notes.txt"
    foreign.write_text("hello")
    odd = tmp_path / "odd_asn.json"
    odd.write_text(json.dumps({"products": [{"members": [{"expname": "notes.txt"}]}]}))
    with pytest.raises(
        AssociationError, match=r"odd_asn.json: member 'notes.txt': .*neither a FITS nor an ASDF"
    ):
        ModelContainer(odd)
    shapeless = tmp_path / "shapeless_asn.json"
    shapeless.write_text(json.dumps({"asn_id": "x"}))
    with pytest.raises(AssociationError, match="needs a 'products' list"):
        ModelContainer(shapeless)


# -- the association's values on members (as the reference's container sets them) ------------------------


def test_members_carry_the_association_values(association: Path) -> None:
    first_file = association.parent / "data" / "jw01234_1_nrca1_cal.fits"
    with ImageModel(first_file) as stamped:  # the file's own values, which the association overrides
        stamped.meta.asn.pool_name = "file_pool"
        stamped.meta.asn.table_name = "file_asn.json"
        stamped.save(first_file)
    data = json.loads(association.read_text())
    data["asn_type"] = "image3"
    data["products"][0]["members"][1]["exptype"] = "background"
    data["products"][0]["members"][0]["tweakreg_catalog"] = "cat1.ecsv"
    association.write_text(json.dumps(data))
    with ModelContainer(association) as container:
        assert container.get_recursively("meta.asn.exptype") == [
            "science",
            "background",
            "science",
            "science",
        ]
        assert set(container.get_recursively("meta.asn.pool_name")) == {"jw01234_pool"}
        first = container[0]
        assert first.meta.asn.exptype == "science"
        assert first.meta.asn.table_name == "jw01234_asn.json"
        assert first.meta.asn.pool_name == "jw01234_pool"
        assert isinstance(first, ImageModel)
        assert first.meta.tweakreg_catalog == str(association.parent / "cat1.ecsv")
        assert container[1].meta.asn.exptype == "background"
        table = container.asn_table
        assert table["asn_id"] == "a3001" and table["asn_pool"] == "jw01234_pool"
        assert table["products"][0]["members"][0]["expname"] == "data/jw01234_1_nrca1_cal.fits"
        assert table["products"][0]["name"] == "jw01234"
        assert dict(table)["asn_type"] == "image3", "keys the type does not name are kept"
        assert container.asn_file_path == association
        copied = container.copy()
        assert copied.asn_table == table and copied.asn_table is not table
        assert copied[1].meta.asn.exptype == "background"


def test_member_group_id_overrides_the_exposure_grouping(association: Path) -> None:
    data = json.loads(association.read_text())
    for member in data["products"][0]["members"]:
        member["group_id"] = "all_in_one"
    association.write_text(json.dumps(data))
    container = ModelContainer(association)
    assert container.group_names == ["all_in_one"]


def test_a_container_without_an_association_has_an_empty_table(tmp_path: Path) -> None:
    container = ModelContainer([ImageModel((2, 2))])
    assert container.asn_table == {
        "asn_id": None,
        "asn_pool": None,
        "products": [{"name": "", "members": []}],
    }
    assert container.asn_file_path is None and container[0].meta.asn.exptype is None


def test_association_member_values_of_the_wrong_kind_are_refused(association: Path) -> None:
    data = json.loads(association.read_text())
    data["products"][0]["members"][0]["exptype"] = 3
    association.write_text(json.dumps(data))
    with pytest.raises(AssociationError, match=r"members\[0\]: 'exptype' must be text"):
        ModelContainer(association)
