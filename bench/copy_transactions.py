"""Whether LadybugDB's ``COPY ... FROM`` an Arrow table can serve a transactional ingest.

Each scenario runs in its own process on a fresh database (a crash must not take the
benchmark with it) and prints how the process ended: the last step it reached and its exit
status (a negative status is the signal that killed it, e.g. -11 a segmentation fault).

The ingest writes one file per transaction and rolls the file back on any error. Loading new
rows with ``COPY`` inside that transaction is only usable if a rolled-back or failing ``COPY``
leaves the process able to go on; the scenarios below check exactly that.

    .venv/bin/python -m bench.copy_transactions
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

SCENARIOS: dict[str, list[str]] = {
    "COPY nodes and edges and a MERGE in one transaction, COMMIT": [
        "begin",
        "copy_nodes",
        "copy_edges",
        "merge",
        "commit",
        "count",
    ],
    "COPY in a transaction, ROLLBACK, then a MERGE": ["begin", "copy_nodes", "rollback", "merge"],
    "COPY in a transaction, ROLLBACK, then COPY again": [
        "begin",
        "copy_nodes",
        "rollback",
        "copy_nodes",
        "count",
    ],
    "COPY in a transaction, ROLLBACK, then COPY again in a transaction": [
        "begin",
        "copy_nodes",
        "rollback",
        "begin",
        "copy_nodes",
        "commit",
        "count",
    ],
    "COPY in a transaction, ROLLBACK, then other rows by COPY in a transaction": [
        "begin",
        "copy_nodes",
        "rollback",
        "begin",
        "copy_other",
        "commit",
        "count",
    ],
    "COPY of an id that exists, in a transaction (the error path)": [
        "copy_nodes",
        "begin",
        "copy_nodes",
        "rollback",
        "count",
    ],
    "COPY into a table that holds rows, outside a transaction": [
        "merge",
        "copy_nodes",
        "count",
    ],
}

_STEPS = {
    "begin": "c.execute('BEGIN TRANSACTION')",
    "commit": "c.execute('COMMIT')",
    "rollback": "c.execute('ROLLBACK')",
    "copy_nodes": "c.execute('COPY P FROM $rows', {'rows': nodes})",
    "copy_other": "c.execute('COPY P FROM $rows', {'rows': other})",
    "copy_edges": "c.execute('COPY K FROM $rows', {'rows': edges})",
    "merge": "c.execute(\"MERGE (p:P {id: 'm'}) SET p.n = 0\")",
    "count": "print('rows', c.execute('MATCH (p:P) RETURN count(p)').get_all()[0][0])",
}

_PRELUDE = """
import sys
import ladybug
import pyarrow as pa
db = ladybug.Database(sys.argv[1])
c = ladybug.Connection(db)
c.execute('CREATE NODE TABLE P(id STRING, n INT64, PRIMARY KEY(id))')
c.execute('CREATE REL TABLE K(FROM P TO P, w INT64)')
nodes = pa.table({'id': ['a', 'b', 'c'], 'n': [1, 2, 3]})
other = pa.table({'id': ['x', 'y'], 'n': [7, 8]})
edges = pa.table({'from': ['a', 'b'], 'to': ['b', 'c'], 'w': [1, 2]})
"""


def run(steps: list[str], folder: Path) -> tuple[str, int]:
    """The last step reached (with any error) and the exit status of the process."""
    lines = [_PRELUDE]
    for step in steps:
        lines.append(f"print('step {step}', flush=True)")
        lines.append(
            f"try:\n    {_STEPS[step]}\nexcept RuntimeError as e:\n"
            f"    print('error', str(e).splitlines()[0][:90], flush=True)"
        )
    lines.append("print('step end', flush=True)")
    done = subprocess.run(
        [sys.executable, "-c", "\n".join(lines), str(folder / "g.lbdb")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    output = [line for line in done.stdout.splitlines() if line]
    return " / ".join(output[-3:]), done.returncode


def main() -> None:
    """Run every scenario and print its outcome."""
    import ladybug

    print(f"LadybugDB {ladybug.__version__}")
    with tempfile.TemporaryDirectory(prefix="skillgraph-copy-") as tmp:
        for index, (name, steps) in enumerate(SCENARIOS.items()):
            folder = Path(tmp) / str(index)
            folder.mkdir()
            last, status = run(steps, folder)
            verdict = "survived" if status == 0 else f"DIED (status {status})"
            print(f"- {name}: {verdict}; last output: {last}")


if __name__ == "__main__":
    main()
