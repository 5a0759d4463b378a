"""Graph Data Science on the test server gives the fragmentation the igraph engine gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.errors import StoreUnavailable
from graph.gds import GdsEngine
from graph.neo4j_store import Neo4jStore
from ingest.pipeline import ingest
from queries.fragmentation import COLLABORATION, collaboration_network, fragmentation
from queries.projection import project
from tests.conftest import SAMPLE, Neo4jTarget
from tests.queries.test_fragmentation import LEFT, RIGHT, build_bridged

pytestmark = pytest.mark.neo4j

LIST_GRAPHS = "CALL gds.graph.list() YIELD graphName RETURN graphName"


@pytest.fixture
def server_store(neo4j: Neo4jTarget) -> Any:
    store = neo4j.open()
    assert isinstance(store, Neo4jStore)
    store.ensure_schema()
    yield store
    store.close()


def _partition(communities: list[list[str]]) -> set[frozenset[str]]:
    return {frozenset(c) for c in communities}


def test_bridged_graph_gives_the_same_report_on_both_engines(server_store: Neo4jStore) -> None:
    graph = build_bridged(server_store)
    local = fragmentation(graph).model_dump()
    gds = fragmentation(graph, engine=GdsEngine(server_store)).model_dump()
    assert gds["brokers"][0]["id"] == "k" and gds["brokers"][0]["splits_into"] == [3, 3]
    assert {k: v for k, v in gds.items() if k != "communities"} == {
        k: v for k, v in local.items() if k != "communities"
    }
    # k is as close to the left group as to the right one: either engine may put it in either.
    without_k = [{frozenset(set(c) - {"k"}) for c in r["communities"]} for r in (local, gds)]
    assert (
        without_k[0]
        == without_k[1]
        == {frozenset(LEFT), frozenset(RIGHT), frozenset({"c1", "c2", "y"})}
    )
    assert any({"k", *LEFT} == set(c) or {"k", *RIGHT} == set(c) for c in gds["communities"])
    assert server_store.run(LIST_GRAPHS) == []  # the projection was dropped


def test_sample_gives_the_same_report_on_both_engines(
    server_store: Neo4jStore, planted: dict[str, Any]
) -> None:
    ingest(server_store, [SAMPLE])
    graph = project(server_store)
    local = fragmentation(graph)
    gds = fragmentation(graph, engine=GdsEngine(server_store))
    assert _partition(gds.communities) == _partition(local.communities)
    assert len(gds.communities) > 2
    assert gds.brokers[0].id == planted["broker"] and gds.brokers[0].splits_into == [14, 10]
    assert [b.id for b in gds.brokers] == [b.id for b in local.brokers]
    assert gds == local


def test_projection_is_dropped_when_the_analysis_fails(server_store: Neo4jStore) -> None:
    graph = build_bridged(server_store)
    network: nx.Graph = collaboration_network(graph)
    network.add_node("not-in-the-database", name="x", member=True)
    with pytest.raises(StoreUnavailable, match="the graph changed"):
        GdsEngine(server_store).analyse(network, COLLABORATION, seed=1, top=3)
    assert server_store.run(LIST_GRAPHS) == []


def test_the_api_answers_with_the_engine_its_setting_names(
    neo4j: Neo4jTarget, server_store: Neo4jStore, tmp_path: Path
) -> None:
    build_bridged(server_store)
    answers = {}
    for engine in ("networkx", "gds"):
        settings = neo4j.settings(data_dir=tmp_path / "graph", analysis_engine=engine)
        with TestClient(create_app(settings)) as client:
            response = client.get("/analysis/fragmentation")
            assert response.status_code == 200, response.text
            answers[engine] = response.json()
    assert answers["gds"]["brokers"] == answers["networkx"]["brokers"]
    assert answers["gds"]["component_members"] == answers["networkx"]["component_members"]


def test_the_cli_reports_with_gds_and_refuses_it_without_a_server(
    neo4j: Neo4jTarget, server_store: Neo4jStore, tmp_path: Path
) -> None:
    build_bridged(server_store)
    command = [sys.executable, "-m", "api.cli", "report", "fragmentation", "--json"]
    env = {**os.environ, **neo4j.env, "SKILLGRAPH_ANALYSIS_ENGINE": "gds"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=180)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["brokers"][0]["id"] == "k"
    view = tmp_path / "fragmentation.html"
    done = subprocess.run([sys.executable, "-m", "api.cli", "viz", "--view", "fragmentation",
                           "--out", str(view)], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=180)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Organisation k" in view.read_text(encoding="utf-8")
    embedded = {**os.environ, "SKILLGRAPH_DATA_DIR": str(tmp_path / "graph"),
                "SKILLGRAPH_ANALYSIS_ENGINE": "gds"}  # fmt: skip
    embedded.pop("SKILLGRAPH_STORE", None)
    done = subprocess.run(command, capture_output=True, text=True, env=embedded, cwd=tmp_path,
                          timeout=180)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: SKILLGRAPH_ANALYSIS_ENGINE=gds needs SKILLGRAPH_STORE=neo4j "
        "(a Neo4j server with the Graph Data Science library)"
    ]
