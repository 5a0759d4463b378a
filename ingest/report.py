"""The ingest report: what was read, written, rejected and how references resolved."""

from __future__ import annotations

from pydantic import BaseModel, Field, computed_field

from ingest.records import CellError, RowError


class Rejection(BaseModel):
    """A row that was not written, and why."""

    location: str
    column: str | None = None
    reason: str


class FuzzyMatch(BaseModel):
    """A reference resolved by name similarity rather than by id or exact name."""

    location: str
    column: str
    value: str
    matched_id: str
    matched_name: str
    score: float


class MergeNote(BaseModel):
    """An organisation a source named that was joined with one the graph knew."""

    location: str
    value: str
    matched_id: str
    matched_name: str
    evidence: str


class Unresolved(BaseModel):
    """A reference that matched nothing; its link was not written."""

    location: str
    column: str
    value: str


class FileReport(BaseModel):
    """One file's outcome."""

    file: str
    kind: str | None = None
    readable: bool = True
    rows_read: int = 0
    rows_written: int = 0
    rows_rejected: int = 0
    rows_skipped: int = Field(
        default=0, description="Rows a filter left out, or that name nothing loaded"
    )
    error: str | None = Field(default=None, description="Why nothing of the file was written")
    notice: str | None = None
    rejected: list[Rejection] = Field(default_factory=list)
    fuzzy_matches: list[FuzzyMatch] = Field(default_factory=list)
    unresolved: list[Unresolved] = Field(default_factory=list)
    organisations_created: list[str] = Field(default_factory=list)
    merged: list[MergeNote] = Field(default_factory=list)
    pending_review: list[str] = Field(
        default_factory=list, description="Organisations not merged: several candidates"
    )
    related: list[str] = Field(
        default_factory=list,
        description="Organisations kept apart but tied by an identifier (RELATED edges)",
    )
    unclassified_answers: list[str] = Field(default_factory=list)


class IngestReport(BaseModel):
    """The outcome of one ingest call, with its exit status."""

    files: list[FileReport] = Field(default_factory=list)
    esco_linked: list[str] = Field(
        default_factory=list, description="Competences linked to an ESCO skill in this call"
    )
    review_pending: int = Field(default=0, description="Questions waiting in the review file")
    review_file: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def exit_code(self) -> int:
        """0 all written, 1 rows or files rejected, 2 a file could not be read at all."""
        if any(not f.readable for f in self.files):
            return 2
        if any(f.error or f.rows_rejected for f in self.files):
            return 1
        return 0


def rejections(location: str, error: CellError) -> list[Rejection]:
    """The rejections of one row: one per problem when the error lists several."""
    problems = error.problems if isinstance(error, RowError) else [error]
    return [Rejection(location=location, column=p.column, reason=str(p)) for p in problems]


def rejected_rows(rejected: list[Rejection]) -> int:
    """How many rows the rejections refuse (a row may be refused for several reasons)."""
    return len({rejection.location for rejection in rejected})
