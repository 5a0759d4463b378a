"""Reading CSV, JSON and XLSX files with their line numbers, and refusing bad encodings."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from graph.errors import InputError
from ingest.tables import read_table


def test_csv_with_a_bom_and_embedded_newlines_keeps_record_start_lines(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_bytes('\ufeffid,name\nm-1,"Two\nlines"\nm-2,Plain\n'.encode())
    table = read_table(path)
    assert table.columns == ["id", "name"]
    assert [(r.line, r.cells["id"]) for r in table.rows] == [(2, "m-1"), (4, "m-2")]
    assert table.rows[0].cells["name"] == "Two\nlines"


def test_a_latin1_file_is_refused_naming_the_encoding_and_the_place(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_bytes("id,name\nm-1,Técnico\n".encode("latin-1"))
    with pytest.raises(InputError) as caught:
        read_table(path)
    message = str(caught.value)
    assert "not UTF-8" in message and "line 2" in message and "Windows-1252" in message


def test_a_latin1_file_reads_correctly_when_its_encoding_is_named(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_bytes("id,name\nm-1,Técnico\n".encode("cp1252"))
    assert read_table(path, encoding="cp1252").rows[0].cells["name"] == "Técnico"


def test_empty_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text("")
    with pytest.raises(InputError, match="is empty"):
        read_table(path)


def test_json_list_of_objects_counts_items(tmp_path: Path) -> None:
    path = tmp_path / "members.json"
    path.write_text(
        json.dumps([{"id": "m-1", "expertise": ["a", "b"]}, {"id": "m-2", "joined": None}])
    )
    table = read_table(path)
    assert table.unit == "item"
    assert table.rows[0].cells["expertise"] == "a;b"
    assert table.rows[1].cells["joined"] == ""
    assert table.where(2).endswith("members.json[item 2]")


def test_json_that_is_not_a_list_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "members.json"
    path.write_text('{"id": "m-1"}')
    with pytest.raises(InputError, match="list of objects"):
        read_table(path)


def test_xlsx_first_sheet_with_dates_and_numbers(tmp_path: Path) -> None:
    import datetime as dt

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["id", "eqf_level", "start"])
    sheet.append(["t-1", 4, dt.datetime(2026, 3, 1)])
    sheet.append([None, None, None])
    sheet.append(["t-2", 5.0, "2026-04-01"])
    path = tmp_path / "training_offers.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert [(r.line, r.cells) for r in table.rows] == [
        (2, {"id": "t-1", "eqf_level": "4", "start": "2026-03-01"}),
        (4, {"id": "t-2", "eqf_level": "5", "start": "2026-04-01"}),
    ]


def test_unknown_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "members.txt"
    path.write_text("id\n1\n")
    with pytest.raises(InputError, match="cannot be read"):
        read_table(path)
