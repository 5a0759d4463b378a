"""The embedded store survives ``kill -9`` at any moment of an ingest.

An ingest of four synthetic files runs in a child process, which is killed with SIGKILL at
chosen moments: while the schema of a fresh store is created, right after a file's write
started, at several sizes of the write-ahead log while a file is written, during the
checkpoint that follows a commit, and at seeded random delays. The moment is found by
watching the store's folder: the journal names the file in flight, the log's size says how
far its write got, the checkpoint's files say that one runs. The offers file is loaded into a
copy of the store that is swapped in (as a large write of the command line is): there the size
of the copy and its log say how far the load got. After each kill the store must
open, hold exactly the files committed before the kill (the same counts as an uninterrupted
ingest had after those files), the next command must name the interrupted file in one line,
and re-ingesting the files it does not hold must complete it.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app
from api.settings import Settings, get_settings
from bench.synthetic import write_dataset
from graph.embedded import (
    DATABASE_FILE,
    JOURNAL_FILE,
    LOAD_FOLDER,
    TORN_WAL_FILE,
    WAL_FILE,
    EmbeddedStore,
)
from graph.errors import StoreUnavailable
from graph.schema import NodeKind
from graph.store import Store
from graph.write_journal import WriteJournal
from ingest.pipeline import ingest
from queries.stats import graph_stats
from tests.conftest import TINY

#: Small enough for a fast test, large enough that each file's log grows over many writes.
DATASET = {"offers": 2000, "members": 200, "projects": 150, "seed": 3}
#: Fractions of a file's full log size at which its write is killed.
LOG_FRACTIONS = {0: (0.5,), 1: (0.3, 0.7), 2: (0.3, 0.7), 3: (0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9)}
RANDOM_KILLS = 3
MIN_KILLS = 20

#: The child opens the store as the command line does (``exclusive``), with the threshold of a
#: write aside lowered so that the offers file loads a copy and the three others go in place.
CHILD = """
import sys
from pathlib import Path
import graph.embedded
from graph.embedded import EmbeddedStore
from ingest.pipeline import ingest
graph.embedded.ASIDE_ROWS = 5000
graph.embedded.ASIDE_BYTES_PER_ROW = 10_000_000
store = EmbeddedStore(Path(sys.argv[1]), exclusive=True)
store.ensure_schema()
print("schema", flush=True)
ingest(store, [Path(sys.argv[2])],
       progress=lambda file, done, total: print("committed", Path(file).name, flush=True))
store.close()
print("done", flush=True)
"""


@dataclass(frozen=True)
class Moment:
    """What the store's folder shows at one poll of the running ingest."""

    writing_for: float  # seconds since the first file's write started (0 before)
    in_flight: str | None  # the file named by the journal
    log_size: int  # bytes in the active write-ahead log
    checkpointing: bool


Trigger = Callable[[Moment], bool]


def _look(folder: Path, writes_started: float | None) -> Moment:
    in_flight = None
    with suppress(OSError, ValueError):  # no journal, or one being renamed into place
        in_flight = Path(json.loads((folder / JOURNAL_FILE).read_text())["description"]).name
    # A write aside grows the copy of the store (and its log) instead of the store's log.
    places = (folder, folder / LOAD_FOLDER)
    log_size = 0
    for name in (WAL_FILE, f"{LOAD_FOLDER}/{DATABASE_FILE}", f"{LOAD_FOLDER}/{WAL_FILE}"):
        with suppress(OSError):
            log_size += (folder / name).stat().st_size
    checkpointing = any(
        (place / (WAL_FILE + ".checkpoint")).exists() or (place / "graph.lbdb.shadow").exists()
        for place in places
    )
    writing_for = time.monotonic() - writes_started if writes_started else 0.0
    return Moment(writing_for, in_flight, log_size, checkpointing)


@dataclass
class Run:
    """One child ingest: the moment it was killed (None if it ran to the end), its output."""

    killed_at: Moment | None
    committed: list[str]
    log_peaks: dict[str, int]
    writing_for: float  # from the first file's write to the kill or the end


def _run_child(folder: Path, data: Path, trigger: Trigger | None) -> Run:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder), str(data)],
        stdout=subprocess.PIPE,
        text=True,
    )
    writes_started = None
    killed_at = None
    peaks: dict[str, int] = {}
    while child.poll() is None:
        moment = _look(folder, writes_started)
        if moment.in_flight:
            writes_started = writes_started or time.monotonic()
            peaks[moment.in_flight] = max(peaks.get(moment.in_flight, 0), moment.log_size)
        if trigger is not None and trigger(moment):
            os.kill(child.pid, signal.SIGKILL)
            killed_at = moment
            break
        time.sleep(0.0005)
    writing_for = time.monotonic() - writes_started if writes_started else 0.0
    output, _ = child.communicate(timeout=120)
    if killed_at is not None:
        # The child may have started its next file between the last look and the kill: the
        # journal it left behind names the file that was really in flight when it died.
        # Without a journal the last file seen had committed, or nothing was in flight.
        in_flight = _look(folder, None).in_flight or killed_at.in_flight
        killed_at = replace(killed_at, in_flight=in_flight)
    lines = output.splitlines()
    if killed_at is None:
        assert child.returncode == 0 and lines[-1] == "done", output
    committed = [line.split(" ", 1)[1] for line in lines if line.startswith("committed ")]
    return Run(killed_at, committed, peaks, writing_for)


Snapshot = tuple[tuple[str, ...], dict[str, int], dict[str, int]]


def _snapshot(store: EmbeddedStore) -> Snapshot:
    """The stored files (sorted), node counts per kind, edge counts per type."""
    stats = graph_stats(store)
    files = tuple(sorted(source.file for source in stats.sources))
    return files, stats.nodes, stats.edges


@dataclass
class Reference:
    """An uninterrupted ingest: its file order, log sizes, and counts after each file."""

    order: list[str]
    log_peaks: dict[str, int]
    after: dict[tuple[str, ...], tuple[dict[str, int], dict[str, int]]]
    writing_for: float


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("crash-data")
    write_dataset(folder, **DATASET)
    return folder


@pytest.fixture(scope="module")
def reference(dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """Counts after each file of an in-process ingest, log sizes from a child's ingest."""
    store = EmbeddedStore(tmp_path_factory.mktemp("crash-reference"))
    store.ensure_schema()
    after = {(): _snapshot(store)[1:]}

    def record(file: str, done: int, total: int) -> None:
        files, nodes, edges = _snapshot(store)
        after[files] = (nodes, edges)

    ingest(store, [dataset], progress=record)
    store.close()
    run = _run_child(tmp_path_factory.mktemp("crash-calibration"), dataset, None)
    return Reference(run.committed, run.log_peaks, after, run.writing_for)


def _triggers(reference: Reference) -> Iterator[tuple[str, Trigger]]:
    """The kill moments, by name."""
    yield "schema: first statement", lambda m: m.log_size > 0 and m.in_flight is None
    yield "schema: half way", lambda m: m.log_size > 6000 and m.in_flight is None
    for position, file in enumerate(reference.order):

        def started(m: Moment, file: str = file) -> bool:
            return m.in_flight == file

        yield f"{file}: write started", started
        for fraction in LOG_FRACTIONS[position]:
            size = max(1, int(reference.log_peaks.get(file, 0) * fraction))

            def logged(m: Moment, file: str = file, size: int = size) -> bool:
                return m.in_flight == file and m.log_size >= size

            yield f"{file}: log at {fraction:.0%} ({size} bytes)", logged

        def checkpoint(m: Moment, file: str = file) -> bool:
            return m.in_flight == file and m.checkpointing

        yield f"{file}: checkpoint", checkpoint
    # Early enough in the writes that a child running faster than the calibration still has
    # not finished them.
    delays = random.Random(9).sample(range(5, 60), RANDOM_KILLS)
    for percent in delays:
        delay = reference.writing_for * percent / 100

        def late(m: Moment, delay: float = delay) -> bool:
            return m.writing_for >= delay

        yield f"random: {delay:.2f} s into the writes", late


def _next_command(folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """``skillgraph stats`` as the user's next command; its warning lines."""
    monkeypatch.setenv("SKILLGRAPH_DATA_DIR", str(folder))
    monkeypatch.setenv("SKILLGRAPH_STORE", "embedded")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["stats", "--json"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    return [line for line in result.stderr.splitlines() if line.strip()]


@pytest.mark.slow
def test_a_kill_at_any_moment_of_an_ingest_leaves_an_openable_store_reporting_the_lost_file(
    dataset: Path,
    reference: Reference,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    complete = tuple(sorted(reference.order))
    assert len(complete) == 4 and complete in reference.after
    kills = survived = torn = lost_files = 0
    moments: list[str] = []
    for number, (name, trigger) in enumerate(_triggers(reference)):
        folder = tmp_path / f"store-{number}"
        run = _run_child(folder, dataset, trigger)
        if run.killed_at is None:  # the moment passed between two looks; nothing to check
            continue
        kills += 1
        moments.append(name)
        warnings = _next_command(folder, monkeypatch)
        torn += int((folder / TORN_WAL_FILE).exists())

        store = EmbeddedStore(folder)
        try:
            assert not (folder / LOAD_FOLDER).exists(), f"{name}: the copy of a load stayed"
            assert store.notices == [], f"{name}: the notice was shown twice"
            files, nodes, edges = _snapshot(store)
            in_flight = run.killed_at.in_flight
            landed = list(files)
            assert set(run.committed) <= set(landed), f"{name}: a committed file was lost"
            extra = set(landed) - set(run.committed)
            # Files go in the reference's order; the one after the last reported may have
            # committed with the kill landing before its "committed" line was printed.
            unreported = reference.order[len(run.committed) : len(run.committed) + 1]
            assert extra <= {in_flight, *unreported}, f"{name}: {extra} stored but never started"
            assert (nodes, edges) == reference.after[files], f"{name}: not exactly {files}"
            lost = in_flight is not None and in_flight not in landed
            if lost:
                lost_files += 1
                assert len(warnings) == 1, f"{name}: {warnings}"
                assert in_flight in warnings[0] and "was not written" in warnings[0]
            else:
                assert not any("was not written" in w for w in warnings), f"{name}: {warnings}"

            store.ensure_schema()
            missing = [dataset / file for file in reference.order if file not in landed]
            if missing:
                ingest(store, missing)
            files, nodes, edges = _snapshot(store)
            assert files == complete, f"{name}: the re-ingest did not complete the store"
            assert (nodes, edges) == reference.after[complete], f"{name}: wrong counts"
        finally:
            store.close()
        survived += 1
    print(f"\nkills: {kills} ({'; '.join(moments)})")
    print(f"survived: {survived}; torn logs cut: {torn}; files reported lost: {lost_files}")
    assert kills >= MIN_KILLS, f"only {kills} kills landed"
    assert survived == kills


#: Commits a file's write and dies where the checkpoint would start: the log then holds the
#: whole transaction, which the test cuts in the middle as a kill during its writing would.
COMMIT_THEN_DIE = """
import os, signal, sys
from pathlib import Path
from graph.embedded import EmbeddedStore
from graph.schema import NodeKind
store = EmbeddedStore(Path(sys.argv[1]))
store._checkpoint = lambda: os.kill(os.getpid(), signal.SIGKILL)
rows = [{"id": f"c-{i}", "label": f"competence {i}", "fingerprint": "v1"} for i in range(5000)]
with store.transaction("offers.csv") as tx:
    tx.upsert_nodes(NodeKind.COMPETENCE, rows)
"""


def _tear_a_write(folder: Path) -> Snapshot:
    """A store holding the tiny files, its log ending in a torn write; what it held before."""
    store = EmbeddedStore(folder)
    store.ensure_schema()
    ingest(store, [TINY])
    before = _snapshot(store)
    store.close()
    child = subprocess.run([sys.executable, "-c", COMMIT_THEN_DIE, str(folder)], check=False)
    assert child.returncode == -signal.SIGKILL
    wal = folder / WAL_FILE
    os.truncate(wal, wal.stat().st_size // 2 + 7)
    return before


def test_a_torn_log_is_cut_at_its_last_commit_and_kept_aside(tmp_path: Path) -> None:
    """The engine alone refuses the store; opened through the store it is recovered."""
    import ladybug

    before = _tear_a_write(tmp_path)
    wal_bytes = (tmp_path / WAL_FILE).read_bytes()
    with pytest.raises(RuntimeError, match=r"corrupted|past the end"):
        ladybug.Database(str(tmp_path / "graph.lbdb"))

    store = EmbeddedStore(tmp_path)
    try:
        (notice,) = store.notices
        assert notice.startswith("offers.csv was not written") and TORN_WAL_FILE in notice
        assert (tmp_path / TORN_WAL_FILE).read_bytes() == wal_bytes
        assert _snapshot(store) == before
    finally:
        store.close()


def test_a_torn_log_opened_read_only_is_one_line_asking_for_a_read_write_open(
    tmp_path: Path,
) -> None:
    _tear_a_write(tmp_path)
    with pytest.raises(StoreUnavailable, match="open it once read-write") as caught:
        EmbeddedStore(tmp_path, read_only=True)
    assert "\n" not in str(caught.value)
    assert not (tmp_path / TORN_WAL_FILE).exists()  # nothing was touched


HOLD_A_WRITE = """
import sys
from pathlib import Path
from graph.embedded import EmbeddedStore
from graph.schema import NodeKind
store = EmbeddedStore(Path(sys.argv[1]))
rows = [{"id": f"c-{i}", "label": f"competence {i}", "fingerprint": "v1"} for i in range(20000)]
with store.transaction("offers.csv") as tx:
    tx.upsert_nodes(NodeKind.COMPETENCE, rows)
    print("writing", flush=True)
    sys.stdin.read()
"""


def _competences(store: EmbeddedStore) -> int:
    return int(store.run("MATCH (c:Competence) RETURN count(c) AS n")[0]["n"])


def test_a_process_killed_inside_a_write_leaves_the_committed_store_and_one_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = EmbeddedStore(tmp_path)
    store.ensure_schema()
    ingest(store, [TINY])
    before = _snapshot(store)
    store.close()
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_A_WRITE, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "writing"
    finally:
        child.kill()
        child.wait()

    warnings = _next_command(tmp_path, monkeypatch)
    assert len(warnings) == 1 and warnings[0].startswith("warning: offers.csv was not written")
    store = EmbeddedStore(tmp_path)
    try:
        assert store.notices == [] and _snapshot(store) == before
        with store.transaction("offers.csv") as tx:
            tx.upsert_nodes(
                NodeKind.COMPETENCE, [{"id": "c-new", "label": "New", "fingerprint": "v1"}]
            )
        assert _competences(store) == before[1]["Competence"] + 1
    finally:
        store.close()
    assert not (tmp_path / JOURNAL_FILE).exists()


def test_a_write_that_committed_before_the_crash_is_not_reported(tmp_path: Path) -> None:
    """Killed after its commit but before its journal entry went: the revision tells."""
    store = EmbeddedStore(tmp_path)
    store.ensure_schema()
    with store.transaction("members.csv") as tx:
        tx.upsert_nodes(NodeKind.COMPETENCE, [{"id": "c-1", "label": "One", "fingerprint": "v1"}])
    revision = store.revision()
    store.close()
    WriteJournal(tmp_path / JOURNAL_FILE).begin("members.csv", revision=revision - 1)
    store = EmbeddedStore(tmp_path)
    try:
        assert store.notices == [] and _competences(store) == 1
    finally:
        store.close()
    assert not (tmp_path / JOURNAL_FILE).exists()


def test_health_carries_the_notice_of_the_store_it_opened(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    store.ensure_schema()
    revision = store.revision()
    store.close()
    WriteJournal(tmp_path / JOURNAL_FILE).begin("projects.csv", revision=revision)
    with TestClient(create_app(Settings(data_dir=tmp_path))) as client:
        (notice,) = client.get("/health").json()["notices"]
    assert notice.startswith("projects.csv was not written")


def test_a_described_write_commits_and_leaves_no_notice_on_every_backend(store: Store) -> None:
    with store.transaction("competences.csv") as tx:
        tx.upsert_nodes(NodeKind.COMPETENCE, [{"id": "c-1", "label": "One", "fingerprint": "v1"}])
    assert store.run("MATCH (c:Competence) RETURN c.id AS id") == [{"id": "c-1"}]
    assert list(store.notices) == []
