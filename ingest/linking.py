"""Resolving what the files of one call refer to, across files and against the store.

Each file's records become a batch of nodes and edges; references to competences,
organisations and priorities are resolved against what the store holds and what the call's
other files bring, and organisations named by several sources are joined.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from graph.schema import ESCO_ID_PREFIX, NodeKind, RelType
from graph.store import Store
from ingest import values
from ingest.classify import PriorityTerms, classify
from ingest.normalise import fold, organisation_key
from ingest.reading import ParsedFile
from ingest.records import OrgMention, Record, Reference, Target
from ingest.report import (
    FileReport,
    FuzzyMatch,
    MergeNote,
    Unresolved,
)
from ingest.resolve import CompetenceIndex, Decision, OrganisationIndex, Outcome
from ingest.review import ReviewBook, ReviewCandidate, ReviewDecision, ReviewItem
from ingest.review import organisation_key as review_key
from ingest.sources.esco import merge_concept, untagged

EXISTING_COMPETENCES = (
    "MATCH (c:Competence) RETURN c.id AS id, c.label AS label, "
    "c.alt_labels AS alt_labels, c.esco_uri AS esco_uri, c.labels AS labels, "
    "c.alt_labels_by_language AS alt_labels_by_language, c.description AS description, "
    "c.collections AS collections, c.concept_type AS concept_type, c.code AS code"
)
EXISTING_OCCUPATIONS = (
    "MATCH (o:Occupation) RETURN o.id AS id, o.label AS label, o.alt_labels AS alt_labels, "
    "o.esco_uri AS esco_uri, o.labels AS labels, o.description AS description"
)
EXISTING_ORGANISATIONS = (
    "MATCH (o:Organisation) RETURN o.id AS id, o.name AS name, o.country AS country, "
    "o.website AS website, o.pic AS pic, o.vat AS vat, o.aliases AS aliases, "
    "o.sources AS sources, o.merges AS merges"
)
EXISTING_PROJECTS = "MATCH (p:Project) RETURN p.id AS id"
EXISTING_PRIORITIES = (
    "MATCH (p:Priority) RETURN p.id AS id, p.kind AS kind, p.label AS label, p.keywords AS keywords"
)

_TARGET_LABEL = {
    Target.COMPETENCE: NodeKind.COMPETENCE,
    Target.ESCO: NodeKind.COMPETENCE,
    Target.OCCUPATION: NodeKind.OCCUPATION,
    Target.ORGANISATION: NodeKind.ORGANISATION,
    Target.PRIORITY: NodeKind.PRIORITY,
    Target.COUNTRY: NodeKind.COUNTRY,
}


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


class Resolver:
    """Indexes of what exists in the store and in this call, shared by all files."""

    def __init__(self, store: Store, files: Sequence[ParsedFile], review: ReviewBook) -> None:
        self.review = review
        self.competences = CompetenceIndex()
        #: What is known of each ESCO concept, merged file by file (its languages).
        self.concepts: dict[str, dict[str, Any]] = {}
        for row in store.run(EXISTING_COMPETENCES):
            self._add_competence(row)
            if row["id"].startswith(ESCO_ID_PREFIX):
                self.concepts[row["id"]] = {k: v for k, v in row.items() if v is not None}
        #: Occupations by ESCO URI.
        self.occupations: dict[str, str] = {}
        for row in store.run(EXISTING_OCCUPATIONS):
            self.occupations[row["esco_uri"] or row["id"]] = row["id"]
            self.concepts[row["id"]] = {k: v for k, v in row.items() if v is not None}
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
                    self._add_competence(f)
                elif record.kind is NodeKind.OCCUPATION:
                    self.occupations[f.get("esco_uri") or record.id] = record.id
                elif record.kind is NodeKind.ORGANISATION:
                    self.organisations.add(
                        record.id, f["name"], country=f.get("country"), website=f.get("website")
                    )
                    self.state.setdefault(record.id, _OrgState(f["name"]))
                elif record.kind is NodeKind.PRIORITY:
                    self._add_priority(record.id, f["kind"], f["label"], f.get("keywords", []))
                elif record.kind is NodeKind.PROJECT:
                    self.projects.add(record.id)

    def _add_competence(self, fields: dict[str, Any]) -> None:
        """Index a competence under its labels in every language it has."""
        names = [*(fields.get("alt_labels") or [])]
        for entries in (fields.get("labels"), fields.get("alt_labels_by_language")):
            names += [label for _, label in untagged(entries or [])]
        self.competences.add(fields["id"], fields.get("label") or "", names,
                             fields.get("esco_uri"))  # fmt: skip

    def _add_priority(self, pid: str, kind: str, label: str, keywords: Sequence[str]) -> None:
        self.priorities[pid] = PriorityTerms.of(pid, kind, label, keywords)
        for name in (pid, label):
            if fold(name):
                self.priority_names.setdefault(fold(name), pid)


@dataclass
class Batch:
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


#: ``json.dumps(data, sort_keys=True, default=str)``, without making an encoder per call
#: nor looking for cycles (a row has none; the text is the same).
_FINGERPRINT_TEXT = json.JSONEncoder(sort_keys=True, default=str, check_circular=False).encode


def _fingerprint(data: Any) -> str:
    return hashlib.sha1(_FINGERPRINT_TEXT(data).encode()).hexdigest()


#: Targets resolved without the partners a record already names (see ``resolve_records``).
_NO_ROLES = frozenset({Target.COMPETENCE, Target.ESCO, Target.PRIORITY, Target.COUNTRY,
                       Target.PROJECT})  # fmt: skip


@cache
def _link_start(rel: RelType, src: NodeKind, dst: NodeKind) -> str:
    return f"({rel!r}, {src!r}, {dst!r}, "


def _link_text(link: tuple[Any, ...]) -> str:
    """``str(link)``, written out: the enums' reprs are what it costs, so they are kept."""
    rel, src_kind, dst_kind, src, dst, props = link
    return f"{_link_start(rel, src_kind, dst_kind)}{src!r}, {dst!r}, {props!r})"


def _subject(record: Record, resolver: Resolver) -> str | None:
    """The id of the existing node a link-only record names, or None."""
    if record.subject is Target.PROJECT:
        return record.id if record.id in resolver.projects else None
    if record.subject is Target.ESCO:
        return resolver.competences.by_uri(record.id)
    if record.subject is Target.OCCUPATION:
        return resolver.occupations.get(record.id)
    return record.id


def resolve_records(parsed: ParsedFile, resolver: Resolver, source_id: str, batch: Batch) -> None:
    """Turn one file's records into a batch, resolving every reference they make."""
    report, table = parsed.report, parsed.table
    missing_subjects = hierarchy_skipped = 0
    #: What each value of a target that the call cannot change resolved to: a file names
    #: the same few competences and countries on every row.
    known: dict[tuple[Target, str], str | None] = {}
    organisations = resolver.organisations
    for record in parsed.records:
        record_id = _subject(record, resolver)
        if record_id is None:
            missing_subjects += record.rows
            continue
        links: list[tuple[Any, ...]] = []
        #: Organisations this record (a project) already names, by role: no other of its
        #: partners in that role can be one of them (a coordinator named again among the
        #: partners, misspelled, is still the coordinator).
        partners: dict[str, set[str]] = defaultdict(set)
        for ref in record.references:
            target = ref.target
            if ref.mention is None and target in _NO_ROLES:
                key = (target, ref.value)
                if key in known:
                    target_id = known[key]
                elif target is Target.ESCO:
                    target_id = known[key] = resolver.competences.by_uri(ref.value)
                else:
                    # a country's node is added on its first resolution only
                    target_id = known[key] = _resolve(target, ref.value, ref.column, record,
                                                      parsed, resolver, source_id, batch, set())  # fmt: skip
                if target_id is None and target is Target.ESCO:
                    hierarchy_skipped += 1
                    continue
            else:
                group = partners[str(dict(ref.properties).get("role") or ref.column)]
                if ref.mention is not None:
                    target_id = _resolve_mention(ref, ref.mention, record, parsed, resolver,
                                                 source_id, batch, group)  # fmt: skip
                    if target_id is None:
                        continue
                elif target is Target.ORGANISATION and ref.value in organisations:
                    target_id = ref.value  # an organisation's id: what resolving it gives
                else:
                    target_id = _resolve(target, ref.value, ref.column, record, parsed,
                                         resolver, source_id, batch, group)  # fmt: skip
                if target is Target.ORGANISATION and target_id is not None:
                    group.add(target_id)
            if target_id is None:
                report.unresolved.append(
                    Unresolved(
                        location=table.where(ref.line or record.line),
                        column=ref.column,
                        value=ref.value,
                    )
                )
                continue
            if ref.outgoing:
                links.append((ref.rel, record.kind, _TARGET_LABEL[target], record_id,
                              target_id, ref.properties))  # fmt: skip
            else:
                links.append((ref.rel, _TARGET_LABEL[target], record.kind, target_id,
                              record_id, ref.properties))  # fmt: skip
        record.references = []  # resolved into links: not needed again
        for rel, src_kind, dst_kind, src, dst, props in links:
            edge = {"a": src, "b": dst}
            if props:
                edge.update(props)
            batch.edges[(rel, src_kind, dst_kind)].append(edge)
        if record.subject is not None:
            # a file of links counts the links it wrote, not the rows it had
            batch.written += len(links)
            parsed.owned_ids.append(record_id)
            continue
        batch.written += record.rows
        # The record's own fields become its row (one copy of a file's rows, not two),
        # but for a concept merged across files, whose merge is kept as it is.
        row = record.fields
        if "labels" in row and record.id.startswith(ESCO_ID_PREFIX):
            merged = merge_concept(resolver.concepts.get(record.id), row)
            resolver.concepts[record.id] = merged
            row = dict(merged)
        fingerprint = _fingerprint([row, sorted(map(_link_text, links))])
        row["source"] = source_id
        row["fingerprint"] = fingerprint
        if record.kind is NodeKind.ORGANISATION:
            state = resolver.state.setdefault(record.id, _OrgState(row["name"]))
            if source_id not in state.sources:
                state.sources.append(source_id)
            row["sources"] = state.sources
        batch.nodes[record.kind].append(row)
    if missing_subjects:
        parsed.report.rows_skipped += missing_subjects
        node = parsed.plan.node
        what = _SUBJECTS.get(node, "nodes") if node is not None else "nodes"
        _notice(parsed.report, f"{missing_subjects} rows name {what} that are not loaded "
                "(left out by a filter, or not in this call or the store)")  # fmt: skip
    if hierarchy_skipped:
        parsed.report.rows_skipped += hierarchy_skipped
        _notice(parsed.report, f"{hierarchy_skipped} relations to ESCO concepts not loaded "
                "were passed over")  # fmt: skip


_SUBJECTS = {NodeKind.PROJECT: "projects", NodeKind.COMPETENCE: "ESCO concepts",
             NodeKind.OCCUPATION: "ESCO occupations"}  # fmt: skip


def _notice(report: FileReport, text: str) -> None:
    report.notice = f"{report.notice}; {text}" if report.notice else text


def _create_organisation(
    mention: OrgMention, resolver: Resolver, source_id: str, batch: Batch, location: str,
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
    target: str, evidence: str, mention: OrgMention, resolver: Resolver, source_id: str,
    batch: Batch, parsed: ParsedFile, location: str,
) -> str:  # fmt: skip
    """Record on a known organisation that this source named it, and how it was joined."""
    state = resolver.state.setdefault(target, _OrgState(resolver.organisations.name_of(target)))
    resolver.organisations.add(target, state.name, country=mention.country, pic=mention.pic,
                               vat=mention.vat, website=mention.website,
                               aliases=[mention.name])  # fmt: skip
    spelled_new = mention.name != state.name and mention.name not in state.aliases
    changed = spelled_new
    if spelled_new:
        state.aliases.append(mention.name)
    for attribute in ("pic", "vat"):
        if getattr(mention, attribute) and not getattr(state, attribute):
            setattr(state, attribute, getattr(mention, attribute))
            changed = True
    # every join of another spelling, or of a source not seen before, is a merge to report
    if source_id not in state.sources or spelled_new:
        if source_id not in state.sources:
            state.sources.append(source_id)
        state.merges.append(
            f"{source_id} {parsed.name}: {mention.name!r} ({mention.country or '-'}) "
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
    resolver: Resolver, source_id: str, batch: Batch, partners: set[str],
) -> str | None:  # fmt: skip
    """The organisation a source describes: joined, created, or held back for review."""
    location = parsed.table.where(ref.line or record.line)
    index, review = resolver.organisations, resolver.review
    key = review_key(organisation_key(mention.name), mention.country)
    decided = review.decision(key)
    if decided is not None and decided.id and decided.id in index:
        evidence = "a reviewer's decision" if decided.action == "merge" else "earlier review"
        return _join(decided.id, evidence, mention, resolver, source_id, batch, parsed, location)
    decision: Decision = index.match(mention, by_name=decided is None, exclude=partners)
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
    for other, reason in decision.related:
        batch.edges[(RelType.RELATED, NodeKind.ORGANISATION, NodeKind.ORGANISATION)].append(
            {"a": new_id, "b": other, "reason": reason}
        )
        parsed.report.related.append(
            f"{location} {new_id} ({mention.name}) is related to {other} "
            f"({index.name_of(other)}), not the same: {reason}"
        )
    return new_id


def _resolve(
    target: Target, value: str, column: str, record: Record, parsed: ParsedFile,
    resolver: Resolver, source_id: str, batch: Batch, partners: set[str],
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
    match = resolver.organisations.resolve(value, exclude=partners)
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
        state = resolver.state.setdefault(match.id, _OrgState(match.name))
        note = (f"{source_id} {parsed.name}: {value!r} in column {column}, "
                f"joined by name similarity {match.score:g}")  # fmt: skip
        if note not in state.merges:
            state.merges.append(note)
            if match.id not in batch.created:
                batch.touched.add(match.id)
    return match.id


def finish_organisations(resolver: Resolver, batch: Batch) -> None:
    """Created organisations with their final provenance; provenance of joined ones."""
    for organisation_id, row in batch.created.items():
        provenance = resolver.state[organisation_id].provenance(organisation_id)
        batch.nodes[NodeKind.ORGANISATION].append({**row, **provenance})
    batch.provenance = [
        resolver.state[i].provenance(i) for i in sorted(batch.touched - set(batch.created))
    ]


def resolve_poll(
    parsed: ParsedFile, resolver: Resolver, source_id: str, batch: Batch
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
