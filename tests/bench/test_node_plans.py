"""The fast paths of the metadata runtime (``jwstmodels._core.node_plans``) give exactly what pydantic gives.

Metadata trees are built, dumped, checked and assigned to without the pydantic validators and serializers of
their classes (which are built only when first needed); these tests compare each fast path with pydantic's
own answer on the same input, and check that a whole session of ordinary work builds no class validator.
"""

# pyright: reportPrivateUsage=false
# (compares the fast paths with the pydantic reference path they replace)

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

import pydantic
import pytest
from pydantic import BaseModel

import jwstmodels
import jwstmodels_generated.catalog as generated  # every generated class (the package itself is lazy)
from jwstmodels._core.loading import _build_validated, _Problem, build_meta
from jwstmodels._core.meta import MetaNode
from jwstmodels._core.node_plans import dump_node, new_node, node_plan, tree_is_valid
from jwstmodels_generated import ImageMeta

CLASSES = sorted(
    (
        value
        for value in vars(generated).values()
        if isinstance(value, type)
        and issubclass(value, MetaNode)
        and value.__module__.startswith("jwstmodels_generated.")
    ),
    key=lambda cls: cls.__name__,
)


def _pydantic_dump(node: MetaNode, **options: Any) -> dict[str, Any]:
    """The dump of pydantic's own serializer (MetaNode.model_dump walks the tree itself)."""
    return BaseModel.model_dump(node, **options)


def test_the_model_roots_have_plans() -> None:
    """The root classes must not fall back to pydantic, or every open builds their whole validator."""
    for model in (
        jwstmodels.ImageModel,
        jwstmodels.RampModel,
        jwstmodels.FlatModel,
        jwstmodels.MultiSlitModel,
    ):
        assert node_plan(model.meta_class) is not None, model.__name__


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_a_default_node_is_what_pydantic_builds(cls: type[MetaNode]) -> None:
    try:
        expected = cls()
    except (pydantic.ValidationError, jwstmodels.ValidationError) as refused:  # required fields
        with pytest.raises(type(refused)):  # new_node leaves the refusal to the class
            new_node(cls)
        return
    built = new_node(cls)
    assert type(built) is cls
    assert built == expected
    assert _pydantic_dump(built) == _pydantic_dump(expected)
    assert built.model_fields_set == expected.model_fields_set == set()
    for name in cls.__jwst_node_fields__:
        child = getattr(built, name)
        assert child.__jwst_parent__() is built
        assert child.dotted_path == f"meta.{name}"


def _tree() -> dict[str, Any]:
    """Valid values, a value pydantic converts, values that do not fit and keys the schema does not know."""
    return {
        "telescope": "JWST",
        "unknown_top": {"a": 1},
        "exposure": {
            "nframes": "four",
            "ngroups": 10,
            "start_time": 60000,  # an int in a float field: converted
            "type": "NRC_IMAGE",
            "readpatt": 7,
            "bogus": 1,
        },
        "instrument": "NIRCAM",  # a string where an object belongs
        "target": {"ra": 1.5, "dec": None},
        "observation": {"date": "2026-01-02", "time": 5},
        "subarray": {"name": "NOT_A_SUBARRAY"},
    }


def test_build_meta_reports_and_keeps_what_pydantic_does() -> None:
    calls: list[tuple[str, tuple[str, ...], object]] = []
    meta = build_meta(
        ImageMeta,
        _tree(),
        on_invalid=lambda loc, value, expected: calls.append(("invalid", loc, value)),
        on_unknown=lambda loc, value: calls.append(("unknown", loc, value)),
    )
    found: list[_Problem] = []
    reference = cast(ImageMeta, _build_validated(ImageMeta, _tree(), (), (), found))
    assert calls == [("unknown" if p.unknown else "invalid", p.loc, p.value) for p in found]
    assert len(calls) == 7
    assert isinstance(meta, ImageMeta)
    assert _pydantic_dump(meta) == _pydantic_dump(reference)
    assert meta.model_fields_set == reference.model_fields_set
    assert meta.exposure.model_fields_set == reference.exposure.model_fields_set
    assert meta.exposure.start_time == 60000.0 and type(meta.exposure.start_time) is float
    assert meta.exposure.dotted_path == "meta.exposure"


def test_build_meta_raises_at_the_first_misfit_pydantic_names() -> None:
    """A user's dict: the first value that does not fit raises, in pydantic's order."""

    def refuse(loc: tuple[str, ...], value: object, expected: str) -> None:
        raise ValueError(".".join(loc))

    found: list[_Problem] = []
    _build_validated(ImageMeta, _tree(), (), (), found)
    first = next(problem for problem in found if not problem.unknown)
    with pytest.raises(ValueError, match=f"^{re.escape('.'.join(first.loc))}$"):
        build_meta(ImageMeta, _tree(), on_invalid=refuse, on_unknown=lambda loc, value: None)


def _populated() -> ImageMeta:
    model = jwstmodels.ImageModel()
    model.meta.exposure.nframes = 4
    model.meta.exposure.start_time = 60000.5
    model.meta.instrument.name = "NIRCAM"
    model.meta.observation.date = "2026-01-02"
    return model.meta


@pytest.mark.parametrize("exclude_none", [False, True])
def test_dump_is_pydantic_dump(exclude_none: bool) -> None:
    meta = _populated()
    expected = _pydantic_dump(meta, exclude_none=exclude_none)
    assert repr(dump_node(meta, exclude_none, True)) == repr(expected)  # the same keys in the same order
    assert repr(meta.model_dump(exclude_none=exclude_none)) == repr(expected)
    vars(meta.exposure)["nframes"] = "four"  # kept in place, as pass_invalid_values does
    assert meta.model_dump(warnings=False) == _pydantic_dump(meta, warnings=False)


def test_tree_is_valid_agrees_with_pydantic() -> None:
    meta = _populated()
    assert tree_is_valid(meta)
    type(meta).model_validate(_pydantic_dump(meta))  # pydantic agrees
    vars(meta.exposure)["nframes"] = "four"
    assert not tree_is_valid(meta)
    with pytest.raises(pydantic.ValidationError):
        type(meta).model_validate(_pydantic_dump(meta, warnings=False))


def test_a_direct_assignment_is_pydantic_assignment() -> None:
    fast = jwstmodels.ImageModel().meta.exposure
    slow = new_node(type(fast))
    for name, value in (("nframes", 4), ("start_time", 60000.5), ("type", "NRC_IMAGE"), ("nframes", None)):
        setattr(fast, name, value)
        BaseModel.__setattr__(slow, name, value)
        assert fast == slow
        assert fast.model_fields_set == slow.model_fields_set
    with pytest.raises(jwstmodels.ValidationError, match="NFRAMES"):
        fast.nframes = "four"  # pyright: ignore[reportAttributeAccessIssue]
    assert fast.nframes is None


_SESSION = """
import sys
import pydantic_core
import jwstmodels
import jwstmodels_generated.catalog as generated  # every generated class
from jwstmodels_generated import ImageMeta

model = jwstmodels.ImageModel((4, 4))
model.meta.exposure.nframes = 3
model.meta.instrument.name = "NIRCAM"
model.validate()
for path in sys.argv[1:]:
    model.save(path)
    with jwstmodels.open(path) as read:
        assert read.meta.exposure.nframes == 3
    assert jwstmodels.read_metadata(path).instrument.name == "NIRCAM"
built = [
    name
    for name, value in vars(generated).items()
    if isinstance(value, type)
    and isinstance(value.__dict__.get("__pydantic_validator__"), pydantic_core.SchemaValidator)
]
print(built)
"""


def test_ordinary_work_builds_no_class_validator(tmp_path: Path) -> None:
    """Create, set, validate, save and open FITS and ASDF in a fresh process: no metadata class validator is
    built (building the root's alone costs tens of milliseconds)."""
    done = subprocess.run(
        [sys.executable, "-c", _SESSION, str(tmp_path / "a.fits"), str(tmp_path / "a.asdf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "[]"


_NO_ADAPTER_SESSION = """
import sys
import pydantic.plugin._loader as plugins
import jwstmodels
from jwstmodels._core.node_plans import _adapter_for

model = jwstmodels.ImageModel((4, 4))
model.meta.exposure.nframes = 3
model.save(sys.argv[1])
with jwstmodels.open(sys.argv[2]) as read:  # a file with a gwcs WCS, not converted
    assert read.meta.exposure.nframes == 3
    read.save(sys.argv[3])
print(_adapter_for.cache_info().currsize, plugins._plugins is None)
"""


def test_save_and_open_build_no_type_adapter(tmp_path: Path) -> None:
    """Defaults (an empty history, None in a list field), checked values and a file's WCS node not converted
    yet are known to fit without a pydantic validator: a fresh save, an open and a save of what was opened
    build none, so pydantic never looks for its plugins (an entry-point scan of every installed package,
    ~10 ms of a fresh process)."""
    from tests.support.populate import sample_wcs

    with_wcs = tmp_path / "wcs.fits"
    model = jwstmodels.ImageModel((4, 4))
    model.meta.exposure.nframes = 3
    model.meta.wcs = cast(Any, sample_wcs(1))
    model.save(with_wcs)
    paths = [str(tmp_path / "a.fits"), str(with_wcs), str(tmp_path / "b.fits")]
    done = subprocess.run(
        [sys.executable, "-c", _NO_ADAPTER_SESSION, *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["0", "True"]
    with jwstmodels.ImageModel(tmp_path / "b.fits") as again:  # the node written back as read
        assert again.meta.wcs is not None
