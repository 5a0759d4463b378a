"""One hierarchy of errors that the CLI and the API turn into one-line messages."""

from __future__ import annotations


class SkillGraphError(Exception):
    """Base of every error a user can cause or meet; never shown as a traceback."""

    exit_code = 1


class InputError(SkillGraphError):
    """Bad input, located as precisely as possible (file, line, column)."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.reason = message
        super().__init__(self._format())

    def _format(self) -> str:
        where = ""
        if self.file:
            where = self.file if self.line is None else f"{self.file}:{self.line}"
            where += ": "
        column = f"column {self.column!r}: " if self.column else ""
        return f"{where}{column}{self.reason}"


class NotFound(SkillGraphError):
    """An entity asked for by id that the graph does not hold."""

    exit_code = 2

    def __init__(self, kind: str, entity_id: str) -> None:
        self.kind = kind
        self.entity_id = entity_id
        super().__init__(f"no {kind} with id {entity_id!r}")


class StoreUnavailable(SkillGraphError):
    """The store cannot be reached or opened."""

    exit_code = 3


class StoreLocked(StoreUnavailable):
    """The embedded store is held by another process (one writer at a time)."""

    def __init__(self, path: str, holder: str | None) -> None:
        self.path = path
        self.holder = holder
        who = f"by {holder}" if holder else "by another process"
        super().__init__(
            f"the embedded store {path} is in use {who}; stop it, or send data through "
            "its HTTP API (POST /ingest) instead"
        )


class QueryRefused(SkillGraphError):
    """A Cypher query refused before it reaches the store (e.g. a write on a read-only path)."""

    exit_code = 2
