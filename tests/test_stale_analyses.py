"""A background analysing process of an earlier revision is stopped by the next ingest that writes.

The process stands for an analysing process still at work (a real process, recorded as an
ingest records the one it starts); the ingests are real commands on a real store.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from api.analyse_cli import PID_FILE
from api.settings import Settings
from api.stores import ANALYSES_FOLDER, analysis_folder
from tests.commands import run_cli, write_member
from tests.conftest import TINY


@pytest.fixture
def long_process() -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    yield process
    process.kill()
    process.wait()


def start_time(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()[19]


def ingested_pid_file(data_dir: Path) -> Path:
    """Where an ingest records its analysing process, once the store holds the tiny data."""
    run_cli(["ingest", "--analyses", "skip", str(TINY)], data_dir)
    recorded = data_dir / ANALYSES_FOLDER / PID_FILE
    recorded.parent.mkdir(parents=True, exist_ok=True)
    return recorded


def ingest_a_member(tmp_path: Path, data_dir: Path, member_id: str) -> CompletedProcess[str]:
    """An ingest that writes: one new member."""
    members = write_member(tmp_path / "late" / "members.csv", member_id)
    return run_cli(["ingest", "--analyses", "skip", str(members)], data_dir)


def test_the_next_ingest_stops_the_analyses_of_the_earlier_revision(
    tmp_path: Path, long_process: subprocess.Popen[bytes]
) -> None:
    data_dir = tmp_path / "graph"
    recorded = ingested_pid_file(data_dir)
    recorded.write_text(f"{long_process.pid} {start_time(long_process.pid)}", encoding="ascii")
    done = ingest_a_member(tmp_path, data_dir, "m-late")
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
    done = ingest_a_member(tmp_path, data_dir, "m-late")
    assert long_process.poll() is None
    assert "stopped the analyses" not in done.stderr


def test_an_ingest_that_writes_nothing_leaves_the_analysing_process_at_work(
    tmp_path: Path, long_process: subprocess.Popen[bytes]
) -> None:
    data_dir = tmp_path / "graph"
    recorded = ingested_pid_file(data_dir)
    recorded.write_text(f"{long_process.pid} {start_time(long_process.pid)}", encoding="ascii")
    rejected = write_member(tmp_path / "bad" / "members.csv", "m-bad", country="XX")
    done = run_cli(["ingest", str(rejected)], data_dir, succeeds=False)
    assert "nothing written" in done.stdout + done.stderr
    assert long_process.poll() is None
    assert recorded.exists()


def test_a_background_ingest_records_the_process_it_starts(tmp_path: Path) -> None:
    data_dir = tmp_path / "graph"
    done = run_cli(["ingest", "--analyses", "background", str(TINY)], data_dir)
    found = re.search(r"\(process (\d+)\)", done.stderr)
    assert found, done.stderr
    recorded = data_dir / ANALYSES_FOLDER / PID_FILE
    recorded_pid, _ = recorded.read_text(encoding="ascii").split()
    assert recorded_pid == found.group(1)
    ingest_a_member(tmp_path, data_dir, "m-x")
    assert not recorded.exists()


def test_results_kept_for_a_replaced_database_file_are_removed_by_the_next_write(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "graph"
    run_cli(["ingest", "--analyses", "wait", str(TINY)], data_dir)
    current = analysis_folder(Settings(data_dir=data_dir))
    assert current is not None and any(current.iterdir())
    replaced = current.parent / "db-1"  # a file a large write swapped out had another inode
    replaced.mkdir()
    (replaced / "fragmentation.json").write_text("{}", encoding="utf-8")
    ingest_a_member(tmp_path, data_dir, "m-y")
    assert not replaced.exists()
    assert current.exists()
