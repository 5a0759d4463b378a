"""Priorities with their support, who raised them and what addresses them."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from graph.embedded import EmbeddedStore
from graph.model import PriorityKind
from graph.schema import NodeKind, RelType
from queries.priorities import PriorityEntry, priorities
from tests.queries.graphs import OFFER, ORG, PRIO, PROJ, build, edge

PRIORITIES = [  # id, kind, support
    ("b-small", "blocker", 3),
    ("b-big", "blocker", 10),
    ("g-big", "goal", 20),
    ("g-zero", "goal", 0),
]


@pytest.fixture
def poll(embedded_store: EmbeddedStore) -> nx.MultiDiGraph:
    """Four priorities: raised by members (with answer counts), addressed by a project and offer.

    - b-big: raised by o1 (2 answers) and o2 (1); addressed by p-1 and t-1
    - b-small: raised by o2; addressed by nothing
    - g-big: raised by o1; addressed by p-1
    - g-zero: no support, raised by nobody, addressed by nothing
    """
    orgs = [{"id": o, "name": o, "member": True, "type": "oem"} for o in ("o1", "o2")]
    prios = [{"id": p, "kind": k, "label": p.upper(), "support": s} for p, k, s in PRIORITIES]
    edges = [
        edge(RelType.RAISED, ORG, PRIO, "o1", "b-big", count=2),
        edge(RelType.RAISED, ORG, PRIO, "o2", "b-big", count=1),
        edge(RelType.RAISED, ORG, PRIO, "o2", "b-small", count=1),
        edge(RelType.RAISED, ORG, PRIO, "o1", "g-big", count=1),
        edge(RelType.ADDRESSES, PROJ, PRIO, "p-1", "b-big"),
        edge(RelType.ADDRESSES, OFFER, PRIO, "t-1", "b-big"),
        edge(RelType.ADDRESSES, PROJ, PRIO, "p-1", "g-big"),
    ]
    nodes: dict[NodeKind, list[dict[str, Any]]] = {
        ORG: orgs,
        PRIO: prios,
        PROJ: [{"id": "p-1", "title": "p-1"}],
        OFFER: [{"id": "t-1", "title": "t-1"}],
    }
    return build(embedded_store, nodes, edges)


def _by_id(entries: list[PriorityEntry]) -> dict[str, PriorityEntry]:
    return {p.id: p for p in entries}


def test_support_raisers_and_addressers(poll: nx.MultiDiGraph) -> None:
    found = _by_id(priorities(poll).priorities)
    assert set(found) == {p for p, _, _ in PRIORITIES}
    big = found["b-big"]
    assert (big.label, big.support) == ("B-BIG", 10)
    assert big.raised_by == ["o1", "o2"]
    assert big.raised_answers == {"o1": 2, "o2": 1}
    assert big.addressed_by == ["p-1", "t-1"]
    assert (big.addressing_projects, big.addressing_offers) == (["p-1"], ["t-1"])
    assert (found["b-small"].raised_by, found["b-small"].addressed_by) == (["o2"], [])
    assert found["g-big"].addressed_by == ["p-1"]
    zero = found["g-zero"]
    assert (zero.support, zero.raised_by, zero.addressed_by) == (0, [], [])


def test_unclassified_answers_are_passed_through(poll: nx.MultiDiGraph) -> None:
    assert priorities(poll).unclassified_answers == 0
    dumped = priorities(poll, unclassified_answers=8).model_dump(mode="json")
    assert dumped["unclassified_answers"] == 8
    keys = {"id", "kind", "label", "support", "raised_by", "addressed_by"}
    assert keys <= set(dumped["priorities"][0])


def test_kind_is_kept_and_orders_blockers_then_goals_by_support(poll: nx.MultiDiGraph) -> None:
    report = priorities(poll)
    assert [(p.id, p.kind) for p in report.priorities] == [
        ("b-big", PriorityKind.BLOCKER),
        ("b-small", PriorityKind.BLOCKER),
        ("g-big", PriorityKind.GOAL),
        ("g-zero", PriorityKind.GOAL),
    ]


def test_sample_priorities(sample_graph: nx.MultiDiGraph, planted: dict[str, Any]) -> None:
    report = priorities(sample_graph, unclassified_answers=len(planted["poll_unmatched_answers"]))
    found = _by_id(report.priorities)
    assert set(found) == {
        "limited-resources",
        "fragmentation",
        "lack-of-recognition",
        "networking",
        "best-practices",
        "staying-informed",
    }
    # support is the poll count the ingest wrote (the classifier, not this analysis, sets it)
    for pid, entry in found.items():
        assert entry.support == sample_graph.nodes[(NodeKind.PRIORITY, pid)]["support"] > 0
    assert found["lack-of-recognition"].support == 16
    assert found["networking"].support == 46
    assert found[planted["unaddressed_priority"]].addressed_by == []
    for pid, entry in found.items():
        assert entry.raised_by, pid
        if pid != planted["unaddressed_priority"]:
            assert len(entry.addressing_projects) >= 4, pid
    assert report.unclassified_answers == 8
