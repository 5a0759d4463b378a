"""Liveness and counts."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from api.deps import StoreDep
from api.schemas import Health
from api.security import read_access
from queries.stats import GraphStats, graph_stats

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(store: StoreDep) -> Health:
    """Whether the store answers, which backend it is, and its revision."""
    return Health(
        status="ok", backend=store.backend, revision=store.revision(), notices=list(store.notices)
    )


@router.get("/stats", response_model=GraphStats, dependencies=[Depends(read_access)])
def stats(store: StoreDep) -> GraphStats:
    """Node counts per kind, members, edges per type and sources."""
    return graph_stats(store)
