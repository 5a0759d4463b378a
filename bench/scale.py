"""Benchmark at the sector's scale: projection, each analysis, the first report, start-up.

Builds a synthetic store (``bench/synthetic.py``, seeded; or reuses one given with ``--store``)
and prints every figure beside a reference measured in the same run, and their ratio:

* projection: reading the same tables as Arrow (``get_as_arrow()``), the engine's own floor;
* fragmentation: igraph's bare betweenness of the same network (the floor of the exact
  values), and with ``--networkx-sample K`` NetworkX's betweenness from K sources, scaled to
  all sources (the engine the analysis used before), with the sampled values' error;
* duplicates: scikit-learn's ``TfidfVectorizer`` building the same binary n-gram vectors
  as the analysis' own builder (checked equal);
* the first ``skillgraph report`` (a new process, peak memory of that process) against the
  second one, which reads the results kept beside the store;
* command start-up (``ingest --help``, ``stats``) against a bare ``python -c pass``.

Targets (100,000 offers, 5,000 members, 3,000 projects) are printed with met / MISSED.

    .venv/bin/python -m bench.scale --offers 100000 --members 5000 --projects 3000
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from api.stores import ANALYSES_FOLDER
from bench.ingest import SKILLGRAPH, build_synthetic_store, peak_rss_mb
from bench.sector import watched
from graph.collector import set_aside
from graph.embedded import EmbeddedStore
from graph.network import igraph_of
from queries.bundle import entity_names
from queries.duplicates import duplicates
from queries.fragmentation import collaboration_network, fragmentation
from queries.gaps import gaps
from queries.overlaps import overlaps
from queries.priorities import priorities, unclassified_in_latest_poll
from queries.projection import EDGES, NODES, project

#: Seconds allowed at 100,000 offers, 5,000 members, 3,000 projects.
TARGETS = {
    "projection": 3.0,
    "fragmentation": 5.0,
    "overlaps": 3.0,
    "duplicates": 15.0,
    "first report": 45.0,
    "ingest --help": 0.8,
    "stats": 0.8,
}
REPORT_MEMORY_MB = 1536.0
#: Seconds between two looks at a command's memory (a report's peak lasts a second or two).
MEMORY_POLL_SECONDS = 0.05


def timed(function: Callable[[], Any], repeat: int = 1) -> tuple[Any, float]:
    """The last result and the median seconds of ``repeat`` calls."""
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return result, statistics.median(seconds)


def row(name: str, seconds: float, reference: str, ref_seconds: float | None) -> None:
    """One line: the figure, its reference, the ratio and the target."""
    ratio = f"{seconds / ref_seconds:>7.2f}x" if ref_seconds else f"{'':>8}"
    ref = f"{ref_seconds:>8.2f}" if ref_seconds is not None else f"{'-':>8}"
    target = TARGETS.get(name)
    verdict = "" if target is None else (" met" if seconds <= target else " MISSED")
    limit = f"<= {target:g} s{verdict}" if target is not None else ""
    print(f"  {name:<22} {seconds:>8.2f} | {reference:<34} {ref} | {ratio} | {limit}")


def header() -> None:
    print(f"  {'what':<22} {'s':>8} | {'reference':<34} {'ref s':>8} | {'ratio':>8} | target")


def arrow_reads(store: EmbeddedStore) -> int:
    """Read every table of the projection as Arrow, as the reference for the projection."""
    return sum(store.read_arrow(s).num_rows for s in [*NODES.values(), *EDGES.values()])


def measure_projection(store: EmbeddedStore, repeat: int) -> Any:
    rows, bare = timed(lambda: arrow_reads(store), repeat)
    graph, seconds = timed(lambda: project(store), repeat)
    set_aside()  # as api.cache does with the graph the analyses read
    print(
        f"  graph: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges "
        f"({rows:,} rows read)"
    )
    row("projection", seconds, "same tables read as Arrow", bare)
    return graph


def measure_fragmentation(graph: Any, networkx_sample: int) -> None:
    network = collaboration_network(graph)
    print(
        f"  collaboration network: {network.number_of_nodes():,} organisations, "
        f"{network.number_of_edges():,} links"
    )
    graph_copy, _ = igraph_of(network)
    _, bare = timed(lambda: graph_copy.betweenness(directed=False))
    report, seconds = timed(lambda: fragmentation(graph))
    row("fragmentation", seconds, "igraph bare betweenness", bare)
    if networkx_sample:
        import networkx as nx

        n = network.number_of_nodes()
        exact = {b.id: b.betweenness for b in report.brokers}
        sampled, nx_seconds = timed(
            lambda: nx.betweenness_centrality(network, k=networkx_sample, seed=0)
        )
        estimate = nx_seconds * n / networkx_sample
        row("  NetworkX, all sources", estimate, "the whole fragmentation", seconds)
        errors = [abs(sampled[node] - value) / value for node, value in exact.items() if value]
        top = sorted(sampled, key=lambda node: -sampled[node])[: len(exact)]
        print(
            f"  NetworkX sampled from {networkx_sample} sources ({nx_seconds:.1f} s): "
            f"relative error on the top {len(exact)} brokers median "
            f"{statistics.median(errors):.1%}, max {max(errors):.1%}; "
            f"{len(set(top) & set(exact))} of the top {len(exact)} found"
        )


def measure_duplicates(graph: Any) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from queries.pair_scoring import _text_vectors

    texts = [
        f"{d.get('title') or ''}. {d.get('description') or ''}"
        for (kind, _), d in graph.nodes(data=True)
        if kind == "TrainingOffer"
    ]

    def sklearn_vectors() -> Any:
        common: dict[str, Any] = {"binary": True, "use_idf": False, "strip_accents": "unicode"}
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 4), **common)
        words = TfidfVectorizer(analyzer="word", stop_words="english", **common)
        return chars.fit_transform(texts), words.fit_transform(texts)

    (chars, words), reference = timed(sklearn_vectors)
    vectors, seconds = timed(lambda: _text_vectors(texts))
    ours = vectors[:]
    same = ours.shape[1] == chars.shape[1] + words.shape[1] and ours.nnz == chars.nnz + words.nnz
    row("  text vectors", seconds, "scikit-learn TfidfVectorizer", reference)
    print(f"  same vectors (shape and entries): {same}; {len(texts):,} offers")
    _, whole = timed(lambda: duplicates(graph))
    row("duplicates", whole, "", None)


def measure_rest(store: EmbeddedStore, graph: Any) -> None:
    _, seconds = timed(lambda: overlaps(graph))
    row("overlaps", seconds, "", None)
    _, seconds = timed(lambda: gaps(graph))
    row("gaps", seconds, "", None)
    unclassified = unclassified_in_latest_poll(store)
    _, seconds = timed(lambda: priorities(graph, unclassified_answers=unclassified))
    row("priorities", seconds, "", None)
    _, seconds = timed(lambda: entity_names(graph))
    row("names", seconds, "", None)


def command(args: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of one command in a new process, with the
    processes it starts (the report searches duplicates in a second one), sampled."""
    run = watched(list(args), env, limit_mb=math.inf, poll_seconds=MEMORY_POLL_SECONDS)
    return run.seconds, run.peak_mb


def measure_commands(store_dir: Path, out_dir: Path, repeat: int) -> None:
    env = {**os.environ, "SKILLGRAPH_DATA_DIR": str(store_dir), "SKILLGRAPH_STORE": "embedded"}
    bare = statistics.median(command([sys.executable, "-c", "pass"], env)[0] for _ in range(3))
    for name, args in (("ingest --help", ["ingest", "--help"]), ("stats", ["stats"])):
        seconds = statistics.median(
            command([str(SKILLGRAPH), *args], env)[0] for _ in range(repeat)
        )
        row(name, seconds, "python -c pass", bare)
    shutil.rmtree(store_dir / ANALYSES_FOLDER, ignore_errors=True)  # a first report indeed
    report = [str(SKILLGRAPH), "report", "--out", str(out_dir)]
    first, first_mb = command(report, env)
    second, _ = command(report, env)
    row("first report", first, "second report (kept results)", second)
    verdict = "met" if first_mb <= REPORT_MEMORY_MB else "MISSED"
    print(
        f"  first report peak RSS {first_mb:,.0f} MB, its processes together "
        f"(<= {REPORT_MEMORY_MB:,.0f} MB {verdict})"
    )


def in_process(store_dir: Path, args: argparse.Namespace) -> None:
    """Projection and analyses in this process (the graph is freed on return)."""
    store = EmbeddedStore(store_dir, read_only=True)
    try:
        graph = measure_projection(store, args.repeat)
        measure_fragmentation(graph, args.networkx_sample)
        if args.skip_duplicates_reference:
            _, whole = timed(lambda: duplicates(graph))
            row("duplicates", whole, "", None)
        else:
            measure_duplicates(graph)
        measure_rest(store, graph)
    finally:
        store.close()


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--projects", type=int, default=3_000)
    parser.add_argument("--store", type=Path, help="reuse this store (built with these sizes)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of the projection")
    parser.add_argument(
        "--networkx-sample", type=int, default=0, help="also time NetworkX from K sources"
    )
    parser.add_argument("--skip-duplicates-reference", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="skillgraph-bench-scale-") as tmp:
        root = Path(tmp)
        store_dir = args.store
        if store_dir is None:
            store_dir = root / "graph"
            _, ingest_seconds = timed(
                lambda: build_synthetic_store(
                    root / "data",
                    store_dir,
                    offers=args.offers,
                    members=args.members,
                    projects=args.projects,
                )
            )
            print(f"built the store in {ingest_seconds:.1f} s (writing the files and ingest)")
        print(
            f"{args.offers:,} offers, {args.members:,} members, {args.projects:,} projects; "
            f"{os.cpu_count()} CPUs"
        )
        header()
        in_process(store_dir, args)
        print(f"  peak RSS of this process: {peak_rss_mb():,.0f} MB")
        measure_commands(store_dir, root / "report", args.repeat)


if __name__ == "__main__":
    main()
