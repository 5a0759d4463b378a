"""Erasmus+ Project Results Platform exports (CSV or XLSX).

One row per project: ``Project Identifier`` (``Project Number`` in older exports),
``Project Title``, ``Project Summary``, ``Topics``, ``Programme``, ``Key Action``,
``Action Type``, ``Call year`` or ``Funding Year``, ``Project Status``, the grant column
whose header is the sentence ``EU Grant award in euros (This amount represents ...)``,
the coordinator (``Coordinating organisation name``, ``Coordinating organisation type``,
``Coordinator's country``, ``Coordinator's website``) and repeated partner columns
``Partner N name``, ``Partner N organisation type``, ``Partner N country``,
``Partner N website``. CSV exports start with a byte-order mark (read as ``utf-8-sig``);
the delimiter is taken from the header line. Grants are written with ``.`` as decimal
separator (a ``,`` is a thousands separator).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from graph.model import OrganisationType
from graph.schema import NodeKind, RelType
from ingest import values
from ingest.records import CellError, OrgMention, Record, Reference, Target
from ingest.sources.common import (
    Layout,
    SourceFormat,
    SourceOptions,
    SourceRead,
    amount,
    matches_keywords,
    validated,
)
from ingest.tables import Table

ID_PREFIX = "erasmus-"
GRANT_PREFIX = "EU Grant award in euros"
IDENTIFIERS = ("Project Identifier", "Project Number")
_PARTNER = re.compile(r"^Partner (\d+) name$")

#: Words of the platform's organisation types -> our types, first match wins.
ORGANISATION_TYPES: tuple[tuple[str, OrganisationType], ...] = (
    ("higher education", OrganisationType.UNIVERSITY),
    ("university", OrganisationType.UNIVERSITY),
    ("research", OrganisationType.RESEARCH),
    ("public body", OrganisationType.PUBLIC_AUTHORITY),
    ("public authority", OrganisationType.PUBLIC_AUTHORITY),
    ("ministry", OrganisationType.PUBLIC_AUTHORITY),
    ("social partner", OrganisationType.SOCIAL_PARTNER),
    ("trade union", OrganisationType.SOCIAL_PARTNER),
    ("vocational", OrganisationType.TRAINING_PROVIDER),
    ("training", OrganisationType.TRAINING_PROVIDER),
    ("school", OrganisationType.TRAINING_PROVIDER),
    ("educational", OrganisationType.TRAINING_PROVIDER),
    ("association", OrganisationType.ASSOCIATION),
    ("non-governmental", OrganisationType.ASSOCIATION),
    ("chamber", OrganisationType.ASSOCIATION),
    ("network", OrganisationType.ASSOCIATION),
    ("foundation", OrganisationType.ASSOCIATION),
    ("enterprise", OrganisationType.SUPPLIER),
    ("company", OrganisationType.SUPPLIER),
)


def organisation_type(text: str) -> str:
    """Our organisation type for the platform's description of one."""
    lowered = text.lower()
    return next((t.value for word, t in ORGANISATION_TYPES if word in lowered), "other")


def _grant_column(columns: Sequence[str]) -> str | None:
    return next((c for c in columns if c.startswith(GRANT_PREFIX)), None)


def _mention(cells: dict[str, str], name_col: str, type_col: str, country_col: str,
             site_col: str, role: str, line: int) -> Reference:  # fmt: skip
    name = " ".join(cells.get(name_col, "").split())
    country = None
    if cells.get(country_col, "").strip():
        try:
            country = values.country(cells[country_col])
        except ValueError as error:
            raise CellError(country_col, str(error)) from None
    mention = OrgMention(
        name=name, origin="erasmus", country=country,
        website=cells.get(site_col, "").strip() or None,
        type=organisation_type(cells.get(type_col, "")),
    )  # fmt: skip
    return Reference(name_col, name, Target.ORGANISATION, RelType.PARTICIPATES_IN,
                     outgoing=False, properties=(("role", role),), mention=mention, line=line)  # fmt: skip


def _date(cells: dict[str, str], column: str) -> Any:
    try:
        return values.iso_date(cells.get(column, ""))
    except ValueError:
        return None  # the platform's date formats vary by export; only ISO dates are kept


def _project(cells: dict[str, str], columns: Sequence[str], line: int) -> Record:
    identifier = next((cells[c].strip() for c in IDENTIFIERS if cells.get(c, "").strip()), "")
    if not identifier:
        raise CellError(IDENTIFIERS[0], "is empty")
    grant_column = _grant_column(columns)
    try:
        grant = amount(cells.get(grant_column, ""), decimal=".") if grant_column else None
    except ValueError as error:
        raise CellError(grant_column or "", str(error)) from None
    year = cells.get("Call year", "") or cells.get("Funding Year", "")
    parts = (cells.get("Programme", ""), cells.get("Key Action", ""), cells.get("Action Type", ""))
    programme = " ".join(p for p in parts if p)
    fields = validated(
        NodeKind.PROJECT,
        {
            "id": ID_PREFIX + identifier,
            "title": cells.get("Project Title", ""),
            "programme": (f"{programme} ({year})" if year else programme) or None,
            "start": _date(cells, "Start date"),
            "end": _date(cells, "End date"),
            "budget_eur": grant,
            "description": values.text(cells.get("Project Summary", "")),
            "url": values.text(cells.get("Project Website", "")),
        },
        {"title": "Project Title", "budget_eur": grant_column or "", "url": "Project Website"},
    )
    references = [
        _mention(cells, "Coordinating organisation name", "Coordinating organisation type",
                 "Coordinator's country", "Coordinator's website", "coordinator", line)
    ]  # fmt: skip
    if not references[0].value:
        raise CellError("Coordinating organisation name", "is empty")
    partners = sorted(int(m.group(1)) for c in columns if (m := _PARTNER.match(c)))
    for n in partners:
        if cells.get(f"Partner {n} name", "").strip():
            references.append(
                _mention(cells, f"Partner {n} name", f"Partner {n} organisation type",
                         f"Partner {n} country", f"Partner {n} website", "partner", line)
            )  # fmt: skip
    countries = sorted({r.mention.country for r in references if r.mention and r.mention.country})
    references += [
        Reference("countries", c, Target.COUNTRY, RelType.ACTIVE_IN, line=line) for c in countries
    ]
    return Record(NodeKind.PROJECT, line, fields, references)


def read_projects(table: Table, options: SourceOptions) -> SourceRead:
    """Projects, their coordinators and partners, of a Results Platform export."""
    keywords = options.keywords
    result = SourceRead()
    seen: set[str] = set()
    for row in table.rows:
        cells = row.cells
        if keywords and not matches_keywords(
            (cells.get("Project Title", ""), cells.get("Project Summary", ""),
             cells.get("Topics", "")), keywords,
        ):  # fmt: skip
            result.skipped += 1
            continue
        try:
            record = _project(cells, table.columns, row.line)
            if record.id in seen:
                raise CellError(IDENTIFIERS[0], f"duplicate project {record.id!r}")
        except CellError as error:
            result.reject(table, row.line, error)
            continue
        seen.add(record.id)
        result.records.append(record)
    if result.skipped:
        result.notices.append(f"{result.skipped} projects left out by the keyword filter")
    return result


PROJECTS = Layout(
    "erasmus_projects", SourceFormat.ERASMUS, NodeKind.PROJECT,
    ("Project Title", "Coordinating organisation name"), 45, read_projects,
    owns=(RelType.PARTICIPATES_IN, RelType.ACTIVE_IN), files=("*erasmus*",),
    signature=lambda c: {"Project Title", "Coordinating organisation name"} <= c
    and bool(c & set(IDENTIFIERS)),
    title="Erasmus+ Project Results Platform export",
)  # fmt: skip
LAYOUTS = (PROJECTS,)
