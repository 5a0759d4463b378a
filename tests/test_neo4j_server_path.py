"""The Neo4j server as a user meets it: every command, one-line errors, a restart mid-run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.errors import QueryRefused, StoreUnavailable
from graph.neo4j_store import Neo4jStore
from ingest.pipeline import ingest
from tests.conftest import SAMPLE, TINY, Neo4jTarget
from tests.neo4j_server import free_port

pytestmark = pytest.mark.neo4j


def cli(
    args: list[str], env: dict[str, str], cwd: Path, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True,
                          text=True, env={**os.environ, **env}, cwd=cwd, timeout=timeout)  # fmt: skip


def _env(target: Neo4jTarget, tmp_path: Path, **changes: str) -> dict[str, str]:
    return {**target.env, "SKILLGRAPH_DATA_DIR": str(tmp_path / "graph"), **changes}


def _comparable(stats: dict[str, object]) -> dict[str, object]:
    """Stats without what differs by store: its name, its revision, when sources were read."""
    kept = {k: v for k, v in stats.items() if k not in ("backend", "revision", "sources")}
    sources = stats["sources"]
    assert isinstance(sources, list)
    kept["sources"] = sorted((s["id"], s["file"], s["kind"], s["sha256"]) for s in sources)
    return kept


def _one_line(result: subprocess.CompletedProcess[str], code: int, words: str) -> None:
    assert result.returncode == code, result.stdout + result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr


def test_every_command_works_on_the_server(neo4j: Neo4jTarget, tmp_path: Path) -> None:
    env = _env(neo4j, tmp_path)
    ingested = cli(["ingest", str(SAMPLE)], env, tmp_path)
    assert ingested.returncode == 0, ingested.stderr
    stats = json.loads(cli(["stats", "--json"], env, tmp_path).stdout)
    embedded = {"SKILLGRAPH_STORE": "embedded", "SKILLGRAPH_DATA_DIR": str(tmp_path / "local")}
    assert cli(["ingest", str(SAMPLE)], embedded, tmp_path).returncode == 0
    assert _comparable(stats) == _comparable(
        json.loads(cli(["stats", "--json"], embedded, tmp_path).stdout)
    )
    report = cli(["report", "fragmentation", "--json"], env, tmp_path)
    assert report.returncode == 0 and json.loads(report.stdout)["components"]
    page = tmp_path / "eco.html"
    drawn = cli(["viz", "--budget", "30", "--out", str(page)], env, tmp_path)
    assert drawn.returncode == 0 and "vis.Network" in page.read_text()
    review = cli(["review", "--json"], env, tmp_path)
    assert review.returncode == 0 and "pending" in json.loads(review.stdout)
    assert (tmp_path / "review-neo4j.json").exists() or "pending" in review.stdout


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_serve_and_demo_answer_from_the_server(
    neo4j: Neo4jTarget, tmp_path: Path, command: str
) -> None:
    port = free_port()
    env = _env(neo4j, tmp_path, SKILLGRAPH_PORT=str(port))
    server = subprocess.Popen([sys.executable, "-m", "api.cli", command], cwd=tmp_path,
                              env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        health = None
        for _ in range(240):
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).json()
                break
            except httpx.HTTPError:
                assert server.poll() is None, server.communicate()[1]
                time.sleep(0.25)
        assert health is not None and health["backend"] == "neo4j"
        organisations = httpx.get(f"http://127.0.0.1:{port}/stats", timeout=30).json()["nodes"]
        assert (organisations["Organisation"] > 0) == (command == "demo")
    finally:
        server.terminate()
        server.wait(30)


def test_a_stopped_server_a_wrong_password_and_an_unknown_database_are_one_line(
    neo4j: Neo4jTarget, tmp_path: Path
) -> None:
    nobody = f"bolt://127.0.0.1:{free_port()}"
    _one_line(cli(["stats"], _env(neo4j, tmp_path, NEO4J_URI=nobody), tmp_path), 3,
              f"cannot reach Neo4j at {nobody}: is the server running?")  # fmt: skip
    _one_line(cli(["stats"], _env(neo4j, tmp_path, NEO4J_PASSWORD="wrong-password"), tmp_path),
              3, "wrong user name or password")  # fmt: skip
    _one_line(cli(["ingest", str(TINY)], _env(neo4j, tmp_path, NEO4J_DATABASE="nosuch"), tmp_path),
              3, "has no database 'nosuch'")  # fmt: skip


def test_bolt_and_the_routing_scheme_reach_the_same_graph(neo4j: Neo4jTarget) -> None:
    if neo4j.server is None:
        pytest.skip("NEO4J_URI names an outside server: its two addresses are not known here")
    direct = Neo4jStore(neo4j.server.uri, neo4j.user, neo4j.password)
    routed = Neo4jStore(neo4j.server.routing_uri, neo4j.user, neo4j.password)
    try:
        direct.ensure_schema()
        ingest(direct, [TINY])
        count = "MATCH (o:Organisation) RETURN count(o) AS n"
        assert routed.run(count) == direct.run(count) and direct.run(count)[0]["n"] > 0
        with routed.transaction() as tx:
            tx.run("MATCH (o:Organisation {id: 'm-1'}) SET o.name = 'Renamed'")
        assert direct.run("MATCH (o:Organisation {id: 'm-1'}) RETURN o.name AS n") == [
            {"n": "Renamed"}
        ]
    finally:
        direct.close()
        routed.close()


def test_the_api_answers_503_while_the_server_restarts_and_recovers_by_itself(
    neo4j: Neo4jTarget, tmp_path: Path
) -> None:
    if neo4j.server is None:
        pytest.skip("NEO4J_URI names an outside server: the suite cannot restart it")
    with TestClient(create_app(neo4j.settings(data_dir=tmp_path / "graph"))) as client:
        client.app.state.store.ensure_schema()  # type: ignore[attr-defined]
        ingest(client.app.state.store, [TINY])  # type: ignore[attr-defined]
        before = client.get("/organisations").json()
        assert before["count"] > 0
        store = client.app.state.store  # type: ignore[attr-defined]
        reads = []
        read_revision = store.revision

        def counted_revision() -> int:
            reads.append(1)
            return read_revision()

        store.revision = counted_revision
        neo4j.server.stop()
        try:
            for path in ("/organisations?limit=3", "/stats", "/analysis/gaps", "/health"):
                reads.clear()
                down = client.get(path)
                assert down.status_code == 503, (path, down.text)
                error = down.json()["error"]
                assert error["code"] == "store_unavailable" and "Neo4j" in error["message"]
                assert set(error) == {"code", "message", "details"}
                # One attempt to reach the server per request: each waits for its retries.
                assert len(reads) == 1, path
            with pytest.raises(StoreUnavailable):
                client.app.state.store.run("RETURN 1 AS x")  # type: ignore[attr-defined]
        finally:
            neo4j.server.start()
        assert client.get("/organisations").json() == before
        assert client.get("/health").json()["backend"] == "neo4j"


def test_a_transaction_over_the_servers_memory_is_one_line_and_writes_nothing(
    neo4j: Neo4jTarget,
) -> None:
    if neo4j.server is None:
        pytest.skip("NEO4J_URI names an outside server: its transaction memory is not known here")
    store = neo4j.open()
    try:
        store.ensure_schema()
        # Far more nodes than the test server's 512 MB heap allows one transaction to hold.
        with pytest.raises(QueryRefused) as refused, store.transaction() as tx:
            tx.run("UNWIND range(1, 20000000) AS i CREATE (:Organisation {id: 'o-' + i})")
        message = str(refused.value)
        assert "dbms.memory.transaction.total.max" in message and "split the file" in message
        assert "\n" not in message
        assert store.run("MATCH (o:Organisation) RETURN count(o) AS n") == [{"n": 0}]
    finally:
        store.close()
