"""What the views share: the node budget, sizes, legends, notes."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

import networkx as nx

from graph.schema import NodeKind, RelType
from viz.entities import NodeKey, entity_node, node_id
from viz.network import MAX_SIZE, MIN_SIZE, LegendEntry, ViewBuilder
from viz.style import (
    EDGE_COLOUR,
    KIND_COLOURS,
    KIND_LABELS,
    KIND_PLURALS,
)

#: The kinds the ecosystem view draws (countries are a filter, not nodes, there).
ECOSYSTEM_KINDS = (
    NodeKind.ORGANISATION,
    NodeKind.PROJECT,
    NodeKind.TRAINING_OFFER,
    NodeKind.COMPETENCE,
    NodeKind.PRIORITY,
)
#: Relationships to a country are drawn only in the competence view.
PLACE_RELS = {RelType.LOCATED_IN, RelType.ACTIVE_IN}
#: Colour of a country where a competence is taught, but less than it is needed.
SCARCE = "#F0A500"


def kind_legend(kinds: Iterable[NodeKind]) -> list[LegendEntry]:
    """Legend entries for the kinds drawn (organisations as members and non-members)."""
    entries = []
    for kind in kinds:
        entries.append(LegendEntry(KIND_LABELS[kind], KIND_COLOURS[kind]))
        if kind is NodeKind.ORGANISATION:
            entries[-1] = LegendEntry("member organisation", KIND_COLOURS[kind])
            entries.append(LegendEntry("non-member organisation", KIND_COLOURS[kind], hollow=True))
    return entries


def neighbours(graph: nx.MultiDiGraph, key: NodeKey) -> set[NodeKey]:
    """Linked nodes in either direction, countries left out."""
    found = set(graph.successors(key)) | set(graph.predecessors(key))
    return {n for n in found if n[0] is not NodeKind.COUNTRY}


def add_edges_among(builder: ViewBuilder, graph: nx.MultiDiGraph, keys: Iterable[NodeKey]) -> None:
    """Every relationship (except to countries) between nodes already in the view."""
    for key in sorted(keys):
        for _, target, rel in graph.out_edges(key, keys=True):
            if rel not in PLACE_RELS and node_id(target) in builder:
                builder.add_edge(
                    node_id(key), node_id(target), rel=str(rel), title=str(rel), color=EDGE_COLOUR
                )


def size(value: float, top: float) -> float:
    """A node size between the smallest and the largest, by the square root of its share of the top."""
    share = math.sqrt(value / top) if top > 0 else 0.0
    return round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * share, 1)


def left_out_note(left_out: Counter[NodeKind], shown: int, total: int, narrow: str) -> str:
    """The sentence that says what a view left out, per kind, and how to narrow it."""
    parts = ", ".join(
        f"{count:,} {KIND_LABELS[kind] if count == 1 else KIND_PLURALS[kind]}"
        for kind, count in sorted(left_out.items(), key=lambda item: (-item[1], item[0]))
    )
    return (
        f"Showing the {shown:,} most connected of {total:,} nodes (node budget {shown:,}). "
        f"Left out: {parts}. {narrow}"
    )


# --- 1. ecosystem --------------------------------------------------------------------------


RUNS = {NodeKind.PROJECT: RelType.PARTICIPATES_IN, NodeKind.TRAINING_OFFER: RelType.PROVIDES}


def add_runners(builder: ViewBuilder, graph: nx.MultiDiGraph, item: NodeKey) -> None:
    """Draw the organisations that run a project or an offer, linked to it."""
    for org, _, rel in graph.in_edges(item, keys=True):
        if rel == RUNS[item[0]] and org[0] is NodeKind.ORGANISATION:
            builder.add_node(node_id(org), **entity_node(graph, org))
            builder.add_edge(
                node_id(org), node_id(item), rel=str(rel), title=str(rel), color=EDGE_COLOUR
            )
