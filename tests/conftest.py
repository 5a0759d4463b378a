"""Shared fixtures: real stores (embedded on disk always, Neo4j where NEO4J_URI is set)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.store import Store

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny"
SAMPLE = Path(__file__).parents[1] / "data" / "sample"

BACKENDS = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]
WIPE_NEO4J = "MATCH (n) DETACH DELETE n"


def _neo4j_store() -> Store:
    from graph.neo4j_store import Neo4jStore

    uri = os.environ.get("NEO4J_URI")
    if not uri:
        pytest.skip("NEO4J_URI is not set: no Neo4j server to run the contract against")
    store = Neo4jStore(
        uri,
        os.environ.get("NEO4J_USER", "neo4j"),
        os.environ.get("NEO4J_PASSWORD", ""),
        os.environ.get("NEO4J_DATABASE", "neo4j"),
    )
    with store.transaction() as tx:
        tx.run(WIPE_NEO4J)
    return store


@pytest.fixture
def embedded_store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    """An empty embedded store in a temporary folder, with its schema."""
    store = EmbeddedStore(tmp_path / "graph")
    store.ensure_schema()
    yield store
    store.close()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of every reachable backend."""
    opened: Store
    opened = _neo4j_store() if request.param == "neo4j" else EmbeddedStore(tmp_path / "graph")
    opened.ensure_schema()
    yield opened
    opened.close()
