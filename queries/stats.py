"""Counts of what the graph holds."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, Field

from graph.schema import NodeKind, RelType
from graph.store import Store

COUNT_NODES = {kind: f"MATCH (n:`{kind}`) RETURN count(n) AS n" for kind in NodeKind}
COUNT_EDGES = {rel: f"MATCH ()-[e:`{rel}`]->() RETURN count(e) AS n" for rel in RelType}
COUNT_MEMBERS = "MATCH (o:Organisation) WHERE o.member = true RETURN count(o) AS n"
MERGES = "MATCH (o:Organisation) WHERE o.merges IS NOT NULL RETURN o.merges AS merges"
COMPETENCE_LANGUAGES = "MATCH (c:Competence) WHERE c.labels IS NOT NULL RETURN c.labels AS labels"
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
    merges: int = Field(description="Merges recorded on organisations (each with its rule)")
    merged_organisations: int = Field(description="Organisations that at least one merge joined")
    related_organisations: int = Field(
        description="RELATED edges: organisations kept apart but tied by an identifier"
    )
    competence_languages: dict[str, int] = Field(
        description="Competences with a preferred label in each language"
    )


def _count(store: Store, statement: str) -> int:
    rows = store.run(statement)
    return int(rows[0]["n"]) if rows else 0


def graph_stats(store: Store) -> GraphStats:
    """Count everything in the store."""
    nodes = {kind.value: _count(store, statement) for kind, statement in COUNT_NODES.items()}
    members = _count(store, COUNT_MEMBERS)
    merges = [len(row["merges"]) for row in store.run(MERGES) if row["merges"]]
    edges = {rel.value: _count(store, statement) for rel, statement in COUNT_EDGES.items()}
    languages: Counter[str] = Counter()
    for row in store.run(COMPETENCE_LANGUAGES):
        languages.update({entry.partition(":")[0] for entry in row["labels"] or [] if ":" in entry})
    return GraphStats(
        backend=store.backend,
        revision=store.revision(),
        nodes=nodes,
        members=members,
        non_members=nodes[NodeKind.ORGANISATION.value] - members,
        edges=edges,
        sources=[SourceInfo(**row) for row in store.run(LIST_SOURCES)],
        merges=sum(merges),
        merged_organisations=len(merges),
        related_organisations=edges[RelType.RELATED.value],
        competence_languages=dict(sorted(languages.items())),
    )
