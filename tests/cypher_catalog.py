"""Every Cypher statement the project sends: named constants and statements built from the schema."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator

from graph import cypher
from graph.neo4j_store import schema_statements
from graph.schema import RELATIONSHIPS, NodeKind, node_properties, rel_properties
from queries.entities import (
    PATTERN_FILTERS,
    TEXT_FIELDS,
    count_statement,
    filters_of,
    list_statement,
)

PACKAGES = ("graph", "ingest", "queries", "api", "viz")
_CYPHER_START = re.compile(r"^\s*(MATCH|OPTIONAL MATCH|UNWIND|MERGE|CREATE|WITH|RETURN|CALL)\b")
#: Statements only the embedded store sends (LadybugDB DDL and catalogue calls).
EMBEDDED_ONLY = re.compile(r"^\s*(CREATE (NODE|REL) TABLE|CALL (show_tables|table_info))")
#: Statements of the Graph Data Science plugin, whose procedures the linter does not know:
#: they run on the test server's GDS instead (tests/graph/test_gds.py).
PLUGIN_ONLY = re.compile(r"\bgds\.")


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def named_statements() -> dict[str, str]:
    """Module-level constants that hold Cypher, by ``module.NAME[...]``."""
    found: dict[str, str] = {}
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
            if info.name == "api.cli":
                continue
            module = importlib.import_module(info.name)
            for name, value in vars(module).items():
                if not name.isupper():
                    continue
                for index, text in enumerate(_strings(value)):
                    if (
                        _CYPHER_START.match(text)
                        and not EMBEDDED_ONLY.match(text)
                        and not PLUGIN_ONLY.search(text)
                    ):
                        found[f"{info.name}.{name}[{index}]"] = text
    return found


def built_statements() -> dict[str, str]:
    """Statements the stores build from the schema (DDL, upserts, deletes)."""
    found = {f"neo4j schema {i}": s for i, s in enumerate(schema_statements())}
    for kind in TEXT_FIELDS:
        every = [*sorted(filters_of(kind)), "q"]
        found[f"list {kind} all filters"] = list_statement(kind, every)
        found[f"count {kind} all filters"] = count_statement(kind, every)
        found[f"list {kind}"] = list_statement(kind, [])
        for name, link in PATTERN_FILTERS.get(kind, {}).items():
            found[f"list index {kind} {name}"] = link.pairs_statement(kind)
    for kind in NodeKind:
        props = [p for p in node_properties(kind) if p not in cypher.SYSTEM_PROPERTIES]
        found[f"upsert {kind}"] = cypher.upsert_nodes(kind, props)
        found[f"upsert {kind} with nulls"] = cypher.upsert_nodes(kind, props, props[:2])
    for rel, spec in RELATIONSHIPS.items():
        for src, dst in spec.endpoints:
            found[f"upsert {rel} {src}->{dst}"] = cypher.upsert_edges(rel, src, dst)
            found[f"upsert {rel} {src}->{dst} nulls"] = cypher.upsert_edges(
                rel, src, dst, rel_properties(rel)
            )
            for from_source in (True, False):
                found[f"delete {rel} {src}->{dst} {from_source}"] = cypher.delete_edges(
                    rel, src, dst, from_source=from_source
                )
                found[f"delete {rel} {src}->{dst} {from_source} except"] = (
                    cypher.delete_edges_except(rel, src, dst, from_source=from_source)
                )
    return found


def all_statements() -> dict[str, str]:
    """Everything the project sends to a store, by a name that says where it comes from."""
    return {**named_statements(), **built_statements()}
