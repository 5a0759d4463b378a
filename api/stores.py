"""The one place that picks the store from settings."""

from __future__ import annotations

from api.settings import Settings
from graph.store import Store


def open_store(settings: Settings) -> Store:
    """Open the configured store and make sure its schema exists."""
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

        store = EmbeddedStore(settings.data_dir)
    store.ensure_schema()
    return store
