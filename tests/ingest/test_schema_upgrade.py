"""A store made before competences had labels per language, and before occupations."""

from __future__ import annotations

from pathlib import Path

import ladybug

from graph.embedded import DATABASE_FILE, EmbeddedStore
from ingest.pipeline import ingest
from tests.conftest import DATA


def test_an_older_store_gains_the_language_columns_and_loads_esco(tmp_path: Path) -> None:
    database = ladybug.Database(str(tmp_path / DATABASE_FILE))
    connection = ladybug.Connection(database)
    connection.execute(
        "CREATE NODE TABLE Competence(id STRING, label STRING, alt_labels STRING[], "
        "esco_uri STRING, PRIMARY KEY(id))"
    )
    connection.execute(
        "CREATE (:Competence {id: 'esco-aaaa-1111', label: 'battery management systems', "
        "esco_uri: 'http://data.europa.eu/esco/skill/aaaa-1111'})"
    )
    connection.close()
    database.close()

    store = EmbeddedStore(tmp_path)
    store.ensure_schema()
    report = ingest(store, [DATA / "sources" / "esco" / "skills_en.csv",
                            DATA / "sources" / "esco" / "relations"])  # fmt: skip
    rows = store.run("MATCH (c:Competence {id: 'esco-aaaa-1111'}) RETURN c.labels AS labels, "
                     "c.concept_type AS t")  # fmt: skip
    occupations = store.run("MATCH (o:Occupation) RETURN count(o) AS n")
    store.close()
    assert report.exit_code == 0, [(f.file, f.error) for f in report.files]
    assert rows == [{"labels": ["en:battery management systems"], "t": "knowledge"}]
    assert occupations == [{"n": 0}]  # the relations name occupations not loaded: skipped
