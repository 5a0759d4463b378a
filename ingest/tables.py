"""Reading tabular files (CSV, JSON, XLSX) into rows that remember where they came from.

This is the layer every reader shares: a file becomes a :class:`Table` of good rows and
a list of :class:`Problem` for the rows it refused, each with its line (or JSON item)
and, where one is to blame, its column. A problem of one row never refuses the file;
only what makes the whole file unusable does (no header, an unreadable encoding, a
bound of :class:`ReadLimits` crossed), as an :class:`~graph.errors.InputError`.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import json
import math
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from graph.errors import InputError

SUPPORTED_SUFFIXES = (".csv", ".json", ".xlsx")

_MB = 1 << 20


#: Deeper JSON would meet Python's recursion limit in the parser.
MAX_JSON_DEPTH = 500


@dataclass(frozen=True)
class ReadLimits:
    """Bounds on what one file may cost to read; a file over one is refused whole.

    ``max_rows`` and ``max_cell_chars`` hold for every format; the workbook bounds are
    checked from the zip directory and the sheet's declared dimension before the
    workbook is opened, so a small file that would expand to gigabytes costs nothing.
    """

    max_file_bytes: int = 200 * _MB
    max_rows: int = 500_000
    max_cell_chars: int = 100_000
    max_json_depth: int = 32
    max_xlsx_uncompressed_bytes: int = 300 * _MB
    max_xlsx_shared_strings_bytes: int = 100 * _MB
    max_xlsx_members: int = 1_000

    def __post_init__(self) -> None:
        if not 1 < self.max_json_depth <= MAX_JSON_DEPTH:
            raise ValueError(f"max_json_depth must be between 2 and {MAX_JSON_DEPTH}")


DEFAULT_LIMITS = ReadLimits()

#: The widest sheet the XLSX format allows (column XFD).
XLSX_MAX_COLUMNS = 16_384


class Row(NamedTuple):
    """One record: its cells by column name and where it stands in its file."""

    line: int
    cells: dict[str, str]


@dataclass(frozen=True)
class Problem:
    """Why a row of a file was refused; a row refused for several reasons has several."""

    line: int
    reason: str
    column: str | None = None


@dataclass
class Table:
    """The header, the good records and the refused rows of one file.

    ``unit`` names what ``Row.line`` counts: a line of a CSV file or a row of a sheet
    (``line``), or an item of a JSON list (``item``).
    """

    file: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    unit: str = "line"
    problems: list[Problem] = field(default_factory=list)
    #: The SHA-256 of the bytes read, when the table was read from a file's bytes.
    sha256: str | None = None

    def where(self, line: int) -> str:
        """``file:line`` for CSV and XLSX, ``file[item N]`` for JSON."""
        return f"{self.file}:{line}" if self.unit == "line" else f"{self.file}[item {line}]"

    @property
    def refused_rows(self) -> int:
        """How many rows the problems refused."""
        return len({problem.line for problem in self.problems})


# --- encodings -------------------------------------------------------------------------

#: Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def decode(data: bytes, file: str, encoding: str | None = None) -> str:
    """Decode a text file, or refuse it naming the encoding it looks like.

    A byte order mark decides (UTF-8, UTF-16 LE/BE, UTF-32); without one the file must
    be UTF-8. An 8-bit file is not guessed at, since Windows-1252, Latin-1 and the
    Central European code pages share their bytes but not their letters: the message
    names the likely one and how to say so (``encoding``).
    """
    if encoding:
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except (UnicodeDecodeError, LookupError) as error:
            raise InputError(f"cannot be read as {encoding}: {error}", file=file) from None
    for mark, codec, name in _BOMS:
        if data.startswith(mark):
            try:
                return data.decode(codec).removeprefix("\ufeff")
            except UnicodeDecodeError as error:
                raise InputError(
                    f"starts with a {name} byte order mark but is not {name} "
                    f"(byte {error.start} cannot be read)",
                    file=file,
                ) from None
    if b"\0" in data:  # valid UTF-8, but no text file holds NUL characters
        likely, likely_codec = _likely_encoding(data)
        found = f"it looks like {likely}" if likely.startswith("UTF-16") else "it is not text"
        option = f": name its encoding with --encoding {likely_codec}" if likely_codec else ""
        raise InputError(f"holds NUL bytes, so {found}{option}", file=file)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        likely, likely_codec = _likely_encoding(data)
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        option = f"--encoding {likely_codec}" if likely_codec else "--encoding"
        raise InputError(
            f"is not UTF-8 (byte 0x{data[error.start]:02X} at line {line}, column {column}); "
            f"it looks like {likely}: save it as UTF-8, or name its encoding with {option}",
            file=file,
        ) from None


def decode_head(head: bytes, encoding: str | None = None) -> str:
    """The start of a text file, decoded for a look at its header (bad bytes replaced)."""
    codec = encoding or next((c for mark, c, _ in _BOMS if head.startswith(mark)), "utf-8")
    return head.decode(codec, errors="replace").removeprefix("\ufeff")


def _likely_encoding(data: bytes) -> tuple[str, str | None]:
    """The encoding a text that is not UTF-8 most likely has: its name and its codec."""
    head = data[:4096]
    even, odd = head[0::2], head[1::2]
    if odd and odd.count(0) > len(odd) // 4 and even.count(0) < len(even) // 8:
        return "UTF-16 LE without a byte order mark", "utf-16-le"
    if even and even.count(0) > len(even) // 4 and odd.count(0) < len(odd) // 8:
        return "UTF-16 BE without a byte order mark", "utf-16-be"
    high = {byte for byte in data if byte >= 0x80}
    if not high & set(range(0x80, 0xA0)):
        return "Latin-1 or Windows-1252 (they read its bytes alike)", "cp1252"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "an 8-bit encoding other than Windows-1252", None
    return "Windows-1252", "cp1252"


# --- cells -----------------------------------------------------------------------------


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


def too_many_rows(file: str, limits: ReadLimits) -> InputError:
    """The error that refuses a file of more rows than ``limits`` allow."""
    return InputError(f"has more than {limits.max_rows:,} rows, the limit of one file", file=file)


def long_cell(line: int, column: str, value: str, limits: ReadLimits) -> Problem | None:
    """The problem of a cell longer than ``limits`` allow; None for one that is not."""
    if len(value) <= limits.max_cell_chars:
        return None
    return Problem(
        line,
        f"holds {len(value):,} characters; a cell may hold {limits.max_cell_chars:,}",
        column,
    )


def add_row(table: Table, line: int, cells: list[str], limits: ReadLimits = DEFAULT_LIMITS) -> None:
    """Add a record read by a layout's own loader as a row of ``table``, or refuse it
    for its over-long cells; cells the record leaves out read as empty."""
    named = list(zip(table.columns, cells, strict=False))
    problems = [p for column, value in named if (p := long_cell(line, column, value, limits))]
    if problems:
        table.problems.extend(problems)
        return
    values = dict.fromkeys(table.columns, "")
    values.update((column, value.strip()) for column, value in named)
    table.rows.append(Row(line, values))


# --- CSV -------------------------------------------------------------------------------

_EOL = re.compile(r"\r\n|\r|\n")
#: A quoted cell: quotes inside are doubled. Unrolled so that a quote never closed
#: fails in linear time.
_QUOTED = re.compile(r'"([^"]*(?:""[^"]*)*)"')


@dataclass
class _Record:
    """One record as scanned: its first line, its cells, and what went wrong."""

    line: int
    cells: list[str]
    #: The index of a cell whose quote closes in the middle of it.
    broken: int | None = None
    #: Whether a quote opened and the file ended before it closed.
    unclosed: bool = False
    #: The first quoted cell that ran past a line end: its line, its cell index, and
    #: where the line after it starts (to read on from there).
    spill: tuple[int, int, int] | None = None


def _line_breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


class _CsvScanner:
    """CSV records with their lines, as RFC 4180 writes them.

    A line without a quote is split; a line of well-formed quoted cells goes through the
    csv module; anything else (a quoted cell over line ends, a broken quote) is scanned
    cell by cell, noting where each quote opened.
    """

    def __init__(self, text: str, delimiter: str) -> None:
        self.text = text
        self.delimiter = delimiter
        d = re.escape(delimiter)
        self._bare = re.compile(f'[^{d}"\\r\\n][^{d}\\r\\n]*|')
        self._rest = re.compile(f"[^{d}\\r\\n]*")
        self.pos = 0
        self.line = 1

    def seek(self, pos: int, line: int) -> None:
        """Read on from ``pos``, which starts line ``line``."""
        self.pos, self.line = pos, line

    def __iter__(self) -> Iterator[_Record]:
        text = self.text
        if self.pos == 0 and '"' not in text:
            # No quote anywhere: every line is a record, split at its delimiters. The text
            # after the last line end is a line only when it holds something. Without a
            # carriage return the line ends are the newlines alone, split at C speed.
            lines = text.split("\n") if "\r" not in text else _EOL.split(text)
            if not lines[-1]:
                lines.pop()
            delimiter = self.delimiter
            for self.line, line in enumerate(lines, start=1):
                yield _Record(self.line, line.split(delimiter))
            self.pos, self.line = len(text), len(lines) + 1
            return
        while self.pos < len(text):
            eol = _EOL.search(text, self.pos)
            end, after = (eol.start(), eol.end()) if eol else (len(text), len(text))
            cells: list[str] | None
            if text.find('"', self.pos, end) < 0:
                cells = text[self.pos : end].split(self.delimiter)
            else:
                cells = self._whole_line(text[self.pos : end])
            if cells is None:
                yield self._quoted_record()
            else:
                record = _Record(self.line, cells)
                self.pos, self.line = after, self.line + 1
                yield record

    def _whole_line(self, line: str) -> list[str] | None:
        """The cells of a line that is a whole record of well-formed quoted cells, or None.

        The csv module, strict, parses such a line at C speed; it refuses a quote still
        open at the line's end or closed in the middle of a cell, and a cell past its size
        limit, which the careful scan then reads.
        """
        try:
            return next(csv.reader((line,), delimiter=self.delimiter, strict=True))
        except csv.Error:
            return None

    def _quoted_record(self) -> _Record:
        text, n, delimiter = self.text, len(self.text), self.delimiter
        record = _Record(self.line, [])
        i, line = self.pos, self.line
        while True:
            if i < n and text[i] == '"':
                opened = line
                match = _QUOTED.match(text, i)
                if match is None:
                    record.unclosed = True
                    record.spill = (opened, len(record.cells), _next_line(text, i))
                    self.pos, self.line = n, line + _line_breaks(text[i:]) + 1
                    return record
                value = match.group(1).replace('""', '"')
                breaks = _line_breaks(value)
                if breaks and record.spill is None:
                    record.spill = (opened, len(record.cells), _next_line(text, i))
                line += breaks
                i = match.end()
                if i < n and text[i] not in (delimiter, "\r", "\n"):
                    # Read on to the cell's end as the csv module does, so the cells after it
                    # keep their columns.
                    if record.broken is None:
                        record.broken = len(record.cells)
                    rest = self._rest.match(text, i)
                    assert rest is not None
                    value += rest.group()
                    i = rest.end()
            else:
                bare = self._bare.match(text, i)
                assert bare is not None  # the pattern also matches the empty cell
                value = bare.group()
                i = bare.end()
            record.cells.append(value)
            if i < n and text[i] == delimiter:
                i += 1
                continue
            if text.startswith("\r\n", i):
                i += 2
            elif i < n:
                i += 1
            self.pos, self.line = i, line + 1
            return record


def _next_line(text: str, pos: int) -> int:
    eol = _EOL.search(text, pos)
    return eol.end() if eol else len(text)


def _column_name(columns: list[str], index: int) -> str:
    return columns[index] if index < len(columns) else f"cell {index + 1}"


def read_csv(
    text: str,
    file: str,
    delimiter: str = ",",
    *,
    limits: ReadLimits = DEFAULT_LIMITS,
    short_rows: bool = False,
) -> Table:
    """Parse CSV text; each row keeps the line its record starts on.

    A row with more or fewer cells than the header, an over-long cell or a broken quote
    is refused with its line; the rest of the file is read. With ``short_rows`` a row
    may stop after its last cell that holds something (published files such as ESCO's
    ``skillsHierarchy_en.csv`` do), the cells it leaves out read as empty. A quoted cell may run over
    line ends (a multi-line description). When it leaves its record with the wrong
    number of cells, or closes in the middle of a cell, or never closes, the quote is
    taken as unterminated: the row is refused at the line where the quote opened and
    reading goes on from the next line, so the rows it would have swallowed are read
    as rows.
    """
    scanner = _CsvScanner(text, delimiter)
    records = iter(scanner)
    header = next(records, None)
    if header is None:
        raise InputError("is empty", file=file)
    if header.unclosed or header.broken is not None or header.spill:
        raise InputError("has a quote in its header row that does not close on it", file=file)
    table = Table(file, _check_header(header.cells, file))
    width = len(table.columns)
    counted = 0
    for record in records:
        if not record.unclosed and not "".join(record.cells).strip():
            continue
        counted += 1
        if counted > limits.max_rows:
            raise too_many_rows(file, limits)
        misfit = len(record.cells) > width or (len(record.cells) < width and not short_rows)
        broken = record.unclosed or record.broken is not None or misfit
        if record.spill and broken:
            line, index, resume = record.spill
            table.problems.append(
                Problem(
                    line,
                    "has a quote that opens here and does not close on this line; it is taken "
                    "as unterminated, and the lines after it are read as rows",
                    _column_name(table.columns, index),
                )
            )
            scanner.seek(resume, line + 1)
            continue
        problems: list[Problem] = []
        if record.broken is not None:
            problems.append(
                Problem(
                    record.line,
                    "has text after the quote that closes this cell",
                    _column_name(table.columns, record.broken),
                )
            )
        if misfit:
            problems.append(
                Problem(record.line, f"has {len(record.cells)} cells but the header has {width}")
            )
        if max(map(len, record.cells)) > limits.max_cell_chars:
            for index, value in enumerate(record.cells):
                long = long_cell(record.line, _column_name(table.columns, index), value, limits)
                if long:
                    problems.append(long)
        if problems:
            table.problems.extend(problems)
            continue
        values = record.cells + [""] * (width - len(record.cells))
        cells = dict(zip(table.columns, map(str.strip, values), strict=True))
        table.rows.append(Row(record.line, cells))
    return table


# --- JSON ------------------------------------------------------------------------------

_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
#: Longer integers cannot be a value of any field (Python refuses past 4,300 digits).
_MAX_INT_DIGITS = 64


@dataclass(frozen=True)
class _Unusable:
    """A JSON number that parses but is no value: non-finite, or absurdly long."""

    text: str
    why: str


def _json_float(text: str) -> float | _Unusable:
    value = float(text)
    return value if math.isfinite(value) else _Unusable(text, "is not a finite number")


def _json_int(text: str) -> int | _Unusable:
    if len(text.lstrip("-")) > _MAX_INT_DIGITS:
        return _Unusable(f"{text[:12]}...", f"has more than {_MAX_INT_DIGITS} digits")
    return int(text)


def _json_constant(text: str) -> _Unusable:
    return _Unusable(text, "is not a finite number")


def _too_deep(text: str, max_depth: int) -> bool:
    """Whether brackets nest deeper than ``max_depth``, strings left out (no recursion)."""
    depth = 0
    for bracket in _NOT_BRACKET.sub("", _JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > max_depth:
            return True
    return False


def _json_kind(value: object) -> str:
    return "an object" if isinstance(value, dict) else "a list" if isinstance(value, list) else ""


def _json_cell(value: object) -> str:
    """A JSON value as a cell: a scalar, or a list of scalars joined by ``;``."""
    if isinstance(value, _Unusable):
        raise ValueError(f"{value.text} {value.why}")
    if isinstance(value, dict):
        raise ValueError("is an object; a field holds a value or a list of values")
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list):
                raise ValueError(f"is a list holding {_json_kind(item)}; it may hold values only")
            if isinstance(item, _Unusable):
                raise ValueError(f"holds {item.text}, which {item.why}")
        return ";".join(_cell(item) for item in value)
    return _cell(value)


def read_json(text: str, file: str, *, limits: ReadLimits = DEFAULT_LIMITS) -> Table:
    """Parse a JSON list of objects; ``line`` counts the items from 1.

    A field holding an object, a list of objects or lists, or a number that is not
    finite (``1e400``, ``NaN``, ``Infinity``) refuses its item, naming the field.
    """
    if _too_deep(text, limits.max_json_depth):
        raise InputError(
            f"nests lists or objects deeper than {limits.max_json_depth} levels", file=file
        )
    try:
        data = json.loads(
            text, parse_float=_json_float, parse_int=_json_int, parse_constant=_json_constant
        )
    except json.JSONDecodeError as error:
        raise InputError(f"is not valid JSON: {error.msg}", file=file, line=error.lineno) from None
    if not isinstance(data, list):
        raise InputError("must hold a JSON list of objects", file=file)
    if not data:
        raise InputError("holds an empty list", file=file)
    if len(data) > limits.max_rows:
        raise too_many_rows(file, limits)
    columns: list[str] = []
    for item in data:
        if isinstance(item, dict):
            columns.extend(k for k in item if k not in columns)
    table = Table(file, columns, unit="item")
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            what = _json_kind(item) or f"the value {str(item)[:40]!r}"
            table.problems.append(Problem(index, f"is {what}, not an object"))
            continue
        cells: dict[str, str] = {}
        problems: list[Problem] = []
        for key, value in item.items():
            try:
                cells[key] = _json_cell(value)
            except ValueError as error:
                problems.append(Problem(index, str(error), key))
                continue
            long = long_cell(index, key, cells[key], limits)
            if long:
                problems.append(long)
        if problems:
            table.problems.extend(problems)
        else:
            table.rows.append(Row(index, cells))
    return table


# --- XLSX ------------------------------------------------------------------------------

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]*)(\d*)(?::([A-Z]+)(\d+))?"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s/>]")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def check_workbook(data: bytes, file: str, limits: ReadLimits = DEFAULT_LIMITS) -> None:
    """Refuse a workbook that would cost more than ``limits`` to open, from its zip
    directory and the dimension its sheets declare, before any of it is expanded."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise InputError("is not a readable XLSX workbook (not a zip archive)", file=file) from None
    try:
        with archive:
            _check_archive(archive, file, limits)
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as error:
        # A damaged, encrypted or oddly compressed part.
        raise InputError(
            f"is not a readable XLSX workbook ({type(error).__name__} in its zip archive)",
            file=file,
        ) from None


def _check_archive(archive: zipfile.ZipFile, file: str, limits: ReadLimits) -> None:
    members = archive.infolist()
    if len(members) > limits.max_xlsx_members:
        raise InputError(
            f"holds {len(members):,} parts; a workbook may hold {limits.max_xlsx_members:,}",
            file=file,
        )
    expanded = sum(member.file_size for member in members)
    if expanded > limits.max_xlsx_uncompressed_bytes:
        raise InputError(
            f"expands to {expanded / _MB:,.0f} MB; a workbook may expand to "
            f"{limits.max_xlsx_uncompressed_bytes / _MB:,.0f} MB",
            file=file,
        )
    for member in members:
        name = member.filename.lower()
        if name.endswith("sharedstrings.xml"):
            if member.file_size > limits.max_xlsx_shared_strings_bytes:
                raise InputError(
                    f"has {member.file_size / _MB:,.0f} MB of shared strings; a workbook "
                    f"may have {limits.max_xlsx_shared_strings_bytes / _MB:,.0f} MB",
                    file=file,
                )
        elif name.startswith("xl/worksheets/") and name.endswith(".xml"):
            _check_dimension(archive, member.filename, file, limits)


def _check_dimension(archive: zipfile.ZipFile, member: str, file: str, limits: ReadLimits) -> None:
    with archive.open(member) as sheet:
        head = sheet.read(1 << 14)
    found = _DIMENSION.search(head)
    if not found:
        return
    first_col, first_row, last_col, last_row = (g.decode() for g in found.groups(b""))
    rows = int(last_row or first_row or 1)
    columns = _column_number(last_col or first_col or "A")
    ref = found.group(0).decode().split('"')[1]
    if rows > limits.max_rows + 1:
        raise InputError(
            f"declares a sheet of {rows:,} rows ({ref}); a file may have {limits.max_rows:,}",
            file=file,
        )
    if columns > XLSX_MAX_COLUMNS:
        raise InputError(f"declares a sheet wider than the XLSX format allows ({ref})", file=file)


def _load_workbook(data: bytes, *, values: bool) -> Any:
    """openpyxl's read-only workbook, without openpyxl's warnings on stderr.

    openpyxl warns about every workbook saved without a default style (as CORDIS and
    many tools write them); the warning says nothing to a user of this tool. ``values``
    gives the values saved for formulas, not the formulas.
    """
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=values)


def open_workbook(data: bytes, file: str, limits: ReadLimits = DEFAULT_LIMITS) -> Any:
    """A workbook opened read-only for its saved values, checked by :func:`check_workbook`
    first; a damaged one is an :class:`~graph.errors.InputError` naming the file."""
    check_workbook(data, file, limits)
    try:
        return _load_workbook(data, values=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise InputError(
            f"is not a readable XLSX workbook ({type(error).__name__})", file=file
        ) from None


def workbook_header(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> list[str]:
    """The header of a workbook's first sheet, the workbook checked first."""
    workbook = open_workbook(read_bytes(path, limits), str(path), limits)
    try:
        first = next(workbook.worksheets[0].iter_rows(max_row=1, values_only=True), ())
    finally:
        workbook.close()
    return [str(c).strip() for c in first if c is not None]


def _has_formulas(archive: zipfile.ZipFile, member: str) -> bool:
    """Whether a sheet holds a formula, read in chunks (its size is already bounded)."""
    tail = b""
    with archive.open(member) as sheet:
        while chunk := sheet.read(1 << 20):
            if _FORMULA.search(tail + chunk):
                return True
            tail = chunk[-8:]
    return False


def read_xlsx(data: bytes, file: str, *, limits: ReadLimits = DEFAULT_LIMITS) -> Table:
    """Read the first sheet of a workbook, streaming; the first row is the header.

    The workbook is checked by :func:`check_workbook` first. Values are the ones the
    workbook saved for its formulas; a formula saved without a value refuses its row,
    naming the cell.
    """
    workbook = open_workbook(data, file, limits)
    try:
        return _read_sheet(workbook, workbook.worksheets[0], data, file, limits)
    except InputError:
        raise
    except Exception as error:  # a damaged sheet fails while it is streamed
        raise InputError(
            f"is not a readable XLSX workbook ({type(error).__name__} in its first sheet)",
            file=file,
        ) from None
    finally:
        workbook.close()


def _read_sheet(workbook: Any, sheet: Any, data: bytes, file: str, limits: ReadLimits) -> Table:
    """The rows of an opened workbook's first sheet (see :func:`read_xlsx`)."""
    from openpyxl.utils import get_column_letter

    formulas: Any = None
    try:
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        columns = [_cell(c) for c in header or ()]
        while columns and not columns[-1]:
            columns.pop()
        rest = itertools.islice(rows, limits.max_rows)
        if not columns and any(any(v is not None for v in values) for values in rest):
            raise InputError("has an empty header row", file=file)
        if not columns:
            others = workbook.sheetnames[1:]
            also = (
                f"; only the first sheet is read, and the workbook's other sheets "
                f"({', '.join(repr(name) for name in others)}) are not"
                if others
                else ""
            )
            raise InputError(f"has an empty first sheet {sheet.title!r}{also}", file=file)
        table = Table(file, _check_header(columns, file))
        if _has_formulas(workbook._archive, sheet._worksheet_path):
            formulas = _load_workbook(data, values=False)
            formula_rows: Iterator[Any] = formulas.worksheets[0].iter_rows(min_row=2)
        else:
            formula_rows = iter(())
        width = len(table.columns)
        for number, values in enumerate(rows, start=2):
            if number > limits.max_rows + 1:
                raise too_many_rows(file, limits)
            saved = next(formula_rows, ())
            cells = {c: _cell(v) for c, v in zip(table.columns, values, strict=False)}
            problems: list[Problem] = []
            for index, cell in enumerate(saved):
                if cell.data_type == "f" and index < len(values) and values[index] is None:
                    problems.append(
                        Problem(
                            number,
                            f"cell {get_column_letter(index + 1)}{number} holds the formula "
                            f"{str(cell.value)[:60]} with no saved value; open the workbook "
                            "in a spreadsheet program and save it, or paste its values",
                            _column_name(table.columns, index),
                        )
                    )
            extra = [i for i, v in enumerate(values[width:], start=width) if _cell(v)]
            if extra:
                problems.append(
                    Problem(
                        number,
                        f"has a value in column {get_column_letter(extra[0] + 1)}, "
                        f"beyond the header's {width} columns",
                    )
                )
            for column, value in cells.items():
                long = long_cell(number, column, value, limits)
                if long:
                    problems.append(long)
            if problems:
                table.problems.extend(problems)
            elif any(cells.values()):
                table.rows.append(Row(number, cells))
        return table
    finally:
        if formulas is not None:
            formulas.close()


def read_bytes(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a file no bigger than ``limits`` allow."""
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise InputError(
                f"is {size / _MB:,.1f} MB; a file may be {limits.max_file_bytes / _MB:,.0f} MB",
                file=str(path),
            )
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot be read: {error.strerror}", file=str(path)) from None


# --- any file --------------------------------------------------------------------------


def read_table(
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str = ",",
    limits: ReadLimits = DEFAULT_LIMITS,
    short_rows: bool = False,
) -> Table:
    """Read a CSV, JSON or XLSX file by its suffix, within ``limits``.

    ``short_rows`` lets a CSV row leave out its trailing empty cells (see :func:`read_csv`).
    """
    file = str(path)
    data = read_bytes(path, limits)
    if not data.strip():
        raise InputError("is empty", file=file)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        table = read_xlsx(data, file, limits=limits)
    elif suffix in (".json", ".csv"):
        text = decode(data, file, encoding)
        if suffix == ".json":
            table = read_json(text, file, limits=limits)
        else:
            table = read_csv(text, file, delimiter, limits=limits, short_rows=short_rows)
    else:
        raise InputError(
            f"has a type that cannot be read ({suffix or 'no suffix'}); use CSV, JSON or XLSX",
            file=file,
        )
    table.sha256 = hashlib.sha256(data).hexdigest()
    return table
