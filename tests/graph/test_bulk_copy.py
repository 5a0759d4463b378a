"""Large batches of new rows go in through COPY: same result as MERGE, safe after a rollback."""

from __future__ import annotations

from typing import Any

import pytest

from graph.bulk import COPY_MIN_ROWS
from graph.embedded import EmbeddedStore
from graph.schema import NodeKind, RelType

N = COPY_MIN_ROWS + 200


def _offers(start: int, count: int, title: str = "Course") -> list[dict[str, Any]]:
    return [
        {
            "id": f"o{i:05d}",
            "title": f"{title} {i}",
            "eqf_level": 4 if i % 2 else None,
            "languages": ["en"] if i % 3 else [],
            "duration_hours": 12.5,
            "fingerprint": f"f{i}",
        }
        for i in range(start, start + count)
    ]


def _count(store: EmbeddedStore, statement: str) -> int:
    return int(store.run(statement)[0]["n"])


def _offer(store: EmbeddedStore, offer_id: str) -> dict[str, Any]:
    rows = store.run(
        "MATCH (o:TrainingOffer {id: $id}) RETURN o.title AS title, o.eqf_level AS eqf, "
        "o.languages AS languages, o.created_at AS created, o.updated_at AS updated",
        {"id": offer_id},
    )
    return rows[0]


def test_new_nodes_and_edges_land_as_merge_would_write_them(
    embedded_store: EmbeddedStore,
) -> None:
    with embedded_store.transaction() as tx:
        tx.upsert_nodes(NodeKind.TRAINING_OFFER, _offers(0, N))
        tx.upsert_nodes(NodeKind.COMPETENCE, [{"id": "c1", "label": "C", "fingerprint": "c"}])
        edges = [{"a": f"o{i:05d}", "b": "c1"} for i in range(N)]
        edges.append({"a": "o-missing", "b": "c1"})  # an end that does not exist: dropped
        tx.upsert_edges(RelType.TEACHES, NodeKind.TRAINING_OFFER, NodeKind.COMPETENCE, edges)
    assert _count(embedded_store, "MATCH (o:TrainingOffer) RETURN count(o) AS n") == N
    assert _count(embedded_store, "MATCH ()-[e:TEACHES]->() RETURN count(e) AS n") == N
    first, second = _offer(embedded_store, "o00001"), _offer(embedded_store, "o00000")
    assert first["title"] == "Course 1" and first["eqf"] == 4 and first["languages"] == ["en"]
    assert second["eqf"] is None and second["languages"] == []
    assert first["created"] and first["created"] == first["updated"]


def test_existing_nodes_are_merged_and_edges_not_doubled(embedded_store: EmbeddedStore) -> None:
    with embedded_store.transaction() as tx:
        tx.upsert_nodes(NodeKind.TRAINING_OFFER, _offers(0, N))
        tx.upsert_nodes(NodeKind.COMPETENCE, [{"id": "c1", "label": "C", "fingerprint": "c"}])
        edges = [{"a": f"o{i:05d}", "b": "c1"} for i in range(N)]
        tx.upsert_edges(RelType.TEACHES, NodeKind.TRAINING_OFFER, NodeKind.COMPETENCE, edges)
    before = _offer(embedded_store, "o00003")
    with embedded_store.transaction() as tx:  # half of them again, changed, and as many new
        tx.upsert_nodes(NodeKind.TRAINING_OFFER, _offers(N // 2, N, title="Renamed"))
        edges = [{"a": f"o{i:05d}", "b": "c1"} for i in range(N // 2, N // 2 + N)]
        tx.upsert_edges(RelType.TEACHES, NodeKind.TRAINING_OFFER, NodeKind.COMPETENCE, edges)
    total = N // 2 + N
    assert _count(embedded_store, "MATCH (o:TrainingOffer) RETURN count(o) AS n") == total
    assert _count(embedded_store, "MATCH ()-[e:TEACHES]->() RETURN count(e) AS n") == total
    assert _offer(embedded_store, "o00003") == before  # not in the second batch
    assert _offer(embedded_store, f"o{N - 1:05d}")["title"] == f"Renamed {N - 1}"


def test_a_rolled_back_copy_leaves_nothing_and_later_writes_still_work(
    embedded_store: EmbeddedStore,
) -> None:
    with pytest.raises(RuntimeError, match="planted"), embedded_store.transaction() as tx:
        tx.upsert_nodes(NodeKind.TRAINING_OFFER, _offers(0, N))
        raise RuntimeError("planted failure after the COPY")
    assert _count(embedded_store, "MATCH (o:TrainingOffer) RETURN count(o) AS n") == 0
    # LadybugDB dies on a COPY after such a rollback: this must go through MERGE instead.
    with embedded_store.transaction() as tx:
        tx.upsert_nodes(NodeKind.TRAINING_OFFER, _offers(0, N))
    with embedded_store.transaction() as tx:
        tx.upsert_nodes(NodeKind.TRAINING_OFFER, _offers(N, N))
    assert _count(embedded_store, "MATCH (o:TrainingOffer) RETURN count(o) AS n") == 2 * N


def test_repeated_ids_in_one_batch_are_merged(embedded_store: EmbeddedStore) -> None:
    rows = _offers(0, N) + _offers(0, 1, title="Last")
    with embedded_store.transaction() as tx:
        tx.upsert_nodes(NodeKind.TRAINING_OFFER, rows)
    assert _count(embedded_store, "MATCH (o:TrainingOffer) RETURN count(o) AS n") == N
    assert _offer(embedded_store, "o00000")["title"] == "Last 0"
