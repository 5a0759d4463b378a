"""The server store: Neo4j 5 through the official driver.

One driver per store object (and so per process); ``database_`` on every call; reads in
read transactions, writes in one explicit transaction per file; uniqueness constraints
before any ``MERGE`` (key constraints are Enterprise-only, uniqueness is not).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import neo4j
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from graph import cypher
from graph.errors import QueryRefused, SkillGraphError, StoreUnavailable
from graph.schema import INDEXES, META_ID, META_LABEL, NodeKind, RelType
from graph.store import Row, batches, fetch_rows, kept_rows, timed_out

#: Seconds a revision read from the server is trusted (writes of other processes show after it).
REVISION_TTL = 0.5
#: Seconds to wait for a connection before the store counts as unavailable.
CONNECTION_TIMEOUT = 5.0
#: Records per PULL request (the driver's default).
FETCH_SIZE = 1000
#: Seconds a read or write is retried through a lost connection or a leader switch before
#: the store counts as unavailable (the driver's default of 30 s would hold a request that long).
RETRY_TIME = 5.0
DATABASE_NOT_FOUND = "Neo.ClientError.Database.DatabaseNotFound"
#: A transaction over the memory the server allows one (``dbms.memory.transaction.total.max``).
OUT_OF_TRANSACTION_MEMORY = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"


def _shape(value: Any) -> object:
    """The type a value has for an engine that types lists by their elements."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list | tuple):
        shapes = {_shape(v) for v in value if v is not None}
        if len(shapes) > 1:
            raise QueryRefused(f"cannot use these parameters: a list mixes {len(shapes)} types")
        return ("list", *shapes)
    if isinstance(value, Mapping):
        return ("map", *sorted((str(k), repr(_shape(v))) for k, v in value.items()))
    return type(value).__name__


def check_parameters(params: Mapping[str, Any]) -> None:
    """Refuse what the embedded store cannot take, so a query runs on both or on neither.

    Neo4j accepts lists of mixed types (``[1, "a"]``); LadybugDB types a list by its
    elements and refuses them. Numbers mix (ints and floats), nulls fit anywhere.
    """
    for value in params.values():
        _shape(value)


def schema_statements() -> list[str]:
    """Constraints and indexes derived from :mod:`graph.schema`, all idempotent."""
    statements = []
    for label in [*NodeKind, META_LABEL]:
        name = str(label).lower()
        statements.append(
            f"CREATE CONSTRAINT {name}_id IF NOT EXISTS "
            f"FOR (n:{cypher.q(label)}) REQUIRE n.id IS UNIQUE"
        )
    for kind, props in INDEXES.items():
        for prop in props:
            statements.append(
                f"CREATE INDEX {kind.value.lower()}_{prop} IF NOT EXISTS "
                f"FOR (n:{cypher.q(kind)}) ON (n.{cypher.q(prop)})"
            )
    return statements


class Neo4jTransaction:
    """Batched writes inside one explicit Neo4j transaction."""

    def __init__(self, tx: neo4j.Transaction, now: str) -> None:
        self._tx = tx
        self._now = now

    def run(self, statement: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        return self._tx.run(statement, dict(params or {})).data()

    def upsert_nodes(self, kind: NodeKind, rows: Sequence[Row]) -> int:
        statement = cypher.upsert_nodes(kind, cypher.row_properties(kind, rows))
        for batch in batches(rows):
            self._tx.run(statement, {"rows": list(batch), "now": self._now}).consume()
        return len(rows)

    def upsert_edges(self, rel: RelType, src: NodeKind, dst: NodeKind, rows: Sequence[Row]) -> int:
        statement = cypher.upsert_edges(rel, src, dst)
        for batch in batches(rows):
            self._tx.run(statement, {"rows": list(batch)}).consume()
        return len(rows)

    def delete_edges(
        self, rel: RelType, src: NodeKind, dst: NodeKind, ids: Sequence[str], *,
        from_source: bool, keep: Mapping[str, Sequence[str]] | None = None,
    ) -> None:  # fmt: skip
        if keep is None:
            statement = cypher.delete_edges(rel, src, dst, from_source=from_source)
            for start in range(0, len(ids), 5_000):
                self._tx.run(statement, {"ids": list(ids[start : start + 5_000])}).consume()
            return
        statement = cypher.delete_edges_except(rel, src, dst, from_source=from_source)
        for batch in batches(kept_rows(ids, keep)):
            self._tx.run(statement, {"rows": list(batch)}).consume()


def _read_all(
    statement: str, params: Mapping[str, Any] | None, timeout: float | None
) -> Callable[[neo4j.ManagedTransaction], list[dict[str, Any]]]:
    @neo4j.unit_of_work(timeout=timeout)
    def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
        return tx.run(statement, dict(params or {})).data()  # type: ignore[arg-type]

    return work


class Neo4jStore:
    """A Neo4j 5 database reached over Bolt."""

    backend = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j") -> None:
        #: Always empty: the server rolls back a transaction whose client stopped, so no
        #: write is left half done for the next process to report.
        self.notices: list[str] = []
        self.uri = uri
        self.user = user
        self.database = database
        self._revision: int | None = None
        self._revision_read_at = 0.0
        try:
            # Notifications off: the server warns about property keys no row has yet
            # (optional columns), which is expected here and would flood the log.
            self._driver = neo4j.GraphDatabase.driver(
                uri,
                auth=(user, password),
                connection_timeout=CONNECTION_TIMEOUT,
                max_transaction_retry_time=RETRY_TIME,
                notifications_min_severity="OFF",
            )
            self._driver.verify_connectivity()
        except (ValueError, ConfigurationError) as error:
            raise StoreUnavailable(f"cannot use the Neo4j address {uri!r}: {error}") from None
        except (DriverError, Neo4jError, OSError) as error:
            raise self._unavailable(error) from None

    def _unavailable(self, error: Exception) -> SkillGraphError:
        """One line for a driver error that means the server cannot serve us now."""
        if isinstance(error, AuthError):
            return StoreUnavailable(
                f"Neo4j at {self.uri} refused user {self.user!r}: wrong user name or password"
            )
        code = getattr(error, "code", None) or ""
        if code == DATABASE_NOT_FOUND:
            return StoreUnavailable(f"Neo4j at {self.uri} has no database {self.database!r}")
        if code == OUT_OF_TRANSACTION_MEMORY:
            # Transient for the server, but the same work fails again: one file is one
            # transaction, so the way out is a larger allowance or a smaller file.
            return QueryRefused(
                f"Neo4j at {self.uri} refused a transaction that needs more memory than it "
                "allows one (dbms.memory.transaction.total.max, 70 % of the heap by default): "
                "give the server more, or split the file"
            )
        if isinstance(error, ServiceUnavailable | SessionExpired | OSError):
            return StoreUnavailable(f"cannot reach Neo4j at {self.uri}: is the server running?")
        if isinstance(error, TransientError | DriverError):
            reason = getattr(error, "message", None) or str(error) or type(error).__name__
            return StoreUnavailable(f"Neo4j at {self.uri} is unavailable: {reason}")
        return QueryRefused(getattr(error, "message", None) or str(error))

    def ensure_schema(self) -> None:
        """Create the uniqueness constraints and indexes (idempotent)."""
        try:
            for statement in schema_statements():
                self._driver.execute_query(statement, database_=self.database)
        except (DriverError, Neo4jError, OSError) as error:
            raise self._unavailable(error) from None

    def run(
        self,
        cypher_text: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
        untrusted: bool = False,
        max_rows: int | None = None,
    ) -> list[dict[str, Any]]:
        """Run a statement in a read transaction of a READ session (see ``Store.run``).

        The server refuses writes in a READ access-mode transaction. Reads of the project run
        as managed transactions (retried on transient errors); a statement a user wrote, or
        one cut at ``max_rows``, runs once in an explicit transaction that is rolled back
        after its rows are read: the driver then tells the server to discard the rest of the
        result instead of sending it, and the transaction's server-side timeout covers the
        streaming too.
        """
        check_parameters(params or {})
        deadline = time.monotonic() + timeout if timeout else None
        # Records the server sends per request: no more than will be kept.
        fetch_size = min(max_rows, FETCH_SIZE) if max_rows else FETCH_SIZE
        try:
            with self._driver.session(
                database=self.database,
                default_access_mode=neo4j.READ_ACCESS,
                fetch_size=fetch_size,
            ) as session:
                if not (untrusted or max_rows is not None):
                    return session.execute_read(_read_all(cypher_text, params, timeout))
                tx = session.begin_transaction(timeout=timeout)
                try:
                    records = tx.run(cypher_text, dict(params or {}))  # type: ignore[arg-type]
                    rows = (record.data() for record in records)
                    return fetch_rows(rows, max_rows=max_rows, deadline=deadline)
                finally:
                    tx.close()
        except Neo4jError as error:
            if timeout and "TransactionTimedOut" in (error.code or ""):
                raise timed_out(timeout) from None
            raise self._unavailable(error) from None
        except (DriverError, OSError) as error:
            raise self._unavailable(error) from None

    @contextmanager
    def transaction(
        self, description: str | None = None, *, rows: int = 0
    ) -> Iterator[Neo4jTransaction]:
        """One explicit write transaction; rolled back on any exception.

        ``description`` is not needed here: a transaction interrupted with its client is
        rolled back by the server; nor is ``rows``: every write is batched ``UNWIND``.

        Driver errors become :class:`StoreUnavailable` (connection) or :class:`QueryRefused`.
        """
        now = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            with self._driver.session(database=self.database) as session:
                tx = session.begin_transaction()
                try:
                    yield Neo4jTransaction(tx, now)
                    tx.run(cypher.BUMP_REVISION, {"id": META_ID}).consume()
                except BaseException:
                    tx.rollback()
                    raise
                tx.commit()
                self._revision = None
        except (DriverError, Neo4jError, OSError) as error:
            raise self._unavailable(error) from None

    def revision(self) -> int:
        """The revision, read at most every ``REVISION_TTL`` seconds.

        Other processes may write to the server, so the value is re-read; a write through
        this store is seen at once (its commit drops the remembered value).
        """
        now = time.monotonic()
        if self._revision is None or now - self._revision_read_at > REVISION_TTL:
            rows = self.run(cypher.READ_REVISION, {"id": META_ID})
            self._revision = int(rows[0]["revision"]) if rows else 0
            self._revision_read_at = now
        return self._revision

    def close(self) -> None:
        self._driver.close()
