"""``skillgraph analyse``: the analyses of the current revision computed once and kept.

Results are kept beside the embedded store (:mod:`api.cache`), so a server started later,
or ``skillgraph report``, answers from them at once. ``skillgraph ingest`` runs this after
writing, in a process of its own by default: the command itself returns as soon as the
data is written, and a reader that asks for a result still being computed waits for it
rather than computing it a second time. The analyses' libraries are imported when it runs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

from api.settings import Settings, get_settings
from api.stores import ANALYSES_FOLDER, analysis_folder, drop_results_of_other_files, open_store
from api.terminal import err, friendly, out

#: The analysing process's errors, beside the results it keeps.
LOG_FILE = "analyse.log"
#: Which background analysing process the last ingest started (PID and start time), in the
#: store's analyses folder rather than a database file's: a large write swaps the file.
PID_FILE = "analysing.pid"


class AfterIngest(StrEnum):
    """What ``skillgraph ingest`` does with the analyses of the revision it wrote."""

    BACKGROUND = "background"
    WAIT = "wait"
    SKIP = "skip"


class Kept(NamedTuple):
    """The revision analysed, where its results are kept, and the seconds it took."""

    revision: int
    folder: Path
    seconds: float


def keep_analyses(settings: Settings) -> Kept | None:
    """Compute every analysis of the current revision with its default parameters, and keep it.

    The embedded store is opened read-only, so that a server or an ingest can open it
    meanwhile. None for a Neo4j store, or before the embedded store exists: nothing is kept
    between processes there.
    """
    folder = analysis_folder(settings)
    if folder is None:
        return None
    from api.analyses import warm
    from api.cache import RevisionCache

    started = time.perf_counter()
    store = open_store(settings, read_only=True)
    try:
        cache = RevisionCache(store, folder, max_entries=settings.analysis_cache_entries)
        warm(cache, store)
        return Kept(cache.revision(), folder, time.perf_counter() - started)
    finally:
        store.close()


def _started_at(pid: int) -> str | None:
    """When process ``pid`` started (clock ticks since boot), or None if it is not running.

    Kept with the PID so that a later PID of another process is never taken for it.
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] == "Z" else fields[19]


def stop_stale_analysis(settings: Settings) -> int | None:
    """Stop the background analysing process an earlier ingest started, if it still runs.

    Its revision is stale once a later ingest has written: its results would be dropped when
    kept, and it would take a CPU from the new revision's analyses. Returns the PID stopped.
    A claim it leaves is taken over by the next reader (:mod:`api.cache`).
    """
    recorded = settings.data_dir / ANALYSES_FOLDER / PID_FILE
    try:
        pid_text, started = recorded.read_text(encoding="ascii").split()
        pid = int(pid_text)
    except (OSError, ValueError):
        return None
    recorded.unlink(missing_ok=True)
    if pid <= 0 or _started_at(pid) != started:
        return None
    os.kill(pid, signal.SIGTERM)
    return pid


def analyse_in_background(settings: Settings) -> int | None:
    """Start ``skillgraph analyse`` in a process of its own; its PID, or None if nothing is kept.

    The process outlives the command that starts it; its errors go to ``analyse.log``
    beside the results. One started by an earlier ingest is stopped first.
    """
    folder = analysis_folder(settings)
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    stop_stale_analysis(settings)
    with (folder / LOG_FILE).open("w", encoding="utf-8") as log:
        process = subprocess.Popen(  # settings reach it as they reached this process
            [sys.executable, "-m", "api.cli", "analyse"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,  # not stopped with the terminal's process group
        )
    started = _started_at(process.pid)
    if started is not None:
        recorded = settings.data_dir / ANALYSES_FOLDER / PID_FILE
        recorded.write_text(f"{process.pid} {started}", encoding="ascii")
    return process.pid


def after_ingest(settings: Settings, what: AfterIngest) -> None:
    """Run, start or skip the analyses of the revision an ingest wrote, and say so on stderr.

    A background analysing process of an earlier revision is stopped whatever ``what`` says,
    and results kept for a database file the write replaced are removed.
    """
    stopped = stop_stale_analysis(settings)
    drop_results_of_other_files(settings)
    if stopped is not None:
        err.print(f"stopped the analyses of the earlier revision (process {stopped})")
    if what is AfterIngest.WAIT:
        kept = keep_analyses(settings)
        if kept is not None:
            err.print(
                f"analyses of revision {kept.revision} kept in {kept.folder} ({kept.seconds:.1f} s)"
            )
    elif what is AfterIngest.BACKGROUND:
        pid = analyse_in_background(settings)
        if pid is not None:
            err.print(
                f"computing the analyses of the new revision in the background (process {pid}); "
                "a server or report started meanwhile waits for them"
            )


@friendly
def analyse() -> None:
    """Compute the analyses of the current graph now and keep them beside the store."""
    kept = keep_analyses(get_settings())
    if kept is None:
        out.print(
            "nothing to keep: results are kept beside an embedded store that holds data "
            "(a Neo4j store's server computes them on the first request)"
        )
        return
    out.print(f"analyses of revision {kept.revision} kept in {kept.folder} ({kept.seconds:.1f} s)")
