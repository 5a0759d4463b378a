"""Language-neutral evidence that two texts describe the same initiative: their anchors.

Two organisations that write up the same course or project independently, or in two
languages, share few words but the same facts: numbers (hours, volts, years, partners),
norms and codes (``ISO 26262``, ``UN R156``, ``DGUV 209-093``), acronyms (``BMS``, ``OCPP``)
and names of products, tools and places (``KUKA``, ``Siemens``, ``Debrecen``). These
*anchors* survive rewording and translation, and two different initiatives on the same
competence rarely share several of them. :func:`find_anchor_pairs` runs the blocked search of
:mod:`queries.pair_scoring` with anchor vectors in place of the text vectors (the same blocks,
rules, pruning and score), and keeps the pairs that share at least
:data:`MIN_SHARED_ANCHORS` anchors.

Example
-------
>>> sorted(anchors("Five days on ISO 26262, 40 hours, TÜV exam in München."))
['40', 'iso 26262', 'munchen', 'tuv']
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import fields, replace
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from queries.pair_scoring import Features, ScoredPair, find_pairs

#: A pair found by its anchors must share at least this many (one shared acronym, such as
#: ``ADAS``, is what unrelated courses on the same competence have in common).
MIN_SHARED_ANCHORS = 2

#: Above this share of capitalised words, a text is in title case or capitals.
MAX_CAPITALISED_SHARE = 0.7

_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"[^\W\d_]*\d[\d.,]*\d|[^\W\d_]*\d")
_THOUSANDS = re.compile(r"(?<=\d)[.,](?=\d{3}\b)")
_PARTS = re.compile(r"[-.]")
#: A norm or regulation: a code in capitals followed by its number (``ISO/SAE 21434``,
#: ``UN R156``, ``EN ISO 9606-1``): one anchor, so that two courses on the same norm share
#: one anchor, not three.
_NORM = re.compile(r"\b(?:[A-Z][A-Za-z]*[A-Z][/ ]?)+ ?[A-Z]?\d[\d.-]*\d?\b")
#: After one of these a capitalised word starts a sentence: it is no name.
_SENTENCE_END = frozenset(".:;!?")
#: What may stand between a sentence's end and its first word.
_BEFORE_A_WORD = " \t\n\"'(\u00ab\u201c\u2013-"
#: The first letter of each word (to tell a title-case text).
_WORD_START = re.compile(r"\b[^\W\d_]")
#: An ASCII text's characters as their shapes: ``A`` a capital, ``a`` a small letter, ``0`` a
#: digit or ``_`` (the rest of a word), a space anything else; a word starts at ``" A"`` or
#: ``" a"``, as ``_WORD_START`` finds.
_ASCII_SHAPES = bytes(
    ord("A") if chr(c).isupper() else ord("a") if chr(c).islower()
    else ord("0") if chr(c).isdigit() or chr(c) == "_" else ord(" ")
    for c in range(256)
)  # fmt: skip
_CAPITAL = "[0-9A-Z\u00c0-\u00de\u0100-\u024f\u0370-\u04ff]"
#: Tokens that may be an anchor: starting with a digit or with a letter that may be a
#: capital (Latin, Greek and Cyrillic capitals lie in these ranges) after a word boundary;
#: each is then looked at exactly. A number inside a word (``e-208``) starts a token of its
#: own. The boundary is looked for behind the first character, so that the search skips
#: ahead to the characters that may start a token (a pattern that starts with ``\b`` is
#: tried at every position).
_CANDIDATE = re.compile(f"{_CAPITAL}(?<=\\b{_CAPITAL})(?:[\\w./+-]*\\w)?")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _capitals(token: str) -> int:
    return sum(map(str.isupper, token))


def _has_digit(text: str) -> bool:
    # Ten substring searches are faster than a regular expression's scan of the text.
    if text.isascii():
        return any(digit in text for digit in "0123456789")
    return _DIGIT.search(text) is not None


def _starts_sentence(text: str, start: int) -> bool:
    position = start - 1
    while position >= 0 and text[position] in _BEFORE_A_WORD:
        position -= 1
    return position < 0 or text[position] in _SENTENCE_END


@lru_cache(maxsize=1 << 16)
def _token_anchors(token: str, *, numbers_only: bool, first: bool) -> frozenset[str]:
    """The anchors of one candidate token (texts repeat their tokens: each is judged once)."""
    if _DIGIT.search(token):
        return frozenset(_fold(_THOUSANDS.sub("", number)) for number in _NUMBER.findall(token))
    if numbers_only:
        return frozenset()
    if _capitals(token) >= 2:
        return frozenset(_fold(part) for part in _PARTS.split(token) if _capitals(part) >= 2)
    if token[0].isupper() and not first:
        return frozenset((_fold(token),))
    return frozenset()


def anchors(text: str) -> frozenset[str]:
    """The language-neutral tokens of a text, folded (lower case, no diacritics).

    Norms with their number (``iso/sae 21434``), other numbers (thousands separators
    dropped, a letter prefix kept: ``R156``), acronyms and codes (two or more capitals, split
    at ``-`` and ``.``) and capitalised words inside a sentence.
    In a text written in capitals or in title case (most words capitalised, as titles
    often are), capitals say nothing, and only its numbers are anchors.
    """
    numbers_only = _title_case(text)
    has_number = _has_digit(text)
    if numbers_only and not has_number:
        return frozenset()
    found: set[str] = set()
    # A norm has a number: without one, the pass over the text is skipped.
    if has_number and not numbers_only:
        # One pass takes each norm out of the text and keeps it.
        text = _NORM.sub(lambda norm: _keep(found, " ".join(_fold(norm.group(0)).split())), text)
    for match in _CANDIDATE.finditer(text):
        found |= _token_anchors(
            match.group(0), numbers_only=numbers_only, first=_starts_sentence(text, match.start())
        )
    return frozenset(found)


def _title_case(text: str) -> bool:
    """Whether more than :data:`MAX_CAPITALISED_SHARE` of the text's words start with a capital."""
    if text.isascii():
        # Both counts at C speed from the characters' shapes: most texts are ASCII.
        shapes = b" " + text.encode("ascii").translate(_ASCII_SHAPES)
        capitalised = shapes.count(b" A")
        return capitalised > MAX_CAPITALISED_SHARE * (capitalised + shapes.count(b" a"))
    starts = _WORD_START.findall(text)
    return sum(map(str.isupper, starts)) > MAX_CAPITALISED_SHARE * len(starts)


def _keep(found: set[str], anchor: str) -> str:
    """Add ``anchor`` to ``found``; what replaces it in the text."""
    found.add(anchor)
    return " "


def anchor_vectors(sets: Sequence[frozenset[str]]) -> sp.csr_matrix:
    """Binary anchor vectors, L2-normalised (their product is the cosine of two sets).

    Columns are the anchors in sorted order.
    """
    if not any(sets):
        return sp.csr_matrix((len(sets), 0), dtype=np.float32)
    column = {anchor: i for i, anchor in enumerate(sorted(set().union(*sets)))}
    sizes = np.fromiter(map(len, sets), dtype=np.int64, count=len(sets))
    indptr = np.concatenate([[0], np.cumsum(sizes)])
    indices = np.fromiter(
        (column[anchor] for s in sets for anchor in sorted(s)),
        dtype=np.int32,
        count=int(indptr[-1]),
    )
    norms = np.sqrt(sizes.astype(np.float32))
    scale = np.divide(np.float32(1.0), norms, out=np.zeros_like(norms), where=norms > 0)
    return sp.csr_matrix(
        (np.repeat(scale, sizes), indices, indptr), shape=(len(sets), len(column)), dtype=np.float32
    )


def item_anchors(features: Features) -> list[frozenset[str]]:
    """The anchors of each item's title and description."""
    found = [text_anchors(item.title, item.description) for item in features.items]
    # The tokens judged are these texts' alone: a server analysing revision after revision
    # would otherwise keep the last 65,536 tokens of its texts, however long each is.
    _token_anchors.cache_clear()
    return found


def text_anchors(title: str, description: str) -> frozenset[str]:
    """The anchors of a title and a description, each judged on its own case."""
    return anchors(title) | anchors(description)


def _rows(features: Features, rows: np.ndarray) -> Features:
    """The features of some items only (every field is per item, in item order)."""
    taken: dict[str, object] = {}
    for spec in fields(features):
        value = getattr(features, spec.name)
        taken[spec.name] = [value[i] for i in rows] if isinstance(value, Sequence) else value[rows]
    return Features(**taken)  # type: ignore[arg-type]


def find_anchor_pairs(
    features: Features,
    min_score: float,
    *,
    same_country: bool = True,
    item_sets: Sequence[frozenset[str]] | None = None,
) -> list[ScoredPair]:
    """Duplicate pairs by their anchors: the blocked search with anchors in the text's place.

    Each pair's components are the text search's, plus ``anchors`` (the cosine of the two
    anchor sets, which took the text's weight in the score); ``text`` stays the cosine of the
    text vectors, for the evidence.
    """
    all_sets = list(item_sets) if item_sets is not None else item_anchors(features)
    # Only items with enough anchors can pair by them: search among those alone.
    rows = np.flatnonzero([len(s) >= MIN_SHARED_ANCHORS for s in all_sets])
    if len(rows) < 2:
        return []
    # The anchor vectors take the text's place before the rows are taken, so that the
    # text vectors are never copied.
    by_anchors = _rows(replace(features, text=anchor_vectors(all_sets)), rows)
    row = {item.id: index for index, item in enumerate(features.items)}
    kept = []
    for pair in find_pairs(by_anchors, min_score, same_country=same_country):
        a, b = row[pair.a], row[pair.b]
        if len(all_sets[a] & all_sets[b]) < MIN_SHARED_ANCHORS:
            continue
        text = (
            float(features.text[a].multiply(features.text[b]).sum())
            if features.text.shape[1]
            else math.nan
        )
        components = {**pair.components, "text": None if math.isnan(text) else round(min(text, 1.0), 4),
                      "anchors": pair.components["text"]}  # fmt: skip
        kept.append(ScoredPair(pair.a, pair.b, pair.score, components))
    return kept


def with_anchor_pairs(by_text: list[ScoredPair], by_anchors: list[ScoredPair]) -> list[ScoredPair]:
    """Both searches' pairs, each once (the text search's version when both found it), best first."""
    merged = {(p.a, p.b): p for p in by_anchors}
    merged.update({(p.a, p.b): p for p in by_text})
    return sorted(merged.values(), key=lambda p: (-p.score, p.a, p.b))
