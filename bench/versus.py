"""An analysis of this working tree against the same module at a git revision, in one run.

The module of the revision (``--base``, default ``main``) is read with ``git show`` and
loaded under another name beside this tree's one; both run, alternately, on the same
projections: the sample data (``data/sample``, ingested into a new store) and, with
``--store``, an existing embedded store (opened read-only, never written). For each graph it
prints the median seconds of both, their ratio, and whether the two results are equal
(their JSON dumps compared). With ``--markdown``, a report's HTML is rendered by
markdown-it whole and by :func:`viz.report.render_html`, compared the same way.

    .venv/bin/python -m bench.versus --store /tmp/store100k --analysis overlaps gaps
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable, Sequence
from pathlib import Path

import networkx as nx
from pydantic import BaseModel

from bench.ingest import ROOT, SAMPLE_DIR, fresh_embedded
from graph.collector import bring_back, set_aside
from graph.embedded import EmbeddedStore
from ingest.pipeline import ingest
from queries.projection import project

#: The analyses that can be compared: module and function.
ANALYSES = {
    "overlaps": ("queries.overlaps", "overlaps"),
    "gaps": ("queries.gaps", "gaps"),
}
Analysis = Callable[[nx.MultiDiGraph], BaseModel]


def at_revision(module: str, revision: str) -> types.ModuleType:
    """``module`` as it is at git ``revision``, loaded as ``<module>_at_base``."""
    path = module.replace(".", "/") + ".py"
    source = subprocess.run(
        ["git", "show", f"{revision}:{path}"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    name = f"{module}_at_base"
    loaded = types.ModuleType(name)
    loaded.__file__ = f"{revision}:{path}"
    sys.modules[name] = loaded  # dataclasses and pydantic look their module up
    exec(compile(source, loaded.__file__, "exec"), loaded.__dict__)
    return loaded


def compare(graph: nx.MultiDiGraph, base: Analysis, here: Analysis, repeat: int) -> None:
    """Median wall and CPU seconds of both (run alternately), ratios, and whether they match.

    The resident graph is set aside from the cyclic collector first (``set_aside``), as the
    report command does after its projection: otherwise whichever call happens to trigger a
    full collection pays for walking the whole graph, and the figures say more about when
    that happened than about the analysis.
    """
    set_aside()
    wall: dict[str, list[float]] = {"base": [], "here": []}
    cpu: dict[str, list[float]] = {"base": [], "here": []}
    for _ in range(repeat):
        for name, function in (("base", base), ("here", here)):
            started, used = time.perf_counter(), time.process_time()
            function(graph)
            wall[name].append(time.perf_counter() - started)
            cpu[name].append(time.process_time() - used)
    for label, seconds in (("wall", wall), ("CPU", cpu)):
        before, after = (statistics.median(seconds[n]) for n in ("base", "here"))
        print(
            f"    {label:>4}: base {before:8.3f} s | this tree {after:8.3f} s |"
            f" {before / after:6.2f}x faster"
        )
    same = base(graph).model_dump_json() == here(graph).model_dump_json()
    print(f"    identical results: {same}")
    bring_back()


def compare_html(markdown: str, repeat: int) -> None:
    """The report's HTML: markdown-it rendering all of it against :func:`viz.report.render_html`."""
    from markdown_it import MarkdownIt

    from viz.report import render_html

    whole = MarkdownIt("commonmark").enable("table").render
    cpu: dict[str, list[float]] = {"markdown-it": [], "here": []}
    for _ in range(repeat):
        for name, render in (("markdown-it", whole), ("here", render_html)):
            used = time.process_time()
            render(markdown)
            cpu[name].append(time.process_time() - used)
    before, after = (statistics.median(cpu[n]) for n in ("markdown-it", "here"))
    print(
        f"    CPU: markdown-it {before:8.3f} s | render_html {after:8.3f} s |"
        f" {before / after:6.2f}x faster | identical HTML: {whole(markdown) == render_html(markdown)}"
    )


def sample_graph(folder: Path) -> nx.MultiDiGraph:
    """The projection of the sample data, ingested into a new store in ``folder``."""
    store = fresh_embedded(folder)
    try:
        ingest(store, [SAMPLE_DIR])
        return project(store)
    finally:
        store.close()


def stored_graph(folder: Path) -> nx.MultiDiGraph:
    """The projection of an existing embedded store, opened read-only."""
    store = EmbeddedStore(folder, read_only=True)
    try:
        return project(store)
    finally:
        store.close()


def main(argv: Sequence[str] | None = None) -> None:
    """Compare each chosen analysis on the sample and, with ``--store``, on that store."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main", help="git revision to compare against")
    parser.add_argument("--analysis", nargs="+", choices=sorted(ANALYSES), default=["overlaps"])
    parser.add_argument("--store", type=Path, help="an existing embedded store (read-only)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--markdown", type=Path, nargs="*", default=[], help="report.md files to render as HTML"
    )
    args = parser.parse_args(argv)
    for path in args.markdown:
        text = path.read_text(encoding="utf-8")
        print(f"{path}: {len(text):,} characters, {text.count(chr(10)):,} lines")
        compare_html(text, args.repeat)
    with tempfile.TemporaryDirectory() as work:
        graphs = {"sample data": lambda: sample_graph(Path(work) / "sample")}
        if args.store:
            graphs[str(args.store)] = lambda: stored_graph(args.store)
        for label, build in graphs.items():
            graph = build()
            print(f"{label}: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges")
            for name in args.analysis:
                module, function = ANALYSES[name]
                base = getattr(at_revision(module, args.base), function)
                here = getattr(importlib.import_module(module), function)
                print(f"  {name} (base {args.base})")
                compare(graph, base, here, args.repeat)
            del graph


if __name__ == "__main__":
    main()
