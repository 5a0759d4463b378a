"""Commands that do not analyse or draw start without the numerical and web libraries."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TINY

#: Libraries that take most of a second or more to import, each used by a few commands only.
HEAVY = frozenset(
    {"networkx", "numpy", "scipy", "igraph", "sklearn", "matplotlib", "pyvis", "pandas",
     "pyarrow", "fastapi", "starlette", "uvicorn", "jinja2"}
)  # fmt: skip
ENTRY_POINT = Path(sys.executable).with_name("skillgraph")
_IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", re.MULTILINE)


def imported_packages(args: list[str], data_dir: Path) -> set[str]:
    """The top-level packages ``skillgraph ARGS`` imports, as ``python -X importtime`` lists them."""
    env = {**os.environ, "SKILLGRAPH_DATA_DIR": str(data_dir), "SKILLGRAPH_STORE": "embedded",
           "SKILLGRAPH_ANALYSES_AFTER_INGEST": "skip"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-X", "importtime", str(ENTRY_POINT), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    return {name.split(".")[0] for name in _IMPORTED.findall(done.stderr)}


@pytest.mark.parametrize(
    "args",
    [["ingest", "--help"], ["stats"], ["ingest", str(TINY / "members.csv")], ["--help"]],
    ids=["ingest --help", "stats", "ingest a small file", "--help"],
)
def test_a_command_that_does_not_analyse_imports_no_heavy_library(
    args: list[str], tmp_path: Path
) -> None:
    imported = imported_packages(args, tmp_path)
    assert "typer" in imported and "api" in imported  # the listing is read correctly
    assert imported & HEAVY == set()


def test_an_analysis_command_still_imports_what_it_uses(tmp_path: Path) -> None:
    imported = imported_packages(["report", "gaps", "--json"], tmp_path)
    assert {"networkx", "numpy"} <= imported
