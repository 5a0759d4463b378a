"""Whole-network algorithms behind one interface, computed in this process or on a server.

An analysis hands an engine a network of nodes of one kind linked through shared nodes of
another kind (:class:`SharedLinks`, with the network as a NetworkX graph it built from the
projection) and gets back one :class:`NetworkAnalysis`: connected components, Louvain
communities and their modularity, betweenness, cut vertices and what each top broker's
removal splits its component into. :class:`LocalEngine` computes it with igraph on the
NetworkX graph; ``graph.gds.GdsEngine`` projects the same network from the Neo4j database
into Graph Data Science and computes it on the server. Both give the same answer on the same
graph (communities up to their labels), so the analysis never knows which one ran.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from random import Random
from threading import Lock
from typing import TYPE_CHECKING, Protocol

from graph.schema import NodeKind, RelType

if TYPE_CHECKING:
    import igraph as ig
    import networkx as nx

#: Digits betweenness is compared and reported with (engines differ in the last float bits).
BETWEENNESS_DIGITS = 6
#: igraph draws from one process-wide generator: seeding and using it is one critical section.
_RANDOM = Lock()


@dataclass(frozen=True)
class SharedLinks:
    """A network of ``kind`` nodes, two linked when both have ``rel`` to one ``hub`` node.

    A link's ``weight`` is the number of hubs the two share. The network holds every node
    with a ``rel`` to a hub and every node whose ``flag`` property is true.
    """

    kind: NodeKind
    rel: RelType
    hub: NodeKind
    flag: str


@dataclass(frozen=True)
class NetworkAnalysis:
    """What an engine found in a network; node ids are the network's own."""

    #: Connected components, as :func:`ordered` sorts them (isolated nodes included).
    components: list[list[str]]
    #: Louvain communities of the weighted network, every size, as :func:`ordered` sorts them.
    communities: list[list[str]]
    modularity: float
    #: Unweighted betweenness, normalised as NetworkX normalises it on an undirected graph.
    betweenness: dict[str, float]
    cut_vertices: frozenset[str]
    #: For each cut vertex among the :func:`top_brokers`: the sizes of the pieces its
    #: component falls into without it, largest first.
    splits: dict[str, list[int]]


class NetworkEngine(Protocol):
    """Computes a :class:`NetworkAnalysis` of a network."""

    def analyse(
        self, network: nx.Graph, links: SharedLinks, *, seed: int, top: int
    ) -> NetworkAnalysis:
        """Analyse ``network`` (built as ``links`` says); ``seed`` fixes Louvain's order,
        ``top`` is how many brokers get their :attr:`NetworkAnalysis.splits`."""
        ...


def ordered(groups: Iterable[Iterable[str]]) -> list[list[str]]:
    """Groups as sorted id lists, largest first, ties by first id."""
    return sorted((sorted(group) for group in groups), key=lambda g: (-len(g), g[0]))


def grouped(labels: Mapping[str, object]) -> list[list[str]]:
    """Nodes with the same label as groups, in the order of :func:`ordered`."""
    groups: dict[object, list[str]] = defaultdict(list)
    for node, label in labels.items():
        groups[label].append(node)
    return ordered(groups.values())


def normalised_betweenness(raw: Mapping[str, float], nodes: int) -> dict[str, float]:
    """Betweenness counted once per unordered pair, scaled as NetworkX does (undirected).

    NetworkX's normalisation is ``2 / ((n - 1)(n - 2))`` of that count (none below three nodes).
    """
    scale = 2.0 / ((nodes - 1) * (nodes - 2)) if nodes > 2 else 1.0
    return {node: round(b * scale, BETWEENNESS_DIGITS) for node, b in raw.items()}


def top_brokers(betweenness: Mapping[str, float], top: int) -> list[str]:
    """The ``top`` nodes of highest betweenness above zero, ties by id."""
    return [node for _, node in sorted((-b, node) for node, b in betweenness.items() if b > 0)][
        :top
    ]


def igraph_of(network: nx.Graph) -> tuple[ig.Graph, list[str]]:
    """An igraph copy of ``network`` (edge attribute ``weight``) and its nodes by vertex index."""
    import igraph as ig  # only where it is used: it takes a while to import

    names: list[str] = list(network)
    index = {name: i for i, name in enumerate(names)}
    edges = list(network.edges(data="weight"))
    graph = ig.Graph(n=len(names), edges=[(index[a], index[b]) for a, b, _ in edges])
    graph.es["weight"] = [w for _, _, w in edges]
    return graph, names


class LocalEngine:
    """igraph on a copy of the NetworkX network: exact betweenness about a hundred times
    faster than NetworkX's (``bench/analyses.py``)."""

    def analyse(
        self, network: nx.Graph, links: SharedLinks, *, seed: int, top: int
    ) -> NetworkAnalysis:
        """See :meth:`NetworkEngine.analyse`; ``links`` is already built into ``network``."""
        graph, names = igraph_of(network)
        index = {name: i for i, name in enumerate(names)}
        membership = graph.connected_components().membership
        communities, modularity = _louvain(graph, names, seed)
        betweenness = normalised_betweenness(
            dict(zip(names, graph.betweenness(directed=False), strict=True)), len(names)
        )
        cut_vertices = frozenset(names[v] for v in graph.articulation_points())
        splits = {}
        for node in top_brokers(betweenness, top):
            if node in cut_vertices:
                vertex = index[node]
                rest = [
                    v for v, c in enumerate(membership) if c == membership[vertex] and v != vertex
                ]
                sizes = graph.induced_subgraph(rest).connected_components().sizes()
                splits[node] = sorted(sizes, reverse=True)
        return NetworkAnalysis(
            components=grouped(dict(zip(names, membership, strict=True))),
            communities=communities,
            modularity=modularity,
            betweenness=betweenness,
            cut_vertices=cut_vertices,
            splits=splits,
        )


def _louvain(graph: ig.Graph, names: list[str], seed: int) -> tuple[list[list[str]], float]:
    """Louvain (multilevel) communities of the weighted graph and their modularity."""
    import igraph as ig

    if graph.ecount() == 0:
        return [], 0.0
    with _RANDOM:
        ig.set_random_number_generator(Random(seed))
        try:
            partition = graph.community_multilevel(weights="weight")
        finally:
            ig.set_random_number_generator(Random())
    modularity = graph.modularity(partition.membership, weights="weight")
    return ordered([names[v] for v in community] for community in partition), float(modularity)
