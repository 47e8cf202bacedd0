"""The runtime's layers and the interface between models and backends (docs/architecture.md).

``lint-imports`` (``make lint``) checks the layer order at run time; these tests check what it leaves out
(imports for annotations only) and that the backends work on plain ``FileContent`` alone.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import cast

import asdf
import grimp
import numpy as np
import pytest
from astropy.io import fits

from jwstmodels import ImageModel, InvalidValueWarning, MultiSlitModel, SlitModel
from jwstmodels._core.content import FileContent
from jwstmodels._io.asdf_format import read_asdf
from jwstmodels._io.fits_format import read_fits, write_fits
from jwstmodels_generated.image import ImageMeta

BACKENDS = (
    "jwstmodels._io.fits_format",
    "jwstmodels._io.fits_items",
    "jwstmodels._io.fits_cards",
    "jwstmodels._io.asdf_format",
    "jwstmodels._io.asdf_in_fits",
    "jwstmodels._io.history",
    "jwstmodels._io.sniff",
    "jwstmodels._core.policy",
    "jwstmodels._core.content",
)


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("jwstmodels", "jwstmodels_generated", cache_dir=None)  # annotations included


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_backend_never_names_a_model(graph: grimp.ImportGraph, backend: str) -> None:
    """Not even for annotations: a backend gets a FileContent, described by a ModelLayout."""
    imported = graph.find_modules_directly_imported_by(backend)
    above = {"jwstmodels._model.datamodel", "jwstmodels._api.opening", "jwstmodels"} | {
        module for module in imported if module.startswith("jwstmodels_generated")
    }
    assert not imported & above, f"{backend} imports {sorted(imported & above)}"


def test_nothing_below_datamodel_names_it(graph: grimp.ImportGraph) -> None:
    """Not even for annotations: the core's descriptors name the protocols of ``_core.owners``, the model
    operations ``DataModel`` delegates to name ``_model.parts.ModelParts``."""
    below = sorted(
        module
        for module in graph.modules
        if module.startswith(("jwstmodels._core.", "jwstmodels._io.", "jwstmodels._model."))
        and module != "jwstmodels._model.datamodel"
    )
    assert "jwstmodels._core.scalars" in below and "jwstmodels._model.extend" in below
    naming = [
        m for m in below if graph.direct_import_exists(importer=m, imported="jwstmodels._model.datamodel")
    ]
    assert naming == []


def test_the_graph_sees_imports_inside_functions(graph: grimp.ImportGraph) -> None:
    """The contracts would see an upward import hidden in a function body: DataModel imports its writers
    there, and the graph has them."""
    assert graph.direct_import_exists(
        importer="jwstmodels._model.datamodel", imported="jwstmodels._io.fits_format"
    )
    assert graph.direct_import_exists(
        importer="jwstmodels._model.datamodel", imported="jwstmodels._model.wcs"
    )


def test_fits_content_round_trip_without_a_model(tmp_path: Path) -> None:
    model = ImageModel(data=np.arange(12, dtype=np.float32).reshape(3, 4))
    model.meta.exposure.nframes = 3
    path = model.save(tmp_path / "image.fits")
    with fits.open(path) as hdul:
        content = read_fits(hdul, ImageModel.__jwst_layout__, str(path))
        assert isinstance(content, FileContent) and content.meta is not None
        assert cast(ImageMeta, content.meta).exposure.nframes == 3
        assert content.shapes["data"] == (3, 4) and set(content.loaders) == {"data"}
        content.arrays = [("data", ImageModel.data, content.loaders["data"]())]
        again = write_fits(content, tmp_path / "again.fits")
    with ImageModel(again) as reread:
        assert reread.meta.exposure.nframes == 3
        np.testing.assert_array_equal(reread.data, model.data)


def test_one_policy_for_a_header_card_and_a_tree_value(tmp_path: Path) -> None:
    """A misfit from a card is kept as its card; from the ASDF tree, in the tree; both warn alike."""
    model = ImageModel(data=np.zeros((2, 2), np.float32))
    path = model.save(tmp_path / "bad.fits")
    with fits.open(path, mode="update") as hdul:
        hdul[0].header["NFRAMES"] = "many"
    with fits.open(path) as hdul, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        content = read_fits(hdul, ImageModel.__jwst_layout__, "bad.fits")
    assert [str(w.message).split(":")[0] for w in caught if w.category is InvalidValueWarning] == ["bad.fits"]
    assert ("NFRAMES", "many") in [(k, v) for k, v, _ in content.extra_fits["PRIMARY"]]
    with fits.open(path) as hdul, pytest.warns(InvalidValueWarning, match="keyword NFRAMES"):
        kept = read_fits(hdul, ImageModel.__jwst_layout__, "bad.fits", pass_invalid=True)
    assert vars(cast(ImageMeta, kept.meta).exposure)["nframes"] == "many"
    assert "PRIMARY" not in kept.extra_fits or all(k != "NFRAMES" for k, _, _ in kept.extra_fits["PRIMARY"])

    tree_path = tmp_path / "bad.asdf"
    asdf.AsdfFile({"meta": {"exposure": {"nframes": "many"}}}).write_to(tree_path)
    with (
        asdf.open(tree_path) as af,
        pytest.warns(InvalidValueWarning, match=r"^bad.asdf: meta.exposure.nframes"),
    ):
        from_tree = read_asdf(af, ImageModel.__jwst_layout__, "bad.asdf")
        assert from_tree.extra_tree["meta"] == {"exposure": {"nframes": "many"}}
        assert from_tree.extra_fits == {}


def test_items_are_contents_of_the_item_layout(tmp_path: Path) -> None:
    multi = MultiSlitModel()
    multi.slits.append(SlitModel(data=np.ones((2, 3), np.float32)))
    multi.slits[0].name = "S1"
    path = multi.save(tmp_path / "multi.fits")
    layout = MultiSlitModel.__jwst_layout__
    assert layout.items["slits"] is SlitModel.__jwst_layout__
    with fits.open(path) as hdul:
        content = read_fits(hdul, layout, str(path))
        (item,) = content.items["slits"]
        assert item.layout is layout.items["slits"] and item.scalars["name"] == "S1"
        assert item.shapes["data"] == (2, 3)
