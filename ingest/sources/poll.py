"""Poll exports: answers from a polling tool, mapped onto blocker and goal questions.

Tools write their exports differently, so a small mapping file (YAML) says which column
is what::

    preset: microsoft-forms      # optional: google-forms, microsoft-forms, surveymonkey,
                                 # limesurvey
    layout: wide                 # wide: one column per question; long: one row per answer
    header_rows: 1               # 2 for a question row over a row of choices (SurveyMonkey)
    respondent: Organisation     # column naming the respondent (an organisation), optional
    time: Completion time        # column with the time of the answer, optional
    question: Question           # long layout: the column holding the question
    answer: Answer               # long layout: the column holding the answer
    separator: ";"               # between the choices of a multiple-choice answer
    questions:                   # question (a header, or a cell of the question column)
      "What blocks cooperation on skills?": blocker
      "What do you expect from the partnership? #2": goal   # its second column
    choices:                     # optional: a multiple-choice option -> priority id
      "Not enough money or staff": limited-resources
    ignore: [Department]         # optional: columns known not to be questions

Columns are named as the export names them:

* a title the form repeats is named by its position among the columns of that title,
  ``Title #1``, ``Title #2``; a repeated title that is not mapped is ignored, a mapped
  one must be named with its position;
* with two header rows, a column is ``Question > Choice``: the question of the first
  row is carried over the empty cells after it, and a mapping may name the question
  (every column under it), the choice row's text or both;
* a column without a name is ``(column N)`` and is used for nothing unless mapped: no
  respondent is ever guessed.

The report lists every column that was ignored. A choice that the mapping names, or
that is a priority's id or label, raises that priority directly; any other answer is
free text for :mod:`ingest.classify`.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from graph.errors import InputError
from ingest.normalise import fold
from ingest.records import PollAnswer
from ingest.report import Rejection
from ingest.sources.common import Layout, Loaded, SourceFormat, SourceOptions, SourceRead
from ingest.tables import (
    ReadLimits,
    Table,
    add_row,
    decode,
    open_workbook,
    read_bytes,
    too_many_rows,
)

#: Between the question and the choice of a column under two header rows.
CHOICE_SEPARATOR = " > "
_POSITION = re.compile(r"^(.*\S)\s+#(\d+)$")


class PollMapping(BaseModel):
    """Which column of a poll export is what, and which question is which kind."""

    # Built on first validation: only an ingest with a mapping file validates one.
    model_config = {"extra": "forbid", "defer_build": True}

    preset: Literal["google-forms", "microsoft-forms", "surveymonkey", "limesurvey"] | None = None
    layout: Literal["wide", "long"] = "wide"
    header_rows: int = Field(default=1, ge=1, le=2)
    respondent: str | None = None
    time: str | list[str] | None = None
    question: str | None = None
    answer: str | None = None
    separator: str | None = None
    questions: dict[str, Literal["blocker", "goal"]] = Field(default_factory=dict)
    choices: dict[str, str] = Field(default_factory=dict)
    ignore: list[str] = Field(default_factory=list)


#: Layouts documented by their tools: the columns they always write (in the languages
#: their interfaces export in) and how a multiple-choice answer joins its choices.
#: Anything set in the mapping file wins.
_GOOGLE_TIMESTAMPS = ["Timestamp", "Marca temporal", "Horodateur", "Zeitstempel",
                      "Informazioni cronologiche", "Carimbo de data/hora", "Tijdstempel",
                      "Sygnatura czasowa", "Časová značka", "Tidsstämpel", "Időbélyeg"]  # fmt: skip
_MICROSOFT_TIMES = ["Start time", "Completion time", "Last modified time",
                    "Heure de début", "Heure de fin", "Startzeit", "Fertigstellungszeit",
                    "Hora de inicio", "Hora de finalización", "Ora di inizio",
                    "Ora di completamento", "Begintijd", "Tijd van voltooien",
                    "Godzina rozpoczęcia", "Godzina ukończenia"]  # fmt: skip
PRESETS: dict[str, dict[str, object]] = {
    # Google Forms "Download responses (.csv)": a timestamp column (titled in the form
    # owner's language), then one column per question titled with the question (a title
    # may repeat); checkbox answers are joined with ", ".
    "google-forms": {
        "layout": "wide",
        "time": _GOOGLE_TIMESTAMPS,
        "separator": ", ",
        "ignore": [
            *_GOOGLE_TIMESTAMPS,
            "Email Address",
            "Email address",
            "Score",
            "Dirección de correo electrónique",
            "Adresse e-mail",
            "E-Mail-Adresse",
            "Puntuación",
            "Punkte",
            "Score total",
        ],
    },
    # Microsoft Forms "Open results in Excel": ID, Start time, Completion time, Email,
    # Name (and Last modified time), in the owner's language, then one column per
    # question; multiple-choice answers are joined with ";" (with a trailing ";").
    "microsoft-forms": {
        "layout": "wide",
        "time": [
            "Completion time",
            "Heure de fin",
            "Fertigstellungszeit",
            "Hora de finalización",
            "Ora di completamento",
            "Tijd van voltooien",
            "Godzina ukończenia",
        ],
        "separator": ";",
        "ignore": [
            "ID",
            "Email",
            "Name",
            *_MICROSOFT_TIMES,
            "Adresse de messagerie",
            "Nom",
            "E-Mail",
            "Correo electrónico",
            "Nombre",
            "Posta elettronica",
            "Nome",
            "E-mail",
            "Naam",
            "Adres e-mail",
            "Nazwa",
        ],
    },
    # SurveyMonkey "All responses data" (CSV, expanded): two header rows, the question
    # over its first column and the choices (or "Response") below; a chosen option is
    # written as its own text in its column.
    "surveymonkey": {
        "layout": "wide",
        "header_rows": 2,
        "time": "End Date",
        "ignore": [
            "Respondent ID",
            "Collector ID",
            "Start Date",
            "End Date",
            "IP Address",
            "Email Address",
            "First Name",
            "Last Name",
            "Custom Data 1",
        ],
    },
    # LimeSurvey "Export results" (CSV, full answers, question text as headings).
    "limesurvey": {
        "layout": "wide",
        "time": "Date submitted",
        "ignore": [
            "Response ID",
            "Date submitted",
            "Last page",
            "Start language",
            "Seed",
            "Date started",
            "Date last action",
            "IP address",
            "Referrer URL",
        ],
    },
}


def load_mapping(path: Path) -> PollMapping:
    """Read a poll mapping file, with its preset applied under what it says itself."""
    import yaml  # only a poll ingest reads YAML; every ingest imports this module

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise InputError(f"cannot be read as a YAML mapping: {error}", file=str(path)) from None
    if not isinstance(data, dict):
        raise InputError("must be a YAML mapping of settings", file=str(path))
    preset = PRESETS.get(str(data.get("preset")), {})
    merged = {**preset, **data}
    if "ignore" in data and "ignore" in preset:
        merged["ignore"] = [*preset["ignore"], *data["ignore"]]  # type: ignore[misc]
    try:
        mapping = PollMapping.model_validate(merged)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"{where}: {first['msg']}", file=str(path)) from None
    if mapping.layout == "long" and not (mapping.question and mapping.answer):
        raise InputError("a long layout names its question and answer columns", file=str(path))
    if not mapping.questions:
        raise InputError("names no question (questions: text -> blocker or goal)", file=str(path))
    return mapping


# -- the columns of an export ------------------------------------------------------------
def column_names(header_rows: list[list[str]]) -> list[str]:
    """Unique names of the columns under one or two header rows (see the module's notes).

    >>> column_names([["Q1", "", "", "Q2"], ["A", "B", "A", "Response"]])
    ['Q1 > A #1', 'Q1 > B', 'Q1 > A #2', 'Q2 > Response']
    >>> column_names([["Name", "Comment", "", "Comment"]])
    ['Name', 'Comment #1', '(column 3)', 'Comment #2']
    """
    width = max(len(row) for row in header_rows)
    rows = [[c.strip() for c in row] + [""] * (width - len(row)) for row in header_rows]
    names: list[str] = []
    question = ""
    for position in range(width):
        top = rows[0][position]
        if len(rows) == 1:
            names.append(top)
            continue
        question = top or question
        choice = rows[1][position]
        parts = [p for p in (question, choice) if p]
        names.append(CHOICE_SEPARATOR.join(dict.fromkeys(parts)))
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    seen: dict[str, int] = {}
    unique: list[str] = []
    for position, name in enumerate(names, start=1):
        if not name:
            unique.append(f"(column {position})")
            continue
        seen[name] = seen.get(name, 0) + 1
        unique.append(f"{name} #{seen[name]}" if counts[name] > 1 else name)
    return unique


def _grid(
    path: Path, encoding: str | None, delimiter: str, limits: ReadLimits, header_rows: int
) -> list[tuple[int, list[str]]]:
    """Every record of a CSV or XLSX export with the line it starts on, header rows too."""
    file = str(path)
    most = limits.max_rows + header_rows
    data = read_bytes(path, limits)
    records: list[tuple[int, list[str]]] = []
    if path.suffix.lower() == ".xlsx":
        workbook = open_workbook(data, file, limits)
        try:
            sheet = workbook.worksheets[0].iter_rows(values_only=True)
            for number, values in enumerate(sheet, start=1):
                if number > most:
                    raise too_many_rows(file, limits)
                records.append((number, ["" if v is None else str(v).strip() for v in values]))
        finally:
            workbook.close()
        return records
    reader = csv.reader(io.StringIO(decode(data, file, encoding), newline=""), delimiter=delimiter)
    start = 1
    try:
        for record in reader:
            if len(records) >= most:
                raise too_many_rows(file, limits)
            records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as error:
        raise InputError(f"is not valid CSV: {error}", file=file, line=start) from None
    return records


def load_export(
    path: Path, encoding: str | None, delimiter: str, options: SourceOptions, limits: ReadLimits
) -> Loaded:
    """The table of a poll export, its columns named as :func:`column_names` says."""
    mapping = options.poll_mapping
    if mapping is None:
        raise InputError("a poll export needs a mapping file (--mapping poll-mapping.yaml)",
                         file=str(path))  # fmt: skip
    records = _grid(path, encoding, delimiter, limits, mapping.header_rows)
    if len(records) < mapping.header_rows or not any(
        any(c.strip() for c in r) for _, r in records[: mapping.header_rows]
    ):
        raise InputError("has no header row", file=str(path))
    columns = column_names([cells for _, cells in records[: mapping.header_rows]])
    table = Table(str(path), columns)
    for line, cells in records[mapping.header_rows :]:
        if any(c.strip() for c in cells):
            add_row(table, line, cells, limits)
    return Loaded(table)


def _parts(column: str) -> tuple[str, ...]:
    """The names a column answers to: its whole name, without its position, its question
    and its choice."""
    found = _POSITION.match(column)
    bare = found.group(1) if found else column
    return (column, bare, *bare.split(CHOICE_SEPARATOR))


def _names(wanted: str, column: str) -> bool:
    """Whether a mapping's name (a title, ``Title #2``, a question) names a column.

    A question of ten letters or more also names the columns whose title starts with it
    (tools cut or extend long titles).
    """
    key = fold(wanted)
    if not key:
        return False
    if _POSITION.match(wanted):
        return key == fold(column)
    return any(key == fold(p) or (len(key) >= 10 and fold(p).startswith(key))
               for p in _parts(column)[1:])  # fmt: skip


def _repeated(wanted: str, columns: list[str]) -> list[str]:
    """Columns of a repeated title that a name without its position would stand for."""
    if not fold(wanted) or _POSITION.match(wanted):
        return []
    return [c for c in columns
            if (found := _POSITION.match(c)) and fold(found.group(1)) == fold(wanted)]  # fmt: skip


def _question_kind(mapping: PollMapping, text: str) -> str | None:
    for question, kind in mapping.questions.items():
        if _names(question, text):
            return kind
    return None


def _column(mapping_name: str | None, columns: list[str]) -> str | None:
    """The one column a mapping setting (respondent, time) names, or None."""
    if not mapping_name:
        return None
    return next((c for c in columns if _names(mapping_name, c)), None)


def _answer(mapping: PollMapping, line: int, respondent: str, kind: str, text: str) -> PollAnswer:
    separator = mapping.separator
    parts = [p.strip() for p in text.split(separator)] if separator else [text]
    parts = [p for p in parts if p]
    choices = {fold(k): v for k, v in mapping.choices.items()}
    direct = tuple(dict.fromkeys(choices[fold(p)] for p in parts if fold(p) in choices))
    rest = tuple(p for p in parts if fold(p) not in choices)
    if direct and not rest:
        return PollAnswer(line, respondent, kind, text, priorities=direct)
    return PollAnswer(line, respondent, kind, text, priorities=direct,
                      choices=rest if len(parts) > 1 else ())  # fmt: skip


def required_columns(mapping: PollMapping) -> tuple[str, ...]:
    """The columns a file must have under a mapping."""
    if mapping.layout == "long":
        return tuple(c for c in (mapping.question, mapping.answer) if c)
    return ()


def _ambiguous(mapping: PollMapping, columns: list[str]) -> str | None:
    """Why a mapping cannot be applied: a repeated title named without its position."""
    for name in [*mapping.questions, mapping.respondent or ""]:
        repeated = _repeated(name, columns)
        if len(repeated) > 1:
            listed = ", ".join(repr(c) for c in repeated)
            return (f"the mapping names {name!r}, which is the title of several columns "
                    f"({listed}); name the one meant with its position")  # fmt: skip
    return None


def read_export(table: Table, options: SourceOptions) -> SourceRead:
    """Answers of a poll export, one per non-empty answer cell (wide) or row (long)."""
    assert options.poll_mapping is not None  # the loader refuses an export without one
    mapping = options.poll_mapping
    result = SourceRead()
    columns = table.columns
    if mapping.layout == "long":
        missing = [c for c in required_columns(mapping) if _column(c, columns) is None]
        if missing:
            plural = "s" if len(missing) > 1 else ""
            result.error = f"misses the required column{plural} {', '.join(missing)}"
            return result
    result.error = _ambiguous(mapping, columns)
    if result.error:
        return result
    respondent = _column(mapping.respondent, columns)
    times = mapping.time if isinstance(mapping.time, list) else [mapping.time or ""]
    used = {c for c in (respondent, *(_column(t, columns) for t in times),
                        _column(mapping.question, columns), _column(mapping.answer, columns)) if c}  # fmt: skip
    known = {c for c in columns for name in mapping.ignore if _names(name, c)} | used
    if mapping.respondent and respondent is None:
        result.notices.append(
            f"has no respondent column {mapping.respondent!r}: answers are anonymous"
        )
    if mapping.layout == "wide":
        questions = {c: _question_kind(mapping, c) for c in columns if c not in known}
        unmapped = [c for c, k in questions.items() if k is None]
        if unmapped:
            result.notices.append(f"ignored the unmapped columns {', '.join(unmapped)}")
        if not any(questions.values()):
            result.rejected.append(Rejection(location=table.file, reason="has none of the mapped question columns"))  # fmt: skip
            return result
        for row in table.rows:
            who = row.cells.get(respondent, "").strip() if respondent else ""
            for column, kind in questions.items():
                text = row.cells.get(column, "").strip()
                if kind and text:
                    result.answers.append(_answer(mapping, row.line, who, kind, text))
        return result
    question_column = _column(mapping.question, columns) or ""
    answer_column = _column(mapping.answer, columns) or ""
    unmapped_questions: dict[str, int] = {}
    for row in table.rows:
        question = row.cells.get(question_column, "").strip()
        text = row.cells.get(answer_column, "").strip()
        if not text:
            continue
        kind = _question_kind(mapping, question)
        if kind is None:
            unmapped_questions[question] = unmapped_questions.get(question, 0) + 1
            result.skipped += 1
            continue
        who = row.cells.get(respondent, "").strip() if respondent else ""
        result.answers.append(_answer(mapping, row.line, who, kind, text))
    if unmapped_questions:
        listed = ", ".join(f"{q!r} ({n})" for q, n in unmapped_questions.items())
        result.notices.append(f"ignored answers to unmapped questions: {listed}")
    others = [c for c in columns if c not in known]
    if others:
        result.notices.append(f"ignored the unmapped columns {', '.join(others)}")
    return result


def direct_priorities(answer: PollAnswer, names: dict[str, str]) -> list[str] | None:
    """Priorities a multiple-choice answer names (by id or label), or None for free text.

    ``names`` maps a folded priority id or label to the priority's id. An answer whose
    choices do not all name a priority is free text (plus what the mapping named).
    """
    parts = answer.choices or ((answer.answer,) if not answer.priorities else ())
    named = [names.get(fold(p)) for p in parts]
    if all(named):
        return sorted(set(answer.priorities) | {n for n in named if n})
    return None


EXPORT = Layout(
    "poll_export", SourceFormat.POLL, None, (), 90, read_export, poll=True,
    loader=load_export, title="a poll export read with a mapping file",
)  # fmt: skip
