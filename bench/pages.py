"""Server time of each web page on the 20,000-offer synthetic graph.

Builds an embedded store from the synthetic dataset (or reuses ``--store DIR``), serves the
app in this process (``TestClient``: no network), opens every page once (the first call
computes the projection and the analyses, as after an ingest), then requests each page
``--repeat`` times in two ways, side by side:

- **rendered**: the page is made by its route from the per-revision cache of the analyses
  (``If-None-Match`` is sent, which the response cache lets through to the app);
- **replayed**: the response cache answers with the bytes it kept for this revision.

``first`` is the very first call of a page (for the home page it computes every analysis
the page shows); ``fp95`` the p95 of the first visits of ``--entities`` different entities
(for an organisation, its partner recommendations are computed then).

Pages about one entity are requested for ``--entities`` different entities, each once per
round, so that their own per-entity work (an organisation's partners, a gap's details) is
measured too. It prints p50 and p95 in milliseconds, and whether p95 meets the target.

    .venv/bin/python -m bench.pages --offers 20000 --repeat 20
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient

from api.app import create_app
from api.routes.analysis import gaps_of
from api.settings import Settings
from bench.ingest import build_synthetic_store
from graph.schema import NodeKind

#: p95 server time each page should stay under, in milliseconds.
TARGET_P95_MS = 100.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _pages(client: TestClient, entities: int) -> dict[str, Callable[[int], str]]:
    """Each page by name, as a function of the round number (entity pages rotate)."""
    cache = client.app.state.cache  # type: ignore[attr-defined]
    graph = cache.graph()
    members = sorted(k[1] for k, d in graph.nodes(data=True)
                     if k[0] is NodeKind.ORGANISATION and d.get("member"))[:entities]  # fmt: skip
    offers = sorted(k[1] for k in graph if k[0] is NodeKind.TRAINING_OFFER)[:entities]
    cells = [(g.competence, g.country) for g in gaps_of(cache).gaps[:entities]]
    pages: dict[str, Callable[[int], str]] = {
        "home /": lambda n: "/",
        "search": lambda n: (
            f"/app/search?q={['battery', 'digital', 'hydrogen', 'software'][n % 4]}"
        ),
        "organisations list": lambda n: f"/app/organisations?offset={50 * (n % 5)}",
        "organisation page": lambda n: f"/app/organisations/{quote(members[n % len(members)])}",
        "training offer page": lambda n: f"/app/training-offers/{quote(offers[n % len(offers)])}",
        "duplicates": lambda n: "/app/duplicates",
        "gaps heat map": lambda n: "/app/gaps",
        "priorities": lambda n: "/app/priorities",
        "overlaps": lambda n: "/app/overlaps",
        "fragmentation": lambda n: "/app/fragmentation",
        "report": lambda n: "/app/report",
        "cypher console": lambda n: "/app/cypher?query=MATCH+(o:Organisation)+RETURN+o.id+LIMIT+50",
        "sign-in": lambda n: "/app/sign-in",
    }
    if cells:  # a graph without gaps has no gap page to open
        pages["gap cell"] = lambda n: "/app/gaps/{}/{}".format(*cells[n % len(cells)])
    return pages


def _time(client: TestClient, path: str, headers: dict[str, str]) -> float:
    started = time.perf_counter()
    response = client.get(path, headers=headers)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=20000)
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--projects", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--entities", type=int, default=20)
    parser.add_argument(
        "--store", help="reuse this embedded store (built there first if it does not exist)"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="skillgraph-bench-pages-"))
    try:
        store_dir = work / "graph"
        if not args.store or not Path(args.store).exists():
            started = time.perf_counter()
            build_synthetic_store(work / "data", store_dir, offers=args.offers,
                                  members=args.members, projects=args.projects)  # fmt: skip
            seconds = time.perf_counter() - started
            print(f"built the store ({args.offers:,} offers) in {seconds:.1f} s")
            if args.store:  # kept for the next run
                shutil.copytree(store_dir, args.store)
        else:
            shutil.copytree(args.store, store_dir)
        app = create_app(Settings(data_dir=store_dir, api_key="bench-key"))  # type: ignore[call-arg]
        with TestClient(app) as client:
            started = time.perf_counter()
            pages = _pages(client, args.entities)
            print(f"projection and search lists in {time.perf_counter() - started:.1f} s")
            print(f"{'page':22} {'first':>7} {'fp95':>7} {'rendered p50':>13} {'p95':>7} "
                  f"{'replayed p50':>13} {'p95':>7}  p95 < {TARGET_P95_MS:.0f} ms")  # fmt: skip
            for name, path_of in pages.items():
                # The first visit of each entity (or of the page) does its own work once.
                firsts = [_time(client, path_of(n), {"If-None-Match": "bench"})
                          for n in range(args.entities)]  # fmt: skip
                rendered = [_time(client, path_of(n), {"If-None-Match": "bench"})
                            for n in range(args.repeat)]  # fmt: skip
                for n in range(args.repeat):
                    _time(client, path_of(n), {})  # fill the response cache
                replayed = [_time(client, path_of(n), {}) for n in range(args.repeat)]
                p95 = _percentile(rendered, 0.95)
                print(f"{name:22} {firsts[0]:7.0f} {_percentile(firsts, 0.95):7.0f} "
                      f"{statistics.median(rendered):13.1f} {p95:7.1f} "
                      f"{statistics.median(replayed):13.1f} {_percentile(replayed, 0.95):7.1f}  "
                      f"{'yes' if p95 < TARGET_P95_MS else 'NO'}")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
