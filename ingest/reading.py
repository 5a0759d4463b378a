"""Reading the files of one ingest call: their kind, their rows, their validation."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePath

from graph.errors import InputError
from graph.schema import NodeKind, RelType
from ingest import sources
from ingest.kinds import SPECS, FileKind, build_record, kind_from_name
from ingest.records import CellError, PollAnswer, Record, RowError
from ingest.report import FileReport, Rejection, rejected_rows, rejections
from ingest.sources import Layout, SourceFormat, SourceOptions
from ingest.tables import DEFAULT_LIMITS, SUPPORTED_SUFFIXES, ReadLimits, Table, read_table

#: Where each canonical kind is written in a call; the source layouts slot in between.
KIND_RANK = {
    FileKind.COMPETENCES: 0,
    FileKind.PRIORITIES: 20,
    FileKind.MEMBERS: 30,
    FileKind.PROJECTS: 50,
    FileKind.TRAINING_OFFERS: 60,
    FileKind.POLL_RESPONSES: 80,
}


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
    spec_kind: FileKind | None = None
    #: Ids of the existing nodes a link-only file (``Record.subject``) names.
    owned_ids: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The file's name without folders, as its Source node keeps it."""
        return PurePath(self.report.file).name or self.report.file


def expand(
    paths: Iterable[Path], kind: FileKind | None = None, source: SourceFormat | None = None
) -> tuple[list[Path], list[Path]]:
    """Files to read, and files inside named folders passed over.

    A file named on the command line is always read. Inside a folder, only files with a
    readable suffix whose kind is known (from ``kind``, ``source``, their name, or a
    published header) are read.
    """
    files: list[Path] = []
    passed_over: list[Path] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.iterdir() if p.is_file()):
                readable = child.suffix.lower() in SUPPORTED_SUFFIXES
                wanted = kind or (
                    _fits(child, source)
                    if source
                    else kind_from_name(child.stem) or _fits(child, None)
                )
                if readable and wanted:
                    files.append(child)
                elif readable:
                    passed_over.append(child)
        elif path.exists():
            files.append(path)
        else:
            raise InputError("does not exist", file=str(path))
    return files, passed_over


def _fits(path: Path, source: SourceFormat | None) -> bool:
    """Whether a file in a folder has the header of ``source`` (or of any published layout).

    With ``source`` given, a file of another shape (the other tables of a CORDIS dump) is
    passed over rather than read by its name.
    """
    header = sources.sniff(path)
    columns = header.columns if header else []
    if source is None:
        return sources.detect(columns) is not None
    return source is SourceFormat.POLL or sources.choose(source, columns) is not None


def _parse_rows(parsed: ParsedFile) -> None:
    seen: dict[str, int] = {}
    table, report = parsed.table, parsed.report
    for row in table.rows:
        try:
            if parsed.spec_kind is FileKind.POLL_RESPONSES:
                parsed.answers.append(_poll_answer(row.line, row.cells))
                continue
            assert parsed.spec_kind is not None
            record = build_record(SPECS[parsed.spec_kind], row.line, row.cells)
        except CellError as error:
            report.rejected.extend(rejections(table.where(row.line), error))
            continue
        if record.id in seen:
            report.rejected.append(
                Rejection(
                    location=table.where(row.line),
                    column="id",
                    reason=f"duplicate id {record.id!r} (first at line {seen[record.id]})",
                )
            )
            continue
        seen[record.id] = row.line
        parsed.records.append(record)
    report.rows_rejected = rejected_rows(report.rejected)


def _table_rejections(table: Table) -> list[Rejection]:
    """The rows the file's reading refused (cells, quotes, lengths), with their lines."""
    return [
        Rejection(location=table.where(p.line), column=p.column, reason=p.reason)
        for p in table.problems
    ]


def _poll_answer(line: int, cells: dict[str, str]) -> PollAnswer:
    problems: list[CellError] = []
    kind = cells.get("question_kind", "").strip().lower()
    if kind not in {"blocker", "goal"}:
        problems.append(CellError("question_kind", f"{kind!r} is not one of blocker, goal"))
    answer = cells.get("answer", "").strip()
    if not answer:
        problems.append(CellError("answer", "is empty"))
    submitted = cells.get("submitted_at", "")
    if submitted:
        try:
            datetime.fromisoformat(submitted)
        except ValueError:
            problems.append(
                CellError("submitted_at", f"{submitted!r} is not an ISO 8601 date or time")
            )
    if problems:
        raise RowError(problems)
    return PollAnswer(line, cells.get("respondent", "").strip(), kind, answer)


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

    ``name`` is what the file is known by when it is stored under another (an upload): its
    kind comes from it and the report and the rows' locations name it. It defaults to the path.

    A file of a published layout (``source``, or detected from its header unless
    ``kind`` is given) is read by its reader in :mod:`ingest.sources`; any other file is
    a canonical file whose kind comes from ``kind`` or its name. ``limits`` bound what
    reading the file may cost.
    """
    options = options or SourceOptions()
    label = name or str(path)
    stem = PurePath(label).stem
    if kind is None:
        header = sources.sniff(path, encoding, limits)
        columns = header.columns if header else []
        layout = sources.choose(source, columns) if source else sources.detect(columns)
        if layout is None and source is None and options.poll_mapping is not None:
            named = kind_from_name(stem)
            canonical_poll = named is FileKind.POLL_RESPONSES and "question_kind" in columns
            if (
                header
                and header.columns
                and (named is None or (named is FileKind.POLL_RESPONSES and not canonical_poll))
            ):
                layout = sources.choose(SourceFormat.POLL, columns)
        if source and header and layout is None:
            return FileReport(file=label, kind=source.value, readable=False,
                              error=f"does not have the columns of a {source.value} file")  # fmt: skip
        if layout is not None and header is not None:
            return _read_source(path, label, layout, header.delimiter, encoding, options, limits)
        if source:
            return FileReport(file=label, kind=source.value, readable=False,
                              error=f"cannot be read as a {source.value} file (CSV or XLSX)")  # fmt: skip
    file_kind = kind or kind_from_name(stem)
    if file_kind is None:
        kinds = ", ".join(k.value for k in FileKind)
        return FileReport(
            file=label, readable=False,
            error=f"its kind is not clear from its name; name it after one of {kinds} or pass --kind",
        )  # fmt: skip
    try:
        table = read_table(path, encoding=encoding, limits=limits)
    except InputError as error:
        return FileReport(file=label, kind=file_kind, readable=False, error=error.reason)
    table.file = label
    spec = SPECS[file_kind]
    report = FileReport(file=label, kind=file_kind, rows_read=_rows_read(table))
    report.rejected = _table_rejections(table)
    if _refused_for_missing_columns(report, spec.required, table):
        return report
    if not table.rows and not table.problems:
        report.notice = "has a header but no rows"
    unknown = [c for c in table.columns if c not in spec.columns]
    if unknown:
        report.notice = (
            f"ignored the unknown column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}"
        )
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    owns = tuple(dict.fromkeys(rel for column, rel in spec.owns if column in table.columns))
    plan = Plan(file_kind.value, spec.node, owns, KIND_RANK[file_kind],
                poll=file_kind is FileKind.POLL_RESPONSES)  # fmt: skip
    parsed = ParsedFile(path, table, plan, report, sha, spec_kind=file_kind)
    _parse_rows(parsed)
    return parsed


def _refused_for_missing_columns(report: FileReport, required: Sequence[str], table: Table) -> bool:
    """Reject the whole file, naming the columns, when required columns are missing."""
    missing = [c for c in required if c not in table.columns]
    if missing:
        report.error = (
            f"misses the required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            "nothing of it was written"
        )
        report.rows_rejected = report.rows_read
    return bool(missing)


def _rows_read(table: Table) -> int:
    return len(table.rows) + table.refused_rows


def _read_source(
    path: Path,
    label: str,
    layout: Layout,
    delimiter: str,
    encoding: str | None,
    options: SourceOptions,
    limits: ReadLimits,
) -> ParsedFile | FileReport:
    """Read a file of a published layout through its reader."""
    if layout.poll and options.poll_mapping is None:
        return FileReport(file=label, kind=layout.name, readable=False,
                          error="a poll export needs a mapping file (--mapping poll-mapping.yaml)")  # fmt: skip
    try:
        # A published file is read as it is published: ESCO ends rows at their last value.
        table = read_table(
            path, encoding=encoding, delimiter=delimiter, limits=limits, short_rows=True
        )
    except InputError as error:
        return FileReport(file=label, kind=layout.name, readable=False, error=error.reason)
    table.file = label
    report = FileReport(file=label, kind=layout.name, rows_read=_rows_read(table))
    if _refused_for_missing_columns(report, sources.required(layout, options), table):
        return report
    read = sources.read(layout, table, options)
    report.rejected = _table_rejections(table) + read.rejected
    report.rows_rejected = rejected_rows(report.rejected)
    report.rows_skipped = read.skipped
    empty = not table.rows and not table.problems
    notices = ["has a header but no rows", *read.notices] if empty else read.notices
    report.notice = "; ".join(notices) or None
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    plan = Plan(layout.name, layout.node, layout.owns, layout.rank, poll=layout.poll)
    return ParsedFile(path, table, plan, report, sha, read.records, read.answers)
