"""The real app on a real embedded store holding the sample data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.conftest import copy_store


@pytest.fixture(scope="module")
def client_store_dir(sample_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This module's own copy of the sample store."""
    return copy_store(sample_store_dir, tmp_path_factory.mktemp("api") / "graph")


@pytest.fixture(scope="module")
def client(client_store_dir: Path) -> Iterator[TestClient]:
    """A client of the app serving the sample data."""
    app = create_app(Settings(data_dir=client_store_dir))
    with TestClient(app) as test_client:
        yield test_client
