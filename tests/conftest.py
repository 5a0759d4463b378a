"""Shared fixtures: real stores (embedded on disk always, Neo4j where NEO4J_URI is set)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph.embedded import EmbeddedStore
from graph.store import Store
from ingest.pipeline import ingest
from queries.projection import project

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


@pytest.fixture(scope="session")
def sample_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed embedded store holding ``data/sample``; copy it before opening it."""
    folder = tmp_path_factory.mktemp("sample-store")
    store = EmbeddedStore(folder)
    store.ensure_schema()
    ingest(store, [SAMPLE])
    store.close()
    return folder


def copy_store(source: Path, target: Path) -> Path:
    """A private copy of a closed store folder (one process may hold a store at a time)."""
    shutil.copytree(source, target)
    return target


@pytest.fixture(scope="session")
def sample_graph(
    sample_store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> nx.MultiDiGraph:
    """The projection of ``data/sample`` in a real embedded store (shared: do not modify)."""
    folder = copy_store(sample_store_dir, tmp_path_factory.mktemp("sample-graph") / "graph")
    store = EmbeddedStore(folder)
    try:
        return project(store)
    finally:
        store.close()


@pytest.fixture(scope="session")
def planted() -> dict[str, Any]:
    """The manifest of the sample's planted features (docs/sample-data.md)."""
    return json.loads((DATA / "sample_planted.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]
