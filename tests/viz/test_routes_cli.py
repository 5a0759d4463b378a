"""The views over HTTP (pages and assets) and ``skillgraph viz`` writing offline files."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.conftest import BACKENDS, copy_store, sample_settings


@pytest.fixture(scope="module", params=BACKENDS)
def client(
    request: pytest.FixtureRequest, sample_store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """The app on the sample, on each backend."""
    settings = sample_settings(request, sample_store_dir, tmp_path_factory.mktemp("viz-routes"))
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.mark.parametrize(
    "path",
    ["/viz", "/viz?budget=20&country=DE&kind=Organisation&type=oem", "/viz/organisations/m-004",
     "/viz/organisations/m-004?depth=2", "/viz/duplicates", "/viz/competences/c-h2-refuelling",
     "/viz/fragmentation"],
)  # fmt: skip
def test_every_view_is_a_page_that_loads_its_assets_from_the_api(
    client: TestClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "http" not in response.text and 'src="/viz/assets/view.js"' in response.text


def test_the_assets_are_served_and_nothing_else(client: TestClient) -> None:
    for name, kind in [("vis-network.min.js", "javascript"), ("vis-network.min.css", "css"),
                       ("view.js", "javascript"), ("view.css", "css")]:  # fmt: skip
        response = client.get(f"/viz/assets/{name}")
        assert response.status_code == 200 and kind in response.headers["content-type"]
    assert client.get("/viz/assets/template.html").status_code == 404
    assert client.get("/viz/assets/..%2Fpage.py").status_code == 404


def test_unknown_entities_and_bad_parameters_are_clear_errors(client: TestClient) -> None:
    missing = client.get("/viz/organisations/m-none")
    assert missing.status_code == 404 and "m-none" in missing.json()["error"]["message"]
    assert client.get("/viz/competences/c-none").status_code == 404
    assert client.get("/viz/organisations/m-004?depth=3").status_code == 422
    assert client.get("/viz?budget=0").status_code == 422
    note = client.get("/viz?budget=10").text
    assert "Showing the 10 most connected" in note


def run(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SKILLGRAPH_DATA_DIR": str(data_dir), "SKILLGRAPH_STORE": "embedded"}
    return subprocess.run([sys.executable, "-m", "api.cli", "viz", *args], capture_output=True,
                          text=True, env=env, timeout=120)  # fmt: skip


def test_the_cli_writes_a_self_contained_file_and_refuses_bad_ids_in_one_line(
    sample_store_dir: Path, tmp_path: Path
) -> None:
    store = copy_store(sample_store_dir, tmp_path / "graph")
    out = tmp_path / "views" / "org.html"
    done = run(
        ["--view", "organisation", "--id", "m-004", "--depth", "2", "--out", str(out)], store
    )
    assert done.returncode == 0, done.stderr
    html = out.read_text()
    assert "/viz/assets" not in html and "<script src" not in html and "vis.Network" in html
    assert "m-004" in html
    for args, message in [
        (["--view", "organisation"], "needs --id"),
        (["--view", "competence", "--id", "c-none"], "no competence with id 'c-none'"),
    ]:
        failed = run([*args, "--out", str(tmp_path / "x.html")], store)
        assert failed.returncode == 2 and message in failed.stderr
        assert failed.stderr.strip().count("\n") == 0 and "Traceback" not in failed.stderr
    budget = run(["--budget", "30", "--out", str(tmp_path / "eco.html")], store)
    assert budget.returncode == 0 and "30 most connected" in budget.stdout
