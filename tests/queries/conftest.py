"""Fixtures shared by the analyses' tests: the projection of the sample ecosystem."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graph.embedded import EmbeddedStore
from queries.projection import project
from tests.conftest import copy_store


@pytest.fixture(scope="module")
def sample_graph(
    sample_store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> nx.MultiDiGraph:
    """The projection of ``data/sample`` ingested into a real embedded store."""
    folder = copy_store(sample_store_dir, tmp_path_factory.mktemp("sample") / "graph")
    store = EmbeddedStore(folder)
    try:
        return project(store)
    finally:
        store.close()
