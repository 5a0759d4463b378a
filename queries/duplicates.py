"""Duplicated efforts: near-identical initiatives of the same kind run by different organisations.

Two layers. :func:`find_pairs` and :func:`find_recognition_pairs` work on plain
:class:`Item` records (no store, no graph), so that a benchmark can compare the blocked
search with an exhaustive all-pairs search under the same scoring. :func:`duplicates`
reads the items from the projection, runs them and adds the evidence.

The search never compares every pair of texts: items are put into blocks (shared
competence and country for duplicates; the same competence set and EQF level for
recognition candidates), text similarity is a sparse product of binary n-gram vectors
within each block, thresholded, and only the survivors get the other components.

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

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import product
from typing import Any, Literal

import networkx as nx
import numpy as np
import scipy.sparse as sp
from pydantic import BaseModel
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import MultiLabelBinarizer

from graph.schema import NodeKind, RelType
from queries.projection import nodes_of

Kind = Literal["project", "training_offer"]

#: Weights of the score's components; a missing component (no EQF, no dates) is left out
#: and the others are re-weighted, so the score stays in [0, 1].
WEIGHTS: dict[str, float] = {
    "text": 0.5,
    "competences": 0.2,
    "countries": 0.1,
    "eqf_level": 0.1,
    "time": 0.1,
}
#: Chosen on the sample data (docs/analyses/duplicates.md): planted duplicates score >= 0.82
#: (offers >= 0.90), the decoy 0.62 and the best unrelated pair in a block 0.63.
DEFAULT_MIN_SCORE = 0.75
#: Text similarity above which same-competence, same-EQF offers in different countries are
#: recognition candidates (sample: planted pairs >= 0.50, unrelated pairs <= 0.45).
RECOGNITION_MIN_TEXT = 0.48
#: Dates this far apart (days between the two runs) make the time component 0.
TIME_HORIZON_DAYS = 365.0
#: At most this many best matches per item and block are kept (bounds huge blocks).
MAX_NEIGHBOURS = 50
#: Rows of a block multiplied at once (bounds the memory of one sparse product).
CHUNK_ROWS = 2048
_NO_VALUE = ""


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
    text: sp.csr_matrix
    competences: sp.csr_matrix
    countries: sp.csr_matrix
    runners: sp.csr_matrix
    eqf: np.ndarray
    start: np.ndarray
    end: np.ndarray


# --- features ---------------------------------------------------------------------------


def _text_vectors(texts: Sequence[str]) -> sp.csr_matrix:
    """Binary character 4-gram and word vectors, each L2-normalised, joined with equal weight.

    Binary term presence without IDF: on the sample, IDF over-weights the rare topical
    words that unrelated offers on the same competence share (see the docs).
    """
    common: dict[str, Any] = {
        "binary": True,
        "use_idf": False,
        "strip_accents": "unicode",
        "dtype": np.float32,
    }
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 4), **common)
    words = TfidfVectorizer(analyzer="word", stop_words="english", **common)
    parts = [_fit(vectorizer, texts) for vectorizer in (chars, words)]
    return sp.hstack([math.sqrt(0.5) * part for part in parts], format="csr")


def _fit(vectorizer: TfidfVectorizer, texts: Sequence[str]) -> sp.csr_matrix:
    try:
        return vectorizer.fit_transform(texts)
    except ValueError:  # no term at all (no text, or only stop words): nothing to compare
        return sp.csr_matrix((len(texts), 0), dtype=np.float32)


def _multi_hot(sets: Sequence[frozenset[str]]) -> sp.csr_matrix:
    binarizer = MultiLabelBinarizer(sparse_output=True)
    matrix = binarizer.fit_transform([sorted(s) for s in sets] + [[_NO_VALUE]])
    return sp.csr_matrix(matrix[:-1], dtype=np.float32)


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
    return [np.array(rows) for _, rows in sorted(members.items(), key=repr) if len(rows) > 1]


def _duplicate_keys(item: Item) -> Iterable[Hashable]:
    """Shared competence and shared country; a missing side only meets the same gap."""
    return product(item.competences or {_NO_VALUE}, item.countries or {_NO_VALUE})


def _competence_keys(item: Item) -> Iterable[Hashable]:
    return item.competences or {_NO_VALUE}


def _recognition_keys(item: Item) -> Iterable[Hashable]:
    if item.eqf_level is None or not item.competences:
        return ()
    return ((tuple(sorted(item.competences)), item.eqf_level),)


def _top_k(rows: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """A mask keeping the ``k`` largest values of each row."""
    order = np.lexsort((-values, rows))
    sorted_rows = rows[order]
    first = np.searchsorted(sorted_rows, sorted_rows, side="left")
    keep = np.zeros(len(rows), dtype=bool)
    keep[order[(np.arange(len(rows)) - first) < k]] = True
    return keep


def _block_pairs(
    text: sp.csr_matrix, block: np.ndarray, min_text: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs ``i < j`` of one block whose text similarity reaches ``min_text``."""
    found_i, found_j, found_sim = [], [], []
    columns = text[block].T.tocsc()
    for offset in range(0, len(block), CHUNK_ROWS):
        rows = block[offset : offset + CHUNK_ROWS]
        product_ = (text[rows] @ columns).tocoo()
        i, j, sim = rows[product_.row], block[product_.col], product_.data
        keep = (i < j) & (sim >= min_text - 1e-6)
        i, j, sim = i[keep], j[keep], sim[keep]
        if len(i) > MAX_NEIGHBOURS:
            keep = _top_k(i, sim, MAX_NEIGHBOURS)
            i, j, sim = i[keep], j[keep], sim[keep]
        found_i.append(i)
        found_j.append(j)
        found_sim.append(sim)
    return np.concatenate(found_i), np.concatenate(found_j), np.concatenate(found_sim)


def _text_pairs(
    text: sp.csr_matrix, blocks: Sequence[np.ndarray], min_text: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Thresholded text similarities within every block, each pair once."""
    empty = (np.array([], dtype=int), np.array([], dtype=int), np.array([], dtype=np.float32))
    parts = [_block_pairs(text, block, min_text) for block in blocks] or [empty]
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


class PairEvidence(BaseModel):
    """Why a pair was flagged: each component and what the two share."""

    components: dict[str, float | None]
    shared_competences: list[str]
    shared_countries: list[str]
    organisations_a: list[str]
    organisations_b: list[str]
    common_organisations: list[str]
    already_work_together: bool
    shared_projects: list[str]


class DuplicatePair(BaseModel):
    """Two near-identical initiatives and the evidence."""

    a: str
    b: str
    score: float
    evidence: PairEvidence


class DuplicateCluster(BaseModel):
    """Initiatives of one kind joined by duplicate pairs; ``score`` is the mean pair score."""

    kind: Kind
    ids: list[str]
    score: float
    pairs: list[DuplicatePair]


class RecognitionPair(BaseModel):
    """Two offers of a recognition candidate and their text similarity."""

    a: str
    b: str
    text: float


class RecognitionCandidate(BaseModel):
    """The same competences at the same EQF level taught in several countries."""

    ids: list[str]
    competences: list[str]
    eqf_level: int
    countries: list[str]
    providers: list[str]
    pairs: list[RecognitionPair]


class DuplicateReport(BaseModel):
    """Duplicate clusters and recognition candidates, with the threshold used."""

    min_score: float
    clusters: list[DuplicateCluster]
    recognition_candidates: list[RecognitionCandidate]


@dataclass(frozen=True)
class _Context:
    items: dict[str, Item]
    organisations: dict[str, frozenset[str]]
    projects_of: dict[str, frozenset[str]]


_KINDS: dict[Kind, NodeKind] = {
    "project": NodeKind.PROJECT,
    "training_offer": NodeKind.TRAINING_OFFER,
}


def _linked(graph: nx.MultiDiGraph, node: Any, rel: RelType, *, incoming: bool = False) -> list:
    """Ids of the nodes linked to ``node`` by ``rel`` (out-edges, or in-edges), with data."""
    edges = graph.in_edges(node, data=True) if incoming else graph.out_edges(node, data=True)
    return [
        ((source if incoming else target)[1], data)
        for source, target, data in edges
        if data.get("rel") == rel
    ]


def _item(graph: nx.MultiDiGraph, node: Any, data: dict[str, Any], kind: Kind) -> Item:
    countries = frozenset(k for k, _ in _linked(graph, node, RelType.ACTIVE_IN))
    if kind == "training_offer":
        return Item(
            id=data["id"],
            title=data.get("title") or "",
            description=data.get("description") or "",
            runners=frozenset(o for o, _ in _linked(graph, node, RelType.PROVIDES, incoming=True)),
            competences=frozenset(c for c, _ in _linked(graph, node, RelType.TEACHES)),
            countries=countries,
            eqf_level=data.get("eqf_level"),
            start=data.get("start"),
            end=data.get("end"),
        )
    participants = _linked(graph, node, RelType.PARTICIPATES_IN, incoming=True)
    coordinators = frozenset(o for o, e in participants if e.get("role") == "coordinator")
    title = " ".join(filter(None, (data.get("acronym"), data.get("title"))))
    return Item(
        id=data["id"],
        title=title,
        description=data.get("description") or "",
        runners=coordinators or frozenset(o for o, _ in participants),
        competences=frozenset(c for c, _ in _linked(graph, node, RelType.TARGETS)),
        countries=countries,
        start=data.get("start"),
        end=data.get("end"),
    )


def _organisations(graph: nx.MultiDiGraph, node: Any, kind: Kind) -> frozenset[str]:
    rel = RelType.PROVIDES if kind == "training_offer" else RelType.PARTICIPATES_IN
    return frozenset(o for o, _ in _linked(graph, node, rel, incoming=True))


def _projects_of(graph: nx.MultiDiGraph) -> dict[str, frozenset[str]]:
    projects: dict[str, set[str]] = defaultdict(set)
    for source, target, data in graph.edges(data=True):
        if data.get("rel") == RelType.PARTICIPATES_IN:
            projects[source[1]].add(target[1])
    return {org: frozenset(ids) for org, ids in projects.items()}


def _evidence(pair: ScoredPair, context: _Context) -> PairEvidence:
    a, b = context.items[pair.a], context.items[pair.b]
    orgs_a, orgs_b = context.organisations[pair.a], context.organisations[pair.b]

    def projects(orgs: frozenset[str]) -> set[str]:
        return set().union(*(context.projects_of.get(o, frozenset()) for o in orgs))

    shared = (projects(orgs_a) & projects(orgs_b)) - {pair.a, pair.b}
    common = orgs_a & orgs_b
    return PairEvidence(
        components=pair.components,
        shared_competences=sorted(a.competences & b.competences),
        shared_countries=sorted(a.countries & b.countries),
        organisations_a=sorted(orgs_a),
        organisations_b=sorted(orgs_b),
        common_organisations=sorted(common),
        already_work_together=bool(shared or common),
        shared_projects=sorted(shared),
    )


def _clusters(kind: Kind, pairs: list[ScoredPair], context: _Context) -> list[DuplicateCluster]:
    links = nx.Graph()
    links.add_edges_from((p.a, p.b, {"pair": p}) for p in pairs)
    clusters = []
    for component in nx.connected_components(links):
        members = links.subgraph(component)
        found = sorted(
            (d["pair"] for _, _, d in members.edges(data=True)), key=lambda p: (p.a, p.b)
        )
        clusters.append(
            DuplicateCluster(
                kind=kind,
                ids=sorted(component),
                score=round(sum(p.score for p in found) / len(found), 4),
                pairs=[
                    DuplicatePair(a=p.a, b=p.b, score=p.score, evidence=_evidence(p, context))
                    for p in found
                ],
            )
        )
    return clusters


def _recognition(pairs: list[ScoredPair], context: _Context) -> list[RecognitionCandidate]:
    links = nx.Graph()
    links.add_edges_from((p.a, p.b, {"pair": p}) for p in pairs)
    candidates = []
    for component in nx.connected_components(links):
        ids = sorted(component)
        first = context.items[ids[0]]
        found = sorted(
            (d["pair"] for _, _, d in links.subgraph(component).edges(data=True)),
            key=lambda p: (p.a, p.b),
        )
        candidates.append(
            RecognitionCandidate(
                ids=ids,
                competences=sorted(first.competences),
                eqf_level=int(first.eqf_level or 0),
                countries=sorted(set().union(*(context.items[i].countries for i in ids))),
                providers=sorted(set().union(*(context.organisations[i] for i in ids))),
                pairs=[
                    RecognitionPair(a=p.a, b=p.b, text=p.components["text"] or 0.0) for p in found
                ],
            )
        )
    return sorted(candidates, key=lambda c: (-len(c.ids), c.ids))


def duplicates(
    graph: nx.MultiDiGraph,
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    kind: Kind | None = None,
) -> DuplicateReport:
    """Clusters of near-identical projects or training offers run by different organisations.

    Parameters
    ----------
    graph : the projection (:func:`queries.projection.project`).
    min_score : pairs scoring at least this (in [0, 1]) are duplicates.
    kind : only projects or only training offers; both when None.

    Returns
    -------
    DuplicateReport
        Clusters (best first) with every pair's score, components and evidence, and the
        recognition candidates among training offers.
    """
    projects_of = _projects_of(graph)
    clusters: list[DuplicateCluster] = []
    recognition: list[RecognitionCandidate] = []
    for name, node_kind in _KINDS.items():
        if kind is not None and kind != name:
            continue
        nodes = nodes_of(graph, node_kind)
        items = [_item(graph, node, data, name) for node, data in nodes]
        if len(items) < 2:
            continue
        context = _Context(
            items={item.id: item for item in items},
            organisations={data["id"]: _organisations(graph, node, name) for node, data in nodes},
            projects_of=projects_of,
        )
        # A project is not tied to one country's learners: the same project run from
        # another country still duplicates the effort, so only offers need a shared country.
        features = prepare(items)
        pairs = find_pairs(features, min_score, same_country=name == "training_offer")
        clusters += _clusters(name, pairs, context)
        if name == "training_offer":
            recognition = _recognition(find_recognition_pairs(features), context)
    clusters.sort(key=lambda c: (-c.score, c.kind, c.ids))
    return DuplicateReport(
        min_score=min_score, clusters=clusters, recognition_candidates=recognition
    )
