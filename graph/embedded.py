"""The embedded store: LadybugDB, in-process, in a folder on disk.

Quirks handled here:

* LadybugDB infers a parameter list's struct type from its values; a key that is null in
  every row of a batch is typed STRING and then refused for an INT64, DOUBLE or BOOLEAN
  column. Such keys are written as a literal ``NULL`` in that batch's statement instead.
* A list property must never be null in a row: the model's default is an empty list.
* One process may open the database read-write; the lock error names the holder's PID,
  which is turned into a one-line :class:`~graph.errors.StoreLocked`.
* ``type()`` and ``labels()`` do not exist; queries match per label instead.
* Inside a transaction, bulk inserts go through ``LOAD FROM`` an Arrow table with
  ``CREATE``, not through ``COPY``: in 0.22 a ``COPY`` that fails (an id that exists), or one
  after a rolled-back ``COPY`` of the same rows, kills the process, and a ``COPY`` inside a
  transaction that a kill interrupted lost its rows on recovery while the rest of the
  transaction stayed (``docs/benchmarks.md``, "Bulk loads"). ``LOAD FROM ... CREATE`` is an
  ordinary insert, logged and recovered like any other; a failing one is an ordinary error.
* ``COPY`` is used outside any transaction, on a copy of the store that nothing else uses:
  a large write into a store that is small beside it, in a store opened ``exclusive`` (a
  command), loads a copy (:data:`LOAD_FOLDER`) and renames it over the store's file when
  it is complete. Every ``COPY`` there is checked first so that it cannot fail (new ids
  only, edges between ends that exist). It saves the engine's commit of the inserted rows
  into the log, which is most of an in-place write's time.
* Most of a large write's rows are usually stored already (a re-ingest): the engine
  compares each row with what is stored and returns one boolean per row, rather than
  the stored values being read back and compared in Python.
* A prepared statement over an Arrow table holds the table: the driver's implicit cache of
  prepared statements (keyed per table object, never emptied) would keep every table an
  ingest sent alive until the connection closes, so such statements are prepared apart.

Surviving a crash (``kill -9``, a power cut) in the middle of a write:

* LadybugDB appends a transaction's records to its write-ahead log (``graph.lbdb.wal``)
  while the transaction runs, with a checksum per block, and a commit record at the end.
  A process stopped half way leaves a log whose last block is torn. Opened with the default
  ``throw_on_wal_replay_failure=True`` the engine refuses such a store (``Checksum
  verification failed, the WAL file is corrupted``) and nothing can be written to it any
  more; with ``False`` it replays the log up to the last commit record and cuts the rest.
  The store is therefore opened strictly first, and only after a refusal while a log is
  present is the log copied aside (``graph.lbdb.wal.torn``) and the store opened again with
  replay up to the last commit: a torn log is never repaired silently.
* After every commit the store runs ``CHECKPOINT``, so that the log only ever holds the
  transaction in flight: cutting the log at its first damaged block then drops that
  transaction and nothing else. A kill during the checkpoint itself is recovered by the
  engine (the committed transaction is complete in the log and replayed).
* A write loaded aside never touches the store's own file or log until the rename: a kill
  before it leaves the store as it was (and a copy that the next read-write open removes),
  a kill after it the store with the whole write.
* The log does not say what a transaction was for, so each write transaction is recorded in
  :class:`~graph.write_journal.WriteJournal` before it starts. An entry found on open whose
  revision has not moved names the write that did not land; it becomes one line in
  :attr:`EmbeddedStore.notices` for the next command to print.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from graph.store import Row, batches, fetch_rows, kept_rows, timed_out
from graph.write_journal import WriteJournal, sync_path

if TYPE_CHECKING:
    import pyarrow as pa

DATABASE_FILE = "graph.lbdb"
#: The engine's write-ahead log, and where a torn one is kept once the store is recovered.
WAL_FILE = DATABASE_FILE + ".wal"
TORN_WAL_FILE = WAL_FILE + ".torn"
#: What the write in flight is writing (see :mod:`graph.write_journal`).
JOURNAL_FILE = "write-in-flight.json"
#: Where a large write loads a copy of the store before it is swapped in (see ``_aside``).
LOAD_FOLDER = "loading"
#: A write goes to a copy when it states at least this many rows, and the store's file
#: holds at most this many bytes per row it states (copying it costs little beside them).
ASIDE_ROWS = 200_000
ASIDE_BYTES_PER_ROW = 200
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


_ARROW_TYPES = {
    PropType.STRING: "string",
    PropType.INT: "int64",
    PropType.FLOAT: "float64",
    PropType.BOOL: "bool",
}


def _arrow_schema(types: Mapping[str, PropType]) -> pa.Schema:
    """Columns typed as the store holds their properties (a column of nulls stays typed)."""
    import pyarrow as pa

    def arrow_type(prop: PropType) -> pa.DataType:
        if prop is PropType.STRING_LIST:
            return pa.list_(pa.string())
        return pa.type_for_alias(_ARROW_TYPES[prop])

    return pa.schema([(name, arrow_type(prop)) for name, prop in types.items()])


def _arrow_rows(rows: Sequence[Row], types: Mapping[str, PropType]) -> pa.Table:
    """An Arrow table of the rows' values under ``types`` (a key a row lacks is null).

    Built column by column: ``pa.Table.from_pylist`` took about 1.3 times as long on
    100,000 offers.
    """
    import pyarrow as pa

    schema = _arrow_schema(types)
    columns = [pa.array([row.get(name) for row in rows], type=field.type)
               for name, field in zip(types, schema, strict=True)]  # fmt: skip
    return pa.Table.from_arrays(columns, schema=schema)


#: Batches of at least this many rows go in as an Arrow table; smaller ones as a list of
#: rows, since importing pyarrow (about 0.3 s) costs more than it saves them.
ARROW_ROWS = 2_000
#: The column that numbers a batch's rows, so that a result can say which row it answers.
ROW_NUMBER = "_row"
#: Builds a statement from the clause that makes each row's columns variables and the
#: columns it makes.
Build = Callable[[str, Sequence[str]], str]


class _Batch:
    """Rows under typed columns, sent as a list of rows (small) or an Arrow table (large).

    The Arrow table is built once and shared by the statements over the batch and its parts.
    """

    def __init__(self, rows: Sequence[Row], types: Mapping[str, PropType]) -> None:
        self.rows = rows
        self.types = dict(types)
        self._table: pa.Table | None = None

    def part(self, indices: Sequence[int]) -> _Batch:
        """The rows at ``indices``, in that order."""
        part = _Batch([self.rows[i] for i in indices], self.types)
        if self._table is not None:
            part._table = self._table.take(indices)
        return part

    def table(self) -> pa.Table:
        """The rows as an Arrow table, typed as the store holds them."""
        if self._table is None:
            self._table = _arrow_rows(self.rows, self.types)
        return self._table

    def source(self, *, numbered: bool) -> tuple[str, list[str], Any]:
        """The rows clause, the columns it makes, and the value of ``$rows``.

        A list leaves out the columns that are null in every row (see the module's notes
        on their type); ``numbered`` adds :data:`ROW_NUMBER`.
        """
        if len(self.rows) < ARROW_ROWS:
            columns = [c for c in self.types if any(row.get(c) is not None for row in self.rows)]
            made = [*columns, ROW_NUMBER] if numbered else columns
            clause = "UNWIND $rows AS r WITH " + ", ".join(
                f"r.{cypher.q(c)} AS {cypher.q(c)}" for c in made
            )
            listed = [{c: row.get(c) for c in columns} for row in self.rows]
            if numbered:
                for number, row in enumerate(listed):
                    row[ROW_NUMBER] = number
            return clause, columns, listed
        table = self.table()
        if numbered:
            import pyarrow as pa

            table = table.append_column(ROW_NUMBER, pa.array(range(len(self.rows)), pa.int64()))
        return "LOAD FROM $rows", list(self.types), table


def _split(keys_of_rows: Sequence[Any], found: Mapping[int, bool]) -> tuple[list[int], list[int]]:
    """The numbers of the rows to create, and of those to merge onto what exists.

    ``found`` says, for each row whose key exists, whether what is stored equals what the
    row states; such a row is left out: a merge would change nothing (its fingerprint is
    among the properties, so not even ``updated_at``). A later row of a key this batch
    creates or merges updates it, as a merge would.
    """
    new: list[int] = []
    merged: list[int] = []
    created: set[Any] = set()
    changed: set[Any] = set()
    for number, key in enumerate(keys_of_rows):
        same = found.get(number)
        if same is None:
            (merged if key in created else new).append(number)
            created.add(key)
        elif not same or key in changed:
            merged.append(number)
            changed.add(key)
    return new, merged


def _same(var: str, properties: Sequence[str], columns: Sequence[str]) -> str:
    """Whether ``var`` stores exactly the row's ``properties`` (a null equals only a null).

    A property the row's columns lack is null in every row (see :meth:`_Batch.source`).
    """
    tests = [
        f"coalesce({var}.{cypher.q(p)} = {cypher.q(p)}, "
        f"{var}.{cypher.q(p)} IS NULL AND {cypher.q(p)} IS NULL)"
        if p in columns
        else f"{var}.{cypher.q(p)} IS NULL"
        for p in properties
    ]
    return " AND ".join(tests) or "true"


def _node_pattern(kind: NodeKind) -> str:
    return f"(n:{cypher.q(kind)})"


def _edge_pattern(rel: RelType, src: NodeKind, dst: NodeKind) -> str:
    return f"(:{cypher.q(src)})-[e:{cypher.q(rel)}]->(:{cypher.q(dst)})"


def _existing_nodes(kind: NodeKind, properties: Sequence[str]) -> Build:
    """For each row whose ``id`` exists as a ``kind`` node: its number, and if it is the same."""
    return lambda rows, columns: (
        f"{rows} MATCH (n:{cypher.q(kind)} {{id: id}}) "
        f"RETURN {ROW_NUMBER} AS row, {_same('n', properties, columns)} AS same"
    )


def _existing_edges(rel: RelType, src: NodeKind, dst: NodeKind, properties: Sequence[str]) -> Build:
    """For each ``rel`` edge between a row's ``a`` and ``b``: the row's number, if it is the same."""
    return lambda rows, columns: (
        f"{rows} MATCH (x:{cypher.q(src)} {{id: a}})-[e:{cypher.q(rel)}]->"
        f"(y:{cypher.q(dst)} {{id: b}}) "
        f"RETURN {ROW_NUMBER} AS row, {_same('e', properties, columns)} AS same"
    )


def _existing_ids(kind: NodeKind) -> Build:
    """The rows' ``id`` that exist as ``kind`` nodes."""
    return lambda rows, _: f"{rows} MATCH (n:{cypher.q(kind)} {{id: id}}) RETURN id"


def _create_nodes(kind: NodeKind) -> Build:
    """``CREATE`` one node per row, as a merge would create it."""

    def build(rows: str, columns: Sequence[str]) -> str:
        values = "".join(f", {cypher.q(k)}: {cypher.q(k)}" for k in columns if k != "id")
        return (
            f"{rows} CREATE (n:{cypher.q(kind)} "
            f"{{id: id, created_at: $now, updated_at: $now{values}}})"
        )

    return build


def _create_edges(rel: RelType, src: NodeKind, dst: NodeKind) -> Build:
    """``CREATE`` one edge per row whose two ends exist (the rows of others drop out)."""

    def build(rows: str, columns: Sequence[str]) -> str:
        values = ", ".join(f"{cypher.q(k)}: {cypher.q(k)}" for k in columns if k not in ("a", "b"))
        return (
            f"{rows} MATCH (x:{cypher.q(src)} {{id: a}}) MATCH (y:{cypher.q(dst)} {{id: b}}) "
            f"CREATE (x)-[:{cypher.q(rel)}{' {' + values + '}' if values else ''}]->(y)"
        )

    return build


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
    """Batched writes inside one LadybugDB transaction.

    Rows for nodes and edges that do not exist yet are inserted with one ``LOAD FROM`` an
    Arrow table and ``CREATE`` (see the module's notes), at close to ``COPY``'s speed.
    Which rows are new, and which equal what is stored, is asked first, in the same
    transaction (the engine compares, so stored values are not read back), so a ``CREATE``
    never meets an id that exists; rows that differ from what is stored are merged as
    before, and rows equal to it are left out. A table found empty is not asked again
    until a statement of the caller's own runs.
    """

    def __init__(self, connection: ladybug.Connection, now: str) -> None:
        super().__init__(connection)
        self._now = now
        self._empty: dict[str, bool] = {}

    def run(self, statement: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        self._empty.clear()  # the caller's statement may write anything
        return super().run(statement, params)

    def _is_empty(self, pattern: str) -> bool:
        """Whether no node or edge matches ``pattern`` (asked once per transaction)."""
        empty = self._empty.get(pattern)
        if empty is None:
            found = super().run(f"MATCH {pattern} RETURN 1 AS found LIMIT 1")
            empty = self._empty[pattern] = not found
        return empty

    def _bulk(self, build: Build, batch: _Batch, *, numbered: bool = False, **params: Any
              ) -> list[dict[str, Any]]:  # fmt: skip
        """Run the statement ``build`` makes over ``batch``.

        An Arrow table (``LOAD FROM``) is prepared here and dropped after: the driver's own
        cache of prepared statements would keep each table alive until the connection closes.
        """
        clause, columns, rows = batch.source(numbered=numbered)
        statement = build(clause, columns)
        if isinstance(rows, list):
            return super().run(statement, {"rows": rows, **params})
        values = {"rows": rows, **params}
        prepared = ladybug.PreparedStatement(self._connection, statement, values)
        if not prepared.is_success():
            raise RuntimeError(prepared.get_error_message())
        result = _single(self._connection.execute(prepared, values))
        names = result.get_column_names()
        found = [dict(zip(names, row, strict=True)) for row in result.get_all()]
        result.close()
        return found

    def _found(self, build: Build, batch: _Batch) -> dict[int, bool]:
        """By row number, whether what exists for the row equals it (all of it, if several)."""
        found: dict[int, bool] = {}
        for row in self._bulk(build, batch, numbered=True):
            number = int(row["row"])
            found[number] = found.get(number, True) and bool(row["same"])
        return found

    def _create_nodes(self, kind: NodeKind, batch: _Batch) -> None:
        """Create the batch's nodes, none of which exists, as a merge would."""
        self._bulk(_create_nodes(kind), batch, now=self._now)

    def _create_edges(self, rel: RelType, src: NodeKind, dst: NodeKind, batch: _Batch) -> None:
        """Create the batch's edges, none of which exists, between ends that exist."""
        self._bulk(_create_edges(rel, src, dst), batch)

    def upsert_nodes(self, kind: NodeKind, rows: Sequence[Row]) -> int:
        keys = cypher.row_properties(kind, rows)
        if not rows:
            return 0
        types = node_properties(kind)
        batch = _Batch(rows, {key: types[key] for key in ["id", *keys]})
        pattern = _node_pattern(kind)
        found = {} if self._is_empty(pattern) else self._found(_existing_nodes(kind, keys), batch)
        ids = [str(row["id"]) for row in rows]
        new, merged = _split(ids, found)
        if new:
            self._create_nodes(kind, batch.part(new))
        changed = [rows[number] for number in merged]
        for part in batches(changed):
            statement = cypher.upsert_nodes(kind, keys, _null_keys(part, keys))
            super().run(statement, {"rows": list(part), "now": self._now})
        self._empty[pattern] = False
        self._stored(kind, ids)
        return len(rows)

    def _stored(self, kind: NodeKind, ids: Sequence[str]) -> None:
        """Note that nodes of ``kind`` with ``ids`` exist now (for a subclass to keep)."""

    def upsert_edges(self, rel: RelType, src: NodeKind, dst: NodeKind, rows: Sequence[Row]) -> int:
        if not rows:
            return 0
        keys = list(rel_properties(rel))
        batch = _Batch(rows, {"a": PropType.STRING, "b": PropType.STRING, **rel_properties(rel)})
        pattern = _edge_pattern(rel, src, dst)
        found = (
            {}
            if self._is_empty(pattern)
            else self._found(_existing_edges(rel, src, dst, keys), batch)
        )
        new, merged = _split([(str(row["a"]), str(row["b"])) for row in rows], found)
        if new:
            self._create_edges(rel, src, dst, batch.part(new))
        changed = [rows[number] for number in merged]
        for part in batches(changed):
            statement = cypher.upsert_edges(rel, src, dst, _null_keys(part, keys))
            super().run(statement, {"rows": list(part)})
        self._empty[pattern] = False
        return len(rows)

    def delete_edges(
        self, rel: RelType, src: NodeKind, dst: NodeKind, ids: Sequence[str], *,
        from_source: bool, keep: Mapping[str, Sequence[str]] | None = None,
    ) -> None:  # fmt: skip
        if self._is_empty(_edge_pattern(rel, src, dst)):
            return
        if keep is None:
            statement = cypher.delete_edges(rel, src, dst, from_source=from_source)
            for start in range(0, len(ids), 5_000):
                super().run(statement, {"ids": list(ids[start : start + 5_000])})
            return
        batch = _Batch(kept_rows(ids, keep), {"id": PropType.STRING, "keep": PropType.STRING_LIST})
        self._bulk(
            lambda rows, _: cypher.delete_edges_except(
                rel, src, dst, from_source=from_source, rows=rows
            ),
            batch,
        )


class AsideTransaction(EmbeddedTransaction):
    """Writes to a copy of the store that nothing else uses, new rows by ``COPY``.

    Each statement commits by itself: the copy is the transaction, swapped in whole or thrown
    away (see :meth:`EmbeddedStore.transaction`). ``COPY`` refuses a row whose id exists, or
    an edge whose end does not, and in 0.22 a refused ``COPY`` can end the process; the rows
    are checked first so that neither can happen: the ids are new (asked, and each created
    once), and edges whose ends do not exist are left out, as the ``CREATE`` path leaves them.
    """

    def _create_nodes(self, kind: NodeKind, batch: _Batch) -> None:
        import pyarrow as pa

        table = batch.table()
        stamp = pa.array([self._now] * table.num_rows, pa.string())
        table = table.append_column("created_at", stamp).append_column("updated_at", stamp)
        names = ", ".join(cypher.q(name) for name in table.column_names)
        self._copy(f"COPY {cypher.q(kind)}({names}) FROM $rows", table)

    def __init__(self, connection: ladybug.Connection, now: str) -> None:
        super().__init__(connection, now)
        #: Ids of nodes this write stated, by kind: they exist, no need to ask.
        self._known: dict[NodeKind, set[str]] = {}

    def run(self, statement: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        self._known.clear()  # the caller's statement may delete anything
        return super().run(statement, params)

    def _stored(self, kind: NodeKind, ids: Sequence[str]) -> None:
        self._known.setdefault(kind, set()).update(ids)

    def _create_edges(self, rel: RelType, src: NodeKind, dst: NodeKind, batch: _Batch) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        table = batch.table()
        for end, kind in (("a", src), ("b", dst)):
            known = self._known.get(kind, set())
            wanted = [i for i in pc.unique(table.column(end)).to_pylist() if i not in known]
            if not wanted:
                continue
            ids = _Batch([{"id": i} for i in wanted], {"id": PropType.STRING})
            found = {row["id"] for row in self._bulk(_existing_ids(kind), ids)}
            missing = pa.array([i for i in wanted if i not in found], pa.string())
            if len(missing):
                table = table.filter(pc.invert(pc.is_in(table.column(end), value_set=missing)))
        if table.num_rows:
            table = table.rename_columns(["from", "to", *table.column_names[2:]])
            self._copy(f"COPY {cypher.q(rel)} FROM $rows (from='{src}', to='{dst}')", table)

    def _copy(self, statement: str, table: pa.Table) -> None:
        prepared = ladybug.PreparedStatement(self._connection, statement, {"rows": table})
        if not prepared.is_success():
            raise RuntimeError(prepared.get_error_message())
        _single(self._connection.execute(prepared, {"rows": table})).close()


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

    def __init__(self, data_dir: Path, *, read_only: bool = False, exclusive: bool = False) -> None:
        """Open (or create) the store in ``data_dir``.

        ``exclusive`` says that only the thread opening the store uses it (a command-line
        run): a large write may then load a copy of the store and swap it in (see
        :meth:`transaction`), closing and opening the database under this thread.
        """
        self.data_dir = Path(data_dir)
        self.read_only = read_only
        self.exclusive = exclusive and not read_only
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreUnavailable(
                f"cannot create the data folder {self.data_dir}: {error}"
            ) from None
        #: One line each for what the user should know about the store as it was opened.
        self.notices: list[str] = []
        self._database, torn_wal = self._open_database(self.data_dir / DATABASE_FILE)
        self._write_lock = threading.Lock()
        self._revision: int | None = None
        self._local = threading.local()
        self._connections: list[ladybug.Connection] = []
        self._journal = WriteJournal(self.data_dir / JOURNAL_FILE)
        if not read_only:  # a copy a stopped write was loading (the lock is held now)
            shutil.rmtree(self.data_dir / LOAD_FOLDER, ignore_errors=True)
        self._settle_interrupted_write(torn_wal)

    # -- opening and recovery ----------------------------------------------------------
    def _open_database(self, path: Path) -> tuple[ladybug.Database, Path | None]:
        """The database, and where its torn log was kept if it had to be cut (see above)."""
        try:
            return ladybug.Database(str(path), read_only=self.read_only), None
        except RuntimeError as error:
            message = str(error)
        if "lock" in message.lower():
            match = _LOCK_PID.search(message)
            holder = _describe_process(match.group(1)) if match else None
            raise StoreLocked(str(self.data_dir), holder)
        wal = self.data_dir / WAL_FILE
        # A torn log shows as a checksum failure, or as a read past its end when the tear
        # falls on a block boundary: both are retried with replay up to the last commit.
        if not wal.exists():
            raise StoreUnavailable(f"cannot open the embedded store {path}: {message}")
        if self.read_only:
            raise StoreUnavailable(
                f"the log of the embedded store {path} cannot be replayed read-only; open it "
                f"once read-write (any skillgraph command) to recover it: {message}"
            )
        kept = self.data_dir / TORN_WAL_FILE
        try:
            shutil.copyfile(wal, kept)
        except OSError as error:
            raise StoreUnavailable(
                f"the log of the embedded store {path} cannot be replayed ({message}), and it "
                f"could not be kept aside before recovery: {error}"
            ) from None
        try:
            return ladybug.Database(str(path), throw_on_wal_replay_failure=False), kept
        except RuntimeError as error:
            raise StoreUnavailable(
                f"cannot open the embedded store {path}, even without the interrupted write "
                f"at the end of its log (kept as {kept}): {error}"
            ) from None

    def _settle_interrupted_write(self, torn_wal: Path | None) -> None:
        """Turn a write the last process did not finish into one line in :attr:`notices`."""
        kept = f"; the interrupted log is kept as {torn_wal}" if torn_wal else ""
        pending = self._journal.pending()
        if pending is not None and self.revision() <= pending.revision:
            what = " ".join(pending.description.split())  # one line, whatever the file's name
            self.notices.append(
                f"{what} was not written: the process writing it stopped "
                f"(it started at {pending.started_at}); the store holds what was committed "
                f"before it, so ingest it again{kept}"
            )
        elif torn_wal:
            self.notices.append(
                "an interrupted write was cut from the end of the store's log: the store "
                f"holds every write committed before it{kept}"
            )
        if pending is not None and not self.read_only:
            self._journal.end()

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
        executor = _Executor(self._connection())
        changes: list[str] = []

        def run(statement: str) -> None:
            executor.run(statement)
            changes.append(statement)

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
            if changes:
                self._checkpoint()

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

    def read_arrow(self, statement: str) -> pa.Table:
        """A read statement's whole result as one Arrow table (for bulk reads)."""
        try:
            result = self._connection().execute(statement)
            if isinstance(result, list):  # several statements: keep the last result
                result = result[-1]
            return result.get_as_arrow(0)
        except RuntimeError as error:
            raise QueryRefused(str(error).split("\n")[0]) from None

    @contextmanager
    def transaction(
        self, description: str | None = None, *, rows: int = 0
    ) -> Iterator[EmbeddedTransaction]:
        """One write transaction; writers of this process take turns.

        ``description`` (e.g. the file being ingested) names the write in the notice of the
        next open should the process stop before it commits. ``rows`` is how many node and
        edge rows the write states: a large write into a store that is small beside it, in a
        store opened ``exclusive``, loads a copy of the store instead (:meth:`_aside`).
        """
        if self.read_only:
            raise StoreUnavailable(f"the embedded store {self.data_dir} is open read-only")
        with self._write_lock:
            self._journal.begin(description or "a write to the store", revision=self.revision())
            try:
                write = self._aside if self._goes_aside(rows) else self._in_place
                with write() as tx:
                    yield tx
            finally:
                self._journal.end()

    def _goes_aside(self, rows: int) -> bool:
        """Whether a write of ``rows`` rows loads a copy of the store (see :meth:`_aside`)."""
        if not self.exclusive or rows < ASIDE_ROWS or (self.data_dir / WAL_FILE).exists():
            return False
        if any(c is not getattr(self._local, "connection", None) for c in self._connections):
            return False  # another thread has a connection: the store cannot be swapped
        size = (self.data_dir / DATABASE_FILE).stat().st_size
        return size <= rows * ASIDE_BYTES_PER_ROW

    @contextmanager
    def _in_place(self) -> Iterator[EmbeddedTransaction]:
        """A transaction of the store, committed and checkpointed, or rolled back."""
        connection = self._connection()
        connection.set_query_timeout(0)  # a read's time limit must not cut a write
        tx = EmbeddedTransaction(connection, _now())
        try:
            tx.run("BEGIN TRANSACTION")
            yield tx
            tx.run(cypher.BUMP_REVISION, {"id": META_ID})
        except BaseException:
            # A statement the engine refuses ends its transaction already.
            with suppress(RuntimeError):
                tx.run("ROLLBACK")
            raise
        tx.run("COMMIT")
        self._revision = None
        self._checkpoint()

    @contextmanager
    def _aside(self) -> Iterator[EmbeddedTransaction]:
        """A write to a copy of the store in :data:`LOAD_FOLDER`, swapped in when it is done.

        The store's file (checkpointed: its log is empty) is copied beside it, the write goes
        to the copy with new rows by ``COPY`` (:class:`AsideTransaction`), the copy is
        checkpointed, closed and synced, then renamed over the store's file in one step. A
        kill before the rename leaves the store as it was and a folder that the next open
        removes; after it, the store holds the whole write. An error throws the copy away.
        """
        folder = self.data_dir / LOAD_FOLDER
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        copy = folder / DATABASE_FILE
        try:
            shutil.copyfile(self.data_dir / DATABASE_FILE, copy)
            database = ladybug.Database(str(copy))
            try:
                connection = ladybug.Connection(database)
                try:
                    tx = AsideTransaction(connection, _now())
                    yield tx
                    tx.run(cypher.BUMP_REVISION, {"id": META_ID})
                    tx.run("CHECKPOINT")
                finally:
                    connection.close()
            finally:
                database.close()
            if (folder / WAL_FILE).exists():
                raise StoreUnavailable(f"the copy of the embedded store {copy} kept a log")
            sync_path(copy)
            self._swap_in(copy)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _swap_in(self, copy: Path) -> None:
        """Put the closed, checkpointed database ``copy`` in place of the store's and open it.

        The rename comes before the store's own database is closed, so that the store's
        file is never unlocked under its old contents: a process that opens the store in
        between finds the new file (and this one then reports the store locked).
        """
        path = self.data_dir / DATABASE_FILE
        os.replace(copy, path)
        sync_path(self.data_dir)
        for connection in self._connections:
            connection.close()
        self._connections.clear()
        self._local = threading.local()
        self._database.close()
        self._revision = None
        self._database, _ = self._open_database(path)

    def _checkpoint(self) -> None:
        """Move what the log holds into the database file, so the log holds no commit."""
        # Readers on other threads can hold a checkpoint off past the engine's wait; the
        # commit is safe in the log meanwhile, and the next checkpoint takes it along.
        with suppress(RuntimeError):
            _Executor(self._connection()).run("CHECKPOINT")

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
