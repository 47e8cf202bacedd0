"""What a fresh process imports and works out on the paths the fresh-process benchmarks time (``make
bench-fresh``: import, create and save, open and sum): every module a path does not need stays out of it, so
that a gain in start-up time cannot silently come back with an import added at module level."""

# pyright: reportPrivateUsage=false
# (reads which node plans worked out their per-field facts)

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

import jwstmodels

_THIRD_PARTY = ("asdf", "gwcs", "yaml")

_PROBE = """
import json, sys
import jwstmodels

task = sys.argv[1]
if task == "open":  # the benchmark's open_image: open, five fields, sum, close
    with jwstmodels.open(sys.argv[2]) as model:
        meta = model.meta
        values = [meta.instrument.name, meta.exposure.type, meta.exposure.nframes, meta.observation.date,
                  meta.target.ra]
        total = float(model.data.sum())
    assert values[2] == 3 and total == 16.0, (values, total)
elif task == "save":  # the benchmark's save_image
    model = jwstmodels.ImageModel((4, 4))
    model.meta.exposure.nframes = 3
    model.save(sys.argv[2])
elif task == "create":  # the benchmark's save_image before its save
    model = jwstmodels.ImageModel((4, 4))
    model.meta.exposure.nframes = 3

from jwstmodels._core.node import NodeBase
from jwstmodels._core.node_plans import node_plan

worked_out, classes = [], []
if task in ("open", "create"):
    def walk(cls):
        if cls in classes:
            return
        classes.append(cls)
        plan = node_plan(cls)
        if plan is not None and plan._fields is not None:
            worked_out.append(cls.__name__)
        for info in cls.__pydantic_fields__.values():
            if isinstance(info.annotation, type) and issubclass(info.annotation, NodeBase):
                walk(info.annotation)
    walk(jwstmodels.ImageModel.meta_class)
modules = sorted(m for m in sys.modules if m.split(".")[0] in ("jwstmodels", "pydantic", *THIRD_PARTY))
print(json.dumps({"modules": modules, "worked_out": worked_out, "classes": len(classes)}))
""".replace("THIRD_PARTY", repr(_THIRD_PARTY))


def _fresh(task: str, path: Path | None = None) -> dict[str, Any]:
    """Run ``task`` in a fresh interpreter. Not under ``-W error``: a filter that makes
    ``InvalidValueWarning`` an error makes an open read the ``ASDF`` extension at once (``_io.fits_lazy``),
    and the point here is the open the benchmark (and a user) runs."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, task, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return cast(dict[str, Any], json.loads(done.stdout.splitlines()[-1]))


def _image_with_wcs(path: Path) -> Path:
    """A 4x4 image with five metadata values and a gwcs WCS in its ``ASDF`` extension, as pipeline products
    have (the extension is not parsed by an open that reads keyword fields)."""
    from tests.support.populate import sample_wcs

    model = jwstmodels.ImageModel((4, 4))
    model.data[...] = 1.0
    model.meta.instrument.name = "NIRCAM"
    model.meta.exposure.type = "NRC_IMAGE"
    model.meta.exposure.nframes = 3
    model.meta.observation.date = "2026-01-02"
    model.meta.target.ra = 150.125
    model.meta.wcs = cast(Any, sample_wcs(1))
    model.save(path)
    return path


def test_import_leaves_the_dq_flags_and_every_backend_out() -> None:
    loaded = set(_fresh("import")["modules"])
    assert not loaded & {
        "jwstmodels.dqflags",
        "jwstmodels.base",
        "jwstmodels._io.fits_format",
        "jwstmodels._io.asdf_format",
    }
    assert not {module.split(".")[0] for module in loaded} & set(_THIRD_PARTY)


def test_dqflags_is_still_a_submodule_of_the_package() -> None:
    from jwstmodels import dqflags

    assert jwstmodels.dqflags is dqflags
    assert dqflags.__name__ == "jwstmodels.dqflags"
    assert "dqflags" in dir(jwstmodels) and "dqflags" in jwstmodels.__all__


def test_opening_a_fits_image_imports_no_writer_item_reader_or_asdf(tmp_path: Path) -> None:
    """Multi-model items (``fits_items``), saving (``atomic``, ``asdf_blocks``), the header scan's extension
    check (``yaml_limits``), DQ bit translation (``dqflags``), schema search, pydantic's TypeAdapter, the ASDF
    extension's reader and asdf, gwcs and yaml themselves: none of them is needed to open an image and read
    keyword fields and its data."""
    loaded = set(_fresh("open", _image_with_wcs(tmp_path / "wcs.fits"))["modules"])
    assert not loaded & {
        "jwstmodels._io.fits_items",
        "jwstmodels._io.atomic",
        "jwstmodels._io.asdf_blocks",
        "jwstmodels._io.yaml_limits",
        "jwstmodels._io.asdf_in_fits",
        "jwstmodels._io.asdf_format",
        "jwstmodels.dqflags",
        "jwstmodels._model.schema_search",
        "pydantic.type_adapter",  # no field is validated by an adapter of its own (_core.node_plans)
    }
    assert not {module.split(".")[0] for module in loaded} & set(_THIRD_PARTY)


def test_saving_a_fits_image_imports_no_item_code(tmp_path: Path) -> None:
    loaded = set(_fresh("save", tmp_path / "new.fits")["modules"])
    assert "jwstmodels._io.atomic" in loaded  # the probe saved through the FITS writer
    assert not loaded & {
        "jwstmodels._io.fits_items",
        "jwstmodels._io.yaml_limits",
        "jwstmodels.dqflags",
        "pydantic.type_adapter",
    }


def test_a_new_model_works_out_field_plans_only_for_the_groups_assigned_to() -> None:
    """Every metadata class gets a node plan (a new model's default nodes are made from it); the per-field
    facts (types, literals, lazy objects) are worked out only for a class a value is assigned to, here
    ``Exposure``: a fresh create and save pays for the others only when the save dumps the tree."""
    found = _fresh("create")
    assert found["classes"] > 50
    assert found["worked_out"] == ["Exposure"]
