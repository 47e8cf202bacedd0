"""The base of metadata nodes: where a node sits in its tree (parent, name, owning model), for error messages.

``_node_plans`` builds, dumps and checks nodes of this base without pydantic's validators; ``_meta.MetaNode``
adds the validation policy on top. Keeping the base here lets both import it, in that order, without a cycle.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self

from pydantic import BaseModel, ConfigDict


def set_parent(child: NodeBase, parent: NodeBase, name: str) -> None:
    """Record that ``child`` is field ``name`` of ``parent``.

    The child holds its parent weakly: a strong reference both ways would make every metadata tree a
    reference cycle, which only the garbage collector frees (a model's ninety nodes, for each model dropped,
    and collections that cost more than the rest of a metadata read). A node kept after its tree is gone
    names itself alone in messages.
    """
    object.__setattr__(child, "_parent", weakref.ref(parent))
    object.__setattr__(child, "_name", name)


class Completer(Protocol):
    """Fills the fields of a tree read from a file that the file's headers could not give (``_io.fits_lazy``):
    they are absent from their node's ``__dict__`` until then."""

    def complete(self, node: NodeBase) -> None:
        """Fill every absent field of the tree ``node`` belongs to (of ``node``'s subtree at least), and
        forget ``node`` (its ``_pending`` slot is cleared)."""
        ...


def complete(node: NodeBase) -> None:
    """Fill ``node``'s subtree when fields of it wait for the file (a FITS file's ``ASDF`` extension, read
    when first needed): what every operation that walks a whole tree calls first. Cheap when none wait."""
    try:
        completer: Completer = object.__getattribute__(node, "_pending")
    except AttributeError:
        return
    completer.complete(node)


def set_pending(node: NodeBase, completer: Completer | None) -> None:
    """Mark ``node`` as holding (or having below it) fields that ``completer`` fills; None: nothing waits."""
    if completer is None:
        if hasattr(node, "_pending"):
            object.__delattr__(node, "_pending")
    else:
        object.__setattr__(node, "_pending", completer)


class NodeBase(BaseModel):
    """What every metadata node is, below the validation policy: its place in the tree (for error messages)
    and its children bound to it. ``MetaNode`` (``_meta``) adds the policy; ``_node_plans`` builds nodes."""

    model_config = ConfigDict(
        validate_assignment=True,
        extra="forbid",
        revalidate_instances="never",
        protected_namespaces=(),
        # A class's validator is built when it is first needed (an assignment to one of its fields, a
        # whole-tree validation), not at import: the catalogue has well over a hundred classes, and trees
        # are built, dumped and checked without pydantic validators where they can be (``_node_plans``).
        defer_build=True,
    )

    # Where the node sits, for error messages. Plain slots, not pydantic private attributes: a model holds
    # about ninety nodes, and private attributes would cost several microseconds each to set up. ``_parent``
    # is a weak reference (see ``set_parent``).
    __slots__ = ("__weakref__", "_name", "_owner", "_parent", "_pending", "_tree_extras")

    if TYPE_CHECKING:  # set below the class: see there
        __jwst_node_fields__: ClassVar[tuple[str, ...]]
        """Names of the fields that hold nested nodes (computed when the class is created)."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.__jwst_node_fields__ = tuple(
            name
            for name, info in cls.model_fields.items()
            if isinstance(info.annotation, type) and issubclass(info.annotation, NodeBase)
        )

    def model_post_init(self, context: Any, /) -> None:
        self.bind_children()

    def attach(self, owner: str) -> None:
        """Make this node the root ``meta`` of a model of class ``owner``."""
        object.__setattr__(self, "_owner", owner)
        object.__setattr__(self, "_name", "meta")
        object.__setattr__(self, "_parent", None)

    def bind_children(self) -> None:
        """Point each nested node at this one (construction and copying call it)."""
        for name in self.__jwst_node_fields__:
            set_parent(self.__dict__[name], self, name)

    def __copy__(self) -> Self:
        complete(self)
        return self._with_location(super().__copy__())

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        complete(self)
        return self._with_location(super().__deepcopy__(memo))

    def _with_location(self, copied: Self) -> Self:
        """A copy keeps this node's name and owner, and its children point at it."""
        for slot in ("_name", "_owner"):
            if hasattr(self, slot):
                object.__setattr__(copied, slot, getattr(self, slot))
        copied.bind_children()
        return copied

    # -- location, for error messages ---------------------------------------------------------------

    @property
    def dotted_path(self) -> str:
        """Dotted path of this node in its model, e.g. ``meta.exposure``."""
        names: list[str] = []
        node: NodeBase | None = self
        while node is not None:
            names.append(getattr(node, "_name", "meta"))
            node = node.__jwst_parent__()
        return ".".join(reversed(names))

    def __jwst_parent__(self) -> NodeBase | None:
        """The node this one is a field of; None for a root, or when that node no longer exists. (A framework
        dunder, as pydantic's: the tree walks of the core use it, and it cannot collide with a field.)"""
        ref: weakref.ref[NodeBase] | None = getattr(self, "_parent", None)
        return ref() if ref is not None else None

    @property
    def owner_name(self) -> str | None:
        """Class name of the model this node belongs to, when it belongs to one."""
        node = self
        while (parent := node.__jwst_parent__()) is not None:
            node = parent
        return getattr(node, "_owner", None)


# Declared for type checkers only and set here: pydantic evaluates the class-level annotations of every base
# again for each subclass it builds (a model's first use builds about a hundred). The one place that works
# out which fields hold nested nodes (node plans and the lazy FITS read ask it too).
type.__setattr__(NodeBase, "__jwst_node_fields__", ())
