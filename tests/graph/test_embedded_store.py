"""What only the embedded store does: the one-writer lock, schema evolution."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import ladybug
import pytest

from graph.embedded import DATABASE_FILE, EmbeddedStore
from graph.errors import StoreLocked

HOLD = textwrap.dedent(
    """
    import sys, time
    from graph.embedded import EmbeddedStore
    store = EmbeddedStore(sys.argv[1])
    print("open", flush=True)
    time.sleep(60)
    """
)


def test_a_second_process_gets_a_one_line_lock_error_naming_the_holder(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreLocked) as caught:
            EmbeddedStore(tmp_path)
        message = str(caught.value)
        assert f"PID {holder.pid}" in message
        assert "POST /ingest" in message
        assert "\n" not in message
    finally:
        holder.kill()
        holder.wait()


def test_opening_an_older_store_adds_the_columns_the_schema_gained(tmp_path: Path) -> None:
    database = ladybug.Database(str(tmp_path / DATABASE_FILE))
    connection = ladybug.Connection(database)
    connection.execute("CREATE NODE TABLE Organisation(id STRING, name STRING, PRIMARY KEY(id))")
    connection.execute("CREATE (:Organisation {id: 'o-1', name: 'Old Org'})")
    connection.close()
    database.close()

    store = EmbeddedStore(tmp_path)
    store.ensure_schema()
    rows = store.run(
        "MATCH (o:Organisation) RETURN o.id AS id, o.name AS name, o.country AS country"
    )
    store.close()
    assert rows == [{"id": "o-1", "name": "Old Org", "country": None}]
