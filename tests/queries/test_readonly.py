"""The read-only check: hostile statements refused, reads (with odd names) accepted."""

from __future__ import annotations

import pytest

from graph.errors import QueryRefused
from queries.cypher_lexer import Kind, tokenize
from queries.readonly import read_only_statement
from tests.cypher_catalog import built_statements, named_statements
from tests.cypher_corpus import CATALOGUE_READS, HOSTILE, READS

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
    "MATCH (o:Count {id: 'x'}) RETURN o.exists {.id} AS m",
    "RETURN $set AS x, $`copy` AS y",
]
#: Neo4j-only syntax the check reads correctly.
NEO4J_SYNTAX = [
    "RETURN [x IN range(1, 5) WHERE x > 2 | x * 10] AS big",
    "MATCH (o:Organisation) RETURN o {.id, .name} AS m, [(o)-[:NEEDS]->(c) | c.id] AS needs",
    "MATCH (o:Organisation) WHERE COUNT { (o)-[:NEEDS]->() } > 1 RETURN o.id",
    "MATCH (o:Organisation) WHERE o.name IS :: STRING NOT NULL RETURN o.id",
    "MATCH p = shortestPath((a:Organisation)-[*]-(b:Organisation)) RETURN length(p) AS n",
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


@pytest.mark.parametrize(
    "statement",
    READS + ODD_NAMES + NEO4J_SYNTAX + [q for qs in CATALOGUE_READS.values() for q in qs],
)
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


@pytest.mark.parametrize("text", ["", "  ", "// nothing", ";"])
def test_an_empty_query_is_refused(text: str) -> None:
    with pytest.raises(QueryRefused, match="empty"):
        read_only_statement(text)


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
