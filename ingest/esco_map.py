"""Linking the partnership's own competences to ESCO skills.

A competence of the canonical files that cites no ESCO URI is compared with the ESCO
skills in the store:

1. its label or one of its alternative labels is, folded, the label or an alternative
   label of exactly one ESCO skill: it is linked (its ``esco_uri`` is set);
2. otherwise the skills whose labels are most similar (TF-IDF over character n-grams,
   cosine) are *suggested*: written to the review file with their scores for a person to
   accept. Nothing below an exact label match is linked without a person.

An accepted suggestion is applied by the next ingest. Linking writes only ``esco_uri``,
never the competence's other fields or its change time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from graph.schema import ESCO_ID_PREFIX
from graph.store import Store
from ingest.normalise import fold
from ingest.review import ReviewBook, ReviewCandidate, ReviewItem, esco_key

ALL_COMPETENCES = (
    "MATCH (c:Competence) RETURN c.id AS id, c.label AS label, c.alt_labels AS alt_labels, "
    "c.esco_uri AS esco_uri"
)
SET_ESCO_URI = "UNWIND $rows AS r MATCH (c:Competence {id: r.id}) SET c.esco_uri = r.uri"

#: Lowest cosine similarity (0-1) at which an ESCO skill is suggested.
SUGGESTION_MIN_SCORE = 0.35
#: Suggestions listed per competence.
SUGGESTIONS = 3


@dataclass(frozen=True)
class Skill:
    """A competence as the mapping sees it."""

    id: str
    label: str
    alt_labels: tuple[str, ...]
    uri: str | None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.alt_labels)


def _load(store: Store) -> tuple[list[Skill], list[Skill]]:
    own: list[Skill] = []
    catalogue: list[Skill] = []
    for row in store.run(ALL_COMPETENCES):
        skill = Skill(row["id"], row["label"] or "", tuple(row["alt_labels"] or ()),
                      row["esco_uri"])  # fmt: skip
        (catalogue if skill.id.startswith(ESCO_ID_PREFIX) else own).append(skill)
    return own, catalogue


def suggest(own: list[Skill], catalogue: list[Skill]) -> dict[str, list[ReviewCandidate]]:
    """ESCO candidates for each competence: one exact match (score 1) or similar ones."""
    by_name: dict[str, set[int]] = defaultdict(set)
    for position, skill in enumerate(catalogue):
        for name in skill.names:
            if fold(name):
                by_name[fold(name)].add(position)
    found: dict[str, list[ReviewCandidate]] = {}
    unmatched: list[Skill] = []
    for skill in own:
        exact = set().union(*(by_name.get(fold(n), set()) for n in skill.names))
        if exact:
            found[skill.id] = [
                ReviewCandidate(id=catalogue[i].uri or "", name=catalogue[i].label, score=1.0)
                for i in sorted(exact, key=lambda i: catalogue[i].label)
            ]
        else:
            unmatched.append(skill)
    if unmatched and catalogue:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True)
        matrix = vectorizer.fit_transform(" | ".join(s.names) for s in catalogue)
        queries = vectorizer.transform(" | ".join(s.names) for s in unmatched)
        scores = (queries @ matrix.T).tocsr()
        for row, skill in enumerate(unmatched):
            line = scores.getrow(row)
            ranked = sorted(zip(line.data, line.indices, strict=True), key=lambda p: -p[0])
            found[skill.id] = [
                ReviewCandidate(
                    id=catalogue[i].uri or "", name=catalogue[i].label, score=round(float(s), 3)
                )
                for s, i in ranked[:SUGGESTIONS]
                if s >= SUGGESTION_MIN_SCORE
            ]
    return found


def link(store: Store, review: ReviewBook, *, suggest_new: bool) -> list[str]:
    """Apply accepted links, link exact label matches and (re)suggest the others.

    Returns one line per competence linked in this call.
    """
    own, catalogue = _load(store)
    if not catalogue:
        return []
    unlinked = [s for s in own if not s.uri]
    updates: list[dict[str, str]] = []
    linked: list[str] = []
    for skill in unlinked:
        decided = review.decision(esco_key(skill.id))
        if decided is not None and decided.action == "merge" and decided.id:
            updates.append({"id": skill.id, "uri": decided.id})
            linked.append(f"{skill.id} -> {decided.name} ({decided.id}), accepted in review")
    if suggest_new:
        waiting = [s for s in unlinked if review.decision(esco_key(s.id)) is None]
        for competence_id, candidates in suggest(waiting, catalogue).items():
            skill = next(s for s in waiting if s.id == competence_id)
            if len(candidates) == 1 and candidates[0].score == 1.0:
                updates.append({"id": competence_id, "uri": candidates[0].id})
                linked.append(
                    f"{competence_id} -> {candidates[0].name} ({candidates[0].id}), same label"
                )
            elif candidates:
                review.ask(ReviewItem(key=esco_key(competence_id), kind="esco", name=skill.label,
                                      reason="similar ESCO skills", candidates=candidates))  # fmt: skip
    if updates:
        with store.transaction() as tx:
            tx.run(SET_ESCO_URI, {"rows": updates})
    return linked
