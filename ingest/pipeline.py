"""One ingest call: read every file, validate, resolve references across files, write.

References are resolved after all files of the call are read, so their order does not
matter. Each file is then written in its own transaction: an error half way through a
file leaves the store as it was before that file.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph.errors import InputError, SkillGraphError
from graph.schema import RELATIONSHIPS, NodeKind, RelType
from graph.store import Store, Transaction
from ingest import values
from ingest.classify import PriorityTerms, classify
from ingest.kinds import SPECS, FileKind, KindSpec, build_record, kind_from_name
from ingest.records import CellError, Record, Target
from ingest.report import FileReport, FuzzyMatch, IngestReport, Rejection, Unresolved
from ingest.resolve import CompetenceIndex, OrganisationIndex
from ingest.tables import SUPPORTED_SUFFIXES, Table, read_table

#: Files of one call are written in this order so that each finds what it links to.
WRITE_ORDER = (
    FileKind.COMPETENCES,
    FileKind.PRIORITIES,
    FileKind.MEMBERS,
    FileKind.PROJECTS,
    FileKind.TRAINING_OFFERS,
    FileKind.POLL_RESPONSES,
)

EXISTING_COMPETENCES = (
    "MATCH (c:Competence) RETURN c.id AS id, c.label AS label, "
    "c.alt_labels AS alt_labels, c.esco_uri AS esco_uri"
)
EXISTING_ORGANISATIONS = "MATCH (o:Organisation) RETURN o.id AS id, o.name AS name"
EXISTING_PRIORITIES = (
    "MATCH (p:Priority) RETURN p.id AS id, p.kind AS kind, p.label AS label, p.keywords AS keywords"
)
DELETE_ALL_RAISED = "MATCH (:Organisation)-[e:RAISED]->(:Priority) DELETE e"

_TARGET_LABEL = {
    Target.COMPETENCE: NodeKind.COMPETENCE,
    Target.ORGANISATION: NodeKind.ORGANISATION,
    Target.PRIORITY: NodeKind.PRIORITY,
    Target.COUNTRY: NodeKind.COUNTRY,
}

Progress = Callable[[str, int, int], None]


@dataclass
class PollAnswer:
    """One poll answer as read."""

    line: int
    respondent: str
    question_kind: str
    answer: str


@dataclass
class ParsedFile:
    """A file read and validated, waiting for its references to be resolved."""

    path: Path
    table: Table
    spec: KindSpec
    report: FileReport
    sha256: str
    records: list[Record] = field(default_factory=list)
    answers: list[PollAnswer] = field(default_factory=list)


def expand(paths: Iterable[Path], kind: FileKind | None = None) -> tuple[list[Path], list[Path]]:
    """Files to read, and files inside named folders passed over.

    A file named on the command line is always read. Inside a folder, only files with a
    readable suffix whose kind is known (from ``kind`` or their name) are read.
    """
    files: list[Path] = []
    passed_over: list[Path] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.iterdir() if p.is_file()):
                readable = child.suffix.lower() in SUPPORTED_SUFFIXES
                if readable and (kind or kind_from_name(child.stem)):
                    files.append(child)
                elif readable:
                    passed_over.append(child)
        elif path.exists():
            files.append(path)
        else:
            raise InputError("does not exist", file=str(path))
    return files, passed_over


def _parse_rows(parsed: ParsedFile) -> None:
    seen: dict[str, int] = {}
    table, report = parsed.table, parsed.report
    for row in table.rows:
        try:
            if parsed.spec.kind is FileKind.POLL_RESPONSES:
                parsed.answers.append(_poll_answer(row.line, row.cells))
                continue
            record = build_record(parsed.spec, row.line, row.cells)
        except CellError as error:
            report.rejected.append(
                Rejection(location=table.where(row.line), column=error.column, reason=str(error))
            )
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
    report.rows_rejected = len(report.rejected)


def _poll_answer(line: int, cells: dict[str, str]) -> PollAnswer:
    kind = cells.get("question_kind", "").strip().lower()
    if kind not in {"blocker", "goal"}:
        raise CellError("question_kind", f"{kind!r} is not one of blocker, goal")
    answer = cells.get("answer", "").strip()
    if not answer:
        raise CellError("answer", "is empty")
    submitted = cells.get("submitted_at", "")
    if submitted:
        try:
            datetime.fromisoformat(submitted)
        except ValueError:
            raise CellError(
                "submitted_at", f"{submitted!r} is not an ISO 8601 date or time"
            ) from None
    return PollAnswer(line, cells.get("respondent", "").strip(), kind, answer)


def read_file(path: Path, kind: FileKind | None, encoding: str | None) -> ParsedFile | FileReport:
    """Read and validate one file, or return the report of why it cannot be used."""
    file_kind = kind or kind_from_name(path.stem)
    if file_kind is None:
        kinds = ", ".join(k.value for k in FileKind)
        return FileReport(
            file=str(path), readable=False,
            error=f"its kind is not clear from its name; name it after one of {kinds} or pass --kind",
        )  # fmt: skip
    try:
        table = read_table(path, encoding=encoding)
    except InputError as error:
        return FileReport(file=str(path), kind=file_kind, readable=False, error=error.reason)
    spec = SPECS[file_kind]
    report = FileReport(file=str(path), kind=file_kind, rows_read=len(table.rows))
    missing = [c for c in spec.required if c not in table.columns]
    if missing:
        report.error = (
            f"misses the required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            "nothing of it was written"
        )
        report.rows_rejected = report.rows_read
        return report
    if not table.rows:
        report.notice = "has a header but no rows"
    unknown = [c for c in table.columns if c not in spec.columns]
    if unknown:
        report.notice = (
            f"ignored the unknown column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}"
        )
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    parsed = ParsedFile(path, table, spec, report, sha)
    _parse_rows(parsed)
    return parsed


class _Resolver:
    """Indexes of what exists in the store and in this call, shared by all files."""

    def __init__(self, store: Store, files: Sequence[ParsedFile]) -> None:
        self.competences = CompetenceIndex()
        for row in store.run(EXISTING_COMPETENCES):
            self.competences.add(
                row["id"], row["label"] or "", row["alt_labels"] or [], row["esco_uri"]
            )
        self.organisations = OrganisationIndex()
        for row in store.run(EXISTING_ORGANISATIONS):
            self.organisations.add(row["id"], row["name"] or row["id"])
        self.priorities: dict[str, PriorityTerms] = {}
        for row in store.run(EXISTING_PRIORITIES):
            self._add_priority(row["id"], row["kind"], row["label"] or "", row["keywords"] or [])
        for parsed in files:
            for record in parsed.records:
                f = record.fields
                if record.kind is NodeKind.COMPETENCE:
                    self.competences.add(
                        record.id, f["label"], f.get("alt_labels", []), f.get("esco_uri")
                    )
                elif record.kind is NodeKind.ORGANISATION:
                    self.organisations.add(record.id, f["name"])
                elif record.kind is NodeKind.PRIORITY:
                    self._add_priority(record.id, f["kind"], f["label"], f.get("keywords", []))

    def _add_priority(self, pid: str, kind: str, label: str, keywords: Sequence[str]) -> None:
        self.priorities[pid] = PriorityTerms.of(pid, kind, label, keywords)


@dataclass
class _Batch:
    """What one file writes."""

    nodes: dict[NodeKind, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    edges: dict[tuple[RelType, NodeKind, NodeKind], list[dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(list)
    )


def _fingerprint(data: Any) -> str:
    return hashlib.sha1(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _resolve_records(
    parsed: ParsedFile, resolver: _Resolver, source_id: str, batch: _Batch
) -> None:
    report, table = parsed.report, parsed.table
    for record in parsed.records:
        links: list[tuple[Any, ...]] = []
        for ref in record.references:
            target_id = _resolve(
                ref.target, ref.value, ref.column, record, parsed, resolver, source_id, batch
            )
            if target_id is None:
                report.unresolved.append(
                    Unresolved(
                        location=table.where(record.line), column=ref.column, value=ref.value
                    )
                )
                continue
            src, dst = (record.id, target_id) if ref.outgoing else (target_id, record.id)
            src_kind, dst_kind = (
                (record.kind, _TARGET_LABEL[ref.target])
                if ref.outgoing
                else (_TARGET_LABEL[ref.target], record.kind)
            )
            links.append((ref.rel, src_kind, dst_kind, src, dst, ref.properties))
        for rel, src_kind, dst_kind, src, dst, props in links:
            batch.edges[(rel, src_kind, dst_kind)].append({"a": src, "b": dst, **dict(props)})
        row = dict(record.fields)
        row["source"] = source_id
        row["fingerprint"] = _fingerprint([record.fields, sorted(map(str, links))])
        batch.nodes[record.kind].append(row)


def _resolve(
    target: Target, value: str, column: str, record: Record, parsed: ParsedFile,
    resolver: _Resolver, source_id: str, batch: _Batch,
) -> str | None:  # fmt: skip
    if target is Target.COUNTRY:
        batch.nodes[NodeKind.COUNTRY].append(
            {
                "id": value,
                "name": values.country_name(value),
                "source": source_id,
                "fingerprint": value,
            }
        )
        return value
    if target is Target.COMPETENCE:
        return resolver.competences.resolve(value)
    if target is Target.PRIORITY:
        return value if value in resolver.priorities else None
    match = resolver.organisations.resolve(value)
    location = parsed.table.where(record.line)
    if match is None:
        new_id = resolver.organisations.new_id(value)
        resolver.organisations.add(new_id, value)
        parsed.report.organisations_created.append(f"{new_id} ({value}) at {location}")
        batch.nodes[NodeKind.ORGANISATION].append(
            {"id": new_id, "name": value, "member": False, "type": "other",
             "source": source_id, "fingerprint": _fingerprint(value)}
        )  # fmt: skip
        return new_id
    if match.fuzzy:
        parsed.report.fuzzy_matches.append(
            FuzzyMatch(location=location, column=column, value=value, matched_id=match.id,
                       matched_name=match.name, score=match.score or 0.0)
        )  # fmt: skip
    return match.id


def _resolve_poll(
    parsed: ParsedFile, resolver: _Resolver, source_id: str, batch: _Batch
) -> dict[str, int]:
    """RAISED edges of respondents, and the support of every known priority."""
    support: Counter[str] = Counter()
    raised: Counter[tuple[str, str]] = Counter()
    terms = list(resolver.priorities.values())
    for answer in parsed.answers:
        priorities = classify(answer.answer, answer.question_kind, terms)
        if not priorities:
            parsed.report.unclassified_answers.append(
                f"{parsed.table.where(answer.line)}: {answer.answer}"
            )
            continue
        support.update(priorities)
        if not answer.respondent:
            continue
        match = resolver.organisations.resolve(answer.respondent)
        if match is None:
            parsed.report.unresolved.append(
                Unresolved(
                    location=parsed.table.where(answer.line),
                    column="respondent",
                    value=answer.respondent,
                )
            )
            continue
        raised.update((match.id, pid) for pid in priorities)
    for (org, pid), count in sorted(raised.items()):
        batch.edges[(RelType.RAISED, NodeKind.ORGANISATION, NodeKind.PRIORITY)].append(
            {"a": org, "b": pid, "count": count}
        )
    for pid in sorted(resolver.priorities):
        batch.nodes[NodeKind.PRIORITY].append(
            {"id": pid, "support": support[pid], "fingerprint": _fingerprint([pid, support[pid]])}
        )
    return dict(support)


def _write(tx: Transaction, parsed: ParsedFile, batch: _Batch, source_row: dict[str, Any]) -> None:
    tx.upsert_nodes(NodeKind.SOURCE, [source_row])
    for kind in (NodeKind.COUNTRY, NodeKind.ORGANISATION, parsed.spec.node):
        if kind is None or kind not in batch.nodes:
            continue
        rows = list({row["id"]: row for row in batch.nodes[kind]}.values())
        # Rows that state different properties (stub organisations, members) go separately.
        by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            by_shape[tuple(row)].append(row)
        for shaped in by_shape.values():
            tx.upsert_nodes(kind, shaped)
    if parsed.spec.kind is FileKind.POLL_RESPONSES:
        tx.upsert_nodes(NodeKind.PRIORITY, batch.nodes[NodeKind.PRIORITY])
        tx.run(DELETE_ALL_RAISED)
    if parsed.spec.node is not None:
        ids = [r.id for r in parsed.records]
        stated = {rel for column, rel in parsed.spec.owns if column in parsed.table.columns}
        for rel in sorted(stated):
            _delete_owned(tx, parsed.spec.node, rel, ids)
    for (rel, src, dst), rows in batch.edges.items():
        unique: dict[tuple[str, str], dict[str, Any]] = {}
        for row in rows:  # the first statement of a link wins (a coordinator stays one)
            unique.setdefault((row["a"], row["b"]), row)
        tx.upsert_edges(rel, src, dst, list(unique.values()))


def _delete_owned(tx: Transaction, node: NodeKind, rel: RelType, ids: Sequence[str]) -> None:
    """Remove the ``rel`` edges of the file's nodes, so the file states them in full."""
    for src, dst in RELATIONSHIPS[rel].endpoints:
        if src is node:
            tx.delete_edges(rel, src, dst, ids, from_source=True)
        elif dst is node:
            tx.delete_edges(rel, src, dst, ids, from_source=False)


def ingest(
    store: Store,
    paths: Sequence[Path],
    *,
    kind: FileKind | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest files and folders into the store and report on every file.

    Raises :class:`~graph.errors.InputError` only for a path that does not exist; every
    problem inside a file is reported in its :class:`FileReport`.
    """
    files, passed_over = expand(paths, kind)
    report = IngestReport()
    for path in passed_over:
        report.files.append(
            FileReport(file=str(path), notice="passed over: its name says no kind of file")
        )
    parsed_files: list[ParsedFile] = []
    for path in files:
        outcome = read_file(path, kind, encoding)
        if isinstance(outcome, FileReport):
            report.files.append(outcome)
        else:
            report.files.append(outcome.report)
            if outcome.report.error is None:
                parsed_files.append(outcome)
    resolver = _Resolver(store, parsed_files)
    ordered = sorted(parsed_files, key=lambda p: WRITE_ORDER.index(p.spec.kind))
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for done, parsed in enumerate(ordered, start=1):
        source_id = "src-" + parsed.sha256[:16]
        batch = _Batch()
        if parsed.spec.kind is FileKind.POLL_RESPONSES:
            _resolve_poll(parsed, resolver, source_id, batch)
            written = len(parsed.answers)
        else:
            _resolve_records(parsed, resolver, source_id, batch)
            written = len(parsed.records)
        source_row = {
            "id": source_id, "file": parsed.path.name, "sha256": parsed.sha256,
            "kind": parsed.spec.kind.value, "ingested_at": now, "rows": written,
            "unclassified": len(parsed.report.unclassified_answers) if parsed.answers else None,
            "fingerprint": parsed.sha256,
        }  # fmt: skip
        try:
            with store.transaction() as tx:
                _write(tx, parsed, batch, source_row)
        except SkillGraphError as error:
            parsed.report.error = f"could not be written, nothing of it was: {error}"
        except RuntimeError as error:  # the engine refused a statement
            parsed.report.error = (
                f"could not be written, nothing of it was: {str(error).splitlines()[0]}"
            )
        else:
            parsed.report.rows_written = written
        if progress:
            progress(str(parsed.path), done, len(ordered))
    return report
