"""A query's results drawn as a graph: the entities its rows name, and the links among them.

A cell names an entity when it is a node (a map with an ``id``) or an id string of an
entity in the projection; ids are looked up kind by kind, in the ecosystem's order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from viz.budget import DEFAULT_BUDGET
from viz.entities import NodeKey, entity_node, node_id
from viz.network import View, ViewBuilder
from viz.views.common import ECOSYSTEM_KINDS, add_edges_among, kind_legend


def _values(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        if isinstance(value.get("id"), str):
            yield value["id"]
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _values(item)


def result_keys(graph: nx.MultiDiGraph, rows: Iterable[Mapping[str, Any]]) -> list[NodeKey]:
    """The entities the rows name, in the order they first appear."""
    found: dict[NodeKey, None] = {}
    for row in rows:
        for cell in row.values():
            for text in _values(cell):
                key = next(((k, text) for k in ECOSYSTEM_KINDS if (k, text) in graph), None)
                if key is not None:
                    found.setdefault(key)
    return list(found)


def results_view(
    graph: nx.MultiDiGraph, rows: Iterable[Mapping[str, Any]], *, budget: int = DEFAULT_BUDGET
) -> View:
    """The entities named by the rows (the first ``budget``) and every link among them."""
    keys = result_keys(graph, rows)
    shown = keys[:budget]
    builder = ViewBuilder()
    for key in shown:
        builder.add_node(node_id(key), **entity_node(graph, key))
    add_edges_among(builder, graph, shown)
    notes = (
        [f"Showing the first {budget:,} of {len(keys):,} entities."] if len(keys) > budget else []
    )
    kinds = [k for k in ECOSYSTEM_KINDS if any(key[0] is k for key in shown)]
    return builder.build(title="Query results as a graph", legend=kind_legend(kinds), notes=notes)
