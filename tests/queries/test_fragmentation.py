"""Fragmentation of the collaboration network: planted small graphs and the sample data."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from graph.embedded import EmbeddedStore
from graph.schema import RelType
from graph.store import Store
from queries.fragmentation import FragmentationReport, fragmentation
from queries.projection import project
from tests.queries.graphs import COMP, ORG, PROJ, build, edge

LEFT = ["a1", "a2", "a3"]
RIGHT = ["b1", "b2", "b3"]


def _org(org_id: str, *, member: bool = True) -> dict[str, Any]:
    return {"id": org_id, "name": f"Organisation {org_id}", "member": member, "type": "supplier"}


def _in(org: str, project_id: str) -> tuple[Any, ...]:
    return edge(RelType.PARTICIPATES_IN, ORG, PROJ, org, project_id, role="partner")


def _knows(org: str, competence: str) -> tuple[Any, ...]:
    return edge(RelType.HAS_EXPERTISE, ORG, COMP, org, competence)


@pytest.fixture
def bridged(embedded_store: EmbeddedStore) -> nx.MultiDiGraph:
    """The graph of :func:`build_bridged` in an embedded store."""
    return build_bridged(embedded_store)


def build_bridged(store: Store) -> nx.MultiDiGraph:
    """Two groups joined only by broker k; a third pair with a non-member; one isolated member.

    - p-left: a1, a2, a3, k      - p-right: b1, b2, b3, k
    - p-other: c1, c2 and the non-member partner y
    - i1: a member in no project; z: a non-member in no project (not in the network)
    - c-split: expertise of a2 and c1 (two groups); c-joined: expertise of a2 and b2 (one group)
    """
    orgs = [_org(o) for o in [*LEFT, *RIGHT, "k", "c1", "c2", "i1"]]
    orgs += [_org("y", member=False), _org("z", member=False)]
    projects = [{"id": p, "title": p} for p in ("p-left", "p-right", "p-other")]
    competences = [{"id": c, "label": c} for c in ("c-split", "c-joined")]
    edges = [_in(o, "p-left") for o in [*LEFT, "k"]]
    edges += [_in(o, "p-right") for o in [*RIGHT, "k"]]
    edges += [_in(o, "p-other") for o in ("c1", "c2", "y")]
    edges += [_knows("a2", "c-split"), _knows("c1", "c-split")]
    edges += [_knows("a2", "c-joined"), _knows("b2", "c-joined")]
    return build(store, {ORG: orgs, PROJ: projects, COMP: competences}, edges)


def test_broker_between_two_groups_is_the_top_broker(bridged: nx.MultiDiGraph) -> None:
    report = fragmentation(bridged)
    top = report.brokers[0]
    assert top.id == "k"
    assert top.cut_vertex
    assert top.splits_into == [3, 3]
    # inside a fully linked group nobody is on a shortest path: no other broker at all
    assert [b.id for b in report.brokers] == ["k"]


def test_components_isolated_members_and_who_counts(bridged: nx.MultiDiGraph) -> None:
    report = fragmentation(bridged)
    # 11 = 10 members + the non-member partner y; z (non-member in no project) is left out
    assert report.organisations == 11
    assert report.members == 10
    assert report.components == 3
    assert report.collaborating_components == 2
    assert report.component_members == [sorted([*LEFT, *RIGHT, "k"]), ["c1", "c2", "y"]]
    assert report.isolated_members == ["i1"]
    assert report.largest_component_share == pytest.approx(7 / 11, abs=1e-6)


def test_fragmentation_index_is_the_share_of_member_pairs_that_cannot_reach_each_other(
    bridged: nx.MultiDiGraph,
) -> None:
    report = fragmentation(bridged)
    # members per component: 7, 2 (y is no member), 1 -> reachable ordered pairs 42 + 2 of 90
    assert report.fragmentation_index == pytest.approx(1 - 44 / 90, abs=1e-6)


def test_communities_separate_the_groups(bridged: nx.MultiDiGraph) -> None:
    report = fragmentation(bridged)
    community_of = {org: i for i, c in enumerate(report.communities) for org in c}
    assert len({community_of[o] for o in LEFT}) == 1
    assert len({community_of[o] for o in RIGHT}) == 1
    assert community_of["a1"] != community_of["b1"]
    assert community_of["c1"] == community_of["c2"] == community_of["y"]
    assert "i1" not in community_of  # isolated members are listed as such, not as communities
    sizes = [len(c) for c in report.communities]
    assert sizes == sorted(sizes, reverse=True)
    assert report.modularity > 0.3


def test_competence_worked_on_by_unlinked_groups_is_fragmented(bridged: nx.MultiDiGraph) -> None:
    entries = {e.competence: e for e in fragmentation(bridged).competence_fragmentation}
    assert entries["c-split"].groups == 2
    assert entries["c-split"].group_members == [["a2"], ["c1"]]
    assert entries["c-split"].fragmentation == 1.0
    assert entries["c-joined"].groups == 1  # a2 and b2 reach each other through broker k
    assert entries["c-joined"].fragmentation == 0.0


def test_report_is_deterministic_and_has_the_issue_keys(bridged: nx.MultiDiGraph) -> None:
    first = fragmentation(bridged, top_brokers=3).model_dump(mode="json")
    assert first == fragmentation(bridged, top_brokers=3).model_dump(mode="json")
    assert {
        "organisations",
        "components",
        "largest_component_share",
        "isolated_members",
        "communities",
        "modularity",
        "brokers",
        "fragmentation_index",
        "competence_fragmentation",
    } <= set(first)
    assert set(first["brokers"][0]) >= {"id", "betweenness"}


def test_empty_graph_is_not_fragmented(embedded_store: EmbeddedStore) -> None:
    report = fragmentation(project(embedded_store))
    assert report == FragmentationReport(
        organisations=0,
        members=0,
        collaborations=0,
        components=0,
        collaborating_components=0,
        component_members=[],
        largest_component_share=0.0,
        isolated_members=[],
        communities=[],
        modularity=0.0,
        brokers=[],
        fragmentation_index=0.0,
        competence_fragmentation=[],
    )


def test_sample_network_matches_the_planted_shape(
    sample_graph: nx.MultiDiGraph, planted: dict[str, Any]
) -> None:
    report = fragmentation(sample_graph)
    member_ids = {node[1] for node, data in sample_graph.nodes(data=True) if data.get("member")}
    components = [[o for o in c if o in member_ids] for c in report.component_members]
    assert components == planted["network_components"]
    assert report.isolated_members == planted["isolated_members"]
    assert report.components == len(planted["network_components"]) + len(
        planted["isolated_members"]
    )
    sizes = [len(c) for c in planted["network_components"]]
    sizes += [1] * len(planted["isolated_members"])
    pairs = sum(n * (n - 1) for n in sizes)
    total = sum(sizes)
    assert report.fragmentation_index == pytest.approx(1 - pairs / (total * (total - 1)), abs=1e-6)


def test_sample_broker_is_found(sample_graph: nx.MultiDiGraph, planted: dict[str, Any]) -> None:
    report = fragmentation(sample_graph)
    broker = planted["broker"]
    assert report.brokers[0].id == broker
    assert report.brokers[0].cut_vertex
    # without the broker its component splits into the two regional groups (14 and 10)
    assert report.brokers[0].splits_into == [14, 10]
    assert [b.id for b in report.brokers if b.cut_vertex] == [broker]
