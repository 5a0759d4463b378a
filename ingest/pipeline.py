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
from ingest import sources, values
from ingest.classify import PriorityTerms, classify
from ingest.kinds import SPECS, FileKind, build_record, kind_from_name
from ingest.normalise import fold, organisation_key
from ingest.records import CellError, OrgMention, PollAnswer, Record, Reference, Target
from ingest.report import (
    FileReport,
    FuzzyMatch,
    IngestReport,
    MergeNote,
    Rejection,
    Unresolved,
)
from ingest.resolve import CompetenceIndex, Decision, OrganisationIndex, Outcome
from ingest.review import ReviewBook, ReviewCandidate, ReviewDecision, ReviewItem
from ingest.review import organisation_key as review_key
from ingest.sources import Layout, SourceFormat, SourceOptions
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
EXISTING_ORGANISATIONS = (
    "MATCH (o:Organisation) RETURN o.id AS id, o.name AS name, o.country AS country, "
    "o.website AS website, o.pic AS pic, o.vat AS vat, o.aliases AS aliases, "
    "o.sources AS sources, o.merges AS merges"
)
EXISTING_PROJECTS = "MATCH (p:Project) RETURN p.id AS id"
SET_PROVENANCE = (
    "UNWIND $rows AS r MATCH (o:Organisation {id: r.id}) "
    "SET o.pic = r.pic, o.vat = r.vat, o.aliases = r.aliases, o.sources = r.sources, "
    "o.merges = r.merges"
)
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


def read_file(
    path: Path,
    kind: FileKind | None,
    encoding: str | None,
    *,
    source: SourceFormat | None = None,
    options: SourceOptions | None = None,
) -> ParsedFile | FileReport:
    """Read and validate one file, or return the report of why it cannot be used.

    A file of a published layout (``source``, or detected from its header unless
    ``kind`` is given) is read by its reader in :mod:`ingest.sources`; any other file is
    a canonical file whose kind comes from ``kind`` or its name.
    """
    options = options or SourceOptions()
    if kind is None:
        header = sources.sniff(path, encoding)
        columns = header.columns if header else []
        layout = sources.choose(source, columns) if source else sources.detect(columns)
        if layout is None and source is None and options.poll_mapping is not None:
            named = kind_from_name(path.stem)
            canonical_poll = named is FileKind.POLL_RESPONSES and "question_kind" in columns
            if (
                header
                and header.columns
                and (named is None or (named is FileKind.POLL_RESPONSES and not canonical_poll))
            ):
                layout = sources.choose(SourceFormat.POLL, columns)
        if source and header and layout is None:
            return FileReport(file=str(path), kind=source.value, readable=False,
                              error=f"does not have the columns of a {source.value} file")  # fmt: skip
        if layout is not None and header is not None:
            return _read_source(path, layout, header.delimiter, encoding, options)
        if source:
            return FileReport(file=str(path), kind=source.value, readable=False,
                              error=f"cannot be read as a {source.value} file (CSV or XLSX)")  # fmt: skip
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
    if _refused_for_missing_columns(report, spec.required, table):
        return report
    if not table.rows:
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


def _read_source(
    path: Path, layout: Layout, delimiter: str, encoding: str | None, options: SourceOptions
) -> ParsedFile | FileReport:
    """Read a file of a published layout through its reader."""
    if layout.poll and options.poll_mapping is None:
        return FileReport(file=str(path), kind=layout.name, readable=False,
                          error="a poll export needs a mapping file (--mapping poll-mapping.yaml)")  # fmt: skip
    try:
        table = read_table(path, encoding=encoding, delimiter=delimiter)
    except InputError as error:
        return FileReport(file=str(path), kind=layout.name, readable=False, error=error.reason)
    report = FileReport(file=str(path), kind=layout.name, rows_read=len(table.rows))
    if _refused_for_missing_columns(report, sources.required(layout, options), table):
        return report
    read = sources.read(layout, table, options)
    report.rejected = read.rejected
    report.rows_rejected = len(read.rejected)
    report.rows_skipped = read.skipped
    notices = read.notices if table.rows else ["has a header but no rows", *read.notices]
    report.notice = "; ".join(notices) or None
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    plan = Plan(layout.name, layout.node, layout.owns, layout.rank, poll=layout.poll)
    return ParsedFile(path, table, plan, report, sha, read.records, read.answers)


@dataclass
class _OrgState:
    """Provenance of one organisation as this call builds it up."""

    name: str
    pic: str | None = None
    vat: str | None = None
    aliases: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)

    def provenance(self, organisation_id: str) -> dict[str, Any]:
        return {"id": organisation_id, "pic": self.pic, "vat": self.vat,
                "aliases": self.aliases, "sources": self.sources, "merges": self.merges}  # fmt: skip


class _Resolver:
    """Indexes of what exists in the store and in this call, shared by all files."""

    def __init__(self, store: Store, files: Sequence[ParsedFile], review: ReviewBook) -> None:
        self.review = review
        self.competences = CompetenceIndex()
        for row in store.run(EXISTING_COMPETENCES):
            self.competences.add(
                row["id"], row["label"] or "", row["alt_labels"] or [], row["esco_uri"]
            )
        self.organisations = OrganisationIndex()
        self.state: dict[str, _OrgState] = {}
        for row in store.run(EXISTING_ORGANISATIONS):
            name = row["name"] or row["id"]
            aliases = list(row["aliases"] or [])
            self.organisations.add(
                row["id"], name, country=row["country"], pic=row["pic"], vat=row["vat"],
                website=row["website"], aliases=aliases,
            )  # fmt: skip
            self.state[row["id"]] = _OrgState(
                name, row["pic"], row["vat"], aliases, list(row["sources"] or []),
                list(row["merges"] or []),
            )  # fmt: skip
        self.projects = {row["id"] for row in store.run(EXISTING_PROJECTS)}
        self.priorities: dict[str, PriorityTerms] = {}
        self.priority_names: dict[str, str] = {}
        for row in store.run(EXISTING_PRIORITIES):
            self._add_priority(row["id"], row["kind"], row["label"] or "", row["keywords"] or [])
        for parsed in files:
            for record in parsed.records:
                f = record.fields
                if record.subject is not None:
                    continue
                if record.kind is NodeKind.COMPETENCE:
                    self.competences.add(
                        record.id, f["label"], f.get("alt_labels", []), f.get("esco_uri")
                    )
                elif record.kind is NodeKind.ORGANISATION:
                    self.organisations.add(
                        record.id, f["name"], country=f.get("country"), website=f.get("website")
                    )
                    self.state.setdefault(record.id, _OrgState(f["name"]))
                elif record.kind is NodeKind.PRIORITY:
                    self._add_priority(record.id, f["kind"], f["label"], f.get("keywords", []))
                elif record.kind is NodeKind.PROJECT:
                    self.projects.add(record.id)

    def _add_priority(self, pid: str, kind: str, label: str, keywords: Sequence[str]) -> None:
        self.priorities[pid] = PriorityTerms.of(pid, kind, label, keywords)
        for name in (pid, label):
            if fold(name):
                self.priority_names.setdefault(fold(name), pid)


@dataclass
class _Batch:
    """What one file writes."""

    nodes: dict[NodeKind, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    edges: dict[tuple[RelType, NodeKind, NodeKind], list[dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    #: Organisations this file created, by id (written whole, with their provenance).
    created: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Known organisations whose provenance this file extends.
    touched: set[str] = field(default_factory=set)
    provenance: list[dict[str, Any]] = field(default_factory=list)
    written: int = 0


def _fingerprint(data: Any) -> str:
    return hashlib.sha1(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _subject(record: Record, resolver: _Resolver) -> str | None:
    """The id of the existing node a link-only record names, or None."""
    if record.subject is Target.PROJECT:
        return record.id if record.id in resolver.projects else None
    if record.subject is Target.COMPETENCE:
        return resolver.competences.by_uri(record.id)
    return record.id


def _resolve_records(
    parsed: ParsedFile, resolver: _Resolver, source_id: str, batch: _Batch
) -> None:
    report, table = parsed.report, parsed.table
    missing_subjects = hierarchy_skipped = 0
    for record in parsed.records:
        record_id = _subject(record, resolver)
        if record_id is None:
            missing_subjects += record.rows
            continue
        links: list[tuple[Any, ...]] = []
        for ref in record.references:
            if record.subject is Target.COMPETENCE:
                target_id = resolver.competences.by_uri(ref.value)
                if target_id is None:
                    hierarchy_skipped += 1
                    continue
            elif ref.mention is not None:
                target_id = _resolve_mention(ref, ref.mention, record, parsed, resolver,
                                             source_id, batch)  # fmt: skip
                if target_id is None:
                    continue
            else:
                target_id = _resolve(
                    ref.target, ref.value, ref.column, record, parsed, resolver, source_id, batch
                )
            if target_id is None:
                report.unresolved.append(
                    Unresolved(
                        location=table.where(ref.line or record.line),
                        column=ref.column,
                        value=ref.value,
                    )
                )
                continue
            src, dst = (record_id, target_id) if ref.outgoing else (target_id, record_id)
            src_kind, dst_kind = (
                (record.kind, _TARGET_LABEL[ref.target])
                if ref.outgoing
                else (_TARGET_LABEL[ref.target], record.kind)
            )
            links.append((ref.rel, src_kind, dst_kind, src, dst, ref.properties))
        for rel, src_kind, dst_kind, src, dst, props in links:
            batch.edges[(rel, src_kind, dst_kind)].append({"a": src, "b": dst, **dict(props)})
        batch.written += record.rows
        if record.subject is not None:
            parsed.owned_ids.append(record_id)
            continue
        row = dict(record.fields)
        row["source"] = source_id
        row["fingerprint"] = _fingerprint([record.fields, sorted(map(str, links))])
        if record.kind is NodeKind.ORGANISATION:
            state = resolver.state.setdefault(record.id, _OrgState(row["name"]))
            if source_id not in state.sources:
                state.sources.append(source_id)
            row["sources"] = state.sources
        batch.nodes[record.kind].append(row)
    if missing_subjects:
        parsed.report.rows_skipped += missing_subjects
        what = "projects" if parsed.plan.node is NodeKind.PROJECT else "skills"
        _notice(parsed.report, f"{missing_subjects} rows name {what} that are not loaded "
                "(left out by a filter, or not in this call or the store)")  # fmt: skip
    if hierarchy_skipped:
        _notice(parsed.report, f"{hierarchy_skipped} relations to skill groups or skills "
                "not loaded were passed over")  # fmt: skip


def _notice(report: FileReport, text: str) -> None:
    report.notice = f"{report.notice}; {text}" if report.notice else text


def _create_organisation(
    mention: OrgMention, resolver: _Resolver, source_id: str, batch: _Batch, location: str,
    report: FileReport,
) -> str:  # fmt: skip
    """A new non-member organisation from what a source says about it."""
    new_id = resolver.organisations.new_id(mention.name)
    resolver.organisations.add(new_id, mention.name, country=mention.country, pic=mention.pic,
                               vat=mention.vat, website=mention.website)  # fmt: skip
    state = _OrgState(mention.name, mention.pic, mention.vat, sources=[source_id])
    resolver.state[new_id] = state
    fields = {"id": new_id, "name": mention.name, "member": False,
              "type": mention.type or "other", "country": mention.country,
              "city": mention.city, "website": mention.website}  # fmt: skip
    batch.created[new_id] = {**fields, "source": source_id, "fingerprint": _fingerprint(fields)}
    if mention.country:
        batch.nodes[NodeKind.COUNTRY].append(
            {"id": mention.country, "name": values.country_name(mention.country),
             "source": source_id, "fingerprint": mention.country}
        )  # fmt: skip
        batch.edges[(RelType.LOCATED_IN, NodeKind.ORGANISATION, NodeKind.COUNTRY)].append(
            {"a": new_id, "b": mention.country}
        )
    report.organisations_created.append(f"{new_id} ({mention.name}) at {location}")
    return new_id


def _join(
    target: str, evidence: str, mention: OrgMention, resolver: _Resolver, source_id: str,
    batch: _Batch, parsed: ParsedFile, location: str,
) -> str:  # fmt: skip
    """Record on a known organisation that this source named it, and how it was joined."""
    state = resolver.state.setdefault(target, _OrgState(resolver.organisations.name_of(target)))
    resolver.organisations.add(target, state.name, country=mention.country, pic=mention.pic,
                               vat=mention.vat, website=mention.website,
                               aliases=[mention.name])  # fmt: skip
    changed = False
    if mention.name != state.name and mention.name not in state.aliases:
        state.aliases.append(mention.name)
        changed = True
    for attribute in ("pic", "vat"):
        if getattr(mention, attribute) and not getattr(state, attribute):
            setattr(state, attribute, getattr(mention, attribute))
            changed = True
    if source_id not in state.sources:
        state.sources.append(source_id)
        state.merges.append(
            f"{source_id} {parsed.path.name}: {mention.name!r} ({mention.country or '-'}) "
            f"from {mention.origin}, joined by {evidence}"
        )
        parsed.report.merged.append(
            MergeNote(location=location, value=mention.name, matched_id=target,
                      matched_name=state.name, evidence=evidence)
        )  # fmt: skip
        changed = True
    if changed and target not in batch.created:
        batch.touched.add(target)
    return target


def _resolve_mention(
    ref: Reference, mention: OrgMention, record: Record, parsed: ParsedFile,
    resolver: _Resolver, source_id: str, batch: _Batch,
) -> str | None:  # fmt: skip
    """The organisation a source describes: joined, created, or held back for review."""
    location = parsed.table.where(ref.line or record.line)
    index, review = resolver.organisations, resolver.review
    key = review_key(organisation_key(mention.name), mention.country)
    decided = review.decision(key)
    if decided is not None and decided.id and decided.id in index:
        evidence = "a reviewer's decision" if decided.action == "merge" else "earlier review"
        return _join(decided.id, evidence, mention, resolver, source_id, batch, parsed, location)
    decision: Decision = index.match(mention, by_name=decided is None)
    if decision.outcome is Outcome.MATCHED and decision.id:
        return _join(decision.id, decision.evidence, mention, resolver, source_id, batch,
                     parsed, location)  # fmt: skip
    if decision.outcome is Outcome.AMBIGUOUS:
        candidates = [ReviewCandidate(id=c.id, name=c.name, country=c.country, score=c.score)
                      for c in decision.candidates]  # fmt: skip
        review.ask(ReviewItem(key=key, kind="organisation", name=mention.name,
                              country=mention.country, seen_at=[location],
                              reason=decision.evidence, candidates=candidates))  # fmt: skip
        listed = ", ".join(f"{c.id} ({c.name}, {c.score:g})" for c in candidates)
        parsed.report.pending_review.append(
            f"{location} {mention.name!r} ({mention.country or '-'}): {decision.evidence}: "
            f"{listed}; not linked until reviewed"
        )
        return None
    new_id = _create_organisation(mention, resolver, source_id, batch, location, parsed.report)
    if decided is not None:
        review.remember(key, ReviewDecision(action="separate", id=new_id, name=mention.name))
    return new_id


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
    if target is Target.PROJECT:
        return value if value in resolver.projects else None
    match = resolver.organisations.resolve(value)
    location = parsed.table.where(record.line)
    if match is None:
        new_id = resolver.organisations.new_id(value)
        resolver.organisations.add(new_id, value)
        resolver.state[new_id] = _OrgState(value, sources=[source_id])
        parsed.report.organisations_created.append(f"{new_id} ({value}) at {location}")
        batch.nodes[NodeKind.ORGANISATION].append(
            {"id": new_id, "name": value, "member": False, "type": "other",
             "source": source_id, "fingerprint": _fingerprint(value), "sources": [source_id]}
        )  # fmt: skip
        return new_id
    if match.fuzzy:
        parsed.report.fuzzy_matches.append(
            FuzzyMatch(location=location, column=column, value=value, matched_id=match.id,
                       matched_name=match.name, score=match.score or 0.0)
        )  # fmt: skip
    return match.id


def _finish_organisations(resolver: _Resolver, batch: _Batch) -> None:
    """Created organisations with their final provenance; provenance of joined ones."""
    for organisation_id, row in batch.created.items():
        provenance = resolver.state[organisation_id].provenance(organisation_id)
        batch.nodes[NodeKind.ORGANISATION].append({**row, **provenance})
    batch.provenance = [
        resolver.state[i].provenance(i) for i in sorted(batch.touched - set(batch.created))
    ]


def _resolve_poll(
    parsed: ParsedFile, resolver: _Resolver, source_id: str, batch: _Batch
) -> dict[str, int]:
    """RAISED edges of respondents, and the support of every known priority."""
    from ingest.sources.poll import direct_priorities

    support: Counter[str] = Counter()
    raised: Counter[tuple[str, str]] = Counter()
    terms = list(resolver.priorities.values())
    for answer in parsed.answers:
        direct = direct_priorities(answer, resolver.priority_names)
        if direct is not None and all(p in resolver.priorities for p in direct):
            priorities = direct
        else:
            classified = classify(answer.answer, answer.question_kind, terms)
            priorities = sorted(set(classified) | set(answer.priorities))
            priorities = [p for p in priorities if p in resolver.priorities]
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
    plan = parsed.plan
    for kind in (NodeKind.COUNTRY, NodeKind.ORGANISATION, plan.node):
        if kind is None or kind not in batch.nodes or (plan.poll and kind is NodeKind.PRIORITY):
            continue
        rows = list({row["id"]: row for row in batch.nodes[kind]}.values())
        # Rows that state different properties (stub organisations, members) go separately.
        by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            by_shape[tuple(row)].append(row)
        for shaped in by_shape.values():
            tx.upsert_nodes(kind, shaped)
    if batch.provenance:
        for start in range(0, len(batch.provenance), 5_000):
            tx.run(SET_PROVENANCE, {"rows": batch.provenance[start : start + 5_000]})
    if plan.poll:
        tx.upsert_nodes(NodeKind.PRIORITY, batch.nodes[NodeKind.PRIORITY])
        tx.run(DELETE_ALL_RAISED)
    if plan.node is not None:
        ids = parsed.owned_ids or [r.id for r in parsed.records if r.subject is None]
        for rel in sorted(plan.owns):
            _delete_owned(tx, plan.node, rel, ids)
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
    source: SourceFormat | None = None,
    options: SourceOptions | None = None,
    review_file: Path | None = None,
) -> IngestReport:
    """Ingest files and folders into the store and report on every file.

    ``source`` names the published format of every file (otherwise it is detected from
    each file's header); ``options`` carries the CORDIS filters and the poll mapping;
    ``review_file`` is where questions for a person wait and their answers are kept.

    Raises :class:`~graph.errors.InputError` only for a path that does not exist or an
    unreadable review file; every problem inside a file is reported in its
    :class:`FileReport`.
    """
    from ingest import esco_map

    review = ReviewBook.open(review_file)
    files, passed_over = expand(paths, kind, source)
    report = IngestReport(review_file=str(review_file) if review_file else None)
    for path in passed_over:
        report.files.append(
            FileReport(file=str(path), notice="passed over: its name says no kind of file")
        )
    parsed_files: list[ParsedFile] = []
    for path in files:
        outcome = read_file(path, kind, encoding, source=source, options=options)
        if isinstance(outcome, FileReport):
            report.files.append(outcome)
        else:
            report.files.append(outcome.report)
            if outcome.report.error is None:
                parsed_files.append(outcome)
    resolver = _Resolver(store, parsed_files, review)
    ordered = sorted(parsed_files, key=lambda p: p.plan.rank)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for done, parsed in enumerate(ordered, start=1):
        source_id = "src-" + parsed.sha256[:16]
        batch = _Batch()
        if parsed.plan.poll:
            _resolve_poll(parsed, resolver, source_id, batch)
            written = len(parsed.answers)
        else:
            _resolve_records(parsed, resolver, source_id, batch)
            _finish_organisations(resolver, batch)
            written = batch.written
        source_row = {
            "id": source_id, "file": parsed.path.name, "sha256": parsed.sha256,
            "kind": parsed.plan.name, "ingested_at": now, "rows": written,
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
    catalogue_touched = any(
        p.plan.name in {FileKind.COMPETENCES.value, "esco_skills"} for p in parsed_files
    )
    report.esco_linked = esco_map.link(store, review, suggest_new=catalogue_touched)
    review.save()
    report.review_pending = len(review.state.pending)
    return report
