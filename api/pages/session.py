"""Signing in with the write key: a signed, HTTP-only session cookie, and CSRF tokens.

The session cookie holds who signed in and until when, signed with a secret derived from
the write key (changing the key ends every session). Every form carries a CSRF token equal
to a second cookie's random value (double submit; both cookies are ``SameSite=Strict``); a
POST whose token does not match is refused before anything else happens.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Form, Request, Response
from fastapi.routing import APIRoute

from api.deps import SettingsDep
from api.refusal import Refused
from api.security import require_read_key
from api.settings import Settings

SESSION_COOKIE = "skillgraph_session"
CSRF_COOKIE = "skillgraph_csrf"
#: How long a sign-in lasts.
SESSION_SECONDS = 12 * 3600


@dataclass(frozen=True)
class Session:
    """A signed-in coordinator."""

    name: str
    expires: int


def _secret(settings: Settings) -> bytes:
    if settings.api_key is None:
        raise Refused(403, "writes_disabled",
                      "signing in is disabled: set SKILLGRAPH_API_KEY on the server to enable it")  # fmt: skip
    return hashlib.sha256(
        b"skillgraph-session:" + settings.api_key.get_secret_value().encode()
    ).digest()


def _sign(secret: bytes, payload: bytes) -> str:
    return hmac.new(secret, payload, hashlib.sha256).hexdigest()


def session_cookie(settings: Settings, name: str, *, now: float | None = None) -> str:
    """The cookie value of a new session for ``name``."""
    payload = json.dumps({"name": name, "exp": int((now or time.time()) + SESSION_SECONDS)})
    encoded = base64.urlsafe_b64encode(payload.encode()).decode()
    return f"{encoded}.{_sign(_secret(settings), encoded.encode())}"


def read_session(request: Request, settings: Settings) -> Session | None:
    """The request's valid session, or None (no cookie, bad signature, expired, no key)."""
    value = request.cookies.get(SESSION_COOKIE, "")
    encoded, _, signature = value.partition(".")
    if not signature or settings.api_key is None:
        return None
    if not hmac.compare_digest(signature, _sign(_secret(settings), encoded.encode())):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(encoded.encode()))
        session = Session(name=str(data["name"]), expires=int(data["exp"]))
    except (ValueError, KeyError, TypeError):
        return None
    return session if session.expires > time.time() else None


def key_is_valid(settings: Settings, key: str) -> bool:
    """Whether ``key`` is the write key (constant time)."""
    expected = settings.api_key.get_secret_value() if settings.api_key else None
    return expected is not None and hmac.compare_digest(key.encode(), expected.encode())


def csrf_token(request: Request) -> str:
    """The token the request's forms carry: the CSRF cookie's value, or a new one."""
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)


def _cookie(response: Response, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, secure=True,
                        samesite="strict", path="/")  # fmt: skip


def personal(response: Response, request: Request, token: str) -> Response:
    """Mark a page as made for one browser: never kept by a cache; the CSRF cookie set."""
    response.headers["Cache-Control"] = "no-store"
    if request.cookies.get(CSRF_COOKIE) != token:
        _cookie(response, CSRF_COOKIE, token, None)
    return response


def start_session(response: Response, settings: Settings, name: str) -> None:
    """Set the session cookie of a coordinator who just signed in."""
    _cookie(response, SESSION_COOKIE, session_cookie(settings, name), SESSION_SECONDS)


def end_session(response: Response) -> None:
    """Drop the session cookie."""
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="strict")


def check_csrf(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> None:
    """Refuse a form whose token is missing or differs from the CSRF cookie."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(csrf.encode(), cookie.encode()):
        raise Refused(403, "csrf_refused",
                      "the form is out of date or came from another site: reload the page and try again")  # fmt: skip


def signed_in(request: Request, settings: SettingsDep) -> Session:
    """The coordinator's session; refused (sign-in needed) without one."""
    session = read_session(request, settings)
    if session is None:
        raise Refused(401, "sign_in_needed", "sign in with the write key first")
    return session


class SignedInRoute(APIRoute):
    """Pages whose forms write: the session is checked before a posted body is read.

    As for :class:`api.security.WriteRoute`, FastAPI would otherwise receive (and spool) a
    whole upload before any dependency could refuse it. Showing the form (GET) stays open:
    it sends a coordinator who has not signed in to the sign-in page.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def checked(request: Request) -> Response:
            if request.method != "GET":
                signed_in(request, request.app.state.settings)
            return await handler(request)

        return checked


CsrfChecked = Depends(check_csrf)
SessionDep = Annotated[Session, Depends(signed_in)]


async def page_read_access(request: Request, settings: SettingsDep) -> None:
    """Pages are reads: open unless a read key is set; then a key header or a session opens them."""
    if settings.read_key is None or read_session(request, settings) is not None:
        return
    require_read_key(request, settings)
