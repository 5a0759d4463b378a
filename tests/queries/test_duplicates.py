"""Duplicated efforts: planted duplicates, a decoy, a series and a recognition candidate."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from bench.duplicates_quality import (
    by_text,
    by_text_and_anchors,
    evaluate,
    load_planted,
    quality,
)
from graph.embedded import EmbeddedStore
from graph.schema import RelType
from queries.duplicates import DuplicateReport, duplicates
from queries.pair_scoring import Item, find_pairs
from queries.semantic import anchors
from tests.queries.graphs import COMP, COUNTRY, OFFER, ORG, PROJ, build, edge

ROBOTS = (
    "Participants learn to program six-axis industrial robots used for spot welding, handling "
    "and sealing in body-in-white production. The course covers teach-pendant programming, "
    "coordinate systems, safety zones and offline programming in a simulation environment."
)
ROBOTS_COPY = ROBOTS.replace("The course covers", "This course covers").replace(
    "simulation environment", "simulation tool"
)
PAINT = (
    "Participants learn how automotive paint shops apply primer, base coat and clear coat, "
    "how to measure film thickness and how to find the causes of runs, craters and orange peel."
)
WELDING = (
    "Participants learn aluminium laser welding for battery trays: joint design, shielding gas, "
    "seam inspection with ultrasound and the repair of porosity in production."
)
SERIES = (
    "Hands-on workshop on calibrating front cameras, radar and blind-spot sensors after "
    "windscreen replacement and collision repair, with calibration frames and targets."
)
PROJECT_TEXT = (
    "The project designs short reskilling pathways for assembly workers whose jobs are "
    "affected by the shift to electric vehicle production, and pilots modular training."
)


def _offer(offer_id: str, title: str, description: str, eqf: int) -> dict[str, Any]:
    return {
        "id": offer_id,
        "title": title,
        "description": description,
        "eqf_level": eqf,
        "start": "2026-03-02",
        "end": "2026-03-13",
    }


OFFERS = [
    # the duplicate pair: two providers, same country, same competence, near-identical text
    _offer("dup-a", "Industrial Robot Programming for Body-in-White Lines", ROBOTS, 4),
    _offer("dup-b", "Programming Industrial Robots for Body-in-White Lines", ROBOTS_COPY, 4),
    # the decoy: same words in the title, same country, different content and competence
    _offer("decoy", "Industrial Robot Lines: Paint Shop Quality", PAINT, 4),
    # a same-provider series: identical text, two runs
    _offer("series-1", "ADAS Calibration Workshop", SERIES, 4),
    _offer("series-2", "ADAS Calibration Workshop", SERIES, 4),
    # the same content in another country: a recognition candidate, not a duplicate
    _offer("abroad", "Industrial Robot Programming for Body-in-White Lines", ROBOTS, 4),
    # an unrelated offer on the same competence and country
    _offer("other", "Laser Welding of Battery Trays", WELDING, 4),
]

TEACHES = {
    "dup-a": "c-robots",
    "dup-b": "c-robots",
    "decoy": "c-paint",
    "series-1": "c-adas",
    "series-2": "c-adas",
    "abroad": "c-robots",
    "other": "c-robots",
}
PROVIDER = {
    "dup-a": "o-1",
    "dup-b": "o-2",
    "decoy": "o-3",
    "series-1": "o-4",
    "series-2": "o-4",
    "abroad": "o-5",
    "other": "o-6",
}
ACTIVE = {"abroad": "PL"}


@pytest.fixture
def planted_graph(embedded_store: EmbeddedStore) -> nx.MultiDiGraph:
    """Offers as named above, plus two near-identical projects whose coordinators o-1 and
    o-2 already meet in a third project (so the offers' providers work together too)."""
    nodes = {
        ORG: [{"id": f"o-{n}", "name": f"Org {n}"} for n in range(1, 9)],
        COUNTRY: [{"id": "CZ", "name": "Czechia"}, {"id": "PL", "name": "Poland"}],
        COMP: [{"id": c, "label": c} for c in sorted(set(TEACHES.values()))],
        OFFER: OFFERS,
        PROJ: [
            {"id": "p-a", "title": "Reskilling for EV production", "description": PROJECT_TEXT},
            {"id": "p-b", "title": "Reskilling for EV production", "description": PROJECT_TEXT},
            {"id": "p-joint", "title": "Body shop digitalisation", "description": PAINT},
        ],
    }
    edges = [edge(RelType.PROVIDES, ORG, OFFER, PROVIDER[o], o) for o in PROVIDER]
    edges += [edge(RelType.TEACHES, OFFER, COMP, o, c) for o, c in TEACHES.items()]
    edges += [edge(RelType.ACTIVE_IN, OFFER, COUNTRY, o, ACTIVE.get(o, "CZ")) for o in PROVIDER]
    edges += [
        edge(RelType.PARTICIPATES_IN, ORG, PROJ, org, proj, role=role)
        for org, proj, role in [
            ("o-7", "p-a", "coordinator"),
            ("o-8", "p-b", "coordinator"),
            ("o-1", "p-joint", "coordinator"),
            ("o-2", "p-joint", "partner"),
        ]
    ]
    edges += [edge(RelType.TARGETS, PROJ, COMP, p, "c-robots") for p in ("p-a", "p-b")]
    return build(embedded_store, nodes, edges)


def _clusters(report: DuplicateReport, kind: str) -> list[list[str]]:
    return [c.ids for c in report.clusters if c.kind == kind]


def test_the_duplicate_pair_is_the_only_offer_cluster(planted_graph: nx.MultiDiGraph) -> None:
    report = duplicates(planted_graph)
    assert _clusters(report, "training_offer") == [["dup-a", "dup-b"]]


def test_near_identical_projects_form_a_cluster(planted_graph: nx.MultiDiGraph) -> None:
    assert _clusters(duplicates(planted_graph), "project") == [["p-a", "p-b"]]


def test_kind_restricts_the_search(planted_graph: nx.MultiDiGraph) -> None:
    report = duplicates(planted_graph, kind="project")
    assert [c.kind for c in report.clusters] == ["project"]
    assert report.recognition_candidates == []


def test_evidence_names_components_shared_things_and_the_shared_project(
    planted_graph: nx.MultiDiGraph,
) -> None:
    (pair,) = next(
        c for c in duplicates(planted_graph).clusters if c.kind == "training_offer"
    ).pairs
    evidence = pair.evidence
    assert (pair.a, pair.b) == ("dup-a", "dup-b")
    assert set(evidence.components) == {"text", "competences", "countries", "eqf_level", "time"}
    assert evidence.components["competences"] == 1.0
    assert evidence.components["text"] is not None and evidence.components["text"] > 0.8
    assert 0.75 <= pair.score <= 1.0
    assert evidence.shared_competences == ["c-robots"]
    assert evidence.shared_countries == ["CZ"]
    assert (evidence.organisations_a, evidence.organisations_b) == (["o-1"], ["o-2"])
    assert evidence.already_work_together is True
    assert evidence.shared_projects == ["p-joint"]


def test_unconnected_project_coordinators_do_not_work_together(
    planted_graph: nx.MultiDiGraph,
) -> None:
    cluster = next(c for c in duplicates(planted_graph).clusters if c.kind == "project")
    assert cluster.pairs[0].evidence.already_work_together is False
    assert cluster.pairs[0].evidence.shared_projects == []


def test_same_content_abroad_is_a_recognition_candidate(planted_graph: nx.MultiDiGraph) -> None:
    report = duplicates(planted_graph)
    candidates = [
        c.model_dump(exclude={"pairs", "providers"}) for c in report.recognition_candidates
    ]
    assert candidates == [
        {
            "ids": ["abroad", "dup-a", "dup-b"],
            "competences": ["c-robots"],
            "eqf_level": 4,
            "countries": ["CZ", "PL"],
        }
    ]
    assert all("abroad" not in ids for ids in _clusters(report, "training_offer"))


def test_a_higher_threshold_drops_the_pair(planted_graph: nx.MultiDiGraph) -> None:
    report = duplicates(planted_graph, min_score=0.999)
    assert _clusters(report, "training_offer") == []
    assert _clusters(report, "project") == [["p-a", "p-b"]]  # identical texts score 1.0


def test_json_shape(planted_graph: nx.MultiDiGraph) -> None:
    dumped = duplicates(planted_graph).model_dump(mode="json")
    assert {"clusters", "recognition_candidates"} <= set(dumped)
    cluster = dumped["clusters"][0]
    assert {"kind", "ids", "score", "pairs"} <= set(cluster)
    assert {"a", "b", "score", "evidence"} <= set(cluster["pairs"][0])
    assert {"ids", "competences", "eqf_level", "countries"} <= set(
        dumped["recognition_candidates"][0]
    )


def test_blocked_search_matches_the_exhaustive_one() -> None:
    items = [
        Item(
            o["id"],
            o["title"],
            o["description"],
            frozenset({PROVIDER[o["id"]]}),
            frozenset({TEACHES[o["id"]]}),
            frozenset({ACTIVE.get(o["id"], "CZ")}),
            o["eqf_level"],
            o["start"],
            o["end"],
        )
        for o in OFFERS
    ]
    blocked = find_pairs(items)
    assert [(p.a, p.b) for p in blocked] == [("dup-a", "dup-b")]
    assert blocked == find_pairs(items, exhaustive=True)


def test_sample_data(sample_graph: nx.MultiDiGraph, planted: dict[str, Any]) -> None:
    report = duplicates(sample_graph)
    offers = _clusters(report, "training_offer")
    expected = [sorted(ids) for ids in planted["duplicate_offer_clusters"].values()]
    assert sorted(offers) == sorted(expected)
    assert _clusters(report, "project") == [sorted(planted["duplicate_projects"][0])]
    flagged = {i for c in report.clusters for i in c.ids}
    assert not flagged & set(planted["decoy_offer_pair"])
    assert not flagged & {i for ids in planted["series"].values() for i in ids}
    recognition = sorted(c.ids for c in report.recognition_candidates)
    assert recognition == sorted(sorted(ids) for ids in planted["recognition_sets"].values())
    for cluster in report.clusters:
        for pair in cluster.pairs:
            assert pair.evidence.already_work_together is False


@pytest.fixture
def planted_rewordings(embedded_store: EmbeddedStore) -> nx.MultiDiGraph:
    """The planted set of bench/duplicates_quality.py in a real store.

    Per topic: ``a`` and ``b``, one initiative written by two organisations (reworded in
    English, or in German, French, Spanish, Italian or Polish); ``c``, another initiative on
    the same competence, country and dates (the hard negative of both).
    """
    rows = load_planted().rows
    offers = [r for r in rows if r["kind"] == "training_offer"]
    projects = [r for r in rows if r["kind"] == "project"]
    fields = ("id", "title", "description", "start", "end")
    nodes = {
        ORG: [{"id": r["runner"], "name": r["runner"]} for r in rows],
        COMP: [{"id": c, "label": c} for c in sorted({c for r in rows for c in r["competences"]})],
        COUNTRY: [{"id": c, "name": c} for c in sorted({c for r in rows for c in r["countries"]})],
        OFFER: [{**{f: r[f] for f in fields}, "eqf_level": r["eqf_level"]} for r in offers],
        PROJ: [{f: r[f] for f in fields} for r in projects],
    }
    edges = []
    for r, kind in [(r, OFFER) for r in offers] + [(r, PROJ) for r in projects]:
        if kind is OFFER:
            edges.append(edge(RelType.PROVIDES, ORG, OFFER, r["runner"], r["id"]))
        else:
            edges.append(edge(RelType.PARTICIPATES_IN, ORG, PROJ, r["runner"], r["id"],
                              role="coordinator"))  # fmt: skip
        rel = RelType.TEACHES if kind is OFFER else RelType.TARGETS
        edges += [edge(rel, kind, COMP, r["id"], c) for c in r["competences"]]
        edges += [edge(RelType.ACTIVE_IN, kind, COUNTRY, r["id"], c) for c in r["countries"]]
    return build(embedded_store, nodes, edges)


def test_rewordings_and_translations_are_found_without_false_pairs(
    planted_rewordings: nx.MultiDiGraph,
) -> None:
    planted = load_planted()
    report = duplicates(planted_rewordings)
    found = {(p.a, p.b) for c in report.clusters for p in c.pairs}
    result = quality(found, planted)
    assert len(planted.true_pairs) >= 30 and len(planted.hard_negatives) >= 30
    assert len(set(planted.language.values())) >= 4
    assert result.hard_negatives_found == 0
    assert result.precision >= 0.95
    assert result.recall >= 0.75
    # found in every language, not only in English
    translated = {k: v for k, v in result.recall_by_language.items() if k != "en"}
    assert len(translated) >= 4 and all(v > 0 for v in translated.values())


def test_the_text_alone_misses_most_rewordings() -> None:
    planted = load_planted()
    assert evaluate(by_text, planted).recall < evaluate(by_text_and_anchors, planted).recall
    assert evaluate(by_text_and_anchors, planted).hard_negatives_found == 0


def test_a_translation_is_matched_on_its_anchors_with_evidence(
    planted_rewordings: nx.MultiDiGraph,
) -> None:
    pairs = {(p.a, p.b): p for c in duplicates(planted_rewordings).clusters for p in c.pairs}
    pair = pairs[("03a", "03b")]  # ADAS calibration course, English and Italian
    assert pair.evidence.matched_on == "anchors"
    assert {"das 3000", "bosch", "hella"} <= set(pair.evidence.shared_anchors)
    components = pair.evidence.components
    assert components["anchors"] is not None and components["anchors"] > 0.5
    assert components["text"] is not None and components["text"] < 0.5  # not a text match
    assert pair.score >= 0.75


def test_anchors_are_numbers_codes_and_names_not_title_case_words() -> None:
    assert anchors("Kurs nach DGUV 209-093 mit 2.000 Teilnehmern bei KUKA in Győr.") >= {
        "dguv 209-093", "2000", "kuka", "gyor",
    }  # fmt: skip
    # a norm is one anchor: two courses on ISO/SAE 21434 share one, not three
    assert anchors("Threat analysis to ISO/SAE 21434 for developers.") == {"iso/sae 21434"}
    assert "kurs" not in anchors("Kurs nach DGUV 209-093.")  # starts the sentence
    assert anchors("Industrial Robot Programming For Body Lines") == frozenset()
    assert anchors("HIGH VOLTAGE SAFETY LEVEL 2") == {"2"}


@pytest.mark.parametrize("graph_name", ["planted_graph", "planted_rewordings"])
def test_a_second_process_gives_the_same_report(
    graph_name: str, request: pytest.FixtureRequest, searched_beside: list[object]
) -> None:
    graph = request.getfixturevalue(graph_name)
    here = duplicates(graph)
    assert not searched_beside
    beside = duplicates(graph, second_process=True)
    assert searched_beside
    assert here.clusters
    assert beside == here
