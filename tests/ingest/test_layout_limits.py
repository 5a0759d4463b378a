"""The read limits hold for every layout of the registry, whatever loader reads its files."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from ingest.reading import ParsedFile, read_file
from ingest.report import FileReport
from ingest.sources import SourceOptions
from ingest.sources.poll import load_mapping
from ingest.tables import ReadLimits

DATA = Path(__file__).parent.parent / "data" / "sources"
POLL = SourceOptions(poll_mapping=load_mapping(DATA / "poll" / "google-forms-mapping.yaml"))

#: A copy of a published file, the loader that reads it, and a cell of its second row.
PUBLISHED = [
    pytest.param("cordis/project.csv", SourceOptions(), "acronym", id="cordis-own-loader"),
    pytest.param("poll/google_forms_responses.csv", POLL, "Organisation", id="poll-loader"),
    pytest.param("esco/skills_en.csv", SourceOptions(), "preferredLabel", id="plain-reader"),
]


def _copy(tmp_path: Path, name: str) -> Path:
    path = tmp_path / Path(name).name
    shutil.copy(DATA / name, path)
    return path


@pytest.mark.parametrize(("name", "options", "column"), PUBLISHED)
def test_an_over_long_cell_refuses_its_row_in_every_published_layout(
    tmp_path: Path, name: str, options: SourceOptions, column: str
) -> None:
    path = _copy(tmp_path, name)
    limits = ReadLimits(max_cell_chars=8)
    parsed = read_file(path, None, None, options=options, limits=limits)
    assert isinstance(parsed, ParsedFile), parsed
    refused = [r for r in parsed.report.rejected if r.column == column]
    assert refused and all("may hold 8" in r.reason for r in refused)
    assert refused[0].location.startswith(f"{path}:")
    assert parsed.report.rows_rejected >= 1
    assert parsed.report.rows_read == parsed.report.rows_rejected + len(parsed.table.rows)


@pytest.mark.parametrize(("name", "options", "column"), PUBLISHED)
def test_a_published_file_over_the_row_limit_is_refused_whole(
    tmp_path: Path, name: str, options: SourceOptions, column: str
) -> None:
    path = _copy(tmp_path, name)
    report = read_file(path, None, None, options=options, limits=ReadLimits(max_rows=1))
    assert isinstance(report, FileReport) and not report.readable
    assert report.error is not None and "more than 1 rows" in report.error


def test_a_poll_workbook_is_checked_before_it_is_opened(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Timestamp", "Organisation", "What blocks cooperation on skills?"])
    sheet.append(["2026-01-20", "Voltaria", "Budget"])
    path = tmp_path / "responses.xlsx"
    workbook.save(path)
    report = read_file(path, None, None, options=POLL, limits=ReadLimits(max_xlsx_members=2))
    assert isinstance(report, FileReport) and not report.readable
    assert report.error is not None and "a workbook may hold 2" in report.error


def test_the_upload_name_names_the_rows_a_loader_refused(tmp_path: Path) -> None:
    path = _copy(tmp_path, "cordis/broken-quotes/project.csv")
    stored = tmp_path / "upload-7f3a.csv"
    path.rename(stored)
    parsed = read_file(stored, None, None, name="project.csv")
    assert isinstance(parsed, ParsedFile), parsed
    assert parsed.report.file == "project.csv"
    assert parsed.report.rejected
    assert all(r.location.startswith("project.csv:") for r in parsed.report.rejected)
