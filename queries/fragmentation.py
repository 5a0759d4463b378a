"""Fragmentation of the collaboration network: who can reach whom through shared projects.

Two organisations are linked when they take part in the same project (as coordinator or
partner); the link's ``weight`` is the number of projects they share. The network holds
every organisation that takes part in a project (members and non-member partners) plus
every member in no project (an isolated member). See ``docs/analyses/partners-fragmentation.md``.

The network is built as a NetworkX graph; the whole-network algorithms (components,
betweenness, cut vertices, Louvain) run in a :class:`graph.network.NetworkEngine`: igraph in
this process by default, or Graph Data Science on the Neo4j server (``graph/gds.py``).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import networkx as nx
from pydantic import BaseModel

from graph.network import (
    LocalEngine,
    NetworkAnalysis,
    NetworkEngine,
    SharedLinks,
    ordered,
    top_brokers,
)
from graph.schema import NodeKind, RelType
from queries.projection import NodeKey, key, linked_ids, nodes_of

#: Seed of the Louvain community detection, fixed so that a report is reproducible.
LOUVAIN_SEED = 20260115
#: The collaboration network: organisations linked by the projects they take part in, plus
#: every member (a member in no project is an isolated node).
COLLABORATION = SharedLinks(
    NodeKind.ORGANISATION, RelType.PARTICIPATES_IN, NodeKind.PROJECT, flag="member"
)

#: What the network and the workers on each competence are read from, in one pass.
_LINKS = {
    RelType.HAS_EXPERTISE: True,
    RelType.TEACHES: True,
    RelType.TARGETS: True,
    RelType.PROVIDES: True,
    COLLABORATION.rel: True,
}


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
    return _network(graph, linked_ids(graph, {COLLABORATION.rel: True})[COLLABORATION.rel])


def _network(graph: nx.MultiDiGraph, participants: dict[NodeKey, set[str]]) -> nx.Graph:
    """The collaboration network of :func:`collaboration_network` from each project's
    participants."""
    links = COLLABORATION
    in_projects = set().union(*participants.values())
    weights: dict[tuple[str, str], int] = defaultdict(int)
    for orgs in participants.values():
        for pair in combinations(sorted(orgs), 2):
            weights[pair] += 1
    network = nx.Graph()
    for node, data in nodes_of(graph, links.kind):
        if data.get(links.flag) or node[1] in in_projects:
            network.add_node(
                node[1], name=data.get("name", node[1]), member=bool(data.get(links.flag))
            )
    network.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weights.items()))
    return network


def _unreachable_share(sizes: list[int]) -> float:
    """Probability that two distinct items drawn at random lie in different groups."""
    total = sum(sizes)
    if total < 2:
        return 0.0
    return 1.0 - sum(n * (n - 1) for n in sizes) / (total * (total - 1))


def _brokers(
    network: nx.Graph, found: NetworkAnalysis, communities: list[list[str]], top: int
) -> list[Broker]:
    """The organisations with the highest (normalised, unweighted) betweenness centrality."""
    community_of = {node: i for i, members in enumerate(communities) for node in members}
    brokers = []
    for node in top_brokers(found.betweenness, top):
        linked = {community_of[n] for n in (node, *network[node]) if n in community_of}
        brokers.append(
            Broker(
                id=node,
                name=network.nodes[node]["name"],
                betweenness=found.betweenness[node],
                cut_vertex=node in found.cut_vertices,
                splits_into=found.splits.get(node, []),
                communities_linked=len(linked),
            )
        )
    return brokers


def _workers_by_competence(linked: dict[RelType, dict[NodeKey, set[str]]]) -> dict[str, set[str]]:
    """Organisations that have expertise in, teach, or run a project on each competence."""
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
    graph: nx.MultiDiGraph,
    linked: dict[RelType, dict[NodeKey, set[str]]],
    components: list[list[str]],
) -> list[CompetenceFragmentation]:
    """Per competence: the network components its organisations fall into."""
    component_of = {org: i for i, members in enumerate(components) for org in members}
    labels = {
        node[1]: data.get("label", node[1]) for node, data in nodes_of(graph, NodeKind.COMPETENCE)
    }
    entries = []
    for competence, orgs in _workers_by_competence(linked).items():
        groups: dict[int | str, list[str]] = defaultdict(list)
        for org in orgs:
            # An organisation outside the network (a non-member in no project) is its own group.
            groups[component_of.get(org, org)].append(org)
        members = ordered(groups.values())
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


def fragmentation(
    graph: nx.MultiDiGraph, *, top_brokers: int = 10, engine: NetworkEngine | None = None
) -> FragmentationReport:
    """Measure how fragmented the collaboration network of organisations is.

    Parameters
    ----------
    graph : the projection of the store (:func:`queries.projection.project`).
    top_brokers : how many brokers (highest betweenness, above zero) to list.
    engine : where components, communities and betweenness are computed: igraph in this
        process (the default) or Graph Data Science on the Neo4j server the projection
        came from (:class:`graph.gds.GdsEngine`); the report is the same.

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
    linked = linked_ids(graph, _LINKS)
    network = _network(graph, linked[COLLABORATION.rel])
    found = (engine or LocalEngine()).analyse(
        network, COLLABORATION, seed=LOUVAIN_SEED, top=top_brokers
    )
    components = found.components
    members = {node for node, member in network.nodes(data="member") if member}
    communities = [c for c in found.communities if len(c) > 1]
    total = network.number_of_nodes()
    return FragmentationReport(
        organisations=total,
        members=len(members),
        collaborations=network.number_of_edges(),
        components=len(components),
        collaborating_components=sum(len(c) > 1 for c in components),
        component_members=[c for c in components if len(c) > 1],
        largest_component_share=round(len(components[0]) / total, 6) if components else 0.0,
        isolated_members=sorted(n for n in members if network.degree(n) == 0),
        communities=communities,
        modularity=round(found.modularity, 6),
        brokers=_brokers(network, found, communities, top_brokers),
        fragmentation_index=round(
            _unreachable_share([len(members.intersection(c)) for c in components]), 6
        ),
        competence_fragmentation=_competence_fragmentation(graph, linked, components),
    )
