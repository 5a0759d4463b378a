"""Whole results read column by column, through the fastest path each engine has."""

from __future__ import annotations

from typing import Any

from graph.embedded import EmbeddedStore
from graph.store import Store


def read_columns(store: Store, statement: str) -> dict[str, list[Any]]:
    """A read statement's result as ``{column: values}``, values in row order.

    The embedded store hands the result over as one Arrow table (no Python object per row
    inside the driver); any other store's rows are turned into columns. A result without
    rows may come back without its columns.
    """
    if isinstance(store, EmbeddedStore):
        return store.read_arrow(statement).to_pydict()
    rows = store.run(statement)
    return {name: [row[name] for row in rows] for name in rows[0]} if rows else {}
