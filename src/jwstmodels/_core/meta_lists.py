"""Lists inside the metadata tree: ``meta.history``, ``meta.exposure.read_times``, ...

The generator declares a list of objects as ``list[Item]`` (the item class subclasses :class:`ListItem`) and a
list of values as ``list[float] | None`` (or deeper). This module holds the item base class and the reading
policy for list values found in files: a list is validated as a whole; one that does not fit warns (file,
dotted path, value, what is wrong) and is kept verbatim beside the model, so that saving writes it back, or
in place with ``pass_invalid_values=True``. Values given by users go through the ordinary assignment
validation of :class:`~jwstmodels.MetaNode`.
"""

from __future__ import annotations

import datetime
import types
from collections.abc import Iterable, Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Literal,
    NamedTuple,
    Self,
    SupportsIndex,
    TypeVar,
    Union,
    cast,
    get_args,
    get_origin,
)

from pydantic import GetCoreSchemaHandler
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import CoreSchema, core_schema

from jwstmodels._core.class_cache import per_class
from jwstmodels._core.errors import ValidationError
from jwstmodels._core.meta import MetaNode, describe_annotation, set_parent

if TYPE_CHECKING:
    pass


class ListItem(MetaNode):
    """Base of the generated classes of list items in the metadata (``HistoryEntry``, ``PolynomialInfo``).

    An item validates assignments and refuses unknown attributes as every metadata node does; its errors name
    the list it belongs to (``meta.history[].description``), since an item does not know its index. Building
    one with a value that does not fit raises :class:`~jwstmodels.ValidationError` too.
    """

    item_path: ClassVar[str] = ""
    """Dotted path of the list's items, e.g. ``meta.history[]`` (set by the generated classes)."""

    if not TYPE_CHECKING:
        # Hidden from type checkers so that they keep the typed constructor the generated fields define.
        def __init__(self, /, **data: Any) -> None:
            try:
                super().__init__(**data)
            except PydanticValidationError as exc:
                raise construction_error(type(self), exc) from None

    def model_post_init(self, context: Any, /) -> None:
        object.__setattr__(self, "_name", type(self).item_path or type(self).__name__)
        super().model_post_init(context)

    def bind_children(self) -> None:
        """Nested nodes of an item may be absent (``software: HistorySoftware | None``): bind those set."""
        super().bind_children()
        for name, value in self.__dict__.items():
            if isinstance(value, MetaNode) and name not in self.__jwst_node_fields__:
                set_parent(value, self, name)


ItemT = TypeVar("ItemT", bound=ListItem)


class HistoryList(list[ItemT]):
    """The type of ``meta.history``: a list of entries that also takes text, as the reference's history
    does: ``meta.history.append("flat-fielded")`` appends an entry with that description stamped with the
    current UTC time (``add_history_entry`` without a program). ``append``, ``insert``, ``extend`` and
    ``+=`` take entries or text; anything else goes through the entries' validation (a misfit raises
    ValidationError) when the model is validated, as for a plain list.
    """

    item_class: type[ItemT] | None = None
    """The class of the entries (set when validation makes the list; else found from the list's type
    arguments or its entries)."""

    @classmethod
    def of(cls, item_class: type[ItemT], items: Iterable[ItemT] = ()) -> HistoryList[ItemT]:
        made = cls(items)
        made.item_class = item_class
        return made

    def _entry(self, item: ItemT | str) -> ItemT:
        if not isinstance(item, str):
            return item
        item_class = self.item_class or _class_of(self)
        if item_class is None:
            raise TypeError("HistoryList: give an entry (its class is not known to make one from text)")
        now = datetime.datetime.now(datetime.UTC)
        return item_class.model_validate({"description": item, "time": now})

    def append(self, item: ItemT | str, /) -> None:
        super().append(self._entry(item))

    def insert(self, index: SupportsIndex, item: ItemT | str, /) -> None:
        super().insert(index, self._entry(item))

    def extend(self, items: Iterable[ItemT | str], /) -> None:
        super().extend([self._entry(item) for item in items])

    def __iadd__(self, items: Iterable[ItemT | str], /) -> Self:
        self.extend(items)
        return self

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """Validated as ``list[Item]`` (each entry by its class), then held in a HistoryList of that class."""
        args = get_args(source)
        item_class = cast("type[ListItem]", args[0]) if args else ListItem

        def wrap(items: list[ListItem]) -> HistoryList[ListItem]:
            return HistoryList[ListItem].of(item_class, items)

        return core_schema.no_info_after_validator_function(wrap, handler.generate_schema(list[item_class]))


def _class_of(items: HistoryList[ItemT]) -> type[ItemT] | None:
    """The entries' class, from the list's own type arguments or its first entry."""
    origin: object = getattr(items, "__orig_class__", None)
    args = get_args(origin)
    if args and isinstance(args[0], type):
        return cast("type[ItemT]", args[0])
    return type(items[0]) if items else None


def construction_error(cls: type[MetaNode], exc: PydanticValidationError) -> ValidationError:
    """The first problem of building an item, as a ValidationError naming the item's field."""
    error = exc.errors()[0]
    loc = tuple(str(part) for part in error["loc"])
    label = cls.item_path if issubclass(cls, ListItem) and cls.item_path else cls.__name__
    annotation = _annotation_at(cls, loc)
    expected = describe_annotation(annotation) if annotation is not None else error["msg"]
    missing = error["type"] == "missing"
    return ValidationError.for_field(
        model=None,
        path=".".join((label, *loc)),
        keyword=None,
        hdu=None,
        expected=f"a value ({expected}; required)" if missing else expected,
        got=None if missing else error["input"],
    )


def _annotation_at(cls: type[MetaNode], loc: tuple[str, ...]) -> Any:
    """The annotation of the field at ``loc`` below ``cls`` (through nested, possibly absent, nodes)."""
    annotation: Any = cls
    for name in loc:
        node = next((a for a in (annotation, *get_args(annotation)) if _is_node(a)), None)
        info = node.model_fields.get(name) if node is not None else None
        if info is None:
            return None
        annotation = info.annotation
    return annotation


def _is_node(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, MetaNode)


class ListLeaf(NamedTuple):
    """A list field of a meta class: where it is and its annotation (``list[HistoryEntry]``, ...)."""

    names: tuple[str, ...]
    """Attribute names below ``meta``: ``("exposure", "read_times")``."""
    annotation: Any

    @property
    def path(self) -> str:
        return ".".join(("meta", *self.names))

    @property
    def item_class(self) -> type[ListItem] | None:
        """The item class of a list of objects; None for a list of values."""
        item = get_args(_list_type(self.annotation))[0]
        return item if isinstance(item, type) and issubclass(item, ListItem) else None


def _list_type(annotation: Any) -> Any:
    """``list[X]`` from ``list[X]`` or ``list[X] | None`` (or ``HistoryList[X]``); None when the annotation
    holds no list."""
    kind: type = type(cast(object, annotation))
    members: tuple[object, ...] = getattr(annotation, "__args__", ()) if kind in _UNIONS else ()
    if kind in _NO_LIST or (members and all(type(arg) in _NO_LIST for arg in members)):
        return None  # most fields (``str | None``, ``Literal[...] | None``): told without get_origin
    if is_list_type(annotation):
        return annotation
    if get_origin(annotation) in (Union, types.UnionType):
        return next((arg for arg in get_args(annotation) if is_list_type(arg)), None)
    return None


_NO_LIST = frozenset({type, type(None), type(Literal[0])})
"""Kinds of annotation that hold no list, told by their type alone: a class (``list`` alone is no list type
here, see `is_list_type`), None, a ``Literal``."""
_UNIONS = frozenset({types.UnionType, type(Literal[0] | None)})
"""The two kinds of union (``str | None``, ``Literal[...] | None``): one holds no list when none of its
members does."""


def is_list_type(annotation: Any) -> bool:
    """True for ``list[X]`` and the list classes of the metadata (``HistoryList[X]``)."""
    origin = get_origin(annotation)
    return origin is list or (isinstance(origin, type) and issubclass(origin, list))


@per_class
def list_leaves(meta_class: type[MetaNode]) -> tuple[ListLeaf, ...]:
    """Every list field of ``meta_class`` (recursively through nested nodes, not into list items)."""
    found: list[ListLeaf] = []

    def walk(cls: type[MetaNode], names: tuple[str, ...]) -> None:
        for name, info in cls.model_fields.items():
            annotation = info.annotation
            if isinstance(annotation, type) and issubclass(annotation, MetaNode):
                walk(annotation, (*names, name))
            elif _list_type(annotation) is not None:
                found.append(ListLeaf((*names, name), annotation))

    walk(meta_class, ())
    return tuple(found)


def describe_list(annotation: Any) -> str:
    """``a list of HistoryEntry``, ``a list of lists of float, or None``."""
    listed = _list_type(annotation)
    if listed is None:
        return describe_annotation(annotation)
    (item,) = get_args(listed)
    inner = describe_list(item) if is_list_type(item) else describe_annotation(item)
    text = "a list of " + (inner.replace("a list of ", "lists of ", 1) if is_list_type(item) else inner)
    return text + (", or None" if listed is not annotation else "")


def error_in_list(
    cls: type[MetaNode], model: str | None, loc: tuple[int | str, ...], got: object
) -> ValidationError | None:
    """A ValidationError for a pydantic location inside a list field (``("history", 0, "description")`` is
    ``meta.history[0].description``); None for a location that passes through no list."""
    if not any(isinstance(part, int) for part in loc):
        return None
    path = "meta"
    annotation: Any = cls
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
            listed = _list_type(annotation)
            annotation = get_args(listed)[0] if listed is not None else None
        else:
            path += f".{part}"
            node = next((a for a in (annotation, *get_args(annotation)) if _is_node(a)), None)
            info = node.model_fields.get(part) if node is not None else None
            annotation = info.annotation if info is not None else None
        if annotation is None:
            break
    expected = describe_list(annotation) if annotation is not None else "no such field"
    return ValidationError.for_field(
        model=model, path=path, keyword=None, hdu=None, expected=expected, got=got
    )


# -- reading files ------------------------------------------------------------------------------------


Found = dict[tuple[str, ...], object]
"""List values taken out of a file's metadata tree, by names below ``meta``."""


def take_lists(meta_class: type[MetaNode], tree: Mapping[str, object]) -> tuple[dict[str, Any], Found]:
    """``tree`` without the values of the list fields, and those values.

    The tree given is not changed (it may be an open ASDF file's): the levels on the way to a list are
    copied.
    """
    result: dict[str, Any] = dict(tree)
    found: Found = {}
    for leaf in list_leaves(meta_class):
        node: dict[str, object] = result
        for name in leaf.names[:-1]:
            child = node.get(name)
            if not isinstance(child, Mapping):
                break
            node[name] = node = dict(cast(Mapping[str, object], child))
        else:
            if leaf.names[-1] in node:
                found[leaf.names] = node.pop(leaf.names[-1])
    return result, found


# -- writing files ------------------------------------------------------------------------------------


def no_items(value: object) -> bool:
    """True for an empty list: a list of items left at its default is unset, and left out of dumps and files
    (the generated fields pass it as ``exclude_if``)."""
    return isinstance(value, list) and not value
