"""Settings from the environment (and a ``.env`` file), read once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the CLI and the API can be told from outside."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    store: Literal["embedded", "neo4j"] = Field("embedded", validation_alias="SKILLGRAPH_STORE")
    data_dir: Path = Field(Path("var/graph"), validation_alias="SKILLGRAPH_DATA_DIR")
    neo4j_uri: str = Field("bolt://localhost:7687", validation_alias="NEO4J_URI")
    neo4j_user: str = Field("neo4j", validation_alias="NEO4J_USER")
    neo4j_password: SecretStr = Field(SecretStr(""), validation_alias="NEO4J_PASSWORD")
    neo4j_database: str = Field("neo4j", validation_alias="NEO4J_DATABASE")
    host: str = Field("127.0.0.1", validation_alias="SKILLGRAPH_HOST")
    port: int = Field(8000, validation_alias="SKILLGRAPH_PORT")


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read from the environment on first use."""
    return Settings()
