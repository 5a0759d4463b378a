"""A request the API refuses with its own status: missing or wrong keys, oversized uploads."""

from __future__ import annotations

from graph.errors import SkillGraphError


class Refused(SkillGraphError):
    """Refused with an HTTP status and a code (401/403 keys, 413/415 uploads)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        self.status = status
        self.code = code
        super().__init__(message)
