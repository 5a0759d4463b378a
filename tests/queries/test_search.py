"""Search across kinds: the entries that can score are found in one pass."""

from __future__ import annotations

import networkx as nx
import pytest

from queries.search import SearchIndex


@pytest.fixture(scope="module")
def index(sample_graph: nx.MultiDiGraph) -> SearchIndex:
    return SearchIndex(sample_graph)


@pytest.mark.parametrize("query", ["battery", "high voltage", "m 010", "a", "s", "zzz none"])
def test_entries_holding_a_query_are_those_with_it_in_a_folded_string(
    index: SearchIndex, query: str
) -> None:
    expected = [
        e for e in index.entries
        if any(query in text for text in (e.folded_id, e.folded_name, *e.folded_names, e.folded_text))
    ]  # fmt: skip
    assert list(index.holding(query)) == expected
    assert (len(expected) > 0) == (query != "zzz none")
