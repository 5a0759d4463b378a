"""Counts of what the graph holds."""

from __future__ import annotations

from pydantic import BaseModel

from graph.schema import NodeKind, RelType
from graph.store import Store

COUNT_NODES = {kind: f"MATCH (n:`{kind}`) RETURN count(n) AS n" for kind in NodeKind}
COUNT_EDGES = {rel: f"MATCH ()-[e:`{rel}`]->() RETURN count(e) AS n" for rel in RelType}
COUNT_MEMBERS = "MATCH (o:Organisation) WHERE o.member = true RETURN count(o) AS n"
LIST_SOURCES = (
    "MATCH (s:Source) RETURN s.id AS id, s.file AS file, s.kind AS kind, "
    "s.sha256 AS sha256, s.ingested_at AS ingested_at, s.rows AS rows "
    "ORDER BY s.ingested_at, s.file"
)


class SourceInfo(BaseModel):
    """A file that was ingested."""

    id: str
    file: str
    kind: str
    sha256: str
    ingested_at: str
    rows: int


class GraphStats(BaseModel):
    """Node counts per kind, members and non-members, edges per type, sources."""

    backend: str
    revision: int
    nodes: dict[str, int]
    members: int
    non_members: int
    edges: dict[str, int]
    sources: list[SourceInfo]


def _count(store: Store, statement: str) -> int:
    rows = store.run(statement)
    return int(rows[0]["n"]) if rows else 0


def graph_stats(store: Store) -> GraphStats:
    """Count everything in the store."""
    nodes = {kind.value: _count(store, statement) for kind, statement in COUNT_NODES.items()}
    members = _count(store, COUNT_MEMBERS)
    return GraphStats(
        backend=store.backend,
        revision=store.revision(),
        nodes=nodes,
        members=members,
        non_members=nodes[NodeKind.ORGANISATION.value] - members,
        edges={rel.value: _count(store, statement) for rel, statement in COUNT_EDGES.items()},
        sources=[SourceInfo(**row) for row in store.run(LIST_SOURCES)],
    )
