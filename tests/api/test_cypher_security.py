"""``POST /cypher`` as an attacker uses it: every hostile statement a 400, nothing changed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph import cypher
from graph.schema import META_ID
from tests.cypher_corpus import CATALOGUE_READS, HOSTILE, READS

CANARY_TEXT = "canary-42d1"
#: What each engine lists of its own schema (tables and their comments; labels): unchanged.
CATALOGUE = {
    "embedded": "CALL show_tables() RETURN *",
    "neo4j": "CALL db.labels() YIELD label RETURN label ORDER BY label",
}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A file hostile statements try to write and one they try to read."""
    folder = tmp_path_factory.mktemp("cypher-files")
    canary = folder / "canary.csv"
    canary.write_text(f"{CANARY_TEXT}:x:1\n", encoding="utf-8")
    return {"out": folder / "out.csv", "canary": canary, "folder": folder}


def _state(client: TestClient) -> dict[str, object]:
    store = client.app.state.store  # type: ignore[attr-defined]
    return {
        "names": store.run("MATCH (o:Organisation) RETURN o.id AS id, o.name AS n ORDER BY id"),
        "nodes": store.run("MATCH (n) RETURN count(n) AS n"),
        "stored revision": store.run(cypher.READ_REVISION, {"id": META_ID}),
        "revision": store.revision(),
        "catalogue": store.run(CATALOGUE[store.backend]),
    }


@pytest.fixture(scope="module")
def before(client: TestClient) -> dict[str, object]:
    return _state(client)


@pytest.mark.parametrize(("name", "statement"), HOSTILE, ids=[name for name, _ in HOSTILE])
def test_a_hostile_statement_is_a_400_and_changes_nothing(
    client: TestClient, files: dict[str, Path], before: dict[str, object], name: str, statement: str
) -> None:
    query = statement.replace("{out}", str(files["out"])).replace("{canary}", str(files["canary"]))
    response = client.post("/cypher", json={"query": query})
    assert response.status_code == 400, (name, response.text)
    error = response.json()["error"]
    assert error["code"] in {"query_refused", "bad_request"}
    assert "\n" not in error["message"] and "Traceback" not in response.text
    assert CANARY_TEXT not in response.text and "root:" not in response.text
    assert sorted(p.name for p in files["folder"].iterdir()) == ["canary.csv"]
    assert _state(client) == before


def test_the_first_statement_of_the_attack_is_named_with_its_place(client: TestClient) -> None:
    attack = dict(HOSTILE)["cr ends comment, then SET"]
    message = client.post("/cypher", json={"query": attack}).json()["error"]["message"]
    assert "// comment" in message and "line 1, column 39" in message


@pytest.mark.parametrize("statement", READS)
def test_reads_still_answer(client: TestClient, statement: str) -> None:
    params = {name: "DE" for name in re.findall(r"\$`?(\w+)", statement)}
    response = client.post("/cypher", json={"query": statement, "params": params})
    assert response.status_code == 200, response.text
    assert response.json()["rows"]


def test_the_engines_own_catalogue_reads_answer(client: TestClient) -> None:
    backend = client.app.state.store.backend  # type: ignore[attr-defined]
    for statement in CATALOGUE_READS[backend]:
        response = client.post("/cypher", json={"query": statement})
        assert response.status_code == 200, (statement, response.text)
        assert response.json()["rows"], statement


def test_the_row_limit_cuts_a_long_result(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "graph", cypher_max_rows=10)
    with TestClient(create_app(settings)) as limited:
        body = limited.post(
            "/cypher", json={"query": "UNWIND range(1, 200000) AS x RETURN x"}
        ).json()
        exact = limited.post("/cypher", json={"query": "UNWIND range(1, 10) AS x RETURN x"}).json()
    assert body["rows"] == [{"x": x} for x in range(1, 11)] and body["truncated"] is True
    assert len(exact["rows"]) == 10 and exact["truncated"] is False


def test_the_time_limit_refuses_a_long_query(tmp_path: Path) -> None:
    slow = (
        "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b "
        "WITH a, b WHERE a + b < 0 RETURN count(*) AS n"
    )
    settings = Settings(data_dir=tmp_path / "graph", cypher_timeout_seconds=0.05)
    with TestClient(create_app(settings)) as limited:
        response = limited.post("/cypher", json={"query": slow})
        after = limited.post("/cypher", json={"query": "RETURN 1 AS x"})
    assert response.status_code == 400 and "time limit" in response.json()["error"]["message"]
    assert after.json()["rows"] == [{"x": 1}]


@pytest.fixture(scope="module", autouse=True)
def _no_file_left(files: dict[str, Path]) -> Iterator[None]:
    yield
    assert not files["out"].exists()
