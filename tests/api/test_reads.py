"""Filters, search, what's new and the Atom feeds."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from fastapi.testclient import TestClient

ATOM = "{http://www.w3.org/2005/Atom}"


def test_offer_filters_combine(client: TestClient) -> None:
    body = client.get(
        "/training-offers", params={"country": "DE", "eqf_level": 4, "limit": 1000}
    ).json()
    assert body["count"] == len(body["data"]) > 0
    for offer in body["data"]:
        detail = client.get(f"/training-offers/{offer['id']}").json()
        assert "DE" in [c["id"] for c in detail["countries"]] and detail["eqf_level"] == 4


def test_project_active_on_a_date(client: TestClient) -> None:
    body = client.get("/projects", params={"active_on": "2025-06-01", "limit": 1000}).json()
    assert body["data"]
    assert all(
        p["start"] <= "2025-06-01" and (p["end"] is None or p["end"] >= "2025-06-01")
        for p in body["data"]
    )


def test_organisations_by_competence_and_member_flag(client: TestClient) -> None:
    body = client.get(
        "/organisations", params={"competence": "c-h2-refuelling", "member": True}
    ).json()
    ids = {o["id"] for o in body["data"]}
    assert {"m-010", "m-050"} <= ids  # they need it (see docs/sample-data.md)


def test_text_search_in_lists_ignores_case(client: TestClient) -> None:
    upper = client.get("/training-offers", params={"q": "BATTERY"}).json()
    lower = client.get("/training-offers", params={"q": "battery"}).json()
    assert upper["count"] == lower["count"] > 0


def test_search_ranks_names_first_and_says_the_kind(client: TestClient) -> None:
    hits = client.get("/search", params={"q": "high-voltage safety"}).json()["data"]
    assert hits[0]["kind"] == "competence" and hits[0]["id"] == "c-hv-safety"
    assert {h["kind"] for h in hits} >= {"competence", "training_offer"}
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_changes_since_a_date_and_none_since_the_future(client: TestClient) -> None:
    recent = client.get("/changes", params={"since": "2000-01-01"}).json()["changes"]
    assert {c["kind"] for c in recent} == {"project", "training_offer", "organisation"}
    assert client.get("/changes", params={"since": "2999-01-01"}).json()["changes"] == []


def test_digest_keeps_what_concerns_the_member(client: TestClient) -> None:
    digest = client.get("/organisations/m-004/digest", params={"since": "2000-01-01"}).json()
    assert digest["member"] == "m-004" and digest["changes"]
    assert all(c["reason"] for c in digest["changes"])
    assert "t-0169" in {c["id"] for c in digest["changes"]}  # teaches what m-004 needs


def test_atom_feed_by_accept_header_and_by_path(client: TestClient) -> None:
    by_header = client.get("/organisations/m-004/digest", params={"since": "2000-01-01"},
                           headers={"Accept": "application/atom+xml"})  # fmt: skip
    by_path = client.get("/organisations/m-004/feed.atom", params={"since": "2000-01-01"})
    for response in (by_header, by_path):
        assert response.headers["content-type"].startswith("application/atom+xml")
        feed = ET.fromstring(response.content)
        entries = feed.findall(f"{ATOM}entry")
        assert entries and entries[0].find(f"{ATOM}link").get("href").startswith(
            "http://testserver/"
        )


def test_unknown_member_digest_is_a_404(client: TestClient) -> None:
    assert (
        client.get("/organisations/nobody/digest", params={"since": "2000-01-01"}).status_code
        == 404
    )


def test_relational_filters_match_the_graph(client: TestClient, sample_graph) -> None:  # type: ignore[no-untyped-def]
    from graph.schema import NodeKind, RelType

    def linked(node, rel, target):  # type: ignore[no-untyped-def]
        return any(
            k == rel and dst == target for _, dst, k in sample_graph.out_edges(node, keys=True)
        )

    offers = [n for n in sample_graph if n[0] is NodeKind.TRAINING_OFFER]
    expected = sorted(
        n[1] for n in offers
        if linked(n, RelType.ACTIVE_IN, (NodeKind.COUNTRY, "DE"))
        and linked(n, RelType.TEACHES, (NodeKind.COMPETENCE, "c-hv-safety"))
    )  # fmt: skip
    body = client.get(
        "/training-offers", params={"country": "DE", "competence": "c-hv-safety", "limit": 1000}
    ).json()
    assert [o["id"] for o in body["data"]] == expected and body["count"] == len(expected) > 1
    by_provider = client.get("/training-offers", params={"provider": "m-026", "limit": 1000}).json()
    assert by_provider["count"] >= 3  # the provider's "Battery Safety Level 1/2/3" series
    needing = client.get(
        "/organisations", params={"competence": "c-h2-refuelling", "country": "PL"}
    ).json()
    assert [o["id"] for o in needing["data"]] == ["m-010"]
