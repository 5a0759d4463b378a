"""Cells repeated over many rows: read once per distinct value, refused on every row."""

from __future__ import annotations

from pathlib import Path

from ingest.reading import ParsedFile, read_file

HEADER = "id,title,provider,competences,countries\n"
NARNIA = "'Narnia' is not a known country (ISO 3166-1 code or English name)"


def _read(tmp_path: Path, body: str, newline: str = "\n") -> ParsedFile:
    path = tmp_path / "training_offers.csv"
    path.write_bytes((HEADER + body).replace("\n", newline).encode())
    parsed = read_file(path, None, None)
    assert isinstance(parsed, ParsedFile)
    return parsed


def _rejections(parsed: ParsedFile) -> list[tuple[str, str | None, str]]:
    return [(r.location.rsplit(":", 1)[1], r.column, r.reason) for r in parsed.report.rejected]


def _countries(parsed: ParsedFile) -> dict[str, list[str]]:
    return {
        r.id: [ref.value for ref in r.references if ref.column == "countries"]
        for r in parsed.records
    }


def test_a_bad_country_is_refused_on_the_first_row_the_last_and_every_repeat(
    tmp_path: Path,
) -> None:
    parsed = _read(
        tmp_path,
        "t-1,A,m-1,c-1,Narnia\n"
        "t-2,B,m-1,c-1;c-2,DE\n"
        "t-3,C,m-1,c-1;c-2,DE;Narnia\n"
        "t-4,D,m-1,c-1;c-2,DE\n"
        "t-5,E,m-1,c-1,Narnia\n",
    )
    assert _rejections(parsed) == [
        ("2", "countries", NARNIA),
        ("4", "countries", NARNIA),
        ("6", "countries", NARNIA),
    ]
    assert _countries(parsed) == {"t-2": ["DE"], "t-4": ["DE"]}


def test_every_bad_item_of_a_repeated_cell_is_named(tmp_path: Path) -> None:
    parsed = _read(tmp_path, "t-1,A,m-1,c-1,Narnia;DE;Oz\nt-2,B,m-1,c-1,Narnia;DE;Oz\n")
    oz = "'Oz' is not a known country (ISO 3166-1 code or English name)"
    assert _rejections(parsed) == [
        ("2", "countries", NARNIA),
        ("2", "countries", oz),
        ("3", "countries", NARNIA),
        ("3", "countries", oz),
    ]


def test_rows_naming_the_same_cells_get_the_same_references(tmp_path: Path) -> None:
    parsed = _read(tmp_path, "t-1,A,m-1,c-1; c-2,germany;FR\nt-2,B,m-1,c-1; c-2,germany;FR\n")
    first, second = ([tuple(ref) for ref in r.references] for r in parsed.records)
    assert first == second
    assert _countries(parsed) == {"t-1": ["DE", "FR"], "t-2": ["DE", "FR"]}
    assert [ref.value for ref in parsed.records[0].references if ref.column == "competences"] == [
        "c-1",
        "c-2",
    ]


def test_empty_lists_are_refused_after_a_full_row_of_the_same_provider(tmp_path: Path) -> None:
    parsed = _read(tmp_path, "t-1,A,m-1,c-1,DE\nt-2,B,m-1,,\n")
    assert _rejections(parsed) == [
        ("3", "competences", "is empty; an offer teaches at least one competence"),
        ("3", "countries", "is empty; an offer is given in at least one country"),
    ]


def test_lines_are_the_same_with_windows_line_ends(tmp_path: Path) -> None:
    body = "t-1,A,m-1,c-1,Narnia\nt-2,B,m-1,c-1,DE\nt-3,C,m-1,c-1,Narnia\n"
    unix = _read(tmp_path, body)
    windows = _read(tmp_path, body, newline="\r\n")
    assert _rejections(unix) == [("2", "countries", NARNIA), ("4", "countries", NARNIA)]
    assert _rejections(windows) == _rejections(unix)
    assert [r.line for r in windows.records] == [r.line for r in unix.records] == [3]
