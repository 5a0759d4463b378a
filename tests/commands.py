"""Running the ``skillgraph`` command in a process of its own, as a user does, on a given store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ENTRY_POINT = Path(sys.executable).with_name("skillgraph")


def run_cli(
    args: list[str], data_dir: Path, *, succeeds: bool = True
) -> subprocess.CompletedProcess[str]:
    """``skillgraph ARGS`` on the embedded store in ``data_dir``; checks that it succeeds or not."""
    env = {**os.environ, "SKILLGRAPH_DATA_DIR": str(data_dir), "SKILLGRAPH_STORE": "embedded"}
    done = subprocess.run(
        [str(ENTRY_POINT), *args], capture_output=True, text=True, env=env, timeout=300
    )
    assert (done.returncode == 0) is succeeds, done.stdout + done.stderr[-2000:]
    return done


def write_member(path: Path, member_id: str, country: str = "IE") -> Path:
    """A members file of one member (``country`` XX makes its one row rejected)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "id,name,type,country,city,website,expertise,needs,joined\n"
        f"{member_id},Isolated Newcomer Ltd,supplier,{country},Cork,,,,2026-01-01\n",
        encoding="utf-8",
    )
    return path
