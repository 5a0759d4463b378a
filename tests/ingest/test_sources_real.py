"""The real published files of ``../shared/data/real``, read as they are.

Each test asserts what was loaded from them: counts per file, languages, labels split,
PICs kept apart, records rejected or repaired with their line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store import Store
from ingest.pipeline import ingest
from ingest.report import FileReport, IngestReport
from ingest.sources import identify, sniff
from queries.projection import project
from queries.search import SearchIndex, search
from queries.stats import graph_stats
from tests.conftest import DATA

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real"
ESCO = REAL / "esco"
CORDIS = REAL / "cordis"
SOURCES = DATA / "sources"

pytestmark = pytest.mark.skipif(
    not REAL.is_dir(), reason=f"the real published files are not at {REAL}"
)


def _by_name(report: IngestReport) -> dict[str, FileReport]:
    return {Path(f.file).name: f for f in report.files}


def _one(store: Store, query: str) -> dict[str, object]:
    (row,) = store.run(query)
    return row


EXPECTED_LAYOUTS = {
    "esco/v1.2.0-en/broaderRelationsSkillPillar_en.csv": "esco_broader",
    "esco/v1.2.0-en/digCompSkillsCollection_en.csv": "esco_collection",
    "esco/v1.2.0-en/digitalSkillsCollection_en.csv": "esco_collection",
    "esco/v1.2.0-en/greenSkillsCollection_en.csv": "esco_collection",
    "esco/v1.2.0-en/languageSkillsCollection_en.csv": "esco_collection",
    "esco/v1.2.0-en/occupations_en.csv": "esco_occupations",
    "esco/v1.2.0-en/researchSkillsCollection_en.csv": "esco_collection",
    "esco/v1.2.0-en/skillGroups_en.csv": "esco_skill_groups",
    "esco/v1.2.0-en/skillsHierarchy_en.csv": "esco_hierarchy",
    "esco/v1.2.0-en/transversalSkillsCollection_en.csv": "esco_collection",
    "esco/v1.1-en/ictSkillsCollection_en.csv": "esco_collection",
    "esco/v1.1-en/languageSkillsCollection_en.csv": "esco_collection",
    "esco/v1.1-en/skillGroups_en.csv": "esco_skill_groups",
    "esco/v1.1-en/skillsHierarchy_en.csv": "esco_hierarchy",
    "esco/v1.1-en/transversalSkillsCollection_en.csv": "esco_collection",
    "esco/v1.0-es/broaderRelationsSkillPillar.csv": "esco_broader",
    "esco/v1.0-es/skillGroups_es.csv": "esco_skill_groups",
    "esco/v1.0-es/skills_es.csv": "esco_skills",
    "cordis/he-organization-2024-08/organization_1.xlsx": "cordis_organisations",
    "cordis/he-organization-2024-08/organization_2.xlsx": "cordis_organisations",
    "cordis/fp1-organizations/organizations-fp1-1984-1987.csv": "cordis_fp_organisations",
}


def test_every_real_file_is_identified_once_as_its_layout() -> None:
    found = {
        str(path.relative_to(REAL)): identify(path, sniff(path)).name
        for path in sorted(REAL.rglob("*"))
        if path.suffix in {".csv", ".xlsx"} and "poll" not in path.parts
    }
    assert found == EXPECTED_LAYOUTS


# -- ESCO --------------------------------------------------------------------------------
PYTHON = "esco-ccd0a1d9-afda-43d9-b901-96344886e14d"


def test_the_official_v1_2_download_folder_loads_every_table(store: Store) -> None:
    report = ingest(store, [ESCO / "v1.2.0-en", SOURCES / "esco" / "relations"])
    assert report.exit_code == 0, [(f.file, f.error) for f in report.files if f.error]
    files = _by_name(report)
    written = {name: f.rows_written for name, f in files.items()}
    assert written == {
        "broaderRelationsSkillPillar_en.csv": 3723,
        "digCompSkillsCollection_en.csv": 25,
        "digitalSkillsCollection_en.csv": 1284,
        "greenSkillsCollection_en.csv": 591,
        "languageSkillsCollection_en.csv": 359,
        "occupations_en.csv": 3039,
        "researchSkillsCollection_en.csv": 40,
        "skillGroups_en.csv": 640,
        "skillsHierarchy_en.csv": 640,
        "transversalSkillsCollection_en.csv": 95,
        "occupationSkillRelations_en.csv": 3,
    }
    # broader relations are counted by the links written; the rest name skills of
    # skills_en.csv, which this copy of the download lacks
    broader = files["broaderRelationsSkillPillar_en.csv"]
    assert broader.rows_read == 20822 and broader.rows_skipped == 20822 - 3723
    edges = _one(store, "MATCH ()-[b:BROADER]->() RETURN count(b) AS n")["n"]
    assert edges == 3723  # the hierarchy restates group-to-group links the relations hold
    python = _one(store, f"MATCH (c:Competence {{id: '{PYTHON}'}}) RETURN c.label AS label, "
                  "c.alt_labels AS alt, c.collections AS collections, c.labels AS labels")  # fmt: skip
    # the collection files separate alternative labels with " | "
    assert python == {"label": "Python (computer programming)", "alt": ["Python 3K", "Python"],
                      "collections": ["digital"], "labels": ["en:Python (computer programming)"]}  # fmt: skip
    groups = _one(store, "MATCH (c:Competence) WHERE c.concept_type = 'skill_group' "
                  "RETURN count(c) AS n")  # fmt: skip
    assert groups["n"] == 640
    code = _one(store, "MATCH (c:Competence {id: 'esco-0530'}) RETURN c.label AS l, c.code AS c")
    assert code == {"l": "physical sciences not further defined", "c": "0530"}
    assert _one(store, "MATCH (o:Occupation) RETURN count(o) AS n")["n"] == 3039
    requires = store.run("MATCH (o:Occupation)-[r:REQUIRES]->(c:Competence) RETURN o.label AS o, "
                         "r.relation AS r, c.label AS c ORDER BY o.label, c.label")  # fmt: skip
    assert requires == [
        {"o": "metal drawing machine operator", "r": "essential", "c": "KDevelop"},
        {"o": "technical director", "r": "essential", "c": "Haskell"},
        {"o": "technical director", "r": "optional", "c": "incremental development"},
    ]
    assert files["occupationSkillRelations_en.csv"].rows_skipped == 1


def test_two_languages_of_esco_are_kept_together_and_found_in_either(store: Store) -> None:
    report = ingest(store, [ESCO / "v1.0-es" / "skills_es.csv",
                            ESCO / "v1.2.0-en" / "digitalSkillsCollection_en.csv"])  # fmt: skip
    assert report.exit_code == 0
    assert _by_name(report)["skills_es.csv"].rows_written == 13485
    python = _one(store, f"MATCH (c:Competence {{id: '{PYTHON}'}}) RETURN c.label AS label, "
                  "c.labels AS labels, c.alt_labels AS alt, c.alt_labels_by_language AS by_lang")  # fmt: skip
    assert python["label"] == "Python (computer programming)"  # English wins as the label
    assert python["labels"] == ["es:Python", "en:Python (computer programming)"]
    assert python["alt"] == ["Python 3K", "Python"]
    assert "es:Pyston" in python["by_lang"]  # type: ignore[operator]
    index = SearchIndex(project(store))
    hits = search(index, "migrar datos existentes")
    assert hits[0].id == "esco-020918ef-4b55-47c1-8430-ab7b8f6a7377"
    assert hits[0].name == "migrate existing data" and hits[0].matched == "name"
    # a Spanish-only skill keeps its Spanish label
    only_es = _one(store, "MATCH (c:Competence {id: 'esco-0005c151-5b5a-4a66-8aac-60e734beb1ab'}) "
                   "RETURN c.label AS l, c.labels AS labels")  # fmt: skip
    assert only_es == {"l": "gestionar tareas en relación con los músicos",
                       "labels": ["es:gestionar tareas en relación con los músicos"]}  # fmt: skip


def test_a_second_language_in_a_later_call_adds_its_labels(embedded_store: Store) -> None:
    ingest(embedded_store, [ESCO / "v1.2.0-en" / "digCompSkillsCollection_en.csv"])
    ingest(embedded_store, [ESCO / "v1.0-es" / "skills_es.csv"])
    row = _one(embedded_store, "MATCH (c:Competence {id: 'esco-14832d87-2f2f-4895-b290-e4760ebae42a'}) "
               "RETURN c.label AS l, c.labels AS labels, c.collections AS col")  # fmt: skip
    assert row["l"] == "solve technical problems" and row["col"] == ["digComp"]
    assert [entry.split(":")[0] for entry in row["labels"]] == ["en", "es"]  # type: ignore[union-attr]


def test_the_v1_1_folder_and_the_v1_0_spanish_hierarchy(embedded_store: Store) -> None:
    report = ingest(embedded_store, [ESCO / "v1.1-en"])
    assert report.exit_code == 0, [(f.file, f.error) for f in report.files if f.error]
    written = {name: f.rows_written for name, f in _by_name(report).items()}
    assert written == {"ictSkillsCollection_en.csv": 21, "languageSkillsCollection_en.csv": 345,
                       "skillGroups_en.csv": 673, "skillsHierarchy_en.csv": 656,
                       "transversalSkillsCollection_en.csv": 107}  # fmt: skip
    hungarian = _one(embedded_store, "MATCH (c:Competence {id: 'esco-01f10952-cb59-4347-9aee-d4fbc51c870a'}) "
                     "RETURN c.alt_labels AS a")  # fmt: skip
    assert hungarian["a"] == ["writing Hungarian", "correspond in written Hungarian",
                              "show competency in written Hungarian"]  # fmt: skip
    spanish = ingest(embedded_store, [ESCO / "v1.0-es"])
    files = _by_name(spanish)
    assert files["skillGroups_es.csv"].rows_written == 17
    broader = files["broaderRelationsSkillPillar.csv"]
    assert broader.rows_read == 7161 and broader.rows_written + broader.rows_skipped >= 7161
    assert broader.rows_written > 7000


def test_skills_without_a_label_are_kept_under_their_uri_with_a_notice(
    embedded_store: Store,
) -> None:
    report = ingest(embedded_store, [SOURCES / "esco" / "en-us"])
    (file,) = report.files
    assert report.exit_code == 0 and file.rows_written == 3
    assert "2 concepts have no preferred label in en-us; kept under their URI (lines 4, 5)" in (
        file.notice or ""
    )
    kept = embedded_store.run(
        "MATCH (c:Competence {id: 'esco-00064735-8fad-454b-90c7-ed858cc993f2'}) "
        "RETURN c.label AS l, c.labels AS labels"
    )
    assert kept == [{"l": "http://data.europa.eu/esco/skill/00064735-8fad-454b-90c7-ed858cc993f2",
                     "labels": []}]  # fmt: skip
    labelled = _one(embedded_store, "MATCH (c:Competence {id: 'esco-0005c151-5b5a-4a66-8aac-60e734beb1ab'}) "
                    "RETURN c.labels AS labels, c.alt_labels AS alt")  # fmt: skip
    assert labelled == {"labels": ["en-us:manage musical staff"],
                        "alt": ["manage staff of music", "coordinate duties of musical staff"]}  # fmt: skip


# -- CORDIS ------------------------------------------------------------------------------
HE_ORGANISATIONS = CORDIS / "he-organization-2024-08"
FP1_ORGANISATIONS = CORDIS / "fp1-organizations" / "organizations-fp1-1984-1987.csv"


def _participations(path: Path) -> list[dict[str, str]]:
    from ingest.tables import read_table

    delimiter = "\t" if path.suffix == ".csv" else ","
    return [row.cells for row in read_table(path, delimiter=delimiter).rows]


def _projects_for(rows: list[dict[str, str]], folder: Path) -> Path:
    """A ``project.csv`` naming the projects the participations name (not published with them)."""
    ids = sorted({r["projectID"] for r in rows if r.get("projectID")})
    lines = ["id;acronym;title;objective;frameworkProgramme"]
    lines += [f"{i};P{n};Project {i};Objective of {i};HORIZON" for n, i in enumerate(ids)]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "project.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "project.csv"


def test_horizon_europe_organisation_workbooks_keep_every_pic_apart(
    store: Store, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    files = sorted(HE_ORGANISATIONS.glob("*.xlsx"))
    rows = [r for f in files for r in _participations(f)]
    assert len(rows) == 1998
    projects = _projects_for(rows, tmp_path / "projects")
    capfd.readouterr()
    report = ingest(store, [projects, *files], review_file=tmp_path / "review.json")
    assert capfd.readouterr().err == ""  # no openpyxl warnings
    assert report.exit_code == 0, [(f.file, f.error) for f in report.files]
    by_name = _by_name(report)
    assert [by_name[f.name].rows_written for f in files] == [999, 999]
    pics = {r["organisationID"] for r in rows}
    stored = store.run("MATCH (o:Organisation) RETURN o.pic AS pic, o.merges AS merges")
    # one organisation per PIC: no two PICs joined, no PIC split
    assert len(stored) == len(pics) == 1026
    assert {r["pic"] for r in stored} == pics
    # every merge is listed with its rule; with PICs on every row the rule is the PIC
    merges = [m for r in stored for m in r["merges"] or []]
    assert merges and all("joined by PIC " in m for m in merges)
    assert graph_stats(store).merges == len(merges)
    # the institutes and their parent bodies that share a VAT number are related
    related = store.run("MATCH (a:Organisation)-[r:RELATED]->(b:Organisation) "
                        "RETURN a.pic AS a, b.pic AS b, r.reason AS reason")  # fmt: skip
    pairs = {frozenset((r["a"], r["b"])) for r in related}
    assert frozenset(("885142558", "999990267")) in pairs  # Max Planck institute and society
    assert frozenset(("883769523", "999630494")) in pairs  # Universidade / Universidad de Vigo
    assert len(pairs) == 5 == graph_stats(store).related_organisations


def test_the_fp1_organisation_layout_is_read_as_such(embedded_store: Store, tmp_path: Path) -> None:
    rows = _participations(FP1_ORGANISATIONS)
    assert len(rows) == 7916
    projects = _projects_for(rows, tmp_path / "fp1")
    report = ingest(embedded_store, [projects, FP1_ORGANISATIONS],
                    review_file=tmp_path / "review.json")  # fmt: skip
    fp1 = _by_name(report)[FP1_ORGANISATIONS.name]
    assert fp1.kind == "cordis_fp_organisations" and fp1.error is None
    assert "older framework programme (FP1-FP7 layout)" in (fp1.notice or "")
    assert fp1.rows_read == 7916
    named = sum(1 for r in rows if r["name"].strip())
    assert fp1.rows_rejected == 7916 - named  # rows without a name, each with its line
    assert all(r.location.startswith(f"{FP1_ORGANISATIONS}:") for r in fp1.rejected)
    pending = len(fp1.pending_review)
    assert fp1.rows_written == named - pending
    oxford = embedded_store.run(
        "MATCH (o:Organisation) WHERE o.name STARTS WITH 'THE CHANCELLOR, MASTERS AND SCHOLARS "
        "OF THE UNIVERSITY OF OXFORD' RETURN o.country AS c, o.website AS w"
    )
    assert oxford[0] == {"c": "GB", "w": "http://www.ox.ac.uk"}


def test_a_project_file_with_unescaped_quotes_loads_its_good_rows(embedded_store: Store) -> None:
    path = SOURCES / "cordis" / "broken-quotes" / "project.csv"
    report = ingest(embedded_store, [path])
    (file,) = report.files
    assert file.kind == "cordis_projects" and file.error is None
    assert file.rows_written == 3 and file.rows_rejected == 1
    (rejected,) = file.rejected
    assert rejected.location == f"{path}:4"
    assert "has 21 cells but the header has 20" in rejected.reason
    assert file.notice == "repaired unescaped quotes in the records at lines 2, 3"
    objectives = embedded_store.run(
        "MATCH (p:Project) RETURN p.id AS id, p.description AS d ORDER BY p.id"
    )
    assert objectives == [
        {"id": "cordis-101070001",
         "d": 'Engineers learn when they "play around"; the project builds labs; results are shared.'},
        {"id": "cordis-101070002",
         "d": 'Students "play around" with cells; safety first; then they build packs.'},
        {"id": "cordis-101070004", "d": 'Nothing unusual; "quoted" properly.'},
    ]  # fmt: skip
