"""The NetworkX projection of a store: the whole graph in memory, for analyses.

Nodes are keyed ``(kind, id)`` because ids are unique per kind only (the key says the
kind; a node's attributes are its properties, a priority's own ``kind`` among them). Edges
are keyed by their relationship type and carry ``rel`` and their properties. The API keeps
one projection per store revision (:class:`api.cache.RevisionCache`).
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph.schema import BOOKKEEPING_KINDS, RELATIONSHIPS, NodeKind, rel_properties
from graph.store import Store
from queries.entities import node_properties

NodeKey = tuple[NodeKind, str]

NODES = {
    kind: f"MATCH (n:`{kind}`) RETURN n AS node"
    for kind in NodeKind
    if kind not in BOOKKEEPING_KINDS
}
EDGES = {
    (rel, src, dst): (
        f"MATCH (a:`{src}`)-[e:`{rel}`]->(b:`{dst}`) RETURN a.id AS a, b.id AS b"
        + "".join(f", e.`{p}` AS `{p}`" for p in rel_properties(rel))
    )
    for rel, spec in RELATIONSHIPS.items()
    for src, dst in spec.endpoints
}


def key(kind: NodeKind, node_id: str) -> NodeKey:
    """The projection's key of a node."""
    return (kind, node_id)


def project(store: Store) -> nx.MultiDiGraph:
    """Read the whole store into a ``MultiDiGraph`` (one statement per label and per type)."""
    graph = nx.MultiDiGraph()
    graph.graph.update(revision=store.revision(), store=store.backend)
    for kind, statement in NODES.items():
        graph.add_nodes_from(
            (key(kind, props["id"]), props)
            for props in (node_properties(row["node"]) for row in store.run(statement))
        )
    for (rel, src, dst), statement in EDGES.items():
        graph.add_edges_from(
            (key(src, row.pop("a")), key(dst, row.pop("b")), rel.value, {**row, "rel": rel})
            for row in store.run(statement)
        )
    return graph


def nodes_of(graph: nx.MultiDiGraph, kind: NodeKind) -> list[tuple[NodeKey, dict[str, Any]]]:
    """The nodes of one kind with their data, ordered by id."""
    return sorted(
        ((node, data) for node, data in graph.nodes(data=True) if node[0] is kind),
        key=lambda item: item[0][1],
    )
