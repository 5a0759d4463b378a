"""The report's bundle: every analysis, with the duplicate search beside the others."""

from __future__ import annotations

import networkx as nx
import pytest

from queries.bundle import all_analyses


@pytest.fixture(scope="module")
def alone(sample_graph: nx.MultiDiGraph) -> object:
    """The bundle with every analysis in this process (the sample is below the threshold)."""
    return all_analyses(sample_graph)


def test_the_bundle_is_the_same_with_the_duplicates_in_a_second_process(
    sample_graph: nx.MultiDiGraph, alone: object, searched_beside: list[object]
) -> None:
    beside = all_analyses(sample_graph)
    assert searched_beside
    assert beside == alone
