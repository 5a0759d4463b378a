"""Coordinators' decisions on duplicate clusters: stored in the graph, applied to a report.

A decision names the initiatives of a cluster, its status (``confirmed``: they are the same
effort; ``dismissed``: not a duplicate; ``note``: a remark only), who took it and when, and
the ``updated_at`` of each initiative at that time. Decisions are nodes of their own kind,
which no ingest writes or deletes, so they outlive re-ingests. A confirmed or dismissed
decision takes a cluster off the open list while it covers every initiative of the cluster
and none of them has changed since; otherwise the cluster is open again, with the earlier
decision shown beside it.

Example
-------
>>> cluster_key("project", ["p-2", "p-1"])
'project:p-1|p-2'
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Literal

import networkx as nx
from pydantic import BaseModel, Field

from graph.errors import InputError, NotFound
from graph.model import DuplicateDecision
from graph.schema import FINGERPRINT, NodeKind
from graph.store import Store
from queries.duplicates import DuplicateCluster, DuplicateReport
from queries.entities import node_properties

Status = Literal["confirmed", "dismissed", "note"]
#: Decisions that settle a cluster (a note leaves it open).
SETTLING: frozenset[str] = frozenset({"confirmed", "dismissed"})
INITIATIVE_KINDS = {"project": NodeKind.PROJECT, "training_offer": NodeKind.TRAINING_OFFER}

READ_DECISIONS = "MATCH (d:DuplicateDecision) RETURN d AS node ORDER BY d.id"


class Decision(BaseModel):
    """A decision as read back from the graph."""

    id: str
    kind: str
    ids: list[str]
    versions: list[str]
    status: Status
    note: str | None = None
    decided_by: str
    decided_at: str


class DecisionRequest(BaseModel):
    """What a coordinator decides about one cluster."""

    kind: Literal["project", "training_offer"]
    ids: list[str] = Field(min_length=2, max_length=500)
    status: Status
    note: str | None = Field(default=None, max_length=2000)
    decided_by: str = Field(min_length=1, max_length=200)


class TriagedCluster(BaseModel):
    """A cluster with the decision that covers it (or the latest earlier one), if any."""

    key: str
    cluster: DuplicateCluster
    decision: Decision | None = None
    changed_since_decision: bool = False
    note: Decision | None = None


class Triage(BaseModel):
    """Clusters still to decide, and those decided (and unchanged since)."""

    open: list[TriagedCluster]
    decided: list[TriagedCluster]


def cluster_key(kind: str, ids: Iterable[str]) -> str:
    """The key of a cluster: its kind and its initiatives' ids, sorted."""
    return f"{kind}:" + "|".join(sorted(ids))


def read_decisions(store: Store) -> list[Decision]:
    """Every decision in the store, ordered by key."""
    return [Decision(**node_properties(row["node"])) for row in store.run(READ_DECISIONS)]


def versions_of(graph: nx.MultiDiGraph, kind: str, ids: Iterable[str]) -> list[str]:
    """Each initiative's ``updated_at`` (its content version); :class:`NotFound` if absent."""
    node_kind = INITIATIVE_KINDS[kind]
    found = []
    for entity_id in ids:
        node = (node_kind, entity_id)
        if node not in graph:
            raise NotFound(node_kind.value, entity_id)
        found.append(str(graph.nodes[node].get("updated_at") or ""))
    return found


def record_decision(
    store: Store, graph: nx.MultiDiGraph, request: DecisionRequest, *, now: datetime | None = None
) -> Decision:
    """Store a decision on the cluster of ``request.ids`` (replacing an earlier one on it).

    ``graph`` is the current projection: it gives each initiative's version, and refuses ids
    that are not initiatives of ``request.kind``.
    """
    ids = sorted(set(request.ids))
    if len(ids) < 2:
        raise InputError("a decision needs at least two different initiatives", column="ids")
    key = cluster_key(request.kind, ids)
    decision = Decision(
        # A note is kept beside the cluster's status, not in its place.
        id=f"{key}:note" if request.status == "note" else key,
        kind=request.kind,
        ids=ids,
        versions=versions_of(graph, request.kind, ids),
        status=request.status,
        note=(request.note or "").strip() or None,
        decided_by=request.decided_by.strip(),
        decided_at=(now or datetime.now(UTC)).isoformat(timespec="seconds"),
    )
    row = DuplicateDecision(**decision.model_dump()).model_dump()
    row[FINGERPRINT] = hashlib.sha256(json.dumps(row, sort_keys=True).encode()).hexdigest()
    with store.transaction() as tx:
        tx.upsert_nodes(NodeKind.DUPLICATE_DECISION, [row])
    return decision


def _covers(decision: Decision, cluster: DuplicateCluster, versions: Mapping[str, str]) -> bool:
    """Whether the decision is about every initiative of the cluster, none changed since."""
    recorded = dict(zip(decision.ids, decision.versions, strict=True))
    return decision.kind == cluster.kind and all(
        i in recorded and recorded[i] == versions.get(i) for i in cluster.ids
    )


def triage(
    report: DuplicateReport, decisions: Iterable[Decision], graph: nx.MultiDiGraph
) -> Triage:
    """Split a report's clusters into open and decided, each with its decision if any.

    A cluster is decided by the latest confirmed or dismissed decision that covers it
    (see :func:`_covers`); an open cluster shows the latest such decision that names any of
    its initiatives but no longer covers it (``changed_since_decision``). Either shows the
    latest note on its initiatives.
    """
    latest_first = sorted(decisions, key=lambda d: d.decided_at, reverse=True)
    open_clusters, decided = [], []
    for cluster in report.clusters:
        versions = dict(
            zip(cluster.ids, versions_of(graph, cluster.kind, cluster.ids), strict=True)
        )
        key = cluster_key(cluster.kind, cluster.ids)
        related = [d for d in latest_first
                   if d.kind == cluster.kind and set(d.ids) & set(cluster.ids)]  # fmt: skip
        note = next((d for d in related if d.status == "note"), None)
        settled = next(
            (d for d in related if d.status in SETTLING and _covers(d, cluster, versions)), None
        )
        if settled is not None:
            decided.append(TriagedCluster(key=key, cluster=cluster, decision=settled, note=note))
            continue
        earlier = next((d for d in related if d.status in SETTLING), None)
        open_clusters.append(
            TriagedCluster(key=key, cluster=cluster, decision=earlier,
                           changed_since_decision=earlier is not None, note=note)
        )  # fmt: skip
    return Triage(open=open_clusters, decided=decided)
