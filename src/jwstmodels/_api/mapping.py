"""``jwstmodels.map``: a function over the models of a container, an association or a list of paths, each
model opened where the function runs (on Dask workers when a client is given)."""

from __future__ import annotations

import functools
import os
import pickle
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple, TypeVar, cast

from jwstmodels._api.container import ModelContainer
from jwstmodels._api.opening import open_model
from jwstmodels._api.parallel import check_client, partition, progress, run_parts

if TYPE_CHECKING:
    from distributed import Client

    from jwstmodels._core.meta import MetaNode
    from jwstmodels._model.datamodel import DataModel

R = TypeVar("R")
PathLike = str | os.PathLike[str]


class MapError(RuntimeError):
    """``fn`` failed on one member; ``index`` and ``member`` (its path, or ``<model>``) say which, and the
    original exception is the cause (``__cause__``) when it could travel back from the worker."""

    def __init__(self, message: str, index: int, member: str, error: str) -> None:
        super().__init__(message)
        self.index = index
        self.member = member
        self.error = error
        """The original error as text: ``ValueError: ...``."""


class _Member(NamedTuple):
    number: int
    label: str
    path: str | None
    model: DataModel[MetaNode] | None


class _Outcome(NamedTuple):
    number: int
    ok: bool
    value: object
    """The result, or on failure the original exception (None when it cannot be pickled)."""
    error: str


def map(
    fn: Callable[[DataModel[MetaNode]], R],
    source: ModelContainer | PathLike | Iterable[PathLike],
    *,
    client: Client | None = None,
) -> list[R]:
    """``[fn(model) for model in source]``, each model opened where ``fn`` runs and closed after it.

    ``source`` is a ModelContainer (members held as models are passed as they are, or pickled to the workers;
    members given as paths are opened there), the path of an association file, or a list of paths. Results
    come back in order. A failure raises :class:`MapError` naming the member (index and path) and the
    original error. ``fn`` may save each model (``model.save(...)``): every save is atomic on its own.

    With ``client=`` a ``dask.distributed.Client`` the members are split into parts run on its workers
    (``fn`` and its results must pickle; relative paths are made absolute first, so ``model.filename`` is
    absolute there); without it, they run here one by one (``pip install
    'jwstmodels[distributed]'`` for the client).
    """
    members = _members(source)
    if client is not None:
        dask_client = check_client(client, "jwstmodels.map")
        remote = [  # workers may run in another folder
            member._replace(path=os.path.abspath(member.path)) if member.path is not None else member
            for member in members
        ]
        outcomes = run_parts(
            dask_client, functools.partial(map_part, fn=fn), partition(remote, dask_client), "map"
        )
    else:
        outcomes: list[_Outcome] = []
        with progress(len(members), "map") as advance:
            for member in members:
                outcome = run_one(fn, member, keep_error=True)
                if not outcome.ok:
                    _raise(member, outcome)
                outcomes.append(outcome)
                advance(1)
    for member, outcome in zip(members, outcomes, strict=True):
        if not outcome.ok:
            _raise(member, outcome)
    return [cast(R, outcome.value) for outcome in outcomes]


def _members(source: ModelContainer | PathLike | Iterable[PathLike]) -> list[_Member]:
    if isinstance(source, str | os.PathLike):
        source = ModelContainer(source)  # an association file
    if isinstance(source, ModelContainer):
        members: list[_Member] = []
        for index, (where, model) in enumerate(source.__jwst_members__()):
            path = os.fspath(where) if where is not None else None
            label = path if path is not None else f"<{type(model).__name__}>"
            members.append(_Member(index, label, path if model is None else None, model))
        return members
    paths = [os.fspath(path) for path in source]
    return [_Member(index, path, path, None) for index, path in enumerate(paths)]


def map_part(members: list[_Member], fn: Callable[[DataModel[MetaNode]], object]) -> list[_Outcome]:
    """Run ``fn`` on some members (on a worker); failures are returned, not raised, so others still run."""
    return [run_one(fn, member, keep_error=False) for member in members]


def run_one(fn: Callable[[DataModel[MetaNode]], object], member: _Member, *, keep_error: bool) -> _Outcome:
    try:
        if member.model is not None:
            return _Outcome(member.number, True, fn(member.model), "")
        assert member.path is not None
        with open_model(member.path) as model:
            return _Outcome(member.number, True, fn(model), "")
    except Exception as exc:
        text = f"{type(exc).__name__}: {exc}"
        return _Outcome(member.number, False, exc if keep_error or _travels(exc) else None, text)


def _travels(exc: BaseException) -> bool:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return False
    return True


def _raise(member: _Member, outcome: _Outcome) -> None:
    message = f"jwstmodels.map: member {member.number} ({member.label}) failed: {outcome.error}"
    error = MapError(message, member.number, member.label, outcome.error)
    cause = outcome.value if isinstance(outcome.value, BaseException) else None
    raise error from cause
