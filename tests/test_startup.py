"""A first answer in seconds: commands start without the heavy libraries they do not use, and
the analyses of a revision an ingest wrote are computed once and kept for later readers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from api.analyses import duplicates_of, fragmentation_of, gaps_of, overlaps_of, priorities_of
from api.cache import RevisionCache, process_runs
from api.settings import Settings
from api.stores import analysis_folder
from graph.embedded import EmbeddedStore
from tests.commands import ENTRY_POINT, run_cli, write_member
from tests.conftest import TINY

#: Libraries that take most of a second or more to import, each used by a few commands only.
HEAVY = frozenset(
    {"networkx", "numpy", "scipy", "igraph", "sklearn", "matplotlib", "pyvis", "pandas",
     "pyarrow", "fastapi", "starlette", "uvicorn", "jinja2"}
)  # fmt: skip
#: Lighter libraries a command that does not use them does not import either (YAML is read
#: by a poll ingest only).
UNUSED_AT_START = frozenset({"yaml"})
#: What only an ingest reads with: its pipeline, the readers of the published formats and
#: the fuzzy matching of names.
INGEST_ONLY = frozenset({"ingest.pipeline", "ingest.sources", "rapidfuzz"})
_IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", re.MULTILINE)


def imported_modules(args: list[str], data_dir: Path) -> set[str]:
    """The modules ``skillgraph ARGS`` imports, as ``python -X importtime`` lists them."""
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
    return set(_IMPORTED.findall(done.stderr))


def imported_packages(args: list[str], data_dir: Path) -> set[str]:
    """The top-level packages of :func:`imported_modules`."""
    return {name.split(".")[0] for name in imported_modules(args, data_dir)}


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
    assert imported & UNUSED_AT_START == set()


@pytest.mark.parametrize(
    "args", [["ingest", "--help"], ["stats"], ["--help"]], ids=["ingest --help", "stats", "--help"]
)
def test_a_command_that_does_not_ingest_imports_no_reader(args: list[str], tmp_path: Path) -> None:
    imported = imported_modules(args, tmp_path)
    assert "api.cli" in imported  # the listing is read correctly
    assert imported & INGEST_ONLY == set()


def test_an_ingest_still_imports_its_readers(tmp_path: Path) -> None:
    imported = imported_modules(["ingest", str(TINY / "members.csv")], tmp_path)
    assert imported >= INGEST_ONLY  # what the test above looks for is what an ingest uses


def test_an_analysis_command_still_imports_what_it_uses(tmp_path: Path) -> None:
    imported = imported_packages(["report", "gaps", "--json"], tmp_path)
    assert {"networkx", "numpy"} <= imported


def reader(data_dir: Path) -> tuple[EmbeddedStore, RevisionCache]:
    """A new reader of the store, as a server started after the ingest opens it."""
    store = EmbeddedStore(data_dir, read_only=True)
    return store, RevisionCache(store, analysis_folder(Settings(data_dir=data_dir)))


def in_process(store: EmbeddedStore) -> dict[str, Any]:
    """Every default analysis computed here and now, nothing read from disk."""
    cache = RevisionCache(store)
    return defaults(cache, store)


def defaults(cache: RevisionCache, store: EmbeddedStore) -> dict[str, Any]:
    return {
        "duplicates": duplicates_of(cache),
        "overlaps": overlaps_of(cache),
        "gaps": gaps_of(cache),
        "fragmentation": fragmentation_of(cache),
        "priorities": priorities_of(cache, store),
    }


def test_an_ingest_that_waits_keeps_the_analyses_a_new_reader_serves(tmp_path: Path) -> None:
    data_dir = tmp_path / "graph"
    done = run_cli(["ingest", "--analyses", "wait", str(TINY)], data_dir)
    assert "analyses of revision" in done.stderr
    store, cache = reader(data_dir)
    try:
        kept = defaults(cache, store)
        assert cache.peek("projection") is None  # all read from disk, none computed
        assert kept == in_process(store)
    finally:
        store.close()
    # The next revision: its first reader computes, and never serves the kept results.
    run_cli(["ingest", "--analyses", "skip", str(write_member(tmp_path / "new" / "members.csv", "m-new"))],
            data_dir)  # fmt: skip
    store, cache = reader(data_dir)
    try:
        report = fragmentation_of(cache)
        assert cache.peek("projection") is not None
        assert "m-new" in report.isolated_members
        assert "m-new" not in kept["fragmentation"].isolated_members
    finally:
        store.close()


def test_an_ingest_computes_the_analyses_in_the_background_for_later_readers(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "graph"
    done = run_cli(["ingest", "--analyses", "background", str(TINY)], data_dir)
    found = re.search(r"\(process (\d+)\)", done.stderr)
    assert found, done.stderr
    store, cache = reader(data_dir)
    try:
        assert fragmentation_of(cache) == in_process(store)["fragmentation"]  # waited or computed
        pid = int(found.group(1))
        for _ in range(1200):  # the background process ends once every result is kept
            if not process_runs(pid):
                break
            time.sleep(0.1)
        assert not process_runs(pid)
        store.close()
        store, cache = reader(data_dir)
        assert defaults(cache, store) == in_process(store)
        assert cache.peek("projection") is None
        assert list(cache_folder(data_dir).glob("*.computing")) == []
    finally:
        store.close()


def test_analyse_keeps_the_current_revisions_analyses(tmp_path: Path) -> None:
    data_dir = tmp_path / "graph"
    run_cli(["ingest", "--analyses", "skip", str(TINY)], data_dir)
    done = run_cli(["analyse"], data_dir)
    assert "analyses of revision" in done.stdout
    store, cache = reader(data_dir)
    try:
        assert defaults(cache, store) == in_process(store)
        assert cache.peek("projection") is None
    finally:
        store.close()


def cache_folder(data_dir: Path) -> Path:
    folder = analysis_folder(Settings(data_dir=data_dir))
    assert folder is not None
    return folder
