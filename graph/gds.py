"""The network engine on the Neo4j server: Graph Data Science (OpenGDS 2.13 on Neo4j 5.26).

The network is projected from the database itself into GDS's in-memory catalogue with a
Cypher aggregation (the same network :class:`graph.network.SharedLinks` describes and the
analysis builds from its projection), the algorithms run there, only their results come
back, and the projected graphs are dropped afterwards, also when something fails.

Every algorithm runs with ``concurrency: 1``: GDS's Louvain then visits the nodes in one
order and gives the same communities on every run (it takes no random seed); components,
betweenness (exact: no sampling) and articulation points do not depend on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from graph import cypher
from graph.errors import QueryRefused, StoreUnavailable
from graph.neo4j_store import Neo4jStore
from graph.network import (
    NetworkAnalysis,
    SharedLinks,
    grouped,
    normalised_betweenness,
    top_brokers,
)

if TYPE_CHECKING:
    import networkx as nx

VERSION = "RETURN gds.version() AS version"
#: The ``SharedLinks`` network as a GDS projection: one row per linked pair (``a.id < b.id``,
#: made undirected by the projection), one row with no target for a node without links.
#: ``key`` is the node's database id, for the node filter of :data:`WITHOUT_NODE`.
PROJECT_SHARED_LINKS = """
MATCH (a:{kind})
OPTIONAL MATCH (a)-[:{rel}]->(h:{hub})<-[:{rel}]-(b:{kind})
WHERE a.id < b.id
WITH a, b, count(DISTINCT h) AS shared
WHERE b IS NOT NULL OR a.{flag} = true OR EXISTS {{ (a)-[:{rel}]->(:{hub}) }}
WITH gds.graph.project($graph, a, b, {{
    sourceNodeProperties: {{key: id(a)}},
    targetNodeProperties: CASE WHEN b IS NULL THEN null ELSE {{key: id(b)}} END,
    relationshipProperties: CASE WHEN b IS NULL THEN null ELSE {{weight: shared}} END
}}, {{undirectedRelationshipTypes: ['*']}}) AS projected
RETURN projected.nodeCount AS nodes, projected.relationshipCount AS links
"""
COMPONENTS = """
CALL gds.wcc.stream($graph, {concurrency: 1}) YIELD nodeId, componentId
RETURN gds.util.asNode(nodeId).id AS id, componentId AS label
"""
LOUVAIN = """
CALL gds.louvain.mutate($graph, {
    relationshipWeightProperty: 'weight', mutateProperty: 'community', concurrency: 1
}) YIELD modularity
RETURN modularity
"""
COMMUNITIES = """
CALL gds.graph.nodeProperty.stream($graph, 'community') YIELD nodeId, propertyValue
RETURN gds.util.asNode(nodeId).id AS id, propertyValue AS label
"""
BETWEENNESS = """
CALL gds.betweenness.stream($graph, {concurrency: 1}) YIELD nodeId, score
RETURN gds.util.asNode(nodeId).id AS id, score
"""
CUT_VERTICES = """
CALL gds.articulationPoints.stream($graph, {concurrency: 1}) YIELD nodeId
RETURN gds.util.asNode(nodeId).id AS id
"""
KEY_OF = """
CALL gds.graph.nodeProperty.stream($graph, 'key') YIELD nodeId, propertyValue
WITH gds.util.asNode(nodeId) AS n, propertyValue
WHERE n.id = $id
RETURN propertyValue AS key
"""
WITHOUT_NODE = """
CALL gds.graph.filter($subgraph, $graph, 'n.key <> $key', '*', {parameters: {key: $key}})
YIELD nodeCount
RETURN nodeCount
"""
DROP = "CALL gds.graph.drop($graph, false) YIELD graphName RETURN graphName"


class GdsEngine:
    """Components, Louvain, betweenness and cut vertices computed by GDS on the server."""

    def __init__(self, store: Neo4jStore) -> None:
        self._store = store
        self._checked = False

    def analyse(
        self, network: nx.Graph, links: SharedLinks, *, seed: int, top: int
    ) -> NetworkAnalysis:
        """See :meth:`graph.network.NetworkEngine.analyse`.

        ``network`` is only compared with what the database holds now (the projection it
        was built from may be older); ``seed`` is not needed (see the module's docstring).
        Raises :class:`StoreUnavailable` when the server has no GDS.
        """
        self._check()
        with self._projected(links) as graph:
            labels = {row["id"]: row["label"] for row in self._run(COMPONENTS, graph=graph)}
            if set(labels) != set(network):
                raise StoreUnavailable(
                    "the graph changed while its fragmentation was computed; ask again"
                )
            modularity = 0.0
            communities: list[list[str]] = []
            if network.number_of_edges():
                modularity = float(self._run(LOUVAIN, graph=graph)[0]["modularity"])
                communities = grouped(
                    {row["id"]: row["label"] for row in self._run(COMMUNITIES, graph=graph)}
                )
            raw = {row["id"]: float(row["score"]) for row in self._run(BETWEENNESS, graph=graph)}
            betweenness = normalised_betweenness(raw, len(labels))
            cut_vertices = frozenset(row["id"] for row in self._run(CUT_VERTICES, graph=graph))
            components = grouped(labels)
            splits = {
                node: self._split(graph, node, labels)
                for node in top_brokers(betweenness, top)
                if node in cut_vertices
            }
        return NetworkAnalysis(
            components=components,
            communities=communities,
            modularity=modularity,
            betweenness=betweenness,
            cut_vertices=cut_vertices,
            splits=splits,
        )

    def _split(self, graph: str, node: str, labels: dict[str, Any]) -> list[int]:
        """Sizes of the pieces ``node``'s component falls into without it, largest first."""
        key = self._run(KEY_OF, graph=graph, id=node)[0]["key"]
        subgraph = f"{graph}-without"
        try:
            self._run(WITHOUT_NODE, subgraph=subgraph, graph=graph, key=key)
            pieces = {
                row["id"]: row["label"]
                for row in self._run(COMPONENTS, graph=subgraph)
                if labels[row["id"]] == labels[node]
            }
        finally:
            self._run(DROP, graph=subgraph)
        return [len(piece) for piece in grouped(pieces)]

    @contextmanager
    def _projected(self, links: SharedLinks) -> Iterator[str]:
        """A projection of the network under a name of its own, dropped on the way out."""
        graph = f"skillgraph-{uuid4().hex}"
        statement = PROJECT_SHARED_LINKS.format(
            kind=cypher.q(links.kind),
            rel=cypher.q(links.rel),
            hub=cypher.q(links.hub),
            flag=cypher.q(links.flag),
        )
        try:
            self._run(statement, graph=graph)
            yield graph
        finally:
            self._run(DROP, graph=graph)

    def _check(self) -> None:
        """One clear line when the server has no Graph Data Science library."""
        if self._checked:
            return
        try:
            self._store.run(VERSION)
        except QueryRefused as error:
            raise StoreUnavailable(
                f"Neo4j at {self._store.uri} has no Graph Data Science library "
                f"(install OpenGDS 2.13 into its plugins folder): {error}"
            ) from None
        self._checked = True

    def _run(self, statement: str, **params: Any) -> list[dict[str, Any]]:
        return self._store.run(statement, params)
