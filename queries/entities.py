"""Listing and reading single entities, with the neighbours a page about them shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph.errors import NotFound
from graph.schema import FINGERPRINT, NodeKind
from graph.store import Store

GET = {kind: f"MATCH (n:`{kind}` {{id: $id}}) RETURN n AS node" for kind in NodeKind}

#: Text properties that ``q`` searches, per kind (case-insensitive substring).
TEXT_FIELDS: dict[NodeKind, tuple[str, ...]] = {
    NodeKind.ORGANISATION: ("name", "city"),
    NodeKind.PROJECT: ("title", "acronym", "description"),
    NodeKind.TRAINING_OFFER: ("title", "description"),
    NodeKind.COMPETENCE: ("label", "group"),
    NodeKind.PRIORITY: ("label", "description"),
}

#: Per kind, each filter parameter and the predicate it adds (``$name`` is its value).
FILTERS: dict[NodeKind, dict[str, str]] = {
    NodeKind.ORGANISATION: {
        "country": "n.country = $f_country",
        "type": "n.type = $f_type",
        "member": "n.member = $f_member",
        "competence": "EXISTS { MATCH (n)-[:HAS_EXPERTISE|NEEDS]->(c:Competence) WHERE c.id = $f_competence }",
    },
    NodeKind.PROJECT: {
        "country": "EXISTS { MATCH (n)-[:ACTIVE_IN]->(c:Country) WHERE c.id = $f_country }",
        "competence": "EXISTS { MATCH (n)-[:TARGETS]->(c:Competence) WHERE c.id = $f_competence }",
        "programme": "n.programme = $f_programme",
        "active_on": "n.start <= $f_active_on AND (n.`end` IS NULL OR n.`end` >= $f_active_on)",
    },
    NodeKind.TRAINING_OFFER: {
        "country": "EXISTS { MATCH (n)-[:ACTIVE_IN]->(c:Country) WHERE c.id = $f_country }",
        "competence": "EXISTS { MATCH (n)-[:TEACHES]->(c:Competence) WHERE c.id = $f_competence }",
        "eqf_level": "n.eqf_level = $f_eqf_level",
        "mode": "n.mode = $f_mode",
        "language": "$f_language IN n.languages",
        "provider": "EXISTS { MATCH (o:Organisation)-[:PROVIDES]->(n) WHERE o.id = $f_provider }",
    },
    NodeKind.COMPETENCE: {"group": "n.`group` = $f_group"},
    NodeKind.PRIORITY: {"kind": "n.kind = $f_kind"},
}


def _text_predicate(kind: NodeKind) -> str:
    return (
        "("
        + " OR ".join(
            f"toLower(coalesce(n.`{field}`, '')) CONTAINS $q" for field in TEXT_FIELDS[kind]
        )
        + ")"
    )


def _where(kind: NodeKind, active: list[str]) -> str:
    """The WHERE clause of the active filters (their text is fixed; values are parameters)."""
    predicates = [_text_predicate(kind) if name == "q" else FILTERS[kind][name] for name in active]
    return f" WHERE {' AND '.join(predicates)}" if predicates else ""


def list_statement(kind: NodeKind, active: list[str]) -> str:
    """A page of one kind with the active filters, ordered by id."""
    return f"MATCH (n:`{kind}`){_where(kind, active)} RETURN n AS node ORDER BY n.id SKIP $offset LIMIT $limit"


def count_statement(kind: NodeKind, active: list[str]) -> str:
    """How many entities of one kind pass the active filters."""
    return f"MATCH (n:`{kind}`){_where(kind, active)} RETURN count(n) AS n"


#: Per kind, the neighbour lists of a detail page: name -> statement (``$id`` the entity).
NEIGHBOURS: dict[NodeKind, dict[str, str]] = {
    NodeKind.ORGANISATION: {
        "projects": "MATCH (o:Organisation {id: $id})-[e:PARTICIPATES_IN]->(p:Project) "
        "RETURN p.id AS id, p.title AS title, e.role AS role ORDER BY p.id",
        "offers": "MATCH (o:Organisation {id: $id})-[:PROVIDES]->(t:TrainingOffer) "
        "RETURN t.id AS id, t.title AS title ORDER BY t.id",
        "expertise": "MATCH (o:Organisation {id: $id})-[:HAS_EXPERTISE]->(c:Competence) "
        "RETURN c.id AS id, c.label AS label ORDER BY c.id",
        "needs": "MATCH (o:Organisation {id: $id})-[:NEEDS]->(c:Competence) "
        "RETURN c.id AS id, c.label AS label ORDER BY c.id",
        "priorities": "MATCH (o:Organisation {id: $id})-[e:RAISED]->(p:Priority) "
        "RETURN p.id AS id, p.label AS label, e.count AS count ORDER BY p.id",
        "partners": "MATCH (o:Organisation {id: $id})-[:PARTICIPATES_IN]->(p:Project)"
        "<-[:PARTICIPATES_IN]-(other:Organisation) WHERE other.id <> $id "
        "RETURN other.id AS id, other.name AS name, count(DISTINCT p) AS shared_projects "
        "ORDER BY shared_projects DESC, id",
    },
    NodeKind.PROJECT: {
        "participants": "MATCH (o:Organisation)-[e:PARTICIPATES_IN]->(p:Project {id: $id}) "
        "RETURN o.id AS id, o.name AS name, e.role AS role ORDER BY e.role, o.id",
        "competences": "MATCH (p:Project {id: $id})-[:TARGETS]->(c:Competence) "
        "RETURN c.id AS id, c.label AS label ORDER BY c.id",
        "countries": "MATCH (p:Project {id: $id})-[:ACTIVE_IN]->(c:Country) "
        "RETURN c.id AS id, c.name AS name ORDER BY c.id",
        "priorities": "MATCH (p:Project {id: $id})-[:ADDRESSES]->(r:Priority) "
        "RETURN r.id AS id, r.label AS label ORDER BY r.id",
    },
    NodeKind.TRAINING_OFFER: {
        "providers": "MATCH (o:Organisation)-[:PROVIDES]->(t:TrainingOffer {id: $id}) "
        "RETURN o.id AS id, o.name AS name ORDER BY o.id",
        "competences": "MATCH (t:TrainingOffer {id: $id})-[:TEACHES]->(c:Competence) "
        "RETURN c.id AS id, c.label AS label ORDER BY c.id",
        "countries": "MATCH (t:TrainingOffer {id: $id})-[:ACTIVE_IN]->(c:Country) "
        "RETURN c.id AS id, c.name AS name ORDER BY c.id",
    },
    NodeKind.COMPETENCE: {
        "needed_by": "MATCH (o:Organisation)-[:NEEDS]->(c:Competence {id: $id}) "
        "RETURN o.id AS id, o.name AS name ORDER BY o.id",
        "expertise_of": "MATCH (o:Organisation)-[:HAS_EXPERTISE]->(c:Competence {id: $id}) "
        "RETURN o.id AS id, o.name AS name ORDER BY o.id",
        "taught_by": "MATCH (t:TrainingOffer)-[:TEACHES]->(c:Competence {id: $id}) "
        "RETURN t.id AS id, t.title AS title ORDER BY t.id",
        "targeted_by": "MATCH (p:Project)-[:TARGETS]->(c:Competence {id: $id}) "
        "RETURN p.id AS id, p.title AS title ORDER BY p.id",
        "broader": "MATCH (c:Competence {id: $id})-[:BROADER]->(b:Competence) "
        "RETURN b.id AS id, b.label AS label ORDER BY b.id",
    },
    NodeKind.PRIORITY: {
        "raised_by": "MATCH (o:Organisation)-[e:RAISED]->(p:Priority {id: $id}) "
        "RETURN o.id AS id, o.name AS name, e.count AS count ORDER BY e.count DESC, o.id",
        "projects": "MATCH (x:Project)-[:ADDRESSES]->(p:Priority {id: $id}) "
        "RETURN x.id AS id, x.title AS title ORDER BY x.id",
        "offers": "MATCH (x:TrainingOffer)-[:ADDRESSES]->(p:Priority {id: $id}) "
        "RETURN x.id AS id, x.title AS title ORDER BY x.id",
    },
}


def node_properties(node: Any) -> dict[str, Any]:
    """A node as returned by either engine, as a plain dict of its public properties."""
    data = dict(node)
    return {k: v for k, v in data.items() if not k.startswith("_") and k != FINGERPRINT}


def list_entities(
    store: Store,
    kind: NodeKind,
    *,
    limit: int,
    offset: int,
    filters: Mapping[str, Any] | None = None,
    q: str | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """A page of entities of one kind, ordered by id, and the total that match.

    ``filters`` keys must be filters of the kind (see :data:`FILTERS`); None values are
    ignored. ``q`` searches the kind's text fields, ignoring case.
    """
    given = {k: v for k, v in (filters or {}).items() if v is not None}
    unknown = set(given) - set(FILTERS.get(kind, {}))
    if unknown:
        raise ValueError(f"{kind} has no filters {sorted(unknown)}")
    active = sorted(given)
    # Parameters are prefixed: some filter names (group, kind) are Cypher keywords.
    params: dict[str, Any] = {f"f_{name}": value for name, value in given.items()}
    if q and q.strip():
        params["q"] = q.strip().lower()
        active.append("q")
    total = int(store.run(count_statement(kind, active), params)[0]["n"])
    if offset >= total:
        # Nothing to page through; LadybugDB 0.22 also crashes on a SKIP far past the end.
        return [], total
    rows = store.run(list_statement(kind, active), {**params, "limit": limit, "offset": offset})
    return [node_properties(row["node"]) for row in rows], total


def get_entity(store: Store, kind: NodeKind, entity_id: str) -> dict[str, Any]:
    """One entity with its neighbour lists; :class:`NotFound` when absent."""
    rows = store.run(GET[kind], {"id": entity_id})
    if not rows:
        raise NotFound(kind.value, entity_id)
    entity = node_properties(rows[0]["node"])
    for name, statement in NEIGHBOURS.get(kind, {}).items():
        entity[name] = store.run(statement, {"id": entity_id})
    return entity
