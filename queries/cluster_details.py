"""What a coordinator compares in a duplicate cluster: each initiative side by side.

Example
-------
>>> sorted(shared_words(["Battery cell assembly", "Assembly of battery packs", "Welding"]))
['assembly', 'battery']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import networkx as nx
from pydantic import BaseModel

from graph.schema import NodeKind, RelType
from queries.decisions import INITIATIVE_KINDS
from queries.duplicates import DuplicateCluster

WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
#: Words too common to say anything about two texts being alike.
STOP_WORDS = frozenset(
    [
        "about",
        "also",
        "and",
        "are",
        "based",
        "between",
        "course",
        "each",
        "from",
        "have",
        "into",
        "more",
        "other",
        "over",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "training",
        "using",
        "well",
        "were",
        "what",
        "when",
        "which",
        "while",
        "will",
        "with",
        "within",
        "without",
        "your",
    ]
)
#: Who runs an initiative of each kind: the relationship from the organisation.
RUN_BY = {NodeKind.PROJECT: RelType.PARTICIPATES_IN, NodeKind.TRAINING_OFFER: RelType.PROVIDES}


class InitiativeDetail(BaseModel):
    """One initiative of a cluster, as compared with the others."""

    id: str
    kind: str
    title: str
    description: str
    organisations: list[str]
    countries: list[str]
    start: str | None
    end: str | None
    eqf_level: int | None


class ClusterDetail(BaseModel):
    """A cluster's initiatives and the words that two or more of their texts share."""

    initiatives: list[InitiativeDetail]
    shared_words: list[str]


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)} - STOP_WORDS


def shared_words(texts: Iterable[str]) -> set[str]:
    """Words (four letters or more, common words left out) found in two texts or more."""
    counts = Counter(word for text in texts for word in _words(text))
    return {word for word, n in counts.items() if n >= 2}


def initiative_detail(graph: nx.MultiDiGraph, kind: str, entity_id: str) -> InitiativeDetail:
    """An initiative's title, text, who runs it, where and when, and its EQF level."""
    node_kind = INITIATIVE_KINDS[kind]
    node = (node_kind, entity_id)
    data = graph.nodes[node]
    runners = sorted(
        str(graph.nodes[src].get("name") or src[1])
        for src, _, rel in graph.in_edges(node, keys=True)
        if rel == RUN_BY[node_kind]
    )
    countries = sorted(
        dst[1] for _, dst, rel in graph.out_edges(node, keys=True) if rel == RelType.ACTIVE_IN
    )
    return InitiativeDetail(
        id=entity_id,
        kind=kind,
        title=str(data.get("title") or entity_id),
        description=str(data.get("description") or ""),
        organisations=runners,
        countries=countries,
        start=str(data["start"]) if data.get("start") else None,
        end=str(data["end"]) if data.get("end") else None,
        eqf_level=data.get("eqf_level"),
    )


def cluster_detail(graph: nx.MultiDiGraph, cluster: DuplicateCluster) -> ClusterDetail:
    """The cluster's initiatives side by side and the words their titles and texts share."""
    initiatives = [initiative_detail(graph, cluster.kind, i) for i in cluster.ids]
    words = shared_words(f"{i.title} {i.description}" for i in initiatives)
    return ClusterDetail(initiatives=initiatives, shared_words=sorted(words))
