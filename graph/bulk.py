"""New rows into LadybugDB through ``COPY`` from Arrow tables, only where it is safe.

LadybugDB runs ``COPY ... FROM`` an Arrow table inside a write transaction, and a rollback
undoes it. But, measured on 0.22 (``bench/copy_transactions.py``), the process dies (a
segmentation fault) on a ``COPY`` that fails, such as one meeting an existing id, and on any
``COPY`` after a transaction holding a ``COPY`` was rolled back. Hence:

* only rows known to be new go through ``COPY``: node ids absent from the table and unique in
  the batch; edges whose two ends exist, that do not exist yet and are unique in the batch;
  the Arrow table is built, typed by the schema, before anything is sent;
* each ``COPY`` leaves a witness (its first row); a write that finds the witness gone knows
  that the ``COPY``'s transaction rolled back, and this process uses ``MERGE`` from then on
  for that database;
* everything else (updates of existing nodes, small batches) stays ``MERGE``, with the same
  effect as before: a new node gets ``created_at`` and ``updated_at`` of the transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from graph.cypher import q
from graph.schema import NodeKind, PropType, RelType, node_properties, rel_properties
from graph.store import BATCH_SIZE, Row

#: Fewer new rows than this go through MERGE (a COPY's fixed cost is not worth it).
COPY_MIN_ROWS = 1_000

Run = Callable[[str, Mapping[str, Any]], list[dict[str, Any]]]


@dataclass
class _Guard:
    """Whether COPY is still safe on one database in this process."""

    disabled: bool = False
    witness: tuple[str, dict[str, Any]] | None = None


_GUARDS: WeakKeyDictionary[Any, _Guard] = WeakKeyDictionary()


def _guard(database: Any) -> _Guard:
    guard = _GUARDS.get(database)
    if guard is None:
        guard = _GUARDS[database] = _Guard()
    return guard


def copy_allowed(database: Any, run: Run) -> bool:
    """False once a COPY on this database was rolled back (its witness is gone)."""
    guard = _guard(database)
    if not guard.disabled and guard.witness is not None:
        statement, params = guard.witness
        guard.disabled = not run(statement, params)
    return not guard.disabled


def _arrow_type(prop: PropType) -> Any:
    import pyarrow as pa

    return {
        PropType.STRING: pa.string(),
        PropType.INT: pa.int64(),
        PropType.FLOAT: pa.float64(),
        PropType.BOOL: pa.bool_(),
        PropType.STRING_LIST: pa.list_(pa.string()),
    }[prop]


def _table(columns: dict[str, list[Any]], types: dict[str, PropType]) -> Any:
    """An Arrow table typed by the schema, or None when a value does not fit its type."""
    import pyarrow as pa

    try:
        arrays = {}
        for name, values in columns.items():
            prop = types.get(name, PropType.STRING)
            if prop is PropType.STRING_LIST and any(v is None for v in values):
                return None  # a list property is never null (see the embedded store)
            arrays[name] = pa.array(values, type=_arrow_type(prop))
        return pa.table(arrays)
    except (pa.ArrowException, TypeError, ValueError):
        return None


def _present(run: Run, statement: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for start in range(0, len(ids), BATCH_SIZE):
        found += run(statement, {"ids": list(ids[start : start + BATCH_SIZE])})
    return found


def _existing_ids(run: Run, kind: NodeKind, ids: Sequence[str]) -> set[str]:
    statement = f"UNWIND $ids AS id MATCH (n:{q(kind)} {{id: id}}) RETURN n.id AS id"
    return {row["id"] for row in _present(run, statement, ids)}


def copy_new_nodes(
    database: Any,
    run: Run,
    copy: Run,
    kind: NodeKind,
    keys: Sequence[str],
    rows: Sequence[Row],
    now: str,
) -> Sequence[Row]:
    """COPY the rows whose id is new; return the rows left for MERGE."""
    ids = [row["id"] for row in rows]
    if len(rows) < COPY_MIN_ROWS or len(set(ids)) != len(ids):
        return rows
    if not copy_allowed(database, run):
        return rows
    existing = _existing_ids(run, kind, ids)
    new = [row for row in rows if row["id"] not in existing]
    if len(new) < COPY_MIN_ROWS:
        return rows
    stamps = [now] * len(new)
    columns = {"id": [row["id"] for row in new]}
    columns |= {key: [row.get(key) for row in new] for key in keys}
    columns |= {"created_at": stamps, "updated_at": stamps}
    table = _table(columns, node_properties(kind))
    if table is None:
        return rows
    names = ", ".join(q(name) for name in columns)
    copy(f"COPY {q(kind)}({names}) FROM $rows", {"rows": table})
    match = f"MATCH (n:{q(kind)} {{id: $id}}) RETURN n.id AS id"
    _guard(database).witness = (match, {"id": new[0]["id"]})
    return [row for row in rows if row["id"] in existing]


def copy_new_edges(
    database: Any,
    run: Run,
    copy: Run,
    rel: RelType,
    src: NodeKind,
    dst: NodeKind,
    rows: Sequence[Row],
    columns_in_table: Sequence[str],
) -> Sequence[Row]:
    """COPY the edges that are new and whose ends exist; return the rows left for MERGE.

    ``columns_in_table`` are the relationship table's property columns in their order.
    """
    pairs = [(row["a"], row["b"]) for row in rows]
    props = list(rel_properties(rel))
    if len(rows) < COPY_MIN_ROWS or len(set(pairs)) != len(pairs):
        return rows
    if sorted(props) != sorted(columns_in_table) or not copy_allowed(database, run):
        return rows
    sources = sorted({a for a, _ in pairs})
    starts = _existing_ids(run, src, sources)
    ends = _existing_ids(run, dst, sorted({b for _, b in pairs}))
    linked = f"UNWIND $ids AS id MATCH (a:{q(src)} {{id: id}})-[:{q(rel)}]->(b:{q(dst)}) "
    existing = {
        (r["a"], r["b"]) for r in _present(run, linked + "RETURN a.id AS a, b.id AS b", sources)
    }
    new = [
        row
        for row, pair in zip(rows, pairs, strict=True)
        if pair[0] in starts and pair[1] in ends and pair not in existing
    ]
    if len(new) < COPY_MIN_ROWS:
        return rows
    columns = {"from": [row["a"] for row in new], "to": [row["b"] for row in new]}
    columns |= {name: [row.get(name) for row in new] for name in columns_in_table}
    table = _table(columns, rel_properties(rel))
    if table is None:
        return rows
    copy(
        f"COPY {q(rel)} FROM $rows (from='{src}', to='{dst}')",
        {"rows": table},
    )
    first = new[0]
    match = f"MATCH (a:{q(src)} {{id: $a}})-[:{q(rel)}]->(b:{q(dst)} {{id: $b}}) RETURN a.id AS id"
    _guard(database).witness = (match, {"a": first["a"], "b": first["b"]})
    copied = {(row["a"], row["b"]) for row in new}
    return [row for row, pair in zip(rows, pairs, strict=True) if pair not in copied]
