"""Overlaps: initiatives that work on the same competence, and who could coordinate.

An *initiative* is a project (that TARGETS a competence) or a training offer (that TEACHES
it). Its organisations are the project's participants or the offer's providers. For every
competence, across all countries and per country where the initiatives are ACTIVE_IN, the
initiatives are grouped: two initiatives fall in the same group when they share an
organisation or when one of their organisations has worked with one of the other's (shared a
project). An overlap whose initiatives fall in two or more groups is *unconnected*: a
coordination opportunity between organisations that have never worked together. An
overlap names at most :data:`ORGANISATIONS_NAMED` of its organisations (one from each group
first, the most active first) and counts the rest.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import chain, combinations, pairwise, zip_longest

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


#: At most this many organisation pairs are listed as evidence per overlap (all are counted).
PAIRS_LISTED = 50
#: At most this many organisations are named per overlap (all are counted): a handful a
#: coordinator can call (docs/analyses/overlaps-gaps-priorities.md).
ORGANISATIONS_NAMED = 5


class Overlap(BaseModel):
    """Initiatives on one competence (in one country, or across all when ``country`` is None)."""

    competence: str
    country: str | None
    initiatives: list[str]
    organisations: list[str] = Field(
        description=f"at most {ORGANISATIONS_NAMED} organisations to bring together: the most "
        "active one of each group first, then the next most active; sorted by id"
    )
    organisations_count: int = Field(description="how many organisations run the initiatives")
    unconnected: bool
    projects: list[str] = Field(description="the initiatives that are projects")
    offers: list[str] = Field(description="the initiatives that are training offers")
    groups: list[list[str]] = Field(
        description="initiatives grouped by shared organisations or past collaboration"
    )
    never_worked_together: list[tuple[str, str]] = Field(
        description="organisation pairs of different groups (they never shared a project), "
        "the first ones in order"
    )
    never_worked_together_count: int = Field(description="how many such pairs there are")


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
    """Initiatives joined by a shared organisation or by a past collaboration of theirs.

    Computed on the organisations rather than on pairs of initiatives: an initiative's
    organisations are joined to each other, collaborating organisations are joined, and
    each initiative falls in the group of its organisations' component.
    """
    organisations = nx.Graph()
    for initiative in initiatives:
        members = sorted(initiative.organisations)
        organisations.add_nodes_from(members)
        organisations.add_edges_from(pairwise(members))
    organisations.add_edges_from(collaborations.subgraph(list(organisations)).edges())
    component_of = {
        org: index
        for index, component in enumerate(nx.connected_components(organisations))
        for org in component
    }
    grouped: dict[int, list[str]] = {}
    alone: list[list[str]] = []
    for initiative in initiatives:
        if not initiative.organisations:
            alone.append([initiative.id])
            continue
        index = component_of[next(iter(initiative.organisations))]
        grouped.setdefault(index, []).append(initiative.id)
    return sorted([sorted(group) for group in grouped.values()] + alone)


def _never_worked_together(
    initiatives: list[_Initiative], groups: list[list[str]], *, at_most: int = PAIRS_LISTED
) -> tuple[list[tuple[str, str]], int]:
    """Organisation pairs across groups (by construction they share no project).

    Returns the first ``at_most`` pairs in order, and how many there are in all.
    """
    organisations = {i.id: i.organisations for i in initiatives}
    in_group = [sorted(set().union(*(organisations[i] for i in group))) for group in groups]
    total = sum(len(a) * len(b) for a, b in combinations(in_group, 2))
    smallest: list[tuple[str, str]] = []
    for a, b in combinations(in_group, 2):
        pairs = sorted((min(x, y), max(x, y)) for x in a[:at_most] for y in b[:at_most])
        smallest = sorted(set(smallest) | set(pairs[:at_most]))[:at_most]
    return smallest, total


def _named(
    initiatives: list[_Initiative], groups: list[list[str]], *, at_most: int = ORGANISATIONS_NAMED
) -> list[str]:
    """A handful of organisations: the most active of each group in turn, then the next.

    An organisation's activity is the number of the overlap's initiatives it runs.
    """
    activity = Counter(org for i in initiatives for org in i.organisations)
    organisations = {i.id: i.organisations for i in initiatives}
    by_group = [
        sorted(set().union(*(organisations[i] for i in group)), key=lambda o: (-activity[o], o))
        for group in groups
    ]
    in_turn = [o for o in chain.from_iterable(zip_longest(*by_group)) if o is not None]
    return sorted(list(dict.fromkeys(in_turn))[:at_most])


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
    pairs, count = _never_worked_together(initiatives, groups)
    return Overlap(
        competence=competence,
        country=country,
        initiatives=sorted(i.id for i in initiatives),
        organisations=_named(initiatives, groups),
        organisations_count=len(organisations),
        unconnected=len(groups) > 1,
        projects=sorted(i.id for i in initiatives if i.kind is NodeKind.PROJECT),
        offers=sorted(i.id for i in initiatives if i.kind is NodeKind.TRAINING_OFFER),
        groups=groups,
        never_worked_together=pairs,
        never_worked_together_count=count,
    )


def _rank(overlap: Overlap) -> tuple[int, int, str, str]:
    return (
        -len(overlap.initiatives),
        -overlap.organisations_count,
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
