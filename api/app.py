"""The FastAPI application: the store opened once in the lifespan, routes, error handlers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline

from api import errors, pages
from api.cache import RevisionCache
from api.limits import BodyLimit, Bound
from api.pages import errors as page_errors
from api.pages.session import page_read_access
from api.response_cache import ResponseCache
from api.routes import analysis, changes, cypher, decisions, entities, health, ingest, search
from api.routes import viz as viz_routes
from api.security import read_access
from api.settings import Settings, get_settings
from api.stores import analysis_folder, network_engine, open_store
from graph.store import Store


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """Build the app around a store: the one given, or one opened when the app starts.

    A store opened by the app is closed when it stops; a given one belongs to the caller.
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.store = store or open_store(settings)
        if store is None:  # a given store's notices were shown by whoever opened it
            for notice in app.state.store.notices:
                logging.getLogger("skillgraph").warning(notice)
        folder = analysis_folder(settings) if store is None else None
        app.state.cache = RevisionCache(
            app.state.store,
            folder,
            max_entries=settings.analysis_cache_entries,
            engine=network_engine(settings, app.state.store),
        )
        try:
            yield
        finally:
            if store is None:
                app.state.store.close()

    # Swagger UI and ReDoc from the files fastapi-offline ships (no CDN, no web fonts).
    app = FastAPIOffline(
        title="skillgraph",
        summary="The automotive skills ecosystem as a graph: members, projects, training offers.",
        version="0.1.0",
        lifespan=lifespan,
        static_url="/docs-assets",
        redoc_url=None,  # served by api/pages/docs.py
    )
    errors.install(app)
    page_errors.install(app)
    app.add_middleware(ResponseCache, max_bytes=int(settings.response_cache_mb * 1024 * 1024))
    app.add_middleware(
        BodyLimit,
        default=Bound(settings.max_body_bytes, "SKILLGRAPH_MAX_BODY_KB"),
        paths={
            path: Bound(settings.max_upload_bytes, "SKILLGRAPH_MAX_UPLOAD_MB")
            for path in ("/ingest", "/app/upload")
        },
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type", "If-None-Match"],
            expose_headers=["ETag"],
        )
    app.include_router(health.router)
    readers = [Depends(read_access)]
    for module in (entities, search, changes, analysis):
        app.include_router(module.router, dependencies=readers)
    app.include_router(cypher.router)
    app.include_router(
        ingest.router,
        form_limits={
            "max_files": settings.max_upload_files,
            "max_fields": settings.max_form_fields,
            "max_part_size": int(settings.max_form_field_kb * 1024),
        },
    )
    app.include_router(decisions.router)
    app.include_router(viz_routes.router, dependencies=readers)
    app.include_router(viz_routes.assets)  # vis-network and the views' script: no CDN
    app.include_router(pages.public)  # before the pages: /app/assets/NAME is not an entity
    # The web app, "/" its home page; with a read key, signing in opens it too.
    app.include_router(pages.router, dependencies=[Depends(page_read_access)])
    return app
