"""Classifying free-text poll answers into the priorities of their question.

Each priority is described by its keywords (weight 1), and the words of its label
(weight 0.5). A keyword matches a word of the answer when one is a prefix of the other
and the shorter has at least four letters (so ``fund`` matches ``funding`` and ``coordinate``
matches ``coordination``), or when they are equal; a keyword of several words matches
the same words in sequence. An answer raises every priority that scores at least one
point and at least half of the best score; answers that reach no priority are
unclassified. Everything runs locally: no model, no network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ingest.normalise import fold

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "of",
        "on",
        "or",
        "our",
        "the",
        "to",
        "we",
        "with",
        "lack",
        "more",
        "less",
        "not",
        "no",
        "our",
        "their",
        "this",
        "that",
    ]
)
LABEL_WEIGHT = 0.5
MIN_SCORE = 1.0
_MIN_PREFIX = 4


@dataclass(frozen=True)
class PriorityTerms:
    """A priority as the classifier sees it."""

    id: str
    kind: str
    keywords: tuple[tuple[str, ...], ...]
    label_words: tuple[str, ...]

    @classmethod
    def of(cls, priority_id: str, kind: str, label: str, keywords: Sequence[str]) -> PriorityTerms:
        phrases = tuple(tuple(fold(k).split()) for k in keywords if fold(k))
        words = tuple(w for w in fold(label).split() if w not in STOPWORDS)
        return cls(priority_id, kind, phrases, words)


def _word_matches(term: str, word: str) -> bool:
    if term == word:
        return True
    shorter, longer = sorted((term, word), key=len)
    return len(shorter) >= _MIN_PREFIX and longer.startswith(shorter)


def _phrase_in(phrase: tuple[str, ...], words: list[str]) -> bool:
    span = len(phrase)
    return any(
        all(_word_matches(t, w) for t, w in zip(phrase, words[i : i + span], strict=True))
        for i in range(len(words) - span + 1)
    )


def score(priority: PriorityTerms, answer: str) -> float:
    """How strongly an answer speaks of a priority."""
    words = fold(answer).split()
    points = sum(1.0 for phrase in priority.keywords if _phrase_in(phrase, words))
    points += sum(LABEL_WEIGHT for term in priority.label_words if _phrase_in((term,), words))
    return points


def classify(answer: str, question_kind: str, priorities: Sequence[PriorityTerms]) -> list[str]:
    """The ids of the priorities an answer raises (empty when none)."""
    scored = [(score(p, answer), p.id) for p in priorities if p.kind == question_kind]
    best = max((s for s, _ in scored), default=0.0)
    if best < MIN_SCORE:
        return []
    return sorted(pid for s, pid in scored if s >= MIN_SCORE and s >= best / 2)
