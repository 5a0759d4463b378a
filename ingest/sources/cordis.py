"""CORDIS open data (Horizon Europe, Horizon 2020): ``project.csv`` and ``organization.csv``.

The files are ``;``-delimited UTF-8 with quoted fields that may hold newlines, or the
same tables as XLSX workbooks; columns are read by header name (their order and set
differ between releases). Amounts use a comma as decimal separator (``1234567,5``;
re-saved workbooks also write ``491873.75``); dates are ISO; countries are the codes
CORDIS writes (``EL`` for Greece, ``UK``).

Published files hold quotes that were never escaped (``"... they "play around"; ..."``):
such a record splits into more cells than the header has. The loader repairs it when
escaping its inner quotes gives exactly the header's cells (the row is kept, with a
notice naming its line), and otherwise rejects that record alone, with its line.

The organisations of the older framework programmes (FP1 to FP7, tab-separated, with
``projectRcn``, ``id`` for the PIC and ``organizationUrl``) are read as participations too.

``project.csv`` rows become projects ``cordis-<id>``. ``organization.csv`` rows are
participations: each names an organisation (matched, merged or created through
:mod:`ingest.resolve`) and the project it takes part in, with its role. The
organisation file states the full list of participants of the projects it names.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from graph.errors import InputError
from graph.model import OrganisationType
from graph.schema import NodeKind, RelType
from ingest import values
from ingest.records import CellError, OrgMention, Record, Reference, Target
from ingest.sources.common import (
    Layout,
    Loaded,
    SourceFormat,
    SourceOptions,
    SourceRead,
    amount,
    matches_keywords,
    matches_topics,
    validated,
)
from ingest.tables import (
    Problem,
    ReadLimits,
    Table,
    add_row,
    decode,
    read_bytes,
    read_table,
    too_many_rows,
)

DELIMITER = ";"
PROJECT_URL = "https://cordis.europa.eu/project/id/{id}"
ID_PREFIX = "cordis-"

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


def read_projects(table: Table, options: SourceOptions) -> SourceRead:
    """Projects of ``project.csv``, only those the keyword and topic filters keep."""
    keywords, topics = options.keywords, options.topics
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
            result.reject(table, row.line, error)
            continue
        seen.add(cells["id"])
        result.records.append(Record(NodeKind.PROJECT, row.line, fields))
    if result.skipped:
        result.notices.append(f"{result.skipped} projects left out by the keyword/topic filter")
    return result


def _participation(cells: dict[str, str], line: int, names: dict[str, str]) -> Reference:
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
        pic=cells.get(names["pic"], "").strip() or None,
        vat=cells.get("vatNumber", "").strip() or None,
        website=cells.get(names["website"], "").strip() or None,
        city=cells.get("city", "").strip() or None,
        type=kind.value,
    )
    return Reference(
        "name", name, Target.ORGANISATION, RelType.PARTICIPATES_IN, outgoing=False,
        properties=(("role", role),), mention=mention, line=line,
    )  # fmt: skip


#: Where each release writes the PIC and the website of a participant.
CURRENT_NAMES = {"pic": "organisationID", "website": "organizationURL"}
FP_NAMES = {"pic": "id", "website": "organizationUrl"}


def read_organisations(
    table: Table, options: SourceOptions | None = None, names: dict[str, str] = CURRENT_NAMES
) -> SourceRead:
    """Participations of ``organization.csv``, one record per project they name."""
    result = SourceRead()
    by_project: dict[str, Record] = {}
    for row in table.rows:
        try:
            project = row.cells.get("projectID", "").strip()
            if not project:
                raise CellError("projectID", "is empty")
            reference = _participation(row.cells, row.line, names)
        except CellError as error:
            result.reject(table, row.line, error)
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


def read_fp_organisations(table: Table, options: SourceOptions) -> SourceRead:
    """Participations of an FP1-FP7 organisations file (``id`` is the PIC)."""
    result = read_organisations(table, options, FP_NAMES)
    result.notices.append(
        "read as the organisations of an older framework programme (FP1-FP7 layout); "
        "its participations link to the projects of that programme loaded with it"
    )
    return result


# -- reading the published CSV, quotes repaired ------------------------------------------
_INNER_QUOTE = '(?<=[^{d}\n"]){q}(?=[^{d}\n"])'
_CLOSING_QUOTE = '(?<=[^{d}\n"]){q}(?=[{d}\n]|$)'


def _escaped(text: str, positions: Sequence[int]) -> str:
    for position in sorted(positions, reverse=True):
        text = text[:position] + '"' + text[position:]
    return text


def repair_quotes(raw: str, delimiter: str, width: int) -> list[str] | None:
    """The cells of a record whose inner quotes were not escaped, or None.

    Quotes inside a field (no delimiter on either side) are escaped; if that is not
    enough, each quote that could close a field is tried as an inner one too. The first
    reading that gives exactly ``width`` cells wins. A record without a quote inside a
    field is not guessed at.
    """
    d = re.escape(delimiter)
    inner = [m.start() for m in re.finditer(_INNER_QUOTE.format(d=d, q='"'), raw)]
    if not inner:
        return None
    closing = [m.start() for m in re.finditer(_CLOSING_QUOTE.format(d=d, q='"'), raw)]
    for extra in ([], *([c] for c in closing)):
        text = _escaped(raw, [*inner, *extra])
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        if len(records) == 1 and len(records[0]) == width:
            return records[0]
    return None


def load_csv(
    path: Path, encoding: str | None, delimiter: str, options: SourceOptions, limits: ReadLimits
) -> Loaded:
    """A CORDIS table; a record with unescaped quotes is repaired or refused alone."""
    if path.suffix.lower() != ".csv":
        return Loaded(read_table(path, encoding=encoding, delimiter=delimiter, limits=limits,
                                 short_rows=True))  # fmt: skip
    file = str(path)
    text = decode(read_bytes(path, limits), file, encoding)
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        columns = [c.strip() for c in next(reader)]
    except StopIteration:
        raise InputError("is empty", file=file) from None
    table = Table(file, columns)
    loaded = Loaded(table)
    repaired: list[str] = []
    counted = 0
    start = reader.line_num + 1
    try:
        for record in reader:
            end = reader.line_num
            if any(cell.strip() for cell in record):
                counted += 1
                if counted > limits.max_rows:
                    raise too_many_rows(file, limits)
                cells: list[str] | None = record
                if len(record) > len(columns):
                    raw = "".join(lines[start - 1 : end]).rstrip("\r\n")
                    cells = repair_quotes(raw, delimiter, len(columns))
                    if cells is None:
                        table.problems.append(Problem(
                            start, f"has {len(record)} cells but the header has {len(columns)} "
                            "(a quote inside a field that was not escaped?)",
                        ))  # fmt: skip
                    else:
                        repaired.append(str(start))
                if cells is not None:
                    add_row(table, start, cells, limits)
            start = end + 1
    except csv.Error as error:
        raise InputError(f"is not valid CSV: {error}", file=file, line=start) from None
    if repaired:
        loaded.notices.append(
            f"repaired unescaped quotes in the record{'s' if len(repaired) > 1 else ''} at "
            f"line{'s' if len(repaired) > 1 else ''} {', '.join(repaired)}"
        )
    return loaded


def _has(*names: str) -> Any:
    wanted = frozenset(names)
    return lambda columns: wanted <= columns


PROJECTS = Layout(
    "cordis_projects", SourceFormat.CORDIS, NodeKind.PROJECT, ("id", "title"), 40,
    read_projects, files=("project*.csv", "project*.xlsx"),
    signature=lambda c: {"id", "title", "objective"} <= c
    and bool(c & {"frameworkProgramme", "ecMaxContribution", "fundingScheme"}),
    loader=load_csv, title="CORDIS projects (project.csv)",
)  # fmt: skip
ORGANISATIONS = Layout(
    "cordis_organisations", SourceFormat.CORDIS, NodeKind.PROJECT, ("projectID", "name"), 55,
    read_organisations, owns=(RelType.PARTICIPATES_IN,),
    files=("organization*.csv", "organization*.xlsx"),
    signature=_has("projectID", "organisationID", "name", "role"), loader=load_csv,
    title="CORDIS organisations (organization.csv)",
)  # fmt: skip
FP_ORGANISATIONS = Layout(
    "cordis_fp_organisations", SourceFormat.CORDIS, NodeKind.PROJECT, ("projectID", "name"), 55,
    read_fp_organisations, owns=(RelType.PARTICIPATES_IN,), files=("organizations-fp*.csv",),
    signature=lambda c: {"projectRcn", "projectID", "name", "role", "id"} <= c
    and "organisationID" not in c,
    loader=load_csv, title="CORDIS organisations of FP1-FP7 (tab-separated, projectRcn)",
)  # fmt: skip
LAYOUTS = (PROJECTS, ORGANISATIONS, FP_ORGANISATIONS)
