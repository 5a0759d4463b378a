"""The projection: the graph of the store, its shared edge dicts safe to change through the API."""

from __future__ import annotations

import pickle

import networkx as nx
import pytest

from graph.embedded import EmbeddedStore
from graph.schema import RELATIONSHIPS, NodeKind, RelType
from tests.queries.graphs import COMP, OFFER, ORG, build, edge

T1, T2 = (OFFER, "t-1"), (OFFER, "t-2")
C1, M1 = (COMP, "c-1"), (ORG, "m-1")


@pytest.fixture
def graph(embedded_store: EmbeddedStore) -> nx.MultiDiGraph:
    """Two offers teaching c-1; m-1 has expertise in c-1 and needs it; m-1 provides t-1."""
    nodes = {
        ORG: [{"id": "m-1", "name": "M", "member": True, "country": "DE"}],
        COMP: [{"id": "c-1", "label": "c"}],
        OFFER: [{"id": "t-1", "title": "one"}, {"id": "t-2", "title": "two"}],
    }
    links = [
        (RelType.TEACHES, "t-1", "c-1"),
        (RelType.TEACHES, "t-2", "c-1"),
        (RelType.HAS_EXPERTISE, "m-1", "c-1"),
        (RelType.NEEDS, "m-1", "c-1"),
        (RelType.PROVIDES, "m-1", "t-1"),
    ]
    edges = [edge(rel, *RELATIONSHIPS[rel].endpoints[0], a, b) for rel, a, b in links]
    return build(embedded_store, nodes, edges)


def test_the_projection_holds_the_store(graph: nx.MultiDiGraph) -> None:
    assert isinstance(graph, nx.MultiDiGraph)
    assert sorted(graph.edges(keys=True)) == sorted(
        [
            (T1, C1, "TEACHES"),
            (T2, C1, "TEACHES"),
            (M1, C1, "HAS_EXPERTISE"),
            (M1, C1, "NEEDS"),
            (M1, T1, "PROVIDES"),
        ]
    )
    assert graph.edges[T1, C1, "TEACHES"] == {"rel": RelType.TEACHES}
    assert {"id": "m-1", "name": "M", "member": True, "country": "DE"}.items() <= graph.nodes[
        M1
    ].items()
    node_keys = {id(node) for node in graph}
    assert {id(node) for nbrs in graph._succ.values() for node in nbrs} <= node_keys
    assert {id(node) for nbrs in graph._pred.values() for node in nbrs} <= node_keys


def test_changing_one_edge_leaves_the_others(graph: nx.MultiDiGraph) -> None:
    graph.add_edge(T1, C1, "TEACHES", weight=2)
    graph.add_edge(T1, C1, RelType.BROADER.value)
    graph.add_edges_from([(T2, C1, "TEACHES", {"note": "x"})])
    assert graph.edges[T1, C1, "TEACHES"] == {"rel": RelType.TEACHES, "weight": 2}
    assert graph.edges[T2, C1, "TEACHES"] == {"rel": RelType.TEACHES, "note": "x"}
    graph.remove_edge(T1, C1, "TEACHES")
    assert sorted(graph[T1][C1]) == ["BROADER"]
    assert list(graph[T2][C1]) == ["TEACHES"]
    assert list(graph[M1][T1]) == ["PROVIDES"]


def test_writing_to_a_shared_dict_is_refused(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(TypeError):
        graph.edges[T2, C1, "TEACHES"]["weight"] = 1
    assert graph.edges[T1, C1, "TEACHES"] == {"rel": RelType.TEACHES}


def test_copies_are_plain_and_pickling_keeps_the_graph(graph: nx.MultiDiGraph) -> None:
    copied = graph.copy()
    copied.edges[T1, C1, "TEACHES"]["weight"] = 1
    assert graph.edges[T1, C1, "TEACHES"] == {"rel": RelType.TEACHES}
    again = pickle.loads(pickle.dumps(graph))
    assert nx.utils.edges_equal(
        again.edges(keys=True, data=True), graph.edges(keys=True, data=True)
    )
    assert again.nodes[(NodeKind.COMPETENCE, "c-1")] == graph.nodes[C1]
