"""ModelContainer: a list of models, read from an association file or given, grouped by exposure.

Members given as paths (or read from an association) are opened only when accessed, and grouping reads their
metadata only (``read_metadata``), so a container of hundreds of files never holds every array at once.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NotRequired, TypedDict, cast, overload

from jwstmodels._api.metadata import read_metadata
from jwstmodels._api.opening import open_model
from jwstmodels._core.errors import FileFormatError
from jwstmodels._core.meta import MetaNode
from jwstmodels._io.sniff import sniff

if TYPE_CHECKING:
    from jwstmodels._model.datamodel import DataModel
    from jwstmodels_generated.meta import CommonMeta

GROUP_FIELDS = (
    ("observation", "program_number"),
    ("observation", "observation_number"),
    ("observation", "visit_number"),
    ("observation", "visit_group"),
    ("observation", "sequence_id"),
    ("observation", "activity_id"),
    ("observation", "exposure_number"),
    ("instrument", "name"),
    ("instrument", "channel"),
)
"""The exposure fields whose values, together, identify one exposure (the detectors of it share them)."""


class AsnMember(TypedDict):
    """One member of an association product: the file (relative to the association) and its role."""

    expname: str
    exptype: str
    group_id: NotRequired[str]
    """Overrides the exposure grouping (``models_grouped``) when given, as in the reference."""
    tweakreg_catalog: NotRequired[str]


class AsnProduct(TypedDict):
    name: str
    members: list[AsnMember]


class AsnTable(TypedDict):
    """A JWST association as read from its JSON file (``ModelContainer.asn_table``). Keys this type does not
    name (``asn_type``, ``asn_rule``, ``program``, ...) are kept as the file has them."""

    asn_id: str | None
    asn_pool: str | None
    products: list[AsnProduct]


RECOGNIZED_MEMBER_FIELDS = ("tweakreg_catalog", "group_id")
"""Member keys the reference copies into each member's metadata (``meta.<key>``) when the schema has them."""


def empty_asn_table() -> AsnTable:
    """The association table of a container not read from an association (as the reference's)."""
    return {"asn_id": None, "asn_pool": None, "products": [{"name": "", "members": []}]}


class AssociationError(FileFormatError):
    """An association file is malformed or names a member that cannot be opened."""


class ContainerSaveError(OSError):
    """Saving a container failed at one member; ``written`` lists the complete files written before it."""

    def __init__(self, message: str, index: int, written: list[Path]) -> None:
        super().__init__(message)
        self.index = index
        self.written = written


@dataclass
class _Member:
    """One entry: a model in memory, or a file to open when it is first needed."""

    path: Path | None = None
    model: DataModel[CommonMeta] | None = None
    exptype: str | None = None
    meta: CommonMeta | None = field(default=None, repr=False)
    asn: AsnDetails | None = None
    """What the association says of this member (it is set on the member's metadata when read)."""

    def metadata(self) -> CommonMeta:
        if self.model is not None:
            return self.model.meta
        if self.meta is None:
            assert self.path is not None
            self.meta = read_metadata(self.path)
            if self.asn is not None:
                self.asn.apply(self.meta)
        return self.meta


@dataclass(frozen=True)
class AsnDetails:
    """The association's values for one member: ``meta.asn.exptype``, ``table_name``, ``pool_name`` and the
    recognised member keys (``meta.tweakreg_catalog``, ``meta.group_id`` where the schema has them)."""

    exptype: str
    table_name: str
    pool_name: str | None
    member: AsnMember
    folder: Path
    """The association's folder (member paths are relative to it)."""

    def apply(self, meta: MetaNode) -> None:
        """Set these values on a member's metadata, as the reference's container does (a metadata tree
        without ``asn`` (a reference file's) or without a recognised key is left alone there)."""
        asn: object = getattr(meta, "asn", None)
        if isinstance(asn, MetaNode):
            for name, value in (
                ("exptype", self.exptype),
                ("table_name", self.table_name),
                ("pool_name", self.pool_name),
            ):
                if name in type(asn).model_fields:
                    setattr(asn, name, value)
        for key in RECOGNIZED_MEMBER_FIELDS:
            value = self.member.get(key)
            if key in self.member and key in type(meta).model_fields:
                if key == "tweakreg_catalog":  # a path relative to the association; blank means none
                    given = value.strip() if isinstance(value, str) else ""
                    value = str(self.folder / given) if given else None
                setattr(meta, key, value)


@dataclass(frozen=True)
class Association:
    """The parts of a JWST association file a container uses."""

    path: Path
    asn_id: str | None
    asn_pool: str | None
    product_names: tuple[str, ...]
    members: tuple[tuple[Path, AsnMember], ...]
    """(member path resolved against the association's folder, the member's entry)."""
    table: AsnTable
    """The whole association as read."""

    def details(self, member: AsnMember) -> AsnDetails:
        """What this association says of ``member``, to set on its metadata."""
        return AsnDetails(member["exptype"], self.path.name, self.asn_pool, member, self.path.parent)


def read_association(path: str | os.PathLike[str]) -> Association:
    """Parse an association file (JSON); errors name the association, and the member where there is one."""
    where = Path(path)
    try:
        text = where.read_text(encoding="utf-8")
    except OSError as exc:
        raise AssociationError(f"{where}: cannot read the association ({exc.strerror or exc})") from None
    try:
        data: object = json.loads(text)
    except json.JSONDecodeError as exc:
        detail = f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise AssociationError(f"{where}: not valid JSON ({detail})") from None
    root = _mapping(data)
    products = root.get("products") if root is not None else None
    if root is None or not isinstance(products, list):
        raise AssociationError(f"{where}: an association needs a 'products' list")
    members: list[tuple[Path, AsnMember]] = []
    names: list[str] = []
    for p_index, item in enumerate(cast(list[object], products)):
        product = _mapping(item)
        listed = product.get("members") if product is not None else None
        if product is None or not isinstance(listed, list):
            raise AssociationError(f"{where}: products[{p_index}] needs a 'members' list")
        names.append(str(product.get("name", "")))
        for m_index, entry in enumerate(cast(list[object], listed)):
            member = _mapping(entry)
            expname = member.get("expname") if member is not None else None
            if member is None or not isinstance(expname, str):
                raise AssociationError(f"{where}: products[{p_index}].members[{m_index}] needs an 'expname'")
            exptype = member.get("exptype", "science")
            if not isinstance(exptype, str):
                place = f"products[{p_index}].members[{m_index}]"
                raise AssociationError(f"{where}: {place}: 'exptype' must be text, not {exptype!r}")
            for key in RECOGNIZED_MEMBER_FIELDS:
                if key in member and not isinstance(member[key], str):
                    place = f"products[{p_index}].members[{m_index}]"
                    raise AssociationError(f"{where}: {place}: {key!r} must be text, not {member[key]!r}")
            member.setdefault("exptype", exptype)
            members.append((where.parent / expname, cast(AsnMember, member)))
    asn_id, pool = root.get("asn_id"), root.get("asn_pool")
    root.setdefault("asn_id", None)
    root.setdefault("asn_pool", None)
    return Association(
        where,
        None if asn_id is None else str(asn_id),
        None if pool is None else str(pool),
        tuple(names),
        tuple(members),
        cast(AsnTable, root),
    )


def _mapping(value: object) -> dict[str, object] | None:
    return cast(dict[str, object], value) if isinstance(value, dict) else None


class ModelContainer:
    """A list of data models (``DataModel[CommonMeta]``), usable like a Python list.

    ``init`` is None (empty), the path of an association file, a list of models, or a list of paths. Paths are
    opened on first access; with ``persist=True`` (the default) an opened model stays in the container, with
    ``persist=False`` each access opens the file again and the caller closes what it gets.
    """

    def __init__(
        self,
        init: str | os.PathLike[str] | Iterable[DataModel[CommonMeta] | str | os.PathLike[str]] | None = None,
        persist: bool = True,
    ) -> None:
        self.persist = persist
        self.asn_table_name: str | None = None
        """File name of the association the members were read from."""
        self.asn_pool_name: str | None = None
        """The association's ``asn_pool``."""
        self.asn_file_path: Path | None = None
        """The association file the members were read from."""
        self.asn_table: AsnTable = empty_asn_table()
        """The association as read (``asn_id``, ``asn_pool``, ``products`` with their ``members``, and any
        other keys the file has); an empty one for a container not read from an association."""
        self._members: list[_Member] = []
        if init is None:
            return
        if isinstance(init, str | os.PathLike):
            self.from_asn(init)
            return
        for item in init:
            self._members.append(_member(item))

    # -- building ------------------------------------------------------------------------------------

    def from_asn(self, filepath: str | os.PathLike[str]) -> None:
        """Add the members of an association file (their paths relative to the file); checks each exists."""
        association = read_association(filepath)
        for path, entry in association.members:
            if not path.is_file():
                raise AssociationError(f"{association.path}: member {path.name!r} not found at {path}")
            try:
                sniff(path)
            except FileFormatError as exc:
                raise AssociationError(f"{association.path}: member {path.name!r}: {exc}") from None
            details = association.details(entry)
            self._members.append(_Member(path=path, exptype=entry["exptype"], asn=details))
        self.asn_table_name = association.path.name
        self.asn_pool_name = association.asn_pool
        self.asn_file_path = association.path
        self.asn_table = association.table

    def append(self, model: DataModel[CommonMeta] | str | os.PathLike[str]) -> None:
        self._members.append(_member(model))

    def extend(self, models: Iterable[DataModel[CommonMeta] | str | os.PathLike[str]]) -> None:
        for model in models:
            self.append(model)

    # -- list behaviour ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._members)

    @overload
    def __getitem__(self, index: int) -> DataModel[CommonMeta]: ...
    @overload
    def __getitem__(self, index: slice) -> ModelContainer: ...
    def __getitem__(self, index: int | slice) -> DataModel[CommonMeta] | ModelContainer:
        if isinstance(index, slice):
            part = ModelContainer(persist=self.persist)
            part._members = self._members[index]
            return part
        return self._open(self._members[index])

    def __setitem__(self, index: int, model: DataModel[CommonMeta]) -> None:
        self._members[index] = _member(model)

    def __delitem__(self, index: int) -> None:
        del self._members[index]

    def __iter__(self) -> Iterator[DataModel[CommonMeta]]:
        for member in self._members:
            yield self._open(member)

    def __jwst_members__(self) -> list[tuple[Path | None, DataModel[CommonMeta] | None]]:
        """``(path, model)`` of each member, in order: the file it is opened from (None for a model given in
        memory) and the model it holds (None until opened). For ``jwstmodels.map`` (a framework dunder: not
        user API)."""
        return [(member.path, member.model) for member in self._members]

    def _open(self, member: _Member) -> DataModel[CommonMeta]:
        if member.model is not None:
            return member.model
        assert member.path is not None
        model = open_model(member.path)
        if member.asn is not None:  # the association's values, as the reference's container sets them
            try:
                member.asn.apply(model.meta)
            except BaseException:
                model.close()
                raise
        if self.persist:
            member.model = model
        return model

    def close(self) -> None:
        """Close every model this container opened from a file."""
        for member in self._members:
            if member.model is not None and member.path is not None:
                member.model.close()
                member.model = None

    def __enter__(self) -> ModelContainer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def copy(self) -> ModelContainer:
        """A deep copy: every model is read (if it was not) and copied."""
        new = ModelContainer(persist=self.persist)
        new._members = [
            _Member(model=self._open(member).copy(), exptype=member.exptype, asn=member.asn)
            for member in self._members
        ]
        new.asn_table_name, new.asn_pool_name = self.asn_table_name, self.asn_pool_name
        new.asn_file_path, new.asn_table = self.asn_file_path, copy.deepcopy(self.asn_table)
        return new

    # -- metadata ------------------------------------------------------------------------------------

    def get_recursively(self, field: str) -> list[object]:
        """The value of a dotted metadata field (``"meta.exposure.exposure_time"`` or without ``meta.``) of
        every member, read from metadata only."""
        names = field.removeprefix("meta.").split(".")
        values: list[object] = []
        for member in self._members:
            node: object = member.metadata()
            for name in names:
                node = getattr(node, name)
            values.append(node)
        return values

    def _group_id(self, member: _Member) -> str:
        if member.asn is not None and "group_id" in member.asn.member:  # the association decides
            return member.asn.member["group_id"]
        meta = member.metadata()
        parts: list[str] = []
        for group, name in GROUP_FIELDS:
            value = getattr(getattr(meta, group), name)
            parts.append("" if value is None else str(value))
        return "_".join(parts)

    @property
    def group_names(self) -> list[str]:
        """One name per exposure group, in order of first appearance."""
        return list(dict.fromkeys(self._group_id(member) for member in self._members))

    @property
    def models_grouped(self) -> list[list[DataModel[CommonMeta]]]:
        """Models grouped by exposure (the detectors of one exposure together), grouped by metadata only."""
        groups: dict[str, list[_Member]] = {}
        for member in self._members:
            groups.setdefault(self._group_id(member), []).append(member)
        return [[self._open(member) for member in members] for members in groups.values()]

    # -- saving --------------------------------------------------------------------------------------

    def save(self, path_not_used: object = None, path: str | os.PathLike[str] | None = None) -> list[Path]:
        """Write every model to ``path`` (a folder, created if needed) under its ``meta.filename``.

        The first argument is ignored, as in the reference. A failure names the member; files written before
        it are complete (each is written atomically).
        """
        folder = Path(path) if path is not None else Path.cwd()
        folder.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        for index, member in enumerate(self._members):
            model = self._open(member)
            stored: object = model.meta.filename  # read through the node: a lazily opened value may wait
            fallback = member.path.name if member.path else None
            name = stored if isinstance(stored, str) and stored else fallback
            if not name:
                raise ValueError(f"ModelContainer: member {index} has no meta.filename to save under")
            try:
                written.append(model.save(folder / name))
            except Exception as exc:
                message = f"ModelContainer: saving member {index} ({name}) failed: {exc}"
                raise ContainerSaveError(message, index, written) from exc
            finally:
                if not self.persist and member.model is None and member.path is not None:
                    model.close()
        return written


def _member(item: DataModel[CommonMeta] | str | os.PathLike[str]) -> _Member:
    from jwstmodels._model.datamodel import DataModel

    if isinstance(item, DataModel):
        return _Member(model=item)
    path = Path(item)
    if not path.is_file():
        raise FileNotFoundError(f"ModelContainer: {path}: no such file")
    return _Member(path=path)
