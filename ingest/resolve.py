"""Resolving references to competences and organisations.

Competences match by id, label, alternative label or ESCO URI, folded (case, accents,
white space and punctuation ignored). Organisations match by id, then by name folded and
stripped of its legal form, then by a fuzzy name match above a threshold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ingest.normalise import fold, organisation_key, slug

#: Lowest rapidfuzz ``token_sort_ratio`` (0-100) at which two organisation names match.
FUZZY_ORGANISATION_THRESHOLD = 90.0


@dataclass(frozen=True)
class Match:
    """A resolved reference: the id, and the score when it was a fuzzy match."""

    id: str
    name: str
    score: float | None = None

    @property
    def fuzzy(self) -> bool:
        return self.score is not None


class CompetenceIndex:
    """Competences by every name they go by."""

    def __init__(self) -> None:
        self._by_key: dict[str, str] = {}
        self._ids: set[str] = set()

    def add(
        self, competence_id: str, label: str, alt_labels: Iterable[str], esco_uri: str | None
    ) -> None:
        """Index one competence; an id always wins over another competence's label."""
        self._ids.add(competence_id)
        self._by_key[fold(competence_id)] = competence_id
        for name in (label, *alt_labels, esco_uri or ""):
            key = fold(name)
            if key:
                self._by_key.setdefault(key, competence_id)

    def resolve(self, value: str) -> str | None:
        """The id of the competence a cell names, or None."""
        if value in self._ids:
            return value
        return self._by_key.get(fold(value))


class OrganisationIndex:
    """Organisations by id and by normalised name, with a fuzzy fallback."""

    def __init__(self, threshold: float = FUZZY_ORGANISATION_THRESHOLD) -> None:
        self.threshold = threshold
        self._names: dict[str, str] = {}
        self._by_key: dict[str, str] = {}

    def add(self, organisation_id: str, name: str) -> None:
        """Index one organisation."""
        self._names[organisation_id] = name
        self._by_key.setdefault(organisation_key(name), organisation_id)

    def resolve(self, value: str) -> Match | None:
        """The organisation a cell names (id, exact name, or fuzzy name), or None."""
        if value in self._names:
            return Match(value, self._names[value])
        key = organisation_key(value)
        if key in self._by_key:
            found = self._by_key[key]
            return Match(found, self._names[found])
        best = process.extractOne(
            key, self._by_key.keys(), scorer=fuzz.token_sort_ratio, score_cutoff=self.threshold
        )
        if best is None:
            return None
        found = self._by_key[best[0]]
        return Match(found, self._names[found], round(float(best[1]), 1))

    def new_id(self, name: str) -> str:
        """An id for an organisation first named by a reference, not yet taken."""
        base = "org-" + slug(organisation_key(name))
        candidate, counter = base, 2
        while candidate in self._names:
            candidate, counter = f"{base}-{counter}", counter + 1
        return candidate
