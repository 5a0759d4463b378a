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
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

import networkx as nx
import numpy as np
import scipy.sparse as sp
from pydantic import BaseModel, Field
from scipy.sparse.csgraph import connected_components

from graph.collector import collector_paused
from graph.schema import NodeKind, RelType
from queries.projection import NodeKey, linked_ids, nodes_of

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


def _participations(graph: nx.MultiDiGraph) -> dict[NodeKey, set[str]]:
    return linked_ids(graph, {RelType.PARTICIPATES_IN: True})[RelType.PARTICIPATES_IN]


def collaboration_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """Organisations joined when they participate in a common project."""
    organisations, adjacency = _collaborations(graph, _participations(graph))
    collaborations = nx.Graph()
    collaborations.add_nodes_from(organisations)
    rows, cols = sp.triu(adjacency, k=1).nonzero()
    collaborations.add_edges_from(
        (organisations[a], organisations[b])
        for a, b in zip(rows.tolist(), cols.tolist(), strict=True)
    )
    return collaborations


def _collaborations(
    graph: nx.MultiDiGraph, participants: dict[NodeKey, set[str]]
) -> tuple[list[str], sp.csr_matrix]:
    """Every organisation (sorted by id) and which pairs of them shared a project.

    The adjacency is the organisations-by-projects incidence times its transpose, without
    its diagonal: one sparse product instead of a graph projection.
    """
    organisations = sorted(
        {node[1] for node, _ in nodes_of(graph, NodeKind.ORGANISATION)}.union(
            *participants.values()
        )
    )
    position = {org: k for k, org in enumerate(organisations)}
    incidence = _incidence(list(participants.values()), position)
    shared = (incidence.T @ incidence).tocsr()
    shared.setdiag(0)
    shared.eliminate_zeros()
    shared.data[:] = 1
    return organisations, shared


def _incidence(sets: Sequence[AbstractSet[str]], position: dict[str, int]) -> sp.csr_matrix:
    """A 0/1 matrix with a row per set and a column per member (at its position)."""
    indptr = np.zeros(len(sets) + 1, dtype=np.int64)
    np.cumsum([len(members) for members in sets], out=indptr[1:])
    indices = np.fromiter(
        (position[m] for members in sets for m in members), dtype=np.int64, count=int(indptr[-1])
    )
    data = np.ones(len(indices), dtype=np.int32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(sets), len(position)))


class _Initiative(NamedTuple):
    id: str
    kind: NodeKind
    organisations: AbstractSet[str]
    countries: AbstractSet[str]
    competences: AbstractSet[str]


def _initiatives(
    graph: nx.MultiDiGraph,
) -> tuple[list[_Initiative], dict[NodeKey, set[str]]]:
    """Every initiative ordered by id, and each project's participants."""
    rels = {RelType.ACTIVE_IN: False}
    for on, run_by in INITIATIVES.values():
        rels |= {on: False, run_by: True}
    linked = linked_ids(graph, rels)
    none: frozenset[str] = frozenset()
    found = [
        _Initiative(
            data["id"],
            kind,
            linked[run_by].get(node, none),
            linked[RelType.ACTIVE_IN].get(node, none),
            linked[on].get(node, none),
        )
        for kind, (on, run_by) in INITIATIVES.items()
        for node, data in nodes_of(graph, kind)
    ]
    found.sort(key=lambda initiative: initiative.id)
    return found, linked[RelType.PARTICIPATES_IN]


@dataclass(frozen=True)
class _Network:
    """Initiatives and organisations by position (each ordered by id), as sparse matrices.

    Positions follow the ids, so ascending positions are ids in order.
    """

    initiatives: list[_Initiative]
    ids: np.ndarray  # of str, by initiative position
    is_project: np.ndarray
    organisations: np.ndarray  # of str, by organisation position
    runs: sp.csr_matrix  # initiative x organisation
    collaborations: sp.csr_matrix  # organisation x organisation: shared a project

    @classmethod
    def of(cls, graph: nx.MultiDiGraph) -> _Network:
        initiatives, participants = _initiatives(graph)
        organisations, collaborations = _collaborations(graph, participants)
        position = {org: k for k, org in enumerate(organisations)}
        return cls(
            initiatives=initiatives,
            ids=np.array([i.id for i in initiatives], dtype=object),
            is_project=np.array([i.kind is NodeKind.PROJECT for i in initiatives], dtype=bool),
            organisations=np.array(organisations, dtype=object),
            runs=_incidence([i.organisations for i in initiatives], position),
            collaborations=collaborations,
        )


@dataclass(frozen=True)
class _Grouping:
    """The initiatives of one overlap and their organisations, by group.

    ``organisations`` are positions in the network, ascending; ``group_of_organisation``
    indexes ``groups``; ``activity`` counts, per organisation, the overlap's initiatives it
    runs.
    """

    organisations: np.ndarray
    groups: list[list[str]]
    group_of_organisation: np.ndarray
    activity: np.ndarray


def _gathered(matrix: sp.csr_matrix, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The entries of these rows of a 0/1 matrix: their row's index in ``rows``, their column.

    Plain NumPy on the CSR arrays: SciPy's row indexing costs more per call than the work
    itself for the hundreds of small subsets an overlap report groups.
    """
    starts = matrix.indptr[rows]
    lengths = matrix.indptr[rows + 1] - starts
    owner = np.repeat(np.arange(len(rows)), lengths)
    offsets = np.arange(len(owner)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return owner, matrix.indices[np.repeat(starts, lengths) + offsets]


def _grouping(
    network: _Network, initiatives: np.ndarray, runner: np.ndarray, runs: np.ndarray
) -> _Grouping:
    """Initiatives joined by a shared organisation or by a past collaboration of theirs.

    The components of one graph whose nodes are the initiatives and their organisations:
    an initiative is joined to its organisations, organisations that shared a project are
    joined. An initiative without organisations is a group of its own.
    """
    present = np.zeros(len(network.organisations), dtype=bool)
    present[runs] = True
    organisations = np.flatnonzero(present)
    # Node numbers: the initiatives first, then their organisations in order.
    node_of = np.cumsum(present) - 1 + len(initiatives)
    org, partner = _gathered(network.collaborations, organisations)
    among = present[partner]
    count = len(initiatives) + len(organisations)
    # Rows ascending (runner, then org), so the CSR arrays are written directly: building
    # through COO cost more than the components themselves.
    indices = np.concatenate([node_of[runs], node_of[partner[among]]])
    indptr = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount(runner, minlength=len(initiatives)), out=indptr[1 : len(initiatives) + 1])
    indptr[len(initiatives) + 1 :] = indptr[len(initiatives)] + np.cumsum(
        np.bincount(org[among], minlength=len(organisations))
    )
    links = sp.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(count, count))
    _, component = connected_components(links, directed=False)
    groups, group_of = _ordered_groups(network.ids, initiatives, component[: len(initiatives)])
    return _Grouping(
        organisations=organisations,
        groups=groups,
        group_of_organisation=group_of[component[len(initiatives) :]],
        activity=np.bincount(node_of[runs] - len(initiatives), minlength=len(organisations)),
    )


def _ordered_groups(
    ids: np.ndarray, initiatives: np.ndarray, label: np.ndarray
) -> tuple[list[list[str]], np.ndarray]:
    """The initiatives' ids per component, each sorted and the lists sorted; each label's
    index among those lists (``initiatives`` ascending, ``label`` their components)."""
    labels, first = np.unique(label, return_index=True)
    # Disjoint lists of ascending positions compare as their first elements; ids compare the
    # same unless a project and an offer share an id, where the lists themselves decide.
    order = labels[np.argsort(first, kind="stable")]
    group_of = np.zeros(int(label.max()) + 1, dtype=np.int64)
    group_of[order] = np.arange(len(order))
    by_group = np.argsort(group_of[label], kind="stable")
    bounds = np.r_[0, np.cumsum(np.bincount(group_of[label]))].tolist()
    flat = ids[initiatives[by_group]].tolist()
    groups = [flat[a:b] for a, b in pairwise(bounds)]
    heads = [group[0] for group in groups]
    if len(set(heads)) < len(heads):
        resorted = sorted(range(len(groups)), key=groups.__getitem__)
        groups = [groups[k] for k in resorted]
        group_of[order[resorted]] = np.arange(len(order))
    return groups, group_of


def _pairs_across(
    names: list[str], group_of: np.ndarray, at_most: int
) -> tuple[list[tuple[str, str]], int]:
    """The first ``at_most`` pairs of sorted ``names`` in different groups, and their count."""
    sizes = np.bincount(group_of)
    total = int((sizes.sum() ** 2 - (sizes**2).sum()) // 2)
    smallest: list[tuple[str, str]] = []
    # Pairs in order: each organisation with the later ones of other groups, until enough.
    for first, name in enumerate(names):
        need = at_most - len(smallest)
        if need <= 0:
            break
        later = np.flatnonzero(group_of[first + 1 :] != group_of[first])[:need] + first + 1
        if not len(later):
            break  # every later organisation is in this one's group, and so for the next ones
        smallest += [(name, names[j]) for j in later.tolist()]
    return smallest, total


def _in_turn(
    names: list[str], group_of: np.ndarray, activity: np.ndarray, at_most: int
) -> list[str]:
    """Sorted ``names``: the most active of each group in turn, then the next, ``at_most``."""
    by_group = np.lexsort((np.arange(len(names)), -activity, group_of))
    sorted_groups = group_of[by_group]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    rank = np.arange(len(names)) - np.repeat(starts, np.diff(np.r_[starts, len(names)]))
    chosen = by_group[np.lexsort((sorted_groups, rank))[:at_most]]
    return sorted(names[k] for k in chosen.tolist())


def _by_name(
    initiatives: list[_Initiative], groups: list[list[str]]
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The organisations of grouped initiatives sorted, their group and their activity."""
    runs = {i.id: i.organisations for i in initiatives}
    group_of = {org: k for k, group in enumerate(groups) for i in group for org in runs[i]}
    names = sorted(group_of)
    activity = Counter(org for i in initiatives for org in i.organisations)
    return (
        names,
        np.array([group_of[n] for n in names], dtype=np.int64),
        np.array([activity[n] for n in names], dtype=np.int64),
    )


def _never_worked_together(
    initiatives: list[_Initiative], groups: list[list[str]], *, at_most: int = PAIRS_LISTED
) -> tuple[list[tuple[str, str]], int]:
    """Organisation pairs across groups (by construction they share no project).

    Groups have disjoint organisations (they are components). Returns the first ``at_most``
    pairs ``(a, b)``, ``a < b``, in order, and how many there are in all.
    """
    names, group_of, _ = _by_name(initiatives, groups)
    return _pairs_across(names, group_of, at_most)


def _named(
    initiatives: list[_Initiative], groups: list[list[str]], *, at_most: int = ORGANISATIONS_NAMED
) -> list[str]:
    """A handful of organisations: the most active of each group in turn, then the next.

    An organisation's activity is the number of the overlap's initiatives it runs.
    """
    names, group_of, activity = _by_name(initiatives, groups)
    return _in_turn(names, group_of, activity, at_most)


def _overlap(
    competence: str, country: str | None, positions: list[int], network: _Network
) -> Overlap | None:
    if len(positions) < 2:
        return None
    initiatives = np.unique(np.array(positions, dtype=np.int64))
    runner, runs = _gathered(network.runs, initiatives)
    if len(runs) < 2 or (runs == runs[0]).all():
        return None
    grouping = _grouping(network, initiatives, runner, runs)
    names = network.organisations[grouping.organisations].tolist()
    group_of = grouping.group_of_organisation
    pairs, count = _pairs_across(names, group_of, PAIRS_LISTED)
    projects = network.is_project[initiatives]
    # Built from this module's own typed values: validating them again took a tenth of
    # the report's overlaps at 100,000 offers.
    return Overlap.model_construct(
        competence=competence,
        country=country,
        initiatives=network.ids[initiatives].tolist(),
        organisations=_in_turn(names, group_of, grouping.activity, ORGANISATIONS_NAMED),
        organisations_count=len(names),
        unconnected=len(grouping.groups) > 1,
        projects=network.ids[initiatives[projects]].tolist(),
        offers=network.ids[initiatives[~projects]].tolist(),
        groups=grouping.groups,
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


@collector_paused()
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
    network = _Network.of(graph)
    by_place: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for position, initiative in enumerate(network.initiatives):
        if country is None:
            places: tuple[str | None, ...] = (None, *initiative.countries)
        else:
            places = (country,) if country in initiative.countries else ()
        for comp in initiative.competences:
            if competence is None or comp == competence:
                for place in places:
                    by_place[(comp, place)].append(position)
    found = [
        overlap
        for (comp, place), positions in by_place.items()
        if (overlap := _overlap(comp, place, positions, network)) is not None
    ]
    found.sort(key=_rank)
    return OverlapReport(overlaps=found[:limit] if limit is not None else found)
