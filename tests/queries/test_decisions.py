"""Duplicate decisions in a real store: kept across re-ingests, reopened by a change, over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded import EmbeddedStore
from graph.errors import NotFound
from graph.schema import NodeKind
from ingest.pipeline import ingest
from queries.decisions import DecisionRequest, read_decisions, record_decision, triage
from queries.duplicates import duplicates
from queries.projection import project
from tests.conftest import SAMPLE, copy_store

KEY = "decisions-test-key"


@pytest.fixture
def store(sample_store_dir: Path, tmp_path: Path) -> Iterator[EmbeddedStore]:
    opened = EmbeddedStore(copy_store(sample_store_dir, tmp_path / "graph"))
    opened.ensure_schema()
    yield opened
    opened.close()


def _dismiss_first(store: EmbeddedStore) -> tuple[str, list[str]]:
    graph = project(store)
    cluster = duplicates(graph).clusters[0]
    when = datetime(2026, 1, 5, tzinfo=UTC)
    request = DecisionRequest(kind=cluster.kind, ids=cluster.ids, status="dismissed",
                              note="different audiences", decided_by="Cora")  # fmt: skip
    record_decision(store, graph, request, now=when)
    return cluster.kind, cluster.ids


def test_a_dismissed_cluster_leaves_the_open_list_and_survives_a_reingest(
    store: EmbeddedStore,
) -> None:
    _, ids = _dismiss_first(store)
    ingest(store, [SAMPLE])  # the same sources again
    graph = project(store)
    result = triage(duplicates(graph), read_decisions(store), graph)
    assert ids not in [item.cluster.ids for item in result.open]
    (decided,) = [item for item in result.decided if item.cluster.ids == ids]
    assert decided.decision is not None
    assert (decided.decision.status, decided.decision.decided_by) == ("dismissed", "Cora")
    assert decided.decision.decided_at.startswith("2026-01-05")
    assert decided.decision.note == "different audiences"


def test_a_change_to_one_initiative_proposes_the_cluster_again(store: EmbeddedStore) -> None:
    kind, ids = _dismiss_first(store)
    node_kind = NodeKind.PROJECT if kind == "project" else NodeKind.TRAINING_OFFER
    with store.transaction() as tx:  # as an ingest of an edited row does: a new fingerprint
        tx.upsert_nodes(node_kind, [{"id": ids[0], "fingerprint": "edited"}])
    graph = project(store)
    result = triage(duplicates(graph), read_decisions(store), graph)
    (reopened,) = [item for item in result.open if item.cluster.ids == ids]
    assert reopened.changed_since_decision and reopened.decision is not None
    assert reopened.decision.status == "dismissed"


def test_a_note_leaves_the_cluster_open(store: EmbeddedStore) -> None:
    graph = project(store)
    cluster = duplicates(graph).clusters[0]
    record_decision(store, graph, DecisionRequest(kind=cluster.kind, ids=cluster.ids,
                                                  status="note", note="ask X", decided_by="Cora"))  # fmt: skip
    graph = project(store)
    result = triage(duplicates(graph), read_decisions(store), graph)
    (item,) = [i for i in result.open if i.cluster.ids == cluster.ids]
    assert item.note is not None and item.note.note == "ask X" and item.decision is None


def test_an_unknown_initiative_is_refused(store: EmbeddedStore) -> None:
    with pytest.raises(NotFound, match="nope"):
        record_decision(store, project(store), DecisionRequest(
            kind="project", ids=["p-001", "nope"], status="confirmed", decided_by="Cora"))  # fmt: skip


def test_decisions_over_http(sample_store_dir: Path, tmp_path: Path) -> None:
    folder = copy_store(sample_store_dir, tmp_path / "graph")
    app = create_app(Settings(data_dir=folder, api_key=KEY))  # type: ignore[call-arg]
    with TestClient(app) as client:
        first = client.get("/duplicates/triage").json()["open"][0]["cluster"]
        body = {
            "kind": first["kind"],
            "ids": first["ids"],
            "status": "confirmed",
            "decided_by": "Ann",
        }
        assert client.post("/duplicates/decisions", json=body).status_code == 401
        made = client.post("/duplicates/decisions", json=body, headers={"X-API-Key": KEY})
        assert made.status_code == 201 and made.json()["decided_by"] == "Ann"
        triaged = client.get("/duplicates/triage").json()
        assert first["ids"] not in [item["cluster"]["ids"] for item in triaged["open"]]
        assert [d["decision"]["status"] for d in triaged["decided"]] == ["confirmed"]
        assert client.get("/duplicates/decisions").status_code == 405  # POST only
        (decided,) = triaged["decided"]
        assert decided["decision"]["ids"] == sorted(first["ids"])
        assert decided["decision"]["decided_by"] == "Ann"
