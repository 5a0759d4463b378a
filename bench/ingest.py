"""Benchmark of ingesting: a synthetic dataset into a fresh store, again (idempotent), the sample.

Writes a synthetic canonical dataset (members, competences, projects, training offers) to a
temporary folder and ingests it into a fresh embedded store, then ingests the same files a
second time (nothing changes, so this measures the idempotent path: reading, resolving,
fingerprinting and MERGE-ing onto existing nodes). Prints rows per second overall and per file
(per file on the time of its write transaction, with its reading and validating timed apart),
the time to ingest ``data/sample`` (in this process and through the ``skillgraph ingest``
command, interpreter start included), and the peak resident memory.

When ``NEO4J_URI`` is set, the same runs against that Neo4j server (``NEO4J_USER``,
``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) and both are printed side by side. The Neo4j database
must be empty, or ``--neo4j-clear`` given to empty it first.

    .venv/bin/python -m bench.ingest --offers 20000 --members 500 --projects 300
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.synthetic import write_dataset
from graph.embedded import EmbeddedStore
from graph.errors import SkillGraphError
from graph.store import Store, Transaction
from ingest.pipeline import ingest
from ingest.reading import read_file
from ingest.report import IngestReport

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "sample"
SKILLGRAPH = ROOT / ".venv" / "bin" / "skillgraph"
#: Requirement: ingesting the sample data takes less than this.
SAMPLE_LIMIT_SECONDS = 10.0


class TimedStore:
    """A store whose write transactions are timed (one per file), delegating everything else."""

    def __init__(self, store: Store) -> None:
        self.inner = store
        self.backend: str = getattr(store, "backend", "?")
        self.transactions: list[float] = []

    def ensure_schema(self) -> None:
        """As the wrapped store."""
        self.inner.ensure_schema()

    @contextmanager
    def _timed(self) -> Iterator[Transaction]:
        started = time.perf_counter()
        try:
            with self.inner.transaction() as tx:
                yield tx
        finally:
            self.transactions.append(time.perf_counter() - started)

    def transaction(self) -> AbstractContextManager[Transaction]:
        """The wrapped store's transaction, its duration appended to ``transactions``."""
        return self._timed()

    def run(
        self,
        cypher: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
        untrusted: bool = False,
        max_rows: int | None = None,
    ) -> list[dict[str, Any]]:
        """As the wrapped store."""
        return self.inner.run(
            cypher, params, timeout=timeout, untrusted=untrusted, max_rows=max_rows
        )

    def revision(self) -> int:
        """As the wrapped store."""
        return self.inner.revision()

    def close(self) -> None:
        """As the wrapped store."""
        self.inner.close()


@dataclass
class FileTiming:
    """One file of an ingest call: its rows and how long its parts took."""

    name: str
    rows: int
    read_seconds: float
    write_seconds: float


@dataclass
class IngestRun:
    """One ingest call, timed."""

    label: str
    seconds: float
    rows: int
    exit_code: int
    files: list[FileTiming] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def rows_per_second(self) -> float:
        """Rows written per second of the whole call."""
        return self.rows / self.seconds if self.seconds else 0.0


def peak_rss_mb() -> float:
    """The peak resident memory of this process so far, in MB (Linux ``ru_maxrss`` is KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def read_seconds(paths: Sequence[Path]) -> dict[str, float]:
    """Seconds to read and validate each file (the pipeline's reading step, run apart)."""
    seconds: dict[str, float] = {}
    for path in paths:
        started = time.perf_counter()
        read_file(path, None, None)
        seconds[path.name] = time.perf_counter() - started
    return seconds


def timed_ingest(store: Store, paths: Sequence[Path], label: str) -> IngestRun:
    """Ingest ``paths`` in one call and time the call and each file's write transaction."""
    timed = TimedStore(store)
    written: list[str] = []

    def progress(path: str, done: int, total: int) -> None:
        written.append(Path(path).name)

    started = time.perf_counter()
    report = ingest(timed, list(paths), progress=progress)
    seconds = time.perf_counter() - started
    rows_by_file = {Path(f.file).name: f.rows_written for f in report.files}
    reads = read_seconds([p for p in _files(paths) if p.name in rows_by_file])
    files = [
        FileTiming(name, rows_by_file.get(name, 0), reads.get(name, 0.0), tx_seconds)
        for name, tx_seconds in zip(written, timed.transactions, strict=False)
    ]
    return IngestRun(
        label=label,
        seconds=seconds,
        rows=sum(f.rows_written for f in report.files),
        exit_code=report.exit_code,
        files=files,
        problems=problems(report),
    )


def _files(paths: Sequence[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        out.extend(sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path])
    return out


def problems(report: IngestReport, limit: int = 5) -> list[str]:
    """The first few problems of a report (errors, rejected rows), as one line each."""
    lines: list[str] = []
    for file in report.files:
        if file.error:
            lines.append(f"{file.file}: {file.error}")
        lines.extend(f"{r.location}: {r.reason}" for r in file.rejected)
    return lines[:limit]


def fresh_embedded(folder: Path) -> EmbeddedStore:
    """A new, empty embedded store in ``folder`` with its schema."""
    store = EmbeddedStore(folder)
    store.ensure_schema()
    return store


def build_synthetic_store(
    data_dir: Path, store_dir: Path, *, offers: int, members: int, projects: int, seed: int = 0
) -> tuple[list[Path], IngestReport]:
    """Write a synthetic dataset to ``data_dir`` and ingest it into a new store in ``store_dir``.

    The store is closed on return (so that another process can open it).
    """
    paths = list(
        write_dataset(
            data_dir, offers=offers, members=members, projects=projects, seed=seed
        ).values()
    )
    store = fresh_embedded(store_dir)
    try:
        report = ingest(store, paths)
    finally:
        store.close()
    return paths, report


def neo4j_store(clear: bool) -> tuple[Store | None, str]:
    """The Neo4j store named by the environment, or None and why it cannot be used."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        return None, "NEO4J_URI is not set: Neo4j was not reachable, so it was not measured"
    from graph.neo4j_store import Neo4jStore

    try:
        store = Neo4jStore(
            uri,
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", ""),
            os.environ.get("NEO4J_DATABASE", "neo4j"),
        )
        store.ensure_schema()
    except SkillGraphError as error:
        return None, f"Neo4j was not reachable ({error}), so it was not measured"
    count = int(store.run("MATCH (n) RETURN count(n) AS n")[0]["n"])
    if count and not clear:
        store.close()
        return None, (
            f"the Neo4j database holds {count} nodes; pass --neo4j-clear to empty it for the "
            "benchmark (it was not measured)"
        )
    if count:
        with store.transaction() as tx:
            tx.run("MATCH (n) DETACH DELETE n")
    return store, f"Neo4j at {uri}"


def measure(store: Store, paths: Sequence[Path], name: str) -> tuple[IngestRun, IngestRun]:
    """First ingest into the (empty) store, then the same files again."""
    first = timed_ingest(store, paths, f"{name} first")
    again = timed_ingest(store, paths, f"{name} again")
    return first, again


def print_runs(runs: Sequence[IngestRun]) -> None:
    """Per-file and overall figures of several runs, side by side."""
    header = f"{'file':<22} {'rows':>7} {'read s':>7}" + f" | {'write s':>7} {'rows/s':>8}" * len(
        runs
    )
    print(" " * 38 + "".join(f" | {run.label:<16.16}" for run in runs))
    print(header)
    names = [f.name for f in runs[0].files]
    for name in names:
        cells = [next((f for f in run.files if f.name == name), None) for run in runs]
        first = next(c for c in cells if c)
        line = f"{name:<22} {first.rows:>7} {first.read_seconds:>7.2f}"
        for cell in cells:
            if cell is None:
                line += f" | {'-':>7} {'-':>8}"
            else:
                rate = cell.rows / cell.write_seconds if cell.write_seconds else 0.0
                line += f" | {cell.write_seconds:>7.2f} {rate:>8.0f}"
        print(line)
    total = f"{'whole call':<22} {runs[0].rows:>7} {'':>7}"
    for run in runs:
        total += f" | {run.seconds:>7.2f} {run.rows_per_second:>8.0f}"
    print(total)
    for run in runs:
        if run.exit_code or run.problems:
            print(f"  {run.label}: exit code {run.exit_code}; " + "; ".join(run.problems))


def sample_in_process(folder: Path) -> tuple[float, float, IngestRun]:
    """Seconds to open a new store with its schema, and the timed ingest of the sample."""
    started = time.perf_counter()
    store = fresh_embedded(folder)
    opened = time.perf_counter() - started
    try:
        run = timed_ingest(store, [SAMPLE_DIR], "sample")
    finally:
        store.close()
    return opened, opened + run.seconds, run


def sample_through_cli(folder: Path) -> tuple[float, int]:
    """Seconds of ``skillgraph ingest data/sample`` into a new store, and its exit code."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SKILLGRAPH_", "NEO4J_"))}
    env["SKILLGRAPH_DATA_DIR"] = str(folder)
    started = time.perf_counter()
    done = subprocess.run(
        [str(SKILLGRAPH), "ingest", str(SAMPLE_DIR)],
        env=env,
        cwd=folder.parent,
        capture_output=True,
        timeout=120,
        check=False,
    )
    return time.perf_counter() - started, done.returncode


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=20000)
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--projects", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--neo4j-clear", action="store_true", help="empty the Neo4j database before measuring"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="skillgraph-bench-ingest-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        paths = list(
            write_dataset(
                root / "data",
                offers=args.offers,
                members=args.members,
                projects=args.projects,
                seed=args.seed,
            ).values()
        )
        print(
            f"synthetic dataset: {args.offers} offers, {args.members} members, "
            f"{args.projects} projects, 63 competences (written in "
            f"{time.perf_counter() - started:.1f} s)"
        )
        print(f"peak RSS after generating: {peak_rss_mb():.0f} MB")

        runs: list[IngestRun] = []
        store = fresh_embedded(root / "graph")
        try:
            runs.extend(measure(store, paths, "embedded"))
        finally:
            store.close()
        print(f"peak RSS after the embedded store: {peak_rss_mb():.0f} MB\n")

        neo4j, note = neo4j_store(args.neo4j_clear)
        if neo4j is not None:
            try:
                runs.extend(measure(neo4j, paths, "neo4j"))
            finally:
                neo4j.close()
        print("rows/s per file on its write transaction (resolving excluded); 'read s' is")
        print("reading and validating the file, timed apart; 'whole call' is ingest() end to end")
        print_runs(runs)
        print(f"\n{note}")
        if neo4j is not None:
            print(f"peak RSS after Neo4j: {peak_rss_mb():.0f} MB")

        opened, total, sample = sample_in_process(root / "sample-graph")
        cli_seconds, cli_code = sample_through_cli(root / "sample-cli-graph")
        verdict = "met" if max(total, cli_seconds) < SAMPLE_LIMIT_SECONDS else "MISSED"
        print(f"\nsample data ({SAMPLE_DIR.relative_to(ROOT)}, {sample.rows} rows, embedded):")
        print(
            f"  ingest() {sample.seconds:.2f} s; with opening a new store and its schema "
            f"{total:.2f} s ({opened:.2f} s of it)"
        )
        print(
            f"  `skillgraph ingest data/sample` end to end (process start, imports): "
            f"{cli_seconds:.2f} s, exit code {cli_code}"
        )
        print(f"  requirement < {SAMPLE_LIMIT_SECONDS:.0f} s: {verdict}")
        if sample.exit_code:
            print(f"  exit code {sample.exit_code}: " + "; ".join(sample.problems))
    print(f"\npeak RSS of this process: {peak_rss_mb():.0f} MB")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
