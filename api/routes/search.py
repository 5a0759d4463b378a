"""Search across all kinds."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.cache import RevisionCache
from api.deps import CacheDep
from queries.search import SearchHit, SearchIndex, search

router = APIRouter(tags=["search"])


def search_index_of(cache: RevisionCache) -> SearchIndex:
    """The search index of the current revision, built once."""
    return cache.get("search-index", lambda: SearchIndex(cache.graph()))


class SearchResult(BaseModel):
    """Hits, best first."""

    q: str
    data: list[SearchHit]
    count: int


@router.get("/search", response_model=SearchResult)
def search_all(
    cache: CacheDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words to find")],
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> SearchResult:
    """Organisations, projects, offers, competences and priorities whose name or text holds ``q``.

    Ranked: exact names, then names that start with it, names holding it as a word, names
    holding it, then other text. Case and accents are ignored.
    """
    hits = search(search_index_of(cache), q, limit=limit)
    return SearchResult(q=q, data=hits, count=len(hits))
