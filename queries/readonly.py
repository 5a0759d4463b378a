"""Refusing Cypher that writes, before it reaches a store.

The text is scanned with string literals, quoted identifiers and comments removed; a word
that is a property name (after ``.``), a label or type (after ``:``) or a map key (before
``:``) is not a clause. Procedure calls are allowed only for a short list of catalogue reads.
"""

from __future__ import annotations

import re

from graph.errors import QueryRefused

WRITE_CLAUSES = frozenset(
    {
        "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "LOAD", "COPY", "ALTER",
        "INSTALL", "ATTACH", "IMPORT", "EXPORT", "CHECKPOINT", "BEGIN", "COMMIT", "ROLLBACK",
        "FOREACH", "USE", "GRANT", "REVOKE", "DENY", "START", "STOP", "TERMINATE", "ENABLE",
    }
)  # fmt: skip
#: Procedures that only read the catalogue, on either engine.
READ_PROCEDURES = frozenset(
    {
        "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
        "db.schema.nodetypeproperties", "db.schema.reltypeproperties", "show_tables",
        "table_info", "show_connection",
    }
)  # fmt: skip

_LITERALS = re.compile(
    r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.DOTALL
)
_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*|[.:{}()]")


def check_read_only(query: str) -> None:
    """Raise :class:`QueryRefused` when a query could write or calls an unknown procedure."""
    if not query.strip():
        raise QueryRefused("the query is empty")
    text = _LITERALS.sub(" x ", query)
    tokens = _TOKEN.findall(text)
    for index, token in enumerate(tokens):
        before = tokens[index - 1] if index else ""
        after = tokens[index + 1] if index + 1 < len(tokens) else ""
        if before in {".", ":"} or after == ":":
            continue
        word = token.upper()
        if word in WRITE_CLAUSES:
            raise QueryRefused(f"{word} writes to the graph; only read queries are allowed here")
        if word == "CALL":
            procedure = after.lower()
            if procedure not in READ_PROCEDURES:
                shown = after if after not in {"{", "("} else "a subquery"
                raise QueryRefused(
                    f"CALL {shown} is not allowed here; allowed: {', '.join(sorted(READ_PROCEDURES))}"
                )
