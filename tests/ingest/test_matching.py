"""Name normalisation, reference resolution and poll classification."""

from __future__ import annotations

import pytest

from ingest.classify import PriorityTerms, classify
from ingest.normalise import fold, organisation_key
from ingest.resolve import CompetenceIndex, OrganisationIndex


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Voltaria Mobility GmbH", "voltaria mobility"),
        ("Centro Técnico Lusitano, Lda.", "centro tecnico lusitano"),
        ("Polska Baterie Sp. z o.o.", "polska baterie"),
        ("Brno Systems s.r.o.", "brno systems"),
        ("Verband Antrieb e.V.", "verband antrieb"),
        ("Iberia Motores S.A.", "iberia motores"),
        ("Svea Drive AB", "svea drive"),
        ("Praha Auto a.s.", "praha auto"),
        ("Carpati Components SRL", "carpati components"),
    ],
)
def test_legal_forms_accents_and_punctuation_do_not_matter(name: str, key: str) -> None:
    assert organisation_key(name) == key


def test_fold_ignores_case_accents_and_punctuation() -> None:
    assert fold("  Électrification—Basics! ") == fold("electrification basics")


def test_competences_resolve_by_id_label_alt_label_and_esco_uri() -> None:
    index = CompetenceIndex()
    index.add("c-bms", "Battery management systems", ["BMS"], "http://data.europa.eu/esco/skill/x1")
    assert index.resolve("c-bms") == "c-bms"
    assert index.resolve("battery-management Systems") == "c-bms"
    assert index.resolve("bms") == "c-bms"
    assert index.resolve("http://data.europa.eu/esco/skill/x1") == "c-bms"
    assert index.resolve("battery chemistry") is None


def test_organisations_resolve_exactly_then_fuzzily_above_the_threshold() -> None:
    index = OrganisationIndex()
    index.add("m-1", "Voltaria Mobility GmbH")
    index.add("m-2", "Volta Motors AG")
    exact = index.resolve("VOLTARIA MOBILITY")
    assert exact is not None and exact.id == "m-1" and not exact.fuzzy
    typo = index.resolve("Voltaria Mobilty GmbH")
    assert typo is not None and typo.id == "m-1" and typo.fuzzy and typo.score is not None
    assert index.resolve("Volt Industries") is None


def test_new_ids_do_not_collide() -> None:
    index = OrganisationIndex()
    first = index.new_id("Nordic Battery Cluster AB")
    index.add(first, "Nordic Battery Cluster AB")
    assert first == "org-nordic-battery-cluster"
    assert index.new_id("Nordic Battery Cluster") == "org-nordic-battery-cluster-2"


PRIORITIES = [
    PriorityTerms.of(
        "limited-resources", "blocker", "Limited resources", ["budget", "funding", "staff"]
    ),
    PriorityTerms.of(
        "fragmentation",
        "blocker",
        "Fragmentation and poor coordination",
        ["coordination", "duplicated"],
    ),
    PriorityTerms.of("networking", "goal", "Networking", ["network", "contacts"]),
]


def test_answers_are_classified_within_their_question_kind() -> None:
    assert classify("No funding and too few staff", "blocker", PRIORITIES) == ["limited-resources"]
    assert classify("Nobody coordinates; duplicated projects", "blocker", PRIORITIES) == [
        "fragmentation"
    ]
    assert classify("We need budget and better coordination", "blocker", PRIORITIES) == [
        "fragmentation",
        "limited-resources",
    ]
    # A goal keyword in a blocker answer does not count.
    assert classify("networking", "blocker", PRIORITIES) == []
    assert classify("Meeting new contacts across the network", "goal", PRIORITIES) == ["networking"]


def test_answers_that_name_nothing_are_unclassified() -> None:
    assert classify("No comment", "blocker", PRIORITIES) == []
    assert classify("-", "goal", PRIORITIES) == []


def test_merge_rules_identifiers_then_name_and_country_then_similarity() -> None:
    from ingest.records import OrgMention
    from ingest.resolve import Outcome

    index = OrganisationIndex()
    index.add("m-1", "Voltaria Mobility GmbH", country="DE", website="https://voltaria.example")
    index.add("m-2", "Nordwerk AG", country="DE", pic="111111111")
    index.add("m-3", "Nordwerk AG", country="AT")

    def match(name: str, **kw: str) -> tuple[Outcome, str | None, str]:
        decision = index.match(OrgMention(name=name, origin="test", **kw))
        return decision.outcome, decision.id, decision.evidence

    assert match("Anything", pic="111111111")[:2] == (Outcome.MATCHED, "m-2")
    assert match("V. Mobility", country="DE", website="http://www.voltaria.example/x")[2] == (
        "website domain voltaria.example"
    )
    assert match("NORDWERK", country="AT")[:2] == (Outcome.MATCHED, "m-3")
    assert match("Nordwerk AG", country="FR")[0] is Outcome.NEW  # same name, other country
    # the same name and country but another PIC: another organisation
    assert match("Nordwerk AG", country="DE", pic="222222222")[0] is Outcome.NEW
    assert match("Voltaria Mobilty", country="DE")[:2] == (Outcome.MATCHED, "m-1")
    index.add("m-4", "Voltaria Mobilities", country="DE")
    assert match("Voltaria Mobiliti", country="DE")[0] is Outcome.AMBIGUOUS
