"""ESCO as published: the CSV download folder of a release (v1.0 to v1.2), in any language.

A release's folder holds one file per table and language (``skills_es.csv``,
``skillGroups_en.csv``; v1.0 writes ``broaderRelationsSkillPillar.csv`` without one).
The language is taken from the file name. Every concept of the skills pillar (a skill,
a knowledge item or a skill group) becomes the competence ``esco-<last part of its URI>``;
several languages of one release are kept together on it (see
:func:`merge_concept`), so a search finds it in any of them.

==================================  =======================================================
file                                read as
==================================  =======================================================
``skills_<lang>.csv``               competences (``altLabels``: one per line)
``skillGroups_<lang>.csv``          competences of ``concept_type`` ``skill_group``
``skillsHierarchy_<lang>.csv``      groups by level (``Level 0 URI`` ... ``Level 3 URI``),
                                    each ``BROADER`` than the next level
``<name>SkillsCollection_<lang>``   competences tagged with the collection (``digital``,
                                    ``green``...); ``altLabels`` separated by `` | ``
``broaderRelationsSkillPillar*``    ``BROADER`` links (skill to group, skill to skill,
                                    group to group); counted by the links written
``occupations_<lang>.csv``          occupations
``occupationSkillRelations*``       ``REQUIRES`` from an occupation to a competence, with
                                    ``relation`` ``essential`` or ``optional``
==================================  =======================================================

A skill published with an empty label is kept under its URI (as its label), with a
notice naming its lines. The other tables of a download (``ISCOGroups``,
``skillSkillRelations``, ``conceptSchemes``, ...) are recognised and passed over.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from graph.schema import ESCO_ID_PREFIX, ESCO_OCCUPATION_PREFIX, NodeKind, RelType
from ingest.records import CellError, Record, Reference, RowError, Target
from ingest.sources.common import Layout, SourceFormat, SourceOptions, SourceRead, validated
from ingest.tables import Table

#: Language assumed for a file whose name carries none.
DEFAULT_LANGUAGE = "en"
_LANGUAGE = re.compile(r"_([a-z]{2}(?:-[a-z]{2,4})?)$", re.IGNORECASE)
_LABEL_SEPARATOR = re.compile(r"\r?\n| \| ")
_COLLECTION = re.compile(r"^(.+?)SkillsCollection", re.IGNORECASE)
_COLUMNS = {"label": "preferredLabel", "alt_labels": "altLabels", "esco_uri": "conceptUri",
            "description": "description", "id": "conceptUri"}  # fmt: skip
#: Fields :func:`merge_concept` combines across the languages and files of a concept.
LABEL_FIELDS = ("label", "alt_labels", "labels", "alt_labels_by_language", "description")


def language_of(path: str | Path) -> str | None:
    """The language a file of the download is in, from its name (``skills_pt-pt.csv``)."""
    found = _LANGUAGE.search(Path(path).stem)
    return found.group(1).lower() if found else None


def competence_id(uri: str) -> str:
    """``http://data.europa.eu/esco/skill/0005c151-...`` -> ``esco-0005c151-...``."""
    return ESCO_ID_PREFIX + uri.rstrip("/").rsplit("/", 1)[-1]


def occupation_id(uri: str) -> str:
    """``http://data.europa.eu/esco/occupation/00030d09-...`` -> ``esco-occupation-00030d09-...``."""
    return ESCO_OCCUPATION_PREFIX + uri.rstrip("/").rsplit("/", 1)[-1]


def alt_labels(cell: str) -> list[str]:
    """The alternative labels of a cell: one per line or separated by `` | ``, repeats dropped."""
    labels: list[str] = []
    for part in _LABEL_SEPARATOR.split(cell):
        label = part.strip()
        if label and label not in labels:
            labels.append(label)
    return labels


def tagged(language: str, labels: Iterable[str]) -> list[str]:
    """Labels written ``<language>:<label>``, as ``labels`` and ``alt_labels_by_language`` hold them."""
    return [f"{language}:{label}" for label in labels]


def untagged(entries: Iterable[str]) -> list[tuple[str, str]]:
    """``(language, label)`` of tagged labels."""
    return [(e.partition(":")[0], e.partition(":")[2]) for e in entries if ":" in e]


def merge_concept(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """A concept's fields once a file in one language is added to what was known of it.

    Each language keeps its own preferred and alternative labels; ``label``,
    ``alt_labels`` and ``description`` are the English ones when English is known,
    otherwise those of the first language loaded. Collections add up; other fields of
    the newer file win where it states them.

    >>> es = {"label": "gestionar", "labels": ["es:gestionar"], "alt_labels": [],
    ...       "alt_labels_by_language": [], "description": "es"}
    >>> en = {"label": "manage", "labels": ["en:manage"], "alt_labels": ["run"],
    ...       "alt_labels_by_language": ["en:run"], "description": "en"}
    >>> merged = merge_concept(es, en)
    >>> merged["label"], merged["labels"], merged["alt_labels"]
    ('manage', ['es:gestionar', 'en:manage'], ['run'])
    >>> merge_concept(en, es)["label"]
    'manage'
    """
    if old is None:
        return dict(new)
    new_labels = untagged(new.get("labels") or [])
    new_alts = untagged(new.get("alt_labels_by_language") or [])
    language = (new_labels or new_alts or [("", "")])[0][0]
    labels = dict(untagged(old.get("labels") or []))
    labels.update(new_labels)
    alts = [(lang, a) for lang, a in untagged(old.get("alt_labels_by_language") or [])
            if lang != language] + new_alts  # fmt: skip
    primary = "en" if "en" in labels else next(iter(labels), language)
    merged = {**old, **{k: v for k, v in new.items() if v not in (None, [])}}
    merged["labels"] = [f"{lang}:{label}" for lang, label in labels.items()]
    merged["label"] = labels.get(primary) or old.get("label") or new.get("label")
    if "alt_labels_by_language" in new:
        merged["alt_labels_by_language"] = [f"{lang}:{a}" for lang, a in alts]
        merged["alt_labels"] = [a for lang, a in alts if lang == primary]
    elif language != primary:  # a kind without labels per language keeps the primary's
        merged["alt_labels"] = old.get("alt_labels") or []
    keep_old = language != primary and old.get("description")
    merged["description"] = old.get("description") if keep_old else new.get("description")
    collections = [*(old.get("collections") or []), *(new.get("collections") or [])]
    if collections:
        merged["collections"] = sorted(set(collections))
    return merged


# -- readers -----------------------------------------------------------------------------
def _concept(
    cells: dict[str, str], language: str, concept_type: str | None, collection: str | None
) -> tuple[dict[str, Any], bool]:
    """The fields of one skills-pillar concept, and whether its label was empty."""
    uri = cells.get("conceptUri", "").strip()
    if not uri:
        raise CellError("conceptUri", "is empty")
    label = " ".join(cells.get("preferredLabel", "").split())
    alternatives = alt_labels(cells.get("altLabels", ""))
    fields: dict[str, Any] = {
        "id": competence_id(uri),
        "label": label or uri,
        "alt_labels": alternatives,
        "esco_uri": uri,
        "description": cells.get("description", "").strip() or None,
        "labels": tagged(language, [label] if label else []),
        "alt_labels_by_language": tagged(language, alternatives),
        "concept_type": concept_type or cells.get("skillType", "").strip() or None,
    }
    if cells.get("code", "").strip():
        fields["code"] = cells["code"].strip()
    if collection:
        fields["collections"] = [collection]
    return validated(NodeKind.COMPETENCE, fields, _COLUMNS), not label


def _read_concepts(
    table: Table, *, concept_type: str | None = None, collection: str | None = None
) -> SourceRead:
    result = SourceRead()
    language = language_of(table.file)
    if language is None:
        language = DEFAULT_LANGUAGE
        result.notices.append(f"its name gives no language: read as {DEFAULT_LANGUAGE}")
    seen: set[str] = set()
    unlabelled: list[str] = []
    for row in table.rows:
        try:
            fields, empty = _concept(row.cells, language, concept_type, collection)
            if fields["id"] in seen:
                raise CellError("conceptUri", f"duplicate URI {fields['esco_uri']!r}")
        except CellError as error:
            result.reject(table, row.line, error)
            continue
        seen.add(fields["id"])
        if empty:
            unlabelled.append(str(row.line))
        result.records.append(Record(NodeKind.COMPETENCE, row.line, fields))
    if unlabelled:
        result.notices.append(
            f"{len(unlabelled)} concepts have no preferred label in {language}; kept under "
            f"their URI (lines {', '.join(unlabelled[:20])}{', ...' if len(unlabelled) > 20 else ''})"
        )
    return result


def read_skills(table: Table, options: SourceOptions | None = None) -> SourceRead:
    """Competences of ``skills_<lang>.csv``."""
    return _read_concepts(table)


def read_groups(table: Table, options: SourceOptions | None = None) -> SourceRead:
    """Skill groups of ``skillGroups_<lang>.csv``."""
    return _read_concepts(table, concept_type="skill_group")


def read_collection(table: Table, options: SourceOptions | None = None) -> SourceRead:
    """Competences of a skill collection, tagged with the collection's name."""
    found = _COLLECTION.match(Path(table.file).stem)
    return _read_concepts(table, collection=found.group(1) if found else Path(table.file).stem)


_LEVELS = 4


def read_hierarchy(table: Table, options: SourceOptions | None = None) -> SourceRead:
    """Skill groups of ``skillsHierarchy_<lang>.csv``, each ``BROADER`` than its children.

    Each row names a path from level 0 down; its deepest level is the group the row
    describes, the level above it its broader group.
    """
    result = SourceRead()
    language = language_of(table.file) or DEFAULT_LANGUAGE
    seen: set[str] = set()
    for row in table.rows:
        cells = row.cells
        path = [
            (level, cells.get(f"Level {level} URI", "").strip())
            for level in range(_LEVELS)
            if cells.get(f"Level {level} URI", "").strip()
        ]
        if not path:
            result.reject(table, row.line, CellError("Level 0 URI", "is empty"))
            continue
        level, uri = path[-1]
        if competence_id(uri) in seen:
            continue
        seen.add(competence_id(uri))
        label = " ".join(cells.get(f"Level {level} preferred term", "").split())
        fields: dict[str, Any] = {
            "id": competence_id(uri), "label": label or uri, "alt_labels": [],
            "esco_uri": uri, "description": cells.get("Description", "").strip() or None,
            "labels": tagged(language, [label] if label else []), "alt_labels_by_language": [],
            "concept_type": "skill_group",
        }  # fmt: skip
        if cells.get(f"Level {level} code", "").strip():
            fields["code"] = cells[f"Level {level} code"].strip()
        references = []
        if len(path) > 1:
            references.append(Reference(f"Level {path[-2][0]} URI", path[-2][1], Target.ESCO,
                                        RelType.BROADER, line=row.line))  # fmt: skip
        result.records.append(Record(NodeKind.COMPETENCE, row.line, fields, references))
    return result


def _links(
    table: Table,
    columns: tuple[str, str],
    subject: tuple[NodeKind, Target],
    rel: RelType,
    properties: Callable[[dict[str, str]], tuple[tuple[str, Any], ...]] = lambda cells: (),
) -> SourceRead:
    """Links of a relations table, one record per subject: ``columns`` name the subject's
    URI and the linked concept's; a row missing either is refused naming every one."""
    result = SourceRead()
    by_subject: dict[str, Record] = {}
    node, target = subject
    for row in table.rows:
        uri, linked = (row.cells.get(column, "").strip() for column in columns)
        cells = zip(columns, (uri, linked), strict=True)
        empty = [CellError(column, "is empty") for column, value in cells if not value]
        if empty:
            result.reject(table, row.line, RowError(empty))
            continue
        record = by_subject.get(uri)
        if record is None:
            record = Record(node, row.line, {"id": uri}, subject=target, rows=0)
            by_subject[uri] = record
            result.records.append(record)
        record.references.append(Reference(columns[1], linked, Target.ESCO, rel,
                                           properties=properties(row.cells), line=row.line))  # fmt: skip
        record.rows += 1
    return result


def read_broader(table: Table, options: SourceOptions | None = None) -> SourceRead:
    """``BROADER`` links between concepts of the skills pillar, one record per narrower one."""
    return _links(table, ("conceptUri", "broaderUri"), (NodeKind.COMPETENCE, Target.ESCO),
                  RelType.BROADER)  # fmt: skip


def read_occupations(table: Table, options: SourceOptions | None = None) -> SourceRead:
    """Occupations of ``occupations_<lang>.csv``."""
    result = SourceRead()
    language = language_of(table.file) or DEFAULT_LANGUAGE
    for row in table.rows:
        cells = row.cells
        try:
            uri = cells.get("conceptUri", "").strip()
            if not uri:
                raise CellError("conceptUri", "is empty")
            label = " ".join(cells.get("preferredLabel", "").split())
            alternatives = alt_labels(cells.get("altLabels", ""))
            fields = validated(NodeKind.OCCUPATION, {
                "id": occupation_id(uri), "label": label or uri, "alt_labels": alternatives,
                "esco_uri": uri, "isco_group": cells.get("iscoGroup", "").strip() or None,
                "code": cells.get("code", "").strip() or None,
                "description": cells.get("description", "").strip() or None,
                "labels": tagged(language, [label] if label else []),
            }, _COLUMNS)  # fmt: skip
        except CellError as error:
            result.reject(table, row.line, error)
            continue
        result.records.append(Record(NodeKind.OCCUPATION, row.line, fields))
    return result


def read_occupation_skills(table: Table, options: SourceOptions | None = None) -> SourceRead:
    """``REQUIRES`` links of ``occupationSkillRelations``, one record per occupation."""

    def relation(cells: dict[str, str]) -> tuple[tuple[str, Any], ...]:
        return (("relation", cells.get("relationType", "").strip().lower() or None),)

    return _links(table, ("occupationUri", "skillUri"), (NodeKind.OCCUPATION, Target.OCCUPATION),
                  RelType.REQUIRES, relation)  # fmt: skip


def _not_loaded(table: Table, options: SourceOptions) -> SourceRead:
    raise AssertionError("a layout that is refused is never read")


def _has(*names: str) -> Any:
    wanted = frozenset(names)
    return lambda columns: wanted <= columns


_CONCEPT = ("conceptUri", "preferredLabel")
GROUPS = Layout(
    "esco_skill_groups", SourceFormat.ESCO, NodeKind.COMPETENCE, _CONCEPT, 8, read_groups,
    files=("skillgroups*.csv",), needs_name=True,
    signature=lambda c: {"conceptType", *_CONCEPT} <= c and "skillType" not in c,
    title="ESCO skill groups (skillGroups_<lang>.csv)",
)  # fmt: skip
SKILLS = Layout(
    "esco_skills", SourceFormat.ESCO, NodeKind.COMPETENCE, _CONCEPT, 10, read_skills,
    files=("skills_*.csv", "skills.csv"),
    signature=lambda c: set(_CONCEPT) <= c and bool(c & {"skillType", "reuseLevel"})
    and "broaderConceptUri" not in c,
    title="ESCO skills (skills_<lang>.csv)",
)  # fmt: skip
COLLECTIONS = Layout(
    "esco_collection", SourceFormat.ESCO, NodeKind.COMPETENCE, _CONCEPT, 11, read_collection,
    files=("*skillscollection*.csv",), needs_name=True,
    signature=_has(*_CONCEPT, "broaderConceptUri"),
    title="an ESCO skill collection (<name>SkillsCollection_<lang>.csv)",
)  # fmt: skip
HIERARCHY = Layout(
    "esco_hierarchy", SourceFormat.ESCO, NodeKind.COMPETENCE, ("Level 0 URI",), 12,
    read_hierarchy, files=("skillshierarchy*.csv",), signature=_has("Level 0 URI", "Level 1 URI"),
    title="the ESCO skills hierarchy (skillsHierarchy_<lang>.csv)",
)  # fmt: skip
OCCUPATIONS = Layout(
    "esco_occupations", SourceFormat.ESCO, NodeKind.OCCUPATION, _CONCEPT, 13, read_occupations,
    files=("occupations*.csv",), signature=_has(*_CONCEPT, "iscoGroup"),
    title="ESCO occupations (occupations_<lang>.csv)",
)  # fmt: skip
BROADER = Layout(
    "esco_broader", SourceFormat.ESCO, NodeKind.COMPETENCE, ("conceptUri", "broaderUri"), 15,
    read_broader, owns=(RelType.BROADER,), files=("broaderrelationsskillpillar*.csv",),
    needs_name=True, signature=_has("conceptUri", "broaderUri"),
    title="ESCO broader relations of the skills pillar (broaderRelationsSkillPillar*.csv)",
)  # fmt: skip
OCCUPATION_SKILLS = Layout(
    "esco_occupation_skills", SourceFormat.ESCO, NodeKind.OCCUPATION,
    ("occupationUri", "skillUri"), 16, read_occupation_skills, owns=(RelType.REQUIRES,),
    files=("occupationskillrelations*.csv",),
    signature=_has("occupationUri", "relationType", "skillUri"),
    title="ESCO occupation-skill relations (occupationSkillRelations*.csv)",
)  # fmt: skip
#: Tables of a download that are recognised and not loaded.
OTHER_TABLES = Layout(
    "esco_other", SourceFormat.ESCO, None, (), 99, _not_loaded,
    files=("iscogroups*.csv", "skillskillrelations*.csv", "conceptschemes*.csv",
           "broaderrelationsoccpillar*.csv", "greenshareocc*.csv", "*occupationscollection*.csv",
           "dictionary*.csv"),
    needs_name=True, signature=lambda c: True,
    refusal="an ESCO table that is not loaded (ISCO groups, skill-skill relations, "
    "concept schemes, the occupations pillar's relations and collections)",
    title="another ESCO table",
)  # fmt: skip
LAYOUTS = (GROUPS, SKILLS, COLLECTIONS, HIERARCHY, OCCUPATIONS, BROADER, OCCUPATION_SKILLS,
           OTHER_TABLES)  # fmt: skip
