"""The one place that picks the store, and where its review file lives, from settings."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from api.settings import Settings
from graph.errors import InputError
from graph.store import Store
from ingest.review import REVIEW_FILE_NAME

if TYPE_CHECKING:
    from graph.network import NetworkEngine

#: Folder of kept analysis results inside the embedded store's data folder.
ANALYSES_FOLDER = "analyses"


def open_store(settings: Settings, *, read_only: bool = False, exclusive: bool = False) -> Store:
    """Open the configured store and make sure its schema exists.

    ``read_only`` opens the embedded store beside the process that may write to it (a
    reader holds no write lock); a Neo4j store is opened as always. ``exclusive`` says
    that only the calling thread uses the store (a command), which lets the embedded store
    load a large write into a copy of itself and swap it in.
    """
    store: Store
    if settings.store == "neo4j":
        from graph.neo4j_store import Neo4jStore

        store = Neo4jStore(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password.get_secret_value(),
            settings.neo4j_database,
        )
    else:
        from graph.embedded import EmbeddedStore

        store = EmbeddedStore(settings.data_dir, read_only=read_only, exclusive=exclusive)
    store.ensure_schema()
    return store


def network_engine(settings: Settings, store: Store) -> NetworkEngine:
    """Where the analyses' network algorithms run: ``SKILLGRAPH_ANALYSIS_ENGINE``.

    ``networkx`` (the default) computes them in this process; ``gds`` on the Neo4j server,
    with its Graph Data Science library.
    """
    if settings.analysis_engine == "networkx":
        from graph.network import LocalEngine

        return LocalEngine()
    from graph.gds import GdsEngine
    from graph.neo4j_store import Neo4jStore

    if not isinstance(store, Neo4jStore):
        raise InputError(
            "SKILLGRAPH_ANALYSIS_ENGINE=gds needs SKILLGRAPH_STORE=neo4j "
            "(a Neo4j server with the Graph Data Science library)"
        )
    return GdsEngine(store)


def analysis_folder(settings: Settings) -> Path | None:
    """Where analysis results are kept between processes: beside the embedded store.

    One folder per database file (by its inode), so that a store deleted and made again
    never meets the results of the old one. None for Neo4j (results stay in memory).
    """
    if settings.store != "embedded":
        return None
    from graph.embedded import DATABASE_FILE

    try:
        identity = (settings.data_dir / DATABASE_FILE).stat().st_ino
    except OSError:
        return None
    return settings.data_dir / ANALYSES_FOLDER / f"db-{identity}"


def drop_results_of_other_files(settings: Settings) -> None:
    """Remove results kept for database files that are gone (a large write swaps the file).

    Nothing can read them again: a new file has a new inode, and so a folder of its own.
    """
    current = analysis_folder(settings)
    if current is None:
        return
    for folder in current.parent.glob("db-*"):
        if folder != current and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)


def review_path(settings: Settings, given: Path | None = None) -> Path:
    """Where the review file lives: given, beside the embedded store, or beside its folder.

    For a Neo4j store it is ``review-neo4j.json`` in the parent of ``SKILLGRAPH_DATA_DIR``:
    ``var/review-neo4j.json`` with the default ``var/graph``.
    """
    if given is not None:
        return given
    if settings.store == "embedded":
        return settings.data_dir / REVIEW_FILE_NAME
    return settings.data_dir.parent / "review-neo4j.json"
