"""Whole GET responses kept per graph revision, so repeated reads cost a dictionary look-up.

Every answer of a read endpoint depends only on the graph, the URL and (for feeds) the
``Accept`` header, so a response computed for one revision can be replayed until the next
write. Requests that need a key are checked before a cached answer is replayed; requests with
``If-None-Match`` go to the app, which answers 304 itself.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.security import key_allows_reading
from graph.errors import SkillGraphError

UNCACHED_PATHS = frozenset({"/health"})
_Key = tuple[str, bytes, bool]


class ResponseCache:
    """ASGI middleware: replay 200 answers to GET requests until the revision moves."""

    def __init__(
        self, app: ASGIApp, *, max_entries: int = 20_000, max_body: int = 4_000_000
    ) -> None:
        self.app = app
        self.max_entries = max_entries
        self.max_body = max_body
        self._lock = threading.Lock()
        self._revision: int | None = None
        self._entries: OrderedDict[_Key, tuple[int, list[tuple[bytes, bytes]], bytes]] = (
            OrderedDict()
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] in UNCACHED_PATHS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        state = scope["app"].state
        store = getattr(state, "store", None)
        if (
            store is None
            or "if-none-match" in request.headers
            or not key_allows_reading(request, state.settings)
        ):
            await self.app(scope, receive, send)
            return
        try:
            # Cheap on both stores (kept in memory; re-read from Neo4j at most twice a second).
            revision = store.revision()
        except SkillGraphError:
            await self.app(scope, receive, send)  # the app answers 503 itself
            return
        key: _Key = (
            scope["path"],
            scope["query_string"],
            "atom" in request.headers.get("accept", ""),
        )
        hit = self._lookup(key, revision)
        if hit is not None:
            status, headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await self._fill(key, revision, scope, receive, send)

    def _lookup(
        self, key: _Key, revision: int
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        with self._lock:
            if revision != self._revision:
                self._revision = revision
                self._entries.clear()
                return None
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    async def _fill(
        self, key: _Key, revision: int, scope: Scope, receive: Receive, send: Send
    ) -> None:
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        body = b"".join(chunks)
        if start.get("status") != 200 or len(body) > self.max_body or _no_store(start):
            return
        with self._lock:
            if revision != self._revision:
                return
            self._entries[key] = (200, list(start.get("headers", [])), body)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def _no_store(start: dict[str, Any]) -> bool:
    """Whether the response says it must not be kept (a page for one signed-in person)."""
    headers = dict(start.get("headers", []))
    return b"no-store" in headers.get(b"cache-control", b"")
