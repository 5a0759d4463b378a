"""Errors on a page answered as a page (HTML), not as the API's JSON error shape."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from api.errors import _status
from api.pages.rendering import render
from graph.errors import SkillGraphError

Handler = Callable[[Request, Exception], Awaitable[Response]]


def is_page(request: Request) -> bool:
    """Whether the request is for a page of the web app (its home page or under /app/)."""
    return request.url.path == "/" or request.url.path.startswith("/app/")


def _message(error: Exception) -> tuple[int, str]:
    if isinstance(error, SkillGraphError):
        return _status(error)[0], str(error)
    if isinstance(error, RequestValidationError):
        names = ", ".join(".".join(str(p) for p in e["loc"][1:]) for e in error.errors())
        return 422, f"invalid parameter: {names}"
    if isinstance(error, HTTPException):
        return error.status_code, str(error.detail)
    return 500, "the server failed to answer; see its log"


def install(app: FastAPI) -> None:
    """Wrap the API's handlers: a page's error is a page; any other keeps the JSON shape."""
    for family in (SkillGraphError, RequestValidationError, HTTPException, Exception):
        api_handler = cast(Handler, app.exception_handlers[family])

        async def handler(
            request: Request, error: Exception, api: Handler = api_handler
        ) -> Response:
            if not is_page(request):
                return await api(request, error)
            status, message = _message(error)
            titles = {404: "Not found", 401: "Sign-in needed", 403: "Refused"}
            return render(request, "error.html.j2", status, title=titles.get(status, "Error"),
                          message=message, status=status)  # fmt: skip

        app.add_exception_handler(family, handler)
