"""The real app on a real store of every backend holding the sample data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.conftest import BACKENDS, sample_settings


@pytest.fixture(scope="module", params=BACKENDS)
def client_settings(
    request: pytest.FixtureRequest, sample_store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    """Settings of an app on this module's own store holding the sample, of every backend."""
    return sample_settings(request, sample_store_dir, tmp_path_factory.mktemp("api"))


@pytest.fixture(scope="module")
def client(client_settings: Settings) -> Iterator[TestClient]:
    """A client of the app serving the sample data."""
    with TestClient(create_app(client_settings)) as test_client:
        yield test_client


@pytest.fixture
def make_client(backend_settings: Callable[..., Settings]) -> Callable[..., TestClient]:
    """A client of an app on an empty store of every backend, built with the given settings."""
    return lambda **overrides: TestClient(create_app(backend_settings(**overrides)))
