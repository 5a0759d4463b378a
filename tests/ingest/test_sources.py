"""Published formats: CORDIS, ESCO, Erasmus+ exports and poll exports, from real-shaped files."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from graph.store import Store
from ingest.pipeline import ingest
from ingest.report import IngestReport
from ingest.sources import SourceFormat, SourceOptions
from ingest.sources.common import amount
from ingest.sources.poll import load_mapping
from queries.stats import graph_stats
from tests.conftest import DATA, TINY

SOURCES = DATA / "sources"
CORDIS = SOURCES / "cordis"
ESCO = SOURCES / "esco"
ERASMUS = next((SOURCES / "erasmus").glob("*.csv"))
POLL = SOURCES / "poll"


def _file(report: IngestReport, kind: str):  # type: ignore[no-untyped-def]
    return next(f for f in report.files if f.kind == kind)


def _rows(store: Store, query: str) -> list[dict[str, object]]:
    return store.run(query)


# -- CORDIS ------------------------------------------------------------------------------
def test_cordis_projects_map_amounts_dates_and_programme(store: Store) -> None:
    report = ingest(store, [CORDIS / "project.csv"])
    assert report.exit_code == 0, report.model_dump()
    rows = _rows(store, "MATCH (p:Project) RETURN p.id AS id, p.acronym AS acronym, "
                 "p.budget_eur AS budget, p.start AS start, p.programme AS programme, "
                 "p.url AS url, p.description AS d ORDER BY p.id")  # fmt: skip
    assert [r["id"] for r in rows] == ["cordis-101056001", "cordis-101056002", "cordis-101056003"]
    first = rows[0]
    assert first["budget"] == 2999998.75  # written "2999998,75"
    assert first["start"] == "2023-01-01" and first["programme"] == "HORIZON HORIZON-RIA"
    assert first["url"] == "https://cordis.europa.eu/project/id/101056001"
    assert "cell production.\nA second paragraph; with a semicolon" in str(first["d"])
    assert _file(report, "cordis_projects").rows_written == 3


def test_cordis_participants_roles_countries_and_types(store: Store) -> None:
    report = ingest(store, [CORDIS])  # a folder: organization.csv is found by its header
    assert [f.kind for f in report.files] == ["cordis_organisations", "cordis_projects"]
    assert report.exit_code == 0, report.model_dump()
    roles = _rows(store, "MATCH (o:Organisation)-[e:PARTICIPATES_IN]->(p:Project {id: 'cordis-101056001'}) "
                  "RETURN o.name AS name, o.country AS country, o.type AS type, e.role AS role "
                  "ORDER BY o.name")  # fmt: skip
    assert roles == [
        {"name": "CENTRO TECNICO LUSITANO", "country": "ES", "type": "other", "role": "partner"},
        {"name": "ETHNIKO METSOVIO POLYTECHNEIO", "country": "GR", "type": "university",
         "role": "partner"},
        {"name": "UNIVERSITY OF EXAMPLE", "country": "GB", "type": "university",
         "role": "associated_partner"},
        {"name": "VOLTARIA MOBILITY GMBH", "country": "DE", "type": "supplier",
         "role": "coordinator"},
    ]  # fmt: skip
    # the same PIC under another spelling is the same organisation, the spelling an alias
    ntua = _rows(store, "MATCH (o:Organisation {pic: '999000002'}) RETURN o.aliases AS a")
    assert ntua == [{"a": ["NATIONAL TECHNICAL UNIVERSITY OF ATHENS"]}]
    # a quoted name with an embedded newline and a semicolon
    lab = _rows(store, "MATCH (o:Organisation {pic: '999000005'}) RETURN o.name AS n")
    assert lab == [{"n": "LABORATOIRE DES SOLS; RECHERCHE APPLIQUEE"}]


def test_cordis_keyword_and_topic_filters_keep_the_relevant_part(store: Store) -> None:
    options = SourceOptions(keywords=("battery", "cyber"))
    report = ingest(store, [CORDIS], options=options)
    projects = _file(report, "cordis_projects")
    assert (projects.rows_written, projects.rows_skipped) == (2, 1)
    organisations = _file(report, "cordis_organisations")
    assert (organisations.rows_written, organisations.rows_skipped) == (6, 1)
    assert not _rows(store, "MATCH (o:Organisation {pic: '999000005'}) RETURN o.id")
    by_topic = ingest(store, [CORDIS / "project.csv"],
                      options=SourceOptions(topics=("HORIZON-CL4",)))  # fmt: skip
    assert _file(by_topic, "cordis_projects").rows_written == 1


def _rewrite(source: Path, target: Path, columns: list[str]) -> Path:
    """The file with only ``columns``, in that order (as another CORDIS release)."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, delimiter=";", extrasaction="ignore",
                            quoting=csv.QUOTE_MINIMAL, lineterminator="\n")  # fmt: skip
    writer.writeheader()
    writer.writerows(rows)
    target.write_text(out.getvalue(), encoding="utf-8")
    return target


def test_cordis_columns_are_read_by_name_when_missing_or_reordered(
    store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "release"
    folder.mkdir()
    _rewrite(CORDIS / "project.csv", folder / "project.csv",
             ["objective", "title", "id", "endDate", "startDate", "frameworkProgramme",
              "totalCost", "acronym"])  # fmt: skip
    _rewrite(CORDIS / "organization.csv", folder / "organization.csv",
             ["role", "country", "name", "organisationID", "projectID", "activityType",
              "organizationURL"])  # fmt: skip
    report = ingest(store, [folder])
    assert report.exit_code == 0, report.model_dump()
    stats = graph_stats(store)
    assert stats.nodes["Project"] == 3 and stats.edges["PARTICIPATES_IN"] == 7
    budget = _rows(store, "MATCH (p:Project {id: 'cordis-101056003'}) RETURN p.budget_eur AS b")
    assert budget == [{"b": 1499500.5}]


def test_a_cordis_file_without_a_required_column_writes_nothing(
    store: Store, tmp_path: Path
) -> None:
    broken = _rewrite(CORDIS / "organization.csv", tmp_path / "organization.csv",
                      ["projectID", "organisationID", "role", "country"])  # fmt: skip
    report = ingest(store, [broken], source=SourceFormat.CORDIS)
    assert report.exit_code == 1
    assert "misses the required column name" in (report.files[0].error or "")
    assert graph_stats(store).nodes["Organisation"] == 0


def test_cordis_amounts_are_read_as_written() -> None:
    assert amount("2999998,75", decimal=",") == 2999998.75
    assert amount("399,874.00", decimal=".") == 399874.0
    assert amount("", decimal=",") is None
    with pytest.raises(ValueError):
        amount("12,5,0", decimal=",")


# -- ESCO --------------------------------------------------------------------------------
def test_esco_skills_labels_hierarchy_and_links(store: Store, tmp_path: Path) -> None:
    review = tmp_path / "review.json"
    report = ingest(store, [TINY / "competences.csv", ESCO], review_file=review)
    assert report.exit_code == 0, report.model_dump()
    skill = _rows(store, "MATCH (c:Competence {id: 'esco-aaaa-1111'}) RETURN c.label AS l, "
                  "c.alt_labels AS a, c.esco_uri AS u")  # fmt: skip
    assert skill == [{"l": "battery management systems",
                      "a": ["BMS", "battery management", "battery management system"],
                      "u": "http://data.europa.eu/esco/skill/aaaa-1111"}]  # fmt: skip
    broader = _rows(
        store, "MATCH (a:Competence)-[:BROADER]->(b:Competence) RETURN a.id AS a, b.id AS b"
    )
    assert broader == [{"a": "esco-eeee-5555", "b": "esco-aaaa-1111"}]
    # counted by what it wrote: one link; two links to groups and one group not loaded
    broader_file = _file(report, "esco_broader")
    assert (broader_file.rows_written, broader_file.rows_skipped) == (1, 3)
    # an exact alternative label links a competence of ours; a similar one waits for review
    assert [line.split(" ->")[0] for line in report.esco_linked] == ["c-hv"]
    linked = _rows(store, "MATCH (c:Competence {id: 'c-hv'}) RETURN c.esco_uri AS u")
    assert linked == [{"u": "http://data.europa.eu/esco/skill/bbbb-2222"}]
    from ingest.review import ReviewBook

    pending = ReviewBook.open(review).state.pending
    assert [(p.key, p.candidates[0].name) for p in pending] == [("esco:c-cyber", "cyber security")]
    assert pending[0].candidates[0].score < 1


def test_offers_citing_an_esco_uri_or_label_link_to_the_competence(
    store: Store, tmp_path: Path
) -> None:
    for name in ("competences.csv", "members.csv"):
        shutil.copy(TINY / name, tmp_path / name)
    offers = tmp_path / "training_offers.csv"
    offers.write_text(
        "id,title,provider,competences,countries\n"
        "t-1,EV battery service,m-2,maintain electric vehicle batteries,PT\n"
        "t-2,BMS design,m-2,battery management system,PT\n"
        "t-3,Cyber basics,m-2,http://data.europa.eu/esco/skill/cccc-3333,PT\n"
    )
    ingest(store, [ESCO / "skills_en.csv"])
    report = ingest(store, [tmp_path])
    assert report.exit_code == 0, report.model_dump()
    taught = _rows(store, "MATCH (t:TrainingOffer)-[:TEACHES]->(c:Competence) "
                   "RETURN t.id AS t, c.id AS c ORDER BY t.id")  # fmt: skip
    # t-2 names an ESCO label of the skill whose URI our c-bms cites: ours wins
    assert taught == [{"t": "t-1", "c": "esco-eeee-5555"}, {"t": "t-2", "c": "c-bms"},
                      {"t": "t-3", "c": "esco-cccc-3333"}]  # fmt: skip


def test_an_accepted_esco_suggestion_is_applied_by_the_next_ingest(
    store: Store, tmp_path: Path
) -> None:
    from ingest.review import ReviewBook

    review = tmp_path / "review.json"
    ingest(store, [TINY / "competences.csv", ESCO], review_file=review)
    book = ReviewBook.open(review)
    book.accept("esco:c-cyber")
    book.save()
    report = ingest(store, [TINY / "competences.csv"], review_file=review)
    assert any(line.startswith("c-cyber ->") for line in report.esco_linked)
    uri = _rows(store, "MATCH (c:Competence {id: 'c-cyber'}) RETURN c.esco_uri AS u")
    assert uri == [{"u": "http://data.europa.eu/esco/skill/cccc-3333"}]


# -- Erasmus+ ----------------------------------------------------------------------------
def test_erasmus_export_with_bom_and_the_long_grant_header(store: Store) -> None:
    assert ERASMUS.read_bytes().startswith(b"\xef\xbb\xbf")
    report = ingest(store, [ERASMUS])
    assert report.exit_code == 0, report.model_dump()
    assert _file(report, "erasmus_projects").rows_written == 2
    project = _rows(store, "MATCH (p:Project {id: 'erasmus-2022-1-DE02-KA220-VET-000088001'}) "
                    "RETURN p.budget_eur AS b, p.programme AS prog, p.start AS s, p.description AS d")  # fmt: skip
    assert project[0]["b"] == 399874.0 and project[0]["s"] == "2022-11-01"
    assert project[0]["prog"] == (
        "Erasmus+ Cooperation among organisations and institutions "
        "Cooperation partnerships in vocational education and training (2022)"
    )
    assert "\nThe partnership" in str(project[0]["d"])
    partners = _rows(store, "MATCH (o:Organisation)-[e:PARTICIPATES_IN]->(:Project {id: "
                     "'erasmus-2022-1-DE02-KA220-VET-000088001'}) RETURN o.name AS n, "
                     "o.country AS c, o.type AS t, e.role AS r ORDER BY o.name")  # fmt: skip
    assert partners == [
        {"n": "Centro Tecnico Lusitano", "c": "PT", "t": "training_provider", "r": "partner"},
        {"n": "Iberia Motors Training", "c": "ES", "t": "supplier", "r": "partner"},
        {"n": "Voltaria Mobility", "c": "DE", "t": "supplier", "r": "coordinator"},
    ]
    countries = _rows(store, "MATCH (:Project {id: 'erasmus-2022-1-DE02-KA220-VET-000088001'})"
                      "-[:ACTIVE_IN]->(c:Country) RETURN c.id AS c ORDER BY c.id")  # fmt: skip
    assert [r["c"] for r in countries] == ["DE", "ES", "PT"]


def test_erasmus_keyword_filter(store: Store) -> None:
    report = ingest(store, [ERASMUS], options=SourceOptions(keywords=("mobility",)))
    erasmus = _file(report, "erasmus_projects")
    assert (erasmus.rows_written, erasmus.rows_skipped) == (1, 1)


# -- poll exports ------------------------------------------------------------------------
def test_a_google_forms_export_maps_choices_and_classifies_free_text(
    store: Store, tmp_path: Path
) -> None:
    for name in ("priorities.csv",):
        shutil.copy(TINY / name, tmp_path / name)
    ingest(store, [tmp_path / "priorities.csv", SOURCES / "members.csv"])
    mapping = load_mapping(POLL / "google-forms-mapping.yaml")
    report = ingest(store, [POLL / "google_forms_responses.csv"],
                    options=SourceOptions(poll_mapping=mapping))  # fmt: skip
    poll = report.files[0]
    assert poll.kind == "poll_export" and report.exit_code == 0, report.model_dump()
    assert poll.notice == "ignored the unmapped columns Any other comments?"
    assert len(poll.unclassified_answers) == 2  # "Shared training catalogue", "No comment"
    support = {
        r["id"]: r["s"] for r in store.run("MATCH (p:Priority) RETURN p.id AS id, p.support AS s")
    }
    assert support == {"limited-resources": 1, "fragmentation": 1, "networking": 2}
    raised = _rows(store, "MATCH (o:Organisation)-[e:RAISED]->(p:Priority) RETURN o.id AS o, "
                   "p.id AS p ORDER BY o.id, p.id")  # fmt: skip
    assert raised == [{"o": "m-1", "p": "limited-resources"}, {"o": "m-1", "p": "networking"},
                      {"o": "m-2", "p": "fragmentation"}]  # fmt: skip


def test_a_long_poll_export_and_its_unmapped_question(store: Store) -> None:
    ingest(store, [TINY / "priorities.csv", SOURCES / "members.csv"])
    mapping = load_mapping(POLL / "long-mapping.yaml")
    report = ingest(store, [POLL / "answers_long.csv"], source=SourceFormat.POLL,
                    options=SourceOptions(poll_mapping=mapping))  # fmt: skip
    poll = report.files[0]
    assert poll.rows_skipped == 1 and "'Favourite colour?' (1)" in (poll.notice or "")
    assert poll.rows_written == 3 and not poll.unclassified_answers
    raised = _rows(store, "MATCH (o:Organisation)-[:RAISED]->(p:Priority) "
                   "RETURN o.id AS o, p.id AS p ORDER BY o.id, p.id")  # fmt: skip
    assert raised == [{"o": "m-1", "p": "limited-resources"}, {"o": "m-2", "p": "fragmentation"},
                      {"o": "m-2", "p": "networking"}]  # fmt: skip


def test_a_poll_export_without_a_mapping_is_refused(store: Store) -> None:
    report = ingest(store, [POLL / "google_forms_responses.csv"], source=SourceFormat.POLL)
    assert report.exit_code == 2 and "mapping" in (report.files[0].error or "")


def test_a_mapping_file_with_an_unknown_setting_names_it(tmp_path: Path) -> None:
    from graph.errors import InputError

    bad = tmp_path / "m.yaml"
    bad.write_text("layout: wide\nquestionz: {}\n")
    with pytest.raises(InputError, match="questionz"):
        load_mapping(bad)


# -- merging what several sources say ----------------------------------------------------
def _all_sources(store: Store, review: Path, **kw: object) -> IngestReport:
    return ingest(store, [SOURCES / "members.csv", CORDIS, ERASMUS], review_file=review, **kw)  # type: ignore[arg-type]


def test_the_same_organisation_from_three_sources_is_one_node(store: Store, tmp_path: Path) -> None:
    report = _all_sources(store, tmp_path / "review.json")
    assert report.exit_code == 0, report.model_dump()
    voltaria = _rows(store, "MATCH (o:Organisation) WHERE o.name CONTAINS 'oltaria' "
                     "OR o.name CONTAINS 'OLTARIA' RETURN o.id AS id, o.pic AS pic, "
                     "o.sources AS sources, o.merges AS merges, o.member AS member")  # fmt: skip
    assert len(voltaria) == 1
    node = voltaria[0]
    assert node["id"] == "m-1" and node["member"] is True and node["pic"] == "999000001"
    sources = {
        r["id"]: r["kind"] for r in store.run("MATCH (s:Source) RETURN s.id AS id, s.kind AS kind")
    }
    assert sorted(sources[s] for s in node["sources"]) == [  # type: ignore[union-attr]
        "cordis_organisations", "erasmus_projects", "members"]  # fmt: skip
    assert len(node["merges"]) == 2  # type: ignore[arg-type]
    assert all("website domain voltaria.example" in m for m in node["merges"])  # type: ignore[union-attr]
    projects = _rows(store, "MATCH (:Organisation {id: 'm-1'})-[:PARTICIPATES_IN]->(p:Project) "
                     "RETURN p.id AS p ORDER BY p.id")  # fmt: skip
    assert [r["p"] for r in projects] == [
        "cordis-101056001", "cordis-101056003", "erasmus-2022-1-DE02-KA220-VET-000088001"]  # fmt: skip


def test_same_name_in_another_country_is_another_organisation(store: Store, tmp_path: Path) -> None:
    _all_sources(store, tmp_path / "review.json")
    lusitano = _rows(store, "MATCH (o:Organisation) WHERE o.name STARTS WITH 'Centro' "
                     "OR o.name STARTS WITH 'CENTRO' RETURN o.id AS id, o.country AS c ORDER BY o.id")  # fmt: skip
    # the Erasmus+ partner in Portugal joined member m-2; the CORDIS one in Spain did not
    assert lusitano == [{"id": "m-2", "c": "PT"}, {"id": "org-centro-tecnico-lusitano", "c": "ES"}]
    merges = _rows(store, "MATCH (o:Organisation {id: 'm-2'}) RETURN o.merges AS m")
    assert "same name and country PT" in merges[0]["m"][0]  # type: ignore[index]


def test_an_ambiguous_organisation_waits_for_review_then_follows_the_decision(
    store: Store, tmp_path: Path
) -> None:
    from ingest.review import ReviewBook

    review = tmp_path / "review.json"
    report = _all_sources(store, review)
    erasmus = _file(report, "erasmus_projects")
    assert (
        len(erasmus.pending_review) == 1 and "Iberia Motors Training" in erasmus.pending_review[0]
    )
    book = ReviewBook.open(review)
    (item,) = [p for p in book.state.pending if p.kind == "organisation"]
    assert [c.id for c in item.candidates] == ["m-5", "m-6"]
    linked = "MATCH (o:Organisation)-[:PARTICIPATES_IN]->(:Project {id: 'erasmus-2022-1-DE02-KA220-VET-000088001'}) RETURN o.id AS id ORDER BY o.id"
    assert [r["id"] for r in _rows(store, linked)] == ["m-1", "m-2"]
    before = graph_stats(store).nodes["Organisation"]
    book.accept("1", "m-6")
    book.save()
    again = _all_sources(store, review)
    assert not _file(again, "erasmus_projects").pending_review
    assert [r["id"] for r in _rows(store, linked)] == ["m-1", "m-2", "m-6"]
    assert graph_stats(store).nodes["Organisation"] == before


def test_a_rejected_candidate_stays_a_separate_organisation_across_ingests(
    store: Store, tmp_path: Path
) -> None:
    from ingest.review import ReviewBook

    review = tmp_path / "review.json"
    _all_sources(store, review)
    book = ReviewBook.open(review)
    book.reject("organisation:iberia motors training|ES")
    book.save()
    _all_sources(store, review)
    counts = graph_stats(store).nodes["Organisation"]
    _all_sources(store, review)
    assert graph_stats(store).nodes["Organisation"] == counts
    separate = _rows(
        store, "MATCH (o:Organisation {name: 'Iberia Motors Training'}) RETURN o.id AS id"
    )
    assert separate == [{"id": "org-iberia-motors-training"}]
    assert ReviewBook.open(review).decision("organisation:iberia motors training|ES").id == (  # type: ignore[union-attr]
        "org-iberia-motors-training"
    )


def test_ingesting_the_sources_again_changes_nothing(store: Store, tmp_path: Path) -> None:
    review = tmp_path / "review.json"
    _all_sources(store, review)
    first = graph_stats(store)
    merges = _rows(
        store,
        "MATCH (o:Organisation) RETURN o.id AS id, o.merges AS m, o.sources AS s ORDER BY o.id",
    )
    _all_sources(store, review)
    again = graph_stats(store)
    assert (again.nodes, again.edges) == (first.nodes, first.edges)
    assert (
        _rows(
            store,
            "MATCH (o:Organisation) RETURN o.id AS id, o.merges AS m, o.sources AS s ORDER BY o.id",
        )
        == merges
    )


def test_a_cordis_dump_folder_passes_over_its_other_tables(store: Store, tmp_path: Path) -> None:
    dump = tmp_path / "cordis-HORIZONprojects-csv"
    shutil.copytree(CORDIS, dump)
    (dump / "legalBasis.csv").write_text(
        "projectID;legalBasis;title;uniqueProgrammePart\n101056001;HORIZON.2.5;Climate;true\n"
    )
    report = ingest(store, [dump], source=SourceFormat.CORDIS)
    assert report.exit_code == 0, report.model_dump()
    passed = [f for f in report.files if f.kind is None]
    assert [Path(f.file).name for f in passed] == ["legalBasis.csv"]


def test_an_erasmus_xlsx_export_reads_like_its_csv(store: Store, tmp_path: Path) -> None:
    import openpyxl

    with ERASMUS.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / "ErasmusPlus_export.xlsx"
    workbook.save(path)
    report = ingest(store, [path])
    assert report.exit_code == 0 and report.files[0].kind == "erasmus_projects"
    budget = _rows(
        store,
        "MATCH (p:Project {id: 'erasmus-2023-1-FR02-KA152-YOU-000100002'}) RETURN p.budget_eur AS b",
    )
    assert budget == [{"b": 23110.0}]
