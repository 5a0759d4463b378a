"""Benchmark of the views: server build time and time to interactive in headless Chromium.

Builds a synthetic store (``--offers`` training offers, 2,000 by default, so that the
ecosystem view has more nodes than its budget), serves it with uvicorn on 127.0.0.1 in a
thread, and for each view URL prints, side by side:

- the first (uncached) response time of the page: projection, analysis, layout and HTML;
- the second (cached) response time;
- in Chromium (``/usr/bin/chromium``, never downloaded), over ``--repeat`` loads: the time
  from navigation start to the first drawing of the network (the page's ``readyAt``), and the
  time from a click on a node to its neighbourhood being highlighted;
- the number of nodes and edges drawn, and every host the page contacted.

Then the layout alone (:func:`viz.layout.spring_positions`) for 500, 1,000 and 1,500 nodes.

    .venv/bin/python -m bench.viz --offers 2000 --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx
import networkx as nx
import uvicorn

from api.app import create_app
from api.settings import Settings
from bench.ingest import build_synthetic_store
from viz.layout import spring_positions

if TYPE_CHECKING:
    from playwright.sync_api import Request

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
CLICK = """() => {
  const net = window.network, ids = window.skillgraph.nodeView.getIds();
  ids.sort((a, b) => net.getConnectedNodes(b).length - net.getConnectedNodes(a).length);
  const t0 = performance.now();
  net.selectNodes([ids[0]]);
  net.body.emitter.emit('click', {nodes: [ids[0]], edges: []});
  return new Promise(done => requestAnimationFrame(() => done(performance.now() - t0)));
}"""


def _serve(store_dir: Path, port: int) -> tuple[uvicorn.Server, threading.Thread]:
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(data_dir=store_dir)),
                                           host="127.0.0.1", port=port, log_level="warning"))  # fmt: skip
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread


def _note_host(hosts: set[str], request: Request) -> None:
    """Note the host a page's request went to."""
    hosts.add(urlsplit(request.url).netloc)


def _browser_runs(base: str, paths: list[str], repeat: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        print(f"\n{'view':44} {'nodes':>6} {'edges':>6} {'ready ms (median/max)':>22} "
              f"{'click ms':>9}  hosts")  # fmt: skip
        for path in paths:
            ready: list[float] = []
            clicks: list[float] = []
            hosts: set[str] = set()
            nodes = edges = 0
            for _ in range(repeat):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.on("request", partial(_note_host, hosts))
                page.goto(base + path)
                page.wait_for_function(
                    "window.skillgraph && window.skillgraph.ready", timeout=60_000
                )
                ready.append(page.evaluate("window.skillgraph.readyAt"))
                clicks.append(page.evaluate(CLICK))
                nodes, edges = page.evaluate("[window.nodes.length, window.edges.length]")
                page.close()
            print(f"{path:44} {nodes:6} {edges:6} {statistics.median(ready):11.0f} /{max(ready):7.0f}  "
                  f"{statistics.median(clicks):9.0f}  {', '.join(sorted(hosts))}")  # fmt: skip
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--offers", type=int, default=2000)
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="skillgraph-bench-viz-") as tmp:
        started = time.perf_counter()
        build_synthetic_store(Path(tmp) / "data", Path(tmp) / "graph", offers=args.offers,
                              members=args.members, projects=args.projects)  # fmt: skip
        print(f"synthetic store: {args.offers} offers, {args.members} members, "
              f"{args.projects} projects, built in {time.perf_counter() - started:.1f} s")  # fmt: skip
        server, thread = _serve(Path(tmp) / "graph", args.port)
        base = f"http://127.0.0.1:{args.port}"
        try:
            member = httpx.get(f"{base}/organisations", params={"limit": 1}).json()["data"][0]["id"]
            competence = httpx.get(f"{base}/competences", params={"limit": 1}).json()["data"][0][
                "id"
            ]
            paths = ["/viz", "/viz?budget=500", f"/viz/organisations/{member}?depth=2",
                     "/viz/duplicates", f"/viz/competences/{competence}", "/viz/fragmentation"]  # fmt: skip
            print(f"\n{'view':44} {'first (uncached) s':>19} {'second (cached) s':>18}")
            for path in paths:
                t0 = time.perf_counter()
                httpx.get(base + path, timeout=300).raise_for_status()
                t1 = time.perf_counter()
                httpx.get(base + path, timeout=300).raise_for_status()
                t2 = time.perf_counter()
                print(f"{path:44} {t1 - t0:19.2f} {t2 - t1:18.3f}")
            _browser_runs(base, paths, args.repeat)
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    print(f"\n{'layout alone':44} {'seconds':>8}")
    for n in (500, 1000, 1500):
        g = nx.barabasi_albert_graph(n, 3, seed=1)
        t0 = time.perf_counter()
        spring_positions(n, list(g.edges()), seed=7)
        print(f"{f'{n} nodes, {g.number_of_edges()} edges':44} {time.perf_counter() - t0:8.2f}")


if __name__ == "__main__":
    main()
