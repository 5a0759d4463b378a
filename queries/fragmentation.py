"""Fragmentation of the collaboration network: who can reach whom through shared projects.

Two organisations are linked when they take part in the same project (as coordinator or
partner); the link's ``weight`` is the number of projects they share. The network holds
every organisation that takes part in a project (members and non-member partners) plus
every member in no project (an isolated member). See ``docs/analyses/partners-fragmentation.md``.

The network is handed to the caller as a NetworkX graph; the whole-network algorithms
(components, betweenness, cut vertices, Louvain) run on an igraph copy of it, which computes
the same exact betweenness about a hundred times faster (``bench/analyses.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from random import Random
from threading import Lock
from typing import TYPE_CHECKING

import networkx as nx
from pydantic import BaseModel

from graph.schema import NodeKind, RelType
from queries.projection import key, linked_ids, nodes_of

if TYPE_CHECKING:
    import igraph as ig

#: Seed of the Louvain community detection, fixed so that a report is reproducible.
LOUVAIN_SEED = 20260115
#: igraph draws from one process-wide generator: seeding and using it is one critical section.
_RANDOM = Lock()


class Broker(BaseModel):
    """An organisation that lies on many shortest paths between others."""

    id: str
    name: str
    betweenness: float
    cut_vertex: bool
    splits_into: list[int]
    communities_linked: int


class CompetenceFragmentation(BaseModel):
    """How many separate groups work on one competence without any project path between them."""

    competence: str
    label: str
    organisations: int
    groups: int
    fragmentation: float
    group_members: list[list[str]]


class FragmentationReport(BaseModel):
    """The collaboration network's shape and one comparable number for its fragmentation."""

    organisations: int
    members: int
    collaborations: int
    components: int
    collaborating_components: int
    component_members: list[list[str]]
    largest_component_share: float
    isolated_members: list[str]
    communities: list[list[str]]
    modularity: float
    brokers: list[Broker]
    fragmentation_index: float
    competence_fragmentation: list[CompetenceFragmentation]


def collaboration_network(graph: nx.MultiDiGraph) -> nx.Graph:
    """Organisations linked by shared projects, weighted by the number of projects shared.

    Nodes are plain organisation ids with ``name`` and ``member``; nodes and edges are added
    in sorted order so that order-dependent algorithms (Louvain) give the same result.
    """
    participants = linked_ids(graph, {RelType.PARTICIPATES_IN: True})[RelType.PARTICIPATES_IN]
    in_projects = set().union(*participants.values())
    weights: dict[tuple[str, str], int] = defaultdict(int)
    for orgs in participants.values():
        for pair in combinations(sorted(orgs), 2):
            weights[pair] += 1
    network = nx.Graph()
    for node, data in nodes_of(graph, NodeKind.ORGANISATION):
        if data.get("member") or node[1] in in_projects:
            network.add_node(
                node[1], name=data.get("name", node[1]), member=bool(data.get("member"))
            )
    network.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weights.items()))
    return network


def _ordered(groups: Iterable[Iterable[str]]) -> list[list[str]]:
    """Groups as sorted id lists, largest first, ties by first id."""
    return sorted((sorted(group) for group in groups), key=lambda g: (-len(g), g[0]))


def _unreachable_share(sizes: list[int]) -> float:
    """Probability that two distinct items drawn at random lie in different groups."""
    total = sum(sizes)
    if total < 2:
        return 0.0
    return 1.0 - sum(n * (n - 1) for n in sizes) / (total * (total - 1))


class _Network:
    """The collaboration network as igraph sees it: vertex ``i`` is organisation ``names[i]``."""

    def __init__(self, network: nx.Graph) -> None:
        import igraph as ig  # only where it is used: it takes a while to import

        self.names: list[str] = list(network)
        self.labels: list[str] = [name for _, name in network.nodes(data="name")]
        index = {name: i for i, name in enumerate(self.names)}
        edges = list(network.edges(data="weight"))
        self.graph = ig.Graph(n=len(self.names), edges=[(index[a], index[b]) for a, b, _ in edges])
        self.graph.es["weight"] = [w for _, _, w in edges]
        self.index = index
        self.component: list[int] = self.graph.connected_components().membership

    def components(self) -> list[list[str]]:
        """Connected components as id lists, in the order of :func:`_ordered`."""
        groups: dict[int, list[str]] = defaultdict(list)
        for name, component in zip(self.names, self.component, strict=True):
            groups[component].append(name)
        return _ordered(groups.values())


def _communities(network: _Network) -> tuple[list[list[str]], float]:
    """Louvain communities of two or more organisations, and the modularity of the partition."""
    import igraph as ig

    graph = network.graph
    if graph.ecount() == 0:
        return [], 0.0
    with _RANDOM:
        ig.set_random_number_generator(Random(LOUVAIN_SEED))
        try:
            partition = graph.community_multilevel(weights="weight")
        finally:
            ig.set_random_number_generator(Random())
    modularity = graph.modularity(partition.membership, weights="weight")
    groups = ([network.names[v] for v in community] for community in partition)
    return _ordered(g for g in groups if len(g) > 1), float(modularity)


def _betweenness(graph: ig.Graph) -> list[float]:
    """Unweighted betweenness normalised as NetworkX does for an undirected graph.

    igraph counts each unordered pair once; NetworkX's normalisation is
    ``2 / ((n - 1)(n - 2))`` of that count (and no scaling below three nodes).
    """
    raw = graph.betweenness(directed=False)
    n = graph.vcount()
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    return [b * scale for b in raw]


def _brokers(network: _Network, communities: list[list[str]], top: int) -> list[Broker]:
    """The organisations with the highest (normalised, unweighted) betweenness centrality."""
    graph, names = network.graph, network.names
    betweenness = _betweenness(graph)
    ranked = sorted((-b, names[v]) for v, b in enumerate(betweenness) if b > 0)[:top]
    community_of = {node: i for i, members in enumerate(communities) for node in members}
    cut_vertices = set(graph.articulation_points())
    brokers = []
    for negative, node in ranked:
        vertex = network.index[node]
        pieces: list[int] = []
        if vertex in cut_vertices:
            component = network.component[vertex]
            rest = [v for v, c in enumerate(network.component) if c == component and v != vertex]
            pieces = sorted(graph.induced_subgraph(rest).connected_components().sizes())[::-1]
        neighbours = (names[v] for v in graph.neighbors(vertex))
        linked = {community_of[n] for n in (node, *neighbours) if n in community_of}
        brokers.append(
            Broker(
                id=node,
                name=network.labels[vertex],
                betweenness=round(-negative, 6),
                cut_vertex=vertex in cut_vertices,
                splits_into=pieces,
                communities_linked=len(linked),
            )
        )
    return brokers


def _workers_by_competence(graph: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Organisations that have expertise in, teach, or run a project on each competence."""
    linked = linked_ids(
        graph,
        {
            RelType.HAS_EXPERTISE: True,
            RelType.TEACHES: True,
            RelType.TARGETS: True,
            RelType.PROVIDES: True,
            RelType.PARTICIPATES_IN: True,
        },
    )
    none: set[str] = set()
    workers: dict[str, set[str]] = defaultdict(set)
    for competence, orgs in linked[RelType.HAS_EXPERTISE].items():
        workers[competence[1]] |= orgs
    for on, kind, via in (
        (RelType.TEACHES, NodeKind.TRAINING_OFFER, RelType.PROVIDES),
        (RelType.TARGETS, NodeKind.PROJECT, RelType.PARTICIPATES_IN),
    ):
        for competence, initiatives in linked[on].items():
            found = workers[competence[1]]
            for initiative in initiatives:
                found |= linked[via].get(key(kind, initiative), none)
    return workers


def _competence_fragmentation(
    graph: nx.MultiDiGraph, network: _Network
) -> list[CompetenceFragmentation]:
    """Per competence: the network components its organisations fall into."""
    component_of = dict(zip(network.names, network.component, strict=True))
    labels = {
        node[1]: data.get("label", node[1]) for node, data in nodes_of(graph, NodeKind.COMPETENCE)
    }
    entries = []
    for competence, orgs in _workers_by_competence(graph).items():
        groups: dict[int | str, list[str]] = defaultdict(list)
        for org in orgs:
            # An organisation outside the network (a non-member in no project) is its own group.
            groups[component_of.get(org, org)].append(org)
        members = _ordered(groups.values())
        entries.append(
            CompetenceFragmentation(
                competence=competence,
                label=labels.get(competence, competence),
                organisations=len(orgs),
                groups=len(members),
                fragmentation=round(_unreachable_share([len(g) for g in members]), 6),
                group_members=members,
            )
        )
    return sorted(entries, key=lambda e: (-e.groups, -e.organisations, e.competence))


def fragmentation(graph: nx.MultiDiGraph, *, top_brokers: int = 10) -> FragmentationReport:
    """Measure how fragmented the collaboration network of organisations is.

    Parameters
    ----------
    graph : the projection of the store (:func:`queries.projection.project`).
    top_brokers : how many brokers (highest betweenness, above zero) to list.

    Returns
    -------
    FragmentationReport
        ``fragmentation_index`` is the probability that two members drawn at random cannot
        reach each other through project links (0 = all connected, 1 = nobody connected).

    Examples
    --------
    >>> report = fragmentation(project(store))  # doctest: +SKIP
    >>> report.components, report.fragmentation_index  # doctest: +SKIP
    """
    nx_network = collaboration_network(graph)
    network = _Network(nx_network)
    components = network.components()
    members = {node for node, member in nx_network.nodes(data="member") if member}
    communities, modularity = _communities(network)
    total = nx_network.number_of_nodes()
    return FragmentationReport(
        organisations=total,
        members=len(members),
        collaborations=nx_network.number_of_edges(),
        components=len(components),
        collaborating_components=sum(len(c) > 1 for c in components),
        component_members=[c for c in components if len(c) > 1],
        largest_component_share=round(len(components[0]) / total, 6) if components else 0.0,
        isolated_members=sorted(n for n in members if nx_network.degree(n) == 0),
        communities=communities,
        modularity=round(modularity, 6),
        brokers=_brokers(network, communities, top_brokers),
        fragmentation_index=round(
            _unreachable_share([len(members.intersection(c)) for c in components]), 6
        ),
        competence_fragmentation=_competence_fragmentation(graph, network),
    )
