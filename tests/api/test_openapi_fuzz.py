"""Property-based fuzzing of the whole OpenAPI surface: no 5xx, responses match their schemas.

Every case runs against the app on each backend's store holding the sample.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.app import create_app
from api.settings import Settings
from tests.conftest import BACKENDS, copy_store, sample_settings

# The schema is read when the module is collected; the store behind the app is filled and
# opened (the app's lifespan) by the fixture below before any case runs.
FOLDER = Path(tempfile.mkdtemp(prefix="skillgraph-fuzz-"))
APP_KEY = "fuzz-key"
APP = create_app(Settings(data_dir=FOLDER / "graph", api_key=APP_KEY))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="session", params=BACKENDS)
def running_app(
    request: pytest.FixtureRequest, sample_store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FastAPI]:
    if request.param == "neo4j":
        settings = sample_settings(request, sample_store_dir, tmp_path_factory.mktemp("fuzz"))
        app = create_app(settings.model_copy(update={"api_key": APP_KEY}))
        with TestClient(app):
            yield app
        return
    shutil.rmtree(FOLDER / "graph", ignore_errors=True)  # loading the schema started the app once
    copy_store(sample_store_dir, FOLDER / "graph")
    with TestClient(APP):
        yield APP
    shutil.rmtree(FOLDER, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_within_its_schema(
    case: schemathesis.Case, running_app: FastAPI
) -> None:
    # Any string fits the schema of /cypher, but not every string is Cypher: a 400 is right.
    excluded = [positive_data_acceptance] if case.path == "/cypher" else []
    case.call_and_validate(app=running_app, excluded_checks=excluded)
