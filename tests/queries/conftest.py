"""Fixtures shared by the analyses' tests: the sample ecosystem, ingested once per module."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import networkx as nx
import pytest

from graph.embedded import EmbeddedStore
from ingest.pipeline import ingest
from queries.projection import project
from tests.conftest import DATA, SAMPLE


@pytest.fixture(scope="module")
def sample_graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[nx.MultiDiGraph]:
    """The projection of ``data/sample`` ingested into a real embedded store."""
    store = EmbeddedStore(tmp_path_factory.mktemp("sample") / "graph")
    store.ensure_schema()
    ingest(store, [SAMPLE])
    yield project(store)
    store.close()


@pytest.fixture(scope="module")
def planted() -> dict[str, Any]:
    """The manifest of the sample's planted features."""
    return json.loads((DATA / "sample_planted.json").read_text(encoding="utf-8"))
