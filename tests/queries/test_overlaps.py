"""Overlaps and coordination opportunities: a planted small graph and the sample data."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import networkx as nx
import pytest

from graph.embedded import EmbeddedStore
from graph.schema import NodeKind, RelType
from queries.overlaps import Overlap, collaboration_graph, overlaps
from tests.queries.graphs import COMP, COUNTRY, OFFER, ORG, PROJ, build, edge


def _org(org_id: str) -> dict[str, Any]:
    return {"id": org_id, "name": f"Organisation {org_id}", "member": True, "type": "supplier"}


def _offer(offer_id: str, provider: str, competence: str, country: str) -> list[tuple[Any, ...]]:
    return [
        edge(RelType.PROVIDES, ORG, OFFER, provider, offer_id),
        edge(RelType.TEACHES, OFFER, COMP, offer_id, competence),
        edge(RelType.ACTIVE_IN, OFFER, COUNTRY, offer_id, country),
    ]


def _project(project_id: str, orgs: list[str], competence: str, countries: list[str]) -> list[Any]:
    edges = [edge(RelType.PARTICIPATES_IN, ORG, PROJ, o, project_id, role="partner") for o in orgs]
    edges.append(edge(RelType.TARGETS, PROJ, COMP, project_id, competence))
    edges += [edge(RelType.ACTIVE_IN, PROJ, COUNTRY, project_id, c) for c in countries]
    return edges


@pytest.fixture
def initiatives(embedded_store: EmbeddedStore) -> nx.MultiDiGraph:
    """Overlaps of unconnected and of connected organisations, and non-overlaps.

    - c-dup: t-1 (o1, DE), t-2 (o2, DE), p-mixed (o1 + o7, DE and PL); o2 never worked
      with o1 or o7: a coordination opportunity.
    - c-known: t-3 (o3, FR), t-4 (o4, FR); o3 and o4 are both in p-joint (on c-other).
    - c-solo: t-5 and t-6, both by o5 (one organisation: no overlap).
    - c-single: t-7 by o6 alone; c-other: p-joint alone.
    """
    orgs = [_org(f"o{i}") for i in range(1, 8)]
    offers = [{"id": f"t-{i}", "title": f"Offer {i}"} for i in range(1, 8)]
    projects = [{"id": p, "title": p} for p in ("p-mixed", "p-joint")]
    comps = [{"id": c, "label": c} for c in ("c-dup", "c-known", "c-solo", "c-single", "c-other")]
    countries = [{"id": c, "name": c} for c in ("DE", "FR", "PL")]
    edges = [
        *_offer("t-1", "o1", "c-dup", "DE"),
        *_offer("t-2", "o2", "c-dup", "DE"),
        *_project("p-mixed", ["o1", "o7"], "c-dup", ["DE", "PL"]),
        *_offer("t-3", "o3", "c-known", "FR"),
        *_offer("t-4", "o4", "c-known", "FR"),
        *_project("p-joint", ["o3", "o4"], "c-other", ["FR"]),
        *_offer("t-5", "o5", "c-solo", "FR"),
        *_offer("t-6", "o5", "c-solo", "FR"),
        *_offer("t-7", "o6", "c-single", "FR"),
    ]
    nodes = {ORG: orgs, OFFER: offers, PROJ: projects, COMP: comps, COUNTRY: countries}
    return build(embedded_store, nodes, edges)


def _find(report_overlaps: list[Overlap], competence: str, country: str | None) -> Overlap:
    found = [o for o in report_overlaps if (o.competence, o.country) == (competence, country)]
    assert len(found) == 1, f"no single overlap for {competence} in {country}"
    return found[0]


def test_unconnected_organisations_on_one_competence_are_a_coordination_opportunity(
    initiatives: nx.MultiDiGraph,
) -> None:
    report = overlaps(initiatives)
    for country in (None, "DE"):
        dup = _find(report.overlaps, "c-dup", country)
        assert dup.initiatives == ["p-mixed", "t-1", "t-2"]
        assert dup.projects == ["p-mixed"]
        assert dup.offers == ["t-1", "t-2"]
        assert dup.organisations == ["o1", "o2", "o7"]
        assert dup.unconnected
        assert dup.groups == [["p-mixed", "t-1"], ["t-2"]]
        assert dup.never_worked_together == [("o1", "o2"), ("o2", "o7")]


def test_organisations_that_share_a_project_are_not_unconnected(
    initiatives: nx.MultiDiGraph,
) -> None:
    known = _find(overlaps(initiatives).overlaps, "c-known", "FR")
    assert known.initiatives == ["t-3", "t-4"]
    assert not known.unconnected
    assert known.groups == [["t-3", "t-4"]]
    assert known.never_worked_together == []


def test_one_organisation_or_one_initiative_is_no_overlap(initiatives: nx.MultiDiGraph) -> None:
    reported = {(o.competence, o.country) for o in overlaps(initiatives).overlaps}
    assert reported == {("c-dup", None), ("c-dup", "DE"), ("c-known", None), ("c-known", "FR")}


def test_ranked_by_initiatives_then_organisations_and_filtered(
    initiatives: nx.MultiDiGraph,
) -> None:
    ranked = [(o.competence, o.country) for o in overlaps(initiatives).overlaps]
    assert ranked == [("c-dup", None), ("c-dup", "DE"), ("c-known", None), ("c-known", "FR")]
    in_fr = overlaps(initiatives, country="FR").overlaps
    assert [(o.competence, o.country) for o in in_fr] == [("c-known", "FR")]
    only = overlaps(initiatives, competence="c-dup", limit=1).overlaps
    assert [(o.competence, o.country) for o in only] == [("c-dup", None)]


def test_json_has_the_issue_keys(initiatives: nx.MultiDiGraph) -> None:
    dumped = overlaps(initiatives, limit=1).model_dump(mode="json")
    entry = dumped["overlaps"][0]
    assert {"competence", "country", "initiatives", "organisations", "unconnected"} <= set(entry)
    assert entry["country"] is None


def _providers(graph: nx.MultiDiGraph, offer: str) -> set[str]:
    key = (NodeKind.TRAINING_OFFER, offer)
    return {src[1] for src, _, rel in graph.in_edges(key, keys=True) if rel == RelType.PROVIDES}


def _out(graph: nx.MultiDiGraph, kind: NodeKind, node: str, rel: RelType) -> set[str]:
    return {dst[1] for _, dst, r in graph.out_edges((kind, node), keys=True) if r == rel}


def test_sample_duplicate_providers_are_coordination_opportunities(
    sample_graph: nx.MultiDiGraph, planted: dict[str, Any]
) -> None:
    report = overlaps(sample_graph)
    for name, cluster in planted["duplicate_offer_clusters"].items():
        competences = set.intersection(
            *(_out(sample_graph, NodeKind.TRAINING_OFFER, t, RelType.TEACHES) for t in cluster)
        )
        (country,) = set.intersection(
            *(_out(sample_graph, NodeKind.TRAINING_OFFER, t, RelType.ACTIVE_IN) for t in cluster)
        )
        providers = set().union(*(_providers(sample_graph, t) for t in cluster))
        assert len(providers) == len(cluster), name
        for competence in competences:
            found = _find(report.overlaps, competence, country)
            assert set(cluster) <= set(found.initiatives), name
            assert found.unconnected, name
            pairs = {tuple(sorted(pair)) for pair in combinations(providers, 2)}
            assert pairs <= set(found.never_worked_together), name


def test_sample_duplicate_projects_are_in_different_groups(
    sample_graph: nx.MultiDiGraph, planted: dict[str, Any]
) -> None:
    report = overlaps(sample_graph)
    for first, second in planted["duplicate_projects"]:
        shared = _out(sample_graph, NodeKind.PROJECT, first, RelType.TARGETS) & _out(
            sample_graph, NodeKind.PROJECT, second, RelType.TARGETS
        )
        assert shared
        for competence in shared:
            found = _find(report.overlaps, competence, None)
            group_of = {i: n for n, group in enumerate(found.groups) for i in group}
            assert group_of[first] != group_of[second]


def test_sample_reported_pairs_never_shared_a_project(sample_graph: nx.MultiDiGraph) -> None:
    collaborations = collaboration_graph(sample_graph)
    report = overlaps(sample_graph)
    assert any(o.unconnected for o in report.overlaps)
    assert any(not o.unconnected for o in report.overlaps)
    for overlap in report.overlaps:
        assert overlap.unconnected == bool(overlap.never_worked_together)
        for a, b in overlap.never_worked_together:
            assert not collaborations.has_edge(a, b)


def test_pairs_evidence_is_capped_but_counted() -> None:
    from queries.overlaps import _Initiative, _never_worked_together

    def initiative(name: str, orgs: range) -> _Initiative:
        return _Initiative(name, NodeKind.TRAINING_OFFER, frozenset(f"o{i:03d}" for i in orgs),
                           frozenset(), frozenset())  # fmt: skip

    items = [
        initiative("a", range(0, 30)),
        initiative("b", range(30, 60)),
        initiative("c", range(60, 62)),
    ]
    pairs, count = _never_worked_together(items, [["a"], ["b"], ["c"]], at_most=10)
    assert count == 30 * 30 + 30 * 2 + 30 * 2
    assert len(pairs) == 10 and pairs == sorted(pairs)
    assert pairs[0] == ("o000", "o030")


def test_an_overlap_names_a_handful_of_organisations_one_per_group_first() -> None:
    from queries.overlaps import _Initiative, _named

    def initiative(name: str, *orgs: str) -> _Initiative:
        return _Initiative(name, NodeKind.TRAINING_OFFER, frozenset(orgs), frozenset(),
                           frozenset())  # fmt: skip

    # group 1: six organisations, o-busy in three initiatives; groups 2 and 3: one each
    items = [
        initiative("a", "o-busy", "o-1", "o-2"),
        initiative("b", "o-busy", "o-3", "o-4"),
        initiative("c", "o-busy", "o-5"),
        initiative("d", "x-lone"),
        initiative("e", "y-lone"),
    ]
    named = _named(items, [["a", "b", "c"], ["d"], ["e"]], at_most=4)
    assert len(named) == 4 and named == sorted(named)
    assert {"o-busy", "x-lone", "y-lone"} <= set(named)  # every group is represented


def test_sample_opportunities_name_at_most_a_handful_and_count_the_rest(
    sample_graph: nx.MultiDiGraph,
) -> None:
    from queries.overlaps import ORGANISATIONS_NAMED

    report = overlaps(sample_graph)
    assert max(o.organisations_count for o in report.overlaps) > ORGANISATIONS_NAMED
    for overlap in report.overlaps:
        assert len(overlap.organisations) == min(ORGANISATIONS_NAMED, overlap.organisations_count)
        in_groups = min(len(overlap.groups), ORGANISATIONS_NAMED)
        runners = [
            set().union(*(_runners(sample_graph, i) for i in group)) for group in overlap.groups
        ]
        represented = sum(1 for group in runners if group & set(overlap.organisations))
        assert represented >= in_groups or any(not g for g in runners)


def _runners(graph: nx.MultiDiGraph, initiative: str) -> set[str]:
    for kind, rel in ((NodeKind.PROJECT, RelType.PARTICIPATES_IN),
                      (NodeKind.TRAINING_OFFER, RelType.PROVIDES)):  # fmt: skip
        if (kind, initiative) in graph:
            return {s[1] for s, _, r in graph.in_edges((kind, initiative), keys=True) if r == rel}
    return set()
