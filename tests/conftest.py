"""Shared fixtures: real stores, the embedded one on disk and a real Neo4j 5 server.

The Neo4j server is the one ``NEO4J_URI`` (with ``NEO4J_USER``, ``NEO4J_PASSWORD`` and
``NEO4J_DATABASE``) names, or else a throw-away server this session starts from the jars
``make neo4j`` resolved (:mod:`tests.neo4j_server`). Where neither can run, the Neo4j tests
skip with the reason; with ``CI`` set they fail instead, so nothing is skipped in CI.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from api.settings import Settings
from graph.embedded import EmbeddedStore
from graph.store import Store
from ingest.pipeline import ingest
from queries.projection import project
from tests.neo4j_server import Neo4jServer, ServerUnavailable, start_server

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny"
SAMPLE = Path(__file__).parents[1] / "data" / "sample"

BACKENDS = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]
WIPE_NEO4J = "MATCH (n) DETACH DELETE n"
# Commands the tests run do not leave analysing processes behind them; the tests of that
# choice (tests/test_startup.py) ask for it explicitly.
os.environ.setdefault("SKILLGRAPH_ANALYSES_AFTER_INGEST", "skip")


@dataclass(frozen=True)
class Neo4jTarget:
    """Where the suite's Neo4j server is, and the server itself when this session started it."""

    uri: str
    user: str
    password: str = field(repr=False)
    database: str = "neo4j"
    server: Neo4jServer | None = field(default=None, repr=False)

    @property
    def env(self) -> dict[str, str]:
        """The variables that point a ``skillgraph`` process at this server."""
        return {"SKILLGRAPH_STORE": "neo4j", "NEO4J_URI": self.uri, "NEO4J_USER": self.user,
                "NEO4J_PASSWORD": self.password, "NEO4J_DATABASE": self.database}  # fmt: skip

    def settings(self, **overrides: Any) -> Settings:
        """Settings of an app or a command on this server."""
        return Settings(store="neo4j", neo4j_uri=self.uri, neo4j_user=self.user,
                        neo4j_password=self.password, neo4j_database=self.database, **overrides)  # fmt: skip

    def open(self) -> Store:
        """A store on this server."""
        from graph.neo4j_store import Neo4jStore

        return Neo4jStore(self.uri, self.user, self.password, self.database)

    def wipe(self) -> None:
        """Delete every node and relationship (constraints and indexes stay)."""
        store = self.open()
        try:
            with store.transaction() as tx:
                tx.run(WIPE_NEO4J)
        finally:
            store.close()


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"Neo4j is required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def neo4j_target() -> Iterator[Neo4jTarget]:
    """The session's Neo4j server: ``NEO4J_URI``'s, or one started here and removed after."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield Neo4jTarget(uri, os.environ.get("NEO4J_USER", "neo4j"),
                          os.environ.get("NEO4J_PASSWORD", ""),
                          os.environ.get("NEO4J_DATABASE", "neo4j"))  # fmt: skip
        return
    try:
        server = start_server()
    except ServerUnavailable as error:
        _unavailable(f"no Neo4j server: {error}")
        raise
    try:
        # The routing scheme, as a cluster is reached; tests of bolt:// use server.uri.
        yield Neo4jTarget(server.routing_uri, server.user, server.password, "neo4j", server)
    finally:
        server.close()


@pytest.fixture
def neo4j(neo4j_target: Neo4jTarget) -> Neo4jTarget:
    """The session's Neo4j server, emptied for this test."""
    neo4j_target.wipe()
    return neo4j_target


def _neo4j_store(request: pytest.FixtureRequest) -> Store:
    target: Neo4jTarget = request.getfixturevalue("neo4j")
    return target.open()


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
    opened = (
        _neo4j_store(request) if request.param == "neo4j" else EmbeddedStore(tmp_path / "graph")
    )
    opened.ensure_schema()
    yield opened
    opened.close()


@pytest.fixture(params=BACKENDS)
def backend_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[..., Settings]:
    """Settings of an app or command on an empty store of every backend, with overrides.

    Either way ``data_dir`` is ``tmp_path / "graph"``, so files kept beside the store (the
    review file) stay in the test's folder.
    """
    data_dir = tmp_path / "graph"
    if request.param == "neo4j":
        target: Neo4jTarget = request.getfixturevalue("neo4j")
        return lambda **overrides: target.settings(data_dir=data_dir, **overrides)
    return lambda **overrides: Settings(data_dir=data_dir, **overrides)


@pytest.fixture(scope="session")
def sample_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed embedded store holding ``data/sample``; copy it before opening it."""
    folder = tmp_path_factory.mktemp("sample-store")
    store = EmbeddedStore(folder)
    store.ensure_schema()
    ingest(store, [SAMPLE])
    store.close()
    return folder


def sample_settings(
    request: pytest.FixtureRequest, sample_store_dir: Path, folder: Path
) -> Settings:
    """Settings on a store holding ``data/sample`` of ``request.param``'s backend.

    The embedded store is a private copy of ``sample_store_dir`` in ``folder``; the Neo4j
    database is emptied and loaded with the sample.
    """
    if request.param == "neo4j":
        target: Neo4jTarget = request.getfixturevalue("neo4j_target")
        target.wipe()
        store = target.open()
        try:
            store.ensure_schema()
            ingest(store, [SAMPLE])
        finally:
            store.close()
        return target.settings(data_dir=folder / "graph")
    return Settings(data_dir=copy_store(sample_store_dir, folder / "graph"))


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
