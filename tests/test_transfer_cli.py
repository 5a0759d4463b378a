"""``skillgraph export`` and ``import``: embedded -> Neo4j -> embedded gives the same graph."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph.embedded import EmbeddedStore
from graph.store import Store
from queries.bundle import all_analyses
from queries.projection import project
from tests.conftest import DATA, SAMPLE, TINY, Neo4jTarget
from tests.test_neo4j_server_path import cli

ESCO = DATA / "sources" / "esco"
READ_STAMPS = (
    "MATCH (o:Organisation) RETURN o.id AS id, o.created_at AS c, o.updated_at AS u ORDER BY id"
)


def _embedded(folder: Path) -> dict[str, str]:
    return {"SKILLGRAPH_STORE": "embedded", "SKILLGRAPH_DATA_DIR": str(folder / "graph")}


def _stats(env: dict[str, str], cwd: Path) -> dict[str, Any]:
    done = cli(["stats", "--json"], env, cwd)
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)
    stats.pop("backend"), stats.pop("revision")
    return stats  # type: ignore[no-any-return]


def _answers_and_stamps(store: Store) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    try:
        answers = all_analyses(project(store)).model_dump(mode="json")
        answers.pop("revision")
        return answers, store.run(READ_STAMPS)
    finally:
        store.close()


@pytest.mark.neo4j
def test_a_graph_moves_to_neo4j_and_back_unchanged(neo4j: Neo4jTarget, tmp_path: Path) -> None:
    first, back = tmp_path / "first", tmp_path / "back"
    assert cli(["ingest", str(SAMPLE)], _embedded(first), tmp_path).returncode == 0
    # ESCO labels close to the sample's competences leave questions for review.
    assert cli(["ingest", str(ESCO)], _embedded(first), tmp_path).returncode == 0
    review = json.loads((first / "graph" / "review.json").read_text())
    assert review["pending"], "ESCO should leave questions for review"
    accepted = cli(["review", "accept", "1"], _embedded(first), tmp_path)
    assert accepted.returncode == 0, accepted.stderr
    original = _stats(_embedded(first), tmp_path)

    exported = cli(["export", str(tmp_path / "one.json")], _embedded(first), tmp_path)
    assert exported.returncode == 0, exported.stderr
    server = {**neo4j.env, "SKILLGRAPH_DATA_DIR": str(tmp_path / "server" / "graph")}
    imported = cli(["import", str(tmp_path / "one.json")], server, tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert _stats(server, tmp_path) == original
    assert cli(["export", str(tmp_path / "two.json")], server, tmp_path).returncode == 0
    assert cli(["import", str(tmp_path / "two.json")], _embedded(back), tmp_path).returncode == 0
    assert _stats(_embedded(back), tmp_path) == original

    assert json.loads((back / "graph" / "review.json").read_text()) == json.loads(
        (first / "graph" / "review.json").read_text()
    )
    on_server = _answers_and_stamps(neo4j.open())
    assert _answers_and_stamps(EmbeddedStore(first / "graph")) == on_server
    assert _answers_and_stamps(EmbeddedStore(back / "graph")) == on_server


def test_a_bad_file_and_a_full_target_are_one_line_and_write_nothing(tmp_path: Path) -> None:
    env = _embedded(tmp_path)
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "skillgraph-graph",\n "nodes": [}\n')
    done = cli(["import", str(broken)], env, tmp_path)
    assert done.returncode == 2 and f"{broken}:2: invalid JSON" in done.stderr
    assert done.stderr.strip().count("\n") == 0 and "Traceback" not in done.stderr
    assert cli(["ingest", str(TINY)], env, tmp_path).returncode == 0
    dump = tmp_path / "tiny.json"
    assert cli(["export", str(dump)], env, tmp_path).returncode == 0
    again = cli(["import", str(dump)], {**env, "SKILLGRAPH_DATA_DIR": str(tmp_path / "other")},
                tmp_path)  # fmt: skip
    assert again.returncode == 0, again.stderr
    full = cli(["import", str(dump)], env, tmp_path)
    assert full.returncode == 2 and "not empty" in full.stderr
    tampered = json.loads(dump.read_text())
    tampered["nodes"]["Organisation"][0]["name) DETACH DELETE n //"] = "x"
    bad = tmp_path / "tampered.json"
    bad.write_text(json.dumps(tampered))
    refused = cli(["import", str(bad)], {**env, "SKILLGRAPH_DATA_DIR": str(tmp_path / "third")},
                  tmp_path)  # fmt: skip
    assert refused.returncode == 2 and "no properties" in refused.stderr
    assert json.loads(cli(["stats", "--json"], {**env, "SKILLGRAPH_DATA_DIR": str(tmp_path / "third")},
                          tmp_path).stdout)["nodes"]["Organisation"] == 0  # fmt: skip
