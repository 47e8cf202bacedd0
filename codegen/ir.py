"""Intermediate representation: what the normalizer produces and the planner consumes.

Every node is an immutable dataclass; ``ObjectNode.properties`` is a tuple of (name, node) pairs in schema
order so that nodes compare and hash structurally (identical subtrees share one generated class).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ScalarType = Literal["string", "integer", "number", "boolean"]
EnumValue = str | int | float | bool


@dataclass(frozen=True, slots=True)
class Location:
    """Where a node was defined: schema file name (relative to the schemas folder) and JSON pointer."""

    file: str
    pointer: str

    def __str__(self) -> str:
        return f"{self.file}: {self.pointer or '/'}"


@dataclass(frozen=True, slots=True)
class Scalar:
    type: ScalarType
    enum: tuple[EnumValue, ...] | None = None
    title: str = ""
    description: str = ""
    fits_keyword: str | None = None
    fits_hdu: str = "PRIMARY"
    default: EnumValue | None = None
    format: str | None = None
    """The JSON Schema ``format`` (``date-time`` makes the field a ``datetime``)."""


@dataclass(frozen=True, slots=True)
class Array:
    datatype: str
    ndim: int | None = None
    max_ndim: int | None = None
    fits_hdu: str = ""
    default: int | float | None = None
    title: str = ""
    description: str = ""
    ndims: tuple[int, ...] | None = None
    """Dimensionalities of an array that may have one of several (schema ``ndim: [2, 4]``)."""
    primary_axes: tuple[int, ...] | None = None
    """Axes of the primary array's shape that an array created with the model takes (``zeroframe`` of a
    ramp: integrations, rows, columns); None: the last ``ndim`` axes."""


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    dtype: str
    shape: tuple[int | None, ...] = ()
    """Cell shape; a None axis has the length the data gives it (``ndim`` without ``shape`` in the schema)."""
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[Column, ...]
    fits_hdu: str = ""
    title: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class ObjectNode:
    properties: tuple[tuple[str, Node], ...] = ()
    title: str = ""
    description: str = ""
    origin: str | None = field(default=None, compare=False)
    """Schema file whose root this object is (for list items given as ``$ref: X.schema``)."""
    required: tuple[str, ...] = field(default=(), compare=False)
    """The JSON Schema ``required`` list (merged over ``allOf``); sets ``required_meta`` of models."""
    where: Location | None = field(default=None, compare=False)

    @property
    def props(self) -> dict[str, Node]:
        return dict(self.properties)


@dataclass(frozen=True, slots=True)
class ListNode:
    items: ObjectNode
    title: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class ValueList:
    """A list of scalars, or of such lists (``depth`` levels): ``read_times`` is a list of lists of floats."""

    item: Scalar
    depth: int = 1
    title: str = ""
    description: str = ""
    where: Location | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class TaggedObject:
    """A tagged ASDF object held as its Python class (``tag``: an astropy.modeling transform, an ndarray), or
    a list of them (``many``); the classes the generator knows are :data:`TAGGED_CLASSES`."""

    tag: str
    many: bool = False
    title: str = ""
    description: str = ""

    @property
    def python(self) -> tuple[str, str]:
        """(``module:qualname`` of the class, the annotation generated code writes for it)."""
        found = tagged_class(self.tag)
        assert found is not None, self.tag
        return found


#: Tag prefixes the generator expresses, with the Python class (``module:qualname``) that holds such a node
#: and the annotation generated code writes for it (names from ``jwstmodels.base`` or numpy).
TAGGED_CLASSES: tuple[tuple[str, str, str], ...] = (
    ("tag:stsci.edu:asdf/transform/", "astropy.modeling:Model", "Transform"),
    ("tag:stsci.edu:asdf/core/ndarray-", "numpy:ndarray", "np.ndarray[Any, Any]"),
)


#: Tag prefixes the generator expresses inside ``meta``: a pydantic field typed by a name of
#: ``jwstmodels.base`` that is the class for type checkers and, at run time, a check that imports the class
#: only when a value is assigned (so that importing a model does not import gwcs).
TAGGED_META_CLASSES: tuple[tuple[str, str, str], ...] = (("tag:stsci.edu:gwcs/wcs-", "gwcs.wcs:WCS", "GWCS"),)


def tagged_class(tag: str) -> tuple[str, str] | None:
    """The (class, annotation) of a tag the generator expresses; None for others."""
    for prefix, python, annotation in (*TAGGED_CLASSES, *TAGGED_META_CLASSES):
        if tag.startswith(prefix):
            return python, annotation
    return None


def tagged_meta_class(tag: str) -> tuple[str, str] | None:
    """The (class, annotation) of a tag the generator expresses as a metadata field; None for others."""
    for prefix, python, annotation in TAGGED_META_CLASSES:
        if tag.startswith(prefix):
            return python, annotation
    return None


@dataclass(frozen=True, slots=True)
class Unsupported:
    """A construct the generator cannot express; the planner skips it and reports ``reason``."""

    reason: str
    where: Location


Node = Scalar | Array | Table | ObjectNode | ListNode | ValueList | TaggedObject | Unsupported

#: Array datatypes the generator knows, with the numpy scalar type each becomes.
NUMPY_TYPES: dict[str, str] = {
    "bool": "np.bool_",
    "bool8": "np.bool_",
    "int8": "np.int8",
    "int16": "np.int16",
    "int32": "np.int32",
    "int64": "np.int64",
    "uint8": "np.uint8",
    "uint16": "np.uint16",
    "uint32": "np.uint32",
    "uint64": "np.uint64",
    "float16": "np.float16",
    "float32": "np.float32",
    "float64": "np.float64",
    "complex64": "np.complex64",
    "complex128": "np.complex128",
}
