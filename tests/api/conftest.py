"""The real app on a real embedded store holding the sample data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded import EmbeddedStore
from ingest.pipeline import ingest
from tests.conftest import SAMPLE


@pytest.fixture(scope="session")
def sample_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder holding the sample data (closed again, so an app can open it)."""
    folder = tmp_path_factory.mktemp("api-store")
    store = EmbeddedStore(folder)
    store.ensure_schema()
    ingest(store, [SAMPLE])
    store.close()
    return folder


@pytest.fixture(scope="module")
def client(sample_store_dir: Path) -> Iterator[TestClient]:
    """A client of the app serving the sample data."""
    app = create_app(Settings(data_dir=sample_store_dir))
    with TestClient(app) as test_client:
        yield test_client
