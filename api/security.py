"""API keys: writes need ``SKILLGRAPH_API_KEY``; reads need ``SKILLGRAPH_READ_KEY`` if it is set."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from pydantic import SecretStr

from api.deps import SettingsDep
from api.refusal import Refused
from api.settings import Settings


def presented_key(request: Request) -> str | None:
    """The key sent as ``Authorization: Bearer KEY`` or ``X-API-Key: KEY``."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.headers.get("x-api-key") or None


def _matches(presented: str, *keys: SecretStr | None) -> bool:
    # Compare against every configured key in constant time, without stopping early.
    results = [
        hmac.compare_digest(presented.encode(), key.get_secret_value().encode())
        for key in keys
        if key is not None
    ]
    return any(results)


def require_write_key(request: Request, settings: SettingsDep) -> None:
    """Allow the request only with the write key; refuse all writes when none is configured."""
    if settings.api_key is None:
        raise Refused(
            403,
            "writes_disabled",
            "write endpoints are disabled: set SKILLGRAPH_API_KEY on the server to enable them",
        )
    key = presented_key(request)
    if key is None:
        raise Refused(
            401,
            "key_required",
            "send the API key as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'",
        )
    if not _matches(key, settings.api_key):
        raise Refused(403, "key_refused", "the API key is not valid for writes")


def require_read_key(request: Request, settings: SettingsDep) -> None:
    """Open unless ``SKILLGRAPH_READ_KEY`` is set; then the read or the write key is needed."""
    if settings.read_key is None:
        return
    key = presented_key(request)
    if key is None:
        raise Refused(
            401,
            "key_required",
            "send the read key as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'",
        )
    if not _matches(key, settings.read_key, settings.api_key):
        raise Refused(403, "key_refused", "the key is not valid")


def key_allows_reading(request: Request, settings: Settings) -> bool:
    """Whether a request may read without further checks (no read key set, or a valid key)."""
    if settings.read_key is None:
        return True
    key = presented_key(request)
    return key is not None and _matches(key, settings.read_key, settings.api_key)


async def read_access(request: Request, settings: SettingsDep) -> None:
    """:func:`require_read_key` as a dependency that runs on the event loop (no thread hop)."""
    require_read_key(request, settings)


class WriteRoute(APIRoute):
    """A route that writes: the write key is checked before the request's body is read.

    FastAPI reads a body (and spools uploaded files to disk) before it runs any dependency,
    so a key checked as a dependency would come after the whole upload was received. The
    check runs in front of the route's handler instead; without the key the body is never
    read (a client that sent ``Expect: 100-continue`` is not even asked for it).
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def checked(request: Request) -> Response:
            require_write_key(request, request.app.state.settings)
            return await handler(request)

        return checked
