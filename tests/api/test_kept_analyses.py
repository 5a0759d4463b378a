"""Analysis results kept on disk beside the store: reused by a new process, never when stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.cache import RevisionCache
from graph.embedded import EmbeddedStore
from graph.schema import NodeKind
from queries.fragmentation import FragmentationReport, fragmentation
from queries.projection import project

KEY = ("analysis", "fragmentation", 10)


def _compute(store: EmbeddedStore, calls: list[int]) -> FragmentationReport:
    calls.append(1)
    return fragmentation(project(store))


def _add_member(store: EmbeddedStore, org_id: str) -> None:
    row = {"id": org_id, "name": org_id, "member": True, "type": "supplier", "fingerprint": "t"}
    with store.transaction() as tx:
        tx.upsert_nodes(NodeKind.ORGANISATION, [row])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "analyses"


def test_a_new_cache_reads_the_kept_result_of_the_same_revision(
    embedded_store: EmbeddedStore, folder: Path
) -> None:
    _add_member(embedded_store, "m1")
    calls: list[int] = []
    first = RevisionCache(embedded_store, folder).get(KEY, lambda: _compute(embedded_store, calls))
    again = RevisionCache(embedded_store, folder).get(KEY, lambda: _compute(embedded_store, calls))
    assert calls == [1]  # the second cache (a new process) read the file
    assert again == first
    assert again.isolated_members == ["m1"]


def test_a_new_revision_is_computed_again_and_old_files_are_dropped(
    embedded_store: EmbeddedStore, folder: Path
) -> None:
    _add_member(embedded_store, "m1")
    calls: list[int] = []
    RevisionCache(embedded_store, folder).get(KEY, lambda: _compute(embedded_store, calls))
    _add_member(embedded_store, "m2")
    report = RevisionCache(embedded_store, folder).get(KEY, lambda: _compute(embedded_store, calls))
    assert calls == [1, 1]
    assert report.isolated_members == ["m1", "m2"]
    revision = embedded_store.revision()
    assert {p.name.split("-")[0] for p in folder.glob("*.json")} == {f"r{revision}"}


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # cut short
        lambda text: "not json",
        lambda text: json.dumps({**json.loads(text), "code": "other"}),  # other analysis code
        lambda text: json.dumps({**json.loads(text), "model": "os.system"}),  # outside queries
        lambda text: json.dumps({**json.loads(text), "value": {"organisations": "many"}}),
    ],
)
def test_a_corrupt_or_foreign_file_is_ignored(
    embedded_store: EmbeddedStore, folder: Path, damage: object
) -> None:
    _add_member(embedded_store, "m1")
    calls: list[int] = []
    RevisionCache(embedded_store, folder).get(KEY, lambda: _compute(embedded_store, calls))
    (path,) = folder.glob("*.json")
    path.write_text(damage(path.read_text()))  # type: ignore[operator]
    report = RevisionCache(embedded_store, folder).get(KEY, lambda: _compute(embedded_store, calls))
    assert calls == [1, 1]
    assert report.isolated_members == ["m1"]


def test_other_parameters_and_other_values_are_not_taken_for_each_other(
    embedded_store: EmbeddedStore, folder: Path
) -> None:
    _add_member(embedded_store, "m1")
    cache = RevisionCache(embedded_store, folder)
    cache.get(KEY, lambda: fragmentation(project(embedded_store)))
    fewer = RevisionCache(embedded_store, folder).get(
        ("analysis", "fragmentation", 0),
        lambda: fragmentation(project(embedded_store), top_brokers=0),
    )
    assert fewer.brokers == []
    cache.graph()  # the projection is kept in memory only
    assert len(list(folder.glob("*.json"))) == 2


def test_results_kept_on_disk_are_bounded_like_the_memory(
    embedded_store: EmbeddedStore, folder: Path
) -> None:
    _add_member(embedded_store, "m1")
    cache = RevisionCache(embedded_store, folder, max_entries=2)
    for brokers in range(5):  # distinct parameters, as a URL can send them
        cache.get(
            ("analysis", "fragmentation", brokers),
            lambda n=brokers: fragmentation(project(embedded_store), top_brokers=n),
        )
    assert len(list(folder.glob("*.json"))) == 2
    assert len(cache) == 2
