"""A kept analysis result is computed once across processes: a second reader waits for it."""

from __future__ import annotations

import subprocess
import sys
import threading
import weakref
from pathlib import Path

from api.cache import RevisionCache, process_runs
from graph.embedded import EmbeddedStore
from graph.schema import NodeKind
from queries.fragmentation import FragmentationReport, fragmentation
from queries.projection import project

KEY = ("analysis", "fragmentation", 10)


def _add_member(store: EmbeddedStore, org_id: str) -> None:
    row = {"id": org_id, "name": org_id, "member": True, "type": "supplier", "fingerprint": "t"}
    with store.transaction() as tx:
        tx.upsert_nodes(NodeKind.ORGANISATION, [row])


def _ended_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(done.stdout)


def test_a_second_reader_waits_for_the_result_a_first_one_computes(
    embedded_store: EmbeddedStore, tmp_path: Path
) -> None:
    _add_member(embedded_store, "m1")
    folder = tmp_path / "analyses"
    calls: list[str] = []
    computing, release = threading.Event(), threading.Event()
    answers: dict[str, FragmentationReport] = {}

    def compute(who: str) -> FragmentationReport:
        calls.append(who)
        if who == "first":
            computing.set()
            release.wait(60)
        return fragmentation(project(embedded_store))

    def read(who: str) -> None:  # each with a cache of its own, as two processes have
        answers[who] = RevisionCache(embedded_store, folder).get(KEY, lambda: compute(who))

    first = threading.Thread(target=read, args=("first",))
    first.start()
    assert computing.wait(60)
    second = threading.Thread(target=read, args=("second",))
    second.start()
    second.join(1.0)
    assert second.is_alive() and calls == ["first"]  # it waits instead of computing
    release.set()
    first.join(60)
    second.join(60)
    assert calls == ["first"]
    assert answers["second"] == answers["first"]
    assert answers["second"].isolated_members == ["m1"]
    assert list(folder.glob("*.computing")) == []


def test_a_claim_left_by_a_process_that_ended_is_taken_over(
    embedded_store: EmbeddedStore, tmp_path: Path
) -> None:
    _add_member(embedded_store, "m1")
    folder = tmp_path / "analyses"
    calls: list[int] = []

    def compute() -> FragmentationReport:
        calls.append(1)
        return fragmentation(project(embedded_store))

    RevisionCache(embedded_store, folder).get(KEY, compute)
    (kept,) = folder.glob("*.json")
    claim = kept.with_suffix(".computing")
    kept.unlink()
    ended = _ended_pid()
    assert not process_runs(ended)
    claim.write_text(str(ended), encoding="ascii")
    report = RevisionCache(embedded_store, folder).get(KEY, compute)
    assert calls == [1, 1] and report.isolated_members == ["m1"]
    assert not claim.exists() and len(list(folder.glob("*.json"))) == 1


def test_a_claim_on_an_older_revision_holds_no_reader_of_the_new_one(
    embedded_store: EmbeddedStore, tmp_path: Path
) -> None:
    _add_member(embedded_store, "m1")
    folder = tmp_path / "analyses"
    RevisionCache(embedded_store, folder).get(KEY, lambda: fragmentation(project(embedded_store)))
    (kept,) = folder.glob("*.json")
    kept.with_suffix(".computing").write_text(str(_ended_pid()), encoding="ascii")
    _add_member(embedded_store, "m2")  # a new revision while a claim on the old one is left
    report = RevisionCache(embedded_store, folder).get(
        KEY, lambda: fragmentation(project(embedded_store))
    )
    assert report.isolated_members == ["m1", "m2"]  # never the old revision's result
    revision = embedded_store.revision()
    assert {p.name.split("-")[0] for p in folder.iterdir()} == {f"r{revision}"}


def test_the_projection_of_an_older_revision_is_freed_when_the_revision_moves(
    embedded_store: EmbeddedStore,
) -> None:
    _add_member(embedded_store, "m1")
    cache = RevisionCache(embedded_store)
    graph = cache.graph()
    list(graph.edges(keys=True))  # its cached edge views refer back to it
    old = weakref.ref(graph)
    del graph
    _add_member(embedded_store, "m2")
    assert (NodeKind.ORGANISATION, "m2") in cache.graph()
    assert old() is None
