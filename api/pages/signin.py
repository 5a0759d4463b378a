"""Sign-in with the write key (a session cookie for the coordinators' forms), and sign-out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import SettingsDep
from api.pages.rendering import render
from api.pages.session import (
    CsrfChecked,
    csrf_token,
    end_session,
    key_is_valid,
    personal,
    read_session,
    start_session,
)

router = APIRouter(prefix="/app")


def safe_next(target: str) -> str:
    """Where to go after signing in: a page of this app only (never another site)."""
    return target if target.startswith("/app/") and "//" not in target else "/"


def _form(request: Request, settings: SettingsDep, next_page: str, error: str | None = None,
          status: int = 200) -> Response:  # fmt: skip
    token = csrf_token(request)
    page = render(request, "signin.html.j2", status, title="Sign in", csrf=token, next=next_page,
                  error=error, session=read_session(request, settings),
                  enabled=settings.api_key is not None)  # fmt: skip
    return personal(page, request, token)


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(
    request: Request, settings: SettingsDep,
    next: Annotated[str, Query(max_length=500)] = "/",
) -> Response:  # fmt: skip
    """The sign-in form: a name (recorded with decisions) and the write key."""
    return _form(request, settings, safe_next(next))


@router.post("/sign-in", dependencies=[CsrfChecked])
def sign_in(
    request: Request,
    settings: SettingsDep,
    name: Annotated[str, Form(min_length=1, max_length=200)],
    key: Annotated[str, Form(max_length=500)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Check the key; on success set the session cookie and go on to the page asked for."""
    if settings.api_key is None or not key_is_valid(settings, key):
        return _form(request, settings, safe_next(next), "That is not the write key.", 403)
    response = RedirectResponse(safe_next(next), status_code=303)
    start_session(response, settings, name.strip())
    return response


@router.post("/sign-out", dependencies=[CsrfChecked])
def sign_out() -> Response:
    """End the session."""
    response = RedirectResponse("/", status_code=303)
    end_session(response)
    return response
