"""List pages from memory: planted answers, and the same answers as the store's queries."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pytest

from graph.columns import read_columns
from graph.schema import NodeKind
from graph.store import Store
from ingest.pipeline import ingest
from queries.entities import (
    PATTERN_FILTERS,
    PREDICATE_FILTERS,
    TEXT_FIELDS,
    Equals,
    Holds,
    list_entities,
)
from queries.list_index import SCAN_AT_MOST, ListIndex, read_list_index
from tests.conftest import SAMPLE

OFFERS = [
    {"id": "t-3", "title": "Battery recycling", "description": "Second life of cells",
     "eqf_level": 5, "languages": ["de", "en"], "mode": "online"},
    {"id": "t-1", "title": "HV Safety basics", "description": "Safe work on high voltage",
     "eqf_level": 4, "languages": ["pt"], "mode": "in_person"},
    {"id": "t-2", "title": "BMS design", "eqf_level": 4, "languages": [], "mode": "online"},
    {"id": "t-4", "title": "Welding", "description": "battery trays"},
]  # fmt: skip
OFFER_LINKS = {
    "country": [("t-1", "PT"), ("t-2", "PT"), ("t-2", "ES"), ("t-3", "DE")],
    "competence": [("t-1", "c-hv"), ("t-2", "c-bms"), ("t-3", "c-bms"), ("t-3", "c-hv")],
    "provider": [("t-1", "m-2"), ("t-2", "m-2"), ("t-4", "m-9"), ("t-gone", "m-2")],
}
PROJECTS = [
    {"id": "p-1", "title": "A", "start": "2024-01-01", "end": "2026-12-31"},
    {"id": "p-2", "title": "B", "start": "2025-01-01"},
    {"id": "p-3", "title": "C"},
]


@pytest.fixture(params=[SCAN_AT_MOST, 0], ids=["scanned", "by-words"])
def offers(request: pytest.FixtureRequest) -> ListIndex:
    """The offers; ``q`` searched in each text, or in the words of the texts first."""
    return ListIndex(NodeKind.TRAINING_OFFER, OFFERS, OFFER_LINKS, scan_at_most=request.param)


def _ids(index: ListIndex, **kwargs: Any) -> tuple[list[str], int]:
    rows, total = index.page(limit=kwargs.pop("limit", 50), offset=kwargs.pop("offset", 0),
                             filters=kwargs.pop("filters", None), q=kwargs.pop("q", None))  # fmt: skip
    return [row["id"] for row in rows], total


def test_rows_come_ordered_by_id_with_their_properties(offers: ListIndex) -> None:
    rows, total = offers.page(limit=10, offset=0)
    assert [r["id"] for r in rows] == ["t-1", "t-2", "t-3", "t-4"] and total == 4
    assert rows[0] == OFFERS[1]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"country": "PT"}, ["t-1", "t-2"]),
        ({"country": "PT", "competence": "c-bms"}, ["t-2"]),
        ({"competence": "c-hv"}, ["t-1", "t-3"]),
        ({"provider": "m-2"}, ["t-1", "t-2"]),  # a link to an entity not listed is ignored
        ({"eqf_level": 4}, ["t-1", "t-2"]),
        ({"eqf_level": 4, "mode": "online"}, ["t-2"]),
        ({"language": "en"}, ["t-3"]),
        ({"language": "pt", "country": "PT"}, ["t-1"]),
        ({"country": "FR"}, []),
        ({"country": "PT", "eqf_level": 5}, []),
        ({"country": None, "mode": None}, ["t-1", "t-2", "t-3", "t-4"]),  # None: not given
    ],
)
def test_filters_combine(offers: ListIndex, filters: dict[str, Any], expected: list[str]) -> None:
    assert _ids(offers, filters=filters) == (expected, len(expected))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("battery", ["t-3", "t-4"]),  # the title of one, the description of another
        ("atter", ["t-3", "t-4"]),  # inside a word
        ("high voltage", ["t-1"]),  # across words
        ("ety basics", ["t-1"]),
        ("y", ["t-1", "t-3", "t-4"]),
        ("  SAFE ", ["t-1"]),  # stripped, case ignored, in the title and the description
        ("bms", ["t-2"]),
        ("basics\x00safe", []),  # never across two fields
        ("   ", ["t-1", "t-2", "t-3", "t-4"]),  # no words: no text filter
        ("nothing like it", []),
    ],
)
def test_text_is_searched_in_each_field_ignoring_case(
    offers: ListIndex, q: str, expected: list[str]
) -> None:
    assert _ids(offers, q=q) == (expected, len(expected))


def test_text_and_filters_together(offers: ListIndex) -> None:
    assert _ids(offers, q="b", filters={"country": "PT"}) == (["t-1", "t-2"], 2)
    assert _ids(offers, q="battery", filters={"mode": "online"}) == (["t-3"], 1)


@pytest.mark.parametrize(
    ("limit", "offset", "expected"),
    [(2, 0, ["t-1", "t-2"]), (2, 2, ["t-3", "t-4"]), (3, 3, ["t-4"]), (5, 4, []), (1, 99, [])],
)
def test_pages_count_every_match(
    offers: ListIndex, limit: int, offset: int, expected: list[str]
) -> None:
    assert _ids(offers, limit=limit, offset=offset) == (expected, 4)


def test_projects_running_on_a_day() -> None:
    projects = ListIndex(NodeKind.PROJECT, PROJECTS, {})
    assert _ids(projects, filters={"active_on": "2025-06-01"}) == (["p-1", "p-2"], 2)
    assert _ids(projects, filters={"active_on": "2027-01-01"}) == (["p-2"], 1)
    assert _ids(projects, filters={"active_on": "2023-12-31"}) == ([], 0)  # p-3 has no start


def test_an_unknown_filter_is_refused(offers: ListIndex) -> None:
    with pytest.raises(ValueError, match="no filters"):
        offers.page(limit=1, offset=0, filters={"programme": "x"})


def test_a_page_is_a_copy(offers: ListIndex) -> None:
    rows, _ = offers.page(limit=1, offset=0)
    rows[0]["title"] = "changed"
    assert offers.page(limit=1, offset=0)[0][0]["title"] == "HV Safety basics"


def _cases(store: Store, kind: NodeKind) -> list[dict[str, Any]]:
    """List requests of one kind: every filter with values found in the store (and one
    missing), pairs of filters, text, pages through the end and past it."""
    rows, total = list_entities(store, kind, limit=1000, offset=0)
    values: dict[str, list[Any]] = {}
    for name, link in PATTERN_FILTERS.get(kind, {}).items():
        found = read_columns(store, link.pairs_statement(kind)).get("o", [])
        values[name] = [*sorted(set(found))[:6], "none-such"]
    for name, spec in PREDICATE_FILTERS.get(kind, {}).items():
        if isinstance(spec, Equals | Holds):
            found = {v for row in rows for v in spec.values(row)}
            values[name] = sorted(found, key=repr)[:6]
        else:
            values[name] = ["2020-01-01", "2025-06-01", "2026-03-01", "2030-01-01"]
    cases: list[dict[str, Any]] = [{"limit": 1000, "offset": 0}]
    cases += [{"limit": 3, "offset": at} for at in (0, 2, max(total - 1, 0), total, total + 7)]
    for name, chosen in values.items():
        cases += [{"filters": {name: value}} for value in chosen]
    for first, second in combinations(sorted(values), 2):
        for a in values[first][:2]:
            cases += [{"filters": {first: a, second: b}} for b in values[second][:2]]
    words = [w for row in rows[:5] for w in str(row.get("id", "")).split("-")]
    names = [str(row.get(TEXT_FIELDS[kind][0], "")) for row in rows[:3]]
    pieces = [n[1:6] for n in names] + [" ".join(n.split()[:2]) for n in names]
    for q in ["a", "E", "  the ", "zzz-none", "", "ä", "ic", "ing", *words[:4], *pieces]:
        cases.append({"q": q, "limit": 1000})
        cases += [{"q": q, "filters": {name: chosen[0]}} for name, chosen in values.items()]
    return cases


def test_the_index_answers_as_the_store_queries(store: Store) -> None:
    ingest(store, [SAMPLE])
    for kind in (NodeKind.ORGANISATION, NodeKind.PROJECT, NodeKind.TRAINING_OFFER,
                 NodeKind.COMPETENCE, NodeKind.PRIORITY):  # fmt: skip
        indexes = [read_list_index(store, kind, max_entities=100_000, scan_at_most=scan)
                   for scan in (SCAN_AT_MOST, 0)]  # fmt: skip
        for index in indexes:
            assert index is not None and len(index) > 0
        for case in _cases(store, kind):
            args = {"limit": 50, "offset": 0, **case}
            expected = list_entities(store, kind, **args)
            for index in indexes:
                assert index is not None and index.page(**args) == expected, (kind, case)


def test_a_kind_larger_than_the_bound_is_not_read(store: Store) -> None:
    ingest(store, [SAMPLE])
    total = list_entities(store, NodeKind.ORGANISATION, limit=1, offset=0)[1]
    assert read_list_index(store, NodeKind.ORGANISATION, max_entities=total - 1) is None
    index = read_list_index(store, NodeKind.ORGANISATION, max_entities=total)
    assert index is not None and len(index) == total
