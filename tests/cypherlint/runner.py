r"""Lint Cypher statements with Neo4j 5's own parser, without a Neo4j server.

Wraps ``lint.mjs`` (Node + ``@neo4j-cypher/language-support``). Install the
Node dependency with::

    npm install --no-save --no-package-lock --engine-strict=false --loglevel=error \
        --prefix tests/cypherlint
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

LINTER_DIR: Path = Path(__file__).resolve().parent
"""Folder holding ``lint.mjs``, ``package.json`` and ``node_modules``."""

_PACKAGE_DIR = LINTER_DIR / "node_modules" / "@neo4j-cypher" / "language-support"
_SCRIPT = LINTER_DIR / "lint.mjs"
_INSTALL_HINT = (
    "npm install --no-save --no-package-lock --engine-strict=false --loglevel=error "
    "--prefix tests/cypherlint"
)
_TIMEOUT_SECONDS = 300

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One problem reported by the Neo4j Cypher linter.

    ``line`` and ``column`` are 1-based positions inside the linted statement.
    """

    severity: Severity
    message: str
    line: int
    column: int

    def __str__(self) -> str:
        """Render as ``line:column severity: message``."""
        return f"{self.line}:{self.column} {self.severity}: {self.message}"


def linter_available() -> str | None:
    """Return None if the linter can run, else a human-readable reason why not."""
    if shutil.which("node") is None:
        return "node is not on PATH (needed for the Neo4j Cypher linter)"
    if not (_PACKAGE_DIR / "package.json").is_file():
        return (
            "@neo4j-cypher/language-support is not installed; "
            f"run `{_INSTALL_HINT}` from the repository root"
        )
    return None


def lint(statements: list[str]) -> list[list[Diagnostic]]:
    """Lint every statement as Neo4j 5 Cypher, in a single Node process.

    Returns one list of diagnostics per statement, in the same order. An empty
    list means Neo4j 5 accepts the statement (syntax, semantics, and every
    function/procedure is a Neo4j 5 built-in). Warnings (e.g. deprecations)
    are included with ``severity == "warning"``.

    Raises:
        RuntimeError: if the linter is unavailable or the Node process fails.

    """
    if not statements:
        return []
    reason = linter_available()
    node = shutil.which("node")
    if reason is not None or node is None:
        raise RuntimeError(reason or "node is not on PATH")
    proc = subprocess.run(
        [node, str(_SCRIPT)],
        input=json.dumps(statements),
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=LINTER_DIR,
        timeout=_TIMEOUT_SECONDS,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"Cypher linter failed (exit {proc.returncode}): {proc.stderr.strip()}")
    raw: list[list[dict[str, object]]] = json.loads(proc.stdout)
    if len(raw) != len(statements):
        raise RuntimeError(
            f"Cypher linter returned {len(raw)} results for {len(statements)} statements"
        )
    return [
        [
            Diagnostic(
                severity="error" if d["severity"] == "error" else "warning",
                message=str(d["message"]),
                line=int(str(d["line"])),
                column=int(str(d["column"])),
            )
            for d in diags
        ]
        for diags in raw
    ]
