"""A call computed in a second process, so that this process's CPU stays free meanwhile.

The duplicate search is half of a first report's work and needs nothing but its inputs: on
a machine with two CPUs or more, it runs in a process of its own while this one computes the
other analyses (see :func:`queries.bundle.all_analyses`). The process is spawned, not forked:
it inherits none of this process's threads, locks or open stores, only the call's pickled
arguments, and it stops when this process does.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")

#: Seconds between two looks of the second process at whether this one still runs.
_PARENT_CHECK_SECONDS = 0.5


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, not the machine's count)."""
    return len(os.sched_getaffinity(0))


def in_second_process(function: Callable[..., T], *args: object) -> T:
    """``function(*args)``, computed in a new process while the calling thread waits.

    Computed in this process instead where that cannot run beside anything (a single usable
    CPU), or where the second process ends without an answer (killed, out of memory).
    ``function`` and its arguments must be picklable (``function`` defined at a module's top
    level); an exception it raises is raised here.
    """
    if usable_cpus() < 2:
        return function(*args)
    try:
        with ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_stop_with,
            initargs=(os.getpid(),),
        ) as pool:
            return pool.submit(function, *args).result()
    except BrokenProcessPool:
        return function(*args)


def _stop_with(parent: int) -> None:
    """In the second process: end as soon as ``parent`` has ended.

    A stopped report or server (``skillgraph ingest`` stops the analyses of a stale
    revision) must not leave its second process running on a CPU for nothing.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="stop-with-parent", daemon=True).start()
