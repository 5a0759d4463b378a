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
from itertools import chain, pairwise, zip_longest

import networkx as nx
import numpy as np
import scipy.sparse as sp
from networkx.algorithms import bipartite
from pydantic import BaseModel, Field
from scipy.sparse.csgraph import connected_components

from graph.schema import NodeKind, RelType
from queries.projection import linked_ids, nodes_of

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
    rels = {RelType.ACTIVE_IN: False}
    for on, run_by in INITIATIVES.values():
        rels |= {on: False, run_by: True}
    linked = linked_ids(graph, rels)
    none: set[str] = set()
    found = []
    for kind, (on, run_by) in INITIATIVES.items():
        for node, data in nodes_of(graph, kind):
            found.append(
                _Initiative(
                    id=data["id"],
                    kind=kind,
                    organisations=frozenset(linked[run_by].get(node, none)),
                    countries=frozenset(linked[RelType.ACTIVE_IN].get(node, none)),
                    competences=frozenset(linked[on].get(node, none)),
                )
            )
    return found


class _Collaborations:
    """The collaboration graph as a sparse adjacency matrix, for grouping many subsets."""

    def __init__(self, collaborations: nx.Graph) -> None:
        self.index = {org: i for i, org in enumerate(collaborations)}
        edges = np.array(
            [(self.index[a], self.index[b]) for a, b in collaborations.edges()], dtype=np.int64
        ).reshape(-1, 2)
        size = len(self.index)
        self.adjacency = sp.csr_matrix(
            (np.ones(len(edges), dtype=np.int8), (edges[:, 0], edges[:, 1])), shape=(size, size)
        )

    def among(self, organisations: list[str]) -> sp.coo_matrix:
        """The collaborations between these organisations (indexed by position in the list)."""
        rows = np.array([self.index[org] for org in organisations], dtype=np.int64)
        return self.adjacency[rows][:, rows].tocoo()


def _groups(initiatives: list[_Initiative], collaborations: _Collaborations) -> list[list[str]]:
    """Initiatives joined by a shared organisation or by a past collaboration of theirs.

    Computed on the organisations rather than on pairs of initiatives: an initiative's
    organisations are joined to each other, collaborating organisations are joined, and
    each initiative falls in the group of its organisations' component.
    """
    organisations = sorted(set().union(*(i.organisations for i in initiatives)))
    position = {org: k for k, org in enumerate(organisations)}
    chains = [
        (position[a], position[b])
        for initiative in initiatives
        for a, b in pairwise(sorted(initiative.organisations))
    ]
    worked = collaborations.among(organisations)
    rows = np.concatenate([np.array([a for a, _ in chains], dtype=np.int64), worked.row])
    cols = np.concatenate([np.array([b for _, b in chains], dtype=np.int64), worked.col])
    size = len(organisations)
    links = sp.csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(size, size))
    _, component_of = connected_components(links, directed=False)
    grouped: dict[int, list[str]] = {}
    alone: list[list[str]] = []
    for initiative in initiatives:
        if not initiative.organisations:
            alone.append([initiative.id])
            continue
        index = int(component_of[position[next(iter(initiative.organisations))]])
        grouped.setdefault(index, []).append(initiative.id)
    return sorted([sorted(group) for group in grouped.values()] + alone)


def _never_worked_together(
    initiatives: list[_Initiative], groups: list[list[str]], *, at_most: int = PAIRS_LISTED
) -> tuple[list[tuple[str, str]], int]:
    """Organisation pairs across groups (by construction they share no project).

    Groups have disjoint organisations (they are components). Returns the first ``at_most``
    pairs ``(a, b)``, ``a < b``, in order, and how many there are in all.
    """
    organisations = {i.id: i.organisations for i in initiatives}
    group_of = {
        org: index
        for index, group in enumerate(groups)
        for initiative in group
        for org in organisations[initiative]
    }
    sizes = np.bincount(list(group_of.values()), minlength=len(groups))
    total = int((sizes.sum() ** 2 - (sizes**2).sum()) // 2)
    names = sorted(group_of)
    labels = np.array([group_of[name] for name in names])
    smallest: list[tuple[str, str]] = []
    # Pairs in order: each organisation with the later ones of other groups, until enough.
    for first, name in enumerate(names):
        need = at_most - len(smallest)
        if need <= 0:
            break
        later = np.flatnonzero(labels[first + 1 :] != labels[first])[:need] + first + 1
        if not len(later):
            break  # every later organisation is in this one's group, and so for the next ones
        smallest += [(name, names[j]) for j in later]
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
    collaborations: _Collaborations,
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
    collaborations = _Collaborations(collaboration_graph(graph))
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
