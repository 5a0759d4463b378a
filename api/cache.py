"""Results computed once per graph revision and reused until the graph changes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import networkx as nx
from starlette.concurrency import run_in_threadpool

from graph.store import Store
from queries.projection import project

T = TypeVar("T")


class RevisionCache:
    """Values keyed by name and parameters, all dropped when the store's revision moves.

    At most ``max_entries`` values are kept, the least recently used going first: analyses
    take parameters from the URL, and each distinct value would otherwise stay until the
    next write.
    """

    def __init__(self, store: Store, *, max_entries: int = 256) -> None:
        self._store = store
        self._max_entries = max_entries
        self._lock = threading.Lock()
        self._revision: int | None = None
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._key_locks: dict[Hashable, threading.Lock] = {}

    def __len__(self) -> int:
        """How many values are kept."""
        return len(self._values)

    def revision(self) -> int:
        """The store's current revision (and drop values of an older one)."""
        revision = self._store.revision()
        with self._lock:
            if revision != self._revision:
                self._revision = revision
                self._values.clear()
                self._key_locks.clear()
        return revision

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of ``key`` for the current revision, computed once."""
        self.revision()
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]  # type: ignore[no-any-return]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:  # one computation per key; others wait for it
            with self._lock:
                if key in self._values:
                    return self._values[key]  # type: ignore[no-any-return]
            value = compute()
            with self._lock:
                self._values[key] = value
                self._key_locks.pop(key, None)
                while len(self._values) > self._max_entries:
                    self._values.popitem(last=False)
            return value

    def peek(self, key: Hashable) -> Any:
        """The value of ``key`` for the current revision if it is computed already, else None."""
        self.revision()
        with self._lock:
            return self._values.get(key)

    async def graph_async(self) -> nx.MultiDiGraph:
        """The projection, built in a worker thread when it is not ready (never on the loop)."""
        ready = self.peek("projection")
        return ready if ready is not None else await run_in_threadpool(self.graph)

    def graph(self) -> nx.MultiDiGraph:
        """The NetworkX projection of the current revision."""
        return self.get("projection", lambda: project(self._store))
