"""A competence view: who needs it, who teaches it where, where demand meets no supply."""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph.errors import NotFound
from graph.schema import NodeKind, RelType
from queries.gaps import GapReport
from viz.entities import NodeKey, countries_of, entity_node, name_of, node_id
from viz.network import MAX_SIZE, LegendEntry, View, ViewBuilder
from viz.style import (
    GAP,
    KIND_COLOURS,
    MUTED,
    SUPPLIED,
)
from viz.views.common import (
    SCARCE,
    add_runners,
    kind_legend,
)


def competence_view(
    graph: nx.MultiDiGraph, competence_id: str, report: GapReport, *, seed: int = 7
) -> View:
    """Who needs a competence, who teaches it where, which projects target it; gaps in red.

    ``report`` is :func:`queries.gaps.gaps` for this competence: countries with demand and
    no supply are highlighted.
    """
    centre = (NodeKind.COMPETENCE, competence_id)
    if centre not in graph:
        raise NotFound("competence", competence_id)
    # A country can have a gap of each demand source: the members' needs win the colour.
    gaps = {g.country: g for g in reversed(report.gaps) if g.competence == competence_id}
    builder = ViewBuilder()
    builder.add_node(node_id(centre), **entity_node(graph, centre, size=MAX_SIZE, borderWidth=4))
    linked: list[tuple[NodeKey, RelType]] = [
        (source, RelType(rel))
        for source, _, rel in graph.in_edges(centre, keys=True)
        if rel in (RelType.NEEDS, RelType.TEACHES, RelType.TARGETS)
    ]
    styles: dict[RelType, dict[str, Any]] = {
        RelType.NEEDS: {"color": GAP, "dashes": [6, 4], "title": "needs"},
        RelType.TEACHES: {"color": SUPPLIED, "title": "teaches"},
        RelType.TARGETS: {"color": KIND_COLOURS[NodeKind.PROJECT], "title": "targets"},
    }
    supplied: set[str] = set()
    for source, rel in sorted(linked):
        builder.add_node(node_id(source), **entity_node(graph, source))
        builder.add_edge(node_id(source), node_id(centre), rel=str(rel), width=2, **styles[rel])
        if rel is RelType.TEACHES:
            add_runners(builder, graph, source)
            supplied.update(countries_of(graph, source))
    for source, rel in sorted(linked):
        if source[0] is NodeKind.ORGANISATION and rel is not RelType.NEEDS:
            continue
        for country in countries_of(graph, source):
            place = (NodeKind.COUNTRY, country)
            if place not in graph:
                continue
            gap = gaps.get(country)
            if gap is not None and gap.supply == 0:
                colour, facts = (
                    GAP,
                    [
                        ("gap", f"demand {gap.demand}, no supply here"),
                        ("taught in", ", ".join(gap.nearest_supply) or "nowhere"),
                    ],
                )
            elif gap is not None:
                colour, facts = SCARCE, [("gap", f"demand {gap.demand}, supply {gap.supply}")]
            else:
                colour, facts = (SUPPLIED if country in supplied else MUTED), []
            builder.add_node(
                node_id(place),
                **entity_node(
                    graph,
                    place,
                    color=colour,
                    shape="square",
                    facts=facts,
                    size=22 if gap is not None and gap.supply == 0 else 14,
                    gap=gap is not None and gap.supply == 0,
                ),
            )
            builder.add_edge(node_id(source), node_id(place), rel="IN", color=MUTED, title="in")
    gap_countries = sorted(c for c, g in gaps.items() if g.supply == 0)
    return builder.build(
        title=f"Competence: {name_of(graph, centre)}",
        subtitle="Countries with demand and no supply: "
        + (", ".join(gap_countries) if gap_countries else "none"),
        legend=[
            *kind_legend(
                [
                    NodeKind.COMPETENCE,
                    NodeKind.ORGANISATION,
                    NodeKind.PROJECT,
                    NodeKind.TRAINING_OFFER,
                ]
            ),
            LegendEntry("country with demand and no supply", GAP, shape="square"),
            LegendEntry("country with too little supply", SCARCE, shape="square"),
            LegendEntry("country where it is taught", SUPPLIED, shape="square"),
            LegendEntry("needs", GAP, shape="dashed"),
            LegendEntry("teaches", SUPPLIED, shape="line"),
        ],
        seed=seed,
        size_by_degree=False,
    )


# --- 5. fragmentation ----------------------------------------------------------------------
