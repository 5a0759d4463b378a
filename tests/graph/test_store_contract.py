"""The same assertions against every reachable store."""

from __future__ import annotations

import pytest

from graph.schema import NodeKind, RelType
from graph.store import Store

COMPETENCES = [
    {"id": f"c-{i}", "label": f"Competence {i}", "alt_labels": [], "esco_uri": None,
     "group": None, "source": "s1", "fingerprint": "v1"}
    for i in range(2500)
]  # fmt: skip
ORGS = [
    {
        "id": "o-1",
        "name": "Alpha GmbH",
        "member": True,
        "type": "oem",
        "source": "s1",
        "fingerprint": "v1",
    },
    {
        "id": "o-2",
        "name": "Beta SA",
        "member": False,
        "type": "other",
        "source": "s1",
        "fingerprint": "v1",
    },
]
COUNT_COMPETENCES = "MATCH (c:Competence) RETURN count(c) AS n"
COUNT_NEEDS = "MATCH (:Organisation)-[e:NEEDS]->(:Competence) RETURN count(e) AS n"


def _count(store: Store, statement: str) -> int:
    return int(store.run(statement)[0]["n"])


def test_upserts_in_batches_and_reads_back(store: Store) -> None:
    with store.transaction() as tx:
        tx.upsert_nodes(NodeKind.COMPETENCE, COMPETENCES)
        tx.upsert_nodes(NodeKind.ORGANISATION, ORGS)
        tx.upsert_edges(RelType.NEEDS, NodeKind.ORGANISATION, NodeKind.COMPETENCE,
                        [{"a": "o-1", "b": "c-1"}, {"a": "o-1", "b": "c-2"}, {"a": "o-2", "b": "c-1"}])  # fmt: skip
    assert _count(store, COUNT_COMPETENCES) == 2500
    assert _count(store, COUNT_NEEDS) == 3
    rows = store.run(
        "MATCH (o:Organisation {id: $id}) RETURN o.name AS name, o.member AS member", {"id": "o-2"}
    )
    assert rows == [{"name": "Beta SA", "member": False}]


def test_upserting_twice_changes_no_count(store: Store) -> None:
    for _ in range(2):
        with store.transaction() as tx:
            tx.upsert_nodes(NodeKind.ORGANISATION, ORGS)
            tx.upsert_nodes(NodeKind.COMPETENCE, COMPETENCES[:3])
            tx.upsert_edges(
                RelType.NEEDS,
                NodeKind.ORGANISATION,
                NodeKind.COMPETENCE,
                [{"a": "o-1", "b": "c-1"}],
            )
    assert _count(store, COUNT_COMPETENCES) == 3
    assert _count(store, COUNT_NEEDS) == 1


def test_a_failed_transaction_leaves_the_store_unchanged(store: Store) -> None:
    with store.transaction() as tx:
        tx.upsert_nodes(NodeKind.ORGANISATION, ORGS)
    revision = store.revision()
    with pytest.raises(ValueError, match="half way"), store.transaction() as tx:
        tx.upsert_nodes(NodeKind.COMPETENCE, COMPETENCES)
        raise ValueError("failure half way")
    assert _count(store, COUNT_COMPETENCES) == 0
    assert store.revision() == revision


def test_revision_changes_on_every_write(store: Store) -> None:
    before = store.revision()
    with store.transaction() as tx:
        tx.upsert_nodes(NodeKind.ORGANISATION, ORGS[:1])
    middle = store.revision()
    with store.transaction() as tx:
        tx.upsert_nodes(NodeKind.ORGANISATION, ORGS[:1])
    assert before < middle < store.revision()


def test_updated_at_moves_only_when_the_row_changed(store: Store) -> None:
    with store.transaction() as tx:
        tx.upsert_nodes(NodeKind.ORGANISATION, ORGS)
    read = "MATCH (o:Organisation) RETURN o.id AS id, o.updated_at AS u, o.created_at AS c, o.name AS name ORDER BY o.id"
    first = store.run(read)
    # Make the stored timestamps recognisably old, then re-send one unchanged and one changed row.
    with store.transaction() as tx:
        tx.run(
            "MATCH (o:Organisation) SET o.updated_at = '2000-01-01', o.created_at = '2000-01-01'"
        )
        changed = dict(ORGS[1], name="Beta Renamed SA", fingerprint="v2")
        tx.upsert_nodes(NodeKind.ORGANISATION, [ORGS[0], changed])
    after = {row["id"]: row for row in store.run(read)}
    assert after["o-1"]["u"] == "2000-01-01"
    assert after["o-2"]["u"] > "2000-01-01"
    assert after["o-2"]["name"] == "Beta Renamed SA"
    assert after["o-2"]["c"] == "2000-01-01"  # creation time is kept
    assert len(first) == 2


def test_rows_that_omit_a_property_leave_it_unchanged(store: Store) -> None:
    with store.transaction() as tx:
        tx.upsert_nodes(NodeKind.ORGANISATION, ORGS[:1])
        tx.upsert_nodes(
            NodeKind.ORGANISATION, [{"id": "o-1", "name": "Alpha GmbH", "fingerprint": "v3"}]
        )
    rows = store.run("MATCH (o:Organisation {id: 'o-1'}) RETURN o.member AS member, o.type AS type")
    assert rows == [{"member": True, "type": "oem"}]


def test_null_only_columns_of_every_type_are_written(store: Store) -> None:
    offer = {"id": "t-1", "title": "T", "eqf_level": None, "duration_hours": None, "languages": [],
             "mode": None, "source": "s", "fingerprint": "f"}  # fmt: skip
    with store.transaction() as tx:
        tx.upsert_nodes(NodeKind.TRAINING_OFFER, [offer])
    rows = store.run("MATCH (t:TrainingOffer) RETURN t.eqf_level AS eqf, t.languages AS languages")
    assert rows == [{"eqf": None, "languages": []}]


def test_delete_edges_removes_only_those_of_the_given_nodes(store: Store) -> None:
    with store.transaction() as tx:
        tx.upsert_nodes(NodeKind.ORGANISATION, ORGS)
        tx.upsert_nodes(NodeKind.COMPETENCE, COMPETENCES[:2])
        tx.upsert_edges(RelType.NEEDS, NodeKind.ORGANISATION, NodeKind.COMPETENCE,
                        [{"a": "o-1", "b": "c-0"}, {"a": "o-2", "b": "c-1"}])  # fmt: skip
        tx.delete_edges(
            RelType.NEEDS, NodeKind.ORGANISATION, NodeKind.COMPETENCE, ["o-1"], from_source=True
        )
    rows = store.run("MATCH (o:Organisation)-[:NEEDS]->(c:Competence) RETURN o.id AS o, c.id AS c")
    assert rows == [{"o": "o-2", "c": "c-1"}]


def test_delete_edges_spares_the_edges_kept_for_each_node(store: Store) -> None:
    with store.transaction() as tx:
        tx.upsert_nodes(NodeKind.ORGANISATION, ORGS)
        tx.upsert_nodes(NodeKind.COMPETENCE, COMPETENCES[:2])
        tx.upsert_edges(RelType.NEEDS, NodeKind.ORGANISATION, NodeKind.COMPETENCE,
                        [{"a": "o-1", "b": "c-0"}, {"a": "o-1", "b": "c-1"},
                         {"a": "o-2", "b": "c-0"}, {"a": "o-2", "b": "c-1"}])  # fmt: skip
        tx.delete_edges(RelType.NEEDS, NodeKind.ORGANISATION, NodeKind.COMPETENCE,
                        ["o-1", "o-2"], from_source=True, keep={"o-1": ["c-1", "c-9"]})  # fmt: skip
        tx.delete_edges(RelType.NEEDS, NodeKind.ORGANISATION, NodeKind.COMPETENCE,
                        ["c-1"], from_source=False, keep={"c-1": ["o-1"]})  # fmt: skip
    rows = store.run("MATCH (o:Organisation)-[:NEEDS]->(c:Competence) RETURN o.id AS o, c.id AS c")
    assert rows == [{"o": "o-1", "c": "c-1"}]


def test_unknown_properties_are_refused_before_any_cypher(store: Store) -> None:
    with pytest.raises(ValueError, match="no properties"), store.transaction() as tx:
        tx.upsert_nodes(
            NodeKind.ORGANISATION, [{"id": "x", "name) DETACH DELETE n //": 1, "fingerprint": "f"}]
        )


def test_rows_stated_twice_in_one_batch_end_as_the_later_one_says(store: Store) -> None:
    """New ids and edges named twice in one call are created once and take the later values."""
    later = dict(ORGS[1], name="Beta Renamed SA", fingerprint="v2")
    with store.transaction() as tx:
        tx.upsert_nodes(NodeKind.ORGANISATION, [ORGS[0], ORGS[1], later])
        tx.upsert_nodes(NodeKind.PROJECT, [{"id": "p-1", "title": "P", "fingerprint": "v1"}])
        edge = {"a": "o-1", "b": "p-1", "role": "partner"}
        tx.upsert_edges(RelType.PARTICIPATES_IN, NodeKind.ORGANISATION, NodeKind.PROJECT,
                        [edge, dict(edge, role="coordinator"), {"a": "o-1", "b": "p-9"}])  # fmt: skip
    names = store.run("MATCH (o:Organisation) RETURN o.id AS id, o.name AS name ORDER BY o.id")
    assert names == [{"id": "o-1", "name": "Alpha GmbH"}, {"id": "o-2", "name": "Beta Renamed SA"}]
    roles = store.run("MATCH (:Organisation)-[e:PARTICIPATES_IN]->(:Project) RETURN e.role AS r")
    assert roles == [{"r": "coordinator"}]  # the edge to a project that does not exist is not made


def test_an_edge_sent_again_with_other_properties_is_updated_in_place(store: Store) -> None:
    edge = {"a": "o-1", "b": "p-1", "role": "partner"}
    with store.transaction() as tx:
        tx.upsert_nodes(NodeKind.ORGANISATION, ORGS)
        tx.upsert_nodes(NodeKind.PROJECT, [{"id": "p-1", "title": "P", "fingerprint": "v1"}])
        tx.upsert_edges(RelType.PARTICIPATES_IN, NodeKind.ORGANISATION, NodeKind.PROJECT, [edge])
    for role in ("partner", "coordinator"):
        with store.transaction() as tx:
            tx.upsert_edges(RelType.PARTICIPATES_IN, NodeKind.ORGANISATION, NodeKind.PROJECT,
                            [dict(edge, role=role), {"a": "o-2", "b": "p-1", "role": "partner"}])  # fmt: skip
    rows = store.run(
        "MATCH (o:Organisation)-[e:PARTICIPATES_IN]->(:Project) RETURN o.id AS o, e.role AS r "
        "ORDER BY o.id"
    )
    assert rows == [{"o": "o-1", "r": "coordinator"}, {"o": "o-2", "r": "partner"}]


def test_an_empty_batch_writes_nothing(store: Store) -> None:
    with store.transaction() as tx:
        assert tx.upsert_nodes(NodeKind.PRIORITY, []) == 0
        assert tx.upsert_edges(RelType.NEEDS, NodeKind.ORGANISATION, NodeKind.COMPETENCE, []) == 0
    assert _count(store, COUNT_COMPETENCES) == 0
