"""What is new: entities added or changed since a date, and those that concern one member."""

from __future__ import annotations

from typing import Literal

import networkx as nx
from pydantic import BaseModel

from graph.errors import NotFound
from graph.schema import NAME_PROPERTY, NodeKind, RelType

WATCHED = {
    NodeKind.PROJECT: "project",
    NodeKind.TRAINING_OFFER: "training_offer",
    NodeKind.ORGANISATION: "organisation",
}
#: How an entity of each watched kind is tied to competences.
COMPETENCE_LINKS = {
    NodeKind.PROJECT: (RelType.TARGETS,),
    NodeKind.TRAINING_OFFER: (RelType.TEACHES,),
    NodeKind.ORGANISATION: (RelType.HAS_EXPERTISE,),
}


class Change(BaseModel):
    """An entity added or changed, and for a digest why it concerns the member."""

    kind: str
    id: str
    name: str
    change: Literal["added", "changed"]
    updated_at: str
    competences: list[str] = []
    reason: str | None = None


class ChangeReport(BaseModel):
    """Changes since a date, newest first."""

    since: str
    member: str | None = None
    changes: list[Change]


def _competences(graph: nx.MultiDiGraph, node: tuple[NodeKind, str]) -> list[str]:
    rels = COMPETENCE_LINKS[node[0]]
    found = {
        target[1] for _, target, data in graph.out_edges(node, data=True) if data["rel"] in rels
    }
    return sorted(found)


def changes(graph: nx.MultiDiGraph, since: str) -> ChangeReport:
    """Projects, offers and organisations whose content changed on or after ``since`` (ISO date)."""
    found = []
    for node, data in graph.nodes(data=True):
        if node[0] not in WATCHED or (data.get("updated_at") or "") < since:
            continue
        kind_name = WATCHED[node[0]]
        added = (data.get("created_at") or "") >= since
        found.append(
            Change(
                kind=kind_name,
                id=node[1],
                name=str(data.get(NAME_PROPERTY[node[0]]) or node[1]),
                change="added" if added else "changed",
                updated_at=data["updated_at"],
                competences=_competences(graph, node),
            )
        )
    found.sort(key=lambda c: (c.updated_at, c.kind, c.id), reverse=True)
    return ChangeReport(since=since, changes=found)


def digest(
    graph: nx.MultiDiGraph, member_id: str, since: str, *, changed: ChangeReport | None = None
) -> ChangeReport:
    """The changes since ``since`` that touch what a member needs or is expert in.

    ``changed`` is :func:`changes` of the same graph and date, if computed already (it is the
    same for every member).
    """
    member = (NodeKind.ORGANISATION, member_id)
    if member not in graph:
        raise NotFound("organisation", member_id)
    needs = {t[1] for _, t, d in graph.out_edges(member, data=True) if d["rel"] is RelType.NEEDS}
    expertise = {
        t[1] for _, t, d in graph.out_edges(member, data=True) if d["rel"] is RelType.HAS_EXPERTISE
    }
    labels = {
        n[1]: d.get("label", n[1]) for n, d in graph.nodes(data=True) if n[0] is NodeKind.COMPETENCE
    }
    relevant = []
    for change in (changed or changes(graph, since)).changes:
        if change.kind == "organisation" and change.id == member_id:
            continue
        wanted = sorted(set(change.competences) & needs)
        known = sorted(set(change.competences) & expertise)
        if not wanted and not known:
            continue
        if wanted:
            reason = "on " + ", ".join(labels[c] for c in wanted) + ", which you need"
        else:
            reason = "on " + ", ".join(labels[c] for c in known) + ", your expertise"
        relevant.append(change.model_copy(update={"reason": reason}))
    return ChangeReport(since=since, member=member_id, changes=relevant)
