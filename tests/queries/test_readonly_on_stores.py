"""Behind the check: the engines refuse writes on the untrusted path, and stop reading early.

The differential test generates statements that mix comments, line terminators, strings and
write clauses; whatever the check accepts is then run on a real store, both on the ordinary
read path (so the check alone stands between the statement and the engine) and on the
untrusted one, and must write nothing and touch no file.
"""

from __future__ import annotations

import time
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import cypher
from graph.errors import QueryRefused
from graph.schema import META_ID, NodeKind
from graph.store import Store, fetch_rows
from queries.readonly import read_only_statement

ORGS = [
    {"id": f"m-00{i}", "name": f"Org {i}", "member": True, "type": "oem", "source": "s1",
     "fingerprint": "v1"}
    for i in range(1, 4)
]  # fmt: skip
CANARY_TEXT = "canary-7f3a9"
RENAME = "MATCH (o:Organisation) SET o.name = 'PWNED'"
#: Writes each engine would run outside a read-only transaction.
WRITES = {
    "common": [
        RENAME,
        "CREATE (:Organisation {id: 'evil', name: 'PWNED'})",
        "MERGE (o:Organisation {id: 'm-001'}) SET o.name = 'PWNED'",
        "MATCH (o:Organisation) DELETE o",
        "MATCH (o:Organisation) DETACH DELETE o",
        "RETURN 1; " + RENAME,
        "COMMIT; " + RENAME,
        "ROLLBACK; " + RENAME,
        "MATCH (o:Organisation) WITH o, 1 AS x SET o.name = 'PWNED' RETURN o",
    ],
    "embedded": [
        "DROP TABLE Source",
        "ALTER TABLE Organisation ADD evil STRING",
        "CREATE NODE TABLE Evil(id STRING, PRIMARY KEY(id))",
        "COMMENT ON TABLE Organisation IS 'PWNED'",
        "CHECKPOINT",
    ],
    "neo4j": [
        "CREATE INDEX evil FOR (n:Organisation) ON (n.evil)",
        "CALL db.createLabel('Evil')",
        "CALL { MATCH (o:Organisation) SET o.name = 'PWNED' } IN TRANSACTIONS",
        "MATCH (o:Organisation) FOREACH (x IN [1] | SET o.name = 'PWNED')",
    ],
}


def _seed(store: Store) -> None:
    with store.transaction() as tx:
        tx.upsert_nodes(NodeKind.ORGANISATION, ORGS)


def snapshot(store: Store) -> dict[str, Any]:
    """What a write would change: names, counts, the stored revision and the catalogue."""
    names = store.run("MATCH (o:Organisation) RETURN o.id AS id, o.name AS name ORDER BY id")
    nodes = store.run("MATCH (n) RETURN count(n) AS n")
    revision = store.run(cypher.READ_REVISION, {"id": META_ID})
    if store.backend == "embedded":
        catalogue = store.run("CALL show_tables() RETURN *")
        catalogue += store.run("CALL table_info('Organisation') RETURN *")
    else:
        catalogue = store.run("CALL db.labels() YIELD label RETURN label ORDER BY label")
        catalogue += store.run("SHOW INDEXES YIELD name RETURN name ORDER BY name")
    return {"names": names, "nodes": nodes, "revision": revision, "catalogue": catalogue}


@pytest.fixture
def seeded(store: Store) -> Store:
    _seed(store)
    return store


def test_a_write_sent_straight_to_the_untrusted_path_fails_and_changes_nothing(
    seeded: Store,
) -> None:
    before, revision = snapshot(seeded), seeded.revision()
    for statement in WRITES["common"] + WRITES[seeded.backend]:
        with pytest.raises(QueryRefused):
            seeded.run(statement, untrusted=True, max_rows=10)
        assert snapshot(seeded) == before, statement
    assert seeded.revision() == revision
    with seeded.transaction() as tx:  # the store still writes through its own path
        tx.run("MATCH (o:Organisation {id: 'm-001'}) SET o.name = 'Renamed'")
    assert seeded.run("MATCH (o:Organisation {id: 'm-001'}) RETURN o.name AS n") == [
        {"n": "Renamed"}
    ]


def test_reads_on_the_untrusted_path_return_their_rows(seeded: Store) -> None:
    rows = seeded.run(
        "MATCH (o:Organisation) WHERE o.id <> $skip RETURN o.id AS id ORDER BY id",
        {"skip": "m-002"},
        untrusted=True,
    )
    assert rows == [{"id": "m-001"}, {"id": "m-003"}]


@pytest.mark.parametrize("untrusted", [False, True])
def test_max_rows_stops_the_reading(store: Store, untrusted: bool) -> None:
    rows = store.run(
        "UNWIND range(1, 1000000) AS x RETURN x", untrusted=untrusted, max_rows=7, timeout=30
    )
    assert rows == [{"x": x} for x in range(1, 8)]


def test_a_statement_past_its_time_limit_is_refused_and_the_store_still_reads(
    store: Store,
) -> None:
    # Ten billion rows from two short lists: the engines check the limit while they work
    # (LadybugDB cannot stop while it builds one huge list, so no long range() here).
    slow = (
        "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b "
        "WITH a, b WHERE a + b < 0 RETURN count(*) AS n"
    )
    with pytest.raises(QueryRefused, match="time limit"):
        store.run(slow, untrusted=True, max_rows=10, timeout=0.05)
    assert store.run("RETURN 1 AS x", untrusted=True) == [{"x": 1}]


def test_reading_rows_stops_at_the_deadline() -> None:
    taken: list[int] = []

    def rows() -> Any:
        for x in range(10):
            taken.append(x)
            yield {"x": x}

    with pytest.raises(QueryRefused, match="time limit"):
        fetch_rows(rows(), max_rows=None, deadline=time.monotonic() - 1)
    assert taken == [0]
    assert fetch_rows(rows(), max_rows=3, deadline=None) == [{"x": x} for x in range(3)]


# -- the differential test -----------------------------------------------------------------
HEADS = ["MATCH (o:Organisation)", "UNWIND [4] AS y", "WITH 1 AS y", "OPTIONAL MATCH (o:Organisation)",
         "MATCH (o:Organisation {id:'m-001'})"]  # fmt: skip
TAILS = ["RETURN o.id AS x", "RETURN y", "RETURN 1 AS x", "RETURN *", "RETURN y //* */ 2 AS x"]
FILE_WRITES = [
    RENAME, "SET o.name = 'PWNED'", "CREATE (:Organisation {id: 'evil'})", "DETACH DELETE o",
    "MERGE (:Competence {id: 'evil'})", "REMOVE o.name", "DELETE o", "COMMIT", "ROLLBACK",
    "BEGIN TRANSACTION", "COMMENT ON TABLE Organisation IS 'x'", "DROP TABLE Source",
    "CALL threads=1", "FOREACH (x IN [1] | SET o.name = 'PWNED')", "CHECKPOINT", "ANALYZE",
    "CALL { MATCH (o:Organisation) SET o.name = 'PWNED' }", "COPY (RETURN 1) TO '{out}'",
    "COPY (MATCH (o:Organisation) RETURN o.id) TO '{out}'", "LOAD FROM '{canary}' RETURN *",
    "LOAD CSV FROM 'file://{canary}' AS l RETURN l", "WITH case SET o.name = end",
]  # fmt: skip
NOISE = [" ", " ", " ", "\n", "\r", "\r\n", "\t", "\u2028", "\u2029", "\x85", "\x0b", "\u00a0",
         "// c", "//", "//* */", "/* c */", "/* * */", "/*", "*/", "'", '"', "`", "\\", "'s'",
         "'\\''", "\"\\\"\"", "`a``b`", ";", ",", "2 AS x", "AS", "WITH o", "WHERE", "{", "}",
         "(", ")", "CASE", "END", "NOT", "case", "end", "as", "o.set", "{set: 1}"]  # fmt: skip
TERMINATORS = ["\n", "\r\n", "\r", "\u2028", "\u2029", "\x85", "\x0c", ""]
#: Ways to hide a write: in a comment, a string, a quoted name (escaped or not).
HIDERS = [
    "// {w}{t}",
    "/* {w} */{t}",
    "/* {w} **/{t}",
    "WITH *, '{w}' AS s{t}",
    "WITH *, '{e}' AS s{t}",
    'WITH *, "{w}" AS s{t}',
    "WITH *, 1 AS `{w}`{t}",
    "WITH *, {{set: '{e}', copy: 1}} AS m{t}",
]
_pieces = st.sampled_from(HEADS + TAILS + FILE_WRITES + NOISE)
_free = st.lists(_pieces, min_size=1, max_size=12).map("".join)
_noise = st.lists(st.sampled_from(NOISE), max_size=3).map("".join)
_hidden = st.builds(
    lambda hider, write, end: hider.format(w=write, e=write.replace("'", "\\'"), t=end),
    st.sampled_from(HIDERS),
    st.sampled_from(FILE_WRITES),
    st.sampled_from(TERMINATORS),
)
_shaped = st.tuples(
    st.sampled_from(HEADS),
    st.just(" "),
    st.one_of(_hidden, st.sampled_from(FILE_WRITES), _noise),
    _noise,
    st.one_of(_hidden, st.just(" ")),
    st.sampled_from(TAILS),
).map("".join)


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.one_of(_free, _shaped))
def test_what_the_check_accepts_writes_nothing_and_touches_no_file(
    seeded: Store, tmp_path: Path, text: str
) -> None:
    out = tmp_path / "out.csv"
    canary = tmp_path / "canary.csv"
    canary.write_text(f"{CANARY_TEXT}\n", encoding="utf-8")
    text = text.replace("{out}", str(out)).replace("{canary}", str(canary))
    try:
        statement = read_only_statement(text)
    except QueryRefused:
        return
    before = snapshot(seeded)
    for untrusted in (False, True):
        rows: list[dict[str, Any]] = []
        with suppress(QueryRefused):
            rows = seeded.run(statement, untrusted=untrusted, max_rows=10, timeout=5)
        assert snapshot(seeded) == before, statement
        assert not out.exists(), statement
        assert CANARY_TEXT not in repr(rows), statement
