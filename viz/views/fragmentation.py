"""The fragmentation view: the collaboration network by community, brokers, isolated members."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx

from graph.schema import NodeKind
from queries.fragmentation import FragmentationReport, collaboration_network
from viz.entities import entity_node, node_id
from viz.network import LegendEntry, View, ViewBuilder
from viz.style import (
    COMMUNITY_COLOURS,
    EDGE_COLOUR,
    MUTED,
)


def fragmentation_view(
    graph: nx.MultiDiGraph, report: FragmentationReport, *, seed: int = 7
) -> View:
    """The collaboration network coloured by community; brokers large; isolated members apart."""
    network = collaboration_network(graph)
    community = {org: n for n, members in enumerate(report.communities) for org in members}
    brokers = {b.id: b for b in report.brokers}
    isolated = set(report.isolated_members)
    top = max((b.betweenness for b in brokers.values()), default=0.0)
    builder = ViewBuilder()
    for org in sorted(network.nodes):
        key = (NodeKind.ORGANISATION, org)
        if key not in graph:
            continue
        number = community.get(org)
        colour = COMMUNITY_COLOURS[number % len(COMMUNITY_COLOURS)] if number is not None else MUTED
        facts: list[tuple[str, object]] = [
            ("community", number + 1 if number is not None else "none"),
            ("collaborators", network.degree(org)),
        ]
        extra: dict[str, Any] = {
            "color": {"background": colour, "border": "#333333"},
            "community": number,
            "size": 10,
        }
        if org in brokers:
            broker = brokers[org]
            facts += [
                ("broker, betweenness", f"{broker.betweenness:.3f}"),
                ("only link between groups", broker.cut_vertex),
            ]
            extra.update(
                size=round(14 + 16 * math.sqrt(broker.betweenness / top), 1) if top else 14,
                borderWidth=3,
                shape="diamond",
                color={"background": colour, "border": "#000000"},
                broker=True,
            )
        if org in isolated:
            facts.append(("isolated", "in no project"))
            extra.update(color={"background": MUTED, "border": "#666666"}, isolated=True)
        builder.add_node(node_id(key), **entity_node(graph, key, facts=facts, **extra))
    for a, b, weight in sorted(network.edges(data="weight", default=1)):
        builder.add_edge(
            node_id((NodeKind.ORGANISATION, a)),
            node_id((NodeKind.ORGANISATION, b)),
            rel="COLLABORATES",
            width=round(1 + math.log2(weight), 2),
            color=EDGE_COLOUR,
            title=f"{weight} shared project{'s' if weight != 1 else ''}",
        )
    builder.set_apart(sorted(node_id((NodeKind.ORGANISATION, o)) for o in isolated))
    notes = []
    if isolated:
        notes.append(f"{len(isolated)} members in no project are shown apart, on the right.")
    return builder.build(
        title="Fragmentation",
        subtitle=f"Fragmentation index {report.fragmentation_index:.2f}: {report.components} "
        f"separate groups, {len(report.communities)} communities, modularity "
        f"{report.modularity:.2f}",
        legend=[
            *(
                LegendEntry(f"community {n + 1}", COMMUNITY_COLOURS[n % len(COMMUNITY_COLOURS)])
                for n in range(len(report.communities))
            ),
            LegendEntry("broker (high betweenness)", "#000000", shape="diamond"),
            LegendEntry("isolated member / no community", MUTED),
        ],
        notes=notes,
        seed=seed,
        size_by_degree=False,
    )
