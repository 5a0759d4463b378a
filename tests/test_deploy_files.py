"""docker-compose.yml and the Dockerfile, checked as far as a client without an engine can.

``docker compose config`` (or the standalone ``docker-compose config``) parses, validates
and interpolates the compose file; the rest is checked against the project itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from api.cli import app
from api.settings import Settings

ROOT = Path(__file__).parents[1]
POM = ROOT / "tests" / "neo4j_server" / "pom.xml"


def _compose() -> list[str]:
    docker = shutil.which("docker")
    if (
        docker
        and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0
    ):
        return [docker, "compose"]
    standalone = shutil.which("docker-compose")
    if standalone:
        return [standalone]
    reason = "neither `docker compose` nor `docker-compose` is installed (make compose)"
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def _config(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "SKILLGRAPH_"))}
    return subprocess.run([*_compose(), "-f", str(ROOT / "docker-compose.yml"), "config"],
                          capture_output=True, text=True, cwd=ROOT, env={**clean, **env},
                          timeout=60)  # fmt: skip


def test_the_compose_file_is_valid_and_needs_a_password() -> None:
    refused = _config()
    assert refused.returncode != 0 and "set NEO4J_PASSWORD" in refused.stderr
    done = _config(NEO4J_PASSWORD="a-long-password")
    assert done.returncode == 0, done.stderr
    services = yaml.safe_load(done.stdout)["services"]
    neo4j_version = re.search(r"<neo4j.version>([^<]+)</neo4j.version>", POM.read_text())
    assert neo4j_version is not None
    assert services["neo4j"]["image"] == f"neo4j:{neo4j_version.group(1)}-community"
    assert services["neo4j"]["environment"]["NEO4J_AUTH"] == "neo4j/a-long-password"
    api = services["api"]["environment"]
    known = {field.validation_alias for field in Settings.model_fields.values()}
    assert set(api) <= known, set(api) - known
    assert api["SKILLGRAPH_STORE"] == "neo4j" and api["NEO4J_PASSWORD"] == "a-long-password"
    assert re.fullmatch(r"(bolt|neo4j)://neo4j:7687", api["NEO4J_URI"])
    command = services["api"]["command"]
    assert command[0] == "skillgraph" and command[1] in _commands()


def _commands() -> set[str]:
    names = {c.name or c.callback.__name__ for c in app.registered_commands if c.callback}
    return names | {g.name for g in app.registered_groups if g.name}


def test_the_dockerfile_copies_every_package_and_runs_a_real_command() -> None:
    text = (ROOT / "Dockerfile").read_text()
    copied = {line.split()[1] for line in text.splitlines() if line.startswith("COPY ")}
    for source in copied:
        assert (ROOT / source).exists(), source
    pyproject = yaml.safe_load(
        re.search(r"include = (\[.*?\])", (ROOT / "pyproject.toml").read_text()).group(1)  # type: ignore[union-attr]
    )
    assert {name.rstrip("*") for name in pyproject} <= copied
    cmd = re.search(r"^CMD (\[.*\])$", text, re.MULTILINE)
    assert cmd is not None
    words = yaml.safe_load(cmd.group(1))
    assert words[0] == "skillgraph" and words[1] in _commands()
