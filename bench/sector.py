"""Benchmark at the size of the whole sector: ingest and first report, as a user runs them.

Writes a synthetic dataset (``bench/synthetic.py``, seeded) of each size asked for, then in new
processes, as a user would: ``skillgraph ingest`` into a new embedded store, the same node and
edge rows loaded by bare ``COPY ... FROM`` Arrow tables into another new store (the engine's
own floor, :func:`bench.ingest.bare_copy_in_child`), the first ``skillgraph report`` and a
second one (which reads the results kept beside the store). Each command's seconds and peak
resident memory (of the process and its children, sampled every half second) are printed
with the reference and the ratio; with two sizes, the growth
exponent of ingest and report between them (``log(t2 / t1) / log(offers2 / offers1)``).

A command whose resident memory passes ``--memory-limit-gb`` is stopped and reported as such,
so that a size the machine cannot hold ends the run with a figure instead of the machine's
out-of-memory killer.

    .venv/bin/python -m bench.sector                      # 100,000 and 1,000,000 offers
    .venv/bin/python -m bench.sector --sizes 100000:5000:3000
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from bench.ingest import SKILLGRAPH, bare_copy_in_child
from bench.synthetic import write_dataset

#: Offers, members and projects of each size: the issue's reference graph and the sector.
DEFAULT_SIZES = ("100000:5000:3000", "1000000:20000:30000")
#: Seconds between two looks at a command's resident memory.
POLL_SECONDS = 0.5


@dataclass
class Run:
    """One command: how long it took, its peak resident memory, whether it was stopped."""

    seconds: float
    peak_mb: float
    stopped: bool = False

    def __str__(self) -> str:
        state = " (stopped at the memory limit)" if self.stopped else ""
        return f"{self.seconds:8.1f} s, peak {self.peak_mb:8,.0f} MB{state}"


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (a command may start workers), in MB."""
    total_kb, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:  # the process has just ended
            continue
        total_kb += next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")),
            0,
        )
        pending.extend(int(child) for child in children)
    return total_kb / 1024.0


def watched(
    args: list[str], env: dict[str, str], limit_mb: float, poll_seconds: float = POLL_SECONDS
) -> Run:
    """Run a command to its end, or stop it when its memory passes ``limit_mb``; its memory
    is looked at every ``poll_seconds``."""
    # The output goes to a file: a pipe nobody reads would block a talkative command.
    with tempfile.TemporaryFile("w+") as log:
        started = time.perf_counter()
        process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
        peak, stopped = 0.0, False
        while process.poll() is None:
            peak = max(peak, _tree_rss_mb(process.pid))
            if peak > limit_mb:
                process.kill()
                stopped = True
                break
            time.sleep(poll_seconds)
        process.wait()
        seconds = time.perf_counter() - started
        log.seek(0)
        output = log.read()
    if process.returncode and not stopped:
        raise SystemExit(f"{' '.join(args)} failed ({process.returncode}): {output[-800:]}")
    return Run(seconds, peak, stopped)


def _ratio(run: Run, reference: Run) -> str:
    return f"{run.seconds / reference.seconds:6.2f}x time, {run.peak_mb / reference.peak_mb:5.2f}x memory"


def measure(
    size: str, root: Path, limit_mb: float, kept_data: Path | None
) -> tuple[int, Run, Run | None]:
    """Ingest and report one size; print each figure. Returns offers, ingest and report.

    With ``kept_data`` the size's files are written there once and read from there after.
    """
    offers, members, projects = (int(part) for part in size.split(":"))
    folder = root / f"offers-{offers}"
    data = (kept_data or folder) / f"data-{offers}-{members}-{projects}"
    began = time.perf_counter()
    if not (data / "training_offers.csv").exists():
        write_dataset(data, offers=offers, members=members, projects=projects, seed=0)
    print(
        f"\n{offers:,} offers, {members:,} members, {projects:,} projects "
        f"(files ready in {time.perf_counter() - began:.0f} s)"
    )
    env = {
        **os.environ,
        "SKILLGRAPH_DATA_DIR": str(folder / "graph"),
        "SKILLGRAPH_STORE": "embedded",
        # The read limits refuse a file over 200 MB or 500,000 rows by default; the sector's
        # offers are one file of about 600 MB and a million rows.
        "SKILLGRAPH_MAX_FILE_MB": str(max(200, offers // 1000)),
        "SKILLGRAPH_MAX_ROWS": str(max(500_000, 2 * offers)),
        # The ingest alone, and a first report that computes (not one that waits for an
        # analysing process started by the ingest).
        "SKILLGRAPH_ANALYSES_AFTER_INGEST": "skip",
    }
    ingest = watched([str(SKILLGRAPH), "ingest", str(data)], env, limit_mb)
    print(f"  skillgraph ingest      {ingest}")
    if ingest.stopped:
        return offers, ingest, None
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        copy_seconds, copy_rows, copy_mb = pool.submit(
            bare_copy_in_child, folder / "graph", folder / "copy-graph"
        ).result()
    copy = Run(copy_seconds, copy_mb)
    print(f"  bare COPY ({copy_rows:,} rows) {copy}")
    print(f"  ingest / bare COPY     {_ratio(ingest, copy)}")
    report_args = [str(SKILLGRAPH), "report", "--out", str(folder / "report")]
    first = watched(report_args, env, limit_mb)
    print(f"  first report           {first}")
    if first.stopped:
        return offers, ingest, first
    second = watched(report_args, env, limit_mb)
    print(f"  second report (kept)   {second}")
    print(f"  first / second report  {_ratio(first, second)}")
    return offers, ingest, first


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", nargs="+", default=list(DEFAULT_SIZES), help="offers:members:projects"
    )
    parser.add_argument("--memory-limit-gb", type=float, default=16.0)
    parser.add_argument(
        "--keep-data", type=Path, help="write the synthetic files here once, and reuse them"
    )
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")
    with tempfile.TemporaryDirectory(prefix="skillgraph-bench-sector-") as tmp:
        limit_mb = args.memory_limit_gb * 1024
        runs = [measure(size, Path(tmp), limit_mb, args.keep_data) for size in args.sizes]
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    for (small, small_ingest, small_report), (large, large_ingest, large_report) in pairwise(runs):
        scale = math.log(large / small)
        pairs = [
            ("ingest", small_ingest, large_ingest),
            ("first report", small_report, large_report),
        ]
        for name, before, after in pairs:
            if before is None or after is None or before.stopped or after.stopped:
                continue
            exponent = math.log(after.seconds / before.seconds) / scale
            print(f"growth exponent of {name}, {small:,} -> {large:,} offers: {exponent:.2f}")


if __name__ == "__main__":
    main()
