"""Whole GET responses kept per graph revision, so repeated reads cost a dictionary look-up.

Every answer of a read endpoint depends only on the graph, the URL and (for feeds) the
``Accept`` header, so a response computed for one revision can be replayed until the next
write. Requests that need a key are checked before a cached answer is replayed; requests with
``If-None-Match`` go to the app, which answers 304 itself.

The cache is bounded in bytes (bodies, headers and keys), the least recently used answers
going first, and keyed by the query parameters the route declares only: the app ignores any
other parameter, so ``?x=1``, ``?x=2`` ... share one entry instead of growing the cache.
Only the documented read routes are kept (pages and assets outside the schema are cheap).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlencode

from fastapi import FastAPI
from starlette.requests import Request
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import skillgraph_error_response
from api.limits import route_path
from api.security import key_allows_reading
from graph.errors import SkillGraphError

UNCACHED_PATHS = frozenset({"/health"})
#: What one entry costs beyond its bytes (the tuple, the list, the key's objects).
ENTRY_OVERHEAD = 512
#: No single answer may take more than this share of the cache.
LARGEST_SHARE = 8
_Key = tuple[str, bytes, bool]


class _Entry(NamedTuple):
    headers: list[tuple[bytes, bytes]]
    body: bytes
    size: int


class ResponseCache:
    """ASGI middleware: replay 200 answers to GET requests until the revision moves.

    ``max_bytes`` bounds what is kept (0 keeps nothing); an answer larger than an eighth
    of it is never kept.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._revision: int | None = None
        self._entries: OrderedDict[_Key, _Entry] = OrderedDict()
        self._bytes = 0
        self._routes: list[tuple[re.Pattern[str], frozenset[str]]] | None = None

    @property
    def stored_bytes(self) -> int:
        """What the kept answers take: bodies, headers, keys and a per-entry overhead."""
        return self._bytes

    def keys(self) -> list[tuple[str, bytes, bool]]:
        """The kept answers' keys (path, query, feed), least recently used first."""
        with self._lock:
            return list(self._entries)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.max_bytes == 0
            or scope["type"] != "http"
            or scope["method"] != "GET"
            or scope["path"] in UNCACHED_PATHS
        ):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        state = scope["app"].state
        store = getattr(state, "store", None)
        query = self._query(scope)
        if (
            store is None
            or query is None
            or "if-none-match" in request.headers
            or not key_allows_reading(request, state.settings)
        ):
            await self.app(scope, receive, send)
            return
        try:
            # Cheap on both stores (kept in memory; re-read from Neo4j at most twice a second).
            revision = store.revision()
        except SkillGraphError as error:
            # Answered here: the app would read the revision again, and wait as long again.
            await skillgraph_error_response(error)(scope, receive, send)
            return
        key: _Key = (scope["path"], query, "atom" in request.headers.get("accept", ""))
        hit = self._lookup(key, revision)
        if hit is not None:
            await send({"type": "http.response.start", "status": 200, "headers": hit.headers})
            await send({"type": "http.response.body", "body": hit.body})
            return
        await self._fill(key, revision, scope, receive, send)

    def _query(self, scope: Scope) -> bytes | None:
        """The query string cut to the parameters its route declares; None for no route."""
        if self._routes is None:
            self._routes = _documented_reads(scope["app"])
        path = route_path(scope)
        matched = [names for pattern, names in self._routes if pattern.match(path)]
        if not matched:
            return None  # not a documented read: passed through, never kept
        names = frozenset().union(*matched)
        pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        kept = sorted((pair for pair in pairs if pair[0] in names), key=lambda pair: pair[0])
        return urlencode(kept).encode("ascii")

    def _lookup(self, key: _Key, revision: int) -> _Entry | None:
        with self._lock:
            if revision != self._revision:
                self._revision = revision
                self._entries.clear()
                self._bytes = 0
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
        if start.get("status") != 200:
            return
        body = b"".join(chunks)
        if _no_store(start):
            return
        headers = list(start.get("headers", []))
        size = (
            len(body)
            + sum(len(name) + len(value) for name, value in headers)
            + len(key[0])
            + len(key[1])
            + ENTRY_OVERHEAD
        )
        if size > self.max_bytes // LARGEST_SHARE:
            return
        with self._lock:
            if revision != self._revision:
                return
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._bytes -= previous.size
            self._entries[key] = _Entry(headers, body, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= evicted.size


def _documented_reads(app: FastAPI) -> list[tuple[re.Pattern[str], frozenset[str]]]:
    """Every GET path of the app's OpenAPI schema, with the query parameters it declares.

    The schema lists each route's parameters, its dependencies' included, under the path
    the client calls (router prefixes included), so it is the one table to key by.
    """
    routes = []
    for path, operations in app.openapi().get("paths", {}).items():
        if "get" in operations:
            parameters = operations["get"].get("parameters", [])
            names = frozenset(p["name"] for p in parameters if p.get("in") == "query")
            routes.append((compile_path(path)[0], names))
    return routes


def _no_store(start: dict[str, Any]) -> bool:
    """Whether the response says it must not be kept (a page for one signed-in person)."""
    headers = dict(start.get("headers", []))
    return b"no-store" in headers.get(b"cache-control", b"")
