"""Ingesting canonical files: references, bad input, idempotency, atomic files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.errors import InputError
from graph.store import Store
from ingest.kinds import FileKind
from ingest.pipeline import ingest
from queries.stats import graph_stats
from tests.conftest import TINY

MEMBERS_HEADER = "id,name,type,country,city,website,expertise,needs,joined\n"
OFFERS_HEADER = "id,title,provider,description,competences,eqf_level,countries,languages,mode,duration_hours,start,end,url\n"


def _counts(store: Store) -> tuple[dict[str, int], dict[str, int]]:
    stats = graph_stats(store)
    return stats.nodes, stats.edges


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    return folder


def test_tiny_dataset_lands_with_resolved_references(store: Store, tiny: Path) -> None:
    report = ingest(store, [tiny])
    assert report.exit_code == 0, report.model_dump()
    nodes, _ = _counts(store)
    assert nodes["Organisation"] == 4  # three members and one partner named only by a project
    assert graph_stats(store).non_members == 1
    projects = next(f for f in report.files if f.kind == "projects")
    assert [m.matched_id for m in projects.fuzzy_matches] == ["m-1"]
    assert [(u.column, u.value) for u in projects.unresolved] == [("competences", "quantum stuff")]
    assert projects.organisations_created[0].startswith("org-nordic-battery-cluster")
    roles = store.run(
        "MATCH (o:Organisation)-[e:PARTICIPATES_IN]->(p:Project) RETURN o.id AS o, e.role AS role ORDER BY o.id"
    )
    assert roles == [
        {"o": "m-1", "role": "coordinator"},
        {"o": "org-nordic-battery-cluster", "role": "partner"},
    ]
    # members.csv names a need by its alternative label, another by label in other case
    needs = store.run(
        "MATCH (o:Organisation)-[:NEEDS]->(c:Competence) RETURN o.id AS o, c.id AS c ORDER BY o.id"
    )
    assert needs == [{"o": "m-1", "c": "c-hv"}, {"o": "m-3", "c": "c-bms"}]
    assert store.run("MATCH (o:Organisation {id: 'm-2'}) RETURN o.country AS c") == [{"c": "PT"}]


def test_poll_answers_raise_priorities_and_count_support(store: Store, tiny: Path) -> None:
    report = ingest(store, [tiny])
    support = {
        r["id"]: r["support"]
        for r in store.run("MATCH (p:Priority) RETURN p.id AS id, p.support AS support")
    }
    assert support == {"limited-resources": 1, "fragmentation": 1, "networking": 1}
    raised = store.run(
        "MATCH (o:Organisation)-[e:RAISED]->(p:Priority) RETURN o.id AS o, p.id AS p, e.count AS n ORDER BY o.id"
    )
    assert raised == [
        {"o": "m-1", "p": "limited-resources", "n": 1},
        {"o": "m-2", "p": "fragmentation", "n": 1},
    ]
    poll = next(f for f in report.files if f.kind == "poll_responses")
    assert len(poll.unclassified_answers) == 1 and "No comment" in poll.unclassified_answers[0]


def test_ingesting_twice_changes_no_count(store: Store, tiny: Path) -> None:
    ingest(store, [tiny])
    first = _counts(store)
    again = ingest(store, [tiny])
    assert again.exit_code == 0
    assert _counts(store) == first


def test_file_order_does_not_matter(store: Store, tiny: Path) -> None:
    files = sorted(tiny.iterdir(), reverse=True)
    report = ingest(store, files)
    assert report.exit_code == 0
    needs = store.run("MATCH (:Organisation)-[e:NEEDS]->(:Competence) RETURN count(e) AS n")
    assert needs == [{"n": 2}]


def test_an_updated_file_updates_changed_rows_and_their_links(store: Store, tiny: Path) -> None:
    ingest(store, [tiny])
    members = tiny / "members.csv"
    members.write_text(
        members.read_text()
        .replace(
            "m-1,Voltaria Mobility GmbH,oem,DE,Stuttgart",
            "m-1,Voltaria Mobility GmbH,oem,DE,Berlin",
        )
        .replace(",c-bms,hv safety,", ",c-bms,c-cyber,")
    )
    report = ingest(store, [members])
    assert report.exit_code == 0
    rows = store.run(
        "MATCH (o:Organisation {id: 'm-1'})-[:NEEDS]->(c:Competence) RETURN o.city AS city, c.id AS need"
    )
    assert rows == [{"city": "Berlin", "need": "c-cyber"}]


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


def test_missing_required_column_names_it_and_writes_nothing_from_that_file(
    store: Store, tmp_path: Path
) -> None:
    path = _write(tmp_path, "members.csv", "id,name,country\nm-1,A GmbH,DE\n")
    report = ingest(store, [path])
    assert report.exit_code == 1
    assert "type" in (report.files[0].error or "") and str(path) == report.files[0].file
    assert graph_stats(store).nodes["Organisation"] == 0


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("m-2,B AG,carmaker,DE,,,,,", "type", "not one of"),
        ("m-2,B AG,oem,Narnia,,,,,", "country", "not a known country"),
        ("m-2,B AG,oem,DE,,,,,2025-13-40", "joined", "not an ISO 8601 date"),
        ("m-1,Duplicate GmbH,oem,DE,,,,,", "id", "duplicate id"),
    ],
)
def test_a_bad_value_rejects_only_its_row_with_line_and_column(
    store: Store, tmp_path: Path, row: str, column: str, reason: str
) -> None:
    path = _write(tmp_path, "members.csv", MEMBERS_HEADER + "m-1,A GmbH,oem,DE,,,,,\n" + row + "\n")
    report = ingest(store, [path])
    assert report.exit_code == 1
    [rejection] = report.files[0].rejected
    assert rejection.location == f"{path}:3"
    assert rejection.column == column and reason in rejection.reason
    ids = [r["id"] for r in store.run("MATCH (o:Organisation) RETURN o.id AS id")]
    assert ids == ["m-1"]


def test_eqf_level_out_of_range_is_rejected(store: Store, tmp_path: Path) -> None:
    text = (
        OFFERS_HEADER
        + "t-1,Course,Acme GmbH,,Welding,9,DE,,,,,,\nt-2,Course,Acme GmbH,,Welding,4,DE,,,,,,\n"
    )
    report = ingest(store, [_write(tmp_path, "training_offers.csv", text)])
    [rejection] = report.files[0].rejected
    assert rejection.column == "eqf_level" and rejection.location.endswith(":2")
    assert report.files[0].rows_written == 1


def test_header_only_file_says_so_and_empty_file_is_unreadable(
    store: Store, tmp_path: Path
) -> None:
    header_only = ingest(store, [_write(tmp_path, "members.csv", MEMBERS_HEADER)])
    assert header_only.exit_code == 0 and "no rows" in (header_only.files[0].notice or "")
    empty = ingest(store, [_write(tmp_path, "projects.csv", "")])
    assert empty.exit_code == 2 and "empty" in (empty.files[0].error or "")


def test_latin1_file_is_refused_and_nothing_written(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_bytes((MEMBERS_HEADER + "m-1,Técnico Lda,oem,PT,,,,,\n").encode("latin-1"))
    report = ingest(store, [path])
    assert report.exit_code == 2 and "not UTF-8" in (report.files[0].error or "")
    assert graph_stats(store).nodes["Organisation"] == 0


def test_json_and_xlsx_files_carry_the_same_columns(store: Store, tmp_path: Path) -> None:
    import json

    import openpyxl

    _write(
        tmp_path,
        "competences.json",
        json.dumps([{"id": "c-1", "label": "Welding", "alt_labels": ["joining"]}]),
    )
    workbook = openpyxl.Workbook()
    workbook.active.append(["id", "name", "type", "country", "expertise"])
    workbook.active.append(["m-1", "A GmbH", "oem", "Germany", "joining"])
    workbook.save(tmp_path / "members.xlsx")
    report = ingest(store, [tmp_path])
    assert report.exit_code == 0, report.model_dump()
    rows = store.run(
        "MATCH (o:Organisation)-[:HAS_EXPERTISE]->(c:Competence) RETURN o.country AS country, c.id AS c"
    )
    assert rows == [{"country": "DE", "c": "c-1"}]


def test_a_failure_half_way_through_a_file_leaves_the_store_as_it_was(
    store: Store, tiny: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(store, [tiny / "competences.csv"])
    before = _counts(store)
    original = store.transaction

    def failing_transaction(description=None, **options):  # type: ignore[no-untyped-def]
        context = original(description, **options)

        class Failing:
            def __enter__(self):  # type: ignore[no-untyped-def]
                tx = context.__enter__()

                def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
                    raise RuntimeError("disk full")

                tx.upsert_edges = broken
                return tx

            def __exit__(self, *exc):  # type: ignore[no-untyped-def]
                return context.__exit__(*exc)

        return Failing()

    monkeypatch.setattr(store, "transaction", failing_transaction)
    report = ingest(store, [tiny / "members.csv"])
    assert report.exit_code == 1 and "disk full" in (report.files[0].error or "")
    assert report.files[0].rows_written == 0
    assert _counts(store) == before


def test_kind_option_overrides_the_file_name(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, "export-2026.csv", "id,label\nc-1,Welding\n")
    assert ingest(store, [path]).exit_code == 2
    assert ingest(store, [path], kind=FileKind.COMPETENCES).exit_code == 0


def test_a_missing_path_is_a_usage_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        ingest(store, [tmp_path / "nope.csv"])


def test_the_poll_source_remembers_its_unclassified_answers(store: Store, tiny: Path) -> None:
    from queries.priorities import unclassified_in_latest_poll

    assert unclassified_in_latest_poll(store) == 0
    ingest(store, [tiny])
    assert unclassified_in_latest_poll(store) == 1
