"""One competence node per concept: a linked ESCO skill and its competence meet in analyses."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from graph.embedded import EmbeddedStore
from graph.schema import NodeKind, RelType
from queries.gaps import gaps
from queries.overlaps import overlaps
from tests.queries.graphs import COMP, COUNTRY, OFFER, ORG, build, edge

URI = "http://data.europa.eu/esco/skill/hv"
SHARED = "http://data.europa.eu/esco/skill/shared"


@pytest.fixture
def linked(embedded_store: EmbeddedStore) -> nx.MultiDiGraph:
    """c-hv cites the ESCO skill esco-hv (same URI); m-pl needs c-hv in PL, where only t-pl
    teaches it, as esco-hv; t-own (DE) teaches it under both ids.

    c-a and c-b both cite SHARED (ambiguous): the skill esco-shared stays apart.
    """
    comps: list[dict[str, Any]] = [
        {"id": "c-hv", "label": "High-voltage safety", "esco_uri": URI},
        {"id": "esco-hv", "label": "high-voltage safety", "esco_uri": URI},
        {"id": "esco-broad", "label": "electrical safety", "esco_uri": "u-broad"},
        {"id": "c-a", "label": "a", "esco_uri": SHARED},
        {"id": "c-b", "label": "b", "esco_uri": SHARED},
        {"id": "esco-shared", "label": "shared", "esco_uri": SHARED},
    ]
    nodes = {
        ORG: [
            {"id": "m-pl", "name": "m-pl", "member": True, "country": "PL"},
            {"id": "o-2", "name": "o-2", "member": True, "country": "PL"},
            {"id": "o-3", "name": "o-3", "member": True, "country": "PL"},
        ],
        COUNTRY: [{"id": "PL", "name": "Poland"}, {"id": "DE", "name": "Germany"}],
        COMP: comps,
        OFFER: [{"id": "t-pl", "title": "HV course"}, {"id": "t-own", "title": "HV basics"}],
    }
    edges = [
        edge(RelType.LOCATED_IN, ORG, COUNTRY, "m-pl", "PL"),
        edge(RelType.NEEDS, ORG, COMP, "m-pl", "c-hv"),
        edge(RelType.PROVIDES, ORG, OFFER, "o-2", "t-pl"),
        edge(RelType.TEACHES, OFFER, COMP, "t-pl", "esco-hv"),
        edge(RelType.ACTIVE_IN, OFFER, COUNTRY, "t-pl", "PL"),
        edge(RelType.PROVIDES, ORG, OFFER, "o-3", "t-own"),
        edge(RelType.TEACHES, OFFER, COMP, "t-own", "c-hv"),
        edge(RelType.TEACHES, OFFER, COMP, "t-own", "esco-hv"),
        edge(RelType.ACTIVE_IN, OFFER, COUNTRY, "t-own", "DE"),
        edge(RelType.BROADER, COMP, COMP, "esco-hv", "esco-broad"),
        edge(RelType.BROADER, COMP, COMP, "c-hv", "esco-hv"),
    ]
    return build(embedded_store, nodes, edges)


def _out(graph: nx.MultiDiGraph, kind: NodeKind, node: str, rel: RelType) -> list[str]:
    return sorted(d[1] for _, d, r in graph.out_edges((kind, node), keys=True) if r == rel)


def test_the_linked_skill_is_folded_into_the_competence(linked: nx.MultiDiGraph) -> None:
    assert (COMP, "esco-hv") not in linked
    assert linked.nodes[(COMP, "c-hv")]["merged_from"] == ["esco-hv"]
    assert linked.nodes[(COMP, "c-hv")]["label"] == "High-voltage safety"  # its own properties
    assert _out(linked, OFFER, "t-pl", RelType.TEACHES) == ["c-hv"]
    assert _out(linked, OFFER, "t-own", RelType.TEACHES) == ["c-hv"]  # one edge, not two
    assert _out(linked, COMP, "c-hv", RelType.BROADER) == ["esco-broad"]  # no self-loop


def test_an_ambiguous_uri_is_left_apart(linked: nx.MultiDiGraph) -> None:
    assert {(COMP, c) for c in ("c-a", "c-b", "esco-shared")} <= set(linked)


def test_demand_on_the_competence_meets_supply_on_the_skill(linked: nx.MultiDiGraph) -> None:
    report = gaps(linked)
    assert report.member_needs == []
    assert report.member_gaps == {}
    (overlap,) = [o for o in overlaps(linked).overlaps if o.country is None]
    assert (overlap.competence, overlap.initiatives) == ("c-hv", ["t-own", "t-pl"])
