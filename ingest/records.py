"""What one parsed row says: a node, and the references it makes to other nodes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from graph.schema import NodeKind, RelType


class Target(StrEnum):
    """What a reference points at, and so how it is resolved."""

    COMPETENCE = "competence"
    ORGANISATION = "organisation"
    PRIORITY = "priority"
    COUNTRY = "country"


@dataclass(frozen=True)
class Reference:
    """A link a row asks for: resolved to a node id before it is written.

    ``outgoing`` is True when the edge starts at the row's node.
    """

    column: str
    value: str
    target: Target
    rel: RelType
    outgoing: bool = True
    properties: tuple[tuple[str, Any], ...] = ()


@dataclass
class Record:
    """One accepted row: node properties (as the model takes them) and its references."""

    kind: NodeKind
    line: int
    fields: dict[str, Any]
    references: list[Reference] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.fields["id"])


class CellError(ValueError):
    """A cell that cannot be used, with its column."""

    def __init__(self, column: str, message: str) -> None:
        self.column = column
        super().__init__(message)
