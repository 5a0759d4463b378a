"""Benchmark of ``/cypher``'s row limit: reading every row and cutting, against reading limit + 1.

Runs one long statement (by default ``UNWIND range(1, 5000000) AS x RETURN x``) on a fresh
embedded store, first as the endpoint used to (every row read into Python, then cut at the
limit), then as it does now (``Store.run(..., untrusted=True, max_rows=limit + 1)``: the rest
of the result is never fetched), both under the same time limit. When ``NEO4J_URI`` is set
(``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) the same runs on that server too.

    .venv/bin/python -m bench.cypher_rows --rows 5000000 --limit 5000 --timeout 60
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from graph.embedded import EmbeddedStore
from graph.errors import QueryRefused
from graph.store import Store


def _timed(store: Store, statement: str, timeout: float, max_rows: int | None) -> str:
    started = time.perf_counter()
    try:
        rows = store.run(
            statement, timeout=timeout, untrusted=max_rows is not None, max_rows=max_rows
        )
        outcome = f"{len(rows):,} rows read"
    except QueryRefused as error:
        outcome = str(error)
    return f"{time.perf_counter() - started:7.2f} s  {outcome}"


def _compare(name: str, store: Store, statement: str, limit: int, timeout: float) -> None:
    print(f"{name}: {statement}  (limit {limit:,} rows, time limit {timeout:g} s)")
    print(f"  every row, then cut   {_timed(store, statement, timeout, None)}")
    print(f"  limit + 1 rows        {_timed(store, statement, timeout, limit + 1)}")


def main() -> None:
    """Print both timings per backend."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--limit", type=int, default=5_000)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    statement = f"UNWIND range(1, {args.rows}) AS x RETURN x"
    with tempfile.TemporaryDirectory() as folder:
        store = EmbeddedStore(Path(folder) / "graph")
        try:
            _compare("embedded", store, statement, args.limit, args.timeout)
        finally:
            store.close()
    if os.environ.get("NEO4J_URI"):
        from graph.neo4j_store import Neo4jStore

        server = Neo4jStore(
            os.environ["NEO4J_URI"],
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", ""),
            os.environ.get("NEO4J_DATABASE", "neo4j"),
        )
        try:
            _compare("neo4j", server, statement, args.limit, args.timeout)
        finally:
            server.close()


if __name__ == "__main__":
    main()
