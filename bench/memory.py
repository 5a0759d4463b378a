"""Where the first report's memory goes: RSS after each stage, and the projection's parts.

Runs the stages of a first ``skillgraph report`` in this process, one after the other, as the
command does (projection, each analysis, the bundle, the charts, Markdown and HTML), and prints
for each the resident memory after it, its own peak (the kernel's high-water mark is reset
before each stage through ``/proc/self/clear_refs``) and what it kept. ``--sizes`` adds a
``sys.getsizeof`` breakdown of the projection (node data, adjacency, edge data, strings) and
``--tracemalloc`` the largest allocation sites of each stage (slow: several times the run).

``--compare`` builds the projection and a plain ``add_node``/``add_edge`` build of the same
store, each in a fresh process, prints their seconds and memory and checks them equal.
With ``--growth OFFERS...`` it instead builds synthetic stores of those sizes (members and
projects in proportion) and prints the projection's memory per offer in a fresh process each.

    .venv/bin/python -m bench.memory --store /tmp/store100k --sizes
    .venv/bin/python -m bench.memory --store /tmp/store100k --compare
    .venv/bin/python -m bench.memory --growth 30000 100000
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable
from itertools import pairwise
from pathlib import Path
from typing import Any

from bench.ingest import build_synthetic_store
from graph.embedded import EmbeddedStore

MB = 1024.0 * 1024.0


def _status(field: str) -> float:
    """A ``/proc/self/status`` figure (``VmRSS``, ``VmHWM``) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024.0
    raise KeyError(field)


def _reset_peak() -> bool:
    """Reset the peak RSS to the current RSS (Linux: ``5`` to ``clear_refs``)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class Stages:
    """Runs stages and prints, for each, seconds, RSS after, its own peak and what it kept."""

    def __init__(self, trace: bool) -> None:
        self.trace = trace
        self.rows: list[tuple[str, float, float, float]] = []
        print(f"  {'stage':<26} {'s':>7} {'RSS after':>10} {'peak':>8} {'kept':>8}  MB")

    def run(self, name: str, step: Callable[[], Any]) -> Any:
        """Run one stage; print its figures."""
        before = _status("VmRSS")
        _reset_peak()
        if self.trace:
            tracemalloc.start()
            first = tracemalloc.take_snapshot()
        started = time.perf_counter()
        result = step()
        seconds = time.perf_counter() - started
        after, peak = _status("VmRSS"), _status("VmHWM")
        self.rows.append((name, seconds, after, peak))
        print(
            f"  {name:<26} {seconds:>7.2f} {after:>10,.0f} {peak:>8,.0f} {after - before:>+8,.0f}"
        )
        if self.trace:
            stats = tracemalloc.take_snapshot().compare_to(first, "lineno")
            tracemalloc.stop()
            for stat in stats[:8]:
                frame = stat.traceback[0]
                print(
                    f"      {stat.size_diff / MB:>+8.1f} MB {stat.count_diff:>+10,} blocks "
                    f"{frame.filename.split('site-packages/')[-1]}:{frame.lineno}"
                )
        return result


def _deep_strings(values: Iterable[Any], seen: set[int]) -> int:
    """Bytes of the strings (and lists of strings) among ``values`` not counted yet."""
    total = 0
    for value in values:
        items = value if isinstance(value, list) else [value]
        if isinstance(value, list):
            total += sys.getsizeof(value)
        for item in items:
            if id(item) not in seen:
                seen.add(id(item))
                total += sys.getsizeof(item)
    return total


def graph_sizes(graph: Any) -> dict[str, float]:
    """``sys.getsizeof`` sums (MB) of a projection's parts; shared objects counted once."""
    seen: set[int] = set()
    node_dicts = sum(sys.getsizeof(data) for data in graph._node.values())
    node_values = sum(_deep_strings(data.values(), seen) for data in graph._node.values())
    keys = _deep_strings((k for node in graph._node for k in node), seen)
    keys += sum(sys.getsizeof(node) for node in graph._node)
    outer = sys.getsizeof(graph._node) + sys.getsizeof(graph._succ) + sys.getsizeof(graph._pred)
    inner = sum(sys.getsizeof(nbrs) for nbrs in graph._succ.values())
    inner += sum(sys.getsizeof(nbrs) for nbrs in graph._pred.values())
    keydicts = edge_dicts = edge_values = 0
    seen_dicts: set[int] = set()
    for nbrs in graph._succ.values():
        for keydict in nbrs.values():
            if id(keydict) in seen_dicts:
                continue
            seen_dicts.add(id(keydict))
            keydicts += sys.getsizeof(keydict)
            for data in keydict.values():
                if id(data) not in seen_dicts:
                    seen_dicts.add(id(data))
                    edge_dicts += sys.getsizeof(data)
                    edge_values += _deep_strings(data.values(), seen)
    parts = {
        "node data dicts": node_dicts,
        "node property values": node_values,
        "node keys (tuples, ids)": keys,
        "adjacency (node, succ, pred)": outer + inner,
        "edge key dicts": keydicts,
        "edge data dicts": edge_dicts,
        "edge property values": edge_values,
    }
    return {name: size / MB for name, size in parts.items()}


def report_stages(store_dir: Path, *, sizes: bool, trace: bool) -> None:
    """The stages of a first report, in this process."""
    stages = Stages(trace)
    store = stages.run("open the store", lambda: EmbeddedStore(store_dir, read_only=True))
    imports = (
        "queries.bundle",
        "queries.projection",
        "queries.decisions",
        "queries.priorities",
        "viz.charts",
        "viz.report",
    )
    stages.run("imports", lambda: [__import__(name) for name in imports])
    from viz.charts import report_charts
    from viz.report import html_report, markdown_report

    bundle = _analyses(stages, store, sizes)
    stages.run("graph freed", gc.collect)
    charts = stages.run("charts", lambda: report_charts(bundle))
    markdown = stages.run(
        "markdown", lambda: markdown_report(bundle, charts={name: f"{name}.svg" for name in charts})
    )
    stages.run("html", lambda: len(html_report(markdown, images=charts)))
    store.close()
    print(f"  peak RSS of the run: {max(peak for *_, peak in stages.rows):,.0f} MB")


def _analyses(stages: Stages, store: EmbeddedStore, sizes: bool) -> Any:
    """The projection and every analysis of the report (the graph is freed on return)."""
    from graph.network import LocalEngine
    from queries.bundle import AnalysisBundle, decided_clusters, entity_names
    from queries.decisions import read_decisions, triage
    from queries.duplicates import duplicates
    from queries.fragmentation import fragmentation
    from queries.gaps import gaps
    from queries.overlaps import overlaps
    from queries.priorities import priorities, unclassified_in_latest_poll
    from queries.projection import project

    graph = stages.run("projection", lambda: project(store))
    if sizes:
        for name, size in graph_sizes(graph).items():
            print(f"      {name:<30} {size:>8,.1f} MB")
    unclassified = unclassified_in_latest_poll(store)
    decisions = read_decisions(store)
    dups = stages.run("duplicates", lambda: duplicates(graph))
    decided = stages.run("triage", lambda: decided_clusters(triage(dups, decisions, graph)))
    over = stages.run("overlaps", lambda: overlaps(graph))
    gap = stages.run("gaps", lambda: gaps(graph))
    frag = stages.run("fragmentation", lambda: fragmentation(graph, engine=LocalEngine()))
    prio = stages.run("priorities", lambda: priorities(graph, unclassified_answers=unclassified))
    names = stages.run("names", lambda: entity_names(graph))
    bundle = stages.run(
        "bundle (models)",
        lambda: AnalysisBundle(
            revision=int(graph.graph.get("revision", 0)),
            duplicates=dups,
            decided=decided,
            overlaps=over,
            gaps=gap,
            fragmentation=frag,
            priorities=prio,
            names=names,
        ),
    )
    stages.run("bundle as JSON (kept)", lambda: len(bundle.model_dump_json()))
    return bundle


def plain_projection(store: EmbeddedStore) -> Any:
    """The same graph built the plain way: rows as dicts, ``add_node`` and ``add_edge``.

    The reference the projection must equal, node for node and edge for edge, in order.
    """
    import networkx as nx

    from queries.concepts import merge_linked_competences
    from queries.projection import EDGES, NODES

    def present(row: dict[str, Any]) -> dict[str, Any]:
        return {name: value for name, value in row.items() if value is not None}

    graph = nx.MultiDiGraph()
    graph.graph.update(revision=store.revision(), store=store.backend)
    for kind, statement in NODES.items():
        for row in store.read_arrow(statement).to_pylist():
            graph.add_node((kind, row["id"]), **present(row))
    for (rel, src, dst), statement in EDGES.items():
        for row in store.read_arrow(statement).to_pylist():
            a, b = row.pop("a"), row.pop("b")
            graph.add_edge((src, a), (dst, b), rel.value, **present(row), rel=rel)
    return merge_linked_competences(graph)


def same_graph(graph: Any, reference: Any) -> bool:
    """Whether two projections hold the same nodes, edges and data (keys, edge keys, values).

    Not their order: LadybugDB returns a label's rows in a different order from one read to
    the next, so two reads of a store never built the same order (the analyses sort).
    """
    return bool(
        graph.graph == reference.graph
        and graph._node == reference._node
        and graph._succ == reference._succ
        and graph._pred == reference._pred
    )


def projection_only(store_dir: Path, plain: bool = False) -> None:
    """Print the RSS before and after projecting, for one store (run in a fresh process)."""
    from queries.projection import project

    store = EmbeddedStore(store_dir, read_only=True)
    gc.collect()
    before = _status("VmRSS")
    _reset_peak()
    started = time.perf_counter()
    graph = gc_paused(lambda: plain_projection(store)) if plain else project(store)
    seconds = time.perf_counter() - started
    print(
        f"{graph.number_of_nodes()} {graph.number_of_edges()} {seconds:.3f} "
        f"{before:.1f} {_status('VmRSS'):.1f} {_status('VmHWM'):.1f}"
    )
    store.close()


def gc_paused(build: Callable[[], Any]) -> Any:
    """``build()`` with the cyclic collector paused, as the projection builds."""
    gc.disable()
    try:
        return build()
    finally:
        gc.enable()


def compare(store_dir: Path) -> None:
    """The projection against the plain build: equal, and each one's seconds and memory."""
    from queries.projection import project

    print(f"  {'build':<34} {'s':>7} {'kept MB':>8} {'peak MB':>8}")
    figures = {}
    for name, flag in (("plain add_node / add_edge", ["--plain"]), ("project()", [])):
        done = subprocess.run(
            [sys.executable, "-m", "bench.memory", "--projection-only", str(store_dir), *flag],
            capture_output=True,
            text=True,
            check=True,
        )
        _, _, seconds, before, after, peak = map(float, done.stdout.split())
        figures[name] = (seconds, after - before, peak - before)
        print(f"  {name:<34} {seconds:>7.2f} {after - before:>8,.0f} {peak - before:>8,.0f}")
    (plain_s, plain_kept, plain_peak), (s, kept, peak) = figures.values()
    print(
        f"  project() / plain: time {s / plain_s:.2f}x, kept {kept / plain_kept:.2f}x, "
        f"peak {peak / plain_peak:.2f}x"
    )
    store = EmbeddedStore(store_dir, read_only=True)
    try:
        same = same_graph(project(store), gc_paused(lambda: plain_projection(store)))
    finally:
        store.close()
    print(f"  same nodes, edges and data as the plain build: {same}")


def growth(sizes: list[int], keep: Path | None) -> None:
    """The projection's memory per offer between synthetic stores of ``sizes`` offers."""
    with tempfile.TemporaryDirectory(prefix="skillgraph-bench-memory-") as tmp:
        root = keep or Path(tmp)
        measured: list[tuple[int, float]] = []
        print(f"  {'offers':>9} {'nodes':>9} {'edges':>9} {'s':>7} {'kept MB':>8} {'peak MB':>8}")
        for offers in sizes:
            store_dir = root / f"store{offers}"
            if not store_dir.exists():
                build_synthetic_store(
                    root / f"data{offers}",
                    store_dir,
                    offers=offers,
                    members=offers // 20,
                    projects=offers * 3 // 100,
                )
            done = subprocess.run(
                [sys.executable, "-m", "bench.memory", "--projection-only", str(store_dir)],
                capture_output=True,
                text=True,
                check=True,
            )
            nodes, edges, seconds, before, after, peak = done.stdout.split()
            kept = float(after) - float(before)
            measured.append((offers, kept))
            print(
                f"  {offers:>9,} {int(nodes):>9,} {int(edges):>9,} {float(seconds):>7.2f} "
                f"{kept:>8,.0f} {float(peak) - float(before):>8,.0f}"
            )
        for (small, low), (large, high) in pairwise(measured):
            per_offer = (high - low) * MB / (large - small) / 1024.0
            print(f"  {small:,} -> {large:,} offers: {per_offer:.2f} KB kept per offer")


def main() -> None:
    """Run the stages (or the growth measure) and print their memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a store to open read-only")
    parser.add_argument("--sizes", action="store_true", help="the projection's parts")
    parser.add_argument("--tracemalloc", action="store_true", help="top allocations per stage")
    parser.add_argument("--growth", type=int, nargs="+", help="offers of the stores to build")
    parser.add_argument("--keep", type=Path, help="build (and reuse) the growth stores here")
    parser.add_argument("--compare", action="store_true", help="projection against plain build")
    parser.add_argument("--projection-only", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--plain", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.projection_only:
        projection_only(args.projection_only, args.plain)
    elif args.compare and args.store:
        compare(args.store)
    elif args.growth:
        growth(args.growth, args.keep)
    elif args.store:
        report_stages(args.store, sizes=args.sizes, trace=args.tracemalloc)
    else:
        parser.error("give --store or --growth")


if __name__ == "__main__":
    main()
