"""The ecosystem view: every kind, sized by centrality, within a node budget."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

import networkx as nx

from graph.errors import InputError
from graph.schema import NodeKind
from viz.budget import DEFAULT_BUDGET
from viz.entities import NodeKey, countries_of, entity_node, node_id
from viz.network import View, ViewBuilder
from viz.style import (
    KIND_LABELS,
)
from viz.views.common import (
    ECOSYSTEM_KINDS,
    add_edges_among,
    kind_legend,
    left_out_note,
    neighbours,
    size,
)


def ecosystem_view(
    graph: nx.MultiDiGraph,
    *,
    budget: int = DEFAULT_BUDGET,
    countries: Collection[str] = (),
    kinds: Collection[NodeKind] = (),
    org_types: Collection[str] = (),
    seed: int = 7,
) -> View:
    """Organisations, projects, offers, competences and priorities, sized by degree centrality.

    ``countries``, ``kinds`` and ``org_types`` narrow the view before the budget applies;
    beyond ``budget`` nodes only the most central ones (highest degree, ties by id) are drawn
    and the view's notes say what was left out and how to narrow it.
    """
    if budget < 1:
        raise InputError(f"the node budget must be at least 1, not {budget}")
    wanted = set(kinds) or set(ECOSYSTEM_KINDS)
    wanted &= set(ECOSYSTEM_KINDS)
    places = {c.upper() for c in countries}
    selected: set[NodeKey] = set()
    for key, data in graph.nodes(data=True):
        kind = key[0]
        if kind not in wanted:
            continue
        if kind is NodeKind.ORGANISATION and org_types and data.get("type") not in org_types:
            continue
        if (
            kind in (NodeKind.COMPETENCE, NodeKind.PRIORITY)
            or not places
            or places.intersection(countries_of(graph, key))
        ):
            selected.add(key)
    degree = {key: len(neighbours(graph, key) & selected) for key in selected}
    if places or org_types:  # competences and priorities only where something selected links
        selected = {
            k
            for k in selected
            if k[0] not in (NodeKind.COMPETENCE, NodeKind.PRIORITY) or degree[k] > 0
        }
    ranked = sorted(selected, key=lambda k: (-degree[k], k[0].value, k[1]))
    shown, dropped = ranked[:budget], ranked[budget:]
    notes = []
    if dropped:
        narrow = (
            "Narrow it with ?country=DE, ?kind=Organisation or ?type=oem (several allowed), "
            "or raise ?budget= (skillgraph viz: --country, --kind, --type, --budget)."
        )
        notes.append(left_out_note(Counter(k[0] for k in dropped), len(shown), len(ranked), narrow))
    top = max((degree[k] for k in shown), default=0)
    builder = ViewBuilder()
    for key in shown:
        builder.add_node(
            node_id(key),
            **entity_node(graph, key, size=size(degree[key], top), facts=[("links", degree[key])]),
        )
    add_edges_among(builder, graph, shown)
    narrowed = ", ".join(
        part
        for part in (
            "countries " + ", ".join(sorted(places)) if places else "",
            "kinds " + ", ".join(sorted(KIND_LABELS[k] for k in wanted)) if kinds else "",
            "types " + ", ".join(sorted(org_types)) if org_types else "",
        )
        if part
    )
    return builder.build(
        title="Ecosystem",
        subtitle="Sized by the number of links (degree centrality)"
        + (f"; narrowed to {narrowed}" if narrowed else ""),
        legend=kind_legend(k for k in ECOSYSTEM_KINDS if k in wanted),
        notes=notes,
        seed=seed,
        size_by_degree=False,
    )


# --- 2. organisation -----------------------------------------------------------------------
