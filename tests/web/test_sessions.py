"""Sessions and CSRF without a browser: the cookie's flags, forged and missing tokens, read keys."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.conftest import copy_store

KEY, READ_KEY = "session-test-write-key", "session-test-read-key"


@pytest.fixture
def client(sample_store_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    folder = copy_store(sample_store_dir, tmp_path / "graph")
    settings = Settings(data_dir=folder, api_key=KEY, read_key=READ_KEY)  # type: ignore[call-arg]
    with TestClient(create_app(settings), base_url="https://testserver") as test_client:
        yield test_client


def _token(client: TestClient) -> str:
    form = client.get("/app/sign-in")
    assert form.headers["cache-control"] == "no-store"
    match = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert match
    return match.group(1)


def test_with_a_read_key_pages_need_the_key_or_a_session(client: TestClient) -> None:
    refused = client.get("/")
    assert refused.status_code == 401 and "text/html" in refused.headers["content-type"]
    assert "/app/sign-in" in refused.text
    assert client.get("/", headers={"X-API-Key": READ_KEY}).status_code == 200
    signed = client.post("/app/sign-in", data={"name": "Ann", "key": KEY, "csrf": _token(client),
                                               "next": "/app/organisations"},
                         follow_redirects=False)  # fmt: skip
    assert signed.status_code == 303 and signed.headers["location"] == "/app/organisations"
    cookie = signed.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=strict" in cookie
    assert client.get("/").status_code == 200


def test_forged_or_missing_tokens_and_wrong_keys_are_refused(client: TestClient) -> None:
    token = _token(client)
    forged = client.post("/app/sign-in", data={"name": "Eve", "key": KEY, "csrf": "forged"})
    assert forged.status_code == 403 and "skillgraph_session" not in forged.headers.get(
        "set-cookie", ""
    )
    wrong = client.post("/app/sign-in", data={"name": "Eve", "key": "guess", "csrf": token})
    assert wrong.status_code == 403 and "not the write key" in wrong.text
    assert client.post("/app/sign-in", data={"name": "Eve", "key": KEY}).status_code == 403
    # a session cookie signed with another key is no session
    client.cookies.set("skillgraph_session", "eyJuYW1lIjoiRXZlIiwiZXhwIjo5OTk5OTk5OTk5fQ==.00")
    assert client.get("/").status_code == 401


def test_only_pages_of_this_app_are_gone_to_after_signing_in(client: TestClient) -> None:
    signed = client.post("/app/sign-in", data={"name": "Ann", "key": KEY, "csrf": _token(client),
                                               "next": "https://elsewhere.example/"},
                         follow_redirects=False)  # fmt: skip
    assert signed.headers["location"] == "/"


def test_the_demo_write_key_is_kept_beside_the_store(tmp_path: Path) -> None:
    from api.write_key import kept_write_key, key_path

    settings = Settings(data_dir=tmp_path / "graph")  # type: ignore[call-arg]
    first = kept_write_key(settings)
    assert len(first) >= 24 and kept_write_key(settings) == first  # the same after a restart
    assert key_path(settings) == tmp_path / "graph" / "write-key"
    assert key_path(settings).stat().st_mode & 0o777 == 0o600
