"""The demo's write key, kept beside the store so that it stays the same across restarts."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from api.settings import Settings

KEY_FILE_NAME = "write-key"


def key_path(settings: Settings) -> Path:
    """Where the key is kept: in the embedded store's folder, or under ``var/`` for Neo4j."""
    if settings.store == "embedded":
        return settings.data_dir / KEY_FILE_NAME
    return Path("var") / f"{KEY_FILE_NAME}-neo4j"


def kept_write_key(settings: Settings) -> str:
    """The kept key, made (readable by its owner only) the first time."""
    path = key_path(settings)
    if path.is_file():
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(24)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(key + "\n")
    return key
