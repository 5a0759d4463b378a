"""Benchmark of the ingest before its writes: reading and validating files, then resolving.

Times the two steps that come before a file's write transaction, for this checkout and
for a reference checkout of the project (``--reference``, e.g. a ``git worktree`` of
``main``), each in its own process, taking turns, on the same files: reading and
validating every file (``ingest.reading.read_file``), then resolving references and
fingerprinting rows into batches (``ingest.linking``) against an empty embedded store.
Each run also prints a digest of everything the two steps produced (reports, records,
batches of nodes and edges as the write keeps them): equal digests mean the two
checkouts read, refuse and resolve the files identically. Peak RSS is the child's.
Times are CPU seconds of the process (the steps are single-threaded Python), so that
other work on a shared machine inflates them less than it does wall-clock seconds.

    git worktree add /tmp/main-ref main
    .venv/bin/python -m bench.ingest_read /tmp/data100k --reference /tmp/main-ref
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _plain(value: Any) -> Any:
    """A value as plain data (models, dataclasses and tuples taken apart) for the digest."""
    if hasattr(value, "model_dump"):
        return _plain(value.model_dump())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return [[_plain(k), _plain(v)] for k, v in value.items()]
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


_REFERENCE = ("column", "value", "target", "rel", "outgoing", "properties", "mention", "line")


def measure(folders: list[Path]) -> dict[str, Any]:
    """Read and resolve the files of ``folders`` in this process: seconds and digest."""
    from graph.embedded import EmbeddedStore
    from ingest.linking import Batch, Resolver, finish_organisations, resolve_poll, resolve_records
    from ingest.reading import ParsedFile, expand, read_file
    from ingest.report import FileReport
    from ingest.review import ReviewBook

    paused: Callable[[], contextlib.AbstractContextManager[Any]]
    try:  # resolved as the pipeline resolves, with the collector paused where it pauses it
        from graph.collector import collector_paused as paused
    except ImportError:
        paused = contextlib.nullcontext
    digest = hashlib.sha256()

    def add(value: Any) -> None:
        digest.update(json.dumps(_plain(value), default=str).encode())

    read = resolve = 0.0
    rows = 0
    for folder in folders:
        files, passed_over = expand([folder])
        add(passed_over)
        parsed: list[ParsedFile] = []
        started = time.process_time()
        for path in files:
            outcome = read_file(path, None, None)
            if isinstance(outcome, FileReport):
                add(outcome)
                continue
            outcome.table.rows = []  # as the pipeline does once a file is read
            parsed.append(outcome)
        read += time.process_time() - started
        for outcome in parsed:
            rows += outcome.report.rows_read
            add([outcome.path.name, outcome.report])
            for record in outcome.records:
                refs = [[getattr(ref, name) for name in _REFERENCE] for ref in record.references]
                add([record.kind, record.line, record.fields, refs, record.subject, record.rows])
        with tempfile.TemporaryDirectory() as folder_of_store:
            store = EmbeddedStore(Path(folder_of_store) / "store")
            store.ensure_schema()
            started = time.process_time()
            with paused():
                resolver = Resolver(store, parsed, ReviewBook.open(None))
                batches = []
                for outcome in sorted(parsed, key=lambda p: p.plan.rank):
                    batch = Batch()
                    if outcome.plan.poll:
                        resolve_poll(outcome, resolver, "src-bench", batch)
                    else:
                        resolve_records(outcome, resolver, "src-bench", batch)
                        finish_organisations(resolver, batch)
                    batches.append((outcome, batch))
            resolve += time.process_time() - started
            store.close()
        for outcome, batch in batches:
            # the write keeps one row per node id (the last) and one edge per pair (the first)
            nodes = {k: list({r["id"]: r for r in v}.values()) for k, v in batch.nodes.items()}
            edges = {k: list({(r["a"], r["b"]): r for r in reversed(v)}.values())
                     for k, v in batch.edges.items()}  # fmt: skip
            add([outcome.path.name, sorted(nodes.items()), sorted(edges.items()), batch.created,
                 sorted(batch.touched), batch.provenance, batch.written, outcome.owned_ids,
                 outcome.report])  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return {"read": read, "resolve": resolve, "rows": rows, "peak_mb": peak,
            "digest": digest.hexdigest()[:16]}  # fmt: skip


def _child(tree: Path, folders: list[Path]) -> dict[str, Any]:
    """One measurement of ``tree``'s code in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    # This file's measure() runs on the tree's code: the reference may predate this script.
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", str(tree), *map(str, folders)],
        env=env, capture_output=True, text=True, cwd=tree, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"the run of {tree} failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> None:
    """Time this checkout against a reference checkout, side by side, and compare digests."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--reference", type=Path, help="a checkout of the code to compare with")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each checkout (median)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        sys.path.insert(0, str(args.child))
        print(json.dumps(measure(args.folders)))
        return
    trees = {"this checkout": ROOT}
    if args.reference is not None:
        trees = {"reference": args.reference.resolve(), **trees}
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
    for _ in range(args.repeat):
        for name, tree in trees.items():
            runs[name].append(_child(tree, args.folders))
    print(f"files of {', '.join(map(str, args.folders))}; medians of {args.repeat}")
    print(f"{'CPU seconds':<15} {'rows':>8} {'read s':>8} {'resolve s':>10} {'both s':>8} "
          f"{'peak MB':>8}  digest")  # fmt: skip
    medians: dict[str, dict[str, float]] = {}
    for name, results in runs.items():
        row = {key: statistics.median(r[key] for r in results)
               for key in ("read", "resolve", "peak_mb")}  # fmt: skip
        row["both"] = row["read"] + row["resolve"]
        medians[name] = row
        digests = sorted({r["digest"] for r in results})
        print(f"{name:<15} {results[0]['rows']:>8,} {row['read']:>8.2f} {row['resolve']:>10.2f} "
              f"{row['both']:>8.2f} {row['peak_mb']:>8,.0f}  {', '.join(digests)}")  # fmt: skip
    if "reference" in medians:
        ref, new = medians["reference"], medians["this checkout"]
        print(f"{'ratio':<15} {'':>8} {new['read'] / ref['read']:>8.2f} "
              f"{new['resolve'] / ref['resolve']:>10.2f} {new['both'] / ref['both']:>8.2f} "
              f"{new['peak_mb'] / ref['peak_mb']:>8.2f}  "
              f"{'identical' if len({r['digest'] for rs in runs.values() for r in rs}) == 1 else 'DIFFERENT'}")  # fmt: skip


if __name__ == "__main__":
    main()
