"""Request bodies bounded while they stream: a body over its route's limit is a 413.

The bound holds whatever the client declares: a ``Content-Length`` over the limit is
refused before a byte is read, and a chunked body (or one longer than it said) is
counted as it arrives and refused at the first byte past the limit. Nothing is read until
the app asks for the body, so a route that refuses first (a missing key) never reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response


@dataclass(frozen=True)
class Bound:
    """A body limit in bytes and the setting that raises it."""

    size: int
    setting: str

    def describe(self) -> str:
        """The limit as people read it (``50 MB``, ``1024 KB``)."""
        if self.size >= 1024 * 1024:
            return f"{self.size / (1024 * 1024):g} MB"
        return f"{self.size / 1024:g} KB"


class BodyTooLarge(HTTPException):
    """A request body over its bound; answered as 413 ``too_large``."""

    def __init__(self, bound: Bound) -> None:
        super().__init__(
            413,
            f"the request body is over the limit of {bound.describe()} "
            f"(the server's {bound.setting})",
        )


class BodyLimit:
    """ASGI middleware: every request body within ``default``, or its path's own bound."""

    def __init__(self, app: ASGIApp, *, default: Bound, paths: Mapping[str, Bound]) -> None:
        self.app = app
        self.default = default
        self.paths = dict(paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        bound = self.paths.get(route_path(scope), self.default)
        declared = _content_length(scope)
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            if declared is not None and declared > bound.size:
                raise BodyTooLarge(bound)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > bound.size:
                    raise BodyTooLarge(bound)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLarge as error:
            # Routes answer it through the app's handlers; this catches a read outside them.
            if started:
                raise
            response = error_response(413, "too_large", str(error.detail))
            await response(scope, receive, send)


def route_path(scope: Scope) -> str:
    """The request's path as the app's routes spell it (without a proxy's ``root_path``)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] or "/" if root and path.startswith(root) else path


def _content_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    return int(value) if value is not None and value.isdigit() else None
