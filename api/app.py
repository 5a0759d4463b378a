"""The FastAPI application: the store opened once in the lifespan, routes, error handlers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import errors
from api.routes import entities, health
from api.settings import Settings, get_settings
from api.stores import open_store


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the store opens when the app starts and closes when it stops."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.store = open_store(settings)
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(
        title="skillgraph",
        summary="The automotive skills ecosystem as a graph: members, projects, training offers.",
        version="0.1.0",
        lifespan=lifespan,
    )
    errors.install(app)
    app.include_router(health.router)
    app.include_router(entities.router)
    return app
