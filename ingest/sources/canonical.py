"""The canonical file kinds as layouts: known by their file names, read by their specs.

A canonical file (``members.csv``, ``training-offers-2026.xlsx``) has no header that
sets it apart from a published layout: its name says its kind (see
:func:`ingest.kinds.kind_from_name`), and its header is checked against the kind's
required columns only after it was identified.
"""

from __future__ import annotations

from datetime import datetime

from ingest.fields import field_checks
from ingest.kinds import SPECS, FileKind, build_record, forget_cells
from ingest.records import CellError, PollAnswer, RowError
from ingest.report import Rejection
from ingest.sources.common import Layout, Reader, SourceOptions, SourceRead
from ingest.tables import Table

#: Where each canonical kind is written in a call; the published layouts slot in between.
KIND_RANK = {
    FileKind.COMPETENCES: 0,
    FileKind.PRIORITIES: 20,
    FileKind.MEMBERS: 30,
    FileKind.PROJECTS: 50,
    FileKind.TRAINING_OFFERS: 60,
    FileKind.POLL_RESPONSES: 80,
}


def _poll_answer(line: int, cells: dict[str, str]) -> PollAnswer:
    """A canonical poll answer; raises :class:`RowError` listing every bad cell."""
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


def _reader(kind: FileKind) -> Reader:
    spec = SPECS[kind]

    def read(table: Table, options: SourceOptions) -> SourceRead:
        result = SourceRead()
        seen: dict[str, int] = {}
        checks = field_checks(spec.node) if spec.node is not None else None
        forget_cells()  # what is kept is this file's cells at most
        for row in table.rows:
            try:
                if kind is FileKind.POLL_RESPONSES:
                    result.answers.append(_poll_answer(row.line, row.cells))
                    continue
                record = build_record(spec, row.line, row.cells, checks)
            except CellError as error:
                result.reject(table, row.line, error)
                continue
            if record.id in seen:
                result.rejected.append(Rejection(
                    location=table.where(row.line), column="id",
                    reason=f"duplicate id {record.id!r} (first at line {seen[record.id]})",
                ))  # fmt: skip
                continue
            seen[record.id] = row.line
            result.records.append(record)
        unknown = [c for c in table.columns if c not in spec.columns]
        if unknown:
            plural = "s" if len(unknown) > 1 else ""
            result.notices.append(f"ignored the unknown column{plural} {', '.join(unknown)}")
        return result

    return read


LAYOUTS: dict[FileKind, Layout] = {
    kind: Layout(
        kind.value,
        None,
        spec.node,
        spec.required,
        KIND_RANK[kind],
        _reader(kind),
        column_owns=spec.owns,
        poll=kind is FileKind.POLL_RESPONSES,
        title=f"a canonical {kind.value} file",
    )
    for kind, spec in SPECS.items()
}
