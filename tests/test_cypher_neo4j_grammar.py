"""Every statement the project sends parses as Neo4j 5 Cypher and uses only Neo4j 5 functions."""

from __future__ import annotations

import pytest

from tests.cypher_catalog import all_statements, named_statements
from tests.cypherlint.runner import lint, linter_available


def test_the_catalog_finds_the_statements_of_every_layer() -> None:
    names = named_statements()
    modules = {name.split(".")[0] for name in names}
    assert {"graph", "ingest", "queries"} <= modules
    assert any("ingest.linking.EXISTING_COMPETENCES" in name for name in names)


def test_every_statement_passes_the_neo4j_linter() -> None:
    reason = linter_available()
    if reason:
        pytest.skip(reason)
    statements = all_statements()
    results = lint(list(statements.values()))
    failures = [
        f"{name}: {statement}\n    "
        + "\n    ".join(str(d) for d in diagnostics if d.severity == "error")
        for (name, statement), diagnostics in zip(statements.items(), results, strict=True)
        if any(d.severity == "error" for d in diagnostics)
    ]
    assert not failures, "\n".join(failures)
    assert len(statements) > 60
