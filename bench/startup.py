"""Benchmark of the first answer: command start-up, and the first analysis after an ingest.

Prints, measured side by side in one run:

* start-up of ``skillgraph ingest --help``, ``skillgraph stats`` (the sample data's store)
  and ``skillgraph ingest`` of a small file, against ``python -c pass`` and
  ``python -c 'import typer'``: median of 5 runs, wall and CPU seconds (on a loaded
  machine the CPU seconds are the better estimate of an idle machine's wall seconds);
* the first analysis call after a command-line ``skillgraph ingest`` of synthetic data
  (``bench/synthetic.py``, seed 0) into a new store, made by a new server process
  (the app under Starlette's test client), for each ``--analyses`` choice of the ingest:
  ``skip`` (the first reader computes), ``wait`` (the ingest keeps the results before it
  exits), ``background`` asked at once after the ingest returns, and asked again once the
  background process has finished; against the same analysis computed in this process
  (projection and analysis). Every answer is checked equal to the in-process one and
  tagged with the new revision;
* with ``--base DIR`` (a checkout of another revision, e.g. ``git worktree add``), the
  three commands of that checkout and of this tree, run alternately, CPU seconds.

    .venv/bin/python -m bench.startup --offers 20000 --members 500 --projects 300
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from api.cache import process_runs
from bench.ingest import SAMPLE_DIR, SKILLGRAPH
from bench.synthetic import write_dataset

#: Seconds allowed (issue targets): command start-up, and the first analysis after an ingest.
STARTUP_TARGET = 0.8
FIRST_ANALYSIS_TARGET = 3.0
RUNS = 5
SMALL_FILE = Path(__file__).resolve().parents[1] / "tests" / "data" / "tiny" / "members.csv"
_PID = re.compile(r"\(process (\d+)\)")


def run(args: Sequence[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system) and stderr of one command in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(list(args), env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr.strip()[-800:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stderr


def median_of(args: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Median wall and CPU seconds of :data:`RUNS` runs."""
    runs = [run(args, env)[:2] for _ in range(RUNS)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def measure_startup(work: Path) -> None:
    """Start-up of the three commands beside the two references, in one run."""
    store = work / "sample-store"
    env = {**os.environ, "SKILLGRAPH_DATA_DIR": str(store), "SKILLGRAPH_STORE": "embedded",
           "SKILLGRAPH_ANALYSES_AFTER_INGEST": "skip"}  # fmt: skip
    run([str(SKILLGRAPH), "ingest", str(SAMPLE_DIR)], env)
    python = sys.executable
    rows = [
        ("python -c pass", [python, "-c", "pass"]),
        ("python -c 'import typer'", [python, "-c", "import typer"]),
        ("skillgraph ingest --help", [str(SKILLGRAPH), "ingest", "--help"]),
        ("skillgraph stats", [str(SKILLGRAPH), "stats"]),
        ("skillgraph ingest (small file)", [str(SKILLGRAPH), "ingest", str(SMALL_FILE)]),
    ]
    figures = {name: median_of(args, env) for name, args in rows}
    bare, typer = figures["python -c pass"], figures["python -c 'import typer'"]
    print(f"start-up, median of {RUNS} runs (load average {os.getloadavg()[0]:.1f}):")
    print(f"  {'command':<32} {'wall s':>7} {'cpu s':>6} | {'x pass':>7} {'x typer':>8} | target")
    for name, (wall, cpu) in figures.items():
        verdict = ""
        if name.startswith("skillgraph"):
            met = "met" if cpu <= STARTUP_TARGET else "MISSED"
            verdict = f"<= {STARTUP_TARGET} s: {met} by CPU, wall {wall / cpu:.1f}x CPU"
        print(f"  {name:<32} {wall:>7.2f} {cpu:>6.2f} | {wall / bare[0]:>6.1f}x "
              f"{wall / typer[0]:>7.1f}x | {verdict}")  # fmt: skip


def measure_against(work: Path, base: Path) -> None:
    """The three commands of this tree against those of another checkout (``base``), run
    alternately by the same interpreter (the other's code first on the path), CPU seconds."""
    store = work / "versus-store"
    env = {**os.environ, "SKILLGRAPH_DATA_DIR": str(store), "SKILLGRAPH_STORE": "embedded",
           "SKILLGRAPH_ANALYSES_AFTER_INGEST": "skip"}  # fmt: skip
    run([str(SKILLGRAPH), "ingest", str(SAMPLE_DIR)], env)
    command = "import sys; sys.argv[0] = 'skillgraph'; from api.cli import app; app()"
    trees = {"base": {**env, "PYTHONPATH": str(base)}, "this tree": env}
    print(f"start-up against {base}, CPU s, median of {RUNS} alternate runs:")
    for args in (["ingest", "--help"], ["stats"], ["ingest", str(SMALL_FILE)]):
        cpu: dict[str, list[float]] = {name: [] for name in trees}
        for _ in range(RUNS):
            for name, tree_env in trees.items():
                cpu[name].append(run([sys.executable, "-c", command, *args], tree_env)[1])
        before, after = (statistics.median(cpu[name]) for name in trees)
        label = " ".join(Path(a).name if "/" in a else a for a in args)
        print(f"  {label:<26} base {before:5.2f} | this tree {after:5.2f} | {before / after:5.2f}x")


def in_process(store_dir: Path, analysis: str) -> tuple[dict[str, Any], float, float]:
    """The analysis as the first reader computes it: its JSON, projection and analysis seconds."""
    from api.analyses import duplicates_of, fragmentation_of, gaps_of, overlaps_of
    from api.cache import RevisionCache
    from graph.embedded import EmbeddedStore

    analyses: dict[str, Callable[[RevisionCache], Any]] = {
        "duplicates": duplicates_of, "gaps": gaps_of, "fragmentation": fragmentation_of,
        "overlaps": overlaps_of,
    }  # fmt: skip
    of = analyses[analysis]
    store = EmbeddedStore(store_dir, read_only=True)
    try:
        cache = RevisionCache(store)  # in memory only: nothing kept is read
        started = time.perf_counter()
        cache.graph()
        projected = time.perf_counter()
        report = of(cache)
        done = time.perf_counter()
    finally:
        store.close()
    return json.loads(report.model_dump_json()), projected - started, done - projected


def first_call(analysis: str) -> None:
    """In a new process: start the app on the configured store and ask for one analysis."""
    started = time.perf_counter()
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import get_settings

    with TestClient(create_app(get_settings())) as client:
        ready = time.perf_counter()
        response = client.get(f"/analysis/{analysis}")
        answered = time.perf_counter()
    print(json.dumps({"startup": ready - started, "call": answered - ready,
                      "status": response.status_code, "etag": response.headers.get("etag"),
                      "body": response.json()}))  # fmt: skip


def ask(env: dict[str, str], analysis: str) -> dict[str, Any]:
    """Run :func:`first_call` in a new process; its figures, with the wall seconds overall."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bench.startup", "--first-call", analysis],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"the first call failed: {done.stderr.strip()[-800:]}")
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    answer["wall"] = time.perf_counter() - started
    return answer


def wait_for(pid: int) -> float:
    """Seconds until process ``pid`` (the background analyses) has ended."""
    started = time.perf_counter()
    while process_runs(pid):
        time.sleep(0.1)
    return time.perf_counter() - started


def measure_first_analysis(work: Path, args: argparse.Namespace) -> None:
    """The first analysis call after a command-line ingest, per ``--analyses`` choice."""
    paths = write_dataset(work / "data", offers=args.offers, members=args.members,
                          projects=args.projects, seed=0).values()  # fmt: skip
    rows: list[tuple[str, float, dict[str, Any]]] = []
    reference: dict[str, Any] | None = None
    seconds = (0.0, 0.0)
    for choice in ("skip", "wait", "background"):
        store = work / f"store-{choice}"
        shutil.rmtree(store, ignore_errors=True)
        env = {**os.environ, "SKILLGRAPH_DATA_DIR": str(store), "SKILLGRAPH_STORE": "embedded"}
        ingest_wall, _, stderr = run(
            [str(SKILLGRAPH), "ingest", "--analyses", choice, *map(str, paths)], env
        )
        rows.append((f"ingest --analyses {choice}", ingest_wall, ask(env, args.analysis)))
        if choice == "background":
            found = _PID.search(stderr)
            if found is None:
                raise SystemExit(f"the ingest started no background analyses: {stderr}")
            waited = wait_for(int(found.group(1)))
            print(f"  (background analyses ended {waited:.1f} s after the first answer)")
            rows.append(("  ... asked again after they ended", 0.0, ask(env, args.analysis)))
        if reference is None:
            stats = [str(SKILLGRAPH), "stats", "--json"]
            shown = subprocess.run(stats, env=env, capture_output=True, text=True, check=True)
            revision = json.loads(shown.stdout)["revision"]
            reference, *timing = in_process(store, args.analysis)
            seconds = (timing[0], timing[1])
    computed = sum(seconds)
    print(f"first /analysis/{args.analysis} after a command-line ingest, new server process "
          f"(load average {os.getloadavg()[0]:.1f}):")  # fmt: skip
    print(f"  computed in this process: projection {seconds[0]:.2f} s + analysis "
          f"{seconds[1]:.2f} s = {computed:.2f} s (the reference)")  # fmt: skip
    print(f"  {'ingest':<36} {'ingest s':>8} | {'start s':>7} {'call s':>7} {'x ref':>6} | "
          f"same answer, revision | target {FIRST_ANALYSIS_TARGET:g} s")  # fmt: skip
    for name, ingest_wall, answer in rows:
        same = answer["body"] == reference and answer["etag"] == f'W/"r{revision}"'
        met = "met" if answer["call"] <= FIRST_ANALYSIS_TARGET else "MISSED"
        ingest_text = f"{ingest_wall:>8.2f}" if ingest_wall else f"{'':>8}"
        print(f"  {name:<36} {ingest_text} | {answer['startup']:>7.2f} {answer['call']:>7.2f} "
              f"{answer['call'] / computed:>5.2f}x | {same!s:<21} | {met}")  # fmt: skip


def main() -> None:
    """Run the benchmark (or, with ``--first-call``, one first call in this process)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=20_000)
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--projects", type=int, default=300)
    parser.add_argument("--analysis", default="duplicates",
                        choices=["duplicates", "gaps", "fragmentation", "overlaps"])  # fmt: skip
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--skip-first-analysis", action="store_true")
    parser.add_argument("--base", type=Path, help="a checkout to compare start-up against")
    parser.add_argument("--first-call", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first_call:
        first_call(args.first_call)
        return
    with tempfile.TemporaryDirectory(prefix="skillgraph-startup-") as folder:
        if not args.skip_startup:
            measure_startup(Path(folder))
        if args.base:
            measure_against(Path(folder), args.base)
        if not args.skip_first_analysis:
            measure_first_analysis(Path(folder), args)


if __name__ == "__main__":
    main()
