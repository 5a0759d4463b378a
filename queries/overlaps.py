"""Overlaps: initiatives that work on the same competence, and who could coordinate.

An *initiative* is a project (that TARGETS a competence) or a training offer (that TEACHES
it). Its organisations are the project's participants or the offer's providers. For every
competence, across all countries and per country where the initiatives are ACTIVE_IN, the
initiatives are grouped: two initiatives fall in the same group when they share an
organisation or when one of their organisations has worked with one of the other's (shared a
project). An overlap whose initiatives fall in two or more groups is *unconnected*: a
coordination opportunity between organisations that have never worked together.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

import networkx as nx
from networkx.algorithms import bipartite
from pydantic import BaseModel, Field

from graph.schema import NodeKind, RelType
from queries.projection import NodeKey, nodes_of

#: How an initiative reaches its competences and its organisations.
INITIATIVES = {
    NodeKind.PROJECT: (RelType.TARGETS, RelType.PARTICIPATES_IN),
    NodeKind.TRAINING_OFFER: (RelType.TEACHES, RelType.PROVIDES),
}


class Overlap(BaseModel):
    """Initiatives on one competence (in one country, or across all when ``country`` is None)."""

    competence: str
    country: str | None
    initiatives: list[str]
    organisations: list[str]
    unconnected: bool
    projects: list[str] = Field(description="the initiatives that are projects")
    offers: list[str] = Field(description="the initiatives that are training offers")
    groups: list[list[str]] = Field(
        description="initiatives grouped by shared organisations or past collaboration"
    )
    never_worked_together: list[tuple[str, str]] = Field(
        description="organisation pairs of different groups: they never shared a project"
    )


class OverlapReport(BaseModel):
    """All overlaps, most initiatives and organisations first."""

    overlaps: list[Overlap]


def _linked(graph: nx.MultiDiGraph, node: NodeKey, rel: RelType, *, incoming: bool) -> set[str]:
    """Ids of the nodes joined to ``node`` by ``rel`` (in the given direction)."""
    edges = graph.in_edges(node, keys=True) if incoming else graph.out_edges(node, keys=True)
    return {(src if incoming else dst)[1] for src, dst, rel_key in edges if rel_key == rel}


def collaboration_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """Organisations joined when they participate in a common project."""
    bipartite_graph = nx.Graph()
    orgs = [node for node, _ in nodes_of(graph, NodeKind.ORGANISATION)]
    bipartite_graph.add_nodes_from(orgs)
    bipartite_graph.add_edges_from(
        (src, dst) for src, dst, rel in graph.edges(keys=True) if rel == RelType.PARTICIPATES_IN
    )
    projected = bipartite.projected_graph(bipartite_graph, orgs)
    return nx.relabel_nodes(projected, {node: node[1] for node in projected})


@dataclass(frozen=True)
class _Initiative:
    id: str
    kind: NodeKind
    organisations: frozenset[str]
    countries: frozenset[str]
    competences: frozenset[str]


def _initiatives(graph: nx.MultiDiGraph) -> list[_Initiative]:
    found = []
    for kind, (on, run_by) in INITIATIVES.items():
        for node, data in nodes_of(graph, kind):
            found.append(
                _Initiative(
                    id=data["id"],
                    kind=kind,
                    organisations=frozenset(_linked(graph, node, run_by, incoming=True)),
                    countries=frozenset(_linked(graph, node, RelType.ACTIVE_IN, incoming=False)),
                    competences=frozenset(_linked(graph, node, on, incoming=False)),
                )
            )
    return found


def _groups(initiatives: list[_Initiative], collaborations: nx.Graph) -> list[list[str]]:
    """Initiatives joined by a shared organisation or by a past collaboration of theirs."""
    linked = nx.Graph()
    linked.add_nodes_from(i.id for i in initiatives)
    for a, b in combinations(initiatives, 2):
        if a.organisations & b.organisations or any(
            collaborations.has_edge(x, y) for x in a.organisations for y in b.organisations
        ):
            linked.add_edge(a.id, b.id)
    return sorted(sorted(group) for group in nx.connected_components(linked))


def _never_worked_together(
    initiatives: list[_Initiative], groups: list[list[str]]
) -> list[tuple[str, str]]:
    """Organisation pairs across groups: by construction they share no project."""
    organisations = {i.id: i.organisations for i in initiatives}
    in_group = [set().union(*(organisations[i] for i in group)) for group in groups]
    pairs = {(min(x, y), max(x, y)) for a, b in combinations(in_group, 2) for x in a for y in b}
    return sorted(pairs)


def _overlap(
    competence: str,
    country: str | None,
    initiatives: list[_Initiative],
    collaborations: nx.Graph,
) -> Overlap | None:
    organisations = sorted(set().union(*(i.organisations for i in initiatives)))
    if len(initiatives) < 2 or len(organisations) < 2:
        return None
    groups = _groups(initiatives, collaborations)
    return Overlap(
        competence=competence,
        country=country,
        initiatives=sorted(i.id for i in initiatives),
        organisations=organisations,
        unconnected=len(groups) > 1,
        projects=sorted(i.id for i in initiatives if i.kind is NodeKind.PROJECT),
        offers=sorted(i.id for i in initiatives if i.kind is NodeKind.TRAINING_OFFER),
        groups=groups,
        never_worked_together=_never_worked_together(initiatives, groups),
    )


def _rank(overlap: Overlap) -> tuple[int, int, str, str]:
    return (
        -len(overlap.initiatives),
        -len(overlap.organisations),
        overlap.competence,
        overlap.country or "",
    )


def overlaps(
    graph: nx.MultiDiGraph,
    *,
    competence: str | None = None,
    country: str | None = None,
    limit: int | None = None,
) -> OverlapReport:
    """Initiatives working on the same competence, and the unconnected ones among them.

    Parameters
    ----------
    graph
        The projection of the store.
    competence
        Only this competence id.
    country
        Only overlaps within this country; without it, overlaps across all countries
        (``country`` None) and per country are both reported.
    limit
        At most this many overlaps, after ranking.

    Returns
    -------
    OverlapReport
        Overlaps with at least 2 initiatives run by at least 2 organisations, ranked by
        number of initiatives, then of organisations, then competence and country.

    Examples
    --------
    >>> overlaps(nx.MultiDiGraph()).overlaps
    []
    """
    collaborations = collaboration_graph(graph)
    by_place: dict[tuple[str, str | None], list[_Initiative]] = defaultdict(list)
    for initiative in _initiatives(graph):
        places = [*initiative.countries, None] if country is None else [country]
        for comp in initiative.competences:
            if competence is not None and comp != competence:
                continue
            for place in places:
                if place is None or place in initiative.countries:
                    by_place[(comp, place)].append(initiative)
    found = [
        overlap
        for (comp, place), initiatives in by_place.items()
        if (overlap := _overlap(comp, place, initiatives, collaborations)) is not None
    ]
    found.sort(key=_rank)
    return OverlapReport(overlaps=found[:limit] if limit is not None else found)
