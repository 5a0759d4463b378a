"""What the checkpoint after each committed file costs an ingest into the embedded store.

The embedded store runs ``CHECKPOINT`` after every commit so that its write-ahead log only
ever holds the write in flight (see ``graph/embedded.py``). This ingests one synthetic
dataset into fresh stores with and without that checkpoint, in one run (which goes first
alternates from round to round, so that a change of the machine's load favours neither), and
prints the time of the whole call, of its write transactions (checkpoint included), and of
closing the store (where the engine checkpoints what the log still holds).

    .venv/bin/python -m bench.checkpoint_cost --offers 20000 --rounds 2
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench.ingest import timed_ingest
from bench.synthetic import write_dataset
from graph.embedded import EmbeddedStore


class WithoutCheckpoint(EmbeddedStore):
    """The embedded store as it was before: commits stay in the log until the engine's own
    checkpoint (when the log passes its threshold, or on close)."""

    def _checkpoint(self) -> None:
        return None


class TimedCheckpoint(EmbeddedStore):
    """The embedded store, the time of each of its checkpoints kept in ``checkpoints``."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir)
        self.checkpoints: list[float] = []

    def _checkpoint(self) -> None:
        started = time.perf_counter()
        super()._checkpoint()
        self.checkpoints.append(time.perf_counter() - started)


def main() -> None:
    """Print the ingest time with and without a checkpoint per file, side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = list(write_dataset(root / "data", offers=args.offers, seed=3).values())
        seconds: dict[str, list[float]] = {"without": [], "with": []}
        writes: dict[str, list[float]] = {"without": [], "with": []}
        for number in range(args.rounds):
            variants = [("without", WithoutCheckpoint), ("with", TimedCheckpoint)]
            for label, kind in variants if number % 2 == 0 else variants[::-1]:
                store = kind(root / f"{label}-{number}")
                store.ensure_schema()
                run = timed_ingest(store, paths, label)
                started = time.perf_counter()
                store.close()
                closing = time.perf_counter() - started
                seconds[label].append(run.seconds + closing)
                writes[label].append(sum(f.write_seconds for f in run.files))
                spent = getattr(store, "checkpoints", [])
                inside = f", of which {len(spent)} checkpoints {sum(spent):5.2f} s" if spent else ""
                print(f"round {number + 1} {label:>7} checkpoint: call {run.seconds:6.2f} s, "
                      f"writes {writes[label][-1]:6.2f} s{inside}, close {closing:5.2f} s, "
                      f"{run.rows} rows")  # fmt: skip
    before, after = statistics.median(seconds["without"]), statistics.median(seconds["with"])
    print(f"{args.offers} offers, call and close, median of {args.rounds}: without {before:.2f} s, "
          f"with {after:.2f} s ({after / before:.2f}x, {after - before:+.2f} s)")  # fmt: skip


if __name__ == "__main__":
    main()
