"""Decisions a person takes over merges the ingest would not take alone.

Two kinds of question wait in the review file:

* ``organisation``: a source names an organisation that two or more known organisations
  resemble above the threshold. Nothing is merged; the mention is not linked until a
  person accepts one candidate (``merge``) or says it is another organisation
  (``separate``). The next ingest applies the decision.
* ``esco``: a competence of the partnership's own files whose label resembles ESCO skills
  without being one of their labels. Accepting one sets the competence's ``esco_uri``.

The file is JSON, written whole (to a temporary file, then renamed), and kept beside the
embedded store by default (the CLI decides where; library code is given the path).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from graph.errors import InputError
from graph.store import Store

REVIEW_FILE_NAME = "review.json"

MERGED_ORGANISATIONS = (
    "MATCH (o:Organisation) WHERE o.merges IS NOT NULL "
    "RETURN o.id AS id, o.name AS name, o.merges AS merges, o.sources AS sources ORDER BY o.id"
)


class ReviewCandidate(BaseModel):
    """One answer a reviewer may choose."""

    id: str = Field(description="Organisation id, or ESCO URI for an ``esco`` item")
    name: str
    country: str | None = None
    score: float


class ReviewItem(BaseModel):
    """A question waiting for a person."""

    key: str
    kind: Literal["organisation", "esco"]
    name: str
    country: str | None = None
    seen_at: list[str] = Field(default_factory=list, description="file:line where it was met")
    reason: str = ""
    candidates: list[ReviewCandidate] = Field(default_factory=list)


class ReviewDecision(BaseModel):
    """What a person decided: merge into ``id``, or keep separate (``id`` once created)."""

    action: Literal["merge", "separate"]
    id: str | None = None
    name: str = ""


class ReviewState(BaseModel):
    """The whole review file."""

    version: int = 1
    pending: list[ReviewItem] = Field(default_factory=list)
    decisions: dict[str, ReviewDecision] = Field(default_factory=dict)


def organisation_key(name_key: str, country: str | None) -> str:
    """The review key of an organisation mention: its normalised name and country."""
    return f"organisation:{name_key}|{country or '-'}"


def esco_key(competence_id: str) -> str:
    """The review key of an ESCO mapping question."""
    return f"esco:{competence_id}"


@dataclass
class ReviewBook:
    """The review file, loaded; ``save`` writes it back when it changed."""

    path: Path | None
    state: ReviewState = field(default_factory=ReviewState)
    changed: bool = False

    @classmethod
    def open(cls, path: Path | None) -> ReviewBook:
        """Load the file at ``path`` (a missing file is an empty review)."""
        if path is None or not path.exists():
            return cls(path)
        try:
            state = ReviewState.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise InputError(
                f"is not a readable review file: {str(error).splitlines()[0]}", file=str(path)
            ) from None
        return cls(path, state)

    def decision(self, key: str) -> ReviewDecision | None:
        """The decision taken on a question, if any."""
        return self.state.decisions.get(key)

    def ask(self, item: ReviewItem) -> None:
        """Add a question (or the place it was met again) unless it is decided."""
        if item.key in self.state.decisions:
            return
        for waiting in self.state.pending:
            if waiting.key == item.key:
                added = [s for s in item.seen_at if s not in waiting.seen_at]
                if added or waiting.candidates != item.candidates:
                    waiting.seen_at.extend(added)
                    waiting.candidates = item.candidates
                    self.changed = True
                return
        self.state.pending.append(item)
        self.changed = True

    def remember(self, key: str, decision: ReviewDecision) -> None:
        """Record a decision and drop the question from the pending list."""
        self.state.decisions[key] = decision
        self.state.pending = [p for p in self.state.pending if p.key != key]
        self.changed = True

    def find(self, handle: str) -> ReviewItem:
        """A pending item by its key or its 1-based position in the list."""
        if handle.isdigit() and 1 <= int(handle) <= len(self.state.pending):
            return self.state.pending[int(handle) - 1]
        for item in self.state.pending:
            if item.key == handle:
                return item
        raise InputError(f"has no pending question {handle!r}", file=str(self.path))

    def accept(self, handle: str, candidate: str | None = None) -> ReviewDecision:
        """Accept a candidate (the first, unless named by id or position) of a question."""
        item = self.find(handle)
        if not item.candidates:
            raise InputError(f"question {item.key!r} has no candidate", file=str(self.path))
        chosen = item.candidates[0]
        if candidate is not None:
            by_position = candidate.isdigit() and 1 <= int(candidate) <= len(item.candidates)
            matches = [c for c in item.candidates if c.id == candidate]
            if by_position:
                chosen = item.candidates[int(candidate) - 1]
            elif matches:
                chosen = matches[0]
            else:
                raise InputError(
                    f"question {item.key!r} has no candidate {candidate!r}", file=str(self.path)
                )
        decision = ReviewDecision(action="merge", id=chosen.id, name=chosen.name)
        self.remember(item.key, decision)
        return decision

    def reject(self, handle: str) -> ReviewDecision:
        """Say a mention is none of the candidates: it becomes an organisation of its own."""
        item = self.find(handle)
        decision = ReviewDecision(action="separate", name=item.name)
        self.remember(item.key, decision)
        return decision

    def save(self) -> None:
        """Write the file back (atomically) if anything changed."""
        if self.path is None or not self.changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".review-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(self.state.model_dump_json(indent=2))
        os.replace(temporary, self.path)
        self.changed = False


class MergeSummary(BaseModel):
    """Merges made (recorded on the organisations) and questions waiting for review."""

    merges_made: int
    merged_organisations: int
    pending_organisations: int
    pending_esco: int
    decisions: int
    examples: list[dict[str, Any]] = Field(default_factory=list)


def merge_summary(store: Store, review_file: Path | None) -> MergeSummary:
    """Count merges in the graph and questions in the review file."""
    rows = [r for r in store.run(MERGED_ORGANISATIONS) if r["merges"]]
    book = ReviewBook.open(review_file)
    pending = book.state.pending
    return MergeSummary(
        merges_made=sum(len(r["merges"]) for r in rows),
        merged_organisations=len(rows),
        pending_organisations=sum(1 for p in pending if p.kind == "organisation"),
        pending_esco=sum(1 for p in pending if p.kind == "esco"),
        decisions=len(book.state.decisions),
        examples=[{"id": r["id"], "name": r["name"], "merges": r["merges"]} for r in rows[:20]],
    )
