"""Collaboration partners: planted small graphs and the planted good partners of the sample."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from graph.embedded import EmbeddedStore
from graph.errors import NotFound
from graph.schema import NodeKind, RelType
from queries.partners import partners
from queries.projection import nodes_of
from tests.queries.graphs import COMP, OFFER, ORG, PRIO, PROJ, build, edge


def _org(org_id: str, country: str, org_type: str) -> dict[str, Any]:
    return {"id": org_id, "name": f"Org {org_id}", "country": country, "type": org_type}


def _teaches(org: str, offer: str, competence: str) -> list[tuple[Any, ...]]:
    return [
        edge(RelType.PROVIDES, ORG, OFFER, org, offer),
        edge(RelType.TEACHES, OFFER, COMP, offer, competence),
    ]


@pytest.fixture
def network(embedded_store: EmbeddedStore) -> nx.MultiDiGraph:
    """Member ``me`` needs c-bms and c-twin, knows c-cells and raised ``networking``.

    - good (DE, training_provider): teaches c-bms in two courses and has expertise in it
    - known (DE, training_provider): the same, but already in project p-1 with ``me``
    - twin (FR, university): teaches c-twin
    - peer (ES, supplier): shares the expertise c-cells only
    - voter (ES, supplier): raised ``networking`` too, nothing else
    - idle (DE, training_provider): expertise in c-paint only, nothing ``me`` needs
    """
    orgs = [
        _org("me", "ES", "oem"),
        _org("good", "DE", "training_provider"),
        _org("known", "DE", "training_provider"),
        _org("twin", "FR", "university"),
        _org("peer", "ES", "supplier"),
        _org("voter", "ES", "supplier"),
        _org("idle", "DE", "training_provider"),
    ]
    competences = [
        {"id": "c-bms", "label": "battery management systems"},
        {"id": "c-twin", "label": "digital twin"},
        {"id": "c-cells", "label": "cell manufacturing"},
        {"id": "c-paint", "label": "painting"},
    ]
    offers = [{"id": o, "title": o} for o in ("t-1", "t-2", "t-3", "t-4")]
    edges = [
        edge(RelType.NEEDS, ORG, COMP, "me", "c-bms"),
        edge(RelType.NEEDS, ORG, COMP, "me", "c-twin"),
        edge(RelType.HAS_EXPERTISE, ORG, COMP, "me", "c-cells"),
        edge(RelType.RAISED, ORG, PRIO, "me", "networking", count=2),
        *_teaches("good", "t-1", "c-bms"),
        *_teaches("good", "t-2", "c-bms"),
        edge(RelType.HAS_EXPERTISE, ORG, COMP, "good", "c-bms"),
        *_teaches("known", "t-3", "c-bms"),
        edge(RelType.HAS_EXPERTISE, ORG, COMP, "known", "c-bms"),
        edge(RelType.PARTICIPATES_IN, ORG, PROJ, "me", "p-1", role="coordinator"),
        edge(RelType.PARTICIPATES_IN, ORG, PROJ, "known", "p-1", role="partner"),
        *_teaches("twin", "t-4", "c-twin"),
        edge(RelType.HAS_EXPERTISE, ORG, COMP, "peer", "c-cells"),
        edge(RelType.HAS_EXPERTISE, ORG, COMP, "idle", "c-paint"),
        edge(RelType.RAISED, ORG, PRIO, "voter", "networking", count=1),
    ]
    nodes = {
        ORG: orgs,
        COMP: competences,
        OFFER: offers,
        PROJ: [{"id": "p-1", "title": "Project one"}],
        PRIO: [{"id": "networking", "kind": "goal", "label": "Networking"}],
    }
    return build(embedded_store, nodes, edges)


def _ids(report: Any) -> list[str]:
    return [r.id for r in report.recommendations]


def test_good_partner_first_with_reasons_existing_partner_apart(
    network: nx.MultiDiGraph,
) -> None:
    report = partners(network, "me")
    assert report.member == "me"
    assert report.existing_partners == ["known"]
    assert _ids(report)[0] == "good"
    assert "known" not in _ids(report)
    assert "idle" not in _ids(report)  # nothing in common: not recommended at all
    good = report.recommendations[0]
    assert good.reasons[0] == (
        "offers 2 courses in battery management systems, which you need, and has expertise in it"
    )
    assert good.courses_for_needs == {"c-bms": ["t-1", "t-2"]}
    assert good.expertise_for_needs == ["c-bms"]
    assert good.complementarity == 1.5


def test_score_components_rank_and_explain_the_others(network: nx.MultiDiGraph) -> None:
    report = partners(network, "me")
    assert _ids(report) == ["good", "twin", "peer", "voter"]
    by_id = {r.id: r for r in report.recommendations}
    assert by_id["twin"].reasons == ["offers 1 course in digital twin, which you need"]
    assert by_id["peer"].common_competences == ["c-cells"]
    assert by_id["peer"].shared_interests > 0
    assert by_id["peer"].complementarity == 0
    assert by_id["peer"].reasons == ["shares your expertise in cell manufacturing"]
    assert by_id["voter"].shared_priorities == 1.0
    assert by_id["voter"].reasons == ["raised the same priority as you: Networking"]
    scores = [r.score for r in report.recommendations]
    assert scores == sorted(scores, reverse=True)


def test_filters_country_type_and_limit(network: nx.MultiDiGraph) -> None:
    assert _ids(partners(network, "me", country="FR")) == ["twin"]
    assert _ids(partners(network, "me", country="de")) == ["good"]
    assert _ids(partners(network, "me", org_type="supplier")) == ["peer", "voter"]
    assert _ids(partners(network, "me", country="ES", org_type="university")) == []
    assert _ids(partners(network, "me", limit=2)) == ["good", "twin"]
    # filters narrow the recommendations only; existing partners stay listed
    assert partners(network, "me", country="FR").existing_partners == ["known"]


def test_unknown_member_is_not_found(network: nx.MultiDiGraph) -> None:
    with pytest.raises(NotFound) as raised:
        partners(network, "nobody")
    assert (raised.value.kind, raised.value.entity_id) == ("organisation", "nobody")


def test_json_has_the_issue_keys(network: nx.MultiDiGraph) -> None:
    dumped = partners(network, "me").model_dump(mode="json")
    assert {"member", "recommendations", "existing_partners"} <= set(dumped)
    assert {"id", "name", "score", "reasons"} <= set(dumped["recommendations"][0])
    assert isinstance(dumped["recommendations"][0]["score"], float)


@pytest.mark.parametrize("pair", range(3))
def test_sample_good_partners_rank_high(
    sample_graph: nx.MultiDiGraph, planted: dict[str, Any], pair: int
) -> None:
    good = planted["good_partners"][pair]
    report = partners(sample_graph, good["needs"])
    ranked = _ids(report)
    assert good["offers"] in ranked[:3]
    recommendation = report.recommendations[ranked.index(good["offers"])]
    assert good["offer"] in recommendation.courses_for_needs[good["competence"]]
    label = sample_graph.nodes[(NodeKind.COMPETENCE, good["competence"])]["label"]
    assert any(label in reason and "which you need" in reason for reason in recommendation.reasons)


def test_sample_never_recommends_existing_partners(sample_graph: nx.MultiDiGraph) -> None:
    for node, _ in nodes_of(sample_graph, NodeKind.ORGANISATION):
        report = partners(sample_graph, node[1], limit=100)
        assert not set(_ids(report)) & set(report.existing_partners), node[1]
        assert node[1] not in _ids(report)
    assert "m-013" in partners(sample_graph, "m-004").existing_partners  # both in p-011
