"""``skillgraph ingest --format``, ``review`` and ``stats`` on the published formats."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import DATA
from tests.test_cli import run

SOURCES = DATA / "sources"


def test_cli_loads_a_cordis_extract_lists_the_review_and_reports_merges(tmp_path: Path) -> None:
    store = tmp_path / "graph"
    erasmus = next((SOURCES / "erasmus").glob("*.csv"))
    first = run(["ingest", str(SOURCES / "members.csv"), str(erasmus)], store)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "review" in first.stdout and "Iberia Motors Training" in first.stdout
    cordis = run(["ingest", "--format", "cordis", "--keyword", "battery", "--keyword", "cyber",
                  "--json", str(SOURCES / "cordis")], store)  # fmt: skip
    assert cordis.returncode == 0, cordis.stderr
    report = json.loads(cordis.stdout)
    assert {f["kind"]: f["rows_skipped"] for f in report["files"]} == {
        "cordis_organisations": 1, "cordis_projects": 1}  # fmt: skip
    listed = run(["review"], store)
    assert "1. organisation 'Iberia Motors Training' (ES)" in listed.stdout
    assert "m-5" in listed.stdout and "m-6" in listed.stdout
    stats = json.loads(run(["stats", "--json"], store).stdout)
    # Voltaria twice, Centro Tecnico Lusitano, and NTUA's second spelling joined by its PIC
    assert stats["merges"]["merges_made"] == 4 and stats["merges"]["pending_organisations"] == 1
    accepted = run(["review", "accept", "1", "2"], store)
    assert accepted.returncode == 0 and "m-6" in accepted.stdout
    assert "nothing waits for review" in run(["review"], store).stdout
    again = run(["ingest", str(erasmus)], store)
    assert again.returncode == 0 and "into m-6" in again.stdout
    text = run(["stats"], store).stdout
    assert "merges made: 5" in text and "waiting for review: 0 organisations" in text


def test_cli_poll_export_with_its_mapping(tmp_path: Path) -> None:
    store = tmp_path / "graph"
    run(["ingest", str(DATA / "tiny" / "priorities.csv")], store)
    poll = run(["ingest", "--mapping", str(SOURCES / "poll" / "google-forms-mapping.yaml"),
                str(SOURCES / "poll" / "google_forms_responses.csv")], store)  # fmt: skip
    assert poll.returncode == 0, poll.stdout + poll.stderr
    assert "poll_export" in poll.stdout and "unmapped columns Any other comments?" in poll.stdout
    refused = run(["ingest", "--format", "poll", str(SOURCES / "poll" / "answers_long.csv")], store)
    assert refused.returncode == 2 and "--mapping" in refused.stderr
