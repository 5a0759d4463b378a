"""Listing and reading single entities, with the neighbours a page about them shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx

from graph.errors import NotFound
from graph.schema import FINGERPRINT, NAME_PROPERTY, NodeKind, RelType
from graph.store import Store

#: Text properties that ``q`` searches, per kind (case-insensitive substring).
TEXT_FIELDS: dict[NodeKind, tuple[str, ...]] = {
    NodeKind.ORGANISATION: ("name", "city"),
    NodeKind.PROJECT: ("title", "acronym", "description"),
    NodeKind.TRAINING_OFFER: ("title", "description"),
    NodeKind.COMPETENCE: ("label", "group"),
    NodeKind.PRIORITY: ("label", "description"),
}


@dataclass(frozen=True)
class Linked:
    """Entities linked by one of ``rels`` to the node of kind ``other`` whose id is the value."""

    rels: tuple[RelType, ...]
    other: NodeKind
    outgoing: bool

    def pattern(self, name: str) -> str:
        """The pattern from ``(n)`` to the node found by id (matched, so the engine starts there)."""
        rels = "|".join(self.rels)
        other = f"(:{self.other} {{id: $f_{name}}})"
        return f"(n)-[:{rels}]->{other}" if self.outgoing else f"(n)<-[:{rels}]-{other}"

    def pairs_statement(self, kind: NodeKind) -> str:
        """Every (entity id, linked id) pair of ``kind``, as columns ``n`` and ``o``."""
        rels = "|".join(self.rels)
        arrow = f"-[:{rels}]->" if self.outgoing else f"<-[:{rels}]-"
        return f"MATCH (n:`{kind}`){arrow}(o:`{self.other}`) RETURN n.id AS n, o.id AS o"


@dataclass(frozen=True)
class Equals:
    """Entities whose property ``prop`` equals the value."""

    prop: str

    def predicate(self, name: str) -> str:
        """The condition on ``n``."""
        return f"n.`{self.prop}` = $f_{name}"

    def values(self, props: Mapping[str, Any]) -> tuple[Any, ...]:
        """The values an entity is found by (none when the property is unset)."""
        value = props.get(self.prop)
        return () if value is None else (value,)


@dataclass(frozen=True)
class Holds:
    """Entities whose list property ``prop`` holds the value."""

    prop: str

    def predicate(self, name: str) -> str:
        """The condition on ``n``."""
        return f"$f_{name} IN n.`{self.prop}`"

    def values(self, props: Mapping[str, Any]) -> tuple[Any, ...]:
        """The values an entity is found by: the list's items."""
        return tuple(props.get(self.prop) or ())


@dataclass(frozen=True)
class RunningOn:
    """Entities that started on or before the date (ISO) and had not ended before it."""

    start: str
    end: str

    def predicate(self, name: str) -> str:
        """The condition on ``n``."""
        return (
            f"n.`{self.start}` <= $f_{name} AND "
            f"(n.`{self.end}` IS NULL OR n.`{self.end}` >= $f_{name})"
        )

    def matches(self, props: Mapping[str, Any], day: str) -> bool:
        """Whether an entity passes, as the predicate decides (an unset start never does)."""
        start, end = props.get(self.start), props.get(self.end)
        return start is not None and start <= day and (end is None or end >= day)


Predicate = Equals | Holds | RunningOn

#: Per kind, the filters on a neighbour found by id; ``$f_<name>`` is the value.
PATTERN_FILTERS: dict[NodeKind, dict[str, Linked]] = {
    NodeKind.ORGANISATION: {
        "competence": Linked(
            (RelType.HAS_EXPERTISE, RelType.NEEDS), NodeKind.COMPETENCE, outgoing=True
        ),
    },
    NodeKind.PROJECT: {
        "country": Linked((RelType.ACTIVE_IN,), NodeKind.COUNTRY, outgoing=True),
        "competence": Linked((RelType.TARGETS,), NodeKind.COMPETENCE, outgoing=True),
    },
    NodeKind.TRAINING_OFFER: {
        "country": Linked((RelType.ACTIVE_IN,), NodeKind.COUNTRY, outgoing=True),
        "competence": Linked((RelType.TEACHES,), NodeKind.COMPETENCE, outgoing=True),
        "provider": Linked((RelType.PROVIDES,), NodeKind.ORGANISATION, outgoing=False),
    },
}
#: Per kind, the filters on the entity's own properties.
PREDICATE_FILTERS: dict[NodeKind, dict[str, Predicate]] = {
    NodeKind.ORGANISATION: {
        "country": Equals("country"),
        "type": Equals("type"),
        "member": Equals("member"),
    },
    NodeKind.PROJECT: {
        "programme": Equals("programme"),
        "active_on": RunningOn("start", "end"),
    },
    NodeKind.TRAINING_OFFER: {
        "eqf_level": Equals("eqf_level"),
        "mode": Equals("mode"),
        "language": Holds("languages"),
    },
    NodeKind.COMPETENCE: {"group": Equals("group")},
    NodeKind.PRIORITY: {"kind": Equals("kind")},
}


def filters_of(kind: NodeKind) -> set[str]:
    """The filter parameters a kind takes."""
    return set(PATTERN_FILTERS.get(kind, {})) | set(PREDICATE_FILTERS.get(kind, {}))


def _text_predicate(kind: NodeKind) -> str:
    return (
        "("
        + " OR ".join(
            f"toLower(coalesce(n.`{field}`, '')) CONTAINS $q" for field in TEXT_FIELDS[kind]
        )
        + ")"
    )


def _matching(kind: NodeKind, active: list[str]) -> str:
    """MATCH and WHERE of the active filters, up to ``WITH DISTINCT n``.

    Their text is fixed, chosen from the tables above; values are parameters.
    """
    links = PATTERN_FILTERS.get(kind, {})
    patterns = [links[name].pattern(name) for name in active if name in links]
    if patterns:
        first = patterns[0].replace("(n)", f"(n:`{kind}`)", 1)
        clauses = [f"MATCH {first}", *(f"MATCH {pattern}" for pattern in patterns[1:])]
    else:
        clauses = [f"MATCH (n:`{kind}`)"]
    own = PREDICATE_FILTERS.get(kind, {})
    predicates = [
        _text_predicate(kind) if name == "q" else own[name].predicate(name)
        for name in active
        if name == "q" or name in own
    ]
    if predicates:
        clauses.append("WHERE " + " AND ".join(predicates))
    return " ".join(clauses) + " WITH DISTINCT n"


def list_statement(kind: NodeKind, active: list[str]) -> str:
    """A page of one kind with the active filters, ordered by id."""
    return f"{_matching(kind, active)} RETURN n AS node ORDER BY n.id SKIP $offset LIMIT $limit"


def count_statement(kind: NodeKind, active: list[str]) -> str:
    """How many entities of one kind pass the active filters."""
    return f"{_matching(kind, active)} RETURN count(n) AS n"


@dataclass(frozen=True)
class Neighbours:
    """One neighbour list of a detail page: which edges to follow and what to show."""

    rel: RelType
    other: NodeKind
    outgoing: bool
    edge_field: str | None = None
    #: Order by the edge property first ("asc" or "desc"), then by id; None: by id only.
    order: Literal["asc", "desc"] | None = None


#: Per kind, the neighbour lists of a detail page (the partners of an organisation are
#: computed apart: they are two hops away).
NEIGHBOURS: dict[NodeKind, dict[str, Neighbours]] = {
    NodeKind.ORGANISATION: {
        "projects": Neighbours(RelType.PARTICIPATES_IN, NodeKind.PROJECT, True, "role"),
        "offers": Neighbours(RelType.PROVIDES, NodeKind.TRAINING_OFFER, True),
        "expertise": Neighbours(RelType.HAS_EXPERTISE, NodeKind.COMPETENCE, True),
        "needs": Neighbours(RelType.NEEDS, NodeKind.COMPETENCE, True),
        "priorities": Neighbours(RelType.RAISED, NodeKind.PRIORITY, True, "count"),
    },
    NodeKind.PROJECT: {
        "participants": Neighbours(
            RelType.PARTICIPATES_IN, NodeKind.ORGANISATION, False, "role", "asc"
        ),
        "competences": Neighbours(RelType.TARGETS, NodeKind.COMPETENCE, True),
        "countries": Neighbours(RelType.ACTIVE_IN, NodeKind.COUNTRY, True),
        "priorities": Neighbours(RelType.ADDRESSES, NodeKind.PRIORITY, True),
    },
    NodeKind.TRAINING_OFFER: {
        "providers": Neighbours(RelType.PROVIDES, NodeKind.ORGANISATION, False),
        "competences": Neighbours(RelType.TEACHES, NodeKind.COMPETENCE, True),
        "countries": Neighbours(RelType.ACTIVE_IN, NodeKind.COUNTRY, True),
    },
    NodeKind.COMPETENCE: {
        "needed_by": Neighbours(RelType.NEEDS, NodeKind.ORGANISATION, False),
        "expertise_of": Neighbours(RelType.HAS_EXPERTISE, NodeKind.ORGANISATION, False),
        "taught_by": Neighbours(RelType.TEACHES, NodeKind.TRAINING_OFFER, False),
        "targeted_by": Neighbours(RelType.TARGETS, NodeKind.PROJECT, False),
        "broader": Neighbours(RelType.BROADER, NodeKind.COMPETENCE, True),
    },
    NodeKind.PRIORITY: {
        "raised_by": Neighbours(RelType.RAISED, NodeKind.ORGANISATION, False, "count", "desc"),
        "projects": Neighbours(RelType.ADDRESSES, NodeKind.PROJECT, False),
        "offers": Neighbours(RelType.ADDRESSES, NodeKind.TRAINING_OFFER, False),
    },
}


def _neighbours(
    graph: nx.MultiDiGraph, node: tuple[NodeKind, str], spec: Neighbours
) -> list[dict[str, Any]]:
    edges = (
        graph.out_edges(node, keys=True, data=True)
        if spec.outgoing
        else graph.in_edges(node, keys=True, data=True)
    )
    found = []
    for src, dst, rel, data in edges:
        other = dst if spec.outgoing else src
        if rel != spec.rel or other[0] is not spec.other:
            continue
        name_field = NAME_PROPERTY[spec.other]
        entry = {"id": other[1], name_field: graph.nodes[other].get(name_field)}
        if spec.edge_field:
            entry[spec.edge_field] = data.get(spec.edge_field)
        found.append(entry)
    found.sort(key=lambda e: e["id"])
    field = spec.edge_field
    if spec.order and field:
        # A stable sort keeps the id order within equal values.
        found.sort(key=lambda e: e[field] or 0, reverse=spec.order == "desc")
    return found


def _partners(graph: nx.MultiDiGraph, node: tuple[NodeKind, str]) -> list[dict[str, Any]]:
    """Organisations sharing a project with this one, most shared projects first."""
    shared: dict[str, set[str]] = {}
    for _, project, rel in graph.out_edges(node, keys=True):
        if rel != RelType.PARTICIPATES_IN:
            continue
        for other, _, other_rel in graph.in_edges(project, keys=True):
            if other_rel == RelType.PARTICIPATES_IN and other != node:
                shared.setdefault(other[1], set()).add(project[1])
    partners = [
        {
            "id": org,
            "name": graph.nodes[(NodeKind.ORGANISATION, org)].get("name"),
            "shared_projects": len(projects),
        }
        for org, projects in shared.items()
    ]
    return sorted(partners, key=lambda p: (-p["shared_projects"], p["id"]))


def node_properties(node: Any) -> dict[str, Any]:
    """A node as returned by either engine, as a plain dict of its public properties."""
    # Unset properties are left out (not null), so that a column added to an older store
    # reads as the model's default.
    data = dict(node)
    return {
        k: v
        for k, v in data.items()
        if v is not None and not k.startswith("_") and k != FINGERPRINT
    }


def list_filters(
    kind: NodeKind, filters: Mapping[str, Any] | None, q: str | None
) -> tuple[dict[str, Any], str | None]:
    """The filters given (None values left out) and ``q`` as searched (stripped, lower case).

    ``q`` is None when it holds no word. Raises ValueError for a filter the kind has not.
    """
    given = {k: v for k, v in (filters or {}).items() if v is not None}
    unknown = set(given) - filters_of(kind)
    if unknown:
        raise ValueError(f"{kind} has no filters {sorted(unknown)}")
    return given, (q.strip().lower() if q and q.strip() else None)


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

    ``filters`` keys must be filters of the kind (see :func:`filters_of`); None values are
    ignored. ``q`` searches the kind's text fields, ignoring case.
    """
    given, text = list_filters(kind, filters, q)
    active = sorted(given)
    # Parameters are prefixed: some filter names (group, kind) are Cypher keywords.
    params: dict[str, Any] = {f"f_{name}": value for name, value in given.items()}
    if text is not None:
        params["q"] = text
        active.append("q")
    total = int(store.run(count_statement(kind, active), params)[0]["n"])
    if offset >= total:
        # Nothing to page through; LadybugDB 0.22 also crashes on a SKIP far past the end.
        return [], total
    rows = store.run(list_statement(kind, active), {**params, "limit": limit, "offset": offset})
    return [node_properties(row["node"]) for row in rows], total


def get_entity(graph: nx.MultiDiGraph, kind: NodeKind, entity_id: str) -> dict[str, Any]:
    """One entity with its neighbour lists, read from the projection; :class:`NotFound` if absent."""
    node = (kind, entity_id)
    if node not in graph:
        raise NotFound(kind.value, entity_id)
    entity = dict(graph.nodes[node])
    for name, spec in NEIGHBOURS.get(kind, {}).items():
        entity[name] = _neighbours(graph, node, spec)
    if kind is NodeKind.ORGANISATION:
        entity["partners"] = _partners(graph, node)
    return entity
