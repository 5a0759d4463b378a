"""Reading tabular files (CSV, JSON, XLSX) into rows that remember where they came from."""

from __future__ import annotations

import csv
import io
import json
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from graph.errors import InputError

SUPPORTED_SUFFIXES = (".csv", ".json", ".xlsx")


@dataclass(frozen=True)
class Row:
    """One record: its cells by column name and where it stands in its file."""

    line: int
    cells: dict[str, str]


@dataclass
class Table:
    """The header and records of one file. ``unit`` names what ``Row.line`` counts."""

    file: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    unit: str = "line"

    def where(self, line: int) -> str:
        """``file:line`` for CSV and XLSX, ``file[item N]`` for JSON."""
        return f"{self.file}:{line}" if self.unit == "line" else f"{self.file}[item {line}]"


def decode(data: bytes, file: str, encoding: str | None = None) -> str:
    """Decode a text file as UTF-8 (BOM or not), or refuse it naming what it looks like."""
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as error:
            raise InputError(f"cannot be read as {encoding}: {error}", file=file) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InputError(
            f"is not UTF-8 (byte 0x{data[error.start]:02X} at line {line}, column {column}); "
            "it looks like Windows-1252 or Latin-1: save it as UTF-8, "
            "or name its encoding with --encoding cp1252",
            file=file,
        ) from None


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ";".join(_cell(v) for v in value)
    return str(value).strip()


def _check_header(columns: list[str], file: str) -> list[str]:
    names = [c.strip() for c in columns]
    if not any(names):
        raise InputError("has an empty header row", file=file)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError(f"has the column {name!r} twice", file=file)
        seen.add(name)
    return names


def read_csv(text: str, file: str, delimiter: str = ",") -> Table:
    """Parse CSV text; each row keeps the line its record starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("is empty", file=file) from None
    except csv.Error as error:
        raise InputError(f"is not valid CSV: {error}", file=file) from None
    table = Table(file, _check_header(header, file))
    start = reader.line_num + 1
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                if len(record) > len(table.columns):
                    raise InputError(
                        f"has {len(record)} cells but the header has {len(table.columns)}",
                        file=file,
                        line=start,
                    )
                cells = {c: v.strip() for c, v in zip(table.columns, record, strict=False)}
                table.rows.append(Row(start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        raise InputError(f"is not valid CSV: {error}", file=file, line=start) from None
    return table


def read_json(text: str, file: str) -> Table:
    """Parse a JSON list of objects; ``line`` counts the items from 1."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"is not valid JSON: {error.msg}", file=file, line=error.lineno) from None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise InputError("must hold a JSON list of objects", file=file)
    if not data:
        raise InputError("holds an empty list", file=file)
    columns: list[str] = []
    for item in data:
        columns.extend(k for k in item if k not in columns)
    table = Table(file, columns, unit="item")
    for index, item in enumerate(data, start=1):
        table.rows.append(Row(index, {str(k): _cell(v) for k, v in item.items()}))
    return table


def open_workbook(data: bytes) -> Any:
    """An openpyxl workbook, read-only, without openpyxl's warnings on stderr.

    openpyxl warns about every workbook saved without a default style (as CORDIS and
    many tools write them); the warning says nothing to a user of this tool.
    """
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)


def read_xlsx(data: bytes, file: str) -> Table:
    """Read the first sheet of a workbook; the first row is the header."""
    try:
        workbook = open_workbook(data)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise InputError(
            f"is not a readable XLSX workbook ({type(error).__name__})", file=file
        ) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise InputError("is empty", file=file)
    columns = [_cell(c) for c in header]
    while columns and not columns[-1]:
        columns.pop()
    table = Table(file, _check_header(columns, file))
    for number, values in enumerate(rows, start=2):
        cells = {c: _cell(v) for c, v in zip(table.columns, values, strict=False)}
        if any(cells.values()):
            table.rows.append(Row(number, cells))
    workbook.close()
    return table


def read_table(path: Path, *, encoding: str | None = None, delimiter: str = ",") -> Table:
    """Read a CSV, JSON or XLSX file by its suffix."""
    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot be read: {error.strerror}", file=file) from None
    if not data.strip():
        raise InputError("is empty", file=file)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(data, file)
    text = decode(data, file, encoding)
    if suffix == ".json":
        return read_json(text, file)
    if suffix == ".csv":
        return read_csv(text, file, delimiter)
    raise InputError(
        f"has a type that cannot be read ({suffix or 'no suffix'}); use CSV, JSON or XLSX",
        file=file,
    )
