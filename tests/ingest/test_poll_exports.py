"""Survey exports as the tools write them: repeated titles, two header rows, empty names."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graph.store import Store
from ingest.pipeline import ingest
from ingest.reading import ParsedFile, read_file
from ingest.sources import SourceFormat, SourceOptions
from ingest.sources.poll import PRESETS, column_names, load_mapping
from tests.conftest import DATA, TINY
from tests.ingest.test_sources_real import REAL

POLL = DATA / "sources" / "poll"
CANTERA = REAL / "poll" / "cantera_user_survey_responses.csv"


def _support(store: Store) -> dict[str, int]:
    return {
        r["id"]: r["s"] for r in store.run("MATCH (p:Priority) RETURN p.id AS id, p.support AS s")
    }


def test_a_repeated_title_is_ignored_unless_mapped_by_its_position(store: Store) -> None:
    ingest(store, [TINY / "priorities.csv", DATA / "sources" / "members.csv"])
    mapping = load_mapping(POLL / "google-forms-repeated-mapping.yaml")
    report = ingest(store, [POLL / "google_forms_repeated_titles.csv"],
                    options=SourceOptions(poll_mapping=mapping))  # fmt: skip
    (poll,) = report.files
    assert report.exit_code == 0, poll
    # the localised timestamp and the mapped e-mail column are known; the rest is listed
    assert poll.notice == (
        "ignored the unmapped columns Comments #1, Which of these would help you most? #1, "
        "Comments #2, (column 9)"
    )
    assert poll.rows_written == 4  # two blockers, two answers to the second asking
    assert _support(store) == {"limited-resources": 1, "fragmentation": 1, "networking": 2}
    raised = store.run("MATCH (o:Organisation)-[:RAISED]->(p:Priority) RETURN o.id AS o, "
                       "p.id AS p ORDER BY o.id, p.id")  # fmt: skip
    assert raised == [{"o": "m-1", "p": "limited-resources"}, {"o": "m-1", "p": "networking"},
                      {"o": "m-2", "p": "fragmentation"}, {"o": "m-2", "p": "networking"}]  # fmt: skip


def test_a_repeated_title_mapped_without_its_position_is_refused_naming_both(
    embedded_store: Store, tmp_path: Path
) -> None:
    mapping_file = tmp_path / "mapping.yaml"
    mapping_file.write_text(
        'preset: google-forms\nquestions:\n  "Which of these would help you most?": goal\n'
    )
    report = ingest(embedded_store, [POLL / "google_forms_repeated_titles.csv"],
                    options=SourceOptions(poll_mapping=load_mapping(mapping_file)))  # fmt: skip
    (poll,) = report.files
    assert report.exit_code == 1 and poll.rows_written == 0
    assert poll.error == (
        "the mapping names 'Which of these would help you most?', which is the title of "
        "several columns ('Which of these would help you most? #1', 'Which of these would "
        "help you most? #2'); name the one meant with its position; nothing of it was written"
    )


def test_a_localised_microsoft_forms_export(embedded_store: Store) -> None:
    ingest(embedded_store, [TINY / "priorities.csv", DATA / "sources" / "members.csv"])
    mapping = load_mapping(POLL / "microsoft-forms-fr-mapping.yaml")
    report = ingest(embedded_store, [POLL / "microsoft_forms_fr.csv"], source=SourceFormat.POLL,
                    options=SourceOptions(poll_mapping=mapping))  # fmt: skip
    (poll,) = report.files
    assert report.exit_code == 0 and poll.notice is None  # every column is known
    assert _support(embedded_store) == {"limited-resources": 1, "fragmentation": 1,
                                        "networking": 2}  # fmt: skip


def test_every_preset_names_its_time_column_among_the_ones_it_ignores() -> None:
    assert set(PRESETS) == {"google-forms", "microsoft-forms", "surveymonkey", "limesurvey"}
    for preset in PRESETS.values():
        times = preset["time"] if isinstance(preset["time"], list) else [preset["time"]]
        assert set(times) <= set(preset["ignore"])  # type: ignore[arg-type]


def test_two_header_rows_name_each_column_by_its_question_and_choice() -> None:
    assert column_names([["", "Which OS?", "", "Version?"], ["#", "macOS", "Other", ""]]) == [
        "#", "Which OS? > macOS", "Which OS? > Other", "Version?"]  # fmt: skip


@pytest.mark.skipif(not CANTERA.exists(), reason=f"the real survey export is not at {CANTERA}")
def test_a_real_surveymonkey_export_with_two_header_rows(tmp_path: Path) -> None:
    mapping_file = tmp_path / "cantera.yaml"
    mapping_file.write_text(
        "preset: surveymonkey\n"
        "respondent: Company/organization name (optional)\n"
        "questions:\n"
        '  "Why do you use Cantera in your job or school?": goal\n'
        '  "What question do you wish we had asked you?": blocker\n'
        '  "Please choose your top 3 desired development priorities.": goal\n'
    )
    mapping = load_mapping(mapping_file)
    parsed = read_file(CANTERA, None, None, source=SourceFormat.POLL,
                       options=SourceOptions(poll_mapping=mapping))  # fmt: skip
    assert isinstance(parsed, ParsedFile), parsed
    with CANTERA.open(encoding="utf-8-sig", newline="") as handle:
        top, sub, *rows = list(csv.reader(handle))
    assert parsed.report.rows_read == len(rows) == 60
    # answers come from the mapped columns only: 110, 111 and the eight under column 83
    mapped = [110, 111, *range(83, 91)]
    expected = sum(1 for row in rows for i in mapped if row[i].strip())
    assert len(parsed.answers) == expected
    companies = {row[109].strip() for row in rows}
    row_ids = {row[0] for row in rows}
    respondents = {a.respondent for a in parsed.answers}
    assert respondents <= companies and not respondents & row_ids
    assert "ORNL" in respondents
    notice = parsed.report.notice or ""
    assert notice.startswith(
        "ignored the unmapped columns #, What operating system(s) do you use? > macOS"
    )
    # the two "Other" choices under one question are told apart by their position
    assert "Please choose your top 3 desired development priorities. > Other #1" not in notice
    assert "Which interface(s) do you use to access Cantera? > Python" in notice
    # with no respondent mapped, no column (not the row number '#') is taken as one
    anonymous = mapping.model_copy(update={"respondent": None})
    again = read_file(CANTERA, None, None, source=SourceFormat.POLL,
                      options=SourceOptions(poll_mapping=anonymous))  # fmt: skip
    assert isinstance(again, ParsedFile)
    assert {a.respondent for a in again.answers} == {""}
    assert len(top) == len(sub) == 112
