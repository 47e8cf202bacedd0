"""A metadata field's title, FITS keyword and HDU live in its class's ``__jwst_fields__`` table (issue 15).

Generated fields are plain annotated defaults (``nframes: int | None = None``), cheap to create; what a
pydantic ``Field(title=..., json_schema_extra=...)`` carried before is read from the table by the runtime
(``field_facts``, ``fits_location``, ``scalar_leaves``) and shown again by ``model_json_schema()``.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import Field

from jwstmodels import ImageModel, ValidationError
from jwstmodels._core.meta import MetaNode, field_facts, field_table, scalar_leaves
from jwstmodels_generated.lookup import CLASS_MODULES
from jwstmodels_generated.meta import Exposure, Meta

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def _schema_title() -> str:
    """The title the schema gives ``meta.exposure.nframes`` (read from the YAML, not from generated code)."""
    schema = yaml.safe_load((SCHEMAS / "core_exposure.schema.yaml").read_text())
    return str(schema["properties"]["meta"]["properties"]["exposure"]["properties"]["nframes"]["title"])


NFRAMES_TITLE = _schema_title()


def _meta_classes() -> list[type[MetaNode]]:
    found: list[type[MetaNode]] = []
    for name, module in CLASS_MODULES.items():
        value: object = getattr(importlib.import_module(f"jwstmodels_generated.{module}"), name)
        if isinstance(value, type) and issubclass(value, MetaNode):
            found.append(value)
    return found


def test_a_field_is_a_plain_default_and_its_facts_are_in_the_table() -> None:
    info = Exposure.model_fields["nframes"]
    assert info.default is None and info.title is None and info.json_schema_extra is None
    assert vars(Exposure)["__jwst_fields__"]["nframes"] == {
        "title": NFRAMES_TITLE,
        "fits_keyword": "NFRAMES",
        "fits_hdu": "PRIMARY",
    }
    assert Exposure.fits_location("nframes") == ("NFRAMES", "PRIMARY")
    assert Exposure.fits_location("start_time_mjd") == ("MJD-BEG", "SCI")


def test_every_table_names_only_fields_its_class_declares() -> None:
    """The generator writes a class's own fields into its table; a stray name would be a generator bug."""
    classes = _meta_classes()
    assert len(classes) > 150
    tables = 0
    for cls in classes:
        table: dict[str, Any] = vars(cls).get("__jwst_fields__", {})
        tables += bool(table)
        assert set(table) <= set(cls.__annotations__), (cls.__name__, set(table) - set(cls.__annotations__))
        for name, facts in table.items():
            assert set(facts) <= {"title", "fits_keyword", "fits_hdu", "tag"}, (cls.__name__, name)
            assert ("fits_keyword" in facts) == ("fits_hdu" in facts), (cls.__name__, name)
    assert tables > 150


def test_a_subclass_sees_the_facts_of_its_bases() -> None:
    image_meta = ImageModel.meta_class
    assert image_meta is not Meta and issubclass(image_meta, Meta)
    assert "telescope" not in vars(image_meta).get("__jwst_fields__", {})  # declared by a base
    assert field_facts(image_meta)["telescope"] == field_facts(Meta)["telescope"]
    assert field_facts(image_meta)["telescope"]["fits_keyword"] == "TELESCOP"
    assert set(field_facts(Meta)) <= set(field_facts(image_meta))


def test_scalar_leaves_carry_the_table_facts() -> None:
    leaves = {leaf.path: leaf for leaf in scalar_leaves(ImageModel.meta_class)}
    nframes = leaves["meta.exposure.nframes"]
    assert (nframes.keyword, nframes.hdu, nframes.title) == (
        "NFRAMES",
        "PRIMARY",
        NFRAMES_TITLE,
    )
    wcs = leaves["meta.wcs"]  # a tagged object: a title, no FITS place
    assert wcs.keyword is None and wcs.title
    assert ImageModel.meta_class.fits_location("wcs") == (None, None)
    assert field_facts(ImageModel.meta_class)["wcs"]["tag"].startswith("tag:stsci.edu:gwcs/wcs-")


def test_the_json_schema_shows_title_keyword_and_hdu() -> None:
    properties = Exposure.model_json_schema()["properties"]
    assert properties["nframes"]["title"] == NFRAMES_TITLE
    assert (properties["nframes"]["fits_keyword"], properties["nframes"]["fits_hdu"]) == (
        "NFRAMES",
        "PRIMARY",
    )
    assert properties["start_time_mjd"]["fits_hdu"] == "SCI"
    assert properties["nframes"]["anyOf"] == [{"type": "integer"}, {"type": "null"}]
    # a nested class's properties too (its own hook fills them)
    schema = ImageModel.meta_class.model_fields["instrument"].annotation
    assert isinstance(schema, type) and issubclass(schema, MetaNode)
    nested = schema.model_json_schema()["properties"]
    assert nested["name"]["fits_keyword"] == "INSTRUME"


def test_errors_still_name_keyword_and_hdu() -> None:
    model = ImageModel()
    with pytest.raises(ValidationError, match=r"meta\.exposure\.nframes \(FITS NFRAMES in PRIMARY\)"):
        setattr(model.meta.exposure, "nframes", "four")


def test_extended_fields_register_their_facts() -> None:
    model = ImageModel()
    model.add_schema_entry(
        "meta.exposure.my_counter", {"type": "integer", "title": "My counter", "fits_keyword": "MYCOUNT"}
    )
    model.add_schema_entry("meta.my_group", {"type": "object", "title": "My group", "properties": {}})
    exposure = type(model.meta.exposure)
    assert exposure is not Exposure and issubclass(exposure, Exposure)
    assert vars(exposure)["__jwst_fields__"] == {
        "my_counter": {"title": "My counter", "fits_keyword": "MYCOUNT", "fits_hdu": "PRIMARY"}
    }
    assert exposure.fits_location("my_counter") == ("MYCOUNT", "PRIMARY")
    assert exposure.fits_location("nframes") == ("NFRAMES", "PRIMARY")  # inherited facts
    assert exposure.model_fields["my_counter"].title is None
    prop = exposure.model_json_schema()["properties"]["my_counter"]
    assert (prop["title"], prop["fits_keyword"], prop["fits_hdu"]) == ("My counter", "MYCOUNT", "PRIMARY")
    assert field_facts(type(model.meta))["my_group"] == {"title": "My group"}


class HandWritten(MetaNode):
    """A metadata class declared the pydantic way, as classes generated before the tables were."""

    speed: float | None = Field(
        default=None, title="Widget speed", json_schema_extra={"fits_keyword": "WSPEED", "fits_hdu": "SCI"}
    )
    mode: str | None = Field(default=None, json_schema_extra={"fits_keyword": "WMODE"})
    note: str | None = None


class HandWrittenMore(HandWritten):
    turns: int | None = None

    __jwst_fields__ = field_table(turns={"title": "Turns", "fits_keyword": "WTURNS", "fits_hdu": "PRIMARY"})


def test_facts_declared_on_pydantic_fields_are_kept() -> None:
    """A keyword given in ``json_schema_extra`` is not lost: field_facts reads it when no table names it."""
    assert HandWritten.fits_location("speed") == ("WSPEED", "SCI")
    assert HandWritten.fits_location("mode") == ("WMODE", "PRIMARY")
    assert HandWritten.fits_location("note") == (None, None)
    assert HandWrittenMore.fits_location("speed") == ("WSPEED", "SCI")  # inherited, beside a table
    assert HandWrittenMore.fits_location("turns") == ("WTURNS", "PRIMARY")
    leaves = {leaf.path: leaf for leaf in scalar_leaves(HandWrittenMore)}
    assert (leaves["meta.speed"].keyword, leaves["meta.speed"].title) == ("WSPEED", "Widget speed")
    assert leaves["meta.turns"].title == "Turns" and leaves["meta.note"].keyword is None
    properties = HandWrittenMore.model_json_schema()["properties"]
    assert (properties["speed"]["fits_keyword"], properties["turns"]["fits_keyword"]) == ("WSPEED", "WTURNS")
