"""The canonical file kinds: their columns and how a row becomes a record; and the names of
the published formats."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from typing import Any

from pydantic import ValidationError

from graph.model import DeliveryMode, OrganisationType, PriorityKind
from graph.schema import NodeKind, RelType, model_for
from ingest import values
from ingest.fields import FieldChecks
from ingest.records import (
    CellError,
    Record,
    Reference,
    RowCells,
    RowError,
    Target,
    validation_problems,
)


class FileKind(StrEnum):
    """The kinds of canonical file, named as their files are."""

    MEMBERS = "members"
    PROJECTS = "projects"
    TRAINING_OFFERS = "training_offers"
    COMPETENCES = "competences"
    PRIORITIES = "priorities"
    POLL_RESPONSES = "poll_responses"


class SourceFormat(StrEnum):
    """The published formats ``skillgraph ingest --format`` reads (:mod:`ingest.sources`)."""

    CORDIS = "cordis"
    ESCO = "esco"
    ERASMUS = "erasmus"
    POLL = "poll"


#: A row's cells; a parser notes a bad cell in it and goes on to the next.
Cells = RowCells


def _cell(cells: Cells, column: str, parse: Callable[[str], Any], text: str | None = None) -> Any:
    """``parse`` of the column's cell (or of ``text``, an item of it); None when it fails."""
    try:
        return parse(cells.get(column, "") if text is None else text)
    except ValueError as error:
        cells.refuse(CellError(column, str(error)))
        return None


@cache
def _values_of(allowed: type[StrEnum]) -> frozenset[str]:
    return frozenset(m.value for m in allowed)


def _choice(cells: Cells, column: str, allowed: type[StrEnum]) -> str | None:
    raw = cells.get(column, "").strip()
    if not raw:
        return None
    value = raw.lower().replace("-", "_").replace(" ", "_")
    if value not in _values_of(allowed):
        options = ", ".join(m.value for m in allowed)
        cells.refuse(CellError(column, f"{raw!r} is not one of {options}"))
        return None
    return value


# Cached per distinct cell: a file names the same providers, countries and sets of
# competences on many rows, and a reference is a tuple, so the rows that name the same
# cell share its references. A cell with a bad item raises, and what raises is not cached.
@lru_cache(maxsize=1 << 16)
def _item_links(
    column: str,
    cell: str,
    target: Target,
    rel: RelType,
    outgoing: bool,
    properties: tuple[tuple[str, Any], ...],
) -> tuple[Reference, ...]:
    parts = values.items(cell)
    if target is Target.COUNTRY:
        parts = [values.country(item) for item in parts]
    return tuple(Reference.each(column, parts, target, rel, outgoing=outgoing,
                                properties=properties))  # fmt: skip


def forget_cells() -> None:
    """Drop the references kept per distinct cell: a long-running server would otherwise
    keep cells of every file it read, where one file's are all the next one can use."""
    _item_links.cache_clear()


def _countries(cells: Cells, column: str, rel: RelType) -> list[Reference]:
    """References to the countries of a list cell; each bad item is noted in ``cells``."""
    cell = cells.get(column, "")
    try:
        return list(_item_links(column, cell, Target.COUNTRY, rel, True, ()))
    except ValueError:
        codes = [_cell(cells, column, values.country, item) for item in values.items(cell)]
        return Reference.each(column, codes, Target.COUNTRY, rel)


def _links(
    cells: Cells,
    column: str,
    target: Target,
    rel: RelType,
    *,
    outgoing: bool = True,
    properties: tuple[tuple[str, Any], ...] = (),
) -> list[Reference]:
    """References to the items of a list cell."""
    return list(_item_links(column, cells.get(column, ""), target, rel, outgoing, properties))


def _member(cells: Cells) -> tuple[dict[str, Any], list[Reference]]:
    country = _cell(cells, "country", values.country)
    fields = {
        "name": cells.get("name", ""),
        "type": _choice(cells, "type", OrganisationType),
        "country": country,
        "city": values.text(cells.get("city", "")),
        "website": values.text(cells.get("website", "")),
        "joined": _cell(cells, "joined", values.iso_date),
        "member": True,
    }
    refs = [Reference("country", country, Target.COUNTRY, RelType.LOCATED_IN)]
    refs += _links(cells, "expertise", Target.COMPETENCE, RelType.HAS_EXPERTISE)
    refs += _links(cells, "needs", Target.COMPETENCE, RelType.NEEDS)
    return fields, refs


def _project(cells: Cells) -> tuple[dict[str, Any], list[Reference]]:
    fields = {
        "title": cells.get("title", ""),
        "acronym": values.text(cells.get("acronym", "")),
        "programme": values.text(cells.get("programme", "")),
        "start": _cell(cells, "start", values.iso_date),
        "end": _cell(cells, "end", values.iso_date),
        "budget_eur": _cell(cells, "budget_eur", values.number),
        "description": values.text(cells.get("description", "")),
        "url": values.text(cells.get("url", "")),
    }
    if fields["start"] and fields["end"] and fields["end"] < fields["start"]:
        cells.refuse(CellError("end", f"{fields['end']} is before the start {fields['start']}"))
    coordinator = [("role", "coordinator")]
    refs = _links(cells, "coordinator", Target.ORGANISATION, RelType.PARTICIPATES_IN,
                  outgoing=False, properties=tuple(coordinator))  # fmt: skip
    refs += _links(cells, "partners", Target.ORGANISATION, RelType.PARTICIPATES_IN,
                   outgoing=False, properties=(("role", "partner"),))  # fmt: skip
    refs += _countries(cells, "countries", RelType.ACTIVE_IN)
    refs += _links(cells, "competences", Target.COMPETENCE, RelType.TARGETS)
    refs += _links(cells, "priorities", Target.PRIORITY, RelType.ADDRESSES)
    return fields, refs


def _offer(cells: Cells) -> tuple[dict[str, Any], list[Reference]]:
    fields = {
        "title": cells.get("title", ""),
        "description": values.text(cells.get("description", "")),
        "eqf_level": _cell(cells, "eqf_level", values.integer),
        "languages": [lang.lower() for lang in values.items(cells.get("languages", ""))],
        "mode": _choice(cells, "mode", DeliveryMode),
        "duration_hours": _cell(cells, "duration_hours", values.number),
        "start": _cell(cells, "start", values.iso_date),
        "end": _cell(cells, "end", values.iso_date),
        "url": values.text(cells.get("url", "")),
    }
    teaches = _links(cells, "competences", Target.COMPETENCE, RelType.TEACHES)
    if not teaches:
        cells.refuse(CellError("competences", "is empty; an offer teaches at least one competence"))
    if not values.items(cells.get("countries", "")):
        cells.refuse(CellError("countries", "is empty; an offer is given in at least one country"))
    refs = _links(cells, "provider", Target.ORGANISATION, RelType.PROVIDES, outgoing=False)
    refs += teaches
    refs += _countries(cells, "countries", RelType.ACTIVE_IN)
    refs += _links(cells, "priorities", Target.PRIORITY, RelType.ADDRESSES)
    return fields, refs


def _competence(cells: Cells) -> tuple[dict[str, Any], list[Reference]]:
    fields = {
        "label": cells.get("label", ""),
        "alt_labels": values.items(cells.get("alt_labels", "")),
        "esco_uri": values.text(cells.get("esco_uri", "")),
        "group": values.text(cells.get("group", "")),
    }
    return fields, _links(cells, "broader", Target.COMPETENCE, RelType.BROADER)


def _priority(cells: Cells) -> tuple[dict[str, Any], list[Reference]]:
    fields: dict[str, Any] = {
        "kind": _choice(cells, "kind", PriorityKind),
        "label": cells.get("label", ""),
        "description": values.text(cells.get("description", "")),
        "keywords": values.items(cells.get("keywords", "")),
    }
    if "support" in cells:
        fields["support"] = _cell(cells, "support", values.integer) or 0
    return fields, []


@dataclass(frozen=True)
class KindSpec:
    """A canonical file kind: the node it makes, its columns, its row parser."""

    kind: FileKind
    node: NodeKind | None
    required: tuple[str, ...]
    optional: tuple[str, ...]
    parse: Callable[[Cells], tuple[dict[str, Any], list[Reference]]] | None
    #: Relationship types this file states in full for its rows (rewritten on re-ingest),
    #: each with the column that states it.
    owns: tuple[tuple[str, RelType], ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


SPECS: dict[FileKind, KindSpec] = {
    FileKind.MEMBERS: KindSpec(
        FileKind.MEMBERS, NodeKind.ORGANISATION, ("id", "name", "type", "country"),
        ("city", "website", "expertise", "needs", "joined"), _member,
        (("country", RelType.LOCATED_IN), ("expertise", RelType.HAS_EXPERTISE),
         ("needs", RelType.NEEDS)),
    ),
    FileKind.PROJECTS: KindSpec(
        FileKind.PROJECTS, NodeKind.PROJECT, ("id", "title"),
        ("acronym", "programme", "start", "end", "budget_eur", "coordinator", "partners",
         "countries", "competences", "priorities", "description", "url"), _project,
        (("coordinator", RelType.PARTICIPATES_IN), ("partners", RelType.PARTICIPATES_IN),
         ("countries", RelType.ACTIVE_IN), ("competences", RelType.TARGETS),
         ("priorities", RelType.ADDRESSES)),
    ),
    FileKind.TRAINING_OFFERS: KindSpec(
        FileKind.TRAINING_OFFERS, NodeKind.TRAINING_OFFER,
        ("id", "title", "provider", "competences", "countries"),
        ("description", "eqf_level", "languages", "mode", "duration_hours", "start", "end",
         "url", "priorities"), _offer,
        (("provider", RelType.PROVIDES), ("competences", RelType.TEACHES),
         ("countries", RelType.ACTIVE_IN), ("priorities", RelType.ADDRESSES)),
    ),
    FileKind.COMPETENCES: KindSpec(
        FileKind.COMPETENCES, NodeKind.COMPETENCE, ("id", "label"),
        ("alt_labels", "esco_uri", "group", "broader"), _competence,
        (("broader", RelType.BROADER),),
    ),
    FileKind.PRIORITIES: KindSpec(
        FileKind.PRIORITIES, NodeKind.PRIORITY, ("id", "kind", "label"),
        ("description", "keywords", "support"), _priority,
    ),
    FileKind.POLL_RESPONSES: KindSpec(
        FileKind.POLL_RESPONSES, None, ("question_kind", "answer"),
        ("respondent", "submitted_at"), None,
    ),
}  # fmt: skip

_NAME_HINTS: tuple[tuple[str, FileKind], ...] = (
    ("member", FileKind.MEMBERS),
    ("organisation", FileKind.MEMBERS),
    ("project", FileKind.PROJECTS),
    ("training", FileKind.TRAINING_OFFERS),
    ("offer", FileKind.TRAINING_OFFERS),
    ("course", FileKind.TRAINING_OFFERS),
    ("competence", FileKind.COMPETENCES),
    ("skill", FileKind.COMPETENCES),
    ("priorit", FileKind.PRIORITIES),
    ("poll", FileKind.POLL_RESPONSES),
    ("response", FileKind.POLL_RESPONSES),
    ("answer", FileKind.POLL_RESPONSES),
)


def kind_from_name(stem: str) -> FileKind | None:
    """Guess a file's kind from its name (``members.csv``, ``training-offers-2026.xlsx``)."""
    lowered = stem.lower()
    for hint, kind in _NAME_HINTS:
        if hint in lowered:
            return kind
    return None


def build_record(
    spec: KindSpec, line: int, cells: dict[str, str], checks: FieldChecks | None = None
) -> Record:
    """Parse and validate one row; raises :class:`RowError` listing every bad cell.

    ``checks`` are the field checks of the file's rows (:mod:`ingest.fields`), which keep
    what they found per value; a row they refuse is validated by the model itself.
    """
    assert spec.parse is not None and spec.node is not None
    row = RowCells(cells)
    record_id = cells.get("id", "").strip()
    if not record_id:
        row.refuse(CellError("id", "is empty"))
    fields, refs = spec.parse(row)
    fields["id"] = record_id
    data = checks.dump(fields) if checks is not None and not row.problems else None
    if data is None:
        try:
            validated = model_for(spec.node).model_validate(fields)
        except ValidationError as error:
            named = {p.column for p in row.problems}
            row.problems += [
                p for p in validation_problems(error, {}, cells) if p.column not in named
            ]
        if row.problems:
            raise RowError(row.problems)
        data = validated.model_dump(mode="json", include=set(fields))
    return Record(spec.node, line, data, refs)
