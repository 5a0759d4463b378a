"""Fragmentation on the local igraph engine against Graph Data Science on Neo4j, side by side.

Builds a synthetic graph (100,000 offers, 5,000 members, 3,000 projects by default) in an
embedded store in a temporary folder, copies it into Neo4j with ``graph.transfer`` (the
server ``NEO4J_URI`` names, emptied only with ``--neo4j-clear``, or a throw-away one with
OpenGDS started from the jars ``make neo4j`` resolved), projects it once
(``queries.projection.project`` on the Neo4j store), runs each engine ``--warmup`` times
unmeasured and then, ``--runs`` times in turn:

1. ``fragmentation()`` with the local engine (``graph.network.LocalEngine``) and with the
   GDS engine (``graph.gds.GdsEngine``), each with the peak memory of this process during
   the call (``VmHWM`` after resetting it through ``/proc/self/clear_refs``);
2. the parts of each: for GDS, every statement the engine sends, timed as it sends it
   (projection, wcc, Louvain, betweenness, articulation points, the brokers' splits, the
   drop); for igraph, the same steps run apart on the same network.

It checks that the two reports agree (as ``tests/graph/test_gds.py`` does: every field that
does not come from Louvain equal, components and brokers with their betweenness and splits
included; the communities, which Louvain may settle differently at ties, compared by their
partition, modularity and normalised mutual information), prints medians and the ratios, and,
with ``--sampling``, the time and the error of GDS's sampled betweenness (``samplingSize``)
on the top brokers against the exact values, and the exact betweenness on every CPU. The
engines' defaults are not changed.

    .venv/bin/python -m bench.gds
    .venv/bin/python -m bench.gds --offers 20000 --members 1000 --projects 600 --sampling 250,1000
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, cast

import networkx as nx

from bench.ingest import build_synthetic_store, neo4j_store, peak_rss_mb
from graph import gds
from graph.embedded import EmbeddedStore
from graph.network import LocalEngine, igraph_of, normalised_betweenness, top_brokers
from graph.store import Store
from graph.transfer import dump_graph, load_graph
from queries.fragmentation import (
    COLLABORATION,
    LOUVAIN_SEED,
    FragmentationReport,
    collaboration_network,
    fragmentation,
)
from queries.projection import project

TOP = 10
#: The engine's statements by what they compute (the projection is told by its procedure).
PARTS = {
    gds.VERSION: "check",
    gds.COMPONENTS: "wcc",
    gds.LOUVAIN: "louvain",
    gds.COMMUNITIES: "louvain",
    gds.BETWEENNESS: "betweenness",
    gds.CUT_VERTICES: "articulation points",
    gds.KEY_OF: "splits",
    gds.WITHOUT_NODE: "splits",
    gds.DROP: "drop",
}
SAMPLED_BETWEENNESS = """
CALL gds.betweenness.stream($graph, {concurrency: 1, samplingSize: $size, samplingSeed: 0})
YIELD nodeId, score
RETURN gds.util.asNode(nodeId).id AS id, score
"""
PARALLEL_BETWEENNESS = """
CALL gds.betweenness.stream($graph, {concurrency: $threads}) YIELD nodeId, score
RETURN gds.util.asNode(nodeId).id AS id, score
"""
GRAPH_SIZE = "CALL gds.graph.list($graph) YIELD sizeInBytes RETURN sizeInBytes AS bytes"
#: GDS's own estimate of the memory each algorithm needs on the projection, as the engine runs it.
ESTIMATES = {
    part: f"CALL gds.{name}.estimate($graph, {{concurrency: 1}}) YIELD bytesMax RETURN bytesMax"
    for part, name in (
        ("wcc", "wcc.stream"),
        ("louvain", "louvain.stream"),
        ("betweenness", "betweenness.stream"),
        ("articulation points", "articulationPoints.stream"),
    )
}


class TimedStatements:
    """The Neo4j store as the GDS engine uses it, with every statement timed by its part."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.uri = getattr(store, "uri", "")
        self.seconds: dict[str, float] = defaultdict(float)

    def run(self, statement: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run ``statement`` and add its seconds to its part."""
        part = PARTS.get(statement, "projection" if "gds.graph.project" in statement else "other")
        if part == "wcc" and str((params or {}).get("graph", "")).endswith("-without"):
            part = "splits"
        started = time.perf_counter()
        try:
            return self.store.run(statement, params)
        finally:
            self.seconds[part] += time.perf_counter() - started


@contextmanager
def peak_memory() -> Iterator[dict[str, float]]:
    """The peak resident memory (MB) of this process inside the block, and its growth."""
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_mb("VmRSS")
    figures: dict[str, float] = {}
    yield figures
    figures["peak"] = _status_mb("VmHWM")
    figures["growth"] = figures["peak"] - before


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024.0
    raise RuntimeError(f"/proc/self/status has no {field}")


def timed(function: Callable[[], Any]) -> tuple[Any, float]:
    """The result of ``function()`` and its seconds."""
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def local_parts(network: nx.Graph) -> dict[str, float]:
    """Seconds of each step of the local engine, run apart with igraph on ``network``."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    graph, _ = igraph_of(network)
    seconds["projection"] = time.perf_counter() - started
    steps: dict[str, Callable[[], Any]] = {
        "wcc": graph.connected_components,
        "louvain": lambda: graph.community_multilevel(weights="weight"),
        "betweenness": lambda: graph.betweenness(directed=False),
        "articulation points": graph.articulation_points,
    }
    for part, step in steps.items():
        seconds[part] = timed(step)[1]
    return seconds


def agreement(local: FragmentationReport, server: FragmentationReport) -> list[str]:
    """How the two reports compare, one line each; raises if they differ beyond Louvain's ties.

    Louvain may settle ties differently on the two engines, so the communities, their
    modularity and each broker's ``communities_linked`` are compared, not required equal.
    """
    louvain = {"communities", "modularity", "brokers"}
    left, right = local.model_dump(), server.model_dump()
    differing = sorted(k for k in left if k not in louvain and left[k] != right[k])
    brokers = [
        [{k: v for k, v in b.items() if k != "communities_linked"} for b in r["brokers"]]
        for r in (left, right)
    ]
    if brokers[0] != brokers[1]:
        differing.append("brokers")
    if differing:
        raise RuntimeError(f"the engines' reports differ in {', '.join(differing)}")
    lines = [
        f"components: {local.components} on both; brokers: the same {len(local.brokers)} "
        f"with the same betweenness and splits, first {local.brokers[0].id if local.brokers else '-'}"
        "; every field outside Louvain's equal"
    ]
    same = {frozenset(c) for c in local.communities} == {frozenset(c) for c in server.communities}
    if same:
        lines.append(f"communities: the same partition ({len(local.communities)} communities)")
    else:
        linked = sum(
            a.communities_linked == b.communities_linked
            for a, b in zip(local.brokers, server.brokers, strict=True)
        )
        lines.append(
            f"communities: {len(local.communities)} (igraph, modularity {local.modularity:.4f})"
            f" vs {len(server.communities)} (GDS, modularity {server.modularity:.4f}); "
            f"normalised mutual information {_nmi(local.communities, server.communities):.4f}; "
            f"communities linked equal for {linked} of {len(local.brokers)} brokers"
        )
    return lines


def _nmi(first: list[list[str]], second: list[list[str]]) -> float:
    import igraph as ig

    def labels(communities: list[list[str]]) -> dict[str, int]:
        return {node: i for i, c in enumerate(communities) for node in c}

    one, two = labels(first), labels(second)
    nodes = sorted(set(one) | set(two))
    # Nodes in no community of more than one (singletons) get a label of their own.
    a = [one.get(n, len(first) + i) for i, n in enumerate(nodes)]
    b = [two.get(n, len(second) + i) for i, n in enumerate(nodes)]
    return float(ig.compare_communities(a, b, method="nmi"))


def betweenness_options(
    engine: gds.GdsEngine, runner: TimedStatements, sizes: list[int], nodes: int
) -> tuple[list[str], dict[str, int]]:
    """GDS betweenness on one projection: exact at concurrency 1 (the engine's), exact on every
    CPU, and sampled (``samplingSize``), with their seconds and their error on the top brokers.

    Also returns the projection's size in the server's memory and GDS's estimate of the
    memory of each algorithm on it, in bytes.
    """
    lines: list[str] = []
    # The engine's own projection, so that the figures are of the graph it analyses.
    with engine._projected(COLLABORATION) as graph:
        sizes_in_memory = {"projection": int(runner.run(GRAPH_SIZE, {"graph": graph})[0]["bytes"])}
        for part, statement in ESTIMATES.items():
            sizes_in_memory[part] = int(runner.run(statement, {"graph": graph})[0]["bytesMax"])
        rows, exact_seconds = timed(lambda: runner.run(gds.BETWEENNESS, {"graph": graph}))
        exact = normalised_betweenness({r["id"]: float(r["score"]) for r in rows}, nodes)
        best = top_brokers(exact, TOP)
        lines.append(f"exact: {exact_seconds:.2f} s")
        threads = os.cpu_count() or 1
        if threads > 1:
            params = {"graph": graph, "threads": threads}
            rows, seconds = timed(partial(runner.run, PARALLEL_BETWEENNESS, params))
            parallel = normalised_betweenness({r["id"]: float(r["score"]) for r in rows}, nodes)
            lines.append(
                f"exact at concurrency {threads}: {seconds:.2f} s "
                f"({exact_seconds / seconds:.1f}x faster), "
                f"{'the same' if parallel == exact else 'DIFFERENT'} values"
            )
        for k in sizes:
            params = {"graph": graph, "size": k}
            rows, seconds = timed(partial(runner.run, SAMPLED_BETWEENNESS, params))
            raw = {r["id"]: float(r["score"]) for r in rows}
            # Brandes from k of n sources: scaled by n / k unless GDS scaled it already.
            total_exact, total_raw = (
                sum(exact.values()),
                sum(normalised_betweenness(raw, nodes).values()),
            )
            scale = 1.0 if not total_raw or total_raw > total_exact / 2 else nodes / k
            estimate = normalised_betweenness({n: s * scale for n, s in raw.items()}, nodes)
            errors = [abs(estimate[n] - exact[n]) / exact[n] for n in best]
            kept = len(set(best) & set(top_brokers(estimate, TOP)))
            lines.append(
                f"samplingSize {k} ({k / nodes:.0%} of the nodes): {seconds:.2f} s "
                f"({exact_seconds / seconds:.1f}x faster); top {len(best)} brokers: {kept} kept, "
                f"relative error median {statistics.median(errors):.1%}, max {max(errors):.1%}"
                f"{'' if scale == 1.0 else f' (scores scaled by n/k = {scale:.1f})'}"
            )
    return lines, sizes_in_memory


def median(values: list[float]) -> float:
    """The median of ``values`` (0 when there are none)."""
    return statistics.median(values) if values else 0.0


def print_parts(local: list[dict[str, float]], server: list[dict[str, float]]) -> None:
    """Medians of the parts, side by side, with the ratio GDS / igraph."""
    parts = [
        "projection",
        "wcc",
        "louvain",
        "betweenness",
        "articulation points",
        "splits",
        "drop",
        "check",
    ]
    print(f"  {'part (median s)':<22}{'igraph':>10}{'GDS':>10}{'GDS/igraph':>12}")
    for part in parts:
        mine = median([run[part] for run in local if part in run])
        theirs = median([run.get(part, 0.0) for run in server])
        if not mine and not theirs:
            continue
        ratio = f"{theirs / mine:.1f}x" if mine else "-"
        print(f"  {part:<22}{mine:>10.3f}{theirs:>10.3f}{ratio:>12}")


def measure(store: Store, runs: int, warmup: int, sampling: list[int]) -> None:
    """Project once, warm both engines up, run them ``runs`` times in turn, print the figures.

    The warm-up runs (not measured) let the server's JIT compile GDS's code paths, as they
    are on a server that has been answering for a while.
    """
    graph, seconds = timed(lambda: project(store))
    network = collaboration_network(graph)
    print(
        f"projection of the Neo4j store: {seconds:.1f} s; collaboration network: "
        f"{network.number_of_nodes()} organisations, {network.number_of_edges()} links"
    )
    runner = TimedStatements(store)
    engine = gds.GdsEngine(cast(Any, runner))
    totals: dict[str, list[float]] = defaultdict(list)
    memory: dict[str, list[dict[str, float]]] = defaultdict(list)
    local_runs: list[dict[str, float]] = []
    server_runs: list[dict[str, float]] = []
    reports: dict[str, FragmentationReport] = {}
    for _ in range(warmup):
        for chosen in (LocalEngine(), engine):
            fragmentation(graph, engine=chosen)
    for _ in range(runs):
        for name, chosen in (("igraph", LocalEngine()), ("GDS", engine)):
            runner.seconds.clear()
            with peak_memory() as figures:
                report, seconds = timed(partial(fragmentation, graph, engine=chosen))
            totals[name].append(seconds)
            memory[name].append(figures)
            reports[name] = report
            if name == "GDS":
                server_runs.append(dict(runner.seconds))
        local_runs.append(local_parts(network))
    # Another seed on igraph: how far Louvain's ties alone move the communities.
    reseeded, seconds = timed(
        lambda: LocalEngine().analyse(network, COLLABORATION, seed=LOUVAIN_SEED + 1, top=TOP)
    )
    print(f"agreement ({runs} runs each after {warmup} warm-up, engines alternating):")
    for line in agreement(reports["igraph"], reports["GDS"]):
        print(f"  {line}")
    local_total, server_total = median(totals["igraph"]), median(totals["GDS"])
    print("fragmentation() (median s; peak RSS of this process during the call, its growth):")
    for name in ("igraph", "GDS"):
        peak = median([m["peak"] for m in memory[name]])
        growth = median([m["growth"] for m in memory[name]])
        print(
            f"  {name:<8}{median(totals[name]):>8.2f} s  "
            f"(runs {', '.join(f'{s:.2f}' for s in totals[name])}), "
            f"peak {peak:,.0f} MB, +{growth:,.0f} MB"
        )
    print(f"  ratio GDS / igraph: {server_total / local_total:.2f}x")
    print(f"  LocalEngine.analyse alone: {seconds:.2f} s (the rest is the report around it)")
    again = [c for c in reseeded.communities if len(c) > 1]
    print(
        f"  reference for the communities: igraph with another seed gives {len(again)}, "
        f"modularity {reseeded.modularity:.4f}, normalised mutual information "
        f"{_nmi(reports['igraph'].communities, again):.4f} with the seeded ones"
    )
    print_parts(local_runs, server_runs)
    lines, in_memory = betweenness_options(engine, runner, sampling, network.number_of_nodes())
    print(
        "server memory (MB): "
        + ", ".join(f"{part} {size / 2**20:,.1f}" for part, size in in_memory.items())
        + " (the projection as GDS holds it; each algorithm's bytesMax as GDS estimates it)"
    )
    if sampling:
        print("sampled betweenness on GDS (one run each, same projection):")
        for line in lines:
            print(f"  {line}")


def main() -> None:
    """Build, copy, measure, print; the server started here is always stopped."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--projects", type=int, default=3_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each engine")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured runs of each first")
    # graph.transfer writes the copy in one transaction: 100,000 offers need more than 2 GB.
    parser.add_argument("--neo4j-heap", default="6g", help="heap of a server started here")
    parser.add_argument("--neo4j-clear", action="store_true",
                        help="empty the database NEO4J_URI names first")  # fmt: skip
    parser.add_argument("--sampling", default="",
                        help="comma-separated GDS samplingSize values to measure")  # fmt: skip
    args = parser.parse_args()
    sampling = [int(k) for k in args.sampling.split(",") if k.strip()]
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="skillgraph-bench-gds-") as tmp:
        root = Path(tmp)
        (_, report), seconds = timed(
            lambda: build_synthetic_store(
                root / "data",
                root / "graph",
                offers=args.offers,
                members=args.members,
                projects=args.projects,
            )
        )
        print(
            f"synthetic graph: {args.offers:,} offers, {args.members:,} members, "
            f"{args.projects:,} projects, built in {seconds:.1f} s ({report.exit_code=})"
        )
        store, note, server = neo4j_store(args.neo4j_clear, args.neo4j_heap)
        print(note)
        if store is None:
            return
        try:
            source = EmbeddedStore(root / "graph")
            try:
                written, seconds = timed(
                    lambda: load_graph(store, dump_graph(source), origin=str(root / "graph"))
                )
            finally:
                source.close()
            print(
                f"copied {written['nodes']:,} nodes and {written['relationships']:,} "
                f"relationships into Neo4j in {seconds:.1f} s"
            )
            measure(store, args.runs, args.warmup, sampling)
        finally:
            store.close()
            if server is not None:
                server.close()
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"peak RSS of this process over the whole run: {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
