"""The NetworkX projection of a store: the whole graph in memory, for analyses.

Nodes are keyed ``(kind, id)`` because ids are unique per kind only (the key says the
kind; a node's attributes are its properties, a priority's own ``kind`` among them). Edges
are keyed by their relationship type and carry ``rel`` and their properties. The API keeps
one projection per store revision (:class:`api.cache.RevisionCache`). An ESCO skill linked to
one of the partnership's competences is folded into it (:mod:`queries.concepts`), so that every
analysis sees one node per concept.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import networkx as nx

from graph.collector import collector_paused
from graph.columns import read_columns
from graph.schema import (
    BOOKKEEPING_KINDS,
    FINGERPRINT,
    RELATIONSHIPS,
    NodeKind,
    RelType,
    node_properties,
    rel_properties,
)
from graph.store import Store
from queries.concepts import merge_linked_competences

NodeKey = tuple[NodeKind, str]

NODES = {
    kind: f"MATCH (n:`{kind}`) RETURN "
    + ", ".join(f"n.`{p}` AS `{p}`" for p in node_properties(kind) if p != FINGERPRINT)
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


def _rows(columns: dict[str, list[Any]]) -> Iterator[dict[str, Any]]:
    """The rows of a column-wise result, unset (null) values left out."""
    names = list(columns)
    for values in zip(*columns.values(), strict=True):
        yield {name: value for name, value in zip(names, values, strict=True) if value is not None}


def project(store: Store) -> nx.MultiDiGraph:
    """Read the whole store into a ``MultiDiGraph`` (one statement per label and per type).

    Results are read column-wise and the adjacency is filled directly rather than edge by
    edge through ``add_edges_from`` (whose per-edge checks took most of the time on large
    graphs); the graph is the same as that of ``add_nodes_from`` and ``add_edges_from``.
    """
    with collector_paused():
        return _build(store)


def _build(store: Store) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.graph.update(revision=store.revision(), store=store.backend)
    nodes, succ, pred = graph._node, graph._succ, graph._pred
    for kind, statement in NODES.items():
        for props in _rows(read_columns(store, statement)):
            node = key(kind, props["id"])
            nodes[node] = props
            succ[node] = {}
            pred[node] = {}
    for (rel, src, dst), statement in EDGES.items():
        for row in _rows(read_columns(store, statement)):
            a, b = key(src, row.pop("a")), key(dst, row.pop("b"))
            if a not in nodes or b not in nodes:
                graph.add_nodes_from((a, b))
            keys = succ[a].get(b)
            if keys is None:
                keys = succ[a][b] = pred[b][a] = {}
            keys.setdefault(rel.value, {}).update(row, rel=rel)
    nx._clear_cache(graph)
    return merge_linked_competences(graph)


def linked_ids(
    graph: nx.MultiDiGraph, rels: dict[RelType, bool]
) -> dict[RelType, dict[NodeKey, set[str]]]:
    """Per relationship type, each node's linked ids, in one pass over the edges.

    ``rels`` maps a type to ``incoming``: True keys the sets by the edges' targets (holding
    source ids), False by their sources (holding target ids).
    """
    found: dict[RelType, dict[NodeKey, set[str]]] = {rel: {} for rel in rels}
    for source, target, rel in graph.edges(keys=True):
        incoming = rels.get(rel)
        if incoming is None:
            continue
        node, other = (target, source) if incoming else (source, target)
        found[rel].setdefault(node, set()).add(other[1])
    return found


def nodes_of(graph: nx.MultiDiGraph, kind: NodeKind) -> list[tuple[NodeKey, dict[str, Any]]]:
    """The nodes of one kind with their data, ordered by id."""
    return sorted(
        ((node, data) for node, data in graph.nodes(data=True) if node[0] is kind),
        key=lambda item: item[0][1],
    )
