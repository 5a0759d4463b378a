"""Benchmark of the analyses: each one timed apart, the projection, and what the cache saves.

On the sample data (``data/sample``) and then on a synthetic graph (20,000 offers by default,
informational), both ingested into fresh embedded stores in a temporary folder: the NetworkX
projection (``queries.projection.project``), every analysis of ``queries.bundle.all_analyses``
timed separately, and ``all_analyses`` as one call. Each is run ``--repeat`` times; the median
and the slowest run are printed. Then, through ``api.cache.RevisionCache`` as the API uses it,
the first (uncached) and the second (cached) call of the projection and of each analysis, and
their ratio.

    .venv/bin/python -m bench.analyses --offers 20000
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from api.cache import RevisionCache
from bench.ingest import SAMPLE_DIR, build_synthetic_store, fresh_embedded, peak_rss_mb
from graph.embedded import EmbeddedStore
from graph.store import Store
from ingest.pipeline import ingest
from queries.bundle import all_analyses, entity_names
from queries.duplicates import duplicates
from queries.fragmentation import fragmentation
from queries.gaps import gaps
from queries.overlaps import overlaps
from queries.priorities import priorities, unclassified_in_latest_poll
from queries.projection import project

#: Requirement: all analyses of the sample data together take less than this.
SAMPLE_LIMIT_SECONDS = 3.0


def analyses(store: Store) -> dict[str, Callable[[nx.MultiDiGraph], Any]]:
    """Every analysis of the bundle, by name, as ``all_analyses`` runs it."""
    unclassified = unclassified_in_latest_poll(store)
    return {
        "duplicates": duplicates,
        "overlaps": overlaps,
        "gaps": gaps,
        "fragmentation": fragmentation,
        "priorities": lambda g: priorities(g, unclassified_answers=unclassified),
        "names": entity_names,
    }


def timed(function: Callable[[], Any], repeat: int) -> tuple[Any, list[float]]:
    """The last result of ``repeat`` calls and the seconds of each."""
    seconds: list[float] = []
    result: Any = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return result, seconds


def measure(store: Store, repeat: int) -> dict[str, list[float]]:
    """Seconds of the projection, of each analysis and of ``all_analyses``, per run."""
    figures: dict[str, list[float]] = {}
    graph, figures["projection"] = timed(lambda: project(store), repeat)
    for name, analysis in analyses(store).items():
        _, figures[name] = timed(lambda a=analysis: a(graph), repeat)  # type: ignore[misc]
    unclassified = unclassified_in_latest_poll(store)
    _, figures["all_analyses()"] = timed(
        lambda: all_analyses(graph, unclassified_answers=unclassified), repeat
    )
    print(
        f"  graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges, "
        f"revision {graph.graph.get('revision')}"
    )
    return figures


def cache_ratios(store: Store) -> list[tuple[str, float, float]]:
    """(name, first call, second call) through a new ``RevisionCache``, as the API calls it."""
    cache = RevisionCache(store)
    unclassified = unclassified_in_latest_poll(store)
    rows: list[tuple[str, float, float]] = []

    def twice(name: str, compute: Callable[[], Any]) -> None:
        calls = []
        for _ in range(2):
            started = time.perf_counter()
            cache.get(("analysis", name), compute)
            calls.append(time.perf_counter() - started)
        rows.append((name, calls[0], calls[1]))

    twice("projection", lambda: project(store))
    graph = cache.get(("analysis", "projection"), lambda: project(store))
    for name, analysis in analyses(store).items():
        twice(name, lambda a=analysis: a(graph))  # type: ignore[misc]
    twice("all_analyses()", lambda: all_analyses(graph, unclassified_answers=unclassified))
    return rows


def print_figures(figures: dict[str, list[float]]) -> float:
    """Print median and slowest run of each part; return the slowest projection + all."""
    print(f"  {'part':<16} {'median s':>9} {'slowest s':>9}")
    for name, seconds in figures.items():
        print(f"  {name:<16} {statistics.median(seconds):>9.3f} {max(seconds):>9.3f}")
    parts = sum(max(s) for n, s in figures.items() if n not in {"projection", "all_analyses()"})
    together = max(figures["projection"]) + max(figures["all_analyses()"])
    print(f"  {'sum of the parts':<16} {parts:>9.3f} (slowest runs, without the projection)")
    print(f"  {'projection + all':<16} {together:>9.3f} (slowest runs)")
    return together


def print_cache(rows: list[tuple[str, float, float]]) -> None:
    """Print first and second call through the cache and their ratio."""
    print("  through RevisionCache (second call hits the cache; each call reads the revision):")
    print(f"  {'part':<16} {'uncached ms':>11} {'cached ms':>9} {'cached/uncached':>15} {'x':>8}")
    for name, first, second in rows:
        print(
            f"  {name:<16} {first * 1000:>11.1f} {second * 1000:>9.2f} {second / first:>15.5f} "
            f"{first / second:>8.0f}"
        )


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=20000)
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--projects", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each part, sample data")
    parser.add_argument(
        "--synthetic-repeat", type=int, default=1, help="runs of each part, synthetic graph"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="skillgraph-bench-analyses-") as tmp:
        root = Path(tmp)
        store = fresh_embedded(root / "sample-graph")
        try:
            report = ingest(store, [SAMPLE_DIR])
            print(f"sample data ({report.exit_code=}), {args.repeat} runs of each part:")
            together = print_figures(measure(store, args.repeat))
            verdict = "met" if together < SAMPLE_LIMIT_SECONDS else "MISSED"
            print(f"  requirement: all analyses together < {SAMPLE_LIMIT_SECONDS:.0f} s: {verdict}")
            print_cache(cache_ratios(store))
        finally:
            store.close()
        print(f"  peak RSS so far: {peak_rss_mb():.0f} MB\n")

        started = time.perf_counter()
        _, report = build_synthetic_store(
            root / "data",
            root / "synthetic-graph",
            offers=args.offers,
            members=args.members,
            projects=args.projects,
        )
        print(
            f"synthetic graph: {args.offers} offers, {args.members} members, {args.projects} "
            f"projects (built in {time.perf_counter() - started:.1f} s, {report.exit_code=}), "
            f"{args.synthetic_repeat} run(s) of each part, informational:"
        )
        store = EmbeddedStore(root / "synthetic-graph")
        try:
            print_figures(measure(store, args.synthetic_repeat))
            print_cache(cache_ratios(store))
        finally:
            store.close()
    print(f"\npeak RSS of this process: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
