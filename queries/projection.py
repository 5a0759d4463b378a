"""The NetworkX projection of a store: the whole graph in memory, for analyses.

Nodes are keyed ``(kind, id)`` because ids are unique per kind only (the key says the
kind; a node's attributes are its properties, a priority's own ``kind`` among them). Edges
are keyed by their relationship type and carry ``rel`` and their properties. The API keeps
one projection per store revision (:class:`api.cache.RevisionCache`). An ESCO skill linked to
one of the partnership's competences is folded into it (:mod:`queries.concepts`), so that every
analysis sees one node per concept.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import repeat
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


class Shared(dict[str, Any]):
    """A dict many edges hold, so read-only: the attributes, or the one key, of their edges.

    Most edges carry only ``{"rel": type}`` under one key, the type: a key dict and a data
    dict per edge were two fifths of the projection. Edges of a type without properties
    share one data dict, and, between two nodes joined by that type only, one key dict.
    Writing to a shared dict would change every such edge, so it refuses writes
    (``TypeError``); :class:`Projection`'s ``add_edge`` and ``remove_edge`` first give the
    edge dicts of its own, and ``copy`` and ``subgraph`` copy as always.
    """

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("this dict is shared by many edges of the projection: add the edge anew")

    __setitem__ = __delitem__ = __ior__ = _refuse
    setdefault = pop = popitem = clear = _refuse

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Refuse any change (an empty update, as ``add_edge`` makes, is no change)."""
        if (args and args[0]) or kwargs:
            self._refuse()

    def __reduce__(self) -> tuple[type[Shared], tuple[dict[str, Any]]]:
        return (type(self), (dict(self),))


class Projection(nx.MultiDiGraph):
    """The projection's ``MultiDiGraph``: edges added or removed get dicts of their own.

    Every other method is ``MultiDiGraph``'s; see :class:`Shared` for why this is needed.
    """

    def _own(self, u: Any, v: Any, key: Any) -> None:
        """Replace the shared dicts of the edges from ``u`` to ``v`` by copies."""
        keydict = self._succ.get(u, {}).get(v)
        if keydict is None:
            return
        if type(keydict) is Shared:
            keydict = self._succ[u][v] = self._pred[v][u] = dict(keydict)
        if type(keydict.get(key)) is Shared:
            keydict[key] = dict(keydict[key])

    def add_edge(self, u_for_edge: Any, v_for_edge: Any, key: Any = None, **attr: Any) -> Any:
        """See ``networkx.MultiDiGraph.add_edge``."""
        self._own(u_for_edge, v_for_edge, key)
        return super().add_edge(u_for_edge, v_for_edge, key, **attr)

    def remove_edge(self, u: Any, v: Any, key: Any = None) -> None:
        """See ``networkx.MultiDiGraph.remove_edge``."""
        self._own(u, v, key)
        super().remove_edge(u, v, key)


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
    Every node's key is one tuple wherever it appears (in the node, successor and
    predecessor dicts), repeated property values are one object, and the edges of a type
    without properties share their dicts (:class:`Shared`, :class:`Projection`).
    """
    with collector_paused():
        return _build(store)


class _Keys:
    """One key tuple per node, looked up by kind and id."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.graph = graph
        self.by_kind: dict[NodeKind, dict[str, NodeKey]] = {kind: {} for kind in NodeKind}

    def add(self, kind: NodeKind, props: dict[str, Any]) -> None:
        """Add a node with its properties."""
        node = self.by_kind[kind][props["id"]] = (kind, props["id"])
        self.graph._node[node] = props
        self.graph._succ[node] = {}
        self.graph._pred[node] = {}

    def _node(self, kind: NodeKind, node_id: str) -> NodeKey:
        """The key of a node, the node added (without properties) if it is not there."""
        node = self.by_kind[kind].get(node_id)
        if node is None:
            node = self.by_kind[kind][node_id] = key(kind, node_id)
            self.graph.add_node(node)
        return node

    def ends(
        self, src: NodeKind, a: list[str], dst: NodeKind, b: list[str]
    ) -> tuple[list[NodeKey], list[NodeKey]]:
        """The keys of edges' sources ``a`` and targets ``b``; missing nodes added in edge order."""
        sources = [self.by_kind[src].get(node_id) for node_id in a]
        targets = [self.by_kind[dst].get(node_id) for node_id in b]
        if None in sources or None in targets:
            for i, (a_id, b_id) in enumerate(zip(a, b, strict=True)):
                sources[i], targets[i] = self._node(src, a_id), self._node(dst, b_id)
        return sources, targets  # type: ignore[return-value]


def _build(store: Store) -> nx.MultiDiGraph:
    graph = Projection()
    graph.graph.update(revision=store.revision(), store=store.backend)
    keys = _Keys(graph)
    for kind, statement in NODES.items():
        for props in _rows(read_columns(store, statement)):
            keys.add(kind, props)
    succ, pred = graph._succ, graph._pred
    for (rel, src, dst), statement in EDGES.items():
        columns = read_columns(store, statement)
        if not columns:
            continue
        sources, targets = keys.ends(src, columns.pop("a"), dst, columns.pop("b"))
        name = rel.value
        shared = Shared(rel=rel)
        only = Shared({name: shared})
        attrs: Iterable[dict[str, Any]] = (
            [{**row, "rel": rel} for row in _rows(columns)]
            if columns
            else repeat(shared, len(sources))
        )
        for a, b, data in zip(sources, targets, attrs, strict=True):
            between = succ[a].get(b)
            if between is None:
                succ[a][b] = pred[b][a] = only if data is shared else {name: data}
            elif name not in between:
                if type(between) is Shared:
                    between = succ[a][b] = pred[b][a] = dict(between)
                between[name] = data
            elif data is not shared:
                between[name].update(data)
        del columns, sources, targets
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
    # Only nodes of a kind the types start from have such edges. Reading the adjacency
    # rather than through ``edges()`` gives the same order in less time.
    kinds = {src for rel in rels for src, _ in RELATIONSHIPS[rel].endpoints}
    for source, neighbours in graph.adjacency():
        if source[0] not in kinds:
            continue
        for target, keydict in neighbours.items():
            for rel in keydict:
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
