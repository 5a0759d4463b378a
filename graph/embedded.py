"""The embedded store: LadybugDB, in-process, in a folder on disk.

Quirks handled here:

* LadybugDB infers a parameter list's struct type from its values; a key that is null in
  every row of a batch is typed STRING and then refused for an INT64, DOUBLE or BOOLEAN
  column. Such keys are written as a literal ``NULL`` in that batch's statement instead.
* A list property must never be null in a row: the model's default is an empty list.
* One process may open the database read-write; the lock error names the holder's PID,
  which is turned into a one-line :class:`~graph.errors.StoreLocked`.
* ``type()`` and ``labels()`` do not exist; queries match per label instead.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ladybug

from graph import cypher
from graph.errors import QueryRefused, StoreLocked, StoreUnavailable
from graph.schema import (
    META_ID,
    META_LABEL,
    RELATIONSHIPS,
    NodeKind,
    PropType,
    RelType,
    node_properties,
    rel_properties,
)
from graph.store import Row, batches, fetch_rows, timed_out

DATABASE_FILE = "graph.lbdb"
_LOCK_PID = re.compile(r"held by PID (\d+)")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _describe_process(pid: str) -> str:
    """``PID 123 (skillgraph serve)`` where the command line can be read."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return f"PID {pid}"
    words = [w for w in raw.decode(errors="replace").split("\0") if w]
    start = next((i for i, w in enumerate(words) if w.endswith("skillgraph")), None)
    shown = words[start : start + 2] if start is not None else words[:3]
    command = " ".join(Path(shown[0]).name.split() + [" ".join(w.split()) for w in shown[1:]])
    if len(command) > 60:
        command = command[:57] + "..."
    return f"PID {pid} ({command})" if command else f"PID {pid}"


def _null_keys(rows: Sequence[Row], keys: Sequence[str]) -> list[str]:
    return [k for k in keys if all(row.get(k) is None for row in rows)]


class _Executor:
    """Runs statements on one connection and returns rows as dicts."""

    def __init__(self, connection: ladybug.Connection) -> None:
        self._connection = connection

    def run(self, statement: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        result = self._connection.execute(statement, dict(params or {}))
        if isinstance(result, list):  # several statements: keep the last result
            result = result[-1]
        columns = result.get_column_names()
        return [dict(zip(columns, values, strict=True)) for values in result.get_all()]


class EmbeddedTransaction(_Executor):
    """Batched writes inside one LadybugDB transaction."""

    def __init__(self, connection: ladybug.Connection, now: str) -> None:
        super().__init__(connection)
        self._now = now

    def upsert_nodes(self, kind: NodeKind, rows: Sequence[Row]) -> int:
        keys = cypher.row_properties(kind, rows)
        for batch in batches(rows):
            statement = cypher.upsert_nodes(kind, keys, _null_keys(batch, keys))
            self.run(statement, {"rows": list(batch), "now": self._now})
        return len(rows)

    def upsert_edges(self, rel: RelType, src: NodeKind, dst: NodeKind, rows: Sequence[Row]) -> int:
        keys = list(rel_properties(rel))
        for batch in batches(rows):
            statement = cypher.upsert_edges(rel, src, dst, _null_keys(batch, keys))
            self.run(statement, {"rows": list(batch)})
        return len(rows)

    def delete_edges(
        self, rel: RelType, src: NodeKind, dst: NodeKind, ids: Sequence[str], *, from_source: bool
    ) -> None:
        statement = cypher.delete_edges(rel, src, dst, from_source=from_source)
        for start in range(0, len(ids), 5_000):
            self.run(statement, {"ids": list(ids[start : start + 5_000])})


def _single(result: ladybug.QueryResult | list[ladybug.QueryResult]) -> ladybug.QueryResult:
    return result[-1] if isinstance(result, list) else result


def _fetch(
    result: ladybug.QueryResult, max_rows: int | None, deadline: float | None
) -> list[dict[str, Any]]:
    """Rows as dicts, read one by one so that nothing past ``max_rows`` is converted."""
    columns = result.get_column_names()

    def rows() -> Iterator[dict[str, Any]]:
        while result.has_next():
            yield dict(zip(columns, result.get_next(), strict=True))

    try:
        return fetch_rows(rows(), max_rows=max_rows, deadline=deadline)
    finally:
        result.close()


def _run_read_only(
    connection: ladybug.Connection,
    statement: str,
    params: dict[str, Any],
    max_rows: int | None,
    deadline: float | None,
) -> list[dict[str, Any]]:
    """One statement in a read-only transaction, rolled back after its rows are read.

    LadybugDB refuses writes (``SET``, ``CREATE``, ``COMMENT ON`` ...) in a ``READ ONLY``
    transaction, but not ``COPY ... TO`` a file, ``LOAD FROM`` a file, ``ANALYZE`` or
    ``CALL setting=value``: those are kept out by the read-only check alone. A prepared
    statement holds exactly one statement, so a ``;`` the check missed cannot end the
    transaction and run a write after it (with parameters, ``execute`` prepares too).
    """
    connection.execute("BEGIN TRANSACTION READ ONLY")
    try:
        if params:
            result = connection.execute(statement, params)
        else:
            prepared = ladybug.PreparedStatement(connection, statement)
            if not prepared.is_success():
                raise RuntimeError(prepared.get_error_message())
            result = connection.execute(prepared)
        return _fetch(_single(result), max_rows, deadline)
    finally:
        # The engine ends the transaction itself on some errors; then there is nothing to end.
        with suppress(RuntimeError):
            connection.execute("ROLLBACK")


class EmbeddedStore:
    """LadybugDB in ``data_dir``; safe to share between the threads of one process."""

    backend = "embedded"

    def __init__(self, data_dir: Path, *, read_only: bool = False) -> None:
        self.data_dir = Path(data_dir)
        self.read_only = read_only
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreUnavailable(
                f"cannot create the data folder {self.data_dir}: {error}"
            ) from None
        path = self.data_dir / DATABASE_FILE
        try:
            self._database = ladybug.Database(str(path), read_only=read_only)
        except RuntimeError as error:
            message = str(error)
            if "lock" in message.lower():
                match = _LOCK_PID.search(message)
                holder = _describe_process(match.group(1)) if match else None
                raise StoreLocked(str(self.data_dir), holder) from None
            raise StoreUnavailable(f"cannot open the embedded store {path}: {message}") from None
        self._write_lock = threading.Lock()
        self._revision: int | None = None
        self._local = threading.local()
        self._connections: list[ladybug.Connection] = []

    # -- connections -------------------------------------------------------------------
    def _connection(self) -> ladybug.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = ladybug.Connection(self._database)
            self._local.connection = connection
            self._connections.append(connection)
        return connection

    # -- schema ------------------------------------------------------------------------
    def _existing_tables(self) -> dict[str, str]:
        rows = _Executor(self._connection()).run("CALL show_tables() RETURN *")
        return {row["name"]: row["type"] for row in rows}

    def _columns(self, table: str) -> set[str]:
        rows = _Executor(self._connection()).run(f"CALL table_info('{table}') RETURN *")
        return {row["name"] for row in rows}

    def ensure_schema(self) -> None:
        """Create missing tables and add columns the schema gained since the store was made."""
        if self.read_only:
            return
        run = _Executor(self._connection()).run
        with self._write_lock:
            existing = self._existing_tables()
            node_tables: dict[str, dict[str, PropType]] = {
                kind.value: node_properties(kind) for kind in NodeKind
            }
            node_tables[META_LABEL] = {"id": PropType.STRING, "revision": PropType.INT}
            for table, props in node_tables.items():
                if table not in existing:
                    columns = ", ".join(f"{cypher.q(p)} {t.value}" for p, t in props.items())
                    run(f"CREATE NODE TABLE {cypher.q(table)}({columns}, PRIMARY KEY(`id`))")
                    continue
                for prop in props.keys() - self._columns(table):
                    run(f"ALTER TABLE {cypher.q(table)} ADD {cypher.q(prop)} {props[prop].value}")
            for rel, spec in RELATIONSHIPS.items():
                props = rel_properties(rel)
                if rel.value not in existing:
                    pairs = ", ".join(
                        f"FROM {cypher.q(a)} TO {cypher.q(b)}" for a, b in spec.endpoints
                    )
                    columns = "".join(f", {cypher.q(p)} {t.value}" for p, t in props.items())
                    run(f"CREATE REL TABLE {cypher.q(rel)}({pairs}{columns})")
                    continue
                for prop in props.keys() - self._columns(rel.value):
                    run(f"ALTER TABLE {cypher.q(rel)} ADD {cypher.q(prop)} {props[prop].value}")

    # -- reads and writes --------------------------------------------------------------
    def run(
        self,
        cypher_text: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
        untrusted: bool = False,
        max_rows: int | None = None,
    ) -> list[dict[str, Any]]:
        """Run a statement on this thread's connection (see ``Store.run``)."""
        connection = self._connection()
        deadline = time.monotonic() + timeout if timeout else None
        connection.set_query_timeout(max(1, int(timeout * 1000)) if timeout else 0)
        try:
            if untrusted:
                return _run_read_only(
                    connection, cypher_text, dict(params or {}), max_rows, deadline
                )
            result = connection.execute(cypher_text, dict(params or {}))
            return _fetch(_single(result), max_rows, deadline)
        except RuntimeError as error:
            message = str(error).split("\n")[0]
            if timeout and message.startswith("Interrupted"):
                raise timed_out(timeout) from None
            raise QueryRefused(message) from None
        except (ValueError, TypeError, OverflowError) as error:
            # The driver converts parameters before the engine sees them (e.g. a mixed list).
            raise QueryRefused(f"cannot use these parameters: {error}") from None

    @contextmanager
    def transaction(self) -> Iterator[EmbeddedTransaction]:
        """One write transaction; writers of this process take turns."""
        if self.read_only:
            raise StoreUnavailable(f"the embedded store {self.data_dir} is open read-only")
        connection = self._connection()
        with self._write_lock:
            tx = EmbeddedTransaction(connection, _now())
            tx.run("BEGIN TRANSACTION")
            try:
                yield tx
                tx.run(cypher.BUMP_REVISION, {"id": META_ID})
            except BaseException:
                tx.run("ROLLBACK")
                raise
            tx.run("COMMIT")
            self._revision = None

    def revision(self) -> int:
        """The revision, read once and then after each commit.

        Only this process can write to the store (the file lock), so it knows when the
        revision moves and needs no query per call.
        """
        revision = self._revision
        if revision is None:
            rows = self.run(cypher.READ_REVISION, {"id": META_ID})
            revision = self._revision = int(rows[0]["revision"]) if rows else 0
        return revision

    def close(self) -> None:
        for connection in self._connections:
            connection.close()
        self._connections.clear()
        self._database.close()
