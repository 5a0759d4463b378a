"""Load benchmark of the HTTP API on a synthetic graph, from a second process on loopback.

Builds an embedded store from a synthetic dataset (20,000 offers by default; or reuses
``--store DIR``), starts ``skillgraph serve`` on 127.0.0.1 in a subprocess with
``SKILLGRAPH_DATA_DIR`` set to it, waits for ``/health``, and then, from this process:

1. times the first (uncached) call of each ``/analysis/*`` endpoint and of
   ``/organisations/{id}/partners`` (the first of them also builds the graph projection),
   and a second (cached) call of each;
2. measures the unloaded latency with one client for a few seconds (the service time);
3. runs ``--clients`` concurrent clients (closed loop: each sends its next request when the
   previous answered) for ``--seconds``, with ``--tool wrk`` (the default where wrk is
   installed: a C load generator that leaves the CPU to the server) one run per group and
   ``--rounds`` rounds of the groups in turn: entity lookups, filtered list pages (every
   list route, with country, competence, member, level, mode, date, group and text filters
   and pages further on), the same list pages with the response cache bypassed (each page
   made by its route), and cached analysis endpoints; with ``--tool httpx`` (async httpx in
   this process) a mix of all of them. It prints count, errors, p50/p95/p99, requests/s, the
   CPU used by the server during the load, and the lists' p95 beside the entity lookups' p95
   of the same run with their ratio.

With ``--backend neo4j`` the same graph is copied into Neo4j (``graph.transfer``) and the API
serves it from there: the server ``NEO4J_URI`` names (its database is emptied), or a throw-away
one started from the jars ``make neo4j`` resolved.

The server is always stopped at the end. Only 127.0.0.1 is ever contacted.

    .venv/bin/python -m bench.api_load --offers 20000 --clients 50 --seconds 20 --rounds 3
    .venv/bin/python -m bench.api_load --offers 20000 --clients 50 --seconds 30 --backend neo4j
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import math
import os
import random
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from bench.ingest import SKILLGRAPH, build_synthetic_store, peak_rss_mb

HOST = "127.0.0.1"
#: Requirements: p95 of each group under this many milliseconds, with zero errors.
TARGET_P95_MS = {"entity": 50.0, "list": 50.0, "analysis": 100.0}
ANALYSES = ("duplicates", "overlaps", "gaps", "fragmentation", "priorities")
#: Members whose partner recommendations are warmed and then requested under load.
PARTNER_MEMBERS = 20
#: Shares of entity lookups and of filtered list pages in the mix (the rest are cached
#: analysis endpoints).
ENTITY_SHARE = 0.42
LIST_SHARE = 0.18
#: Bounds of every wait, so that nothing here runs on forever.
STARTUP_TIMEOUT = 120.0
REQUEST_TIMEOUT = 60.0
MAX_SECONDS = 600.0


@dataclass
class Sample:
    """One request under load."""

    group: str
    endpoint: str
    seconds: float
    ok: bool
    size: int


@dataclass
class Targets:
    """The ids and filters the load draws its requests from."""

    organisations: list[str]
    members: list[str]
    offers: list[str]
    projects: list[str]
    competences: list[str]
    #: Words of offer titles (text searches) and competence groups (list filters).
    words: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=lambda: ["DE", "FR", "IT", "PL", "ES", "CZ"])
    #: The analysis endpoints in the mix (``partners`` stands for the member partner lists).
    analyses: list[str] = field(default_factory=lambda: [*ANALYSES, "partners"])


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start_server(
    store_dir: Path,
    port: int,
    log: Path,
    neo4j: dict[str, str] | None = None,
    store_lists: bool = False,
) -> subprocess.Popen[bytes]:
    """``skillgraph serve`` on 127.0.0.1:port over the embedded store in ``store_dir``.

    With ``neo4j`` (``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``) it serves that server;
    with ``store_lists`` its list pages are answered by the store's queries (no list index).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SKILLGRAPH_", "NEO4J_"))}
    env.update(SKILLGRAPH_STORE="embedded", SKILLGRAPH_DATA_DIR=str(store_dir))
    if store_lists:
        env.update(SKILLGRAPH_LIST_INDEX_ENTITIES="0")
    if neo4j is not None:
        env.update(SKILLGRAPH_STORE="neo4j", **neo4j)
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(SKILLGRAPH), "serve", "--host", HOST, "--port", str(port)],
            env=env,
            cwd=store_dir.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Stop the server (SIGTERM, then SIGKILL after 10 s)."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def wait_for_health(base: str, process: subprocess.Popen[bytes], log: Path) -> float:
    """Seconds until ``/health`` answers 200; raises if the server exits or takes too long."""
    started = time.perf_counter()
    with httpx.Client(base_url=base, timeout=5.0) as client:
        while time.perf_counter() - started < STARTUP_TIMEOUT:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited: {log.read_text()[-2000:]}")
            try:
                if client.get("/health").status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer /health within {STARTUP_TIMEOUT:.0f} s")


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (from ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_rss_mb(pid: int) -> float:
    """Peak resident memory of a process (``VmHWM``), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return 0.0


def ids(client: httpx.Client, path: str, pages: int = 1, **params: str) -> list[str]:
    """Ids from up to ``pages`` list pages of 1,000, spread over the whole list."""
    first = client.get(path, params={**params, "limit": 1000})
    first.raise_for_status()
    body = first.json()
    found = [row["id"] for row in body["data"]]
    total = int(body["count"])
    for offset in range(1000, total, max(1000, total // max(1, pages))):
        if len(found) >= pages * 1000:
            break
        page = client.get(path, params={**params, "limit": 1000, "offset": offset})
        page.raise_for_status()
        found.extend(row["id"] for row in page.json()["data"])
    return found


def organisation_ids(client: httpx.Client, data: Path | None) -> tuple[list[str], list[str]]:
    """All organisation ids and member ids: from the API, or from ``members.csv`` if it fails."""
    try:
        return ids(client, "/organisations"), ids(client, "/organisations", member="true")
    except httpx.HTTPStatusError as error:
        csv_file = data / "members.csv" if data else None
        if csv_file is None or not csv_file.exists():
            raise
        print(
            f"WARNING: {error.request.url.path} answered {error.response.status_code}; "
            f"organisation ids are taken from {csv_file}"
        )
        with csv_file.open(encoding="utf-8") as handle:
            members = [row["id"] for row in csv.DictReader(handle)]
        return members, members


def targets(base: str, data: Path | None) -> Targets:
    """The ids the load uses, read through the API (``data``: the dataset, as a fallback)."""
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:
        organisations, members = organisation_ids(client, data)
    # A new client: the server may have closed the connection after an error.
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:
        titles = client.get("/training-offers", params={"limit": 200}).json()["data"]
        competences = client.get("/competences", params={"limit": 1000}).json()["data"]
        return Targets(
            organisations=organisations,
            members=members[:PARTNER_MEMBERS],
            offers=ids(client, "/training-offers", pages=5),
            projects=ids(client, "/projects"),
            competences=ids(client, "/competences"),
            words=sorted({w.lower() for o in titles for w in o["title"].split() if len(w) > 3}),
            groups=sorted({c["group"] for c in competences if c.get("group")}),
        )


def first_calls(base: str, members: Sequence[str]) -> list[tuple[str, float, float, int]]:
    """(endpoint, first call s, second call s, bytes) of each analysis, in order."""
    paths = [f"/analysis/{name}" for name in ANALYSES]
    paths += [f"/organisations/{member}/partners" for member in members]
    rows = []
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:
        for path in paths:
            calls = []
            for _ in range(2):
                started = time.perf_counter()
                response = client.get(path)
                calls.append(time.perf_counter() - started)
                response.raise_for_status()
            rows.append((path, calls[0], calls[1], len(response.content)))
    return rows


def pick_list(rng: random.Random, t: Targets) -> tuple[str, str, dict[str, str]]:
    """(endpoint name, path, query parameters) of a filtered list page."""
    country, competence = rng.choice(t.countries), rng.choice(t.competences)
    roll = rng.random()
    if roll < 0.2:
        return (
            "/training-offers?country&competence",
            "/training-offers",
            {"country": country, "competence": competence},
        )
    if roll < 0.3:
        return (
            "/training-offers?competence&offset",
            "/training-offers",
            {"competence": competence, "offset": str(50 * rng.randrange(6))},
        )
    if roll < 0.4:
        return (
            "/training-offers?eqf_level&mode&offset",
            "/training-offers",
            {
                "eqf_level": str(rng.randint(2, 8)),
                "mode": rng.choice(["online", "blended"]),
                "offset": str(50 * rng.randrange(10)),
            },
        )
    if roll < 0.55:
        return "/training-offers?q", "/training-offers", {"q": rng.choice(t.words)}
    if roll < 0.65:
        return (
            "/organisations?country&member",
            "/organisations",
            {"country": country, "member": "true"},
        )
    if roll < 0.72:
        return "/organisations?competence", "/organisations", {"competence": competence}
    if roll < 0.8:
        return "/projects?competence", "/projects", {"competence": competence}
    if roll < 0.88:
        return (
            "/projects?country&active_on",
            "/projects",
            {"country": country, "active_on": f"202{rng.randrange(7)}-0{rng.randint(1, 9)}-15"},
        )
    if roll < 0.94:
        return "/competences?group", "/competences", {"group": rng.choice(t.groups)}
    return "/competences?q", "/competences", {"q": rng.choice(t.words)[:3]}  # fmt: skip


def pick(rng: random.Random, t: Targets) -> tuple[str, str, str, dict[str, str]]:
    """(group, endpoint name, path, query parameters) of the next request of the mix."""
    roll = rng.random()
    if roll < ENTITY_SHARE:
        roll = rng.random()
        if roll < 0.35:
            return (
                "entity",
                "/organisations/{id}",
                f"/organisations/{rng.choice(t.organisations)}",
                {},
            )
        if roll < 0.7:
            return "entity", "/training-offers/{id}", f"/training-offers/{rng.choice(t.offers)}", {}
        return "entity", "/projects/{id}", f"/projects/{rng.choice(t.projects)}", {}
    if roll < ENTITY_SHARE + LIST_SHARE:
        return ("list", *pick_list(rng, t))
    name = rng.choice(t.analyses)
    if name == "partners":
        member = rng.choice(t.members)
        return "analysis", "/organisations/{id}/partners", f"/organisations/{member}/partners", {}
    path = f"/analysis/{name}"
    return "analysis", path, path, {}


async def client_loop(
    client: httpx.AsyncClient, t: Targets, seed: int, deadline: float, out: list[Sample]
) -> None:
    """One closed-loop client: requests back to back until the deadline."""
    rng = random.Random(seed)
    while time.perf_counter() < deadline:
        group, endpoint, path, params = pick(rng, t)
        started = time.perf_counter()
        try:
            response = await client.get(path, params=params)
            ok, size = response.status_code == 200, len(response.content)
        except httpx.HTTPError:
            ok, size = False, 0
        out.append(Sample(group, endpoint, time.perf_counter() - started, ok, size))


async def load(base: str, t: Targets, clients: int, seconds: float) -> tuple[list[Sample], float]:
    """Run ``clients`` closed-loop clients for ``seconds``; the samples and the wall time."""
    samples: list[Sample] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT, limits=limits) as client:
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(
            *(client_loop(client, t, seed, deadline, samples) for seed in range(clients))
        )
        return samples, time.perf_counter() - started


WRK_SCRIPT = """
paths = {%s}
headers = {%s}
started = 0
counter = 0
setup = function(thread)
  thread:set("first", started * math.floor(#paths / 2))
  started = started + 1
end
init = function(args)
  counter = first or 0
end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%.3f %%.3f %%.3f\\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def wrk_paths(rng: random.Random, t: Targets, group: str, count: int = 20_000) -> list[str]:
    """Request paths of one group of the mix, drawn like the async client draws them."""
    paths: list[str] = []
    while len(paths) < count:
        chosen_group, _, path, params = pick(rng, t)
        if chosen_group == group:
            paths.append(path + ("?" + urlencode(params) if params else ""))
    return paths


def wrk_load(
    base: str,
    paths: Sequence[str],
    clients: int,
    seconds: float,
    folder: Path,
    headers: dict[str, str] | None = None,
) -> dict[str, float]:
    """One wrk run over ``paths`` (cycled, each of the two threads from its own half);
    requests, errors, seconds and p50/p95/p99 in ms."""
    script = folder / "paths.lua"
    # Lua long strings: header values may hold quotes.
    sent = ",".join(f"[ [[{name}]] ]=[[{value}]]" for name, value in (headers or {}).items())
    script.write_text(WRK_SCRIPT % (",".join(f'"{p}"' for p in paths), sent))
    threads = str(min(2, clients))
    command = ["wrk", "-t", threads, "-c", str(clients), "-d", f"{int(seconds)}s",
               "--timeout", "10s", "-s", str(script), base]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
    line = next(row for row in output.splitlines() if row.startswith("RESULT"))
    requests, errors, micros, p50, p95, p99 = line.split()[1:]
    return {"requests": float(requests), "errors": float(errors), "seconds": float(micros) / 1e6,
            "p50": float(p50), "p95": float(p95), "p99": float(p99)}  # fmt: skip


#: ``If-None-Match`` makes the response cache pass a request to the app (lists have no ETag,
#: so the route answers 200 with the page it made): the list run that measures the route.
COMPUTED = {"If-None-Match": '"bench-no-replay"'}


def run_wrk(base: str, t: Targets, args: argparse.Namespace, server_pid: int, folder: Path) -> bool:
    """The load with wrk, one run per group and round; prints the figures, returns whether a
    target missed (on the median p95 of the rounds)."""
    rng = random.Random(0)
    plan = [("entity", "entity", None), ("list", "list", None),
            ("list made", "list", COMPUTED), ("analysis", "analysis", None)]  # fmt: skip
    paths = {label: wrk_paths(rng, t, group) for label, group, _ in plan}
    print(
        f"\n{args.clients} concurrent connections (wrk, closed loop), {args.seconds:.0f} s per "
        f"group, {args.rounds} round(s) of the groups in turn; 'list made': the response cache "
        "bypassed, every page made by the route:"
    )
    print(f"  {'group':<10} {'paths':>6} {'seconds':>7} {'requests':>9} {'errors':>6} {'p50 ms':>7} "
          f"{'p95 ms':>7} {'p99 ms':>7} {'req/s':>7} {'server cores':>12}")  # fmt: skip
    p95: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, float] = defaultdict(float)
    for _ in range(args.rounds):
        for label, _, headers in plan:
            cpu = server_cpu_seconds(server_pid)
            result = wrk_load(base, paths[label], args.clients, args.seconds, folder, headers)
            cores = (server_cpu_seconds(server_pid) - cpu) / result["seconds"]
            p95[label].append(result["p95"])
            errors[label] += result["errors"]
            print(f"  {label:<10} {len(set(paths[label])):>6} {result['seconds']:>7.1f} "
                  f"{result['requests']:>9.0f} {result['errors']:>6.0f} {result['p50']:>7.1f} "
                  f"{result['p95']:>7.1f} {result['p99']:>7.1f} "
                  f"{result['requests'] / result['seconds']:>7.0f} {cores:>12.2f}")  # fmt: skip
    print(f"  load average after the load: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
    median = {label: statistics.median(values) for label, values in p95.items()}
    missed = False
    for label, group, _ in plan:
        target = TARGET_P95_MS[group]
        met = median[label] < target and errors[label] == 0
        missed = missed or not met
        print(f"  requirement {label}: median p95 {median[label]:.1f} ms < {target:.0f} ms with "
              f"zero errors: {'met' if met else 'MISSED'}")  # fmt: skip
    for label in ("list", "list made"):
        print(ratio_line(label, median[label], median["entity"]))
    print(f"  server peak RSS {server_rss_mb(server_pid):.0f} MB")
    return missed


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by the nearest-rank method."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def print_samples(samples: Sequence[Sample], wall: float, by_endpoint: bool = True) -> None:
    """Count, errors, p50/p95/p99 and requests/s per group (and per endpoint)."""
    groups: dict[str, list[Sample]] = defaultdict(list)
    endpoints: dict[str, dict[str, list[Sample]]] = defaultdict(lambda: defaultdict(list))
    for sample in samples:
        groups[sample.group].append(sample)
        endpoints[sample.group][sample.endpoint].append(sample)
    print(
        f"  {'group / endpoint':<40} {'count':>7} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'req/s':>7} {'KB':>6}"
    )
    for group in sorted(groups):
        rows = [(group, groups[group])]
        if by_endpoint:
            rows += [(f"  {name}", chosen) for name, chosen in sorted(endpoints[group].items())]
        for label, chosen in rows:
            ms = [s.seconds * 1000 for s in chosen]
            print(
                f"  {label:<40} {len(chosen):>7} {sum(not s.ok for s in chosen):>6} "
                f"{percentile(ms, 50):>7.1f} {percentile(ms, 95):>7.1f} {percentile(ms, 99):>7.1f} "
                f"{len(chosen) / wall:>7.1f} {statistics.mean(s.size for s in chosen) / 1024:>6.1f}"
            )
    total = len(samples)
    print(
        f"  all: {total} requests in {wall:.1f} s = {total / wall:.1f} req/s, "
        f"{sum(not s.ok for s in samples)} errors"
    )


def verdicts(samples: Sequence[Sample]) -> list[str]:
    """Whether each group met its p95 target with zero errors."""
    lines = []
    for group, target in TARGET_P95_MS.items():
        chosen = [s for s in samples if s.group == group]
        p95 = percentile([s.seconds * 1000 for s in chosen], 95)
        errors = sum(not s.ok for s in chosen)
        met = p95 < target and errors == 0 and chosen
        lines.append(
            f"  {group}: p95 {p95:.1f} ms (target < {target:.0f} ms), {errors} errors: "
            + ("met" if met else "MISSED")
        )
    return lines


def ratio_line(label: str, lists_p95: float, lookups_p95: float) -> str:
    """Filtered lists' p95 beside the entity lookups' p95 of the same run, and their ratio."""
    return (
        f"  {label} p95 {lists_p95:.1f} ms beside entity lookups p95 {lookups_p95:.1f} ms "
        f"in the same run: {lists_p95 / lookups_p95:.2f}x"
    )


async def inside(store_dir: Path, t: Targets, reps: int) -> None:
    """Where the time of one request goes, measured inside one process (no HTTP, no load).

    The app is served in this process through ``httpx.ASGITransport``; for each endpoint, the
    median of ``reps`` sequential requests through the app is set against the median of the
    query function it calls (or, for a cached analysis, the cache lookup, which reads the
    store's revision), and against ``model_dump_json`` of the cached result. The rest is
    FastAPI: routing, validating the result against the response model, serialising it.
    """
    from api.app import create_app
    from api.routes import analysis
    from api.settings import Settings
    from graph.schema import NodeKind
    from queries.entities import get_entity, list_entities

    settings = Settings(store="embedded", data_dir=store_dir, read_key=None, api_key=None)  # type: ignore[call-arg]
    app = create_app(settings)
    rng = random.Random(1)
    async with app.router.lifespan_context(app):
        store, cache = app.state.store, app.state.cache
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://in-process", timeout=REQUEST_TIMEOUT
        ) as client:
            started = time.perf_counter()
            for name in ANALYSES:
                (await client.get(f"/analysis/{name}")).raise_for_status()
            print(f"  (analyses computed in-process first: {time.perf_counter() - started:.1f} s)")

            def query(name: str) -> tuple[str, object]:
                """A path and the function the route calls for it ("list store": the store's
                queries that answer the same page where a kind is too large for an index)."""
                if name == "org":
                    i = rng.choice(t.organisations)
                    return f"/organisations/{i}", lambda: get_entity(
                        cache.graph(), NodeKind.ORGANISATION, i
                    )
                if name == "offer":
                    i = rng.choice(t.offers)
                    return f"/training-offers/{i}", lambda: get_entity(
                        cache.graph(), NodeKind.TRAINING_OFFER, i
                    )
                if name == "project":
                    i = rng.choice(t.projects)
                    return f"/projects/{i}", lambda: get_entity(cache.graph(), NodeKind.PROJECT, i)
                filters = {
                    "country": rng.choice(t.countries),
                    "competence": rng.choice(t.competences),
                }
                key = ("list-index", NodeKind.TRAINING_OFFER, cache.revision())
                page = (
                    (lambda **kw: cache.peek(key).page(**kw))
                    if name == "list"
                    else (lambda **kw: list_entities(store, NodeKind.TRAINING_OFFER, **kw))
                )
                return (f"/training-offers?{urlencode(filters)}",
                        lambda: page(limit=50, offset=0, filters=filters))  # fmt: skip

            cached: dict[str, Callable[[], object]] = {
                "duplicates": lambda: analysis.duplicates_of(cache),
                "overlaps": lambda: analysis.overlaps_of(cache),
                "gaps": lambda: analysis.gaps_of(cache),
                "fragmentation": lambda: analysis.fragmentation_of(cache),
                "priorities": lambda: analysis.priorities_of(cache, store),
            }
            print(
                f"  {'endpoint':<40} {'app ms':>8} {'query ms':>9} {'rest ms':>8} "
                f"{'dump_json ms':>12} {'KB':>8} HTTP status"
            )
            for name in ("org", "offer", "project", "list", "list store", *ANALYSES):
                app_ms, query_ms, dump_ms, size = [], [], [], 0
                statuses: set[int] = set()
                label = ""
                for _ in range(reps):
                    if name in cached:
                        path = label = f"/analysis/{name}"
                        function = cached[name]
                    else:
                        path, function = query(name)  # type: ignore[assignment]
                        label = (
                            path.rsplit("/", 1)[0] + "/{id}"
                            if not name.startswith("list")
                            else f"/training-offers?country&competence ({name})"
                        )
                    started = time.perf_counter()
                    response = await client.get(path)
                    app_ms.append((time.perf_counter() - started) * 1000)
                    statuses.add(response.status_code)
                    size = len(response.content)
                    started = time.perf_counter()
                    value = function()  # type: ignore[operator]
                    query_ms.append((time.perf_counter() - started) * 1000)
                    if hasattr(value, "model_dump_json"):
                        started = time.perf_counter()
                        value.model_dump_json()
                        dump_ms.append((time.perf_counter() - started) * 1000)
                app_median, query_median = statistics.median(app_ms), statistics.median(query_ms)
                dump = f"{statistics.median(dump_ms):>12.1f}" if dump_ms else f"{'-':>12}"
                print(
                    f"  {label:<40} {app_median:>8.1f} {query_median:>9.1f} "
                    f"{app_median - query_median:>8.1f} {dump} {size / 1024:>8.1f} {sorted(statuses)}"
                )
            started = time.perf_counter()
            for _ in range(reps):
                store.revision()
            print(
                f"  store.revision() (read by every cached call): "
                f"{(time.perf_counter() - started) / reps * 1000:.2f} ms"
            )


def run_httpx(base: str, t: Targets, args: argparse.Namespace, server_pid: int) -> bool:
    """The load with async httpx clients in this process; returns whether a target missed."""
    cpu_server = server_cpu_seconds(server_pid)
    cpu_client = time.process_time()
    samples, wall = asyncio.run(load(base, t, args.clients, args.seconds))
    cpu_server = server_cpu_seconds(server_pid) - cpu_server
    cpu_client = time.process_time() - cpu_client
    print(f"\n{args.clients} concurrent clients for {args.seconds:.0f} s (closed loop):")
    print_samples(samples, wall)
    print(
        f"  CPU during the load ({os.cpu_count()} CPUs): server {cpu_server / wall:.2f} "
        f"cores, this client {cpu_client / wall:.2f} cores"
    )
    print(f"  server peak RSS {server_rss_mb(server_pid):.0f} MB")
    p95 = {group: percentile([s.seconds * 1000 for s in samples if s.group == group], 95)
           for group in ("entity", "list")}  # fmt: skip
    print(ratio_line("list", p95["list"], p95["entity"]))
    print("requirements:")
    missed = False
    for line in verdicts(samples):
        print(line)
        missed = missed or line.endswith("MISSED")
    return missed


def copy_to_neo4j(store_dir: Path) -> tuple[dict[str, str], Any]:
    """Copy the embedded store into Neo4j; the variables to reach it and the server started."""
    from graph.embedded import EmbeddedStore
    from graph.neo4j_store import Neo4jStore
    from graph.transfer import dump_graph, load_graph

    server = None
    if os.environ.get("NEO4J_URI"):
        env = {k: v for k, v in os.environ.items() if k.startswith("NEO4J_")}
    else:
        from tests.neo4j_server import start_server as start_neo4j

        began = time.perf_counter()
        server = start_neo4j(heap="2g")
        env = server.env
        print(f"Neo4j started in {time.perf_counter() - began:.1f} s at {server.uri}")
    target = Neo4jStore(env["NEO4J_URI"], env.get("NEO4J_USER", "neo4j"),
                        env.get("NEO4J_PASSWORD", ""), env.get("NEO4J_DATABASE", "neo4j"))  # fmt: skip
    source = EmbeddedStore(store_dir)
    try:
        target.ensure_schema()
        with target.transaction() as tx:
            tx.run("MATCH (n) DETACH DELETE n")
        began = time.perf_counter()
        written = load_graph(target, dump_graph(source), origin=str(store_dir))
        print(f"copied {written['nodes']} nodes and {written['relationships']} relationships "
              f"into Neo4j in {time.perf_counter() - began:.1f} s")  # fmt: skip
    finally:
        source.close()
        target.close()
    return env, server


def run(args: argparse.Namespace, root: Path) -> None:
    """Build or reuse the store, serve it, measure, and always stop the server."""
    if args.store:
        store_dir = Path(args.store)
        print(f"store: {store_dir} (reused)")
    else:
        store_dir = root / "graph"
        started = time.perf_counter()
        _, report = build_synthetic_store(
            root / "data",
            store_dir,
            offers=args.offers,
            members=args.members,
            projects=args.projects,
        )
        print(
            f"store: {args.offers} offers, {args.members} members, {args.projects} projects, "
            f"ingested in {time.perf_counter() - started:.1f} s (exit code {report.exit_code})"
        )
    neo4j_env, neo4j_server = (copy_to_neo4j(store_dir) if args.backend == "neo4j"
                                else (None, None))  # fmt: skip
    port = free_port()
    base = f"http://{HOST}:{port}"
    log = root / "server.log"
    server = start_server(store_dir, port, log, neo4j_env, store_lists=args.store_lists)
    missed = False
    try:
        print(f"server: pid {server.pid}, {base}, up in {wait_for_health(base, server, log):.1f} s")
        t = targets(base, store_dir.parent / "data")
        t.analyses = [a for a in t.analyses if a not in args.skip]
        print(
            f"targets: {len(t.organisations)} organisations, {len(t.offers)} offers, "
            f"{len(t.projects)} projects, {len(t.competences)} competences, "
            f"partners of {len(t.members)} members"
        )

        rows = first_calls(base, t.members)
        print("\nfirst (uncached) and second (cached) call of each analysis endpoint, in order;")
        print("the first one also builds the graph projection:")
        print(f"  {'endpoint':<40} {'first s':>8} {'second ms':>9} {'KB':>7}")
        for path, first, second, size in rows[: len(ANALYSES) + 1]:
            print(f"  {path:<40} {first:>8.2f} {second * 1000:>9.1f} {size / 1024:>7.1f}")
        partner_firsts = [first for _, first, _, _ in rows[len(ANALYSES) :]]
        print(
            f"  partners of {len(partner_firsts)} members, first call: median "
            f"{statistics.median(partner_firsts):.2f} s, slowest {max(partner_firsts):.2f} s"
        )

        quiet, quiet_wall = asyncio.run(load(base, t, 1, args.quiet_seconds))
        print(f"\none client for {args.quiet_seconds:.0f} s (service time, no queueing):")
        print_samples(quiet, quiet_wall)

        if args.tool == "wrk":
            missed = run_wrk(base, t, args, server.pid, root)
        else:
            missed = run_httpx(base, t, args, server.pid)
    except Exception:
        print(f"server log (last lines):\n{log.read_text(errors='replace')[-3000:]}")
        raise
    finally:
        stop_server(server)
        print(f"server stopped (exit code {server.returncode})")
        if neo4j_server is not None:
            neo4j_server.close()
    profile = args.profile == "always" or (args.profile == "missed" and missed)
    if args.backend == "embedded" and profile:
        print(f"\nwhere the time goes, inside one process, {args.profile_reps} requests each:")
        asyncio.run(inside(store_dir, t, args.profile_reps))


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=20000)
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--projects", type=int, default=300)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--rounds", type=int, default=1, help="wrk: run the groups in turn this many times"
    )
    parser.add_argument(
        "--quiet-seconds", type=float, default=5.0, help="one-client run before the load"
    )
    parser.add_argument("--store", help="reuse this embedded store instead of building one")
    parser.add_argument(
        "--store-lists",
        action="store_true",
        help="the reference: list pages answered by the store's queries, without the list index",
    )
    parser.add_argument("--backend", choices=["embedded", "neo4j"], default="embedded",
                        help="the store the API serves (neo4j: a copy of the embedded one)")  # fmt: skip
    parser.add_argument(
        "--tool",
        choices=["wrk", "httpx"],
        default="wrk" if shutil.which("wrk") else "httpx",
        help="load generator: wrk (default where installed) or async httpx in this process",
    )
    parser.add_argument(
        "--profile",
        choices=["missed", "always", "never"],
        default="missed",
        help="time the parts of a request in-process after the load (default: if a target missed)",
    )
    parser.add_argument("--profile-reps", type=int, default=20)
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=[*ANALYSES, "partners"],
        help="leave this analysis out of the load mix (repeatable)",
    )
    args = parser.parse_args()
    if not 0 < args.seconds <= MAX_SECONDS or not 0 < args.quiet_seconds <= MAX_SECONDS:
        parser.error(f"--seconds and --quiet-seconds must be in (0, {MAX_SECONDS:.0f}]")
    with tempfile.TemporaryDirectory(prefix="skillgraph-bench-api-") as tmp:
        run(args, Path(tmp))
    print(f"peak RSS of this process: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
