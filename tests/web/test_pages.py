"""The pages that show data, in Chromium: home, search, organisations, entity pages, docs.

Each test is a user's journey; every page is checked for outside requests, script errors and
accessibility (axe-core), and saves a screenshot in docs/screenshots/.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import httpx
import pytest

from tests.web.conftest import Tab

pytestmark = pytest.mark.browser
ATOM = "{http://www.w3.org/2005/Atom}"


def test_home_shows_counts_last_ingest_and_headlines(tab: Tab, planted: dict[str, Any]) -> None:
    tab.goto("/")
    page = tab.page
    assert page.title() == "Home · skillgraph"
    cards = page.locator(".cards").inner_text()
    assert "members" in cards and "training offers" in cards
    assert "Last ingest:" in page.locator("#last-ingest").inner_text()
    for heading in ("Duplicated initiatives", "Gaps members need", "Priorities", "Fragmentation"):
        assert page.get_by_role("heading", name=heading).is_visible()
    assert "Fragmentation index" in page.locator("section[aria-labelledby=h-frag]").inner_text()
    tab.check("home")


def test_search_across_kinds_reaches_an_entity_page(tab: Tab) -> None:
    tab.goto("/")
    tab.page.fill("#home-search", "battery")
    tab.page.press("#home-search", "Enter")
    tab.page.wait_for_url("**/app/search?q=battery")
    kinds = set(tab.page.locator("#hits tbody td:nth-child(2)").all_inner_texts())
    assert len(kinds) >= 2, kinds  # e.g. competences and training offers
    tab.check("search")
    tab.page.locator("#hits tbody a").first.click()
    assert tab.page.get_by_role("heading", level=1).inner_text()
    tab.check()


def test_member_finds_its_organisation_reads_a_course_reason_and_opens_its_digest(
    tab: Tab, server: str
) -> None:
    page = tab.page
    tab.goto("/")
    page.get_by_role("link", name="Organisations").first.click()
    page.fill("#org-q", "Iberauto")
    page.click("button:has-text('Find')")
    assert "1 organisation" in page.locator("#org-count").inner_text()
    tab.check("organisations")
    page.get_by_role("link", name="Iberauto Vehículos S.A.").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Iberauto Vehículos S.A."
    assert page.locator("#projects + table tbody tr").count() >= 1
    # a recommended partner's reason names a concrete course and links to its page
    course_reason = page.locator("#partners .reasons li", has_text="offers the course").first
    text = course_reason.inner_text()
    assert "which you need" in text
    course_href = course_reason.locator("a").get_attribute("href")
    assert course_href.startswith("/app/training-offers/")
    assert course_reason.locator("a").inner_text() in text
    assert page.get_by_role("link", name="Open its graph view").get_attribute("href") == (
        "/viz/organisations/m-004"
    )
    tab.check("organisation")
    # what's new: since a date, and its Atom feed titled with the name, linking to pages
    page.fill("#since", "2000-01-01")
    page.click("#news ~ form button")
    assert page.locator("#digest tbody tr").count() >= 1
    feed_href = page.locator("link[type='application/atom+xml']").get_attribute("href")
    feed = ET.fromstring(
        httpx.get(server + feed_href.replace("since=", "since=2000-01-01&x=")).content
    )
    assert "Iberauto Vehículos S.A." in feed.find(f"{ATOM}title").text
    link = feed.find(f"{ATOM}entry/{ATOM}link").get("href")
    assert link.startswith(server + "/app/")
    page.goto(link)
    assert page.get_by_role("heading", level=1).is_visible()
    tab.check()
    page.goto(server + course_href)
    assert page.locator("h2", has_text="Providers").is_visible()


def test_api_docs_work_offline(tab: Tab) -> None:
    tab.goto("/docs")
    tab.page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    assert tab.foreign_requests() == []
    tab.goto("/redoc")
    tab.page.wait_for_selector("[role=search], .api-content", timeout=20_000)
    assert tab.foreign_requests() == []
    assert tab.errors == []


def test_an_unknown_entity_is_a_page_saying_so(tab: Tab) -> None:
    response = tab.page.goto(tab.server + "/app/projects/nope")
    assert response.status == 404
    assert "no Project with id 'nope'" in tab.page.locator(".error").inner_text()
