"""``skillgraph report`` on the sample data: a report a coordinator can act on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import copy_store


@pytest.fixture(scope="module")
def sample_dir(sample_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_store(sample_store_dir, tmp_path_factory.mktemp("report") / "graph")


def run(args: list[str], data_dir: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SKILLGRAPH_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=180)  # fmt: skip


def test_the_report_names_duplicates_gaps_priorities_brokers_and_isolated_members(
    sample_dir: Path, tmp_path: Path, planted: dict[str, Any]
) -> None:
    result = run(["report", "--out", str(tmp_path / "out")], sample_dir, Path.cwd())
    assert result.returncode == 0, result.stderr
    markdown = (tmp_path / "out" / "report.md").read_text()
    html = (tmp_path / "out" / "report.html").read_text()
    for offer in ("t-0113", "t-0143", "p-011", "p-023"):
        assert offer in markdown
    assert "c-h2-refuelling" in markdown and "lack-of-recognition" in markdown
    assert "m-047" in markdown.split("### Brokers")[1]
    for member in planted["isolated_members"]:
        assert member in markdown.split("### Members in no project")[1]
    assert "<table>" in html and "t-0113" in html


@pytest.mark.parametrize(
    ("analysis", "keys"),
    [
        ("duplicates", {"clusters", "recognition_candidates"}),
        ("overlaps", {"overlaps"}),
        ("gaps", {"gaps", "unaddressed_priorities"}),
        ("fragmentation", {"organisations", "components", "largest_component_share", "isolated_members",
                           "communities", "modularity", "brokers", "fragmentation_index"}),
        ("priorities", {"priorities", "unclassified_answers"}),
    ],
)  # fmt: skip
def test_each_analysis_prints_its_json_keys(
    sample_dir: Path, tmp_path: Path, analysis: str, keys: set[str]
) -> None:
    result = run(["report", analysis, "--json"], sample_dir, tmp_path)
    assert result.returncode == 0, result.stderr
    assert keys <= set(json.loads(result.stdout))


def test_partners_json_and_unknown_member(sample_dir: Path, tmp_path: Path) -> None:
    body = json.loads(run(["report", "partners", "m-004", "--json"], sample_dir, tmp_path).stdout)
    assert body["member"] == "m-004" and {"recommendations", "existing_partners"} <= set(body)
    assert all({"id", "name", "score", "reasons"} <= set(r) for r in body["recommendations"])
    unknown = run(["report", "partners", "m-none"], sample_dir, tmp_path)
    assert (
        unknown.returncode == 2 and "m-none" in unknown.stderr and "Traceback" not in unknown.stderr
    )
