"""The five views, each drawn from the projection and the analysis report it shows.

Every function is pure: it takes the NetworkX projection (:func:`queries.projection.project`)
and, where a view shows an analysis, that analysis's report, and returns a
:class:`viz.network.View` (nodes and edges with fixed positions). Nothing here reads the
store, the environment or prints.

Example
-------
>>> view = ecosystem_view(project(store), budget=500)  # doctest: +SKIP
>>> render_page(view, assets="inline")  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable
from typing import Any

import networkx as nx

from graph.errors import InputError, NotFound
from graph.schema import NodeKind, RelType
from queries.duplicates import DuplicateReport
from queries.fragmentation import FragmentationReport, collaboration_network
from queries.gaps import GapReport
from queries.partners import PartnerReport
from viz.entities import NodeKey, countries_of, entity_node, name_of, node_id
from viz.network import MAX_SIZE, MIN_SIZE, LegendEntry, View, ViewBuilder
from viz.style import (
    COMMUNITY_COLOURS,
    DUPLICATE,
    EDGE_COLOUR,
    GAP,
    KIND_COLOURS,
    KIND_LABELS,
    KIND_PLURALS,
    MUTED,
    RECOGNITION,
    RECOMMENDED,
    SUPPLIED,
)

#: Nodes a view shows at most unless told otherwise (vis-network stays fluid below this).
DEFAULT_BUDGET = 1500
#: The kinds the ecosystem view draws (countries are a filter, not nodes, there).
ECOSYSTEM_KINDS = (
    NodeKind.ORGANISATION,
    NodeKind.PROJECT,
    NodeKind.TRAINING_OFFER,
    NodeKind.COMPETENCE,
    NodeKind.PRIORITY,
)
#: Relationships to a country are drawn only in the competence view.
_PLACE_RELS = {RelType.LOCATED_IN, RelType.ACTIVE_IN}
_SCARCE = "#F0A500"


def _kind_legend(kinds: Iterable[NodeKind]) -> list[LegendEntry]:
    entries = []
    for kind in kinds:
        entries.append(LegendEntry(KIND_LABELS[kind], KIND_COLOURS[kind]))
        if kind is NodeKind.ORGANISATION:
            entries[-1] = LegendEntry("member organisation", KIND_COLOURS[kind])
            entries.append(LegendEntry("non-member organisation", KIND_COLOURS[kind], hollow=True))
    return entries


def _neighbours(graph: nx.MultiDiGraph, key: NodeKey) -> set[NodeKey]:
    """Linked nodes in either direction, countries left out."""
    found = set(graph.successors(key)) | set(graph.predecessors(key))
    return {n for n in found if n[0] is not NodeKind.COUNTRY}


def _add_edges_among(builder: ViewBuilder, graph: nx.MultiDiGraph, keys: Iterable[NodeKey]) -> None:
    """Every relationship (except to countries) between nodes already in the view."""
    for key in sorted(keys):
        for _, target, rel in graph.out_edges(key, keys=True):
            if rel not in _PLACE_RELS and node_id(target) in builder:
                builder.add_edge(
                    node_id(key), node_id(target), rel=str(rel), title=str(rel), color=EDGE_COLOUR
                )


def _size(value: float, top: float) -> float:
    share = math.sqrt(value / top) if top > 0 else 0.0
    return round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * share, 1)


def _left_out_note(left_out: Counter[NodeKind], shown: int, total: int, narrow: str) -> str:
    parts = ", ".join(
        f"{count:,} {KIND_LABELS[kind] if count == 1 else KIND_PLURALS[kind]}"
        for kind, count in sorted(left_out.items(), key=lambda item: (-item[1], item[0]))
    )
    return (
        f"Showing the {shown:,} most connected of {total:,} nodes (node budget {shown:,}). "
        f"Left out: {parts}. {narrow}"
    )


# --- 1. ecosystem --------------------------------------------------------------------------


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
    degree = {key: len(_neighbours(graph, key) & selected) for key in selected}
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
        notes.append(
            _left_out_note(Counter(k[0] for k in dropped), len(shown), len(ranked), narrow)
        )
    top = max((degree[k] for k in shown), default=0)
    builder = ViewBuilder()
    for key in shown:
        builder.add_node(
            node_id(key),
            **entity_node(graph, key, size=_size(degree[key], top), facts=[("links", degree[key])]),
        )
    _add_edges_among(builder, graph, shown)
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
        legend=_kind_legend(k for k in ECOSYSTEM_KINDS if k in wanted),
        notes=notes,
        seed=seed,
        size_by_degree=False,
    )


# --- 2. organisation -----------------------------------------------------------------------


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
        frontier = {n for f in frontier for n in _neighbours(graph, f)} - distance.keys()
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
            _left_out_note(
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
    _add_edges_among(builder, graph, shown)
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
            *_kind_legend(kinds),
            LegendEntry("recommended partner", RECOMMENDED, shape="star"),
            LegendEntry("recommendation (score)", RECOMMENDED, shape="dashed"),
        ],
        notes=notes,
        seed=seed,
    )


# --- 3. duplicates -------------------------------------------------------------------------

_RUNS = {NodeKind.PROJECT: RelType.PARTICIPATES_IN, NodeKind.TRAINING_OFFER: RelType.PROVIDES}
_ITEM_KIND = {"project": NodeKind.PROJECT, "training_offer": NodeKind.TRAINING_OFFER}


def _add_runners(builder: ViewBuilder, graph: nx.MultiDiGraph, item: NodeKey) -> None:
    for org, _, rel in graph.in_edges(item, keys=True):
        if rel == _RUNS[item[0]] and org[0] is NodeKind.ORGANISATION:
            builder.add_node(node_id(org), **entity_node(graph, org))
            builder.add_edge(
                node_id(org), node_id(item), rel=str(rel), title=str(rel), color=EDGE_COLOUR
            )


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
                _add_runners(builder, graph, key)
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
                _add_runners(builder, graph, key)
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
            *_kind_legend([NodeKind.ORGANISATION]),
        ],
        notes=notes,
        seed=seed,
    )


# --- 4. competence -------------------------------------------------------------------------


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
    gaps = {g.country: g for g in report.gaps if g.competence == competence_id}
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
            _add_runners(builder, graph, source)
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
                colour, facts = _SCARCE, [("gap", f"demand {gap.demand}, supply {gap.supply}")]
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
            *_kind_legend(
                [
                    NodeKind.COMPETENCE,
                    NodeKind.ORGANISATION,
                    NodeKind.PROJECT,
                    NodeKind.TRAINING_OFFER,
                ]
            ),
            LegendEntry("country with demand and no supply", GAP, shape="square"),
            LegendEntry("country with too little supply", _SCARCE, shape="square"),
            LegendEntry("country where it is taught", SUPPLIED, shape="square"),
            LegendEntry("needs", GAP, shape="dashed"),
            LegendEntry("teaches", SUPPLIED, shape="line"),
        ],
        seed=seed,
        size_by_degree=False,
    )


# --- 5. fragmentation ----------------------------------------------------------------------


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
