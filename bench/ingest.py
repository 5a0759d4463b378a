"""Benchmark of ingesting: a synthetic dataset into a fresh store, again (idempotent), the sample.

Writes a synthetic canonical dataset (members, competences, projects, training offers) to a
temporary folder and ingests it into a fresh embedded store, then ingests the same files a
second time (nothing changes, so this measures the idempotent path: reading, resolving,
fingerprinting and MERGE-ing onto existing nodes). Prints rows per second overall and per file
(per file on the time of its write transaction, with its reading and validating timed apart),
the time to ingest ``data/sample`` (in this process and through the ``skillgraph ingest``
command, interpreter start included), and the peak resident memory.

The same runs against Neo4j and both are printed side by side: the server ``NEO4J_URI`` names
(``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``; its database must be empty, or
``--neo4j-clear`` given to empty it first), or else a throw-away server started from the
jars ``make neo4j`` resolved. On Neo4j a per-row baseline is measured in the same run (every
row its own statement, in the same one-transaction-per-file ingest) on the first
``--per-row-offers`` offers, to show what the batched ``UNWIND`` writes gain.

    .venv/bin/python -m bench.ingest --offers 20000 --members 500 --projects 300
    .venv/bin/python -m bench.ingest --offers 100000 --backends neo4j
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.synthetic import write_dataset
from graph.embedded import EmbeddedStore
from graph.errors import SkillGraphError
from graph.schema import META_LABEL, NodeKind, RelType
from graph.store import Store, Transaction
from ingest.pipeline import ingest
from ingest.reading import read_file
from ingest.report import IngestReport

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "sample"
SKILLGRAPH = ROOT / ".venv" / "bin" / "skillgraph"
#: Requirement: ingesting the sample data takes less than this.
SAMPLE_LIMIT_SECONDS = 10.0
GRAPH_NODES = f"MATCH (n) WHERE NOT n:`{META_LABEL}`"


class TimedStore:
    """A store whose write transactions are timed (one per file), delegating everything else."""

    def __init__(self, store: Store) -> None:
        self.inner = store
        self.backend: str = getattr(store, "backend", "?")
        self.transactions: list[float] = []

    def ensure_schema(self) -> None:
        """As the wrapped store."""
        self.inner.ensure_schema()

    @property
    def notices(self) -> Sequence[str]:
        """As the wrapped store."""
        return self.inner.notices

    @contextmanager
    def _timed(self, description: str | None, rows: int = 0) -> Iterator[Transaction]:
        started = time.perf_counter()
        try:
            with self.inner.transaction(description, rows=rows) as tx:
                yield tx
        finally:
            self.transactions.append(time.perf_counter() - started)

    def transaction(
        self, description: str | None = None, *, rows: int = 0
    ) -> AbstractContextManager[Transaction]:
        """The wrapped store's transaction, its duration appended to ``transactions``."""
        return self._timed(description, rows)

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
    #: Peak RSS of the process when the call ended (MB).
    peak_mb: float = 0.0

    @property
    def write_seconds(self) -> float:
        """Seconds spent in the files' write transactions."""
        return sum(file.write_seconds for file in self.files)

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
        peak_mb=peak_rss_mb(),
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


def fresh_embedded(folder: Path, *, exclusive: bool = False) -> EmbeddedStore:
    """A new, empty embedded store in ``folder`` with its schema.

    ``exclusive`` opens it as a command does (large writes may load a copy aside).
    """
    store = EmbeddedStore(folder, exclusive=exclusive)
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


class PerRowTransaction:
    """A transaction that sends every row in a statement of its own (the baseline)."""

    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    def upsert_nodes(self, kind: NodeKind, rows: Sequence[Mapping[str, Any]]) -> int:
        """One statement per row."""
        return sum(self.tx.upsert_nodes(kind, [row]) for row in rows)

    def upsert_edges(
        self, rel: RelType, src: NodeKind, dst: NodeKind, rows: Sequence[Mapping[str, Any]]
    ) -> int:
        """One statement per row."""
        return sum(self.tx.upsert_edges(rel, src, dst, [row]) for row in rows)

    def delete_edges(
        self, rel: RelType, src: NodeKind, dst: NodeKind, ids: Sequence[str], *,
        from_source: bool, keep: Mapping[str, Sequence[str]] | None = None,
    ) -> None:  # fmt: skip
        """As the wrapped transaction."""
        self.tx.delete_edges(rel, src, dst, ids, from_source=from_source, keep=keep)

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """As the wrapped transaction."""
        return self.tx.run(cypher, params)


class PerRowStore(TimedStore):
    """A timed store whose transactions write row by row."""

    @contextmanager
    def _timed(self, description: str | None, rows: int = 0) -> Iterator[Transaction]:
        with super()._timed(description, rows) as tx:
            yield PerRowTransaction(tx)


def neo4j_store(clear: bool, heap: str) -> tuple[Store | None, str, Any]:
    """The Neo4j store to measure, why not if none, and the server started for it if any."""
    from graph.neo4j_store import Neo4jStore

    uri = os.environ.get("NEO4J_URI")
    user = os.environ.get("NEO4J_USER", "neo4j")
    password = os.environ.get("NEO4J_PASSWORD", "")
    server = None
    if not uri:
        from tests.neo4j_server import ServerUnavailable, start_server

        try:
            began = time.perf_counter()
            server = start_server(heap=heap)
            print(f"started Neo4j {server.uri} in {time.perf_counter() - began:.1f} s")
        except ServerUnavailable as error:
            return None, f"no Neo4j server ({error}), so it was not measured", None
        uri, user, password = server.uri, server.user, server.password
    try:
        store = Neo4jStore(uri, user, password, os.environ.get("NEO4J_DATABASE", "neo4j"))
        store.ensure_schema()
    except SkillGraphError as error:
        if server is not None:
            server.close()
        return None, f"Neo4j was not reachable ({error}), so it was not measured", None
    count = graph_node_count(store)
    if count and not clear:
        store.close()
        return (
            None,
            (
                f"the Neo4j database holds {count} nodes; pass --neo4j-clear to empty it for the "
                "benchmark (it was not measured)"
            ),
            None,
        )
    if count:
        clear_neo4j(store)
    version = store.run("CALL dbms.components() YIELD versions RETURN versions[0] AS v")[0]["v"]
    return store, f"Neo4j {version} at {uri}", server


def clear_neo4j(store: Store) -> None:
    """Empty the graph in slices (one transaction for a large graph would fill the heap).

    The revision node stays: every write transaction bumps it, so deleting it too would
    never leave the database empty.
    """
    while graph_node_count(store):
        with store.transaction() as tx:
            tx.run(f"{GRAPH_NODES} WITH n LIMIT 20000 DETACH DELETE n")


def graph_node_count(store: Store) -> int:
    """Nodes of the graph, the revision node left out."""
    return int(store.run(f"{GRAPH_NODES} RETURN count(n) AS n")[0]["n"])


def measure(store: Store, paths: Sequence[Path], name: str) -> tuple[IngestRun, IngestRun]:
    """First ingest into the (empty) store, then the same files again."""
    first = timed_ingest(store, paths, f"{name} first")
    again = timed_ingest(store, paths, f"{name} again")
    return first, again


def batched_against_per_row(store: Store, paths: Sequence[Path]) -> tuple[IngestRun, IngestRun]:
    """The same files into an emptied store, row by row, then batched (both first ingests)."""
    clear_neo4j(store)
    per_row = timed_ingest(PerRowStore(store), paths, "neo4j per row")
    clear_neo4j(store)
    batched = timed_ingest(store, paths, "neo4j batched")
    return per_row, batched


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


def bare_copy_seconds(ingested: Path, folder: Path) -> tuple[float, int]:
    """Seconds to load the same nodes and edges into a new store by bare ``COPY``, and rows.

    The reference for the ingest: the rows are read back from the ingested store as Arrow
    tables (not timed) and each table goes in with one ``COPY ... FROM`` the Arrow table,
    with no validation, resolving or transaction of ours.
    """
    from graph.schema import RELATIONSHIPS, NodeKind, node_properties, rel_properties

    source = EmbeddedStore(ingested, read_only=True)
    nodes, edges = {}, {}
    try:
        for kind in NodeKind:
            columns = ", ".join(f"n.`{p}` AS `{p}`" for p in node_properties(kind) if p != "id")
            nodes[kind] = source.read_arrow(f"MATCH (n:`{kind}`) RETURN n.id AS id, {columns}")
        for rel, spec in RELATIONSHIPS.items():
            props = "".join(f", e.`{p}` AS `{p}`" for p in rel_properties(rel))
            for src, dst in spec.endpoints:
                edges[(rel, src, dst)] = source.read_arrow(
                    f"MATCH (a:`{src}`)-[e:`{rel}`]->(b:`{dst}`) RETURN a.id AS `from`, "
                    f"b.id AS `to`{props}"
                )
    finally:
        source.close()
    target = fresh_embedded(folder)
    try:
        started = time.perf_counter()
        for kind, table in nodes.items():
            if table.num_rows:
                names = ", ".join(f"`{name}`" for name in table.column_names)
                target.run(f"COPY `{kind}`({names}) FROM $rows", {"rows": table})
        for (rel, src, dst), table in edges.items():
            if table.num_rows:
                target.run(f"COPY `{rel}` FROM $rows (from='{src}', to='{dst}')", {"rows": table})
        seconds = time.perf_counter() - started
    finally:
        target.close()
    rows = sum(t.num_rows for t in [*nodes.values(), *edges.values()])
    return seconds, rows


def bare_copy_in_child(ingested: Path, folder: Path) -> tuple[float, int, float]:
    """:func:`bare_copy_seconds` and the peak RSS (MB) of the process running it.

    Read from ``VmHWM``: ``ru_maxrss`` of a child starts at its parent's figure on Linux.
    """
    seconds, rows = bare_copy_seconds(ingested, folder)
    status = Path("/proc/self/status").read_text().splitlines()
    peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    return seconds, rows, peak_kb / 1024.0


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
    parser.add_argument("--backends", nargs="+", default=["embedded", "neo4j"],
                        choices=["embedded", "neo4j"])  # fmt: skip
    parser.add_argument("--per-row-offers", type=int, default=2000,
                        help="offers in the per-row baseline on Neo4j (0: skip it)")  # fmt: skip
    parser.add_argument("--neo4j-heap", default="2g", help="heap of a server started here")
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
        if "embedded" in args.backends:
            # The first ingest of a process pays its first imports and caches: the sample
            # takes them, so that the two first ingests below are alike but for their path.
            sample_in_process(root / "warm-up-graph")
            in_place = fresh_embedded(root / "graph-in-place")
            try:
                placed_run = timed_ingest(in_place, paths, "in place first")
            finally:
                in_place.close()
            store = fresh_embedded(root / "graph", exclusive=True)
            try:
                runs.extend(measure(store, paths, "embedded"))
            finally:
                store.close()
            runs.append(placed_run)
            ingest_mb = runs[0].peak_mb
            print(f"peak RSS after the first embedded ingest: {ingest_mb:.0f} MB, after the "
                  f"second: {runs[1].peak_mb:.0f} MB (after the in-place ingest before them: "
                  f"{placed_run.peak_mb:.0f} MB)\n")  # fmt: skip
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
                copy_seconds, copy_rows, copy_mb = pool.submit(
                    bare_copy_in_child, root / "graph", root / "copy-graph"
                ).result()
            first, placed = runs[0].seconds, runs[2].seconds
            print(
                f"reference: the same {copy_rows:,} node and edge rows by bare COPY from Arrow "
                f"into a new store: {copy_seconds:.2f} s, peak RSS {copy_mb:.0f} MB (its own "
                f"process); first ingest {first:.2f} s = {first / copy_seconds:.2f}x of it "
                f"(target <= 1.5x), peak RSS {ingest_mb / copy_mb:.2f}x (target <= 1.3x)\n"
                f"the same first ingest, run before it, into a store opened for several threads "
                f"(every file in place, no load aside): {placed:.2f} s = "
                f"{placed / copy_seconds:.2f}x of COPY; the store of a command {first / placed:.2f}x "
                f"of it\n"
            )

        neo4j, note, server = (None, "Neo4j not asked for", None)
        baseline: tuple[IngestRun, IngestRun] | None = None
        if "neo4j" in args.backends:
            neo4j, note, server = neo4j_store(args.neo4j_clear, args.neo4j_heap)
        if neo4j is not None:
            try:
                runs.extend(measure(neo4j, paths, "neo4j"))
                if args.per_row_offers:
                    small = list(write_dataset(root / "per-row", offers=args.per_row_offers,
                                               members=args.members, projects=args.projects,
                                               seed=args.seed).values())  # fmt: skip
                    baseline = batched_against_per_row(neo4j, small)
            finally:
                neo4j.close()
                if server is not None:
                    server.close()
        print("rows/s per file on its write transaction (resolving excluded); 'read s' is")
        print("reading and validating the file, timed apart; 'whole call' is ingest() end to end")
        print_runs(runs)
        print(f"\n{note}")
        if baseline is not None:
            per_row, batched = baseline
            print(f"\nNeo4j, {args.per_row_offers} offers ({batched.rows} rows), first ingest:")
            print_runs([per_row, batched])
            ratio = batched.rows_per_second / per_row.rows_per_second
            verdict = "met" if ratio >= 20 else "MISSED"
            print(f"batched / per row: {ratio:.1f}x on the whole call (target >= 20x: {verdict})")
            writes = per_row.write_seconds / batched.write_seconds
            print(f"batched / per row: {writes:.1f}x on the write transactions alone")

        if "embedded" not in args.backends:
            return
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
