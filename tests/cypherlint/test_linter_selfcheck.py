"""Self-check: the Neo4j Cypher linter accepts Neo4j 5 and rejects the rest."""

from __future__ import annotations

import pytest

from .runner import Diagnostic, lint, linter_available

VALID = [
    "UNWIND $rows AS r MERGE (n:Organisation {id: r.id}) SET n.name = r.name",
    "CREATE CONSTRAINT organisation_id IF NOT EXISTS FOR (n:Organisation) REQUIRE n.id IS UNIQUE",
    "MATCH (a)-[r:KNOWS]-(b) WHERE a.id = $id "
    "RETURN b.id AS id, count(*) AS c ORDER BY c DESC SKIP $offset LIMIT $limit",
    "MATCH (n:Skill) WHERE toLower(n.name) CONTAINS toLower($q) "
    "RETURN n.id AS id, coalesce(n.label, n.name) AS name, size(keys(n)) AS k, "
    "labels(n) AS ls, elementId(n) AS eid, collect(n.x)[0] AS x, "
    "any(t IN split(trim(n.tags), ',') WHERE t = $tag) AS hit, "
    "toString(toInteger(toFloat('1'))) AS s, date() AS d, datetime() AS dt",
    "CALL db.labels() YIELD label RETURN label",
]


@pytest.fixture(scope="module", autouse=True)
def _require_linter() -> None:
    reason = linter_available()
    if reason is not None:
        pytest.skip(reason)


def _errors(diags: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diags if d.severity == "error"]


def test_valid_neo4j5_statements_have_no_error() -> None:
    """Statements valid on Neo4j 5 get no error."""
    results = lint(VALID)
    assert len(results) == len(VALID)
    for stmt, diags in zip(VALID, results, strict=True):
        assert _errors(diags) == [], f"{stmt!r}: {[str(d) for d in diags]}"


def test_unknown_functions_are_flagged() -> None:
    """LadybugDB-only functions are not Neo4j 5 built-ins."""
    label_diags, list_contains_diags = lint(
        ["MATCH (n) RETURN label(n)", "RETURN list_contains([1, 2], 1) AS b"]
    )
    assert any(
        d.severity == "error" and "label" in d.message and d.column == 18 for d in label_diags
    ), label_diags
    assert any(
        d.severity == "error" and "list_contains" in d.message for d in list_contains_diags
    ), list_contains_diags


def test_unknown_procedure_is_flagged() -> None:
    """Procedures outside Neo4j's built-in namespaces are errors."""
    [diags] = lint(["CALL nope.nothing() YIELD x RETURN x"])
    assert any("nope.nothing" in d.message for d in _errors(diags)), diags


def test_syntax_error_is_flagged() -> None:
    """A broken pattern is a syntax error at line 1."""
    [diags] = lint(["MATCH (n RETURN n"])
    errors = _errors(diags)
    assert errors, diags
    assert errors[0].line == 1
    assert "Invalid input" in errors[0].message


def test_labels_and_properties_not_reported_as_missing() -> None:
    """No 'not present in the database' noise for schema elements."""
    [diags] = lint(["MATCH (n:NoSuchLabel)-[:NO_SUCH_TYPE]->(m) RETURN n.no_such_prop"])
    assert diags == []


def test_results_keep_order_and_empty_input() -> None:
    """One result per statement, in input order; [] needs no process."""
    assert lint([]) == []
    results = lint(["RETURN 1", "MATCH (n RETURN n", "RETURN 2"])
    assert [bool(_errors(r)) for r in results] == [False, True, False]
