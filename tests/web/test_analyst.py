"""An analyst filters a graph view, copies its URL and reopens it elsewhere: same filter."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import SCREENSHOTS, Tab, open_tab

pytestmark = pytest.mark.browser
READY = "window.skillgraph && window.skillgraph.ready"


def test_a_filtered_view_reopens_with_the_same_filter_in_a_fresh_browser(
    tab: Tab, browser: Any, server: str
) -> None:
    page = tab.page
    tab.goto("/viz")
    page.wait_for_function(READY, timeout=20_000)
    page.select_option("#filter-country", "DE")
    page.select_option("#filter-kind", "organisation")
    page.fill("#search", "Voltaria Mobility GmbH")
    page.press("#search", "Enter")
    shown = page.evaluate("window.skillgraph.nodeView.getIds().sort()")
    assert shown and page.evaluate("window.network.getSelectedNodes()") == ["Organisation:m-001"]
    url = page.url
    assert "country=DE" in url and "kind=organisation" in url and "select=Organisation" in url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "view-ecosystem.png"))
    # the details panel links to the entity's page and to its own graph view
    assert page.locator("#details-link").get_attribute("href") == "/app/organisations/m-001"
    assert page.locator("#details-view").get_attribute("href") == "/viz/organisations/m-001"

    fresh = browser.new_context()
    try:
        other = open_tab(fresh, server)
        other.page.goto(url)
        other.page.wait_for_function(READY, timeout=20_000)
        assert other.page.locator("#filter-country").input_value() == "DE"
        assert other.page.locator("#filter-kind").input_value() == "organisation"
        assert other.page.evaluate("window.skillgraph.nodeView.getIds().sort()") == shown
        assert other.page.evaluate("window.network.getSelectedNodes()") == ["Organisation:m-001"]
        assert "Voltaria" in other.page.locator("#details").inner_text()
        assert other.foreign_requests() == [] and other.errors == []
    finally:
        fresh.close()


def test_every_view_links_to_the_others_and_entity_pages_link_to_their_view(tab: Tab) -> None:
    page = tab.page
    tab.goto("/viz/duplicates")
    page.wait_for_function(READY, timeout=20_000)
    views = page.locator("nav.views a")
    hrefs = [views.nth(i).get_attribute("href") for i in range(views.count())]
    assert {"/", "/viz", "/viz/duplicates", "/viz/fragmentation"} <= set(hrefs)
    page.click("nav.views a:has-text('Fragmentation')")
    page.wait_for_function(READY, timeout=20_000)
    assert page.url.endswith("/viz/fragmentation")
    tab.goto("/app/competences/c-digital-twin")
    page.get_by_role("link", name="Open in the graph view").click()
    page.wait_for_function(READY, timeout=20_000)
    assert page.url.endswith("/viz/competences/c-digital-twin")
    assert tab.errors == [] and tab.foreign_requests() == []
