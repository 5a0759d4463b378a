"""Per-revision values that several pages read (names of entities, counts)."""

from __future__ import annotations

from api.cache import RevisionCache
from graph.store import Store
from queries.bundle import entity_names
from queries.stats import GraphStats, graph_stats


def names_of(cache: RevisionCache) -> dict[str, str]:
    """A readable name for every id of the current revision."""
    return cache.get("names", lambda: entity_names(cache.graph()))


def stats_of(cache: RevisionCache, store: Store) -> GraphStats:
    """What the store holds at the current revision, counted once."""
    return cache.get("stats", lambda: graph_stats(store))
