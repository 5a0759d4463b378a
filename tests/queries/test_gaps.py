"""Skills gaps and unaddressed priorities: a planted small graph and the sample data."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from graph.embedded import EmbeddedStore
from graph.schema import RelType
from queries.gaps import Coverage, DemandSource, Gap, GapThresholds, gaps
from tests.queries.graphs import COMP, COUNTRY, OFFER, ORG, PRIO, PROJ, build, edge


def _member(org_id: str, country: str, *, member: bool = True) -> dict[str, Any]:
    return {"id": org_id, "name": org_id, "member": member, "type": "oem", "country": country}


def _needs(org: str, competence: str) -> tuple[Any, ...]:
    return edge(RelType.NEEDS, ORG, COMP, org, competence)


def _located(org: str, country: str) -> tuple[Any, ...]:
    return edge(RelType.LOCATED_IN, ORG, COUNTRY, org, country)


def _offer(offer: str, competence: str, country: str) -> list[tuple[Any, ...]]:
    return [
        edge(RelType.TEACHES, OFFER, COMP, offer, competence),
        edge(RelType.ACTIVE_IN, OFFER, COUNTRY, offer, country),
    ]


@pytest.fixture
def demand(embedded_store: EmbeddedStore) -> nx.MultiDiGraph:
    """Needs taught nowhere, elsewhere only, scarcely and locally; three priorities.

    - c-none: needed by m-pl (PL) and m-es (ES, by its country property only, no LOCATED_IN),
      targeted by p-es (ES); taught nowhere. The non-member x-pl (PL) needs it too.
    - c-far: needed by m-cz (CZ); taught only by t-fr-far in FR and t-pl-far1/2 in PL.
    - c-busy: needed by m-fr and m-fr2 (FR); taught once in FR (t-fr-busy): scarce.
    - c-here: needed by m-fr (FR); taught in FR (t-fr-here): covered, no gap.
    - priorities: prio-open (support 5, addressed by nothing), prio-done (support 7,
      addressed by p-es), prio-zero (support 0, addressed by nothing).
    """
    orgs = [
        _member("m-pl", "PL"),
        _member("m-es", "ES"),
        _member("m-cz", "CZ"),
        _member("m-fr", "FR"),
        _member("m-fr2", "FR"),
        _member("x-pl", "PL", member=False),
    ]
    countries = [{"id": c, "name": c} for c in ("PL", "ES", "CZ", "FR")]
    comps = [{"id": c, "label": c} for c in ("c-none", "c-far", "c-busy", "c-here")]
    offer_ids = ("t-fr-far", "t-pl-far1", "t-pl-far2", "t-fr-busy", "t-fr-here")
    offers = [{"id": o, "title": o, "eqf_level": 5} for o in offer_ids]
    priorities = [
        {"id": p, "kind": "blocker", "label": p, "support": s}
        for p, s in (("prio-open", 5), ("prio-done", 7), ("prio-zero", 0))
    ]
    edges = [
        _located("m-pl", "PL"),
        _located("m-cz", "CZ"),
        _located("m-fr", "FR"),
        _located("m-fr2", "FR"),
        _located("x-pl", "PL"),
        _needs("m-pl", "c-none"),
        _needs("m-es", "c-none"),
        _needs("x-pl", "c-none"),
        _needs("m-cz", "c-far"),
        _needs("m-fr", "c-busy"),
        _needs("m-fr2", "c-busy"),
        _needs("m-fr", "c-here"),
        edge(RelType.TARGETS, PROJ, COMP, "p-es", "c-none"),
        edge(RelType.ACTIVE_IN, PROJ, COUNTRY, "p-es", "ES"),
        edge(RelType.ADDRESSES, PROJ, PRIO, "p-es", "prio-done"),
        *_offer("t-fr-far", "c-far", "FR"),
        *_offer("t-pl-far1", "c-far", "PL"),
        *_offer("t-pl-far2", "c-far", "PL"),
        *_offer("t-fr-busy", "c-busy", "FR"),
        *_offer("t-fr-here", "c-here", "FR"),
    ]
    nodes = {
        ORG: orgs,
        COUNTRY: countries,
        COMP: comps,
        OFFER: offers,
        PRIO: priorities,
        PROJ: [{"id": "p-es", "title": "p-es"}],
    }
    return build(embedded_store, nodes, edges)


def _by_place(found: list[Gap]) -> dict[tuple[str, str], Gap]:
    return {(g.competence, g.country): g for g in found}


def test_gaps_ranked_none_anywhere_above_elsewhere_only_and_covered_needs_absent(
    demand: nx.MultiDiGraph,
) -> None:
    report = gaps(demand)
    assert [(g.competence, g.country) for g in report.member_needs] == [
        ("c-none", "ES"),  # 1 member, taught nowhere: 2.0
        ("c-none", "PL"),  # 1 member, taught nowhere: 2.0
        ("c-busy", "FR"),  # 2 members, one offer here: 1.0
        ("c-far", "CZ"),  # 1 member, taught elsewhere only: 1.0
    ]
    # the project's target is demand of its own, ranked apart (taught nowhere: listed)
    assert [(g.competence, g.country) for g in report.project_targets] == [("c-none", "ES")]
    assert report.gaps == [*report.member_needs, *report.project_targets]
    assert ("c-here", "FR") not in _by_place(report.gaps)


def test_gap_evidence_demand_supply_and_nearest_supply(demand: nx.MultiDiGraph) -> None:
    report = gaps(demand)
    found = _by_place(report.member_needs)
    es = found[("c-none", "ES")]
    (es_project,) = report.project_targets
    # the demand in ES is one member's need and one project's target, each counted once
    assert (es.demand, es.supply, es.coverage) == (1, 0, Coverage.NOWHERE)
    assert (es_project.demand, es_project.supply, es_project.coverage) == (1, 0, Coverage.NOWHERE)
    assert (es.demand_from, es_project.demand_from) == (
        DemandSource.MEMBER_NEEDS,
        DemandSource.PROJECT_TARGETS,
    )
    assert es.needed_by == es_project.needed_by == ["m-es"]
    assert es.targeted_by == es_project.targeted_by == ["p-es"]
    assert es.nearest_supply == []
    pl = found[("c-none", "PL")]
    assert pl.needed_by == ["m-pl"]  # the non-member x-pl is not demand
    far = found[("c-far", "CZ")]
    assert (far.demand, far.supply, far.coverage) == (1, 0, Coverage.ELSEWHERE)
    assert far.nearest_supply == ["PL", "FR"]  # most offers first
    assert far.offers_elsewhere == {"PL": ["t-pl-far1", "t-pl-far2"], "FR": ["t-fr-far"]}
    assert far.supply_eqf_levels == [5]
    busy = found[("c-busy", "FR")]
    assert (busy.demand, busy.supply, busy.coverage) == (2, 1, Coverage.SCARCE)
    assert busy.offers == ["t-fr-busy"]
    assert pl.score > far.score  # equal demand: none anywhere ranks above elsewhere only


def test_member_gaps_are_needs_without_an_offer_in_the_members_country(
    demand: nx.MultiDiGraph,
) -> None:
    assert gaps(demand).member_gaps == {
        "m-cz": ["c-far"],
        "m-es": ["c-none"],
        "m-pl": ["c-none"],
    }


def test_unaddressed_priorities_need_support_and_no_addresser(demand: nx.MultiDiGraph) -> None:
    unaddressed = gaps(demand).unaddressed_priorities
    assert [(p.priority, p.support) for p in unaddressed] == [("prio-open", 5)]


def test_filters_and_limit(demand: nx.MultiDiGraph) -> None:
    only_none = gaps(demand, competence="c-none")
    assert [g.country for g in only_none.member_needs] == ["ES", "PL"]
    assert [g.country for g in only_none.project_targets] == ["ES"]
    assert only_none.member_gaps == {"m-es": ["c-none"], "m-pl": ["c-none"]}
    in_cz = gaps(demand, country="CZ")
    assert [(g.competence, g.country) for g in in_cz.gaps] == [("c-far", "CZ")]
    limited = gaps(demand, limit=1)
    assert [(g.competence, g.country) for g in limited.member_needs] == [("c-none", "ES")]
    assert len(limited.project_targets) == 1
    assert limited.counts.member_needs_listed == 4  # counted before the limit


def test_json_has_the_issue_keys(demand: nx.MultiDiGraph) -> None:
    dumped = gaps(demand).model_dump(mode="json")
    assert {"gaps", "unaddressed_priorities", "member_gaps"} <= set(dumped)
    assert {"member_needs", "project_targets", "thresholds", "counts"} <= set(dumped)
    keys = {"competence", "country", "demand_from", "demand", "supply", "nearest_supply", "score"}
    assert keys <= set(dumped["gaps"][0])
    assert dumped["unaddressed_priorities"][0]["priority"] == "prio-open"


def test_sample_planted_gaps(sample_graph: nx.MultiDiGraph, planted: dict[str, Any]) -> None:
    report = gaps(sample_graph)
    found = _by_place(report.member_needs)
    for gap in planted["all_country_gaps"]:
        entry = found[(gap["competence"], gap["country"])]
        assert entry.supply == 0
        assert entry.needed_by == gap["needed_by"]
        assert set(entry.nearest_supply) == set(gap["taught_in"])
    assert found[("c-ota-updates", "CZ")].nearest_supply == ["FR"]
    assert found[("c-ota-updates", "SK")].nearest_supply == ["FR"]
    assert found[("c-battery-second-life", "RO")].nearest_supply == ["DE", "SE"]
    for country in ("PL", "ES"):
        assert found[("c-h2-refuelling", country)].coverage is Coverage.NOWHERE
    # among gaps of equal demand, the ones taught nowhere come first
    positions = {(g.competence, g.country): n for n, g in enumerate(report.member_needs)}
    demand_one = [g for g in report.member_needs if g.demand == 1]
    assert {(g.competence, g.country) for g in demand_one[:2]} == {
        ("c-h2-refuelling", "PL"),
        ("c-h2-refuelling", "ES"),
    }
    assert positions[("c-h2-refuelling", "ES")] < positions[("c-ota-updates", "CZ")]


def test_sample_member_gaps_are_exactly_the_planted_ones(
    sample_graph: nx.MultiDiGraph, planted: dict[str, Any]
) -> None:
    expected: dict[str, list[str]] = {}
    for gap in planted["all_country_gaps"]:
        for member in gap["needed_by"]:
            expected.setdefault(member, []).append(gap["competence"])
    assert gaps(sample_graph).member_gaps == {m: sorted(c) for m, c in sorted(expected.items())}


def test_sample_unaddressed_priority(
    sample_graph: nx.MultiDiGraph, planted: dict[str, Any]
) -> None:
    unaddressed = gaps(sample_graph).unaddressed_priorities
    assert [(p.priority, p.support) for p in unaddressed] == [(planted["unaddressed_priority"], 16)]


def _project(project: str, competence: str, country: str) -> list[tuple[Any, ...]]:
    return [
        edge(RelType.TARGETS, PROJ, COMP, project, competence),
        edge(RelType.ACTIVE_IN, PROJ, COUNTRY, project, country),
    ]


@pytest.fixture
def targets(embedded_store: EmbeddedStore) -> nx.MultiDiGraph:
    """Project targets below and above the threshold, and a member need beside them.

    - c-one: targeted by p-1 alone in DE; taught in FR (t-fr): below the threshold.
    - c-two: targeted by p-2 and p-3 in DE; taught in FR (t-fr): listed.
    - c-rare: targeted by p-4 alone in DE; taught nowhere: listed.
    - c-one is also needed by the member m-de (DE): a member-needs gap, always listed.
    """
    countries = [{"id": c, "name": c} for c in ("DE", "FR")]
    comps = [{"id": c, "label": c} for c in ("c-one", "c-two", "c-rare")]
    edges = [
        _located("m-de", "DE"),
        _needs("m-de", "c-one"),
        *_project("p-1", "c-one", "DE"),
        *_project("p-2", "c-two", "DE"),
        *_project("p-3", "c-two", "DE"),
        *_project("p-4", "c-rare", "DE"),
        *_offer("t-fr", "c-one", "FR"),
        edge(RelType.TEACHES, OFFER, COMP, "t-fr", "c-two"),
    ]
    nodes = {
        ORG: [_member("m-de", "DE")],
        COUNTRY: countries,
        COMP: comps,
        OFFER: [{"id": "t-fr", "title": "t-fr"}],
        PROJ: [{"id": p, "title": p} for p in ("p-1", "p-2", "p-3", "p-4")],
    }
    return build(embedded_store, nodes, edges)


def test_one_project_target_taught_elsewhere_is_counted_not_listed(
    targets: nx.MultiDiGraph,
) -> None:
    report = gaps(targets)
    # equal score 2.0 (two projects, taught elsewhere; one project, taught nowhere):
    # the higher demand first
    assert [(g.competence, g.demand) for g in report.project_targets] == [
        ("c-two", 2),
        ("c-rare", 1),
    ]
    assert report.counts.project_targets_found == 3
    assert report.counts.project_targets_listed == 2
    # the member's need on c-one is listed even though the project's target there is not
    (need,) = report.member_needs
    assert (need.competence, need.demand_from, need.needed_by) == (
        "c-one",
        DemandSource.MEMBER_NEEDS,
        ["m-de"],
    )
    assert need.targeted_by == ["p-1"]  # the project stays visible as context
    assert report.counts.member_needs_found == report.counts.member_needs_listed == 1


def test_thresholds_are_parameters_and_reported(targets: nx.MultiDiGraph) -> None:
    everything = gaps(targets, thresholds=GapThresholds(min_project_demand=1))
    assert {g.competence for g in everything.project_targets} == {"c-one", "c-two", "c-rare"}
    assert everything.thresholds.min_project_demand == 1
    strict = gaps(targets, thresholds=GapThresholds(min_project_demand=3))
    assert [g.competence for g in strict.project_targets] == ["c-rare"]  # nowhere: kept
    assert gaps(targets).thresholds == GapThresholds()


def test_sample_project_targets_alone_are_cut_to_the_actionable_ones(
    sample_graph: nx.MultiDiGraph,
) -> None:
    report = gaps(sample_graph)
    counts = report.counts
    assert counts.member_needs_listed == counts.member_needs_found  # never cut
    assert counts.project_targets_found > 3 * counts.project_targets_listed
    for gap in report.project_targets:
        assert gap.demand_from is DemandSource.PROJECT_TARGETS
        assert gap.demand >= 2 or gap.coverage is Coverage.NOWHERE
        assert len(gap.targeted_by) == gap.demand
    for gap in report.member_needs:
        assert gap.demand_from is DemandSource.MEMBER_NEEDS
        assert len(gap.needed_by) == gap.demand >= 1
    everything = gaps(sample_graph, thresholds=GapThresholds(min_project_demand=1))
    assert everything.counts.project_targets_listed == counts.project_targets_found
