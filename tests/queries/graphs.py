"""Building small named graphs with planted answers in a real store, then projecting them."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from graph.schema import NodeKind, RelType
from graph.store import Store
from queries.projection import project

ORG, PROJ, OFFER, COMP, PRIO, COUNTRY = (
    NodeKind.ORGANISATION,
    NodeKind.PROJECT,
    NodeKind.TRAINING_OFFER,
    NodeKind.COMPETENCE,
    NodeKind.PRIORITY,
    NodeKind.COUNTRY,
)

Edge = tuple[RelType, NodeKind, NodeKind, str, str, dict[str, Any]]


def edge(rel: RelType, src: NodeKind, dst: NodeKind, a: str, b: str, **props: Any) -> Edge:
    """One edge of a test graph."""
    return (rel, src, dst, a, b, props)


def build(
    store: Store, nodes: dict[NodeKind, list[dict[str, Any]]], edges: list[Edge]
) -> nx.MultiDiGraph:
    """Write the nodes and edges in one transaction and return the projection.

    Rows of one kind may carry different properties; each row gets a fingerprint.
    """
    with store.transaction() as tx:
        for kind, rows in nodes.items():
            by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
            for row in rows:
                full = {**row, "fingerprint": "test"}
                by_shape[tuple(sorted(full))].append(full)
            for shaped in by_shape.values():
                tx.upsert_nodes(kind, shaped)
        grouped: dict[tuple[RelType, NodeKind, NodeKind, tuple[str, ...]], list[dict[str, Any]]] = (
            defaultdict(list)
        )
        for rel, src, dst, a, b, props in edges:
            grouped[(rel, src, dst, tuple(sorted(props)))].append({"a": a, "b": b, **props})
        for (rel, src, dst, _), rows in grouped.items():
            tx.upsert_edges(rel, src, dst, rows)
    return project(store)
