"""The read-only check: hostile statements refused, reads (with odd names) accepted."""

from __future__ import annotations

import pytest

from graph.errors import QueryRefused
from queries.cypher_lexer import Kind, tokenize
from queries.readonly import read_only_statement
from tests.cypher_catalog import built_statements, named_statements
from tests.hostile_cypher import HOSTILE

#: Reads an analyst writes: the example of docs/api.md and typical questions on the sample.
READS = [
    "MATCH (o:Organisation) RETURN o.id AS id LIMIT 5",
    "MATCH (o:Organisation)-[:NEEDS]->(c:Competence) RETURN c.label AS need, count(o) AS n "
    "ORDER BY n DESC, need LIMIT 10",
    "MATCH (o:Organisation) WHERE o.country = $country RETURN o.name AS name ORDER BY name",
    "MATCH (t:TrainingOffer)-[:TEACHES]->(c:Competence {id: 'c-bms'}) RETURN t.id, t.eqf_level",
    "MATCH (p:Project)-[:ACTIVE_IN]->(k:Country) WITH k, count(p) AS projects "
    "WHERE projects > 1 RETURN k.id AS country, projects ORDER BY projects DESC SKIP 0 LIMIT 3",
    "OPTIONAL MATCH (o:Organisation {id: 'none'}) RETURN o IS NULL AS missing",
    "MATCH (o:Organisation) WHERE o.name STARTS WITH 'A' OR o.name ENDS WITH 'GmbH' "
    "OR o.name CONTAINS 'Auto' AND NOT o.member RETURN DISTINCT o.country",
    "MATCH (a:Organisation)-[r*1..2]-(b:Organisation) WHERE a.id < b.id RETURN a.id, b.id LIMIT 5",
    "UNWIND [1, 2, 3] AS x WITH x WHERE x % 2 = 1 RETURN collect(x) AS odd",
    "MATCH (o:Organisation) RETURN CASE WHEN o.member THEN 'member' ELSE 'other' END AS kind, "
    "count(*) AS n",
    "MATCH (o:Organisation) WHERE EXISTS { MATCH (o)-[:NEEDS]->(:Competence) } RETURN o.id",
    "MATCH (o:Organisation) RETURN o.id AS id UNION ALL MATCH (p:Project) RETURN p.id AS id",
    "MATCH (o:Organisation) RETURN o.id AS id UNION MATCH (p:Project) RETURN p.id AS id;",
    "CALL db.labels() YIELD label RETURN label",
    "CALL show_tables() RETURN *",
    "CALL table_info('Organisation') RETURN *",
    "RETURN [x IN range(1, 5) WHERE x > 2 | x * 10] AS big, {a: 1, b: 'two'} AS m",
    "MATCH (o:Organisation)\r\n// the members only\r\nWHERE o.member /* flag */ RETURN o.id",
    "RETURN 'it\\'s', \"say \\\"hi\\\"\", '\\u00e9t\\u00e9', '// not a comment', '/* nor this'",
    "MATCH (o:`Organisation`) RETURN o.`name` AS `the ``name```",
    "RETURN 1.5e3 AS a, .5 AS b, -1 AS c, $p AS p",
]
#: Names that spell a clause keyword but stand where a name stands.
ODD_NAMES = [
    "MATCH (set:Organisation) RETURN set.name AS name",
    "MATCH (copy:Organisation) RETURN copy.name AS copy",
    "MATCH (o:Organisation) RETURN o.set, o.copy, o.delete, o.create, o.load, o.merge",
    "MATCH (o:Organisation) RETURN o {.id, set: o.name, copy: 1, create: 2} AS m",
    "WITH {set: 1, copy: 2, detach: 3} AS m RETURN m.set + m.copy AS s",
    "UNWIND [1] AS remove RETURN remove ORDER BY remove DESC",
    "MATCH (o:Set:Copy:Load) RETURN o",
    "MATCH (o)-[:CREATE|MERGE]->(x) RETURN x",
    "MATCH (drop) WHERE drop.x = 1 AND load.y IN [1] RETURN drop, count(*) * set AS n",
    "WITH 1 AS call RETURN call",
    "RETURN $set AS x, $`copy` AS y",
]


@pytest.mark.parametrize(("name", "statement"), HOSTILE, ids=[name for name, _ in HOSTILE])
def test_every_hostile_statement_is_refused(name: str, statement: str) -> None:
    with pytest.raises(QueryRefused) as refused:
        read_only_statement(
            statement.replace("{out}", "/tmp/x.csv").replace("{canary}", "/etc/passwd")
        )
    message = str(refused.value)
    assert "\n" not in message and "Traceback" not in message


def test_the_corpus_is_large_enough() -> None:
    assert len(HOSTILE) >= 50


@pytest.mark.parametrize("statement", READS + ODD_NAMES)
def test_reads_pass_unchanged(statement: str) -> None:
    assert read_only_statement(statement) == statement.removesuffix(";")


def test_every_read_the_project_sends_passes_and_every_write_is_refused() -> None:
    reads = {n: s for n, s in named_statements().items() if n.startswith("queries.")}
    reads |= {n: s for n, s in built_statements().items() if n.startswith(("list ", "count "))}
    assert len(reads) > 20
    for statement in reads.values():
        read_only_statement(statement)
    writes = {n: s for n, s in built_statements().items() if n.startswith(("upsert", "delete"))}
    assert len(writes) > 20
    for statement in writes.values():
        with pytest.raises(QueryRefused):
            read_only_statement(statement)


@pytest.mark.parametrize(
    ("statement", "named"),
    [
        ("MATCH (o:Organisation)\nSET o.name = 'x'", "SET is not allowed here"),
        ("MATCH (o) DETACH DELETE o", "DETACH DELETE is not allowed here"),
        ("LOAD FROM '/etc/passwd' RETURN *", "LOAD FROM is not allowed here"),
        ("COMMENT ON TABLE Organisation IS 'x'", "COMMENT ON is not allowed here"),
        ("CALL dbms.listConfig()", "CALL dbms.listConfig is not allowed here"),
        ("CALL { MATCH (n) RETURN n }", "CALL subqueries are not allowed"),
        ("RETURN 1; RETURN 2", "only one statement"),
    ],
)
def test_the_message_names_the_clause_and_where_it_is(statement: str, named: str) -> None:
    with pytest.raises(QueryRefused, match=named):
        read_only_statement(statement)


def test_the_location_counts_lines_and_columns() -> None:
    with pytest.raises(QueryRefused, match=r"\(line 2, column 3\)"):
        read_only_statement("MATCH (o)\n  SET o.x = 1")


@pytest.mark.parametrize("terminator", ["\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c"])
def test_a_line_comment_holding_another_terminator_is_refused(terminator: str) -> None:
    with pytest.raises(QueryRefused, match=r"// comment holds U\+"):
        tokenize(f"RETURN 1 // note{terminator}, 2")


def test_a_line_comment_ends_at_a_line_feed_or_crlf_or_the_end() -> None:
    for text in ("RETURN 1 // a\n, 2", "RETURN 1 // a\r\n, 2"):
        assert [t.text for t in tokenize(text)] == ["RETURN", "1", ",", "2"]
    assert [t.text for t in tokenize("RETURN 1 // to the end\r")] == ["RETURN", "1"]


def test_tokens_of_strings_names_and_parameters() -> None:
    tokens = tokenize("RETURN 'a\\'b' AS `x``y`, $p, $`q r`")
    assert [(t.kind, t.text) for t in tokens] == [
        (Kind.WORD, "RETURN"),
        (Kind.STRING, "'a\\'b'"),
        (Kind.WORD, "AS"),
        (Kind.NAME, "x`y"),
        (Kind.PUNCT, ","),
        (Kind.PARAM, "$p"),
        (Kind.PUNCT, ","),
        (Kind.PARAM, "$`q r`"),
    ]


@pytest.mark.parametrize(
    "text",
    ["RETURN 'a\\x'", "RETURN '\\u12'", "RETURN 'open", "RETURN `open", "RETURN 1 /* open",
     "RETURN 1 /* a * b */", "RETURN 0x1F", "RETURN 1AS", "RETURN 1 # x", "RETURN \u00e9"],
)  # fmt: skip
def test_text_the_engines_might_read_differently_is_refused(text: str) -> None:
    with pytest.raises(QueryRefused):
        tokenize(text)
