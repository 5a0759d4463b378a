"""The five view builders on the sample data and on a graph larger than the node budget."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from graph.errors import InputError, NotFound
from graph.schema import NodeKind, RelType
from queries.duplicates import duplicates
from queries.fragmentation import fragmentation
from queries.gaps import gaps
from queries.partners import partners
from viz.layout import spring_positions
from viz.style import GAP, RECOGNITION, RECOMMENDED
from viz.views import (
    ECOSYSTEM_KINDS,
    competence_view,
    duplicates_view,
    ecosystem_view,
    fragmentation_view,
    organisation_view,
)

PLACE_RELS = {RelType.LOCATED_IN, RelType.ACTIVE_IN}


def _ids(view: object) -> set[str]:
    return {n["id"] for n in view.nodes}  # type: ignore[attr-defined]


def test_the_ecosystem_draws_every_entity_and_relationship_once(
    sample_graph: nx.MultiDiGraph,
) -> None:
    g = sample_graph
    entities = [n for n in g.nodes if n[0] in ECOSYSTEM_KINDS]
    links = {(a, b, k) for a, b, k in g.edges(keys=True)
             if a[0] in ECOSYSTEM_KINDS and b[0] in ECOSYSTEM_KINDS and k not in PLACE_RELS}  # fmt: skip
    view = ecosystem_view(g)
    assert len(view.nodes) == len(entities) and len(view.edges) == len(links)
    assert view.notes == []
    kinds = {n["kind"] for n in view.nodes}
    assert kinds == {"organisation", "project", "training offer", "competence", "priority"}
    members = {n["member"] for n in view.nodes if n["kind"] == "organisation"}
    assert members == {True, False}  # members and non-members are told apart
    assert all("x" in n and "y" in n and n["size"] > 0 for n in view.nodes)
    org = next(n for n in view.nodes if n["id"] == "Organisation:m-001")
    assert org["link"] == "/app/organisations/m-001" and org["countries"] == ["DE"]
    assert org["view"] == "/viz/organisations/m-001"
    offer = next(n for n in view.nodes if n["kind"] == "training offer")
    assert offer["link"].startswith("/app/training-offers/") and offer["view"] is None


def test_beyond_the_budget_the_most_central_part_is_shown_and_the_rest_is_named(
    large_graph: nx.MultiDiGraph,
) -> None:
    view = ecosystem_view(large_graph)
    assert len(view.nodes) == 1500
    [note] = view.notes
    assert "1,500 most connected of 1,946" in note and "446 training offers" in note
    assert "?country=" in note and "--budget" in note
    sizes = {n["id"]: n["size"] for n in view.nodes}
    assert max(sizes.values()) > min(sizes.values())  # sized by centrality
    small = ecosystem_view(large_graph, budget=100)
    assert len(small.nodes) == 100 and "100 most connected" in small.notes[0]


def test_narrowing_by_country_kind_and_type(large_graph: nx.MultiDiGraph) -> None:
    view = ecosystem_view(large_graph, countries=["de"], kinds=[NodeKind.ORGANISATION],
                          org_types=["oem"], budget=5000)  # fmt: skip
    assert view.nodes and all(n["countries"] == ["DE"] and n["orgType"] == "oem"
                              for n in view.nodes)  # fmt: skip
    assert "narrowed to countries DE" in view.subtitle
    with pytest.raises(InputError):
        ecosystem_view(large_graph, budget=0)


def test_the_same_graph_gives_the_same_picture(sample_graph: nx.MultiDiGraph) -> None:
    first = ecosystem_view(sample_graph)
    again = ecosystem_view(sample_graph)
    assert [(n["id"], n["x"], n["y"]) for n in first.nodes] == [
        (n["id"], n["x"], n["y"]) for n in again.nodes
    ]
    other = ecosystem_view(sample_graph, seed=8)
    assert [n["x"] for n in other.nodes] != [n["x"] for n in first.nodes]


def test_the_layout_keeps_linked_nodes_closer_than_unlinked_ones() -> None:
    g = nx.connected_caveman_graph(6, 8)
    pos = spring_positions(g.number_of_nodes(), list(g.edges()), seed=3)
    edges = np.array(list(g.edges()))
    linked = np.linalg.norm(pos[edges[:, 0]] - pos[edges[:, 1]], axis=1).mean()
    everyone = np.linalg.norm(pos[:, None] - pos[None, :], axis=2).mean()
    assert linked < 0.5 * everyone
    assert (spring_positions(48, list(g.edges()), seed=3) == pos).all()


def test_the_organisation_view_shows_its_neighbourhood_and_recommended_partners(
    sample_graph: nx.MultiDiGraph,
) -> None:
    g = sample_graph
    report = partners(g, "m-004")
    view = organisation_view(g, "m-004", report)
    ids = _ids(view)
    centre = ("Organisation", "m-004")
    neighbours = {f"{k.value}:{i}" for k, i in set(g.successors((NodeKind.ORGANISATION, "m-004")))
                  if k is not NodeKind.COUNTRY}  # fmt: skip
    assert f"{centre[0]}:{centre[1]}" in ids and neighbours <= ids
    assert {f"Organisation:{p}" for p in report.existing_partners} <= ids
    recommended = [e for e in view.edges if e["rel"] == "RECOMMENDED"]
    assert len(recommended) == len(report.recommendations) > 0
    assert all(e["color"] == RECOMMENDED and e["dashes"] for e in recommended)
    assert {e["label"] for e in recommended} == {f"{r.score:.2f}" for r in report.recommendations}
    deeper = organisation_view(g, "m-004", report, depth=2)
    assert _ids(view) < _ids(deeper)
    with pytest.raises(NotFound):
        organisation_view(g, "m-none", report)
    with pytest.raises(InputError):
        organisation_view(g, "m-004", report, depth=3)


def test_the_duplicates_view_draws_each_cluster_with_scores_and_recognition_apart(
    sample_graph: nx.MultiDiGraph, planted: dict[str, object]
) -> None:
    g = sample_graph
    report = duplicates(g)
    view = duplicates_view(g, report)
    pairs = [e for e in view.edges if e["rel"] == "DUPLICATE"]
    assert len(pairs) == sum(len(c.pairs) for c in report.clusters)
    scores = {c.pairs[0].score for c in report.clusters}
    assert {f"{s:.2f}" for s in scores} <= {e["label"] for e in pairs}
    ids = _ids(view)
    assert {"TrainingOffer:t-0143", "TrainingOffer:t-0113", "Project:p-011"} <= ids
    recognition = [e for e in view.edges if e["rel"] == "RECOGNITION"]
    assert recognition and all(e["color"] == RECOGNITION for e in recognition)
    runners = [e for e in view.edges if e["rel"] in ("PROVIDES", "PARTICIPATES_IN")]
    assert runners  # the organisations behind the initiatives


def test_the_competence_view_highlights_countries_with_demand_and_no_supply(
    sample_graph: nx.MultiDiGraph,
) -> None:
    g = sample_graph
    report = gaps(g, competence="c-h2-refuelling")
    expected = {x.country for x in report.gaps if x.supply == 0}
    view = competence_view(g, "c-h2-refuelling", report)
    flagged = {n["id"].split(":")[1] for n in view.nodes if n.get("gap")}
    assert flagged == expected and expected
    assert all(n["color"] == GAP for n in view.nodes if n.get("gap"))
    rels = {e["rel"] for e in view.edges}
    assert "NEEDS" in rels
    busy = "c-hv-safety"
    busy_view = competence_view(g, busy, gaps(g, competence=busy))
    assert {"NEEDS", "TEACHES"} <= {e["rel"] for e in busy_view.edges}
    with pytest.raises(NotFound):
        competence_view(g, "c-none", report)


def test_the_fragmentation_view_colours_communities_and_sets_isolated_members_apart(
    sample_graph: nx.MultiDiGraph, planted: dict[str, object]
) -> None:
    g = sample_graph
    report = fragmentation(g)
    view = fragmentation_view(g, report)
    by_id = {n["id"]: n for n in view.nodes}
    isolated = [by_id[f"Organisation:{m}"] for m in report.isolated_members]
    rest = [n for n in view.nodes if not n.get("isolated")]
    assert isolated and min(n["x"] for n in isolated) > max(n["x"] for n in rest)
    brokers = [n for n in view.nodes if n.get("broker")]
    assert {n["id"] for n in brokers} == {f"Organisation:{b.id}" for b in report.brokers}
    assert min(n["size"] for n in brokers) > max(n["size"] for n in rest if not n.get("broker"))
    communities = {n["community"] for n in view.nodes if n["community"] is not None}
    assert communities == set(range(len(report.communities)))
    assert view.notes == [f"{len(isolated)} members in no project are shown apart, on the right."]
