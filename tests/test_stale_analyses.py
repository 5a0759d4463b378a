"""A background analysing process of an earlier revision is stopped by the next ingest that writes.

The process stands for an analysing process still at work (a real process, recorded as an
ingest records the one it starts); the ingests are real commands on a real store.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.analyse_cli import PID_FILE
from api.settings import Settings
from api.stores import ANALYSES_FOLDER, analysis_folder
from tests.conftest import TINY


def skillgraph(
    args: list[str], data_dir: Path, *, succeeds: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SKILLGRAPH_DATA_DIR": str(data_dir), "SKILLGRAPH_STORE": "embedded"}
    done = subprocess.run(
        [str(Path(sys.executable).with_name("skillgraph")), *args],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert (done.returncode == 0) is succeeds, done.stdout + done.stderr[-2000:]
    return done


@pytest.fixture
def long_process() -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    yield process
    process.kill()
    process.wait()


def start_time(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()[19]


def member_file(folder: Path, member_id: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "members.csv"
    path.write_text(
        "id,name,type,country,city,website,expertise,needs,joined\n"
        f"{member_id},Late Joiner GmbH,supplier,AT,Graz,,,,2026-03-01\n",
        encoding="utf-8",
    )
    return path


def ingested_pid_file(data_dir: Path) -> Path:
    """Where an ingest records its analysing process, once the store holds the tiny data."""
    skillgraph(["ingest", "--analyses", "skip", str(TINY)], data_dir)
    recorded = data_dir / ANALYSES_FOLDER / PID_FILE
    recorded.parent.mkdir(parents=True, exist_ok=True)
    return recorded


def test_the_next_ingest_stops_the_analyses_of_the_earlier_revision(
    tmp_path: Path, long_process: subprocess.Popen[bytes]
) -> None:
    data_dir = tmp_path / "graph"
    recorded = ingested_pid_file(data_dir)
    recorded.write_text(f"{long_process.pid} {start_time(long_process.pid)}", encoding="ascii")
    done = skillgraph(
        ["ingest", "--analyses", "skip", str(member_file(tmp_path / "late", "m-late"))], data_dir
    )
    assert long_process.wait(timeout=30) != 0  # ended by a signal, not by itself
    assert f"stopped the analyses of the earlier revision (process {long_process.pid})" in (
        done.stderr
    )
    assert not recorded.exists()


def test_a_recorded_pid_now_held_by_another_process_is_left_alone(
    tmp_path: Path, long_process: subprocess.Popen[bytes]
) -> None:
    data_dir = tmp_path / "graph"
    recorded = ingested_pid_file(data_dir)
    other_start = str(int(start_time(long_process.pid)) - 1)  # the PID's earlier holder
    recorded.write_text(f"{long_process.pid} {other_start}", encoding="ascii")
    done = skillgraph(
        ["ingest", "--analyses", "skip", str(member_file(tmp_path / "late", "m-late"))], data_dir
    )
    assert long_process.poll() is None
    assert "stopped the analyses" not in done.stderr


def test_an_ingest_that_writes_nothing_leaves_the_analysing_process_at_work(
    tmp_path: Path, long_process: subprocess.Popen[bytes]
) -> None:
    data_dir = tmp_path / "graph"
    recorded = ingested_pid_file(data_dir)
    recorded.write_text(f"{long_process.pid} {start_time(long_process.pid)}", encoding="ascii")
    rejected = tmp_path / "bad" / "members.csv"
    rejected.parent.mkdir()
    rejected.write_text(
        "id,name,type,country,city,website,expertise,needs,joined\n"
        "m-bad,Nowhere Ltd,supplier,XX,,,,,2026-03-01\n",
        encoding="utf-8",
    )
    done = skillgraph(["ingest", str(rejected)], data_dir, succeeds=False)
    assert "nothing written" in done.stdout + done.stderr
    assert long_process.poll() is None
    assert recorded.exists()


def test_a_background_ingest_records_the_process_it_starts(tmp_path: Path) -> None:
    data_dir = tmp_path / "graph"
    done = skillgraph(["ingest", "--analyses", "background", str(TINY)], data_dir)
    found = re.search(r"\(process (\d+)\)", done.stderr)
    assert found, done.stderr
    recorded = data_dir / ANALYSES_FOLDER / PID_FILE
    recorded_pid, _ = recorded.read_text(encoding="ascii").split()
    assert recorded_pid == found.group(1)
    skillgraph(["ingest", "--analyses", "skip", str(member_file(tmp_path / "late", "m-x"))],
               data_dir)  # fmt: skip
    assert not recorded.exists()


def test_results_kept_for_a_replaced_database_file_are_removed_by_the_next_write(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "graph"
    skillgraph(["ingest", "--analyses", "wait", str(TINY)], data_dir)
    current = analysis_folder(Settings(data_dir=data_dir))
    assert current is not None and any(current.iterdir())
    replaced = current.parent / "db-1"  # a file a large write swapped out had another inode
    replaced.mkdir()
    (replaced / "fragmentation.json").write_text("{}", encoding="utf-8")
    skillgraph(["ingest", "--analyses", "skip", str(member_file(tmp_path / "late", "m-y"))],
               data_dir)  # fmt: skip
    assert not replaced.exists()
    assert current.exists()
