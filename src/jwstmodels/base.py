"""The public base of generated packages: everything generated code needs from the runtime, in one module.

This module is the contract between the runtime and code that ``codegen`` generates from schemas, for the
package shipped with jwstmodels (``jwstmodels_generated``) and for packages users generate from their own
schema sets (``jwstmodels generate``). Generated modules import from here only (besides numpy, pydantic,
``typing``, ``datetime`` and their sibling generated modules), never from the runtime's private modules, so
the runtime may move its internals without breaking generated code. The names below keep their meaning across
releases:

- ``DataModel``: base class of every model class (``class ImageModel(DataModel[ImageMeta])``).
- ``ArrayField``, ``TableField``, ``Column``: the array and table attributes of a model class (absent ones
  read as None).
- ``Table``: what a ``TableField`` holds (a structured array with ``field``, ``columns[name].unit``).
- ``CreatedArrayField``: an array the model holds from construction (its primary array, and ``dq``/``err``
  of some classes), typed without None.
- ``ListField``: a typed list of item models (``slits``, ``spec``).
- ``ScalarField``: a scalar attribute outside ``meta`` (``SlitModel.name``).
- ``MetaNode``: base class of the metadata classes (pydantic models with assignment checks).
- ``field_table``: makes a metadata class's ``__jwst_fields__`` (field name -> its title, ``fits_keyword``,
  ``fits_hdu``, ``tag``: the schema's facts of the fields it declares, besides their types);
  ``FieldTable``/``FieldFacts`` are its types.
- ``ListItem``: base class of the item classes of lists inside ``meta`` (``meta.history`` entries).
- ``HistoryList``: the list type of ``meta.history`` (it also takes plain text, as an entry).
- ``no_items``: the ``exclude_if`` predicate that leaves an empty list of items out of dumps.
- ``ObjectField``: a tagged object outside ``meta``, typed by its Python class (``DistortionModel.model``).
- ``Transform``: for type checkers only, the class of transforms (``astropy.modeling.Model``), so that
  generated code annotates ``ObjectField[Transform]`` without importing astropy.modeling.
- ``AstropyTable``: for type checkers only, ``astropy.table.Table`` (``ABVegaOffsetModel.abvega_offset``).
- ``ValueListField``: a list of values outside ``meta`` (``WavelengthrangeModel.order``), in the ASDF tree.
- ``TreeObject``, ``NodeField``: an object outside ``meta`` with typed members (``DisperserModel.gwa_tiltx``):
  the generated class of the object, and the model attribute holding it (ASDF tree).
- ``TreeArrayField``: an array member of such an object, typed and checked by its schema dtype.
- ``GWCS``: the type of ``meta.wcs``: ``gwcs.WCS`` for type checkers; at run time a stand-in whose check
  imports gwcs only when a value is assigned (a file's WCS is converted when ``meta.wcs`` is first read).
"""

from typing import TYPE_CHECKING

from jwstmodels._core.arrays import ArrayField, Column, CreatedArrayField, TableField
from jwstmodels._core.lists import ListField
from jwstmodels._core.meta import FieldFacts, FieldTable, MetaNode, field_table
from jwstmodels._core.meta_lists import HistoryList, ListItem, no_items
from jwstmodels._core.objects import NodeField, ObjectField, TreeObject
from jwstmodels._core.scalars import ScalarField
from jwstmodels._core.tables import Table
from jwstmodels._core.tree_arrays import TreeArrayField
from jwstmodels._core.value_lists import ValueListField
from jwstmodels._model.datamodel import DataModel

if TYPE_CHECKING:
    from astropy.modeling import Model as Transform
    from astropy.table import Table as AstropyTable

    # gwcs.wcs, not gwcs: the package's __init__ star-imports five modules a type checker would then read
    from gwcs.wcs import WCS as GWCS
else:
    from jwstmodels._core.lazy_objects import lazy_instance_type

    GWCS = lazy_instance_type("gwcs.wcs:WCS")

__all__ = [
    "GWCS",
    "ArrayField",
    "AstropyTable",
    "Column",
    "CreatedArrayField",
    "DataModel",
    "FieldFacts",
    "FieldTable",
    "HistoryList",
    "ListField",
    "ListItem",
    "MetaNode",
    "NodeField",
    "ObjectField",
    "ScalarField",
    "Table",
    "TableField",
    "Transform",
    "TreeArrayField",
    "TreeObject",
    "ValueListField",
    "field_table",
    "no_items",
]


def __getattr__(name: str) -> object:
    """``Transform`` at run time too (imported on first access: astropy.modeling is slow to import)."""
    if name == "Transform":
        from astropy.modeling import Model

        return Model
    if name == "AstropyTable":
        from astropy.table import Table

        return Table
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
