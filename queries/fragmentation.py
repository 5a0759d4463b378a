"""Fragmentation of the collaboration network: who can reach whom through shared projects.

Two organisations are linked when they take part in the same project (as coordinator or
partner); the link's ``weight`` is the number of projects they share. The network holds
every organisation that takes part in a project (members and non-member partners) plus
every member in no project (an isolated member). See ``docs/analyses/partners-fragmentation.md``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

import networkx as nx
from pydantic import BaseModel

from graph.schema import NodeKind, RelType
from queries.projection import nodes_of

#: Seed of the Louvain community detection, fixed so that a report is reproducible.
LOUVAIN_SEED = 20260115


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
    participants: dict[str, set[str]] = defaultdict(set)
    for source, target, rel in graph.edges(keys=True):
        if rel == RelType.PARTICIPATES_IN:
            participants[target[1]].add(source[1])
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


def _communities(network: nx.Graph) -> tuple[list[list[str]], float]:
    """Louvain communities of two or more organisations, and the modularity of the partition."""
    if network.number_of_edges() == 0:
        return [], 0.0
    partition = nx.community.louvain_communities(network, weight="weight", seed=LOUVAIN_SEED)
    modularity = nx.community.modularity(network, partition, weight="weight")
    return _ordered(c for c in partition if len(c) > 1), float(modularity)


def _brokers(network: nx.Graph, communities: list[list[str]], top: int) -> list[Broker]:
    """The organisations with the highest (normalised, unweighted) betweenness centrality."""
    betweenness = nx.betweenness_centrality(network, normalized=True)
    ranked = sorted((-b, node) for node, b in betweenness.items() if b > 0)[:top]
    community_of = {node: i for i, members in enumerate(communities) for node in members}
    cut_vertices = set(nx.articulation_points(network))
    brokers = []
    for negative, node in ranked:
        component = network.subgraph(nx.node_connected_component(network, node)).copy()
        component.remove_node(node)
        pieces = sorted((len(c) for c in nx.connected_components(component)), reverse=True)
        linked = {community_of[n] for n in (node, *network[node]) if n in community_of}
        brokers.append(
            Broker(
                id=node,
                name=network.nodes[node]["name"],
                betweenness=round(-negative, 6),
                cut_vertex=node in cut_vertices,
                splits_into=pieces if node in cut_vertices else [],
                communities_linked=len(linked),
            )
        )
    return brokers


def _workers_by_competence(graph: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Organisations that have expertise in, teach, or run a project on each competence."""
    workers: dict[str, set[str]] = defaultdict(set)
    for source, target, rel in graph.edges(keys=True):
        if rel == RelType.HAS_EXPERTISE:
            workers[target[1]].add(source[1])
        elif rel in (RelType.TEACHES, RelType.TARGETS):
            via = RelType.PROVIDES if rel == RelType.TEACHES else RelType.PARTICIPATES_IN
            for org, _, org_rel in graph.in_edges(source, keys=True):
                if org_rel == via:
                    workers[target[1]].add(org[1])
    return workers


def _competence_fragmentation(
    graph: nx.MultiDiGraph, network: nx.Graph
) -> list[CompetenceFragmentation]:
    """Per competence: the network components its organisations fall into."""
    component_of = {
        node: i
        for i, component in enumerate(nx.connected_components(network))
        for node in component
    }
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
    network = collaboration_network(graph)
    components = _ordered(nx.connected_components(network))
    members = {node for node, member in network.nodes(data="member") if member}
    communities, modularity = _communities(network)
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
        modularity=round(modularity, 6),
        brokers=_brokers(network, communities, top_brokers),
        fragmentation_index=round(
            _unreachable_share([len(members.intersection(c)) for c in components]), 6
        ),
        competence_fragmentation=_competence_fragmentation(graph, network),
    )
