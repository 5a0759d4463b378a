"""One exception handler per error family, all answering ``{"error": {...}}``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from api.refusal import Refused
from graph.errors import InputError, NotFound, QueryRefused, SkillGraphError, StoreUnavailable


def error_response(
    status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    """The one error shape."""
    return JSONResponse(
        status_code=status,
        content={"error": {"code": code, "message": message, "details": details}},
        headers=headers,
    )


def _status(error: SkillGraphError) -> tuple[int, str]:
    if isinstance(error, Refused):
        return error.status, error.code
    if isinstance(error, NotFound):
        return 404, "not_found"
    if isinstance(error, StoreUnavailable):
        return 503, "store_unavailable"
    if isinstance(error, QueryRefused):
        return 400, "query_refused"
    if isinstance(error, InputError):
        return 422, "bad_input"
    return 400, "bad_request"


def skillgraph_error_response(error: SkillGraphError) -> JSONResponse:
    """The answer to one of the project's errors: its status, code and one-line message."""
    status, code = _status(error)
    return error_response(status, code, str(error))


#: Codes for the statuses Starlette and the body limit raise themselves (400 is a body
#: the multipart parser refused, e.g. over the form limits).
_HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}


def install(app: FastAPI) -> None:
    """Register the handlers on an app."""

    @app.exception_handler(SkillGraphError)
    async def on_skillgraph_error(_: Request, error: SkillGraphError) -> JSONResponse:
        return skillgraph_error_response(error)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            {
                "parameter": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]),
                "problem": e["msg"],
            }
            for e in error.errors()
        ]
        names = ", ".join(p["parameter"] for p in problems)
        return error_response(422, "invalid_parameter", f"invalid parameter: {names}", problems)

    @app.exception_handler(HTTPException)
    async def on_http_error(_: Request, error: HTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(error.status_code, "http_error")
        return error_response(
            error.status_code,
            code,
            str(error.detail),
            headers=dict(error.headers) if error.headers else None,
        )

    @app.exception_handler(Exception)
    async def on_unexpected(_: Request, error: Exception) -> JSONResponse:
        return error_response(500, "internal_error", "the server failed to answer; see its log")
