"""The duplicates view: clusters of near-identical initiatives and recognition candidates."""

from __future__ import annotations

import networkx as nx

from graph.schema import NodeKind
from queries.duplicates import DuplicateReport
from viz.entities import entity_node, node_id
from viz.network import LegendEntry, View, ViewBuilder
from viz.style import (
    DUPLICATE,
    KIND_COLOURS,
    RECOGNITION,
)
from viz.views.common import (
    add_runners,
    kind_legend,
)

_ITEM_KIND = {"project": NodeKind.PROJECT, "training_offer": NodeKind.TRAINING_OFFER}


def duplicates_view(graph: nx.MultiDiGraph, report: DuplicateReport, *, seed: int = 7) -> View:
    """Each duplicate cluster with its initiatives and their organisations; pairs by score.

    Recognition candidates (the same competences at the same EQF level in several
    countries) are drawn in their own colour.
    """
    builder = ViewBuilder()
    for number, cluster in enumerate(report.clusters, start=1):
        kind = _ITEM_KIND[cluster.kind]
        for item in cluster.ids:
            key = (kind, item)
            if key in graph:
                facts = [("duplicate cluster", number), ("cluster score", f"{cluster.score:.2f}")]
                builder.add_node(
                    node_id(key),
                    **entity_node(
                        graph,
                        key,
                        facts=facts,
                        borderWidth=3,
                        color={"background": KIND_COLOURS[kind], "border": DUPLICATE},
                    ),
                )
                add_runners(builder, graph, key)
        for pair in cluster.pairs:
            shared = ", ".join(pair.evidence.shared_competences) or "none"
            builder.add_edge(
                node_id((kind, pair.a)),
                node_id((kind, pair.b)),
                rel="DUPLICATE",
                label=f"{pair.score:.2f}",
                color=DUPLICATE,
                width=3,
                title=f"duplicate score {pair.score:.2f}; shared competences: {shared}",
            )
    for number, candidate in enumerate(report.recognition_candidates, start=1):
        for item in candidate.ids:
            key = (NodeKind.TRAINING_OFFER, item)
            if key in graph:
                facts = [("recognition candidate", number), ("EQF", candidate.eqf_level)]
                builder.add_node(
                    node_id(key),
                    **entity_node(
                        graph,
                        key,
                        facts=facts,
                        color={"background": RECOGNITION, "border": "#3d1f60"},
                    ),
                )
                add_runners(builder, graph, key)
        for rec_pair in candidate.pairs:
            builder.add_edge(
                node_id((NodeKind.TRAINING_OFFER, rec_pair.a)),
                node_id((NodeKind.TRAINING_OFFER, rec_pair.b)),
                rel="RECOGNITION",
                label=f"{rec_pair.text:.2f}",
                color=RECOGNITION,
                dashes=True,
                width=2,
                title=f"recognition candidate, text similarity {rec_pair.text:.2f}",
            )
    notes = [] if len(builder) else [f"No duplicates scoring at least {report.min_score}."]
    return builder.build(
        title="Duplicated efforts",
        subtitle=f"{len(report.clusters)} clusters (pairs scoring at least {report.min_score}), "
        f"{len(report.recognition_candidates)} recognition candidates",
        legend=[
            LegendEntry("project in a duplicate cluster", KIND_COLOURS[NodeKind.PROJECT]),
            LegendEntry("offer in a duplicate cluster", KIND_COLOURS[NodeKind.TRAINING_OFFER]),
            LegendEntry("duplicate pair (score)", DUPLICATE, shape="line"),
            LegendEntry("recognition candidate offer", RECOGNITION),
            LegendEntry("recognition pair (text similarity)", RECOGNITION, shape="dashed"),
            *kind_legend([NodeKind.ORGANISATION]),
        ],
        notes=notes,
        seed=seed,
    )


# --- 4. competence -------------------------------------------------------------------------
