"""Moving a whole graph between stores: every node and relationship, as plain rows.

A dump holds every property of every node (provenance included: ``source``, ``sources``,
``merges``, the Source nodes and each node's ``created_at``/``updated_at``) and every
relationship with its properties. Loading one into an empty store of either backend gives
the same graph back, in one transaction, so a failure part way leaves the target unchanged.
The store's revision counter is the target's own and is not carried.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph import cypher
from graph.errors import InputError
from graph.schema import RELATIONSHIPS, NodeKind, RelType, node_properties, rel_properties
from graph.store import Store, batches

#: Written into every dump; a file without it is not one.
FORMAT = "skillgraph-graph"
VERSION = 1
TIMESTAMPS = ("created_at", "updated_at")

COUNT_NODES = "MATCH (n) RETURN count(n) AS n"


def _read_nodes(kind: NodeKind) -> str:
    columns = ", ".join(f"n.{cypher.q(p)} AS {cypher.q(p)}" for p in node_properties(kind))
    return f"MATCH (n:{cypher.q(kind)}) RETURN {columns} ORDER BY n.id"


def _read_edges(rel: RelType, src: NodeKind, dst: NodeKind) -> str:
    columns = "".join(f", e.{cypher.q(p)} AS {cypher.q(p)}" for p in rel_properties(rel))
    return (
        f"MATCH (a:{cypher.q(src)})-[e:{cypher.q(rel)}]->(b:{cypher.q(dst)}) "
        f"RETURN a.id AS a, b.id AS b{columns} ORDER BY a.id, b.id"
    )


def _restore_timestamps(kind: NodeKind) -> str:
    return (
        f"UNWIND $rows AS r MATCH (n:{cypher.q(kind)} {{id: r.id}}) "
        "SET n.created_at = r.created_at, n.updated_at = r.updated_at"
    )


def dump_graph(store: Store) -> dict[str, Any]:
    """Every node and relationship of ``store`` as a JSON-ready mapping.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from graph.embedded import EmbeddedStore
    >>> store = EmbeddedStore(Path(tempfile.mkdtemp()))
    >>> store.ensure_schema()
    >>> dump = dump_graph(store)
    >>> dump["format"], dump["nodes"]["Organisation"], dump["edges"][0]["rows"]
    ('skillgraph-graph', [], [])
    >>> store.close()
    """
    nodes = {kind.value: store.run(_read_nodes(kind)) for kind in NodeKind}
    edges = [
        {
            "rel": rel.value,
            "src": src.value,
            "dst": dst.value,
            "rows": store.run(_read_edges(rel, src, dst)),
        }
        for rel, spec in RELATIONSHIPS.items()
        for src, dst in spec.endpoints
    ]
    return {"format": FORMAT, "version": VERSION, "nodes": nodes, "edges": edges}


def load_graph(store: Store, dump: Mapping[str, Any], *, origin: str) -> dict[str, int]:
    """Write a dump into an empty ``store``; returns the nodes and relationships written.

    ``origin`` names the dump (its file) in errors. A dump of another format, an unknown
    kind, relationship or property, or a target that already holds nodes is an
    :class:`~graph.errors.InputError` and nothing is written.
    """
    if dump.get("format") != FORMAT or dump.get("version") != VERSION:
        raise InputError(f"not a graph export of version {VERSION} ({FORMAT})", file=origin)
    if int(store.run(COUNT_NODES)[0]["n"]) > 1:  # the bookkeeping node may exist
        raise InputError("the target store is not empty; import into an empty one", file=origin)
    nodes = _parse_nodes(dump.get("nodes"), origin)
    edges = _parse_edges(dump.get("edges"), origin)
    written = {"nodes": 0, "relationships": 0}
    try:
        with store.transaction() as tx:
            for kind, rows in nodes:
                written["nodes"] += tx.upsert_nodes(kind, rows)
                stamps = [{"id": r["id"], **{t: r.get(t) for t in TIMESTAMPS}} for r in rows]
                for batch in batches(stamps):
                    tx.run(_restore_timestamps(kind), {"rows": list(batch)})
            for rel, src, dst, rows in edges:
                written["relationships"] += tx.upsert_edges(rel, src, dst, rows)
    except ValueError as error:  # a property the schema does not know
        raise InputError(str(error), file=origin) from None
    return written


def _parse_nodes(value: object, origin: str) -> list[tuple[NodeKind, list[dict[str, Any]]]]:
    if not isinstance(value, Mapping):
        raise InputError("'nodes' must map each kind to its rows", file=origin)
    parsed = []
    for name, rows in value.items():
        try:
            kind = NodeKind(name)
        except ValueError:
            raise InputError(f"unknown node kind {name!r}", file=origin) from None
        parsed.append((kind, _rows(rows, f"nodes.{name}", origin, required=("id",))))
    return parsed


def _parse_edges(
    value: object, origin: str
) -> list[tuple[RelType, NodeKind, NodeKind, list[dict[str, Any]]]]:
    if not isinstance(value, list):
        raise InputError("'edges' must be a list of relationship groups", file=origin)
    parsed = []
    for number, group in enumerate(value):
        where = f"edges[{number}]"
        if not isinstance(group, Mapping):
            raise InputError(f"{where} must be an object", file=origin)
        try:
            rel = RelType(str(group.get("rel")))
            src, dst = NodeKind(str(group.get("src"))), NodeKind(str(group.get("dst")))
        except ValueError as error:
            raise InputError(f"{where}: {error}", file=origin) from None
        if (src, dst) not in RELATIONSHIPS[rel].endpoints:
            raise InputError(f"{where}: {rel} does not link {src} to {dst}", file=origin)
        rows = _rows(group.get("rows"), where, origin, required=("a", "b"))
        unknown = {k for r in rows for k in r} - {"a", "b", *rel_properties(rel)}
        if unknown:
            raise InputError(f"{where}: {rel} has no properties {sorted(unknown)}", file=origin)
        parsed.append((rel, src, dst, rows))
    return parsed


def _rows(
    value: object, where: str, origin: str, *, required: tuple[str, ...]
) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(r, Mapping) for r in value):
        raise InputError(f"{where} must be a list of objects", file=origin)
    for number, row in enumerate(value):
        missing = [k for k in required if not isinstance(row.get(k), str)]
        if missing:
            raise InputError(f"{where}[{number}] lacks {', '.join(missing)}", file=origin)
    return [dict(r) for r in value]
