"""Analyses over HTTP: the CLI's JSON shapes, revision caching with ETags."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import copy_store


@pytest.mark.parametrize(
    ("path", "keys"),
    [
        ("/analysis/duplicates", {"clusters", "recognition_candidates"}),
        ("/analysis/overlaps", {"overlaps"}),
        ("/analysis/gaps", {"gaps", "unaddressed_priorities"}),
        ("/analysis/fragmentation", {"organisations", "components", "largest_component_share", "isolated_members",
                                     "communities", "modularity", "brokers", "fragmentation_index"}),
        ("/analysis/priorities", {"priorities", "unclassified_answers"}),
        ("/organisations/m-004/partners", {"member", "recommendations", "existing_partners"}),
    ],
)  # fmt: skip
def test_analysis_answers_with_its_keys_and_an_etag(
    client: TestClient, path: str, keys: set[str]
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert keys <= set(response.json())
    tag = response.headers["etag"]
    again = client.get(path, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.headers["etag"] == tag


def test_the_api_gives_the_same_shape_as_the_cli(
    client: TestClient, sample_store_dir: Path, tmp_path: Path
) -> None:
    # The app holds its store; the CLI reads a copy of the same sample store.
    env = {
        **os.environ,
        "SKILLGRAPH_DATA_DIR": str(copy_store(sample_store_dir, tmp_path / "graph")),
    }
    result = subprocess.run([sys.executable, "-m", "api.cli", "report", "gaps", "--json"],
                            capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == client.get("/analysis/gaps").json()


def test_parameters_narrow_the_answer(client: TestClient) -> None:
    everything = client.get("/analysis/gaps").json()["gaps"]
    in_poland = client.get("/analysis/gaps", params={"country": "PL"}).json()["gaps"]
    assert (
        in_poland
        and all(g["country"] == "PL" for g in in_poland)
        and len(in_poland) < len(everything)
    )
    assert len(client.get("/analysis/overlaps", params={"limit": 2}).json()["overlaps"]) == 2
    strict = client.get("/analysis/duplicates", params={"min_score": 0.99}).json()["clusters"]
    assert len(strict) < len(client.get("/analysis/duplicates").json()["clusters"])


def test_partners_of_an_unknown_member_is_a_404(client: TestClient) -> None:
    response = client.get("/organisations/m-nobody/partners")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_bad_analysis_parameter_is_a_422_naming_it(client: TestClient) -> None:
    response = client.get("/analysis/duplicates", params={"min_score": 2})
    assert response.status_code == 422 and "min_score" in response.json()["error"]["message"]
