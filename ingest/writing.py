"""Writing one file's batch in its transaction: nodes, owned links, provenance."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from graph.schema import RELATIONSHIPS, NodeKind, RelType
from graph.store import Transaction
from ingest.linking import Batch
from ingest.reading import ParsedFile

SET_PROVENANCE = (
    "UNWIND $rows AS r MATCH (o:Organisation {id: r.id}) "
    "SET o.pic = r.pic, o.vat = r.vat, o.aliases = r.aliases, o.sources = r.sources, "
    "o.merges = r.merges"
)
DELETE_ALL_RAISED = "MATCH (:Organisation)-[e:RAISED]->(:Priority) DELETE e"


def stated_rows(batch: Batch) -> int:
    """How many node and edge rows a batch states (its write's size, for the store)."""
    return sum(map(len, batch.nodes.values())) + sum(map(len, batch.edges.values()))


def write_file(
    tx: Transaction, parsed: ParsedFile, batch: Batch, source_row: dict[str, Any]
) -> None:
    """Write one file's batch: its source, nodes, the links it owns (replaced), provenance."""
    tx.upsert_nodes(NodeKind.SOURCE, [source_row])
    plan = parsed.plan
    for kind in (NodeKind.COUNTRY, NodeKind.ORGANISATION, plan.node):
        if kind is None or kind not in batch.nodes or (plan.poll and kind is NodeKind.PRIORITY):
            continue
        rows = list({row["id"]: row for row in batch.nodes[kind]}.values())
        # Rows that state different properties (stub organisations, members) go separately.
        by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            by_shape[tuple(row)].append(row)
        for shaped in by_shape.values():
            tx.upsert_nodes(kind, shaped)
    if batch.provenance:
        for start in range(0, len(batch.provenance), 5_000):
            tx.run(SET_PROVENANCE, {"rows": batch.provenance[start : start + 5_000]})
    if plan.poll:
        tx.upsert_nodes(NodeKind.PRIORITY, batch.nodes[NodeKind.PRIORITY])
        tx.run(DELETE_ALL_RAISED)
    if plan.node is not None:
        ids = parsed.owned_ids or [r.id for r in parsed.records if r.subject is None]
        for rel in sorted(plan.owns):
            _delete_owned(tx, plan.node, rel, ids, batch)
    for (rel, src, dst), rows in batch.edges.items():
        unique: dict[tuple[str, str], dict[str, Any]] = {}
        for row in rows:  # the first statement of a link wins (a coordinator stays one)
            unique.setdefault((row["a"], row["b"]), row)
        tx.upsert_edges(rel, src, dst, list(unique.values()))


def _delete_owned(
    tx: Transaction, node: NodeKind, rel: RelType, ids: Sequence[str], batch: Batch
) -> None:
    """Remove the ``rel`` edges of the file's nodes that it does not state, so it states them
    in full; those it states again stay, for the upsert to find them unchanged."""
    for src, dst in RELATIONSHIPS[rel].endpoints:
        if node not in (src, dst):
            continue
        from_source = src is node
        keep: dict[str, list[str]] = defaultdict(list)
        for row in batch.edges.get((rel, src, dst), ()):
            owner, other = (row["a"], row["b"]) if from_source else (row["b"], row["a"])
            keep[owner].append(other)
        tx.delete_edges(rel, src, dst, ids, from_source=from_source, keep=keep)
