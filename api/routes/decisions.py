"""Triage of duplicate clusters over HTTP: open and decided clusters; recording a decision."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Depends
from starlette.concurrency import run_in_threadpool

from api.analyses import duplicates_of, warm
from api.cache import RevisionCache
from api.deps import CacheDep, StoreDep
from api.schemas import ErrorResponse
from api.security import read_access, require_write_key
from graph.store import Store
from queries.decisions import (
    Decision,
    DecisionRequest,
    Triage,
    read_decisions,
    record_decision,
    triage,
)

router = APIRouter(tags=["duplicates triage"])


def decisions_of(cache: RevisionCache, store: Store) -> list[Decision]:
    """The decisions of the current revision, read once."""
    return cache.get(("decisions",), lambda: read_decisions(store))


def triage_of(cache: RevisionCache, store: Store) -> Triage:
    """The default duplicates report split into open and decided clusters, once per revision."""
    return cache.get(("triage",),
                     lambda: triage(duplicates_of(cache), decisions_of(cache, store), cache.graph()))  # fmt: skip


def decide(cache: RevisionCache, store: Store, request: DecisionRequest) -> Decision:
    """Record a decision on the current revision's graph."""
    return record_decision(store, cache.graph(), request)


def rewarm(cache: RevisionCache, store: Store) -> None:
    """Recompute the analyses and the triage of the revision a decision made."""
    warm(cache, store)
    triage_of(cache, store)


@router.get("/duplicates/triage", response_model=Triage, dependencies=[Depends(read_access)])
def duplicate_triage(cache: CacheDep, store: StoreDep) -> Triage:
    """Duplicate clusters still to decide, and those decided (none changed since), with decisions."""
    return triage_of(cache, store)


@router.post(
    "/duplicates/decisions",
    response_model=Decision,
    status_code=201,
    dependencies=[Depends(require_write_key)],
    responses={code: {"model": ErrorResponse} for code in (400, 401, 403, 404, 422)},
)
async def record(
    body: DecisionRequest, background: BackgroundTasks, cache: CacheDep, store: StoreDep
) -> Decision:
    """Mark a cluster confirmed, not a duplicate (dismissed), or leave a note on it.

    A dismissed or confirmed cluster leaves the open list until one of its initiatives changes.
    """
    decision = await run_in_threadpool(decide, cache, store, body)
    background.add_task(rewarm, cache, store)
    return decision
