"""``within_limits``: the byte counts that spare a small ASDF tree the event-by-event check of its YAML never
pass a document that the full check (``check_document``) refuses. Checked with the limits lowered, so that
generated documents reach them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jwstmodels import ImageModel
from jwstmodels._core.errors import FileFormatError
from jwstmodels._io import yaml_limits
from jwstmodels._io.yaml_limits import check_document, within_limits

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=4), st.floats(allow_nan=False))
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=3), children, max_size=4)
    ),
    max_leaves=40,
)

HAND_WRITTEN = [
    "- - - - - - - a\n",  # compact nested sequences on one line
    "- a: - b\n",  # not YAML: the full check lets it pass, and so may this one
    "a:\n- b:\n  - c:\n    - d: e\n",  # sequences at their mapping's column
    "? - a\n  - b\n: c\n",  # an explicit complex key
    "[[[[[[[]]]]]]]\n",
    "{a: {b: {c: {d: {e: {f: 1}}}}}}\n",
    "[a: b, c: [d: [e: f]]]\n",  # single-pair mappings inside flow sequences
    "? \n? \n? \n? \n? \n? \n? \n",  # empty keys and values
    "- \n- \n- \n- \n- \n- \n- \n- \n- \n- \n",
    "a:\nb:\nc:\nd:\ne:\nf:\ng:\nh:\n",
    "{a, b, c, d, e, f, g, h, i}\n",
    "a: &x [1, 2]\nb: *x\n",
]


@pytest.fixture
def low_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_limits, "MAX_DEPTH", 5)
    monkeypatch.setattr(yaml_limits, "MAX_NODES", 40)


def _agrees(document: bytes) -> None:
    if within_limits(document):
        check_document(document, "test")  # raises FileFormatError if the fast answer was wrong


@pytest.mark.usefixtures("low_limits")
@pytest.mark.parametrize("text", HAND_WRITTEN)
def test_hand_written_documents(text: str) -> None:
    _agrees(text.encode())


@settings(max_examples=300, deadline=None)
@given(tree=trees, flow=st.sampled_from([None, True, False]))
def test_generated_documents(tree: Any, flow: bool | None) -> None:
    document = yaml.safe_dump(tree, default_flow_style=flow).encode()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yaml_limits, "MAX_DEPTH", 5)
        patch.setattr(yaml_limits, "MAX_NODES", 40)
        _agrees(document)


@pytest.mark.usefixtures("low_limits")
def test_the_fast_answer_is_no_on_documents_the_full_check_refuses() -> None:
    """The control: documents at the lowered limits, refused by the full check, get no fast yes."""
    deep = b"[[[[[[[1]]]]]]]\n"
    many = yaml.safe_dump(list(range(50))).encode()
    aliased = b"a: &x [1, 2]\nb: [*x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x, *x]\n"
    for document in (deep, many, aliased):
        with pytest.raises(FileFormatError):
            check_document(document, "test")
        assert not within_limits(document)


def test_a_model_tree_takes_the_fast_path(tmp_path: Any) -> None:
    """What a saved model holds passes on the byte counts alone (the full check is not run for it)."""
    model = ImageModel(np.zeros((4, 4), dtype=np.float32))
    model.meta.instrument.name = "NIRCAM"
    model.meta.exposure.nframes = 4
    path = model.save(tmp_path / "small.asdf")
    raw = path.read_bytes()
    document = raw[raw.find(b"%YAML") : raw.find(b"\n...\n") + 5]
    assert within_limits(document)
    assert not within_limits(document.replace(b"meta:", b"meta: &anchor", 1))
