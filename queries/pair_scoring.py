"""Scoring pairs of initiatives without comparing every pair of texts.

Works on plain :class:`Item` records (no store, no graph), so that a benchmark can compare
the blocked search with an exhaustive all-pairs search under the same scoring. Items are put
into blocks (shared competence and country for duplicates; the same competence set and EQF
level for recognition candidates), text similarity is a sparse product of binary n-gram
vectors within each block, thresholded, and only the survivors get the other components.

Example
-------
>>> items = [
...     Item("a", "Robot programming for body lines", runners=frozenset({"o1"}),
...          competences=frozenset({"c"}), countries=frozenset({"CZ"})),
...     Item("b", "Robot programming for body lines", runners=frozenset({"o2"}),
...          competences=frozenset({"c"}), countries=frozenset({"CZ"})),
... ]
>>> [(p.a, p.b) for p in find_pairs(items, min_score=0.75)]
[('a', 'b')]
"""

from __future__ import annotations

import importlib.util
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import chain, islice, product
from pathlib import Path

import numpy as np
import pyarrow as pa
import scipy.sparse as sp

from queries.second_process import usable_cpus
from queries.thresholds import DEFAULT_MIN_SCORE, RECOGNITION_MIN_TEXT

#: Weights of the score's components; a missing component (no EQF, no dates) is left out
#: and the others are re-weighted, so the score stays in [0, 1].
WEIGHTS: dict[str, float] = {
    "text": 0.5,
    "competences": 0.2,
    "countries": 0.1,
    "eqf_level": 0.1,
    "time": 0.1,
}
#: Dates this far apart (days between the two runs) make the time component 0.
TIME_HORIZON_DAYS = 365.0
#: At most this many best matches per item and block are kept (bounds huge blocks).
MAX_NEIGHBOURS = 50
#: Rows of a block multiplied at once: each chunk meets only the rows from its first on, so
#: smaller chunks skip more of the pairs ``j < i``; larger ones cost fewer calls.
CHUNK_ROWS = 256
#: Threads of one block product: the CPUs this process may use, at most two (measured on
#: two CPUs: 0.87x the time of one thread for 1.1x the CPU time; see docs/benchmarks.md).
PRODUCT_THREADS = min(2, usable_cpus())
#: Blocks up to this size are scored pair by pair, all together (a product per block costs
#: more than its few pairs); at this size no item can have more than MAX_NEIGHBOURS matches.
SMALL_BLOCK = MAX_NEIGHBOURS + 1
#: Pairs of small blocks scored at once (bounds the memory of the row-wise product).
PAIR_ROWS = 20_000
#: Items of small blocks whose vectors are taken at once (bounds their memory).
VECTOR_ROWS = 20_000
_NO_VALUE = ""
#: Documents vectorised at once (bounds the memory of their tokens as strings).
DOCUMENT_CHUNK = 8192


@dataclass(frozen=True)
class Item:
    """One initiative as the scoring sees it.

    ``runners`` are the organisations that run it (providers of an offer, coordinator of a
    project): pairs sharing a runner are a series, never a duplicate.
    """

    id: str
    title: str
    description: str = ""
    runners: frozenset[str] = frozenset()
    competences: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    eqf_level: int | None = None
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class ScoredPair:
    """A pair of items (ids, ``a < b``) with its score and each component (None: missing)."""

    a: str
    b: str
    score: float
    components: dict[str, float | None] = field(default_factory=dict)


@dataclass
class Features:
    """The vectors of a list of items, computed once and shared by every search over them."""

    items: Sequence[Item]
    text: TextVectors | sp.csr_matrix
    competences: sp.csr_matrix
    countries: sp.csr_matrix
    runners: sp.csr_matrix
    eqf: np.ndarray
    start: np.ndarray
    end: np.ndarray


# --- features ---------------------------------------------------------------------------


#: A word: two or more word characters (scikit-learn's default token pattern).
_WORD = re.compile(r"(?u)\b\w\w+\b")


@cache
def english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop words, read from its file without importing scikit-learn.

    Importing ``sklearn`` (which importing any of its modules does) takes seconds; the list
    itself is one frozenset in a module of its own.
    """
    found = importlib.util.find_spec("sklearn")
    path = (
        Path(found.origin).parent / "feature_extraction" / "_stop_words.py"
        if found and found.origin
        else None
    )
    spec = (
        importlib.util.spec_from_file_location("_sklearn_stop_words", path)
        if path and path.is_file()
        else None
    )
    if spec is None or spec.loader is None:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return frozenset(ENGLISH_STOP_WORDS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.ENGLISH_STOP_WORDS)


def _strip_accents(text: str) -> str:
    """Lower case without combining marks (as scikit-learn's ``strip_accents="unicode"``)."""
    text = text.lower()
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _char_grams(word: str) -> list[str]:
    """The character 4-grams of a word padded with one space each side (``char_wb``)."""
    padded = f" {word} "
    return [padded[i : i + 4] for i in range(max(1, len(padded) - 3))]


def _token_rows(
    documents: Iterable[Sequence[str]], *terms: Callable[[str], Iterable[str]]
) -> tuple[sp.csr_matrix, list[sp.csr_matrix]]:
    """Documents as rows of distinct tokens, and tokens as rows of terms (0/1 matrices).

    One tokens' matrix per function in ``terms``, each with a vocabulary of its own. Each
    distinct token's terms are worked out once. Documents are taken :data:`DOCUMENT_CHUNK`
    at a time, so that only one chunk's tokens are held as strings; Arrow numbers a chunk's
    tokens, so that only its distinct tokens are looked at in Python. Terms are numbered in
    the order met.
    """
    vocabularies: list[dict[str, int]] = [{} for _ in terms]
    token_ids: dict[str, int] = {}
    token_terms: list[list[list[int]]] = [[] for _ in terms]
    tokens_seen = 0
    parts: list[sp.csr_matrix] = []
    documents = iter(documents)
    while chunk := list(islice(documents, DOCUMENT_CHUNK)):
        encoded = pa.array(list(chain.from_iterable(chunk)), type=pa.string()).dictionary_encode()
        local = np.empty(len(encoded.dictionary), dtype=np.int32)
        for position, token in enumerate(encoded.dictionary.to_pylist()):
            found = token_ids.get(token)
            if found is None:
                found = token_ids[token] = tokens_seen
                tokens_seen += 1
                for vocabulary, rows, of in zip(vocabularies, token_terms, terms, strict=True):
                    rows.append([vocabulary.setdefault(t, len(vocabulary)) for t in of(token)])
            local[position] = found
        indptr = np.zeros(len(chunk) + 1, dtype=np.int64)
        np.cumsum([len(tokens) for tokens in chunk], out=indptr[1:])
        indices = local[encoded.indices.to_numpy(zero_copy_only=False)]
        part = sp.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), indices, indptr),
            shape=(len(chunk), tokens_seen),
        )
        part.sum_duplicates()
        parts.append(part)
    for part in parts:
        part.resize(part.shape[0], tokens_seen)
    documents_tokens = (
        sp.vstack(parts, format="csr", dtype=np.float32)
        if parts
        else sp.csr_matrix((0, 0), dtype=np.float32)
    )
    return documents_tokens, [
        _incidence(rows, len(vocabulary))
        for rows, vocabulary in zip(token_terms, vocabularies, strict=True)
    ]


def _normalised(documents_tokens: sp.csr_matrix, tokens_terms: sp.csr_matrix) -> sp.csr_matrix:
    """The documents' binary term vectors, L2-normalised, columns sorted in each row."""
    matrix = (documents_tokens @ tokens_terms).tocsr()
    matrix.sort_indices()
    counts = np.diff(matrix.indptr)
    with np.errstate(divide="ignore"):
        matrix.data = np.repeat((1.0 / np.sqrt(counts)).astype(np.float32), counts)
    return matrix


def _binary_rows(
    documents: Iterable[Sequence[str]], terms: Callable[[str], Iterable[str]]
) -> sp.csr_matrix:
    """L2-normalised binary term vectors (see :func:`_token_rows`).

    The same vectors as scikit-learn's ``TfidfVectorizer(binary=True, use_idf=False)``
    (columns in the order terms are met rather than sorted, which no product sees) without
    its per-token analyser calls: the documents' terms are the sparse product of documents'
    tokens and tokens' terms.
    """
    documents_tokens, (tokens_terms,) = _token_rows(documents, terms)
    return _normalised(documents_tokens, tokens_terms)


@dataclass(frozen=True)
class TextVectors:
    """Documents' text vectors, kept as each row's sorted columns: rows are built when taken.

    Every value of one part of a row is the same (binary terms, L2-normalised, weighted), so
    a row needs only its columns (as small unsigned integers) and, per part, its count and
    value; ``vectors[rows]`` equals those rows of the whole matrix, so every product is
    unchanged.
    """

    #: Where each document's columns start in :attr:`columns`.
    indptr: np.ndarray
    #: Each document's columns, sorted: the first part's, then the next part's.
    columns: np.ndarray
    #: Per document and part: how many terms, and the value of each.
    counts: np.ndarray
    values: np.ndarray
    #: Terms of all parts.
    width: int

    @property
    def shape(self) -> tuple[int, int]:
        """Documents, and terms of all parts."""
        return len(self.indptr) - 1, self.width

    def __getitem__(self, rows: np.ndarray | slice | int) -> sp.csr_matrix:
        """The vectors of these documents (CSR, columns sorted in each row)."""
        taken = np.atleast_1d(np.arange(self.shape[0])[rows])
        starts = self.indptr[taken]
        lengths = self.indptr[taken + 1] - starts
        indptr = np.zeros(len(taken) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        positions = np.arange(indptr[-1]) + np.repeat(starts - indptr[:-1], lengths)
        data = np.repeat(self.values[taken].ravel(), self.counts[taken].ravel())
        return sp.csr_matrix(
            (data, self.columns[positions].astype(np.int32), indptr),
            shape=(len(taken), self.width),
        )


def _sorted_columns(
    documents_tokens: sp.csr_matrix, parts: Sequence[tuple[sp.csr_matrix, float]]
) -> TextVectors:
    """The documents' binary term vectors of each part, L2-normalised and weighted, joined.

    Built :data:`DOCUMENT_CHUNK` documents at a time, so that only one chunk is held as a
    full sparse matrix.
    """
    width = sum(terms.shape[1] for terms, _ in parts)
    column_type = np.min_scalar_type(max(width - 1, 0))
    columns, counts = [], []
    for first in range(0, documents_tokens.shape[0], DOCUMENT_CHUNK):
        tokens = documents_tokens[first : first + DOCUMENT_CHUNK]
        matrices = [_normalised(tokens, terms) for terms, _ in parts]
        columns.append(sp.hstack(matrices, format="csr").indices.astype(column_type))
        counts.append(np.column_stack([np.diff(matrix.indptr) for matrix in matrices]))
    every_count = np.concatenate(counts) if counts else np.zeros((0, len(parts)), dtype=np.int64)
    indptr = np.zeros(len(every_count) + 1, dtype=np.int64)
    np.cumsum(every_count.sum(axis=1), out=indptr[1:])
    # The same values as weight * _normalised(...): float32, then scaled in float32.
    with np.errstate(divide="ignore"):
        values = np.column_stack(
            [
                (1.0 / np.sqrt(every_count[:, part])).astype(np.float32) * weight
                for part, (_, weight) in enumerate(parts)
            ]
        )
    return TextVectors(
        indptr=indptr,
        columns=np.concatenate(columns) if columns else np.zeros(0, dtype=column_type),
        counts=every_count,
        values=values,
        width=width,
    )


def _incidence(rows: Sequence[Sequence[int]], columns: int) -> sp.csr_matrix:
    """A 0/1 matrix with a one in each listed column of each row (repeats add up)."""
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows], out=indptr[1:])
    indices = np.fromiter(chain.from_iterable(rows), dtype=np.int32, count=int(indptr[-1]))
    values = np.ones(len(indices), dtype=np.float32)
    return sp.csr_matrix((values, indices, indptr), shape=(len(rows), columns))


def _text_vectors(texts: Sequence[str]) -> TextVectors:
    """Binary character 4-gram and word vectors, each L2-normalised, joined with equal weight.

    Binary term presence without IDF: on the sample, IDF over-weights the rare topical
    words that unrelated offers on the same competence share (see the docs).
    """
    stop_words = english_stop_words()

    def words(token: str) -> list[str]:
        return [word for word in _WORD.findall(token) if word not in stop_words]

    # A word never spans white space: the words of each distinct white-space token are found
    # once, and both parts share the documents' tokens.
    documents_tokens, (tokens_chars, tokens_words) = _token_rows(
        (_strip_accents(text).split() for text in texts), _char_grams, words
    )
    return _sorted_columns(
        documents_tokens, ((tokens_chars, math.sqrt(0.5)), (tokens_words, math.sqrt(0.5)))
    )


def _multi_hot(sets: Sequence[frozenset[str]]) -> sp.csr_matrix:
    matrix = _binary_rows((list(values) for values in sets), lambda value: (value,))
    matrix.data[:] = 1.0
    return matrix


def _days(value: str | None) -> float:
    return float(date.fromisoformat(value[:10]).toordinal()) if value else math.nan


def prepare(items: Sequence[Item]) -> Features:
    """Vectorise items once (texts fitted on these items only) for :func:`find_pairs`."""
    start = np.array([_days(item.start) for item in items])
    end = np.array([_days(item.end) for item in items])
    end = np.where(np.isnan(end), start, end)
    return Features(
        items=items,
        text=_text_vectors([f"{item.title}. {item.description}" for item in items]),
        competences=_multi_hot([item.competences for item in items]),
        countries=_multi_hot([item.countries for item in items]),
        runners=_multi_hot([item.runners for item in items]),
        eqf=np.array([math.nan if item.eqf_level is None else item.eqf_level for item in items]),
        start=start,
        end=end,
    )


# --- blocking and the sparse text product -----------------------------------------------


def _blocks(items: Sequence[Item], keys: Callable[[Item], Iterable[Hashable]]) -> list[np.ndarray]:
    members: dict[Hashable, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        for block_key in set(keys(item)):
            members[block_key].append(index)
    # By the key's text (keys mix types), never the rows' text too.
    ordered = sorted(members.items(), key=lambda entry: repr(entry[0]))
    return [np.array(rows) for _, rows in ordered if len(rows) > 1]


def _duplicate_keys(item: Item) -> Iterable[Hashable]:
    """Shared competence and shared country; a missing side only meets the same gap."""
    return product(item.competences or {_NO_VALUE}, item.countries or {_NO_VALUE})


def _competence_keys(item: Item) -> Iterable[Hashable]:
    return item.competences or {_NO_VALUE}


def _recognition_keys(item: Item) -> Iterable[Hashable]:
    if item.eqf_level is None or not item.competences:
        return ()
    return ((tuple(sorted(item.competences)), item.eqf_level),)


def _top_k(rows: np.ndarray, columns: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """A mask keeping the ``k`` largest values of each row (equal values: lower column first)."""
    order = np.lexsort((columns, -values, rows))
    sorted_rows = rows[order]
    first = np.searchsorted(sorted_rows, sorted_rows, side="left")
    keep = np.zeros(len(rows), dtype=bool)
    keep[order[(np.arange(len(rows)) - first) < k]] = True
    return keep


def _block_pairs(
    text: TextVectors | sp.csr_matrix, block: np.ndarray, min_text: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs ``i < j`` of one block whose text similarity reaches ``min_text``.

    A block's rows are in ascending order, so a chunk of rows only needs the rows from its
    own first on: about half of the block's product. sparse-dot-topn multiplies in C++ and
    keeps only the values above its threshold (the exact ``>=`` is applied here).
    """
    from sparse_dot_topn import sp_matmul_topn

    floor = np.float32(min_text - 1e-6)
    below = float(np.nextafter(floor, np.float32(-np.inf)))
    vectors = text[block]
    found_i, found_j, found_sim = [], [], []
    for offset in range(0, len(block), CHUNK_ROWS):
        later = vectors[offset:]
        product_ = sp_matmul_topn(
            vectors[offset : offset + CHUNK_ROWS],
            later.T.tocsr(),
            top_n=later.shape[0],
            threshold=below,
            n_threads=PRODUCT_THREADS,
        ).tocoo()
        i, j = block[offset + product_.row], block[offset + product_.col]
        sim = product_.data
        keep = (i < j) & (sim >= floor)
        i, j, sim = i[keep], j[keep], sim[keep]
        if len(i) > MAX_NEIGHBOURS:
            keep = _top_k(i, j, sim, MAX_NEIGHBOURS)
            i, j, sim = i[keep], j[keep], sim[keep]
        found_i.append(i)
        found_j.append(j)
        found_sim.append(sim)
    return np.concatenate(found_i), np.concatenate(found_j), np.concatenate(found_sim)


def _small_block_pairs(
    text: TextVectors | sp.csr_matrix, blocks: Sequence[np.ndarray], min_text: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs ``i < j`` of small blocks reaching ``min_text``, every pair scored at once.

    A block this small never has more than ``MAX_NEIGHBOURS`` matches per item, so no
    top-k applies; one row-wise product over all their pairs replaces a product per block.
    The blocks' items have their vectors taken once.
    """
    if not blocks:
        return np.array([], dtype=int), np.array([], dtype=int), np.array([], dtype=np.float32)
    firsts, seconds = [], []
    for block in blocks:
        a, b = np.triu_indices(len(block), 1)
        firsts.append(block[a])
        seconds.append(block[b])
    i, j = np.concatenate(firsts), np.concatenate(seconds)
    rows = np.unique(np.concatenate(blocks))
    vectors = text[rows]
    at_i, at_j = np.searchsorted(rows, i), np.searchsorted(rows, j)
    sim = np.concatenate(
        [
            np.asarray(
                vectors[at_i[k : k + PAIR_ROWS]]
                .multiply(vectors[at_j[k : k + PAIR_ROWS]])
                .sum(axis=1)
            )
            .ravel()
            .astype(np.float32)
            for k in range(0, len(i), PAIR_ROWS)
        ]
        or [np.array([], dtype=np.float32)]
    )
    keep = sim >= min_text - 1e-6
    return i[keep], j[keep], sim[keep]


def _groups(blocks: Sequence[np.ndarray], rows: int) -> list[list[np.ndarray]]:
    """Consecutive blocks in groups of at most ``rows`` items (a larger block alone)."""
    groups: list[list[np.ndarray]] = []
    size = rows
    for block in blocks:
        if size + len(block) > rows:
            groups.append([])
            size = 0
        groups[-1].append(block)
        size += len(block)
    return groups


def _text_pairs(
    text: TextVectors | sp.csr_matrix, blocks: Sequence[np.ndarray], min_text: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Thresholded text similarities within every block, each pair once.

    Vectors are taken per block, and per group of :data:`VECTOR_ROWS` items of small
    blocks, never for every item at once.
    """
    empty = (np.array([], dtype=int), np.array([], dtype=int), np.array([], dtype=np.float32))
    small = [block for block in blocks if len(block) <= SMALL_BLOCK]
    parts = [_block_pairs(text, block, min_text) for block in blocks if len(block) > SMALL_BLOCK]
    parts += [_small_block_pairs(text, group, min_text) for group in _groups(small, VECTOR_ROWS)]
    parts.append(empty)
    i, j, sim = (np.concatenate(column) for column in zip(*parts, strict=True))
    _, first = np.unique(i.astype(np.int64) * text.shape[0] + j, return_index=True)
    return i[first], j[first], np.minimum(sim[first].astype(float), 1.0)


# --- scoring ------------------------------------------------------------------------------


def _overlap(matrix: sp.csr_matrix, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, ...]:
    """Shared count, Jaccard (NaN when both sets are empty) and whether either set is empty."""
    shared = np.asarray(matrix[i].multiply(matrix[j]).sum(axis=1)).ravel()
    sizes = matrix.getnnz(axis=1)
    union = sizes[i] + sizes[j] - shared
    with np.errstate(invalid="ignore", divide="ignore"):
        jaccard = np.where(union > 0, shared / union, math.nan)
    return shared, jaccard, (sizes[i] == 0) | (sizes[j] == 0)


def _time(features: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    gap = np.maximum(features.start[i], features.start[j]) - np.minimum(
        features.end[i], features.end[j]
    )
    return np.clip(1.0 - np.maximum(gap, 0.0) / TIME_HORIZON_DAYS, 0.0, 1.0)


def _components(
    features: Features, i: np.ndarray, j: np.ndarray, text: np.ndarray
) -> dict[str, np.ndarray]:
    _, competences, _ = _overlap(features.competences, i, j)
    _, countries, _ = _overlap(features.countries, i, j)
    return {
        "text": text,
        "competences": np.nan_to_num(competences, nan=0.0),
        "countries": countries,
        "eqf_level": np.clip(1.0 - np.abs(features.eqf[i] - features.eqf[j]) / 2.0, 0.0, 1.0),
        "time": _time(features, i, j),
    }


def _weighted(components: dict[str, np.ndarray]) -> np.ndarray:
    total = sum(np.where(np.isnan(v), 0.0, WEIGHTS[k] * v) for k, v in components.items())
    weight = sum(np.where(np.isnan(v), 0.0, WEIGHTS[k]) for k, v in components.items())
    return np.asarray(total / weight)


def _min_text(min_score: float) -> float:
    """The text similarity below which no pair can reach ``min_score`` (exact pruning)."""
    others = sum(WEIGHTS.values()) - WEIGHTS["text"]
    return max(0.0, (min_score * sum(WEIGHTS.values()) - others) / WEIGHTS["text"])


def _pairs(
    items: Sequence[Item], features: Features, blocks: Sequence[np.ndarray], min_text: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs by text, minus pairs of one runner (series)."""
    i, j, text = _text_pairs(features.text, blocks, min_text)
    shared_runner, _, _ = _overlap(features.runners, i, j)
    keep = shared_runner == 0
    return i[keep], j[keep], text[keep]


def _scored(
    items: Sequence[Item], i: np.ndarray, j: np.ndarray, values: dict[str, np.ndarray]
) -> list[ScoredPair]:
    score = _weighted(values)
    pairs = []
    for row, (a, b) in enumerate(zip(i, j, strict=True)):
        parts = {
            k: None if np.isnan(v[row]) else round(float(v[row]), 4) for k, v in values.items()
        }
        first, second = sorted((items[a].id, items[b].id))
        pairs.append(ScoredPair(first, second, round(float(score[row]), 4), parts))
    return sorted(pairs, key=lambda p: (-p.score, p.a, p.b))


def find_pairs(
    items: Sequence[Item] | Features,
    min_score: float = DEFAULT_MIN_SCORE,
    *,
    exhaustive: bool = False,
    same_country: bool = True,
) -> list[ScoredPair]:
    """Duplicate pairs among items of one kind, best first.

    A pair qualifies when its runners differ and its score reaches ``min_score``; with
    ``same_country`` (training offers) its countries must also overlap, or one side have
    none. Blocks are shared competence and country (competence only without
    ``same_country``); ``exhaustive=True`` compares every pair instead, with the same
    scoring, as a baseline. Pass :func:`prepare`'d features to vectorise only once.
    """
    features = items if isinstance(items, Features) else prepare(items)
    items = features.items
    if len(items) < 2:
        return []
    keys = _duplicate_keys if same_country else _competence_keys
    blocks = [np.arange(len(items))] if exhaustive else _blocks(items, keys)
    i, j, text = _pairs(items, features, blocks, _min_text(min_score))
    shared_countries, _, no_country = _overlap(features.countries, i, j)
    values = _components(features, i, j, text)
    allowed = (shared_countries > 0) | no_country | (not same_country)
    keep = allowed & (_weighted(values) >= min_score - 1e-9)
    return _scored(items, i[keep], j[keep], {k: v[keep] for k, v in values.items()})


def find_recognition_pairs(
    items: Sequence[Item] | Features, min_text: float = RECOGNITION_MIN_TEXT
) -> list[ScoredPair]:
    """Pairs teaching the same competences at the same EQF level in disjoint countries.

    Both need countries, different runners and a text similarity of at least ``min_text``.
    """
    features = items if isinstance(items, Features) else prepare(items)
    items = features.items
    if len(items) < 2:
        return []
    i, j, text = _pairs(items, features, _blocks(items, _recognition_keys), min_text)
    shared_countries, _, no_country = _overlap(features.countries, i, j)
    keep = (shared_countries == 0) & ~no_country
    values = _components(features, i[keep], j[keep], text[keep])
    return _scored(items, i[keep], j[keep], values)


# --- the report ---------------------------------------------------------------------------
