"""Settings from the environment (and a ``.env`` file), read once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from ingest.tables import DEFAULT_LIMITS as _LIMITS
from ingest.tables import MAX_JSON_DEPTH, ReadLimits

_MB = 1 << 20


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
    api_key: SecretStr | None = Field(None, validation_alias="SKILLGRAPH_API_KEY")
    read_key: SecretStr | None = Field(None, validation_alias="SKILLGRAPH_READ_KEY")
    cypher_needs_key: bool = Field(False, validation_alias="SKILLGRAPH_CYPHER_NEEDS_KEY")
    cypher_timeout_seconds: float = Field(10.0, gt=0, validation_alias="SKILLGRAPH_CYPHER_TIMEOUT")
    cypher_max_rows: int = Field(5000, gt=0, validation_alias="SKILLGRAPH_CYPHER_MAX_ROWS")
    max_upload_mb: float = Field(50.0, gt=0, validation_alias="SKILLGRAPH_MAX_UPLOAD_MB")
    max_upload_files: int = Field(20, gt=0, validation_alias="SKILLGRAPH_MAX_UPLOAD_FILES")
    max_form_fields: int = Field(100, gt=0, validation_alias="SKILLGRAPH_MAX_FORM_FIELDS")
    max_form_field_kb: float = Field(64.0, gt=0, validation_alias="SKILLGRAPH_MAX_FORM_FIELD_KB")
    max_body_kb: float = Field(1024.0, gt=0, validation_alias="SKILLGRAPH_MAX_BODY_KB")
    response_cache_mb: float = Field(64.0, ge=0, validation_alias="SKILLGRAPH_RESPONSE_CACHE_MB")
    # Where fragmentation's network algorithms run: igraph here, or GDS on the Neo4j server.
    analysis_engine: Literal["networkx", "gds"] = Field(
        "networkx", validation_alias="SKILLGRAPH_ANALYSIS_ENGINE"
    )
    analysis_cache_entries: int = Field(
        256, gt=0, validation_alias="SKILLGRAPH_ANALYSIS_CACHE_ENTRIES"
    )
    #: What ``skillgraph ingest`` does with the analyses of the revision it wrote (api/analyse_cli.py).
    analyses_after_ingest: Literal["background", "wait", "skip"] = Field(
        "background", validation_alias="SKILLGRAPH_ANALYSES_AFTER_INGEST"
    )
    list_index_entities: int = Field(
        200_000, ge=0, validation_alias="SKILLGRAPH_LIST_INDEX_ENTITIES"
    )
    # Bounds on one ingested file (ingest.tables.ReadLimits); docs/security.md.
    max_file_mb: float = Field(
        _LIMITS.max_file_bytes / _MB, gt=0, validation_alias="SKILLGRAPH_MAX_FILE_MB"
    )
    max_rows: int = Field(_LIMITS.max_rows, gt=0, validation_alias="SKILLGRAPH_MAX_ROWS")
    max_cell_chars: int = Field(
        _LIMITS.max_cell_chars, gt=0, validation_alias="SKILLGRAPH_MAX_CELL_CHARS"
    )
    max_json_depth: int = Field(
        _LIMITS.max_json_depth,
        gt=1,
        le=MAX_JSON_DEPTH,
        validation_alias="SKILLGRAPH_MAX_JSON_DEPTH",
    )
    max_xlsx_expanded_mb: float = Field(
        _LIMITS.max_xlsx_uncompressed_bytes / _MB,
        gt=0,
        validation_alias="SKILLGRAPH_MAX_XLSX_EXPANDED_MB",
    )
    max_xlsx_shared_strings_mb: float = Field(
        _LIMITS.max_xlsx_shared_strings_bytes / _MB,
        gt=0,
        validation_alias="SKILLGRAPH_MAX_XLSX_SHARED_STRINGS_MB",
    )
    max_xlsx_parts: int = Field(
        _LIMITS.max_xlsx_members, gt=0, validation_alias="SKILLGRAPH_MAX_XLSX_PARTS"
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias="SKILLGRAPH_CORS_ORIGINS"
    )

    @property
    def max_upload_bytes(self) -> int:
        """The upload limit of ``/ingest`` in bytes (every file and field of one request)."""
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def max_body_bytes(self) -> int:
        """The body limit of every other route in bytes."""
        return int(self.max_body_kb * 1024)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        """Origins as a comma-separated list (``https://a.example,https://b.example``)."""
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    def read_limits(self) -> ReadLimits:
        """The bounds on one ingested file, as the ingest functions take them."""
        return ReadLimits(
            max_file_bytes=int(self.max_file_mb * _MB),
            max_rows=self.max_rows,
            max_cell_chars=self.max_cell_chars,
            max_json_depth=self.max_json_depth,
            max_xlsx_uncompressed_bytes=int(self.max_xlsx_expanded_mb * _MB),
            max_xlsx_shared_strings_bytes=int(self.max_xlsx_shared_strings_mb * _MB),
            max_xlsx_members=self.max_xlsx_parts,
        )


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read from the environment on first use."""
    return Settings()
