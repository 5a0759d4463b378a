"""Dependencies shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.cache import RevisionCache
from api.settings import Settings
from graph.store import Store


async def get_store(request: Request) -> Store:
    """The store opened in the app's lifespan."""
    return request.app.state.store  # type: ignore[no-any-return]


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    return request.app.state.settings  # type: ignore[no-any-return]


async def get_cache(request: Request) -> RevisionCache:
    """The per-revision cache of the app's store."""
    return request.app.state.cache  # type: ignore[no-any-return]


StoreDep = Annotated[Store, Depends(get_store)]
CacheDep = Annotated[RevisionCache, Depends(get_cache)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
