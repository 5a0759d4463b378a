"""A member's view: its projects, partners, offers, competences, recommended partners."""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from graph.errors import InputError, NotFound
from graph.schema import NodeKind
from queries.partners import PartnerReport
from viz.budget import DEFAULT_BUDGET
from viz.entities import NodeKey, entity_node, name_of, node_id
from viz.network import MAX_SIZE, LegendEntry, View, ViewBuilder
from viz.style import (
    RECOMMENDED,
)
from viz.views.common import (
    add_edges_among,
    kind_legend,
    left_out_note,
    neighbours,
)


def organisation_view(
    graph: nx.MultiDiGraph,
    organisation_id: str,
    recommendations: PartnerReport,
    *,
    depth: int = 1,
    budget: int = DEFAULT_BUDGET,
    seed: int = 7,
) -> View:
    """The ego network of one organisation and the partners :func:`queries.partners` suggests.

    Depth 1: its projects, offers, expertise, needs and raised priorities, and the
    organisations it shares a project with. Depth 2: everything two links away.
    """
    centre = (NodeKind.ORGANISATION, organisation_id)
    if centre not in graph:
        raise NotFound("organisation", organisation_id)
    if depth not in (1, 2):
        raise InputError(f"depth must be 1 or 2, not {depth}")
    if budget < 1:
        raise InputError(f"the node budget must be at least 1, not {budget}")
    distance: dict[NodeKey, int] = {centre: 0}
    frontier = {centre}
    for step in (1, 2)[:depth]:
        frontier = {n for f in frontier for n in neighbours(graph, f)} - distance.keys()
        distance.update(dict.fromkeys(frontier, step))
    partners = [(NodeKind.ORGANISATION, p) for p in recommendations.existing_partners]
    recommended = {
        (NodeKind.ORGANISATION, r.id): r
        for r in recommendations.recommendations
        if (NodeKind.ORGANISATION, r.id) in graph
    }
    for key in [*partners, *recommended]:
        distance.setdefault(key, 1)
    must = {centre, *partners, *recommended}
    degree = {k: graph.degree(k) for k in distance}
    ranked = sorted(distance, key=lambda k: (k not in must, distance[k], -degree[k], k[0], k[1]))
    shown, dropped = ranked[:budget], ranked[budget:]
    notes = []
    if dropped:
        notes.append(
            left_out_note(
                Counter(k[0] for k in dropped),
                len(shown),
                len(ranked),
                "Lower the depth to 1 or raise ?budget=.",
            )
        )
    builder = ViewBuilder()
    for key in shown:
        extra: dict[str, Any] = {"facts": [("distance", distance[key])]}
        if key == centre:
            extra.update(size=MAX_SIZE, borderWidth=4, font={"size": 18, "bold": True})
        elif key in recommended:
            rec = recommended[key]
            extra.update(
                shape="star",
                color={"background": RECOMMENDED, "border": "#7a0048"},
                facts=[
                    ("recommended, score", f"{rec.score:.2f}"),
                    *(("why", r) for r in rec.reasons),
                ],
            )
        builder.add_node(node_id(key), **entity_node(graph, key, **extra))
    add_edges_among(builder, graph, shown)
    for key, rec in recommended.items():
        if node_id(key) in builder:
            builder.add_edge(
                node_id(centre),
                node_id(key),
                rel="RECOMMENDED",
                label=f"{rec.score:.2f}",
                title="recommended partner: " + "; ".join(rec.reasons),
                color=RECOMMENDED,
                dashes=[8, 6],
                width=2,
            )
    kinds = sorted({k[0] for k in shown}, key=list(NodeKind).index)
    return builder.build(
        title=f"Organisation: {name_of(graph, centre)}",
        subtitle=f"Depth {depth}; {len(recommended)} recommended partners (dashed, pink stars)",
        legend=[
            *kind_legend(kinds),
            LegendEntry("recommended partner", RECOMMENDED, shape="star"),
            LegendEntry("recommendation (score)", RECOMMENDED, shape="dashed"),
        ],
        notes=notes,
        seed=seed,
    )


# --- 3. duplicates -------------------------------------------------------------------------
