"""Benchmark of duplicate detection: blocked search at scale, and against all pairs.

Each measurement runs in a fresh process (``spawn``), so that its peak memory
(``ru_maxrss``, which includes generating the synthetic offers) is its own. Prints, side
by side: seconds and peak memory per size, and on the recall set the blocked and the
exhaustive search with the same scoring (recall, speed-up).

    .venv/bin/python -m bench.duplicates --sizes 20000 100000 --recall-size 10000

With ``--against REF`` it instead runs ``duplicates(graph)`` of this tree and of the git
revision REF (extracted to a temporary folder) in turn, each in a new process, on the sample
data and on the stores given with ``--store``: seconds, peak memory of the search, the ratio,
and whether the two reports are equal.

    .venv/bin/python -m bench.duplicates --against main --store /tmp/store100k
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

from bench.synthetic import synthetic_offers
from queries.pair_scoring import (
    DEFAULT_MIN_SCORE,
    Item,
    find_pairs,
    find_recognition_pairs,
    prepare,
)

LIMITS = {20000: 10.0, 100000: 60.0}
MEMORY_LIMIT_MB = 2048.0


def items_from_rows(rows: list[dict[str, Any]]) -> list[Item]:
    """Canonical training-offer rows (as in ``training_offers.csv``) as scoring items."""

    def split(value: str) -> frozenset[str]:
        return frozenset(v for v in value.split(";") if v)

    return [
        Item(
            id=row["id"],
            title=row["title"],
            description=row["description"],
            runners=split(row["provider"]),
            competences=split(row["competences"]),
            countries=split(row["countries"]),
            eqf_level=int(row["eqf_level"]) if row["eqf_level"] != "" else None,
            start=row["start"] or None,
            end=row["end"] or None,
        )
        for row in rows
    ]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _timed(function: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def _scale(size: int, seed: int, min_score: float) -> dict[str, Any]:
    rows, planted = synthetic_offers(size, seed)
    items = items_from_rows(rows)
    features, prepare_seconds = _timed(prepare, items)
    pairs, search_seconds = _timed(find_pairs, features, min_score)
    recognition, recognition_seconds = _timed(find_recognition_pairs, features)
    found = {(p.a, p.b) for p in pairs}
    return {
        "size": size,
        "prepare": prepare_seconds,
        "search": search_seconds,
        "seconds": prepare_seconds + search_seconds,
        "recognition_seconds": recognition_seconds,
        "pairs": len(pairs),
        "recognition_pairs": len(recognition),
        "planted_recall": len(found & set(planted)) / max(1, len(planted)),
        "peak_mb": _peak_mb(),
    }


def _compare(size: int, seed: int, min_score: float) -> dict[str, Any]:
    rows, planted = synthetic_offers(size, seed)
    items = items_from_rows(rows)
    features, prepare_seconds = _timed(prepare, items)
    blocked, blocked_seconds = _timed(find_pairs, features, min_score)
    exhaustive, exhaustive_seconds = _timed(find_pairs, features, min_score, exhaustive=True)
    blocked_ids = {(p.a, p.b) for p in blocked}
    exhaustive_ids = {(p.a, p.b) for p in exhaustive}
    return {
        "size": size,
        "prepare": prepare_seconds,
        "blocked_seconds": blocked_seconds,
        "exhaustive_seconds": exhaustive_seconds,
        "blocked_pairs": len(blocked_ids),
        "exhaustive_pairs": len(exhaustive_ids),
        "recall": len(blocked_ids & exhaustive_ids) / max(1, len(exhaustive_ids)),
        "planted": len(planted),
        "planted_recall": len(blocked_ids & set(planted)) / max(1, len(planted)),
        "peak_mb": _peak_mb(),
    }


def _child(task: str, size: int, seed: int, min_score: float, out: Any) -> None:
    out.put((_scale if task == "scale" else _compare)(size, seed, min_score))


def _in_fresh_process(task: str, size: int, seed: int, min_score: float) -> dict[str, Any]:
    context = mp.get_context("spawn")
    out = context.Queue()
    process = context.Process(target=_child, args=(task, size, seed, min_score, out))
    process.start()
    result = out.get()
    process.join()
    return result


ROOT = Path(__file__).resolve().parent.parent

#: Run in a new process from the root of the code measured: ``queries`` is that tree's.
_SEARCH = """
import json, resource, sys, time
from pathlib import Path
from graph.embedded import EmbeddedStore
from queries.duplicates import duplicates
from queries.projection import project
store = EmbeddedStore(Path(sys.argv[1]), read_only=True)
graph = project(store)
store.close()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.perf_counter()
report = duplicates(graph)
seconds = time.perf_counter() - started
Path(sys.argv[2]).write_text(report.model_dump_json())
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "before_mb": before, "peak_mb": peak}))
"""


def _checkout(revision: str, folder: Path) -> Path:
    """The files of ``revision`` of this repository, written to ``folder``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def _search(code_root: Path, store: Path, out: Path) -> dict[str, Any]:
    """Seconds and memory of ``duplicates(graph)`` of the code in ``code_root``, a new process."""
    done = subprocess.run(
        [sys.executable, "-c", _SEARCH, str(store), str(out)],
        cwd=code_root,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"duplicates in {code_root} failed: {done.stderr.strip()[-800:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["report"] = json.loads(out.read_text())
    return figures


def _sample_store(folder: Path) -> Path:
    """An embedded store of the sample data, closed."""
    from bench.ingest import SAMPLE_DIR, fresh_embedded
    from ingest.pipeline import ingest

    store = fresh_embedded(folder)
    try:
        ingest(store, [SAMPLE_DIR])
    finally:
        store.close()
    return folder


def _differences(old: dict[str, Any], new: dict[str, Any]) -> str:
    """What differs between two reports, in a few words."""
    if old == new:
        return "equal"
    parts = []
    for key in ("clusters", "recognition_candidates"):
        if old[key] != new[key]:
            same = sum(a == b for a, b in zip(old[key], new[key], strict=False))
            parts.append(f"{key}: {len(old[key])} vs {len(new[key])}, {same} equal in place")
    return "DIFFERENT (" + "; ".join(parts) + ")"


def against(revision: str, stores: list[Path]) -> None:
    """Print this tree's duplicate search beside the one of ``revision``, on each store."""
    print(f"duplicates(graph): this tree against {revision}, each run in a new process")
    print(
        "memory: peak RSS of the process, and how much the search added to it after the projection"
    )
    print(
        f"{'store':<24} {'code':<8} {'seconds':>8} {'ratio':>6} {'peak MB':>8} "
        f"{'search MB':>9} {'clusters':>8} {'recognition':>11}  report"
    )
    with tempfile.TemporaryDirectory(prefix="skillgraph-bench-dup-") as tmp:
        root = Path(tmp)
        base = _checkout(revision, root / "base")
        named = [("sample", _sample_store(root / "sample")), *((p.name, p) for p in stores)]
        for name, store in named:
            old = _search(base, store, root / "old.json")
            new = _search(ROOT, store, root / "new.json")
            verdict = _differences(old["report"], new["report"])
            for code, r in ((revision, old), ("this", new)):
                ratio = old["seconds"] / r["seconds"]
                print(
                    f"{name:<24} {code:<8} {r['seconds']:>8.2f} {ratio:>5.2f}x "
                    f"{r['peak_mb']:>8.0f} {r['peak_mb'] - r['before_mb']:>9.0f} "
                    f"{len(r['report']['clusters']):>8} "
                    f"{len(r['report']['recognition_candidates']):>11}  "
                    f"{verdict if code == 'this' else ''}"
                )


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20000, 100000])
    parser.add_argument("--recall-size", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--min-score", type=float, default=DEFAULT_MIN_SCORE)
    parser.add_argument("--against", metavar="REF", help="compare with git revision REF")
    parser.add_argument("--store", type=Path, nargs="*", default=[], help="stores to compare on")
    args = parser.parse_args()
    if args.against:
        against(args.against, args.store)
        return

    print(f"duplicate detection, blocked, min_score={args.min_score} (fresh process per size)")
    print(
        "seconds = vectorising (TF-IDF fit, once) + blocked search; recognition reuses the vectors"
    )
    print(
        f"{'offers':>8} {'seconds':>8} {'limit':>6} {'vectorise':>9} {'search':>7} "
        f"{'peak MB':>8} {'pairs':>6} {'planted recall':>14} {'recognition s':>13}"
    )
    for size in args.sizes:
        r = _in_fresh_process("scale", size, args.seed, args.min_score)
        limit = LIMITS.get(size)
        print(
            f"{size:>8} {r['seconds']:>8.2f} {limit or '-':>6} {r['prepare']:>9.2f} "
            f"{r['search']:>7.2f} {r['peak_mb']:>8.0f} {r['pairs']:>6} "
            f"{r['planted_recall']:>14.3f} {r['recognition_seconds']:>13.2f}"
        )

    r = _in_fresh_process("compare", args.recall_size, args.seed, args.min_score)
    prepare_seconds = r["prepare"]
    blocked_total = prepare_seconds + r["blocked_seconds"]
    exhaustive_total = prepare_seconds + r["exhaustive_seconds"]
    print(
        f"\nblocked vs exhaustive all-pairs, same scoring and the same vectors, {r['size']} offers "
        f"({r['planted']} planted duplicates; vectorising once: {prepare_seconds:.2f} s)"
    )
    print(f"{'search':>10} {'search s':>8} {'with vectorising s':>18} {'pairs':>6}")
    print(
        f"{'blocked':>10} {r['blocked_seconds']:>8.2f} {blocked_total:>18.2f} {r['blocked_pairs']:>6}"
    )
    print(
        f"{'exhaustive':>10} {r['exhaustive_seconds']:>8.2f} {exhaustive_total:>18.2f} "
        f"{r['exhaustive_pairs']:>6}"
    )
    print(f"recall of the exhaustive pairs: {r['recall']:.3f} (needed >= 0.95)")
    print(f"recall of the planted pairs:    {r['planted_recall']:.3f}")
    print(
        f"speed-up of the search: {r['exhaustive_seconds'] / r['blocked_seconds']:.1f}x "
        f"(needed >= 20x); end to end incl. vectorising: {exhaustive_total / blocked_total:.1f}x"
    )
    print(f"peak memory of the comparison: {r['peak_mb']:.0f} MB (limit {MEMORY_LIMIT_MB:.0f})")


if __name__ == "__main__":
    main()
