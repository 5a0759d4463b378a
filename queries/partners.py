"""Collaboration partners: organisations a member has not worked with yet, and why they fit.

A candidate is scored on three components (see ``docs/analyses/partners-fragmentation.md``):

- **complementarity**: for every competence the member needs, 1 if the candidate offers a
  course teaching it, plus 0.5 if it has expertise in it;
- **shared interests**: the Adamic-Adar index of member and candidate on the
  organisation-competence expertise graph (common competences, rare ones counting more);
- **shared priorities**: the share of the priorities the member raised that the candidate
  raised too.

``score = complementarity + 0.5 * shared_interests + 0.5 * shared_priorities``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from pydantic import BaseModel

from graph.errors import NotFound
from graph.schema import NodeKind, RelType
from queries.projection import NodeKey, key, nodes_of

COURSE_WEIGHT = 1.0
EXPERTISE_WEIGHT = 0.5
INTERESTS_WEIGHT = 0.5
PRIORITIES_WEIGHT = 0.5


class Recommendation(BaseModel):
    """An organisation worth contacting, its score, the score's parts and the reasons."""

    id: str
    name: str
    country: str | None
    type: str | None
    score: float
    reasons: list[str]
    complementarity: float
    shared_interests: float
    shared_priorities: float
    courses_for_needs: dict[str, list[str]]
    expertise_for_needs: list[str]
    common_competences: list[str]
    common_priorities: list[str]


class PartnerReport(BaseModel):
    """Recommended new partners of one member, and the partners it already has."""

    member: str
    recommendations: list[Recommendation]
    existing_partners: list[str]


@dataclass
class Profile:
    """What one organisation needs, knows, teaches and raised (competence / priority ids)."""

    needs: set[str] = field(default_factory=set)
    expertise: set[str] = field(default_factory=set)
    courses: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    priorities: set[str] = field(default_factory=set)


def _organisation_edges(graph: nx.MultiDiGraph) -> list[tuple[NodeKey, NodeKey, str]]:
    """The edges out of organisations only (not the whole graph's: offers far outnumber them)."""
    organisations = [node for node in graph if node[0] is NodeKind.ORGANISATION]
    return list(graph.out_edges(organisations, keys=True))


def profiles_of(graph: nx.MultiDiGraph) -> dict[str, Profile]:
    """Every organisation's profile, read from its outgoing edges.

    The same for every member asking: a caller answering many members of one graph can
    compute it once and pass it to :func:`partners`.
    """
    profiles: dict[str, Profile] = defaultdict(Profile)
    for source, target, rel in _organisation_edges(graph):
        profile = profiles[source[1]]
        if rel == RelType.NEEDS:
            profile.needs.add(target[1])
        elif rel == RelType.HAS_EXPERTISE:
            profile.expertise.add(target[1])
        elif rel == RelType.RAISED:
            profile.priorities.add(target[1])
        elif rel == RelType.PROVIDES:
            for _, competence, taught in graph.out_edges(target, keys=True):
                if taught == RelType.TEACHES:
                    profile.courses[competence[1]].add(target[1])
    return profiles


def _existing_partners(graph: nx.MultiDiGraph, member: NodeKey) -> list[str]:
    """Organisations that share at least one project with the member."""
    partners = {
        org[1]
        for _, project, rel in graph.out_edges(member, keys=True)
        if rel == RelType.PARTICIPATES_IN
        for org, _, other in graph.in_edges(project, keys=True)
        if other == RelType.PARTICIPATES_IN and org != member
    }
    return sorted(partners)


def _interests(graph: nx.MultiDiGraph, member: str, candidates: list[str]) -> dict[str, float]:
    """Adamic-Adar index of the member with each candidate on the expertise graph."""
    expertise = nx.Graph()
    expertise.add_nodes_from(key(NodeKind.ORGANISATION, org) for org in [member, *candidates])
    expertise.add_edges_from(
        (source, target)
        for source, target, rel in _organisation_edges(graph)
        if rel == RelType.HAS_EXPERTISE
    )
    me = key(NodeKind.ORGANISATION, member)
    pairs = [(me, key(NodeKind.ORGANISATION, org)) for org in candidates]
    return {v[1]: float(score) for _, v, score in nx.adamic_adar_index(expertise, pairs)}


def _labels(graph: nx.MultiDiGraph, kind: NodeKind) -> dict[str, str]:
    """Id -> label of the nodes of one kind."""
    return {node[1]: str(data.get("label", node[1])) for node, data in nodes_of(graph, kind)}


def _listing(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _reasons(
    rec: Recommendation, labels: dict[str, str], priority_labels: dict[str, str]
) -> list[str]:
    """The recommendation's evidence in plain words."""
    reasons = []
    for competence in sorted(
        {*rec.courses_for_needs, *rec.expertise_for_needs}, key=lambda c: labels.get(c, c)
    ):
        label = labels.get(competence, competence)
        courses = len(rec.courses_for_needs.get(competence, []))
        if courses:
            also = ", and has expertise in it" if competence in rec.expertise_for_needs else ""
            noun = "course" if courses == 1 else "courses"
            reasons.append(f"offers {courses} {noun} in {label}, which you need{also}")
        else:
            reasons.append(f"has expertise in {label}, which you need")
    if rec.common_competences:
        shared = _listing([labels.get(c, c) for c in rec.common_competences])
        reasons.append(f"shares your expertise in {shared}")
    if rec.common_priorities:
        noun = "priority" if len(rec.common_priorities) == 1 else "priorities"
        raised = _listing([priority_labels.get(p, p) for p in rec.common_priorities])
        reasons.append(f"raised the same {noun} as you: {raised}")
    return reasons


def _recommend(
    org: str, data: dict[str, Any], me: Profile, them: Profile, interests: float
) -> Recommendation:
    """Score one candidate against the member's profile (reasons are filled in later)."""
    courses = {c: sorted(them.courses[c]) for c in sorted(me.needs) if them.courses.get(c)}
    expertise = sorted(me.needs & them.expertise)
    complementarity = COURSE_WEIGHT * len(courses) + EXPERTISE_WEIGHT * len(expertise)
    common_priorities = sorted(me.priorities & them.priorities)
    priorities = len(common_priorities) / len(me.priorities) if me.priorities else 0.0
    score = complementarity + INTERESTS_WEIGHT * interests + PRIORITIES_WEIGHT * priorities
    return Recommendation(
        id=org,
        name=str(data.get("name", org)),
        country=data.get("country"),
        type=data.get("type"),
        score=round(score, 6),
        reasons=[],
        complementarity=round(complementarity, 6),
        shared_interests=round(interests, 6),
        shared_priorities=round(priorities, 6),
        courses_for_needs=courses,
        expertise_for_needs=expertise,
        common_competences=sorted(me.expertise & them.expertise),
        common_priorities=common_priorities,
    )


def partners(
    graph: nx.MultiDiGraph,
    member_id: str,
    *,
    country: str | None = None,
    org_type: str | None = None,
    limit: int = 10,
    profiles: Mapping[str, Profile] | None = None,
) -> PartnerReport:
    """Rank the organisations a member has not shared a project with as possible partners.

    Parameters
    ----------
    graph : the projection of the store (:func:`queries.projection.project`).
    member_id : the organisation asking.
    country, org_type : keep only candidates in this country (ISO code) / of this type.
    limit : at most this many recommendations (highest score first, ties by id).
    profiles : :func:`profiles_of` the same graph, if computed already.

    Raises
    ------
    NotFound
        When no organisation has the id ``member_id``.

    Examples
    --------
    >>> partners(project(store), "m-004", country="DE", limit=3)  # doctest: +SKIP
    """
    member = key(NodeKind.ORGANISATION, member_id)
    if member not in graph:
        raise NotFound("organisation", member_id)
    existing = _existing_partners(graph, member)
    excluded = {member_id, *existing}
    candidates = [
        (node[1], data)
        for node, data in nodes_of(graph, NodeKind.ORGANISATION)
        if node[1] not in excluded
        and (country is None or str(data.get("country") or "").upper() == country.upper())
        and (org_type is None or data.get("type") == org_type)
    ]
    profiles = profiles if profiles is not None else profiles_of(graph)
    interests = _interests(graph, member_id, [org for org, _ in candidates])
    none = Profile()
    me = profiles.get(member_id, none)
    scored = [_recommend(org, data, me, profiles.get(org, none), interests[org])
              for org, data in candidates]  # fmt: skip
    ranked = sorted((r for r in scored if r.score > 0), key=lambda r: (-r.score, r.id))
    labels = _labels(graph, NodeKind.COMPETENCE)
    priority_labels = _labels(graph, NodeKind.PRIORITY)
    recommendations = [
        r.model_copy(update={"reasons": _reasons(r, labels, priority_labels)})
        for r in ranked[: max(limit, 0)]
    ]
    return PartnerReport(
        member=member_id,
        recommendations=recommendations,
        existing_partners=existing,
    )
