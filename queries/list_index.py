"""List pages of one kind served from memory: the entities of one revision and their filters.

:func:`queries.entities.list_entities` runs a count and a page on the store for every new
list URL; a :class:`ListIndex` holds one kind's entities ordered by id, each filter's
postings (the positions of the entities found by each value) and the lowered texts ``q``
searches, so that a page is a few set intersections and a slice. It answers exactly what
:func:`~queries.entities.list_entities` answers on the store it was read from: the same
filters (:data:`~queries.entities.PATTERN_FILTERS`, :data:`~queries.entities.PREDICATE_FILTERS`),
the same rows (:func:`~queries.entities.node_properties`), the same order.

An index describes the revision it was read at; keeping it per revision (and dropping it
when the store changes) is the caller's part.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Hashable, Mapping, Sequence
from itertools import accumulate
from typing import Any

from graph.columns import read_columns
from graph.schema import NodeKind
from graph.store import Store
from queries.entities import (
    PATTERN_FILTERS,
    PREDICATE_FILTERS,
    TEXT_FIELDS,
    RunningOn,
    count_statement,
    list_filters,
    node_properties,
)
from queries.projection import NODES

#: Joins an entity's lowered text fields into one string to search; a ``q`` holding it is
#: checked field by field, so that no match spans two fields.
_FIELD_SEPARATOR = "\x00"
#: Up to this many candidates, ``q`` is looked for in each candidate's text; above it, in the
#: words of the kind first (when ``q`` is one word): some ten times faster on 20,000 offers.
SCAN_AT_MOST = 2000


class ListIndex:
    """One kind's entities, ordered by id, with the postings of its filters and its texts.

    ``rows`` are the entities' properties as :func:`~queries.entities.node_properties` gives
    them; ``links`` maps each of the kind's neighbour filters to ``(entity id, linked id)``
    pairs. ``scan_at_most``: see :data:`SCAN_AT_MOST` (the answers are the same either way).
    """

    def __init__(
        self,
        kind: NodeKind,
        rows: Sequence[Mapping[str, Any]],
        links: Mapping[str, Sequence[tuple[str, str]]],
        *,
        scan_at_most: int = SCAN_AT_MOST,
    ) -> None:
        self.kind = kind
        self._scan_at_most = scan_at_most
        self.rows = sorted(rows, key=lambda row: row["id"])
        position = {row["id"]: i for i, row in enumerate(self.rows)}
        self._postings: dict[str, dict[Hashable, list[int]]] = {}
        for name in PATTERN_FILTERS.get(kind, {}):
            found: dict[Hashable, set[int]] = {}
            for entity, other in links.get(name, ()):
                if entity in position:
                    found.setdefault(other, set()).add(position[entity])
            self._postings[name] = {value: sorted(at) for value, at in found.items()}
        self._scanned: dict[str, RunningOn] = {}
        for name, spec in PREDICATE_FILTERS.get(kind, {}).items():
            if isinstance(spec, RunningOn):
                self._scanned[name] = spec
                continue
            postings: dict[Hashable, list[int]] = {}
            for i, row in enumerate(self.rows):
                for value in dict.fromkeys(spec.values(row)):
                    postings.setdefault(value, []).append(i)
            self._postings[name] = postings
        self._fields = TEXT_FIELDS[kind]
        self._texts = [
            _FIELD_SEPARATOR.join(str(row.get(field) or "").lower() for field in self._fields)
            for row in self.rows
        ]
        # Each word of the texts (split at white space) with the positions holding it: a ``q``
        # without white space is in a text exactly when it is in one of the text's words. The
        # words are joined by new lines to be searched in one pass.
        found_in: dict[str, list[int]] = {}
        for i, text in enumerate(self._texts):
            for word in set(text.replace(_FIELD_SEPARATOR, " ").split()):
                found_in.setdefault(word, []).append(i)
        self._word_positions = [array("l", at) for at in found_in.values()]
        self._words = "\n".join(found_in)
        self._word_starts = array("l", accumulate((len(w) + 1 for w in found_in), initial=0))

    def __len__(self) -> int:
        """How many entities the index holds."""
        return len(self.rows)

    def page(
        self,
        *,
        limit: int,
        offset: int,
        filters: Mapping[str, Any] | None = None,
        q: str | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of the entities that pass, ordered by id, and the total that pass.

        The arguments are those of :func:`queries.entities.list_entities`, and so is the answer.
        """
        given, text = list_filters(self.kind, filters, q)
        positions = self._positions(given)
        for name, spec in self._scanned.items():
            if name in given:
                positions = [i for i in positions if spec.matches(self.rows[i], given[name])]
        if text is not None:
            positions = self._with_text(positions, text)
        total = len(positions)
        return [dict(self.rows[i]) for i in positions[offset : offset + limit]], total

    def _positions(self, given: Mapping[str, Any]) -> Sequence[int]:
        """The positions, in id order, of the entities every indexed filter given lets pass."""
        lists = [self._postings[name].get(value, []) for name, value in given.items()
                 if name in self._postings]  # fmt: skip
        if not lists:
            return range(len(self.rows))
        lists.sort(key=len)
        if len(lists) == 1:
            return lists[0]
        return sorted(set(lists[0]).intersection(*lists[1:]))

    def _with_text(self, positions: Sequence[int], text: str) -> Sequence[int]:
        """The positions whose text holds ``text``, in order."""
        one_word = not any(c.isspace() or c == _FIELD_SEPARATOR for c in text)
        if one_word and len(positions) > self._scan_at_most:
            postings = self._postings_of_words_holding(text, at_most=2 * len(positions))
            if postings is not None:
                found = set().union(*postings)
                if isinstance(positions, range):
                    return sorted(found)
                return [i for i in positions if i in found]
        return [i for i in positions if self._holds_text(i, text)]

    def _postings_of_words_holding(self, text: str, at_most: int) -> list[array[int]] | None:
        """The positions of each word holding ``text`` (one word); None when they add up to
        more than ``at_most`` (a very common piece of words costs more to gather than to scan)."""
        postings, total = [], 0
        at = self._words.find(text)
        while at != -1:
            word = bisect_right(self._word_starts, at) - 1
            postings.append(self._word_positions[word])
            total += len(postings[-1])
            if total > at_most:
                return None
            at = self._words.find(text, self._word_starts[word + 1])
        return postings

    def _holds_text(self, i: int, text: str) -> bool:
        if text not in self._texts[i]:
            return False
        if _FIELD_SEPARATOR not in text:
            return True
        row = self.rows[i]
        return any(text in str(row.get(field) or "").lower() for field in self._fields)


def read_list_index(
    store: Store, kind: NodeKind, *, max_entities: int, scan_at_most: int = SCAN_AT_MOST
) -> ListIndex | None:
    """The list index of one kind read from the store; None when it holds more entities.

    ``max_entities`` bounds the memory an index takes (on the 20,000-offer benchmark graph,
    about 3 KB per training offer); a larger kind is listed by the store's own queries.
    """
    if int(store.run(count_statement(kind, []))[0]["n"]) > max_entities:
        return None
    columns = read_columns(store, NODES[kind])
    names = list(columns)
    rows = [node_properties(dict(zip(names, values, strict=True)))
            for values in zip(*columns.values(), strict=True)]  # fmt: skip
    links = {}
    for name, spec in PATTERN_FILTERS.get(kind, {}).items():
        pairs = read_columns(store, spec.pairs_statement(kind))
        links[name] = list(zip(pairs.get("n", []), pairs.get("o", []), strict=True))
    return ListIndex(kind, rows, links, scan_at_most=scan_at_most)
