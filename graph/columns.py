"""Whole results read column by column, through the fastest path each engine has."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from graph.embedded import EmbeddedStore
from graph.store import Store

#: Values looked at to tell a column of few distinct values (shared) from one of many.
_SAMPLE = 1024


def _repeated(column: pa.ChunkedArray) -> bool:
    """Whether a column's values repeat (at most half distinct in its first rows)."""
    if not (pa.types.is_string(column.type) or pa.types.is_floating(column.type)):
        return False
    sample = column.slice(0, _SAMPLE)
    return len(sample) > 1 and pc.count_distinct(sample).as_py() * 2 <= len(sample)


def column_values(column: pa.ChunkedArray) -> list[Any]:
    """A column as Python values, each distinct string or float one shared object.

    ``to_pylist`` makes one object per row; a column of countries, dates or enum values
    then holds the same few strings a hundred thousand times over. Dictionary-encoded, the
    distinct values are made once and each row refers to its value.
    """
    if not _repeated(column):
        return column.to_pylist()
    encoded = pc.dictionary_encode(column.combine_chunks())
    values = encoded.dictionary.to_pylist()
    return [None if index is None else values[index] for index in encoded.indices.to_pylist()]


def read_columns(store: Store, statement: str) -> dict[str, list[Any]]:
    """A read statement's result as ``{column: values}``, values in row order.

    The embedded store hands the result over as one Arrow table (no Python object per row
    inside the driver), repeated values shared (:func:`column_values`); any other store's rows
    are turned into columns. A result without rows may come back without its columns.
    """
    if isinstance(store, EmbeddedStore):
        table = store.read_arrow(statement)
        return {name: column_values(table.column(name)) for name in table.column_names}
    rows = store.run(statement)
    return {name: [row[name] for row in rows] for name in rows[0]} if rows else {}
