"""Health, stats, and the list and detail pages of every entity kind."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings


def test_health_names_the_backend_and_revision(
    client: TestClient, client_settings: Settings
) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["backend"] == client_settings.store
    assert body["revision"] > 0


def test_stats_count_the_sample(client: TestClient) -> None:
    body = client.get("/stats").json()
    assert body["nodes"]["TrainingOffer"] == 170 and body["members"] == 59


@pytest.mark.parametrize(
    ("path", "total"),
    [
        ("/organisations", 63),
        ("/projects", 24),
        ("/training-offers", 170),
        ("/competences", 63),
        ("/priorities", 6),
    ],
)
def test_lists_page_with_the_total(client: TestClient, path: str, total: int) -> None:
    first = client.get(path, params={"limit": 5}).json()
    second = client.get(path, params={"limit": 5, "offset": 5}).json()
    assert first["count"] == total and len(first["data"]) == 5
    ids = [e["id"] for e in first["data"] + second["data"]]
    assert ids == sorted(ids) and len(set(ids)) == min(10, total)


def test_organisation_detail_lists_projects_with_role_offers_needs_and_partners(
    client: TestClient,
) -> None:
    body = client.get("/organisations/m-047").json()
    assert body["name"] and body["member"] is True
    assert {p["role"] for p in body["projects"]} <= {"coordinator", "partner"} and body["projects"]
    assert all("shared_projects" in p for p in body["partners"]) and body["partners"]
    assert "fingerprint" not in body


def test_unknown_id_is_a_404_in_the_error_shape(client: TestClient) -> None:
    response = client.get("/projects/p-none")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "p-none" in response.json()["error"]["message"]


def test_bad_parameter_is_a_422_naming_it(client: TestClient) -> None:
    response = client.get("/organisations", params={"limit": 0})
    assert response.status_code == 422
    assert "limit" in response.json()["error"]["message"]


def test_detail_lists_are_ordered_for_reading(client: TestClient) -> None:
    participants = client.get("/projects/p-001").json()["participants"]
    assert participants[0]["role"] == "coordinator"
    assert [p["role"] for p in participants[1:]] == ["partner"] * (len(participants) - 1)
    raised = client.get("/priorities/networking").json()["raised_by"]
    counts = [r["count"] for r in raised]
    assert counts == sorted(counts, reverse=True) and raised[0]["name"]
    competence = client.get("/competences/c-h2-refuelling").json()
    assert {o["id"] for o in competence["needed_by"]} >= {"m-010", "m-050"}
    assert competence["taught_by"] == []


def test_the_root_is_the_home_page_linking_to_the_documentation(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert 'href="/docs"' in response.text
