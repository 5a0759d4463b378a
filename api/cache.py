"""Results computed once per graph revision and reused until the graph changes.

With a folder, analysis results (keys starting with ``"analysis"`` whose value is a report
model) are also kept on disk, so that a new process or a restarted server answers at once.
A file is used only when it was written for the same key, the same store revision and the
same analysis code (a digest of the ``queries`` package's sources); any other file, or one
that cannot be read or validated, is ignored and the result computed again.

A process computing such a result says so in a claim file beside it, so that another
process asking for the same result of the same revision (a server started while
``skillgraph ingest`` computes the analyses of the new revision in the background) waits
for it instead of computing it a second time on the same CPUs.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from graph.collector import bring_back, set_aside
from graph.network import LocalEngine, NetworkEngine
from graph.store import Store

if TYPE_CHECKING:
    import networkx as nx

T = TypeVar("T")

#: Only report models of the analyses are read back from disk.
_MODEL_PACKAGE = "queries."
#: Seconds between two looks at a result another process computes.
_POLL_SECONDS = 0.1


@cache
def analysis_code_digest() -> str:
    """A digest of the analyses' source code: results of other code are not reused."""
    import queries

    digest = hashlib.sha256()
    for path in sorted(Path(queries.__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class _DiskEntries:
    """Analysis results of one revision as JSON files in a folder (one file per key)."""

    def __init__(self, folder: Path, max_files: int) -> None:
        self.folder = folder
        self.max_files = max_files

    @staticmethod
    def _prefix(revision: int) -> str:
        return f"r{revision}-{analysis_code_digest()}-"

    def _path(self, revision: int, key: Hashable) -> Path:
        name = hashlib.sha256(repr(key).encode()).hexdigest()[:24]
        return self.folder / f"{self._prefix(revision)}{name}.json"

    @contextmanager
    def claim(self, revision: int, key: Hashable) -> Iterator[None]:
        """Hold the claim on computing ``key`` of ``revision``, after any other holder's.

        While a live process holds it, this waits; a claim left by a process that stopped
        is taken over. Without a writable folder, nothing is claimed.
        """
        path = self._path(revision, key).with_suffix(".computing")
        mine = path.with_suffix(f".claim.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            mine.write_text(str(os.getpid()), encoding="ascii")
        except OSError:
            yield
            return
        try:
            while True:
                try:
                    os.link(mine, path)  # atomic, and refused while another claim exists
                    break
                except FileExistsError:
                    if not _held_by_live_process(path):
                        path.unlink(missing_ok=True)
                        continue
                    time.sleep(_POLL_SECONDS)
                except OSError:
                    break  # a file system without hard links: compute without a claim
            yield
        finally:
            with suppress(OSError):
                if path.samefile(mine):  # never another process's claim
                    path.unlink()
            mine.unlink(missing_ok=True)

    def load(self, revision: int, key: Hashable) -> BaseModel | None:
        """The stored result, or None when there is none usable."""
        try:
            entry = json.loads(self._path(revision, key).read_text(encoding="utf-8"))
            if (entry["revision"], entry["key"], entry["code"]) != (
                revision,
                repr(key),
                analysis_code_digest(),
            ):
                return None
            module, name = entry["model"].rsplit(".", 1)
            if not module.startswith(_MODEL_PACKAGE):
                return None
            model = getattr(importlib.import_module(module), name)
            if not (isinstance(model, type) and issubclass(model, BaseModel)):
                return None
            return model.model_validate(entry["value"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError, ImportError):
            return None  # missing, partly written, corrupt or from other code: compute again

    def save(self, revision: int, key: Hashable, value: BaseModel) -> None:
        """Write the result atomically and drop the files of older revisions or other code.

        Files of a newer revision stay: they belong to a process that saw a later write.
        """
        entry = {
            "revision": revision,
            "key": repr(key),
            "code": analysis_code_digest(),
            "model": f"{type(value).__module__}.{type(value).__qualname__}",
            "value": value.model_dump(mode="json"),
        }
        path = self._path(revision, key)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if (
                sum(1 for _ in self.folder.glob(f"{self._prefix(revision)}*.json"))
                >= self.max_files
            ):
                return  # bounded like the memory: further parameter values stay in memory only
            temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            temporary.write_text(json.dumps(entry), encoding="utf-8")
            os.replace(temporary, path)
            for old in [*self.folder.glob("r*.json"), *self.folder.glob("r*.computing")]:
                if (
                    not old.name.startswith(self._prefix(revision))
                    and _revision_of(old) <= revision
                    and (old.suffix == ".json" or not _held_by_live_process(old))
                ):
                    old.unlink(missing_ok=True)
        except OSError:
            return  # a read-only or full disk only costs the next process a computation


class RevisionCache:
    """Values keyed by name and parameters, all dropped when the store's revision moves.

    At most ``max_entries`` values are kept in memory, the least recently used going first,
    and at most as many analysis results on disk in ``folder``: analyses take parameters
    from the URL, and each distinct value would otherwise stay until the next write.
    """

    def __init__(
        self,
        store: Store,
        folder: Path | None = None,
        *,
        max_entries: int = 256,
        engine: NetworkEngine | None = None,
    ) -> None:
        #: Where the analyses computed through this cache run their network algorithms.
        self.engine: NetworkEngine = engine or LocalEngine()
        self._store = store
        self._max_entries = max_entries
        self._disk = _DiskEntries(folder, max_entries) if folder is not None else None
        self._lock = threading.Lock()
        self._revision: int | None = None
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._key_locks: dict[Hashable, threading.Lock] = {}

    def __len__(self) -> int:
        """How many values are kept."""
        return len(self._values)

    def revision(self) -> int:
        """The store's current revision (and drop values of an older one)."""
        revision = self._store.revision()
        projection_dropped = False
        with self._lock:
            if revision != self._revision:
                self._revision = revision
                projection_dropped = "projection" in self._values
                self._values.clear()
                self._key_locks.clear()
        if projection_dropped:
            # The projection's cached edge views refer back to it, a cycle that only a full
            # collection frees: the old graph would otherwise stay beside the next one.
            bring_back()
        return revision

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of ``key`` for the current revision, computed once."""
        revision = self.revision()
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]  # type: ignore[no-any-return]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:  # one computation per key; others wait for it
            with self._lock:
                if key in self._values:
                    return self._values[key]  # type: ignore[no-any-return]
            disk = self._disk if _persistent(key) else None
            value: Any = disk.load(revision, key) if disk else None
            if value is None and disk:
                with disk.claim(revision, key):  # computed once across processes too
                    value = disk.load(revision, key)
                    if value is None:
                        value = compute()
                        if isinstance(value, BaseModel):
                            disk.save(revision, key, value)
            elif value is None:
                value = compute()
            with self._lock:
                self._values[key] = value
                self._key_locks.pop(key, None)
                while len(self._values) > self._max_entries:
                    self._values.popitem(last=False)
            return value  # type: ignore[no-any-return]

    def peek(self, key: Hashable) -> Any:
        """The value of ``key`` for the current revision if it is computed already, else None."""
        self.revision()
        with self._lock:
            return self._values.get(key)

    async def graph_async(self) -> nx.MultiDiGraph:
        """The projection, built in a worker thread when it is not ready (never on the loop)."""
        ready = self.peek("projection")
        return ready if ready is not None else await run_in_threadpool(self.graph)

    def graph(self) -> nx.MultiDiGraph:
        """The NetworkX projection of the current revision."""
        from queries.projection import project

        def resident() -> nx.MultiDiGraph:
            graph = project(self._store)
            set_aside()  # it stays while the analyses run (graph/collector.py)
            return graph

        return self.get("projection", resident)


def _revision_of(path: Path) -> int:
    """The revision in a kept file's name (``r12-...``); 0 for a name without one."""
    number = path.name[1:].split("-", 1)[0]
    return int(number) if number.isdigit() else 0


def process_runs(pid: int) -> bool:
    """Whether process ``pid`` runs: it exists and has not ended (a zombie has ended)."""
    if pid <= 0:
        return False  # 0 and negative numbers would name process groups
    try:
        os.kill(pid, 0)
    except PermissionError:
        pass  # it exists, as another user's
    except OSError:
        return False
    try:  # Linux: an ended process nobody has reaped yet is still listed, in state Z
        state = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return True
    return state[:1] != [b"Z"]


def _held_by_live_process(claim: Path) -> bool:
    """Whether the process named in a claim file still runs (an unreadable claim is not held)."""
    try:
        return process_runs(int(claim.read_text(encoding="ascii")))
    except (OSError, ValueError):
        return False


def _persistent(key: Hashable) -> bool:
    """Analysis results are kept on disk; the projection and other values only in memory."""
    return isinstance(key, tuple) and bool(key) and key[0] == "analysis"
