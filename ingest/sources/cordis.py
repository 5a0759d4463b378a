"""CORDIS open data (Horizon Europe, Horizon 2020): ``project.csv`` and ``organization.csv``.

The files are ``;``-delimited UTF-8 with quoted fields that may hold newlines; columns
are read by header name (their order and set differ between releases). Amounts use a
comma as decimal separator (``1234567,5``); dates are ISO; countries are the codes
CORDIS writes (``EL`` for Greece, ``UK``).

``project.csv`` rows become projects ``cordis-<id>``. ``organization.csv`` rows are
participations: each names an organisation (matched, merged or created through
:mod:`ingest.resolve`) and the project it takes part in, with its role. The
organisation file states the full list of participants of the projects it names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph.model import OrganisationType
from graph.schema import NodeKind, RelType
from ingest import values
from ingest.records import CellError, OrgMention, Record, Reference, Target
from ingest.report import Rejection
from ingest.sources.common import (
    Layout,
    SourceFormat,
    SourceRead,
    amount,
    matches_keywords,
    matches_topics,
    validated,
)
from ingest.tables import Table

DELIMITER = ";"
PROJECT_URL = "https://cordis.europa.eu/project/id/{id}"
ID_PREFIX = "cordis-"

PROJECTS = Layout(
    "cordis_projects", SourceFormat.CORDIS, NodeKind.PROJECT, ("id", "title"), rank=40
)
ORGANISATIONS = Layout(
    "cordis_organisations", SourceFormat.CORDIS, NodeKind.PROJECT, ("projectID", "name"),
    rank=55, owns=(RelType.PARTICIPATES_IN,),
)  # fmt: skip

#: CORDIS ``activityType`` -> organisation type. A private for-profit company (PRC) may
#: be a carmaker, a supplier or a consultancy: it is taken as a supplier, and a members
#: file keeps authority over the type of a member.
ACTIVITY_TYPES = {
    "PRC": OrganisationType.SUPPLIER,
    "HES": OrganisationType.UNIVERSITY,
    "REC": OrganisationType.RESEARCH,
    "PUB": OrganisationType.PUBLIC_AUTHORITY,
    "OTH": OrganisationType.OTHER,
}
#: CORDIS ``role`` -> the ``role`` of ``PARTICIPATES_IN``.
ROLES = {
    "coordinator": "coordinator",
    "participant": "partner",
    "associatedpartner": "associated_partner",
    "thirdparty": "third_party",
}
_PROJECT_COLUMNS = {
    "title": "title", "acronym": "acronym", "start": "startDate", "end": "endDate",
    "budget_eur": "totalCost", "description": "objective", "programme": "frameworkProgramme",
}  # fmt: skip


def detect(columns: Sequence[str]) -> Layout | None:
    """The CORDIS layout of a header, when it is unmistakably one."""
    names = set(columns)
    if {"projectID", "organisationID", "name", "role"} <= names:
        return ORGANISATIONS
    if {"id", "title", "objective"} <= names and names & {
        "frameworkProgramme",
        "ecMaxContribution",
        "fundingScheme",
    }:
        return PROJECTS
    return None


def choose(columns: Sequence[str]) -> Layout | None:
    """The layout of a file named a CORDIS file (``--format cordis``)."""
    names = set(columns)
    if detect(columns):
        return detect(columns)
    if "projectID" in names and names & {"name", "organisationID", "role"}:
        return ORGANISATIONS
    return PROJECTS if {"id", "title"} <= names else None


def _date(cells: dict[str, str], column: str) -> Any:
    try:
        return values.iso_date(cells.get(column, ""))
    except ValueError as error:
        raise CellError(column, str(error)) from None


def _project(cells: dict[str, str]) -> dict[str, Any]:
    try:
        budget = amount(cells.get("totalCost", ""), decimal=",")
        if budget is None:
            budget = amount(cells.get("ecMaxContribution", ""), decimal=",")
    except ValueError as error:
        raise CellError("totalCost", str(error)) from None
    programme = " ".join(
        p for p in (cells.get("frameworkProgramme", ""), cells.get("fundingScheme", "")) if p
    )
    fields: dict[str, Any] = {
        "id": ID_PREFIX + cells["id"],
        "title": cells.get("title", ""),
        "acronym": values.text(cells.get("acronym", "")),
        "programme": programme or None,
        "start": _date(cells, "startDate"),
        "end": _date(cells, "endDate"),
        "budget_eur": budget,
        "description": values.text(cells.get("objective", "")),
        "url": PROJECT_URL.format(id=cells["id"]),
    }
    if fields["start"] and fields["end"] and fields["end"] < fields["start"]:
        raise CellError("endDate", f"{fields['end']} is before the start {fields['start']}")
    return validated(NodeKind.PROJECT, fields, _PROJECT_COLUMNS)


def read_projects(
    table: Table, keywords: Sequence[str] = (), topics: Sequence[str] = ()
) -> SourceRead:
    """Projects of ``project.csv``, only those the keyword and topic filters keep."""
    result = SourceRead()
    seen: set[str] = set()
    for row in table.rows:
        cells = row.cells
        if keywords and not matches_keywords(
            (cells.get("title", ""), cells.get("objective", ""), cells.get("topics", "")), keywords
        ):
            result.skipped += 1
            continue
        if topics and not matches_topics(cells.get("topics", ""), topics):
            result.skipped += 1
            continue
        try:
            if not cells.get("id"):
                raise CellError("id", "is empty")
            if cells["id"] in seen:
                raise CellError("id", f"duplicate id {cells['id']!r}")
            fields = _project(cells)
        except CellError as error:
            result.rejected.append(Rejection(location=table.where(row.line), column=error.column,
                                             reason=str(error)))  # fmt: skip
            continue
        seen.add(cells["id"])
        result.records.append(Record(NodeKind.PROJECT, row.line, fields))
    if result.skipped:
        result.notices.append(f"{result.skipped} projects left out by the keyword/topic filter")
    return result


def _participation(cells: dict[str, str], line: int) -> Reference:
    name = " ".join(cells.get("name", "").split())
    if not name:
        raise CellError("name", "is empty")
    country = None
    if cells.get("country"):
        try:
            country = values.country(cells["country"])
        except ValueError as error:
            raise CellError("country", str(error)) from None
    activity = cells.get("activityType", "").strip().upper()
    kind = ACTIVITY_TYPES.get(activity, OrganisationType.OTHER)
    raw_role = cells.get("role", "").strip()
    role = ROLES.get(raw_role.lower().replace("_", "").replace(" ", ""), raw_role.lower() or None)
    mention = OrgMention(
        name=name,
        origin="cordis",
        country=country,
        pic=cells.get("organisationID", "").strip() or None,
        vat=cells.get("vatNumber", "").strip() or None,
        website=cells.get("organizationURL", "").strip() or None,
        city=cells.get("city", "").strip() or None,
        type=kind.value,
    )
    return Reference(
        "name", name, Target.ORGANISATION, RelType.PARTICIPATES_IN, outgoing=False,
        properties=(("role", role),), mention=mention, line=line,
    )  # fmt: skip


def read_organisations(table: Table) -> SourceRead:
    """Participations of ``organization.csv``, one record per project they name."""
    result = SourceRead()
    by_project: dict[str, Record] = {}
    for row in table.rows:
        try:
            project = row.cells.get("projectID", "").strip()
            if not project:
                raise CellError("projectID", "is empty")
            reference = _participation(row.cells, row.line)
        except CellError as error:
            result.rejected.append(Rejection(location=table.where(row.line), column=error.column,
                                             reason=str(error)))  # fmt: skip
            continue
        record = by_project.get(project)
        if record is None:
            record = Record(NodeKind.PROJECT, row.line, {"id": ID_PREFIX + project},
                            subject=Target.PROJECT, rows=0)  # fmt: skip
            by_project[project] = record
            result.records.append(record)
        record.references.append(reference)
        record.rows += 1
    return result
