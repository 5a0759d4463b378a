"""ESCO skills pillar (v1.1 / v1.2 CSV): ``skills_en.csv`` and ``broaderRelationsSkillPillar_en.csv``.

``skills_en.csv`` has, among others, ``conceptType``, ``conceptUri``, ``skillType``,
``reuseLevel``, ``preferredLabel``, ``altLabels`` (several labels separated by newlines
inside the quoted field), ``status`` and ``description``. Each row becomes the competence
``esco-<last part of the URI>`` carrying the URI, labels and description.

``broaderRelationsSkillPillar_en.csv`` (``conceptType``, ``conceptUri``, ``broaderType``,
``broaderUri``) gives the hierarchy; a relation between two loaded skills becomes
``BROADER``. Relations to skill groups (which are not loaded) are counted and passed over.
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.schema import NodeKind, RelType
from ingest.records import CellError, Record, Reference, Target
from ingest.report import Rejection
from ingest.resolve import ESCO_ID_PREFIX
from ingest.sources.common import Layout, SourceFormat, SourceRead, validated
from ingest.tables import Table

SKILLS = Layout(
    "esco_skills", SourceFormat.ESCO, NodeKind.COMPETENCE, ("conceptUri", "preferredLabel"),
    rank=10,
)  # fmt: skip
HIERARCHY = Layout(
    "esco_broader", SourceFormat.ESCO, NodeKind.COMPETENCE, ("conceptUri", "broaderUri"),
    rank=15, owns=(RelType.BROADER,),
)  # fmt: skip
_COLUMNS = {"label": "preferredLabel", "alt_labels": "altLabels", "esco_uri": "conceptUri",
            "description": "description", "id": "conceptUri"}  # fmt: skip


def detect(columns: Sequence[str]) -> Layout | None:
    """The ESCO layout of a header, when it is unmistakably one."""
    names = set(columns)
    if {"conceptUri", "broaderUri"} <= names:
        return HIERARCHY
    if {"conceptUri", "preferredLabel"} <= names and names & {"skillType", "reuseLevel"}:
        return SKILLS
    return None


def choose(columns: Sequence[str]) -> Layout | None:
    """The layout of a file named an ESCO file (``--format esco``)."""
    return detect(columns) or (SKILLS if "conceptUri" in columns else None)


def competence_id(uri: str) -> str:
    """``http://data.europa.eu/esco/skill/0005c151-...`` -> ``esco-0005c151-...``."""
    return ESCO_ID_PREFIX + uri.rstrip("/").rsplit("/", 1)[-1]


def alt_labels(cell: str) -> list[str]:
    """The alternative labels of a cell: one per line, empty lines and repeats dropped."""
    labels: list[str] = []
    for line in cell.splitlines():
        label = line.strip()
        if label and label not in labels:
            labels.append(label)
    return labels


def read_skills(table: Table) -> SourceRead:
    """Competences of ``skills_en.csv``."""
    result = SourceRead()
    seen: set[str] = set()
    for row in table.rows:
        cells = row.cells
        try:
            uri = cells.get("conceptUri", "").strip()
            if not uri:
                raise CellError("conceptUri", "is empty")
            if uri in seen:
                raise CellError("conceptUri", f"duplicate URI {uri!r}")
            fields = validated(
                NodeKind.COMPETENCE,
                {
                    "id": competence_id(uri),
                    "label": cells.get("preferredLabel", "").strip(),
                    "alt_labels": alt_labels(cells.get("altLabels", "")),
                    "esco_uri": uri,
                    "description": cells.get("description", "").strip() or None,
                },
                _COLUMNS,
            )
        except CellError as error:
            result.rejected.append(Rejection(location=table.where(row.line), column=error.column,
                                             reason=str(error)))  # fmt: skip
            continue
        seen.add(uri)
        result.records.append(Record(NodeKind.COMPETENCE, row.line, fields))
    return result


def read_hierarchy(table: Table) -> SourceRead:
    """``BROADER`` links between skills, one record per narrower skill."""
    result = SourceRead()
    by_concept: dict[str, Record] = {}
    for row in table.rows:
        concept = row.cells.get("conceptUri", "").strip()
        broader = row.cells.get("broaderUri", "").strip()
        if row.cells.get("conceptType", "KnowledgeSkillCompetence") == "SkillGroup":
            result.skipped += 1
            continue
        if not concept or not broader:
            column = "conceptUri" if not concept else "broaderUri"
            result.rejected.append(
                Rejection(location=table.where(row.line), column=column, reason="is empty")
            )
            continue
        record = by_concept.get(concept)
        if record is None:
            record = Record(NodeKind.COMPETENCE, row.line, {"id": concept},
                            subject=Target.COMPETENCE, rows=0)  # fmt: skip
            by_concept[concept] = record
            result.records.append(record)
        record.references.append(
            Reference("broaderUri", broader, Target.COMPETENCE, RelType.BROADER, line=row.line)
        )
        record.rows += 1
    return result
