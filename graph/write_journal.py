"""A one-entry journal of the write in flight, kept beside the embedded store.

The engine's write-ahead log knows which transactions committed, but not what a transaction
was for. Before a write transaction starts, :class:`WriteJournal` records on disk what it
writes (e.g. the file being ingested) and the store's revision at that moment; the entry is
removed once the transaction has committed (or rolled back). An entry found when the store
is opened therefore names a write that was interrupted by the end of its process; whether it
landed is told by the revision (every commit moves it).

Example
-------
>>> import tempfile
>>> from pathlib import Path
>>> journal = WriteJournal(Path(tempfile.mkdtemp()) / "write-in-flight.json")
>>> journal.begin("members.csv", revision=3)
>>> journal.pending().description
'members.csv'
>>> journal.end()
>>> journal.pending() is None
True
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class InFlight:
    """A write recorded as started: what it wrote, the revision before it, when it started."""

    description: str
    revision: int
    started_at: str


def sync_path(path: Path) -> None:
    """Flush a file, or a folder's entries, to the disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class WriteJournal:
    """The write in flight of one store, in one small JSON file (see the module's docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._draft = path.with_name(path.name + ".draft")

    def begin(self, description: str, *, revision: int) -> None:
        """Record a write about to start, durably (written, synced, renamed into place)."""
        entry = {
            "description": description,
            "revision": revision,
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        with self._draft.open("w", encoding="utf-8") as draft:
            json.dump(entry, draft)
            draft.flush()
            os.fsync(draft.fileno())
        os.replace(self._draft, self.path)
        sync_path(self.path.parent)

    def end(self) -> None:
        """Forget the write in flight: it committed or rolled back.

        Not synced: should the removal be lost in a crash, the revision shows on the next
        open that the write landed.
        """
        self.path.unlink(missing_ok=True)

    def pending(self) -> InFlight | None:
        """The write recorded as in flight, or None.

        The entry only appears by an atomic rename, so it is complete or absent; a draft
        left by a crash while it was written is ignored (its write never started).
        """
        try:
            entry = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return InFlight(str(entry["description"]), int(entry["revision"]), str(entry["started_at"]))
