"""Readers of published formats: each turns a file into canonical records.

A source file goes through the same validation, reference resolution, provenance and
report as a canonical file: a reader only maps the published columns onto
:class:`~ingest.records.Record` and :class:`~ingest.records.PollAnswer`.

=================  ================================================  ===================
format             files                                             detected by header
=================  ================================================  ===================
``cordis``         ``project.csv``, ``organization.csv``             yes
``esco``           ``skills_en.csv``, ``broaderRelationsSkillPillar_en.csv``  yes
``erasmus``        Project Results Platform export (CSV or XLSX)     yes
``poll``           a polling tool's export, with a mapping file      no (``--format poll``)
=================  ================================================  ===================
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.sources import cordis, erasmus, esco, poll
from ingest.sources.common import Layout, SourceFormat, SourceRead
from ingest.sources.poll import PollMapping
from ingest.tables import DEFAULT_LIMITS, ReadLimits, Table, decode_head, workbook_header

__all__ = ["Layout", "SourceFormat", "SourceOptions", "SourceRead", "choose", "detect", "read",
           "sniff"]  # fmt: skip

_SNIFF_BYTES = 1 << 16


@dataclass(frozen=True)
class SourceOptions:
    """What the caller says about the sources of one call."""

    keywords: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    poll_mapping: PollMapping | None = None


@dataclass(frozen=True)
class Header:
    """The header of a file and the delimiter its CSV uses."""

    columns: list[str]
    delimiter: str = ","


def sniff(
    path: Path, encoding: str | None = None, limits: ReadLimits = DEFAULT_LIMITS
) -> Header | None:
    """Read only the header of a CSV or XLSX file; None when it cannot be read."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            return Header(workbook_header(path, limits))
        if suffix != ".csv":
            return None
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except Exception:  # an unreadable file is reported by the full read
        return None
    text = decode_head(head, encoding)
    line = text.splitlines()[0] if text else ""
    best = Header([])
    for delimiter in (",", ";", "\t"):
        columns = next(csv.reader(io.StringIO(line), delimiter=delimiter), [])
        if len(columns) > len(best.columns):
            best = Header([c.strip() for c in columns], delimiter)
    return best


def detect(columns: Sequence[str]) -> Layout | None:
    """The published layout a header unmistakably has, or None."""
    return cordis.detect(columns) or esco.detect(columns) or erasmus.detect(columns)


def choose(source: SourceFormat, columns: Sequence[str]) -> Layout | None:
    """The layout of a file the caller says is of ``source``; None if it is not one."""
    if source is SourceFormat.CORDIS:
        return cordis.choose(columns)
    if source is SourceFormat.ESCO:
        return esco.choose(columns)
    if source is SourceFormat.ERASMUS:
        return erasmus.choose(columns)
    return poll.EXPORT


def required(layout: Layout, options: SourceOptions) -> tuple[str, ...]:
    """The columns a file of a layout must have."""
    if layout.poll and options.poll_mapping is not None:
        return poll.required_columns(options.poll_mapping)
    return layout.required


def read(layout: Layout, table: Table, options: SourceOptions) -> SourceRead:
    """Map a table of a published layout onto records or poll answers."""
    if layout is cordis.PROJECTS:
        return cordis.read_projects(table, options.keywords, options.topics)
    if layout is cordis.ORGANISATIONS:
        return cordis.read_organisations(table)
    if layout is esco.SKILLS:
        return esco.read_skills(table)
    if layout is esco.HIERARCHY:
        return esco.read_hierarchy(table)
    if layout is erasmus.PROJECTS:
        return erasmus.read_projects(table, options.keywords)
    assert options.poll_mapping is not None
    return poll.read_export(table, options.poll_mapping)
