"""A large write into a store opened exclusive loads a copy of the store and swaps it in."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import graph.embedded
from bench.synthetic import write_dataset
from graph.embedded import DATABASE_FILE, LOAD_FOLDER, EmbeddedStore
from graph.schema import RELATIONSHIPS, NodeKind, RelType, node_properties, rel_properties
from ingest.pipeline import ingest


@pytest.fixture
def small_aside(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes of a few hundred rows go aside (the real threshold is for large loads)."""
    monkeypatch.setattr(graph.embedded, "ASIDE_ROWS", 200)
    monkeypatch.setattr(graph.embedded, "ASIDE_BYTES_PER_ROW", 10_000_000)


def _contents(store: EmbeddedStore) -> dict[str, list[str]]:
    """Every node and edge with its properties; the ingest times are left out."""
    found: dict[str, list[str]] = {}
    for kind in NodeKind:
        props = [p for p in node_properties(kind) if p not in ("created_at", "updated_at",
                                                                "ingested_at")]  # fmt: skip
        columns = ", ".join(f"n.`{p}` AS `{p}`" for p in props)
        rows = store.run(f"MATCH (n:`{kind}`) RETURN {columns}, "
                         "n.created_at = n.updated_at AS unchanged")  # fmt: skip
        found[kind] = sorted(map(str, rows))
    for rel, spec in RELATIONSHIPS.items():
        props = "".join(f", e.`{p}` AS `{p}`" for p in rel_properties(rel))
        for src, dst in spec.endpoints:
            rows = store.run(
                f"MATCH (a:`{src}`)-[e:`{rel}`]->(b:`{dst}`) RETURN a.id AS a, b.id AS b{props}"
            )
            found[f"{rel} {src} {dst}"] = sorted(map(str, rows))
    return found


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("aside-data")
    write_dataset(folder, offers=300, members=40, projects=30, seed=5)
    return folder


def _ingest_twice(folder: Path, data: Path, *, exclusive: bool) -> list[dict[str, list[str]]]:
    store = EmbeddedStore(folder, exclusive=exclusive)
    try:
        store.ensure_schema()
        states = []
        for _ in range(2):
            report = ingest(store, [data])
            assert report.exit_code == 0
            states.append(_contents(store))
        assert store.revision() == 8
    finally:
        store.close()
    return states


@pytest.mark.usefixtures("small_aside")
def test_a_load_aside_ends_as_the_same_load_in_place(dataset: Path, tmp_path: Path) -> None:
    swaps: list[Path] = []
    swap_in = EmbeddedStore._swap_in

    def counted(store: EmbeddedStore, copy: Path) -> None:
        swaps.append(copy)
        swap_in(store, copy)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(EmbeddedStore, "_swap_in", counted)
        aside = _ingest_twice(tmp_path / "aside", dataset, exclusive=True)
    in_place = _ingest_twice(tmp_path / "in-place", dataset, exclusive=False)
    assert swaps, "no write went aside"
    assert aside == in_place
    assert aside[0] == aside[1]  # the second ingest changed nothing, not even updated_at
    assert not (tmp_path / "aside" / LOAD_FOLDER).exists()


@pytest.mark.usefixtures("small_aside")
def test_an_error_in_a_write_aside_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path, exclusive=True)
    try:
        store.ensure_schema()
        rows = [{"id": f"c-{i}", "label": f"c {i}", "fingerprint": "v1"} for i in range(300)]
        with pytest.raises(RuntimeError), store.transaction("competences.csv", rows=300) as tx:
            tx.upsert_nodes(NodeKind.COMPETENCE, rows)
            assert (tmp_path / LOAD_FOLDER / DATABASE_FILE).exists()
            tx.run("MATCH (n:Nowhere) RETURN n")
        assert store.revision() == 0
        assert store.run("MATCH (c:Competence) RETURN count(c) AS n") == [{"n": 0}]
        assert not (tmp_path / LOAD_FOLDER).exists()
        with store.transaction("competences.csv", rows=300) as tx:
            tx.upsert_nodes(NodeKind.COMPETENCE, rows)
        assert store.run("MATCH (c:Competence) RETURN count(c) AS n") == [{"n": 300}]
    finally:
        store.close()


@pytest.mark.usefixtures("small_aside")
def test_a_store_used_by_another_thread_writes_in_place(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path, exclusive=True)
    try:
        store.ensure_schema()
        reader = threading.Thread(target=store.revision)
        reader.start()
        reader.join()
        assert not store._goes_aside(1_000)
        rows = [{"id": f"c-{i}", "label": f"c {i}", "fingerprint": "v1"} for i in range(300)]
        with store.transaction("competences.csv", rows=300) as tx:
            tx.upsert_nodes(NodeKind.COMPETENCE, rows)
            assert not (tmp_path / LOAD_FOLDER).exists()
        assert store.run("MATCH (c:Competence) RETURN count(c) AS n") == [{"n": 300}]
    finally:
        store.close()


def test_a_copy_left_by_a_stopped_load_is_removed_on_open(tmp_path: Path) -> None:
    EmbeddedStore(tmp_path).close()
    left = tmp_path / LOAD_FOLDER
    left.mkdir()
    (left / DATABASE_FILE).write_bytes(b"half a copy")
    EmbeddedStore(tmp_path, read_only=True).close()
    assert left.exists()  # a reader may not touch what the writer keeps
    EmbeddedStore(tmp_path).close()
    assert not left.exists()


@pytest.mark.usefixtures("small_aside")
def test_edges_aside_to_nodes_that_do_not_exist_are_left_out(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path, exclusive=True)
    try:
        store.ensure_schema()
        with store.transaction("competences.csv") as tx:  # in place: a small write
            tx.upsert_nodes(
                NodeKind.COMPETENCE, [{"id": "c-old", "label": "old", "fingerprint": "f"}]
            )
        offers = [{"id": f"t-{i}", "title": f"t {i}", "fingerprint": "v1"} for i in range(300)]
        teaches = [{"a": f"t-{i}", "b": "c-old" if i % 2 else "c-none"} for i in range(300)]
        with store.transaction("offers.csv", rows=600) as tx:
            tx.upsert_nodes(NodeKind.TRAINING_OFFER, offers)
            tx.upsert_edges(RelType.TEACHES, NodeKind.TRAINING_OFFER, NodeKind.COMPETENCE,
                            [*teaches, {"a": "t-none", "b": "c-old"}])  # fmt: skip
            assert (tmp_path / LOAD_FOLDER).exists()
        rows = store.run("MATCH (t:TrainingOffer)-[:TEACHES]->(c:Competence) "
                         "RETURN count(t) AS n, min(c.id) AS c")  # fmt: skip
        assert rows == [{"n": 150, "c": "c-old"}]
        assert store.revision() == 2
    finally:
        store.close()
