"""Hostile and broken files: bounded cost, one clear line, and only bad rows refused."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from graph.errors import InputError
from graph.store import Store
from ingest.pipeline import ingest
from ingest.tables import ReadLimits, read_table
from queries.stats import graph_stats

HEADER = "id,name,type,country,city,website,expertise,needs,joined\n"
GOOD = "m-1,A GmbH,oem,DE,,,,,\n"
LATER = "m-3,C SA,oem,FR,,,,,\n"


def _csv(tmp_path: Path, body: str, name: str = "members.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _problems(path: Path, **kw: object) -> list[tuple[int, str | None, str]]:
    table = read_table(path, **kw)  # type: ignore[arg-type]
    return [(p.line, p.column, p.reason) for p in table.problems]


def _lines(path: Path, **kw: object) -> list[int]:
    return [row.line for row in read_table(path, **kw).rows]  # type: ignore[arg-type]


# --- CSV rows ------------------------------------------------------------------------


def test_a_row_with_too_many_cells_is_refused_with_its_line_and_the_rest_is_read(
    tmp_path: Path,
) -> None:
    path = _csv(tmp_path, GOOD + "m-2,B AG,oem,DE,,,,,,,,\n" + LATER)
    assert _problems(path) == [(3, None, "has 12 cells but the header has 9")]
    assert _lines(path) == [2, 4]


def test_a_row_with_too_few_cells_is_refused_with_its_line(tmp_path: Path) -> None:
    path = _csv(tmp_path, GOOD + "m-2,B AG\n" + LATER)
    assert _problems(path) == [(3, None, "has 2 cells but the header has 9")]
    assert _lines(path) == [2, 4]


def test_a_published_file_may_end_its_rows_at_their_last_value(tmp_path: Path) -> None:
    path = tmp_path / "skillsHierarchy_en.csv"
    path.write_text("uri,label,code,note\nu-1,skills,S\nu-2,x,L,n,extra\n", encoding="utf-8")
    table = read_table(path, short_rows=True)
    assert [(r.line, r.cells) for r in table.rows] == [
        (2, {"uri": "u-1", "label": "skills", "code": "S", "note": ""})
    ]
    assert [(p.line, p.reason) for p in table.problems] == [(3, "has 5 cells but the header has 4")]


def test_an_over_long_cell_refuses_its_row_naming_line_and_column(tmp_path: Path) -> None:
    path = _csv(tmp_path, GOOD + "m-2," + "x" * 5_000_000 + ",oem,DE,,,,,\n" + LATER)
    [(line, column, reason)] = _problems(path)
    assert (line, column) == (3, "name") and "5,000,000 characters" in reason
    assert _lines(path) == [2, 4]


def test_the_cell_limit_is_a_parameter(tmp_path: Path) -> None:
    path = _csv(tmp_path, "m-1,A rather long name,oem,DE,,,,,\n")
    [(line, column, reason)] = _problems(path, limits=ReadLimits(max_cell_chars=10))
    assert (line, column) == (2, "name") and "may hold 10" in reason


def test_an_unterminated_quote_is_refused_where_it_opened_and_swallows_nothing(
    tmp_path: Path,
) -> None:
    path = _csv(tmp_path, GOOD + 'm-2,"B AG,oem,DE,,,,,\n' + LATER + "m-4,D BV,oem,NL,,,,,\n")
    [(line, column, reason)] = _problems(path)
    assert (line, column) == (3, "name") and "unterminated" in reason
    assert _lines(path) == [2, 4, 5]


def test_an_unterminated_quote_closed_by_a_later_quote_swallows_nothing(tmp_path: Path) -> None:
    body = GOOD + 'm-2,"B AG,oem,DE,,,,,\n' + LATER + 'm-4,"D, BV",oem,NL,,,,,\n'
    path = _csv(tmp_path, body)
    [(line, column, _)] = _problems(path)
    assert (line, column) == (3, "name")
    table = read_table(path)
    assert [r.line for r in table.rows] == [2, 4, 5] and table.rows[2].cells["name"] == "D, BV"


def test_a_quoted_cell_over_several_lines_is_one_row(tmp_path: Path) -> None:
    path = _csv(tmp_path, 'm-1,"A\nGmbH, ""the"" first",oem,DE,,,,,\n' + LATER)
    table = read_table(path)
    assert table.problems == []
    assert [r.line for r in table.rows] == [2, 4]
    assert table.rows[0].cells["name"] == 'A\nGmbH, "the" first'


def test_text_after_a_closing_quote_refuses_the_row_naming_the_cell(tmp_path: Path) -> None:
    path = _csv(tmp_path, GOOD + 'm-2,"B"x,oem,DE,,,,,\n' + LATER)
    assert _problems(path) == [(3, "name", "has text after the quote that closes this cell")]
    assert _lines(path) == [2, 4]


def test_semicolon_delimited_rows_keep_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text('id;name\nm-1;"A; GmbH"\nm-2;B;extra\n', encoding="utf-8")
    table = read_table(path, delimiter=";")
    assert [(r.line, r.cells["name"]) for r in table.rows] == [(2, "A; GmbH")]
    assert [(p.line, p.reason) for p in table.problems] == [(3, "has 3 cells but the header has 2")]


def test_more_rows_than_the_limit_refuse_the_file(tmp_path: Path) -> None:
    path = _csv(tmp_path, GOOD * 3)
    with pytest.raises(InputError, match="more than 2 rows"):
        read_table(path, limits=ReadLimits(max_rows=2))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = _csv(tmp_path, GOOD * 100)
    with pytest.raises(InputError, match="a file may be") as caught:
        read_table(path, limits=ReadLimits(max_file_bytes=1024))
    assert caught.value.file == str(path)


# --- encodings -----------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be"])
def test_utf_encodings_are_read_by_their_byte_order_mark(tmp_path: Path, codec: str) -> None:
    text = HEADER + "m-1,Técnico Škoda €,oem,ES,,,,,\n"
    mark = "\ufeff" if codec.startswith("utf-16") else ""
    path = tmp_path / "members.csv"
    path.write_bytes((mark + text).encode(codec))
    [row] = read_table(path).rows
    assert row.cells["name"] == "Técnico Škoda €" and row.cells["id"] == "m-1"


def test_utf16_without_a_mark_is_named_as_utf16(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_bytes((HEADER + GOOD).encode("utf-16-le"))
    with pytest.raises(InputError, match="UTF-16 LE without a byte order mark"):
        read_table(path)


def test_windows_1252_is_named_and_read_when_said(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_bytes((HEADER + "m-1,“Técnico” €,oem,ES,,,,,\n").encode("cp1252"))
    with pytest.raises(InputError) as caught:
        read_table(path)
    assert "it looks like Windows-1252" in caught.value.reason
    assert "--encoding cp1252" in caught.value.reason and "line 2" in caught.value.reason
    assert read_table(path, encoding="cp1252").rows[0].cells["name"] == "“Técnico” €"


def test_latin1_is_named_and_read_when_said(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_bytes((HEADER + "m-1,Müller Ærø,oem,DK,,,,,\n").encode("latin-1"))
    with pytest.raises(InputError, match="Latin-1"):
        read_table(path)
    assert read_table(path, encoding="latin-1").rows[0].cells["name"] == "Müller Ærø"


# --- JSON ----------------------------------------------------------------------------


def _json(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "members.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_deeply_nested_json_is_one_line_naming_the_file(tmp_path: Path) -> None:
    path = _json(tmp_path, "[" * 100_000)
    with pytest.raises(InputError, match="deeper than 32 levels") as caught:
        read_table(path)
    assert caught.value.file == str(path)


def test_the_json_depth_is_a_parameter(tmp_path: Path) -> None:
    path = _json(tmp_path, '[{"id": "m-1", "expertise": ["a"]}]')
    assert len(read_table(path).rows) == 1
    with pytest.raises(InputError, match="deeper than 2 levels"):
        read_table(path, limits=ReadLimits(max_json_depth=2))


def test_brackets_inside_json_strings_are_not_nesting(tmp_path: Path) -> None:
    path = _json(tmp_path, json.dumps([{"id": "m-1", "name": "[" * 1000 + '\\"{'}]))
    assert read_table(path).rows[0].cells["name"] == "[" * 1000 + '\\"{'


def test_non_scalar_and_non_finite_json_values_refuse_their_item_naming_the_field(
    tmp_path: Path,
) -> None:
    text = (
        '[{"id": "m-1", "city": {"a": null}},'
        ' {"id": "m-2", "budget": 1e400, "eqf": NaN, "x": -Infinity, "tags": [1, [2]]},'
        ' {"id": "m-3", "expertise": ["c-1", "c-2"]},'
        " 5]"
    )
    table = read_table(_json(tmp_path, text))
    assert [(r.line, r.cells) for r in table.rows] == [(3, {"id": "m-3", "expertise": "c-1;c-2"})]
    found = [(p.line, p.column) for p in table.problems]
    assert found == [(1, "city"), (2, "budget"), (2, "eqf"), (2, "x"), (2, "tags"), (4, None)]
    reasons = [p.reason for p in table.problems]
    assert "is an object" in reasons[0] and "1e400 is not a finite number" in reasons[1]
    assert "NaN" in reasons[2] and "-Infinity" in reasons[3] and "is a list holding" in reasons[4]
    assert table.refused_rows == 3
    assert table.where(4) == f"{tmp_path / 'members.json'}[item 4]"


def test_a_json_integer_of_thousands_of_digits_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    table = read_table(_json(tmp_path, '[{"id": "m-1", "n": ' + "9" * 5000 + "}]"))
    [(line, column, reason)] = [(p.line, p.column, p.reason) for p in table.problems]
    assert (line, column) == (1, "n") and "digits" in reason


# --- XLSX ----------------------------------------------------------------------------


def _workbook(path: Path, rows: list[list[object]], *others: str) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for title in others:
        workbook.create_sheet(title).append(["id", "name"])
    workbook.save(path)
    return path


def _rewrite(path: Path, member: str, change: bytes | None = None, **kw: bytes) -> None:
    """Replace (or add) zip members of a workbook."""
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    if change is not None:
        members[member] = change
    members.update({name.replace("__", "/"): data for name, data in kw.items()})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)


def _sheet_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_a_workbook_declaring_five_million_rows_is_refused_before_it_is_loaded(
    tmp_path: Path,
) -> None:
    path = _workbook(tmp_path / "members.xlsx", [["id", "name"], ["m-1", "A"]])
    xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:I5000000"', _sheet_xml(path))
    _rewrite(path, "xl/worksheets/sheet1.xml", xml)
    with pytest.raises(InputError, match="declares a sheet of 5,000,000 rows") as caught:
        read_table(path)
    assert "A1:I5000000" in caught.value.reason


def test_a_sheet_with_more_rows_than_it_declares_is_stopped_at_the_limit(tmp_path: Path) -> None:
    rows: list[list[object]] = [["id", "name"], *[[f"m-{i}", "A"] for i in range(10)]]
    path = _workbook(tmp_path / "members.xlsx", rows)
    xml = re.sub(rb'<dimension ref="[^"]*"/>', b"", _sheet_xml(path))
    _rewrite(path, "xl/worksheets/sheet1.xml", xml)
    with pytest.raises(InputError, match="more than 5 rows"):
        read_table(path, limits=ReadLimits(max_rows=5))
    assert len(read_table(path).rows) == 10


def test_a_shared_strings_bomb_is_refused_from_the_zip_directory(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "members.xlsx", [["id", "name"], ["m-1", "A"]])
    strings = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    strings += b"<si><t>x</t></si>" * 200_000 + b"</sst>"
    _rewrite(path, "xl/sharedStrings.xml", strings)
    assert path.stat().st_size < 100_000
    limits = ReadLimits(max_xlsx_shared_strings_bytes=1 << 20)
    with pytest.raises(InputError, match="MB of shared strings"):
        read_table(path, limits=limits)


def test_a_workbook_expanding_past_the_limit_is_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "members.xlsx", [["id", "name"], ["m-1", "A"]])
    _rewrite(path, "", xl__media__padding_bin=b"\0" * (3 << 20))
    with pytest.raises(InputError, match="expands to 3 MB"):
        read_table(path, limits=ReadLimits(max_xlsx_uncompressed_bytes=2 << 20))


def test_a_workbook_of_too_many_parts_is_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "members.xlsx", [["id", "name"], ["m-1", "A"]])
    parts = {f"xl__media__p{i}_bin": b"" for i in range(50)}
    _rewrite(path, "", **parts)
    with pytest.raises(InputError, match="parts; a workbook may hold 20"):
        read_table(path, limits=ReadLimits(max_xlsx_members=20))


def test_a_file_that_is_not_a_zip_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "members.xlsx"
    path.write_bytes(b"id,name\nm-1,A\n")
    with pytest.raises(InputError, match="not a zip archive"):
        read_table(path)


def test_a_damaged_sheet_is_one_line(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "members.xlsx", [["id", "name"], ["m-1", "A"]])
    _rewrite(path, "xl/worksheets/sheet1.xml", _sheet_xml(path)[:-60])
    with pytest.raises(InputError, match="not a readable XLSX workbook"):
        read_table(path)


def test_a_workbook_with_a_corrupt_compressed_part_is_one_line(tmp_path: Path) -> None:
    rows: list[list[object]] = [["id", "name"], *[[f"m-{i}", f"name {i}"] for i in range(300)]]
    path = _workbook(tmp_path / "members.xlsx", rows)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 2, start + info.compress_size - 2):
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="not a readable XLSX workbook"):
        read_table(path)


def test_data_on_another_sheet_is_mentioned_when_the_first_is_empty(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "members.xlsx", [], "Members", "Notes")
    with pytest.raises(InputError) as caught:
        read_table(path)
    reason = caught.value.reason
    assert "empty first sheet 'Sheet'" in reason and "'Members', 'Notes'" in reason


def test_a_formula_without_a_saved_value_refuses_its_row_naming_the_cell(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["id", "name", "budget"],
        ["p-1", "A", 100],
        ["p-2", "B", "=B1*2"],
        ["p-3", "C", 300],
    ]
    path = _workbook(tmp_path / "projects.xlsx", rows)
    table = read_table(path)
    assert [r.line for r in table.rows] == [2, 4]
    [problem] = table.problems
    assert (problem.line, problem.column) == (3, "budget")
    assert "cell C3" in problem.reason and "=B1*2" in problem.reason


def test_values_beyond_the_header_and_over_long_cells_are_every_problem_of_the_row(
    tmp_path: Path,
) -> None:
    rows: list[list[object]] = [["id", "name"], ["m-1", "A"], ["m-2", "x" * 50, "stray"]]
    table = read_table(
        _workbook(tmp_path / "members.xlsx", rows), limits=ReadLimits(max_cell_chars=20)
    )
    assert [r.line for r in table.rows] == [2]
    assert [(p.line, p.column) for p in table.problems] == [(3, None), (3, "name")]
    assert "column C" in table.problems[0].reason


# --- through the pipeline, on every backend -------------------------------------------


def test_only_the_bad_rows_of_a_file_are_refused_and_each_names_its_line(
    store: Store, tmp_path: Path
) -> None:
    path = _csv(tmp_path, GOOD + "m-2,B AG,oem,DE,,,,,,,,\n" + 'm-4,"D BV,oem,NL,,,,,\n' + LATER)
    report = ingest(store, [path])
    [file] = report.files
    assert (file.rows_read, file.rows_written, file.rows_rejected) == (4, 2, 2)
    assert [r.location for r in file.rejected] == [f"{path}:3", f"{path}:4"]
    ids = sorted(r["id"] for r in store.run("MATCH (o:Organisation) RETURN o.id AS id"))
    assert ids == ["m-1", "m-3"]


def test_every_problem_of_a_row_is_listed(store: Store, tmp_path: Path) -> None:
    path = _csv(tmp_path, GOOD + "m-2,B AG,carmaker,Narnia,,,,,2025-13-40\n")
    report = ingest(store, [path])
    [file] = report.files
    assert file.rows_rejected == 1 and file.rows_written == 1
    assert {r.location for r in file.rejected} == {f"{path}:3"}
    assert sorted(r.column or "" for r in file.rejected) == ["country", "joined", "type"]


@pytest.mark.parametrize("budget", ["1e400", "inf", "-Infinity", "NaN"])
def test_a_non_finite_number_in_a_csv_cell_is_rejected_with_its_column(
    store: Store, tmp_path: Path, budget: str
) -> None:
    path = tmp_path / "projects.csv"
    path.write_text(f"id,title,budget_eur\np-1,A,1000\np-2,B,{budget}\n", encoding="utf-8")
    [file] = ingest(store, [path]).files
    assert [(r.location, r.column) for r in file.rejected] == [(f"{path}:3", "budget_eur")]
    assert "not a finite number" in file.rejected[0].reason
    assert store.run("MATCH (p:Project) RETURN p.budget_eur AS b") == [{"b": 1000.0}]


def test_every_model_error_of_a_row_is_listed(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "training_offers.csv"
    path.write_text(
        "id,title,provider,competences,countries,eqf_level,duration_hours\no-1,,m-1,c-1,DE,12,-5\n",
        encoding="utf-8",
    )
    [file] = ingest(store, [path]).files
    columns = {r.column for r in file.rejected}
    assert {"title", "eqf_level", "duration_hours"} <= columns and file.rows_rejected == 1


def test_a_file_whose_rows_were_all_rejected_changes_nothing(store: Store, tmp_path: Path) -> None:
    before = store.revision()
    path = _csv(tmp_path, "m-1,A GmbH,carmaker,DE,,,,,\nm-2,B AG,oem,Narnia,,,,,\n")
    report = ingest(store, [path])
    [file] = report.files
    assert file.rows_rejected == 2 and file.rows_written == 0 and report.exit_code == 1
    assert "nothing written" in (file.notice or "")
    assert store.revision() == before
    stats = graph_stats(store)
    assert stats.sources == [] and stats.nodes["Organisation"] == 0


def test_a_json_file_with_bad_values_writes_its_good_items(store: Store, tmp_path: Path) -> None:
    items = [
        {"id": "m-1", "name": "A GmbH", "type": "oem", "country": "DE"},
        {"id": "m-2", "name": "B AG", "type": "oem", "country": "DE", "city": {"a": None}},
    ]
    path = _json(tmp_path, json.dumps(items))
    [file] = ingest(store, [path]).files
    assert file.rows_written == 1
    assert [(r.location, r.column) for r in file.rejected] == [(f"{path}[item 2]", "city")]
    rows = store.run("MATCH (o:Organisation) RETURN o.id AS id, o.city AS city")
    assert rows == [{"id": "m-1", "city": None}]


def test_a_hostile_workbook_is_a_report_line_not_a_crash(store: Store, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "members.xlsx", [["id", "name"], ["m-1", "A"]])
    xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:I5000000"', _sheet_xml(path))
    _rewrite(path, "xl/worksheets/sheet1.xml", xml)
    [file] = ingest(store, [path]).files
    assert not file.readable and "5,000,000 rows" in (file.error or "")
    assert graph_stats(store).sources == []


# --- the settings reach the readers ------------------------------------------------------


def test_over_http_hostile_files_are_report_lines_and_the_bounds_are_settings(
    tmp_path: Path,
) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    settings = Settings(data_dir=tmp_path / "graph", api_key="k", max_rows=2)
    files = [
        ("files", ("deep.json", b"[" * 100_000, "application/json")),
        ("files", ("members.csv", (HEADER + GOOD * 3).encode(), "text/csv")),
    ]
    with TestClient(create_app(settings)) as client:
        response = client.post("/ingest", files=files, data={"kind": "members"},
                               headers={"X-API-Key": "k"})  # fmt: skip
    assert response.status_code == 200, response.text
    deep, members = response.json()["files"]
    assert deep["file"] == "deep.json" and "deeper than 32 levels" in deep["error"]
    assert members["file"] == "members.csv" and "more than 2 rows" in members["error"]


def test_the_cli_reads_the_bounds_from_its_settings(tmp_path: Path) -> None:
    path = _csv(tmp_path, "m-1,A rather long name,oem,DE,,,,,\n" + LATER)
    env = {**os.environ, "SKILLGRAPH_DATA_DIR": str(tmp_path / "store"),
           "SKILLGRAPH_STORE": "embedded", "SKILLGRAPH_MAX_CELL_CHARS": "10"}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "ingest", "--json", str(path)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    [file] = json.loads(result.stdout)["files"]
    assert [r["location"] for r in file["rejected"]] == [f"{path}:2"]
    assert file["rows_written"] == 1
