"""Priorities: the poll's blockers and goals, who raised them and what addresses them."""

from __future__ import annotations

from typing import Any

import networkx as nx
from pydantic import BaseModel, Field

from graph.model import PriorityKind
from graph.schema import NodeKind, RelType
from graph.store import Store
from queries.projection import NodeKey, nodes_of

LATEST_POLL = (
    "MATCH (s:Source) WHERE s.kind = 'poll_responses' "
    "RETURN s.unclassified AS unclassified ORDER BY s.ingested_at DESC LIMIT 1"
)


def unclassified_in_latest_poll(store: Store) -> int:
    """How many answers of the last poll file ingested raised no priority (0 without a poll)."""
    rows = store.run(LATEST_POLL)
    return int(rows[0]["unclassified"] or 0) if rows else 0


class PriorityEntry(BaseModel):
    """One priority with its support and the initiatives that address it."""

    id: str
    kind: PriorityKind | None = Field(description="blocker or goal; None when unknown")
    label: str
    support: int
    raised_by: list[str]
    addressed_by: list[str]
    raised_answers: dict[str, int] = Field(
        description="per organisation in raised_by, how many of its answers matched"
    )
    addressing_projects: list[str]
    addressing_offers: list[str]


class PriorityReport(BaseModel):
    """Priorities ordered by kind, then support (highest first), then id."""

    priorities: list[PriorityEntry]
    unclassified_answers: int


def priority_kind(data: dict[str, Any]) -> PriorityKind | None:
    """The blocker/goal kind of a priority node's data (None when not stated)."""
    value = data.get("kind")
    return PriorityKind(str(value)) if value in PriorityKind.__members__.values() else None


def _linked(
    graph: nx.MultiDiGraph, node: NodeKey, rel: RelType
) -> list[tuple[NodeKey, dict[str, Any]]]:
    edges = graph.in_edges(node, keys=True, data=True)
    return [(src, attrs) for src, _, key, attrs in edges if key == rel]


def _entry(graph: nx.MultiDiGraph, node: NodeKey, data: dict[str, Any]) -> PriorityEntry:
    raised = {
        src[1]: int(attrs.get("count") or 0) for src, attrs in _linked(graph, node, RelType.RAISED)
    }
    addressing = [src for src, _ in _linked(graph, node, RelType.ADDRESSES)]
    return PriorityEntry(
        id=str(data["id"]),
        kind=priority_kind(data),
        label=str(data.get("label") or data["id"]),
        support=int(data.get("support") or 0),
        raised_by=sorted(raised),
        addressed_by=sorted(src[1] for src in addressing),
        raised_answers=dict(sorted(raised.items())),
        addressing_projects=sorted(s[1] for s in addressing if s[0] is NodeKind.PROJECT),
        addressing_offers=sorted(s[1] for s in addressing if s[0] is NodeKind.TRAINING_OFFER),
    )


def priorities(graph: nx.MultiDiGraph, *, unclassified_answers: int = 0) -> PriorityReport:
    """Every priority with its kind, support, who raised it and what addresses it.

    Parameters
    ----------
    graph
        The projection of the store.
    unclassified_answers
        Poll answers that matched no priority (the ingest report knows; the graph does not).

    Returns
    -------
    PriorityReport
        Blockers before goals (unknown kinds last), each by support, highest first.

    Examples
    --------
    >>> priorities(nx.MultiDiGraph(), unclassified_answers=3).unclassified_answers
    3
    """
    entries = [_entry(graph, node, data) for node, data in nodes_of(graph, NodeKind.PRIORITY)]
    entries.sort(key=lambda p: (p.kind is None, p.kind or "", -p.support, p.id))
    return PriorityReport(priorities=entries, unclassified_answers=unclassified_answers)
