"""What every source reader shares: its result, its options, cell helpers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import ValidationError

from graph.schema import NodeKind, RelType, model_for
from ingest.normalise import fold
from ingest.records import PollAnswer, Record, RowError, validation_problems
from ingest.report import Rejection


class SourceFormat(StrEnum):
    """The published formats ``skillgraph ingest --format`` reads."""

    CORDIS = "cordis"
    ESCO = "esco"
    ERASMUS = "erasmus"
    POLL = "poll"


@dataclass(frozen=True)
class Layout:
    """One published file layout: what it writes and when in a call it is written.

    ``rank`` orders the files of one call (the canonical kinds use 0, 20, 30, 50, 60,
    80; see :data:`ingest.reading.KIND_RANK`). ``owns`` are the relationships the
    file states in full for the nodes it names (rewritten on re-ingest).
    """

    name: str
    format: SourceFormat
    node: NodeKind | None
    required: tuple[str, ...]
    rank: int
    owns: tuple[RelType, ...] = ()
    poll: bool = False


@dataclass
class SourceRead:
    """A source file turned into canonical records (or poll answers)."""

    records: list[Record] = field(default_factory=list)
    answers: list[PollAnswer] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    skipped: int = 0
    notices: list[str] = field(default_factory=list)


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
