"""Poll exports: answers from a polling tool, mapped onto blocker and goal questions.

Tools write their exports differently, so a small mapping file (YAML) says which column
is what::

    preset: microsoft-forms      # optional: google-forms, microsoft-forms
    layout: wide                 # wide: one column per question; long: one row per answer
    respondent: Organisation     # column naming the respondent (an organisation), optional
    time: Completion time        # column with the time of the answer, optional
    question: Question           # long layout: the column holding the question
    answer: Answer               # long layout: the column holding the answer
    separator: ";"               # between the choices of a multiple-choice answer
    questions:                   # question (a header, or a cell of the question column)
      "What blocks cooperation on skills?": blocker
      "What do you expect from the partnership?": goal
    choices:                     # optional: a multiple-choice option -> priority id
      "Not enough money or staff": limited-resources
    ignore: [Department]         # optional: columns known not to be questions

A choice that the mapping names, or that is a priority's id or label, raises that
priority directly; any other answer is free text for :mod:`ingest.classify`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError

from graph.errors import InputError
from ingest.normalise import fold
from ingest.records import PollAnswer
from ingest.report import Rejection
from ingest.sources.common import Layout, Loaded, SourceFormat, SourceOptions, SourceRead
from ingest.tables import Table, read_table


class PollMapping(BaseModel):
    """Which column of a poll export is what, and which question is which kind."""

    model_config = {"extra": "forbid"}

    preset: Literal["google-forms", "microsoft-forms"] | None = None
    layout: Literal["wide", "long"] = "wide"
    respondent: str | None = None
    time: str | None = None
    question: str | None = None
    answer: str | None = None
    separator: str | None = None
    questions: dict[str, Literal["blocker", "goal"]] = Field(default_factory=dict)
    choices: dict[str, str] = Field(default_factory=dict)
    ignore: list[str] = Field(default_factory=list)


#: Layouts documented by their tools: the columns they always write and how a
#: multiple-choice answer joins its choices. Anything set in the mapping file wins.
PRESETS: dict[str, dict[str, object]] = {
    # Google Forms "Download responses (.csv)": a Timestamp column, then one column per
    # question (titled with the question); checkbox answers are joined with ", ".
    "google-forms": {
        "layout": "wide",
        "time": "Timestamp",
        "separator": ", ",
        "ignore": ["Timestamp", "Email Address", "Email address", "Score"],
    },
    # Microsoft Forms "Open results in Excel": ID, Start time, Completion time, Email,
    # Name (and Last modified time), then one column per question; multiple-choice
    # answers are joined with ";" (with a trailing ";").
    "microsoft-forms": {
        "layout": "wide",
        "time": "Completion time",
        "separator": ";",
        "ignore": ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"],
    },
}


def load_mapping(path: Path) -> PollMapping:
    """Read a poll mapping file, with its preset applied under what it says itself."""
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


def _question_kind(mapping: PollMapping, text: str) -> str | None:
    folded = fold(text)
    for question, kind in mapping.questions.items():
        key = fold(question)
        if folded == key or (len(key) >= 10 and folded.startswith(key)):
            return kind
    return None


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


def read_export(table: Table, options: SourceOptions) -> SourceRead:
    """Answers of a poll export, one per non-empty answer cell (wide) or row (long)."""
    assert options.poll_mapping is not None  # the loader refuses an export without one
    mapping = options.poll_mapping
    result = SourceRead()
    missing = [c for c in required_columns(mapping) if c not in table.columns]
    if missing:
        result.error = (
            f"misses the required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
        )
        return result
    roles = {c for c in (mapping.respondent, mapping.time, mapping.question, mapping.answer) if c}
    ignored = {fold(c) for c in mapping.ignore} | {fold(c) for c in roles}
    if mapping.respondent and mapping.respondent not in table.columns:
        result.notices.append(
            f"has no respondent column {mapping.respondent!r}: answers are anonymous"
        )
    if mapping.layout == "wide":
        questions = {c: _question_kind(mapping, c) for c in table.columns}
        unmapped = [c for c, k in questions.items() if k is None and fold(c) not in ignored]
        if unmapped:
            result.notices.append(f"ignored the unmapped columns {', '.join(unmapped)}")
        if not any(questions.values()):
            result.rejected.append(Rejection(location=table.file, reason="has none of the mapped question columns"))  # fmt: skip
            return result
        for row in table.rows:
            respondent = row.cells.get(mapping.respondent or "", "").strip()
            for column, kind in questions.items():
                text = row.cells.get(column, "").strip()
                if kind and text:
                    result.answers.append(_answer(mapping, row.line, respondent, kind, text))
        return result
    unmapped_questions: dict[str, int] = {}
    for row in table.rows:
        question = row.cells.get(mapping.question or "", "").strip()
        text = row.cells.get(mapping.answer or "", "").strip()
        if not text:
            continue
        kind = _question_kind(mapping, question)
        if kind is None:
            unmapped_questions[question] = unmapped_questions.get(question, 0) + 1
            result.skipped += 1
            continue
        respondent = row.cells.get(mapping.respondent or "", "").strip()
        result.answers.append(_answer(mapping, row.line, respondent, kind, text))
    if unmapped_questions:
        listed = ", ".join(f"{q!r} ({n})" for q, n in unmapped_questions.items())
        result.notices.append(f"ignored answers to unmapped questions: {listed}")
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


def load_export(path: Path, encoding: str | None, delimiter: str, options: SourceOptions) -> Loaded:
    """The table of a poll export; an export without a mapping file cannot be read."""
    if options.poll_mapping is None:
        raise InputError("a poll export needs a mapping file (--mapping poll-mapping.yaml)",
                         file=str(path))  # fmt: skip
    return Loaded(read_table(path, encoding=encoding, delimiter=delimiter))


EXPORT = Layout(
    "poll_export", SourceFormat.POLL, None, (), 90, read_export, poll=True,
    loader=load_export, title="a poll export read with a mapping file",
)  # fmt: skip
