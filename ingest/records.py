"""What one parsed row says: a node, and the references it makes to other nodes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from pydantic import ValidationError

from graph.schema import NodeKind, RelType


class Target(StrEnum):
    """What a reference points at, and so how it is resolved."""

    COMPETENCE = "competence"
    ORGANISATION = "organisation"
    PRIORITY = "priority"
    COUNTRY = "country"
    PROJECT = "project"
    #: A concept of the ESCO catalogue by its URI (a skill or skill group, never one of
    #: the partnership's own competences that cites it).
    ESCO = "esco"
    #: An ESCO occupation by its URI.
    OCCUPATION = "occupation"


@dataclass(frozen=True)
class OrgMention:
    """What a source says about an organisation it names: matched, merged or created.

    ``origin`` names the source format (``cordis``, ``erasmus``); the identifiers are
    those the source publishes (``pic`` is the CORDIS ``organisationID``).
    """

    name: str
    origin: str
    country: str | None = None
    pic: str | None = None
    vat: str | None = None
    website: str | None = None
    city: str | None = None
    type: str | None = None


class Reference(NamedTuple):
    """A link a row asks for: resolved to a node id before it is written.

    ``outgoing`` is True when the edge starts at the row's node. A reference to an
    organisation that carries a ``mention`` goes through the merge rules of
    :mod:`ingest.resolve` (identifiers, name and country, similarity, review).
    A tuple: a file of 100,000 rows makes half a million of them.
    """

    column: str
    value: str
    target: Target
    rel: RelType
    outgoing: bool = True
    properties: tuple[tuple[str, Any], ...] = ()
    mention: OrgMention | None = None
    line: int = 0

    @classmethod
    def each(
        cls,
        column: str,
        values: Iterable[str],
        target: Target,
        rel: RelType,
        *,
        outgoing: bool = True,
        properties: tuple[tuple[str, Any], ...] = (),
    ) -> list[Reference]:
        """A reference to each of ``values`` (the items of a list cell), made as tuples are."""
        new = tuple.__new__
        return [new(cls, (column, value, target, rel, outgoing, properties, None, 0))
                for value in values]  # fmt: skip


@dataclass
class Record:
    """One accepted row: node properties (as the model takes them) and its references.

    A record with a ``subject`` writes no node: its id names an existing node of that
    target (a project by id, a competence by ESCO URI) and only its links are written.
    ``rows`` counts the file rows it stands for (a CORDIS project's participations).
    Once resolved (:func:`ingest.linking.resolve_records`), ``fields`` is the node's row as
    it is written (its source and fingerprint added) and ``references`` is empty.
    """

    kind: NodeKind
    line: int
    fields: dict[str, Any]
    references: list[Reference] = field(default_factory=list)
    subject: Target | None = None
    rows: int = 1

    @property
    def id(self) -> str:
        return str(self.fields["id"])


@dataclass
class PollAnswer:
    """One poll answer as read.

    ``priorities`` holds the priorities a multiple-choice answer names directly (by the
    poll mapping); ``choices`` the parts of a multiple-choice answer, which map to the
    priorities whose id or label they are. Anything else is classified as free text.
    """

    line: int
    respondent: str
    question_kind: str
    answer: str
    priorities: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()


class CellError(ValueError):
    """A cell that cannot be used, with its column."""

    def __init__(self, column: str, message: str) -> None:
        self.column = column
        super().__init__(message)


class RowError(CellError):
    """Every problem of one row, each a :class:`CellError` naming its column.

    As a :class:`CellError` it names the first column, and its message lists them all.
    """

    def __init__(self, problems: Sequence[CellError]) -> None:
        self.problems = list(problems)
        first, *others = self.problems
        rest = "".join(f"; column {p.column!r}: {p}" for p in others)
        super().__init__(first.column, f"{first}{rest}")


class RowCells(dict[str, str]):
    """The cells of one row and the problems found in them so far.

    A parser notes a bad cell with :meth:`refuse` and goes on, so that one bad cell
    does not hide the next; the row is refused once it is parsed.
    """

    def __init__(self, cells: Mapping[str, str]) -> None:
        super().__init__(cells)
        self.problems: list[CellError] = []

    def refuse(self, problem: CellError) -> None:
        """Note a bad cell; its value is taken as missing."""
        self.problems.append(problem)


def validation_problems(
    error: ValidationError, columns: Mapping[str, str], cells: Mapping[str, str]
) -> list[CellError]:
    """Every error of a model's validation as a problem of the file's column.

    ``columns`` maps a field to the column it came from (a field not in it is its own
    column); ``cells`` gives the value shown beside the message, when there is one.
    """
    problems: list[CellError] = []
    for detail in error.errors():
        name = str(detail["loc"][0]) if detail["loc"] else "id"
        column = columns.get(name, name)
        got = cells.get(column, "")
        message = str(detail["msg"]).lower()
        problems.append(CellError(column, f"{message} (got {got!r})" if got else message))
    return problems
