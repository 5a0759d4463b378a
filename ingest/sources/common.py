"""What every source reader shares: its result, its options, cell helpers."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from graph.schema import NodeKind, RelType, model_for
from ingest.kinds import SourceFormat
from ingest.normalise import fold
from ingest.records import CellError, PollAnswer, Record, RowError, validation_problems
from ingest.report import Rejection, rejections
from ingest.tables import ReadLimits, Table

if TYPE_CHECKING:
    from ingest.sources.poll import PollMapping


@dataclass(frozen=True)
class SourceOptions:
    """What the caller says about the sources of one call."""

    keywords: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    poll_mapping: PollMapping | None = None


@dataclass
class Loaded:
    """A file read into a table (the rows it refused are the table's problems)."""

    table: Table
    notices: list[str] = field(default_factory=list)


Reader = Callable[[Table, SourceOptions], "SourceRead"]
#: Reads a file into a table within the limits: ``(path, encoding, delimiter, options,
#: limits)``.
Loader = Callable[[Path, str | None, str, SourceOptions, ReadLimits], Loaded]
#: Whether a header (its set of column names) is this layout's.
Signature = Callable[[frozenset[str]], bool]


@dataclass(frozen=True)
class Layout:
    """One file layout: how it is recognised, how it is read, what it writes and when.

    A file is a layout's when its header has the layout's ``signature``; ``files`` (glob
    patterns of file names, lower case) tell two layouts that both claim a header apart,
    and are the only evidence for a layout with no signature (the canonical kinds, named
    after their files). ``rank`` orders the files of one call (competences first, poll
    answers last). ``owns`` are the relationships the file states in full for the nodes
    it names (rewritten on re-ingest); ``column_owns`` those it owns only when it has
    their column. ``loader`` reads the file into a table when the plain reader of
    :mod:`ingest.tables` does not do (two header rows, broken quoting repaired).
    """

    name: str
    format: SourceFormat | None
    node: NodeKind | None
    required: tuple[str, ...]
    rank: int
    reader: Reader
    owns: tuple[RelType, ...] = ()
    column_owns: tuple[tuple[str, RelType], ...] = ()
    poll: bool = False
    files: tuple[str, ...] = ()
    signature: Signature | None = None
    #: The header claims a file only when its name is one of ``files`` too (headers
    #: that several tables of one publication share).
    needs_name: bool = False
    loader: Loader | None = None
    #: What the layout is, for messages (``CORDIS organisations of FP1-FP7``).
    title: str = ""
    #: Why a file of a layout that is recognised is not read (then it has no reader).
    refusal: str | None = None

    def named(self, path: Path) -> bool:
        """Whether the file's name is one this layout's files have."""
        name = path.name.lower()
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.files)

    def claims(self, path: Path, columns: Iterable[str]) -> bool:
        """Whether a file's header is this layout's (never, for a layout known by name only)."""
        if self.signature is None or (self.needs_name and not self.named(path)):
            return False
        return self.signature(frozenset(columns))

    def owned(self, columns: Iterable[str]) -> tuple[RelType, ...]:
        """The relationships a file of this layout with these columns states in full."""
        present = set(columns)
        by_column = (rel for column, rel in self.column_owns if column in present)
        return tuple(dict.fromkeys((*self.owns, *by_column)))


@dataclass
class SourceRead:
    """A source file turned into canonical records (or poll answers)."""

    records: list[Record] = field(default_factory=list)
    answers: list[PollAnswer] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    skipped: int = 0
    notices: list[str] = field(default_factory=list)
    #: Why nothing of the file can be used (a poll export without its mapped columns).
    error: str | None = None

    def reject(self, table: Table, line: int, error: CellError) -> None:
        """Note a row that cannot be used, with its line and every column to blame."""
        self.rejected.extend(rejections(table.where(line), error))


def validated(kind: NodeKind, fields: dict[str, Any], columns: dict[str, str]) -> dict[str, Any]:
    """Validate the fields of a node with its model; errors name the file's column.

    ``columns`` maps a field to the column of the file it came from.
    """
    try:
        model = model_for(kind).model_validate(fields)
    except ValidationError as error:
        raise RowError(validation_problems(error, columns, {})) from None
    return model.model_dump(mode="json", include=set(fields))


_DIGITS = re.compile(r"^[+-]?\d+$")


def amount(cell: str, *, decimal: str) -> float | None:
    """A money amount written with ``decimal`` as its decimal separator.

    The other of ``,`` and ``.`` is taken as a thousands separator, and spaces are
    ignored: CORDIS writes ``1234567,5``; the Erasmus+ exports ``1,234,567.50``.
    """
    cleaned = cell.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if not cleaned:
        return None
    thousands = "." if decimal == "," else ","
    whole, _, fraction = cleaned.replace(thousands, "").partition(decimal)
    if not _DIGITS.match(whole) or (fraction and not fraction.isdigit()):
        raise ValueError(f"{cell!r} is not an amount")
    return float(f"{whole}.{fraction or 0}")


def matches_keywords(texts: Iterable[str], keywords: Iterable[str]) -> bool:
    """True when a keyword starts a word of the texts (``batter`` finds ``Batteries``)."""
    haystack = " " + " ".join(fold(t) for t in texts if t) + " "
    return any(f" {fold(k)}" in haystack for k in keywords if fold(k))


def matches_topics(topics: str, prefixes: Iterable[str]) -> bool:
    """True when one of the ``;`` or ``,`` separated topics starts with a prefix."""
    codes = [t.strip().upper() for t in re.split(r"[;,]", topics) if t.strip()]
    return any(code.startswith(p.strip().upper()) for code in codes for p in prefixes if p)
