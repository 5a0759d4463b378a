"""Every file layout the ingest reads, and the one place that tells which a file has.

A file is identified once, by :func:`identify` from its name and header, then read by
its layout alone (:class:`~ingest.sources.common.Layout`: its loader, its reader, what
it writes). A published layout is recognised by its header; a canonical file by its
name (``members.csv``). Two layouts claiming one file, or none, is a clear message,
never a guess.

=================  ==================================================  ======================
format             files                                               recognised by
=================  ==================================================  ======================
``cordis``         ``project.csv``, ``organization.csv`` (CSV, XLSX),  header
                   the tab-separated organisations of FP1-FP7
``esco``           the whole download folder of a release (v1.0-1.2)   header and file name
                   in any language: skills, skill groups, hierarchy,
                   collections, broader relations, occupations,
                   occupation-skill relations
``erasmus``        Project Results Platform export (CSV or XLSX)       header
``poll``           a polling tool's export, with a mapping file        the mapping file
(canonical)        members, projects, training_offers, competences,   file name
                   priorities, poll_responses
=================  ==================================================  ======================
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from graph.errors import InputError
from ingest.kinds import FileKind, kind_from_name
from ingest.sources import canonical, cordis, erasmus, esco, poll
from ingest.sources.common import Layout, SourceFormat, SourceOptions, SourceRead
from ingest.tables import DEFAULT_LIMITS, ReadLimits, decode_head, workbook_header

__all__ = ["LAYOUTS", "Header", "Layout", "SourceFormat", "SourceOptions", "SourceRead",
           "identify", "sniff"]  # fmt: skip

_SNIFF_BYTES = 1 << 16

#: Every published layout; the canonical kinds are in :data:`canonical.LAYOUTS`.
LAYOUTS: tuple[Layout, ...] = (*cordis.LAYOUTS, *esco.LAYOUTS, *erasmus.LAYOUTS, poll.EXPORT)


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


def _one(path: Path, claiming: list[Layout]) -> Layout | None:
    """The one layout of several that claim a header, told apart by the file's name."""
    if len(claiming) > 1:
        claiming = [layout for layout in claiming if layout.named(path)] or claiming
    if len(claiming) > 1:
        names = " and ".join(f"{layout.name} ({layout.title})" for layout in claiming)
        raise InputError(f"is claimed by two layouts, {names}; rename it after one of them "
                         "or pass --kind", file=str(path))  # fmt: skip
    return claiming[0] if claiming else None


def identify(
    path: Path,
    header: Header | None,
    *,
    kind: FileKind | None = None,
    source: SourceFormat | None = None,
    options: SourceOptions | None = None,
) -> Layout:
    """The layout of a file, from what the caller says, its header and its name.

    ``kind`` names a canonical kind and ``source`` a published format for every file of
    the call. Otherwise a header that a published layout claims decides; a file whose
    header no published layout claims is a canonical file named after its kind, or a
    poll export when the call has a poll mapping. Raises
    :class:`~graph.errors.InputError` when two layouts claim the file or none does.
    """
    if kind is not None:
        return canonical.LAYOUTS[kind]
    options = options or SourceOptions()
    columns = header.columns if header else []
    if source is SourceFormat.POLL:
        return poll.EXPORT
    published = [layout for layout in LAYOUTS if source is None or layout.format is source]
    found = _one(path, [layout for layout in published if layout.claims(path, columns)])
    if found is not None and found.refusal:
        raise InputError(f"is {found.refusal}", file=str(path))
    if found is not None:
        return found
    if source is not None:
        by_name = [layout for layout in published if layout.named(path)]
        if len(by_name) == 1 or len(published) == 1:
            return (by_name or published)[0]  # its header is checked against the layout's
        known = ", ".join(layout.title for layout in published)
        raise InputError(f"does not have the columns of any {source.value} layout ({known})",
                         file=str(path))  # fmt: skip
    named = kind_from_name(path.stem)
    canonical_poll = "question_kind" in columns
    not_canonical = named is None or (named is FileKind.POLL_RESPONSES and not canonical_poll)
    if options.poll_mapping is not None and columns and not_canonical:
        return poll.EXPORT
    if named is not None:
        return canonical.LAYOUTS[named]
    kinds = ", ".join(k.value for k in FileKind)
    raise InputError(
        "its kind is not clear from its name, and its header is of no published format; "
        f"name it after one of {kinds} or pass --kind or --format", file=str(path),
    )  # fmt: skip
