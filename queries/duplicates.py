"""Duplicated efforts: near-identical initiatives of the same kind run by different organisations.

Reads the projects and training offers of the projection as :class:`~queries.pair_scoring.Item`
records, scores them with :mod:`queries.pair_scoring` (blocked, never all pairs), joins the pairs
above the threshold into clusters and adds the evidence of every pair. Offers with the same
content in different countries come out apart, as recognition candidates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx
from pydantic import BaseModel

from graph.schema import NodeKind, RelType
from queries.projection import linked_ids, nodes_of
from queries.thresholds import DEFAULT_MIN_SCORE

#: Initiatives from which :func:`duplicates` may search in a second process: from here on the
#: search takes seconds, while starting a process takes about half a second (most of it
#: importing NumPy and SciPy).
SECOND_PROCESS_MIN_ITEMS = 10_000

if TYPE_CHECKING:
    from queries.pair_scoring import Item, ScoredPair

Kind = Literal["project", "training_offer"]


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
    matched_on: Literal["text", "anchors"] = "text"
    shared_anchors: list[str] = []


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


@dataclass(frozen=True)
class _Initiatives:
    """The initiatives of one kind as the search needs them: nothing refers to the graph."""

    kind: Kind
    items: list[Item]
    #: The organisations that run each initiative, by id.
    organisations: dict[str, frozenset[str]]


_KINDS: dict[Kind, NodeKind] = {
    "project": NodeKind.PROJECT,
    "training_offer": NodeKind.TRAINING_OFFER,
}


#: How each initiative reaches its organisations, competences and countries.
_LINKS = {
    RelType.ACTIVE_IN: False,
    RelType.PROVIDES: True,
    RelType.TEACHES: False,
    RelType.PARTICIPATES_IN: True,
    RelType.TARGETS: False,
}


def _coordinators(graph: nx.MultiDiGraph) -> dict[Any, set[str]]:
    """Each project's coordinating organisations."""
    found: dict[Any, set[str]] = defaultdict(set)
    for org, project, data in graph.edges(data=True):
        if data.get("rel") == RelType.PARTICIPATES_IN and data.get("role") == "coordinator":
            found[project].add(org[1])
    return found


def _item(
    node: Any,
    data: dict[str, Any],
    kind: Kind,
    linked: dict[RelType, dict[Any, set[str]]],
    coordinators: dict[Any, set[str]],
) -> Item:
    from queries.pair_scoring import Item

    none: set[str] = set()
    countries = frozenset(linked[RelType.ACTIVE_IN].get(node, none))
    if kind == "training_offer":
        return Item(
            id=data["id"],
            title=data.get("title") or "",
            description=data.get("description") or "",
            runners=frozenset(linked[RelType.PROVIDES].get(node, none)),
            competences=frozenset(linked[RelType.TEACHES].get(node, none)),
            countries=countries,
            eqf_level=data.get("eqf_level"),
            start=data.get("start"),
            end=data.get("end"),
        )
    title = " ".join(filter(None, (data.get("acronym"), data.get("title"))))
    return Item(
        id=data["id"],
        title=title,
        description=data.get("description") or "",
        runners=frozenset(coordinators.get(node, none))
        or frozenset(linked[RelType.PARTICIPATES_IN].get(node, none)),
        competences=frozenset(linked[RelType.TARGETS].get(node, none)),
        countries=countries,
        start=data.get("start"),
        end=data.get("end"),
    )


def _projects_of(linked: dict[RelType, dict[Any, set[str]]]) -> dict[str, frozenset[str]]:
    projects: dict[str, set[str]] = defaultdict(set)
    for project, orgs in linked[RelType.PARTICIPATES_IN].items():
        for org in orgs:
            projects[org].add(project[1])
    return {org: frozenset(ids) for org, ids in projects.items()}


def _evidence(pair: ScoredPair, context: _Context) -> PairEvidence:
    from queries.semantic import text_anchors

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
        matched_on="anchors" if "anchors" in pair.components else "text",
        shared_anchors=sorted(
            text_anchors(a.title, a.description) & text_anchors(b.title, b.description)
        ),
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
    second_process: bool = False,
) -> DuplicateReport:
    """Clusters of near-identical projects or training offers run by different organisations.

    Parameters
    ----------
    graph : the projection (:func:`queries.projection.project`).
    min_score : pairs scoring at least this (in [0, 1]) are duplicates.
    kind : only projects or only training offers; both when None.
    second_process : search in a second process (:mod:`queries.second_process`) when there
        are at least :data:`SECOND_PROCESS_MIN_ITEMS` initiatives, so that the calling
        process's CPU stays free for other work (the report runs this in a thread of its
        own meanwhile). The report is the same either way.

    Returns
    -------
    DuplicateReport
        Clusters (best first) with every pair's score, components and evidence, and the
        recognition candidates among training offers.
    """
    linked = linked_ids(graph, _LINKS)
    coordinators = _coordinators(graph)
    initiatives = []
    for name, node_kind in _KINDS.items():
        if kind is not None and kind != name:
            continue
        nodes = nodes_of(graph, node_kind)
        run_by = linked[RelType.PROVIDES if name == "training_offer" else RelType.PARTICIPATES_IN]
        initiatives.append(
            _Initiatives(
                kind=name,
                items=[_item(node, data, name, linked, coordinators) for node, data in nodes],
                organisations={data["id"]: frozenset(run_by.get(node, ())) for node, data in nodes},
            )
        )
    projects_of = _projects_of(linked)
    if second_process and sum(len(i.items) for i in initiatives) >= SECOND_PROCESS_MIN_ITEMS:
        from queries.second_process import in_second_process

        return in_second_process(_search, initiatives, projects_of, min_score)
    return _search(initiatives, projects_of, min_score)


def _search(
    initiatives: list[_Initiatives], projects_of: dict[str, frozenset[str]], min_score: float
) -> DuplicateReport:
    """The duplicate report of these initiatives (the search of :func:`duplicates`)."""
    # The scoring's NumPy and SciPy are imported when duplicates are searched, not with the
    # report models (which every command and view imports).
    from queries.pair_scoring import find_pairs, find_recognition_pairs, prepare
    from queries.semantic import find_anchor_pairs, with_anchor_pairs

    clusters: list[DuplicateCluster] = []
    recognition: list[RecognitionCandidate] = []
    for initiative in initiatives:
        if len(initiative.items) < 2:
            continue
        context = _Context(
            items={item.id: item for item in initiative.items},
            organisations=initiative.organisations,
            projects_of=projects_of,
        )
        # A project is not tied to one country's learners: the same project run from
        # another country still duplicates the effort, so only offers need a shared country.
        features = prepare(initiative.items)
        same_country = initiative.kind == "training_offer"
        pairs = with_anchor_pairs(
            find_pairs(features, min_score, same_country=same_country),
            find_anchor_pairs(features, min_score, same_country=same_country),
        )
        clusters += _clusters(initiative.kind, pairs, context)
        if initiative.kind == "training_offer":
            recognition = _recognition(find_recognition_pairs(features), context)
    clusters.sort(key=lambda c: (-c.score, c.kind, c.ids))
    return DuplicateReport(
        min_score=min_score, clusters=clusters, recognition_candidates=recognition
    )
