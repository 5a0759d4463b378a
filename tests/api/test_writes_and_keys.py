"""Ingest over HTTP, read-only Cypher, API keys, upload limits: on a store of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.conftest import TINY

KEY = "write-key-for-tests"
READ_KEY = "read-key-for-tests"


def _client(tmp_path: Path, **settings: object) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path / "graph", **settings)))


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[TestClient]:
    with _client(tmp_path, api_key=KEY, max_upload_mb=0.01) as client:
        yield client


def _upload(*names: str) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (name, (TINY / name).read_bytes(), "text/csv")) for name in names]


def _counts(client: TestClient) -> dict[str, int]:
    return client.get("/stats").json()["nodes"]


def test_ingest_with_the_key_returns_the_cli_report(writable: TestClient) -> None:
    response = writable.post(
        "/ingest", files=_upload("competences.csv", "members.csv"), headers={"X-API-Key": KEY}
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["exit_code"] == 0
    assert [f["file"] for f in report["files"]] == ["competences.csv", "members.csv"]
    assert _counts(writable)["Organisation"] == 3


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({}, 401, "key_required"),
        ({"X-API-Key": "wrong"}, 403, "key_refused"),
        ({"Authorization": "Bearer wrong"}, 403, "key_refused"),
    ],
)
def test_ingest_without_the_right_key_is_refused_and_writes_nothing(
    writable: TestClient, headers: dict[str, str], status: int, code: str
) -> None:
    response = writable.post("/ingest", files=_upload("competences.csv"), headers=headers)
    assert response.status_code == status and response.json()["error"]["code"] == code
    assert _counts(writable)["Competence"] == 0


def test_bearer_key_works_too(writable: TestClient) -> None:
    response = writable.post(
        "/ingest", files=_upload("competences.csv"), headers={"Authorization": f"Bearer {KEY}"}
    )
    assert response.status_code == 200


def test_without_a_configured_key_writes_are_disabled_with_a_hint(tmp_path: Path) -> None:
    with _client(tmp_path) as client:
        response = client.post(
            "/ingest", files=_upload("competences.csv"), headers={"X-API-Key": "anything"}
        )
    assert response.status_code == 403
    assert "SKILLGRAPH_API_KEY" in response.json()["error"]["message"]


def test_a_bad_upload_leaves_the_graph_unchanged(writable: TestClient) -> None:
    writable.post("/ingest", files=_upload("competences.csv"), headers={"X-API-Key": KEY})
    before = writable.get("/stats").json()
    bad = [("files", ("members.csv", b"id,name,country\nm-1,A GmbH,DE\n", "text/csv"))]
    report = writable.post("/ingest", files=bad, headers={"X-API-Key": KEY}).json()
    assert report["exit_code"] == 1 and "type" in report["files"][0]["error"]
    after = writable.get("/stats").json()
    assert (after["nodes"], after["edges"]) == (before["nodes"], before["edges"])


def test_an_unreadable_type_is_a_415(writable: TestClient) -> None:
    files = [("files", ("members.pdf", b"%PDF-1.4", "application/pdf"))]
    response = writable.post("/ingest", files=files, headers={"X-API-Key": KEY})
    assert response.status_code == 415 and "members.pdf" in response.json()["error"]["message"]


def test_an_upload_over_the_limit_is_a_413(writable: TestClient) -> None:
    files = [("files", ("members.csv", b"id,name,type,country\n" + b"x" * 20_000, "text/csv"))]
    response = writable.post("/ingest", files=files, headers={"X-API-Key": KEY})
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_no_response_reveals_the_servers_folders(writable: TestClient, tmp_path: Path) -> None:
    bad = [("files", ("members.csv", b"id,name,type,country\nm-1,A,oem,ZZ\n", "text/csv"))]
    text = writable.post("/ingest", files=bad, headers={"X-API-Key": KEY}).text
    assert "/tmp" not in text and str(tmp_path) not in text and "members.csv:2" in text


def test_cypher_reads_and_refuses_writes_leaving_the_graph_unchanged(writable: TestClient) -> None:
    writable.post("/ingest", files=_upload("competences.csv"), headers={"X-API-Key": KEY})
    read = writable.post(
        "/cypher",
        json={"query": "MATCH (c:Competence) RETURN c.id AS id ORDER BY c.id", "params": {}},
    )
    assert read.json()["rows"] == [{"id": "c-bms"}, {"id": "c-cyber"}, {"id": "c-hv"}]
    for query in ("MATCH (c:Competence) DETACH DELETE c", "CREATE (:Competence {id: 'x'})",
                  "MATCH (c:Competence) SET c.label = 'x'", "CALL apoc.do.when(true, 'x', 'y')"):  # fmt: skip
        refused = writable.post("/cypher", json={"query": query})
        assert refused.status_code == 400 and refused.json()["error"]["code"] == "query_refused"
    assert _counts(writable)["Competence"] == 3
    labels = writable.post(
        "/cypher", json={"query": "MATCH (c:Competence) RETURN c.label AS l ORDER BY l"}
    ).json()
    assert next(row["l"] for row in labels["rows"]) == "Automotive cybersecurity"


def test_cypher_row_limit_truncates(tmp_path: Path) -> None:
    with _client(tmp_path, api_key=KEY, cypher_max_rows=2) as client:
        client.post("/ingest", files=_upload("competences.csv"), headers={"X-API-Key": KEY})
        body = client.post(
            "/cypher", json={"query": "MATCH (c:Competence) RETURN c.id AS id"}
        ).json()
    assert body["truncated"] is True and len(body["rows"]) == 2


def test_cypher_syntax_error_is_a_400_without_internals(writable: TestClient) -> None:
    response = writable.post("/cypher", json={"query": "MATCH (n RETURN n"})
    assert response.status_code == 400 and "Traceback" not in response.text


def test_a_read_key_closes_reads_but_not_health(tmp_path: Path) -> None:
    with _client(tmp_path, api_key=KEY, read_key=READ_KEY) as client:
        assert client.get("/health").status_code == 200
        assert client.get("/organisations").status_code == 401
        assert client.get("/organisations", headers={"X-API-Key": "nope"}).status_code == 403
        assert client.get("/organisations", headers={"X-API-Key": READ_KEY}).status_code == 200
        assert client.get("/stats", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
        assert client.post("/cypher", json={"query": "RETURN 1 AS x"}).status_code == 401


def test_cypher_can_be_made_to_need_the_write_key(tmp_path: Path) -> None:
    with _client(tmp_path, api_key=KEY, cypher_needs_key=True) as client:
        assert client.post("/cypher", json={"query": "RETURN 1 AS x"}).status_code == 401
        ok = client.post("/cypher", json={"query": "RETURN 1 AS x"}, headers={"X-API-Key": KEY})
        assert ok.json()["rows"] == [{"x": 1}]


def test_cors_is_closed_by_default_and_opens_for_configured_origins(tmp_path: Path) -> None:
    preflight = {"Origin": "https://partner.example", "Access-Control-Request-Method": "GET"}
    with _client(tmp_path) as client:
        assert (
            "access-control-allow-origin"
            not in client.options("/organisations", headers=preflight).headers
        )
    with _client(tmp_path, cors_origins=["https://partner.example"]) as client:
        allowed = client.options("/organisations", headers=preflight).headers
        assert allowed["access-control-allow-origin"] == "https://partner.example"


def test_a_write_invalidates_every_cached_read(writable: TestClient) -> None:
    assert writable.get("/competences").json()["count"] == 0
    assert writable.get("/competences").json()["count"] == 0  # served again, from the cache
    writable.post("/ingest", files=_upload("competences.csv"), headers={"X-API-Key": KEY})
    assert writable.get("/competences").json()["count"] == 3


def test_a_cached_read_is_never_replayed_to_a_client_without_the_read_key(tmp_path: Path) -> None:
    with _client(tmp_path, api_key=KEY, read_key=READ_KEY) as client:
        assert client.get("/competences", headers={"X-API-Key": READ_KEY}).status_code == 200
        assert client.get("/competences").status_code == 401
        assert client.get("/competences", headers={"X-API-Key": "nope"}).status_code == 403


def test_cypher_parameters_the_engine_cannot_take_are_a_400(writable: TestClient) -> None:
    response = writable.post("/cypher", json={"query": "RETURN $x AS x", "params": {"x": [1, "a"]}})
    assert response.status_code == 400 and "parameters" in response.json()["error"]["message"]


def test_an_ingest_computes_the_next_analyses_before_anyone_asks(writable: TestClient) -> None:
    from queries.duplicates import DEFAULT_MIN_SCORE

    writable.post("/ingest", files=_upload("competences.csv"), headers={"X-API-Key": KEY})
    cache = writable.app.state.cache  # type: ignore[attr-defined]
    graph = cache.peek("projection")
    assert graph is not None and graph.number_of_nodes() == 3
    assert cache.peek(("analysis", "duplicates", DEFAULT_MIN_SCORE, None)) is not None
    assert cache.peek(("analysis", "priorities")) is not None


def test_a_bad_poll_mapping_upload_is_named_as_uploaded(writable: TestClient) -> None:
    files = [
        ("files", ("answers.csv", b"Organisation,Q1\nm-1,budget\n", "text/csv")),
        ("mapping", ("my-mapping.yaml", b"preset: nonsense-tool\n", "text/yaml")),
    ]
    response = writable.post(
        "/ingest", files=files, data={"format": "poll"}, headers={"X-API-Key": KEY}
    )
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert "my-mapping.yaml" in message and "/tmp" not in message


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({"X-API-Key": "wrong"}, 403), ({"Authorization": "Basic " + KEY}, 401)],
)
def test_the_key_is_refused_before_the_body_is_even_looked_at(
    writable: TestClient, headers: dict[str, str], status: int
) -> None:
    # A body that is no form at all, and over the upload limit: the key answers first.
    garbage = {"Content-Type": "multipart/form-data; boundary=x", **headers}
    response = writable.post("/ingest", content=b"\x00" * 50_000, headers=garbage)
    assert response.status_code == status
    assert response.json()["error"]["code"] in {"key_required", "key_refused"}
