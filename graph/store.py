"""The one narrow interface both stores implement."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from graph.errors import QueryRefused
from graph.schema import NodeKind, RelType

Row = Mapping[str, Any]

#: Rows per ``UNWIND $rows`` statement.
BATCH_SIZE = 5_000


class Transaction(Protocol):
    """Writes that land together or not at all."""

    def upsert_nodes(self, kind: NodeKind, rows: Sequence[Row]) -> int:
        """Merge nodes by id; every row carries every writable property. Returns rows sent."""
        ...

    def upsert_edges(self, rel: RelType, src: NodeKind, dst: NodeKind, rows: Sequence[Row]) -> int:
        """Merge edges between existing nodes; rows carry ``a``, ``b`` and properties."""
        ...

    def delete_edges(
        self, rel: RelType, src: NodeKind, dst: NodeKind, ids: Sequence[str], *,
        from_source: bool, keep: Mapping[str, Sequence[str]] | None = None,
    ) -> None:  # fmt: skip
        """Delete the ``rel`` edges that start (or end) at the given node ids.

        ``keep`` spares, for a node id, the edges to (or from) the ids it lists.
        """
        ...

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one statement inside the transaction."""
        ...


class Store(Protocol):
    """A graph store: the embedded LadybugDB or a Neo4j server."""

    backend: str

    @property
    def notices(self) -> Sequence[str]:
        """One line each for what the user should know about the store as it was opened,
        e.g. a write that a crash interrupted (the next command prints them)."""
        ...

    def ensure_schema(self) -> None:
        """Create (or extend) tables, constraints and indexes from :mod:`graph.schema`."""
        ...

    def transaction(
        self, description: str | None = None, *, rows: int = 0
    ) -> AbstractContextManager[Transaction]:
        """A write transaction: commits on normal exit, rolls back on an exception.

        ``description`` says what is written (e.g. a file's name), for the notice of a write
        that a crash interrupted; ``rows`` how many node and edge rows it states, if known
        (a store may choose its bulk path by it).
        """
        ...

    def run(
        self,
        cypher: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
        untrusted: bool = False,
        max_rows: int | None = None,
    ) -> list[dict[str, Any]]:
        """Run a read statement and return its rows as dicts.

        ``timeout`` (seconds) bounds the whole call, execution and fetching together.
        ``max_rows`` stops after that many rows; the rest of the result is never fetched.
        ``untrusted`` marks a statement a user wrote: it runs as exactly one statement in a
        read-only transaction, so that the engine itself refuses to write.
        """
        ...

    def revision(self) -> int:
        """A number that changes on every committed write."""
        ...

    def close(self) -> None:
        """Release the store."""
        ...


def fetch_rows(
    rows: Iterable[dict[str, Any]], *, max_rows: int | None, deadline: float | None
) -> list[dict[str, Any]]:
    """Take rows until ``max_rows`` are taken or the rows end, within ``deadline``.

    ``deadline`` is a :func:`time.monotonic` instant; passing it raises :class:`QueryRefused`.
    """
    taken: list[dict[str, Any]] = []
    if max_rows is not None and max_rows <= 0:
        return taken
    for row in rows:
        if deadline is not None and time.monotonic() > deadline:
            raise QueryRefused("the query ran past its time limit while its rows were read")
        taken.append(row)
        if max_rows is not None and len(taken) >= max_rows:
            break
    return taken


def timed_out(timeout: float) -> QueryRefused:
    """The refusal of a statement the engine stopped at its time limit."""
    return QueryRefused(f"the query was stopped at its time limit ({timeout:g} s)")


def batches(rows: Sequence[Row], size: int = BATCH_SIZE) -> Iterator[Sequence[Row]]:
    """Split rows into batches of at most ``size`` rows."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def kept_rows(ids: Sequence[str], keep: Mapping[str, Sequence[str]]) -> list[dict[str, Any]]:
    """Rows of ``id`` and ``keep`` (the ids its edges to spare) for a ``delete_edges_except``."""
    return [{"id": node, "keep": list(keep.get(node, ()))} for node in ids]
