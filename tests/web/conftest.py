"""The web app served by a real uvicorn server on a copy of the sample store, and Chromium.

Every page visited is checked for requests to other hosts, JavaScript errors and, with
axe-core (``make axe``), accessibility violations; screenshots go to ``docs/screenshots/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from api.settings import Settings
from tests.conftest import copy_store
from tests.live_server import chromium, live_server

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
WRITE_KEY = "web-test-write-key-0123456789"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright; skipped, with the reason, where it is missing.

    One per module, like the views' tests, so that only one Playwright runs at a time.
    """
    with chromium("web tests") as browser:
        yield browser


@pytest.fixture(scope="module")
def server(sample_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server with a write key, on this module's own copy of the sample store."""
    store = copy_store(sample_store_dir, tmp_path_factory.mktemp("web") / "graph")
    settings = Settings(data_dir=store, api_key=WRITE_KEY)  # type: ignore[call-arg]
    with live_server(settings) as port:
        yield f"http://127.0.0.1:{port}"


@dataclass
class Tab:
    """A page open in the browser, and what it did."""

    page: Any
    server: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def goto(self, path: str) -> None:
        self.page.goto(self.server + path)

    def foreign_requests(self) -> list[str]:
        """Requests to any host other than the test server."""
        host = urlsplit(self.server).netloc
        local = ("data:", "blob:")  # made in the page itself
        return [u for u in self.requests if not u.startswith(local) and urlsplit(u).netloc != host]

    def check(self, shot: str | None = None) -> None:
        """No foreign request, no script error, no accessibility violation; a screenshot."""
        assert self.foreign_requests() == []
        assert self.errors == []
        violations = axe_violations(self.page)
        assert violations == [], violations
        if shot:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(SCREENSHOTS / f"{shot}.png"), full_page=False)


def open_tab(context: Any, server: str) -> Tab:
    """A new page in a browser context, recording its requests and errors."""
    tab = Tab(context.new_page(), server)
    tab.page.set_viewport_size({"width": 1280, "height": 900})
    tab.page.on("request", lambda request: tab.requests.append(request.url))
    tab.page.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.page.on("pageerror", lambda error: tab.errors.append(str(error)))
    return tab


def axe_violations(page: Any) -> list[str]:
    """axe-core's violations on the page (WCAG 2 A and AA), one line each."""
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing (make axe installs it): accessibility not checked")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})).violations
            .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"""
    )
    return list(found)


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh browser context (its own cookies)."""
    ctx = browser.new_context()
    yield ctx
    ctx.close()


@pytest.fixture
def tab(context: Any, server: str) -> Tab:
    """A page in a fresh context."""
    return open_tab(context, server)
