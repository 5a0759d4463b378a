"""Search across every kind by name and text, ranked, ignoring case and accents."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

import networkx as nx
from pydantic import BaseModel

from graph.schema import NAME_PROPERTY, NodeKind
from ingest.normalise import fold

#: Per searchable kind, the properties searched besides its name.
TEXT_FIELDS = {
    NodeKind.ORGANISATION: ("city", "country"),
    NodeKind.PROJECT: ("acronym", "description", "programme"),
    NodeKind.TRAINING_OFFER: ("description",),
    NodeKind.COMPETENCE: ("alt_labels", "alt_labels_by_language", "group", "collections"),
    NodeKind.PRIORITY: ("description", "keywords"),
}
#: Per kind, the property holding its name in other languages (``<lang>:<label>`` entries).
LANGUAGE_NAMES = {NodeKind.COMPETENCE: "labels"}
#: Kinds named as the API names them.
KIND_NAMES = {
    NodeKind.ORGANISATION: "organisation",
    NodeKind.PROJECT: "project",
    NodeKind.TRAINING_OFFER: "training_offer",
    NodeKind.COMPETENCE: "competence",
    NodeKind.PRIORITY: "priority",
}


class SearchHit(BaseModel):
    """One entity that matches, with the kind it is and why it ranks where it does."""

    kind: str
    id: str
    name: str
    score: float
    matched: str


@dataclass(frozen=True)
class _Entry:
    kind: NodeKind
    id: str
    name: str
    folded_id: str
    folded_name: str
    folded_text: str
    #: Its name in the other languages it has, folded.
    folded_names: tuple[str, ...] = ()


class SearchIndex:
    """Folded names and texts of every searchable entity of one graph revision."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.entries: list[_Entry] = []
        for (kind, node_id), data in graph.nodes(data=True):
            if kind not in TEXT_FIELDS:
                continue
            name = str(data.get(NAME_PROPERTY[kind]) or node_id)
            parts: list[str] = []
            for field in TEXT_FIELDS[kind]:
                value = data.get(field)
                parts.extend(value if isinstance(value, list) else [str(value or "")])
            tagged = data.get(LANGUAGE_NAMES.get(kind, "")) or []
            other = dict.fromkeys(fold(e.partition(":")[2]) for e in tagged)
            names = tuple(n for n in other if n and n != fold(name))
            self.entries.append(_Entry(kind, node_id, name, fold(node_id), fold(name),
                                       fold(" ".join(parts)), names))  # fmt: skip
        self.entries.sort(key=lambda e: (e.kind.value, e.id))
        # Every folded string of every entry in one text, searched in one pass: folded strings
        # hold no new line, so a query found there lies within one string of one entry.
        texts = ["\n".join((e.folded_id, e.folded_name, *e.folded_names, e.folded_text))
                 for e in self.entries]  # fmt: skip
        self._text = "\n".join(texts)
        self._starts = list(accumulate((len(t) + 1 for t in texts), initial=0))

    def holding(self, query: str) -> Iterator[_Entry]:
        """The entries, in order, with ``query`` (folded) in their id, a name or their text."""
        at = self._text.find(query)
        while at != -1:
            entry = bisect_right(self._starts, at) - 1
            yield self.entries[entry]
            at = self._text.find(query, self._starts[entry + 1])


def _name_score(name: str, query: str) -> float:
    if query == name:
        return 1.0
    if name.startswith(query):
        return 0.9
    if f" {query}" in f" {name}":
        return 0.8
    return 0.6 if query in name else 0.0


def _score(entry: _Entry, query: str) -> tuple[float, str]:
    if query == entry.folded_id:
        return 1.0, "name"
    best = max((_name_score(n, query) for n in (entry.folded_name, *entry.folded_names)),
               default=0.0)  # fmt: skip
    if best:
        return best, "name"
    if query in entry.folded_text:
        return 0.4, "text"
    return 0.0, ""


def search(
    index: SearchIndex, q: str, *, kinds: set[NodeKind] | None = None, limit: int = 20
) -> list[SearchHit]:
    """Entities whose name or text contains ``q``: exact names first, then prefixes, words, text."""
    query = fold(q)
    if not query:
        return []
    hits = []
    # Only an entry holding the query can score.
    for entry in index.holding(query):
        if kinds and entry.kind not in kinds:
            continue
        score, matched = _score(entry, query)
        if score:
            hits.append(
                SearchHit(
                    kind=KIND_NAMES[entry.kind],
                    id=entry.id,
                    name=entry.name,
                    score=score,
                    matched=matched,
                )
            )
    hits.sort(key=lambda h: (-h.score, h.name.lower(), h.id))
    return hits[:limit]


def in_language(competence: dict[str, Any], language: str | None) -> dict[str, Any]:
    """A competence with its label and alternative labels in ``language``, English as fallback.

    Labels per language are the ``<lang>:<label>`` entries of ``labels`` and
    ``alt_labels_by_language``; a competence without one in the language keeps its
    English (or only) label.

    >>> skill = {"label": "manage", "alt_labels": ["run"], "labels": ["en:manage", "es:gestionar"],
    ...          "alt_labels_by_language": ["en:run", "es:dirigir"]}
    >>> in_language(skill, "es")["label"], in_language(skill, "es")["alt_labels"]
    ('gestionar', ['dirigir'])
    >>> in_language(skill, "fr")["label"]
    'manage'
    """
    if not language:
        return competence
    labels = dict(_untag(competence.get("labels")))
    chosen = language if language in labels else "en" if "en" in labels else None
    if chosen is None:
        return competence
    alternatives = [
        a for lang, a in _untag(competence.get("alt_labels_by_language")) if lang == chosen
    ]
    return {**competence, "label": labels[chosen], "alt_labels": alternatives}


def _untag(entries: list[str] | None) -> list[tuple[str, str]]:
    return [(e.partition(":")[0], e.partition(":")[2]) for e in entries or [] if ":" in e]
