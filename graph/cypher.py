"""Cypher text for writes, built from the schema, in the subset both engines accept.

Identifiers are always backquoted (``end`` and ``group`` are Cypher keywords) and come
only from the schema's enums; values always travel as parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from graph.schema import (
    FINGERPRINT,
    META_LABEL,
    NodeKind,
    RelType,
    node_properties,
    rel_properties,
)

#: Properties the store sets itself rather than taking from the rows.
SYSTEM_PROPERTIES = frozenset({"id", "created_at", "updated_at"})

BUMP_REVISION = f"MERGE (m:`{META_LABEL}` {{id: $id}}) SET m.revision = coalesce(m.revision, 0) + 1"
READ_REVISION = f"MATCH (m:`{META_LABEL}` {{id: $id}}) RETURN m.revision AS revision"


def q(identifier: str) -> str:
    """Backquote an identifier taken from the schema."""
    return f"`{identifier}`"


def row_properties(kind: NodeKind, rows: Sequence[Mapping[str, object]]) -> list[str]:
    """The properties a batch of rows sets, checked against the schema's allowlist."""
    keys = [k for k in rows[0] if k not in SYSTEM_PROPERTIES] if rows else []
    unknown = set(keys) - set(node_properties(kind))
    if unknown:
        raise ValueError(f"{kind} has no properties {sorted(unknown)}")
    return keys


def upsert_nodes(
    kind: NodeKind, properties: Iterable[str], null_properties: Iterable[str] = ()
) -> str:
    """``UNWIND $rows`` statement that merges nodes of one kind by id and sets ``properties``.

    ``updated_at`` changes only when the row's fingerprint differs from the stored one,
    so that "what changed since" lists real changes, not re-ingests. Properties named in
    ``null_properties`` are set to a literal null (see the embedded store for why).
    Properties a row does not carry are left as they are.
    """
    nulls = set(null_properties)
    assignments = ", ".join(
        f"n.{q(p)} = NULL" if p in nulls else f"n.{q(p)} = r.{q(p)}"
        for p in properties
        if p != FINGERPRINT
    )
    assignments = ", ".join(filter(None, [assignments, f"n.{FINGERPRINT} = r.{FINGERPRINT}"]))
    return (
        f"UNWIND $rows AS r MERGE (n:{q(kind)} {{id: r.id}}) "
        "ON CREATE SET n.created_at = $now "
        f"SET n.updated_at = CASE WHEN n.{FINGERPRINT} IS NULL "
        f"OR n.{FINGERPRINT} <> r.{FINGERPRINT} THEN $now ELSE n.updated_at END "
        f"SET {assignments}"
    )


def upsert_edges(
    rel: RelType, src: NodeKind, dst: NodeKind, null_properties: Iterable[str] = ()
) -> str:
    """``UNWIND $rows`` statement that merges relationships between existing nodes.

    Rows carry ``a`` (source id), ``b`` (target id) and the relationship's properties.
    """
    nulls = set(null_properties)
    statement = (
        # Two MATCH clauses, not one with a comma: LadybugDB plans the comma form as a join
        # and runs about eight times slower; Neo4j plans both alike.
        f"UNWIND $rows AS r MATCH (a:{q(src)} {{id: r.a}}) MATCH (b:{q(dst)} {{id: r.b}}) "
        f"MERGE (a)-[e:{q(rel)}]->(b)"
    )
    props = list(rel_properties(rel))
    if props:
        statement += " SET " + ", ".join(
            f"e.{q(p)} = NULL" if p in nulls else f"e.{q(p)} = r.{q(p)}" for p in props
        )
    return statement


def delete_edges(rel: RelType, src: NodeKind, dst: NodeKind, *, from_source: bool) -> str:
    """Statement deleting the ``rel`` edges of the nodes listed in ``$ids``.

    With ``from_source`` the ids are the edges' start nodes, otherwise their end nodes.
    """
    if from_source:
        pattern = f"(a:{q(src)} {{id: id}})-[e:{q(rel)}]->(:{q(dst)})"
    else:
        pattern = f"(:{q(src)})-[e:{q(rel)}]->(b:{q(dst)} {{id: id}})"
    return f"UNWIND $ids AS id MATCH {pattern} DELETE e"


def delete_edges_except(
    rel: RelType,
    src: NodeKind,
    dst: NodeKind,
    *,
    from_source: bool,
    rows: str = "UNWIND $rows AS r WITH r.id AS id, r.keep AS keep",
) -> str:
    """Statement deleting the ``rel`` edges of rows of ``id`` but those to their ``keep`` ids.

    ``rows`` is the clause that makes each row's ``id`` and ``keep`` (a list of the ids at
    the edges' other ends) variables; by default from a list parameter ``$rows``. With
    ``from_source`` the ids are the edges' start nodes, otherwise their end nodes.
    """
    if from_source:
        pattern = f"(a:{q(src)} {{id: id}})-[e:{q(rel)}]->(o:{q(dst)})"
    else:
        pattern = f"(o:{q(src)})-[e:{q(rel)}]->(b:{q(dst)} {{id: id}})"
    return f"{rows} MATCH {pattern} WHERE NOT o.id IN keep DELETE e"
