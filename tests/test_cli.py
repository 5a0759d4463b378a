"""The ``skillgraph`` command as a user runs it: output, exit status, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLE, TINY


def run(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SKILLGRAPH_DATA_DIR": str(data_dir), "SKILLGRAPH_STORE": "embedded"}
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_ingest_sample_then_stats_json_prints_the_counts(tmp_path: Path) -> None:
    first = run(["ingest", str(SAMPLE)], tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    stats = json.loads(run(["stats", "--json"], tmp_path).stdout)
    assert stats["members"] >= 40 and stats["nodes"]["Project"] >= 20
    assert stats["nodes"]["TrainingOffer"] >= 150 and stats["nodes"]["Competence"] >= 60
    assert stats["nodes"]["Priority"] == 6
    again = run(["ingest", str(SAMPLE)], tmp_path)
    assert again.returncode == 0
    restats = json.loads(run(["stats", "--json"], tmp_path).stdout)
    assert (restats["nodes"], restats["edges"]) == (stats["nodes"], stats["edges"])


def test_ingest_json_report_and_exit_status_for_rejected_rows(tmp_path: Path) -> None:
    bad = tmp_path / "members.csv"
    bad.write_text("id,name,type,country\nm-1,A GmbH,oem,DE\nm-2,B AG,oem,XX\n")
    result = run(["ingest", "--json", str(bad)], tmp_path / "store")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["files"][0]["rejected"][0]["location"] == f"{bad}:3"


def test_a_missing_file_is_one_line_with_exit_status_2(tmp_path: Path) -> None:
    result = run(["ingest", str(tmp_path / "nope.csv")], tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_locked_store_is_one_line_naming_the_holder(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from graph.embedded import EmbeddedStore; "
         "s = EmbeddedStore(sys.argv[1]); print('open', flush=True); time.sleep(60)", str(tmp_path)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        result = run(["ingest", str(TINY)], tmp_path)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 3
    assert f"PID {holder.pid}" in result.stderr and "POST /ingest" in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.strip().count("\n") == 0


def test_an_unreachable_neo4j_is_one_line_with_exit_status_3(tmp_path: Path) -> None:
    env = {**os.environ, "SKILLGRAPH_STORE": "neo4j", "NEO4J_URI": "bolt://127.0.0.1:9"}
    result = subprocess.run([sys.executable, "-m", "api.cli", "stats"], capture_output=True, text=True,
                            env=env, timeout=120)  # fmt: skip
    assert result.returncode == 3
    assert "cannot reach Neo4j" in result.stderr and result.stderr.strip().count("\n") == 0
