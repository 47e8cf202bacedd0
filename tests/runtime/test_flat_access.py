"""Flat views with dotted keys, dotted item access, and values as JSON data."""

from __future__ import annotations

import json

import numpy as np
import pytest

from jwstmodels import ImageModel, RampModel, UnknownFieldError, ValidationError


def sample() -> ImageModel:
    m = ImageModel((2, 3))
    m.meta.observation.date = "2024-03-01"
    m.meta.exposure.nframes = 4
    m.meta.target.ra = 53.25
    return m


def test_to_flat_dict_with_and_without_arrays() -> None:
    m = sample()
    flat = m.to_flat_dict()
    assert flat["meta.observation.date"] == "2024-03-01"
    assert flat["meta.exposure.nframes"] == 4 and flat["meta.target.ra"] == 53.25
    assert isinstance(flat["data"], np.ndarray) and flat["data"].shape == (2, 3)
    assert "meta.exposure.ngroups" not in flat, "unset values are left out"
    no_arrays = m.to_flat_dict(include_arrays=False)
    assert "data" not in no_arrays and no_arrays == {k: v for k, v in flat.items() if k != "data"}


def test_items_keys_values_and_iter_forms_agree() -> None:
    m = sample()
    flat = m.to_flat_dict()
    assert list(m.keys()) == list(flat) == list(m.iterkeys())
    assert [k for k, _ in m.items()] == [k for k, _ in m.iteritems()] == list(flat)
    assert [v for v in m.values() if not isinstance(v, np.ndarray)] == [
        v for v in m.itervalues() if not isinstance(v, np.ndarray)
    ]
    assert all("." in key for key in m.iterkeys() if key != "data")
    assert ("meta.exposure.nframes", 4) in list(m.items())


def test_dotted_get_and_set() -> None:
    m = sample()
    assert m["meta.exposure.nframes"] == 4
    assert m["data"] is m.data
    m["meta.exposure.ngroups"] = 6
    m["dq"] = np.ones((2, 3), dtype=np.int64)
    assert m.meta.exposure.ngroups == 6 and m.dq.dtype == np.uint32
    assert "meta.exposure.ngroups" in m and "dq" in m and "meta.exposure.groupgap" not in m
    assert 3 not in m


def test_dotted_set_validates_like_assignment() -> None:
    m = sample()
    with pytest.raises(ValidationError) as info:
        m["meta.exposure.nframes"] = "four"
    assert (info.value.model, info.value.path, info.value.keyword) == (
        "ImageModel",
        "meta.exposure.nframes",
        "NFRAMES",
    )
    assert m.meta.exposure.nframes == 4
    with pytest.raises(KeyError, match="'meta' itself cannot be replaced"):
        m["meta"] = {}


def test_unknown_dotted_keys_raise_unknown_field_error_with_a_hint() -> None:
    m = sample()
    with pytest.raises(UnknownFieldError, match=r"'meta.exposure.nframs' is not in.*'meta.exposure.nframes'"):
        m["meta.exposure.nframs"]
    with pytest.raises(UnknownFieldError, match=r"'meta.exposre.nframes' .*mean 'meta.exposure.nframes'"):
        m["meta.exposre.nframes"]
    with pytest.raises(UnknownFieldError, match=r"'dat' is not in the schema; did you mean 'data'"):
        m["dat"]
    with pytest.raises(UnknownFieldError, match=r"'meta.exposre.nframes' .*mean 'meta.exposure.nframes'"):
        m["meta.exposre.nframes"] = 3
    assert m.meta.exposure.nframes == 4
    assert "meta.exposre.nframes" not in m and "meta.exposure.nframes" in m
    with pytest.raises(KeyError, match=r"'extra.thing' is not in the schema"):  # old except KeyError code
        m["extra.thing"]
    with pytest.raises(KeyError, match=r"'meta.exposure.nframes.x' is not in the schema"):
        m["meta.exposure.nframes.x"]
    assert issubclass(UnknownFieldError, KeyError) and issubclass(UnknownFieldError, AttributeError)
    assert str(UnknownFieldError("plain text")) == "plain text"  # not KeyError's quoted repr


def test_unknown_attributes_suggest_the_closest_name() -> None:
    m = sample()
    with pytest.raises(UnknownFieldError, match=r"ImageModel has no attribute 'dat'; did you mean 'data'"):
        getattr(m, "dat")  # noqa: B009  (a misspelling static checkers would refuse)
    with pytest.raises(UnknownFieldError, match=r"did you mean 'search_schema'"):
        getattr(m, "serch_schema")  # noqa: B009
    assert not hasattr(m, "no_such_thing")


def test_get_item_as_json_value_gives_json_data() -> None:
    m = sample()
    m.dq = np.zeros((2, 3), dtype=np.uint32)
    m.dq[0, 1] = 3
    assert m.get_item_as_json_value("meta.exposure.nframes") == 4
    assert m.get_item_as_json_value("meta.observation.date") == "2024-03-01"
    assert m.get_item_as_json_value("meta.exposure") == {"nframes": 4}
    assert m.get_item_as_json_value("meta.exposure.ngroups") is None
    dq = m.get_item_as_json_value("dq")
    assert dq == [[0, 3, 0], [0, 0, 0]] and isinstance(dq, list)
    assert isinstance(m.get_item_as_json_value("data"), list)
    for key in ("meta", "data", "dq", "meta.target.ra"):
        json.dumps(m.get_item_as_json_value(key), allow_nan=False)


def test_tables_become_lists_of_rows() -> None:
    r = RampModel()
    assert r.group is None
    table = np.zeros(2, dtype=RampModel.group.dtype)
    table["integration_number"] = [1, 2]
    table["group_end_time"] = [b"2024-01-01T00:00:00", b"later"]
    table["bary_end_time"] = [1.5, np.float64(2.5)]
    r.group = table
    rows = r.get_item_as_json_value("group")
    assert isinstance(rows, list) and len(rows) == 2
    first = rows[0]
    assert isinstance(first, dict)
    assert first["integration_number"] == 1 and type(first["integration_number"]) is int
    assert first["group_end_time"] == "2024-01-01T00:00:00" and first["bary_end_time"] == 1.5
    json.dumps(rows)
