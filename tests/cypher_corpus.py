"""Statements sent to ``POST /cypher``: hostile ones that must be refused, reads that must pass.

Each entry of ``HOSTILE`` is ``(name, statement)``. ``{out}`` stands for a file the statement tries to write
and ``{canary}`` for a file it tries to read; the tests put both in a temporary folder and
check that the first never appears and that the second's text never comes back.

The first group is what an older check let through: a ``//`` comment ended by a bare
carriage return is a comment to a regular expression but not to LadybugDB, which reads the
``/`` of ``//* */`` as a division and runs what follows the ``;``.
"""

from __future__ import annotations

HIDE = "UNWIND [4] AS y RETURN y //* */ 2 AS x\r; "
RENAME = "MATCH (o:Organisation {id:'m-001'}) SET o.name='PWNED'"

HOSTILE: list[tuple[str, str]] = [
    # what got through before: comment tricks hiding a second statement
    ("cr ends comment, then SET", HIDE + RENAME),
    (
        "cr ends comment, then COPY TO",
        HIDE + "COPY (MATCH (o:Organisation) RETURN o.id) TO '{out}'",
    ),
    (
        "cr ends comment, then LOAD FROM",
        HIDE + "LOAD FROM '{canary}' (file_format='csv', header=false, delim=':') RETURN *",
    ),
    ("COMMENT ON", "COMMENT ON TABLE Organisation IS 'x'"),
    ("ANALYZE", "ANALYZE"),
    ("COPY TO", "COPY (MATCH (o:Organisation) RETURN o.id, o.name) TO '{out}'"),
    (
        "LOAD FROM passwd",
        "LOAD FROM '/etc/passwd' (file_format='csv', header=false, delim=':') RETURN *",
    ),
    ("LOAD FROM canary", "LOAD FROM '{canary}' (header=false) RETURN *"),
    ("LOAD WITH HEADERS", "LOAD WITH HEADERS (a STRING) FROM '{canary}' RETURN *"),
    # line terminators a regular expression and the engines disagree on
    ("lone cr in comment", "MATCH (o:Organisation) RETURN o // x\r" + RENAME),
    ("u2028 in comment", "MATCH (o:Organisation) RETURN o // x\u2028SET o.name = 'PWNED'"),
    ("u2029 in comment", "MATCH (o:Organisation) RETURN o // x\u2029SET o.name = 'PWNED'"),
    ("nel in comment", "MATCH (o:Organisation) RETURN o // x\x85SET o.name = 'PWNED'"),
    ("vertical tab in comment", "MATCH (o:Organisation) RETURN o // x\x0bSET o.name = 'PWNED'"),
    ("form feed in comment", "MATCH (o:Organisation) RETURN o // x\x0cSET o.name = 'PWNED'"),
    ("cr lf then SET", "MATCH (o:Organisation) // look\r\nSET o.name = 'PWNED'"),
    # block comments: nesting and the star LadybugDB reads differently
    ("star star slash", "MATCH (o:Organisation) /* x **/ SET o.name = 'PWNED' /* */ RETURN o"),
    ("nested comment", "MATCH (o:Organisation) /* a /* b */ SET o.name = 'PWNED' */ RETURN o"),
    ("unterminated comment", "MATCH (o:Organisation) RETURN o /* SET o.name = 'PWNED'"),
    ("comment hides nothing", "MATCH (o:Organisation) /* RETURN o */ SET o.name = 'PWNED'"),
    # strings and quoted names
    (
        "escaped backslash ends string",
        "MATCH (o:Organisation) WHERE o.name = 'a\\\\' SET o.name = 'PWNED' RETURN o",
    ),
    ("unknown escape", "MATCH (o:Organisation) WHERE o.name = 'a\\q' SET o.name = 'PWNED'"),
    ("unterminated string", "MATCH (o:Organisation) RETURN 'abc"),
    (
        "double quote string then SET",
        'MATCH (o:Organisation) WHERE o.name = "x\\"" SET o.name = "PWNED"',
    ),
    ("backtick then SET", "MATCH (o:`Organisation`) SET o.`name` = 'PWNED'"),
    ("doubled backtick then SET", "MATCH (o:`Organ``isation`) SET o.name = 'PWNED'"),
    ("unterminated backtick", "MATCH (o:`Organisation) SET o.name = 'PWNED'"),
    # unicode look-alikes and spaces
    ("no-break space", "MATCH (o:Organisation)\u00a0SET o.name = 'PWNED'"),
    ("ideographic space", "MATCH (o:Organisation)\u3000SET o.name = 'PWNED'"),
    ("fullwidth SET", "MATCH (o:Organisation) \uff33\uff25\uff34 o.name = 'PWNED'"),
    ("cyrillic S", "MATCH (o:Organisation) \u0405ET o.name = 'PWNED'"),
    ("zero width space", "MATCH (o:Organisation)\u200bSET o.name = 'PWNED'"),
    # several statements
    ("two statements", "MATCH (o:Organisation) RETURN o; " + RENAME),
    ("commit then write", "COMMIT; " + RENAME),
    ("empty statement between", "RETURN 1;;" + RENAME),
    ("semicolon in parentheses", "RETURN (1; " + RENAME + ")"),
    ("BEGIN", "BEGIN TRANSACTION"),
    ("COMMIT", "COMMIT"),
    ("ROLLBACK", "ROLLBACK"),
    ("CHECKPOINT", "CHECKPOINT"),
    # writing clauses
    ("CREATE", "CREATE (:Organisation {id: 'evil', name: 'PWNED'})"),
    ("MERGE", "MERGE (o:Organisation {id: 'm-001'}) SET o.name = 'PWNED'"),
    ("SET", RENAME),
    ("SET after WITH star", "MATCH (o:Organisation) WITH * SET o.name = 'PWNED'"),
    (
        "SET after ORDER BY DESC",
        "MATCH (o:Organisation) WITH o ORDER BY o.id DESC SET o.name = 'PWNED'",
    ),
    ("SET after LIMIT", "MATCH (o:Organisation) WITH o LIMIT 1 SET o.name = 'PWNED'"),
    ("SET after alias named as", "MATCH (o:Organisation) WITH o AS as SET as.name = 'PWNED'"),
    ("SET after NOT", "MATCH (o:Organisation) WITH o, NOT set SET o.name = 'PWNED'"),
    ("SET after CASE name", "MATCH (o:Organisation) WITH o, case SET o.name = end"),
    (
        "case and end as names",
        "MATCH (o:Organisation) WITH o, 'PWNED' AS end, 1 AS case "
        "WITH o, end, case AS c SET o.name = end",
    ),
    ("not as a name", "MATCH (o:Organisation) WITH o, 1 AS not WITH o, not SET o.name = 'PWNED'"),
    (
        "distinct as a name",
        "MATCH (o:Organisation) WITH o, 1 AS distinct WITH DISTINCT distinct, o "
        "SET o.name = 'PWNED'",
    ),
    ("DELETE", "MATCH (o:Organisation) DELETE o"),
    ("DETACH DELETE", "MATCH (o:Organisation) DETACH DELETE o"),
    ("REMOVE", "MATCH (o:Organisation) REMOVE o.name"),
    ("DROP TABLE", "DROP TABLE Source"),
    ("DROP INDEX", "DROP INDEX organisation_name IF EXISTS"),
    ("ALTER TABLE", "ALTER TABLE Organisation DROP name"),
    ("ALTER RENAME", "ALTER TABLE Organisation RENAME TO Org"),
    ("CREATE NODE TABLE", "CREATE NODE TABLE Evil(id STRING, PRIMARY KEY(id))"),
    ("CREATE MACRO", "CREATE MACRO evil(x) AS x"),
    ("FOREACH", "MATCH (o:Organisation) FOREACH (x IN [1] | SET o.name = 'PWNED')"),
    ("lowercase set", "match (o:Organisation) set o.name = 'PWNED'"),
    ("mixed case Set", "MATCH (o:Organisation) SeT o.name = 'PWNED'"),
    # subqueries and procedures
    ("CALL subquery", "CALL { MATCH (o:Organisation) SET o.name = 'PWNED' }"),
    (
        "CALL subquery with scope",
        "MATCH (o:Organisation) CALL (o) { SET o.name = 'PWNED' } RETURN o",
    ),
    (
        "CALL in transactions",
        "MATCH (o:Organisation) CALL { WITH o DETACH DELETE o } IN TRANSACTIONS",
    ),
    (
        "EXISTS subquery with SET",
        "MATCH (o:Organisation) WHERE EXISTS { MATCH (o) SET o.name = 'PWNED' } RETURN o",
    ),
    (
        "COUNT subquery with CREATE",
        "MATCH (o:Organisation) RETURN COUNT { CREATE (:Organisation {id: 'evil'}) }",
    ),
    ("apoc", "CALL apoc.do.when(true, 'CREATE (n) RETURN n', '') YIELD value RETURN value"),
    ("apoc load", "CALL apoc.load.csv('file:///etc/passwd') YIELD list RETURN list"),
    ("dbms", "CALL dbms.listConfig() YIELD name RETURN name"),
    ("db create", "CALL db.createLabel('Evil')"),
    ("quoted procedure", "CALL `dbms`.`listConfig`()"),
    ("setting", "CALL threads=1"),
    ("checkpoint setting", "CALL auto_checkpoint=false"),
    ("home directory setting", "CALL home_directory='/tmp'"),
    ("procedure without parentheses", "CALL db.labels"),
    ("read csv function", "CALL read_csv('{canary}') RETURN *"),
    ("OPTIONAL CALL", "OPTIONAL CALL db.labels() YIELD label RETURN label"),
    # files, databases, extensions
    ("LOAD CSV", "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line"),
    (
        "LOAD CSV after MATCH",
        "MATCH (o:Organisation) LOAD CSV FROM 'file://{canary}' AS line RETURN line",
    ),
    ("COPY FROM", "COPY Organisation FROM '{canary}'"),
    ("EXPORT DATABASE", "EXPORT DATABASE '{out}'"),
    ("IMPORT DATABASE", "IMPORT DATABASE '{canary}'"),
    ("ATTACH", "ATTACH '{out}' AS other (dbtype lbug)"),
    ("DETACH database", "DETACH other"),
    ("INSTALL", "INSTALL httpfs"),
    ("LOAD EXTENSION", "LOAD EXTENSION httpfs"),
    ("USE", "USE system SHOW USERS"),
    # commands that are not reads
    ("SHOW", "SHOW DATABASES"),
    ("EXPLAIN", "EXPLAIN MATCH (o:Organisation) RETURN o"),
    ("PROFILE", "PROFILE MATCH (o:Organisation) RETURN o"),
    ("CYPHER options", "CYPHER runtime=slotted MATCH (o:Organisation) RETURN o"),
    ("GRANT", "GRANT ROLE admin TO neo4j"),
    ("TERMINATE", "TERMINATE TRANSACTIONS 'neo4j-transaction-1'"),
    ("only a comment", "// nothing here"),
    ("only a semicolon", " ;"),
]

#: Reads an analyst writes, that both engines run: the example of docs/api.md and typical
#: questions on the sample.
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
    "RETURN [1, 2, 3] AS l, {a: 1, b: 'two'} AS m, size([1, 2]) AS n",
    "MATCH (o:Organisation)\r\n// the members only\r\nWHERE o.member /* flag */ RETURN o.id",
    "RETURN 'it\\'s', \"say \\\"hi\\\"\", '\\u00e9t\\u00e9', '// not a comment', '/* nor this'",
    "MATCH (o:`Organisation`) RETURN o.`name` AS `the ``name```",
    "RETURN 1.5e3 AS a, .5 AS b, -1 AS c, $p AS p",
]
#: Catalogue reads, per engine.
CATALOGUE_READS = {
    "embedded": ["CALL show_tables() RETURN *", "CALL table_info('Organisation') RETURN *"],
    "neo4j": ["CALL db.labels() YIELD label RETURN label", "CALL db.propertyKeys()"],
}
