"""Reading the files of one ingest call: their layout, their rows, their validation."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from graph.collector import collector_paused
from graph.errors import InputError
from graph.schema import NodeKind, RelType
from ingest import sources
from ingest.kinds import FileKind
from ingest.records import PollAnswer, Record
from ingest.report import FileReport, Rejection, rejected_rows
from ingest.sources import Layout, SourceFormat, SourceOptions
from ingest.sources.common import Loaded
from ingest.tables import DEFAULT_LIMITS, SUPPORTED_SUFFIXES, ReadLimits, Table, read_table


@dataclass(frozen=True)
class Plan:
    """How one file is written: the kind it reports, its node, the links it owns, when."""

    name: str
    node: NodeKind | None
    owns: tuple[RelType, ...]
    rank: int
    poll: bool = False


@dataclass
class ParsedFile:
    """A file read and validated, waiting for its references to be resolved."""

    path: Path
    table: Table
    plan: Plan
    report: FileReport
    sha256: str
    records: list[Record] = field(default_factory=list)
    answers: list[PollAnswer] = field(default_factory=list)
    #: Ids of the existing nodes a link-only file (``Record.subject``) names.
    owned_ids: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The file's name without folders, as its Source node keeps it."""
        return PurePath(self.report.file).name or self.report.file


def expand(
    paths: Iterable[Path],
    kind: FileKind | None = None,
    source: SourceFormat | None = None,
    options: SourceOptions | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> tuple[list[Path], list[FileReport]]:
    """Files to read, and the reports of files inside named folders passed over.

    A file named on the command line is always read. Inside a folder, only files with a
    readable suffix whose layout is known (:func:`ingest.sources.identify`) are read;
    the others are passed over, each with the reason.
    """
    files: list[Path] = []
    passed_over: list[FileReport] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.iterdir() if p.is_file()):
                if child.suffix.lower() not in SUPPORTED_SUFFIXES:
                    continue
                if kind is not None:
                    files.append(child)
                    continue
                try:
                    sources.identify(child, sources.sniff(child, limits=limits), source=source,
                                     options=options)  # fmt: skip
                except InputError as error:
                    passed_over.append(
                        FileReport(file=str(child), notice=f"passed over: it {error.reason}")
                    )
                    continue
                files.append(child)
        elif path.exists():
            files.append(path)
        else:
            raise InputError("does not exist", file=str(path))
    return files, passed_over


@collector_paused()
def read_file(
    path: Path,
    kind: FileKind | None,
    encoding: str | None,
    *,
    source: SourceFormat | None = None,
    options: SourceOptions | None = None,
    name: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> ParsedFile | FileReport:
    """Read and validate one file, or return the report of why it cannot be used.

    The file is identified once (:func:`ingest.sources.identify`), then read by its
    layout alone. ``name`` is what the file is known by when it is stored under another
    (an upload): its layout is told by that name, and the report and the rows'
    locations name it. It defaults to the path. ``limits`` bound what reading the file
    may cost, whatever loader its layout reads it with.
    """
    options = options or SourceOptions()
    label = name or str(path)
    header = sources.sniff(path, encoding, limits)
    try:
        layout = sources.identify(Path(label), header, kind=kind, source=source,
                                  options=options)  # fmt: skip
    except InputError as error:
        return FileReport(file=label, kind=source.value if source else kind,
                          readable=False, error=error.reason)  # fmt: skip
    delimiter = header.delimiter if header else ","
    try:
        loaded = _load(layout, path, encoding, delimiter, options, limits)
    except InputError as error:
        return FileReport(file=label, kind=layout.name, readable=False, error=error.reason)
    table = loaded.table
    table.file = label
    report = FileReport(file=label, kind=layout.name,
                        rows_read=len(table.rows) + table.refused_rows)  # fmt: skip
    report.rejected = _table_rejections(table)
    if _refused_for_missing_columns(report, layout.required, table):
        return report
    read = layout.reader(table, options)
    if read.error:
        report.error = f"{read.error}; nothing of it was written"
        report.rows_rejected = report.rows_read
        return report
    report.rejected += read.rejected
    report.rows_rejected = rejected_rows(report.rejected)
    report.rows_skipped = read.skipped
    notices = [*loaded.notices, *read.notices]
    empty = not table.rows and not table.problems
    notices = ["has a header but no rows", *notices] if empty else notices
    report.notice = "; ".join(notices) or None
    sha = table.sha256 or hashlib.sha256(path.read_bytes()).hexdigest()
    plan = Plan(layout.name, layout.node, layout.owned(table.columns), layout.rank,
                poll=layout.poll)  # fmt: skip
    return ParsedFile(path, table, plan, report, sha, read.records, read.answers)


def _load(
    layout: Layout,
    path: Path,
    encoding: str | None,
    delimiter: str,
    options: SourceOptions,
    limits: ReadLimits,
) -> Loaded:
    if layout.loader is not None:
        return layout.loader(path, encoding, delimiter, options, limits)
    # A published file is read as it is published: ESCO ends rows at their last value.
    published = layout.format is not None
    return Loaded(read_table(path, encoding=encoding, delimiter=delimiter, limits=limits,
                             short_rows=published))  # fmt: skip


def _table_rejections(table: Table) -> list[Rejection]:
    """The rows the file's reading refused (cells, quotes, lengths), with their lines."""
    return [
        Rejection(location=table.where(p.line), column=p.column, reason=p.reason)
        for p in table.problems
    ]


def _refused_for_missing_columns(report: FileReport, required: Iterable[str], table: Table) -> bool:
    """Reject the whole file, naming the columns, when required columns are missing."""
    missing = [c for c in required if c not in table.columns]
    if missing:
        report.error = (
            f"misses the required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            "nothing of it was written"
        )
        report.rows_rejected = report.rows_read
    return bool(missing)
