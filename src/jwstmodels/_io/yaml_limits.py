"""Limits on the YAML of untrusted files (the ``ASDF`` extension of a FITS file, the tree of an ASDF file).

A small document can describe an enormous tree: aliases repeat a node any number of times (``*a`` ten times in
each of nine levels is a billion nodes), a node may contain itself, and hundreds of nested levels exhaust
Python's recursion in any code that walks the tree. The checks here bound all three before the tree is used:
the document's size in bytes, its depth, and its node count with every alias expanded. Each is linear in the
size of the document (a shared node is measured once) and costs microseconds for the trees JWST files hold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

from jwstmodels._core.errors import FileFormatError

MAX_BYTES = 64 * 1024 * 1024
"""Largest YAML document read (the trees of JWST files are kilobytes to a few megabytes)."""
MAX_DEPTH = 200
"""Deepest nesting of mappings and sequences (JWST trees, WCS transforms included, stay below 60)."""
MAX_NODES = 150_000
"""Most nodes in a tree with every alias expanded (JWST trees hold hundreds to tens of thousands)."""

SMALL_DOCUMENT = 16 * 1024
"""A document up to this size is composed (libyaml) and then checked: it holds too few nodes for composing
to take long, and the aliases it may use are checked on the composed tree."""

Children = Callable[[object], Iterable[object] | None]


def check_size(size: int, where: str) -> None:
    if size > MAX_BYTES:
        raise FileFormatError(
            f"{where}: the YAML document is {size} bytes, more than the limit of {MAX_BYTES} bytes"
        )


def yaml_node_children(node: object) -> Iterable[object] | None:
    """The children of a composed PyYAML node (None for a scalar)."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        pairs = cast(list[tuple[object, object]], node.value)
        return [item for pair in pairs for item in pair]
    if isinstance(node, yaml.SequenceNode):
        return cast(list[object], node.value)
    return None


def check_tree(root: object, where: str, children: Children | None = None) -> None:
    """FileFormatError naming ``where`` and the limit when the tree under ``root`` nests deeper than
    MAX_DEPTH, holds more than MAX_NODES nodes with shared (aliased) nodes counted at each place they appear,
    or contains itself. Iterative: no recursion, whatever the depth. ``children`` gives a node's children
    (None for a leaf); without it, the tree is one of dicts, lists and tuples (checked faster)."""
    if children is None:
        _check_values(root, where)
        return
    kids = children(root)
    if kids is None:
        return
    sizes: dict[int, int] = {}
    active: set[int] = {id(root)}
    # Frames: [node, its remaining children, depth, nodes counted so far under it]
    stack: list[list[Any]] = [[root, iter(kids), 1, 1]]
    while stack:
        frame = stack[-1]
        pushed = False
        for child in frame[1]:
            grandchildren = children(child)
            if grandchildren is None:
                frame[3] += 1
                continue
            key = id(child)
            if key in sizes:
                frame[3] += sizes[key]
                if frame[3] > MAX_NODES:
                    _too_many(where)
                continue
            if key in active:
                raise FileFormatError(f"{where}: a node of the YAML tree contains itself (through an alias)")
            depth = frame[2] + 1
            if depth > MAX_DEPTH:
                _too_deep(where)
            active.add(key)
            stack.append([child, iter(grandchildren), depth, 1])
            pushed = True
            break
        if pushed:
            continue
        stack.pop()
        key = id(frame[0])
        active.discard(key)
        sizes[key] = frame[3]
        if frame[3] > MAX_NODES:
            _too_many(where)
        if stack:
            stack[-1][3] += frame[3]
            if stack[-1][3] > MAX_NODES:
                _too_many(where)


def _check_values(root: object, where: str) -> None:
    """check_tree for a tree of dicts, lists and tuples: the same walk with the type tests inlined (it runs
    on every extension document read, so it is kept to a fraction of a microsecond per node)."""
    if isinstance(root, dict):
        top = iter(cast(dict[object, object], root).values())
    elif isinstance(root, list | tuple):
        top = iter(cast(Iterable[object], root))
    else:
        return
    sizes: dict[int, int] = {}
    active = {id(cast(object, root))}
    stack: list[list[Any]] = [[root, top, 1, 1]]
    while stack:
        frame = stack[-1]
        child: object
        for child in frame[1]:
            if isinstance(child, dict):
                grandchildren = iter(cast(dict[object, object], child).values())
            elif isinstance(child, list | tuple):
                grandchildren = iter(cast(Iterable[object], child))
            else:
                frame[3] += 1
                continue
            key = id(cast(object, child))
            if key in sizes:
                frame[3] += sizes[key]
                if frame[3] > MAX_NODES:
                    _too_many(where)
                continue
            if key in active:
                raise FileFormatError(f"{where}: a node of the YAML tree contains itself (through an alias)")
            if frame[2] >= MAX_DEPTH:
                _too_deep(where)
            active.add(key)
            stack.append([child, grandchildren, frame[2] + 1, 1])
            break
        else:
            stack.pop()
            key = id(frame[0])
            active.discard(key)
            sizes[key] = frame[3]
            if stack:
                stack[-1][3] += frame[3]
                if stack[-1][3] > MAX_NODES:
                    _too_many(where)


def _too_deep(where: str) -> None:
    raise FileFormatError(f"{where}: the YAML tree nests deeper than the limit of {MAX_DEPTH} levels")


def _too_many(where: str) -> None:
    raise FileFormatError(
        f"{where}: the YAML tree holds more than the limit of {MAX_NODES} nodes (aliases expanded)"
    )


_END_MARKER = b"\n...\n"


def check_asdf_stream(read: Callable[[int], bytes], where: str) -> None:
    """Check the YAML tree of an ASDF file, read from its start with ``read`` (up to MAX_BYTES), before asdf
    parses it: asdf builds, converts and validates the whole tree with recursive walks."""

    chunks: list[bytes] = []
    total = 0
    tail = b""
    while True:
        chunk = read(1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if _END_MARKER in tail + chunk:
            break
        check_size(total, where)
        tail = chunk[-len(_END_MARKER) :]
    raw = b"".join(chunks)
    start = raw.find(b"\n%YAML")
    if start < 0:
        start = raw.find(b"\n--- ")
    end = raw.find(_END_MARKER)
    if start < 0 or end < 0:
        return  # no tree (a file of blocks only) or not ASDF at all: asdf reports it
    check_size(end - start, where)
    document = raw[start + 1 : end + len(_END_MARKER)]
    if not within_limits(document):
        check_document(document, where)


_COLLECTION_INDICATORS = b"[{-:?"


def within_limits(raw: bytes) -> bool:
    """True when the bytes alone show that the YAML document ``raw`` passes ``check_document`` (no parse:
    a few byte counts), for the small trees model files hold; False says nothing.

    Without ``&`` there is no anchor, so no alias and no shared node. Every collection then owns one indicator
    of its own (``[`` or ``{`` opens a flow one, ``-`` starts a block sequence's first entry, the first key of
    a mapping is followed by ``:`` or led by ``?``): the nesting is no deeper than the count of those bytes.
    A node is at least one byte, or an empty scalar that an indicator or ``,`` brings about (at most one
    each): at most twice as many nodes as bytes."""
    if b"&" in raw or 2 * len(raw) > MAX_NODES:
        return False
    return sum(raw.count(bytes([c])) for c in _COLLECTION_INDICATORS) <= MAX_DEPTH


def check_document(raw: bytes, where: str) -> None:
    """Check the YAML document ``raw`` from libyaml's event stream, before any node or object is built: the
    count stops at the first limit passed, so a document of millions of nodes costs no more than the limit.
    A document that does not parse passes: the reader that follows reports it in its own words."""
    import yaml

    check_size(len(raw), where)
    loader = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader
    scalar, alias = yaml.ScalarEvent, yaml.AliasEvent
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    sizes: dict[str, int] = {}  # anchor -> nodes under it, aliases expanded
    stack: list[tuple[str | None, int]] = []  # open collections: (anchor, count when it started)
    total = 0
    try:
        parse = cast(Callable[..., Iterable[object]], vars(yaml)["parse"])  # PyYAML's stubs leave it untyped
        for event in parse(raw, Loader=loader):
            if isinstance(event, scalar):
                total += 1
                if event.anchor:
                    sizes[event.anchor] = 1
            elif isinstance(event, starts):
                total += 1
                stack.append((event.anchor, total))
                if len(stack) > MAX_DEPTH:
                    _too_deep(where)
            elif isinstance(event, ends):
                anchor, start = stack.pop()
                if anchor:
                    sizes[anchor] = total - start + 1
            elif isinstance(event, alias):
                size = sizes.get(str(event.anchor))
                if size is None:  # an anchor still open: the node contains itself
                    raise FileFormatError(
                        f"{where}: a node of the YAML tree contains itself (through an alias)"
                    )
                total += size
            else:
                continue
            if total > MAX_NODES:
                _too_many(where)
    except yaml.YAMLError:
        return
