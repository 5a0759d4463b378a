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


@pytest.mark.parametrize("path", ["/viz", "/viz/duplicates", "/viz/fragmentation"])
def test_labels_are_readable_at_every_zoom_and_never_pile_up(tab: Tab, path: str) -> None:
    page = tab.page
    tab.goto(path)
    page.wait_for_function(READY, timeout=20_000)
    overview = set(page.evaluate("window.skillgraph.labelled()"))
    total = page.evaluate("window.skillgraph.nodeView.length")
    assert overview, "the main names are shown when the whole network fits"
    name = path.strip("/").replace("/", "-")
    page.screenshot(path=str(SCREENSHOTS / f"view-{name}.png"))
    on_screen = page.evaluate(
        """() => { const n = window.nodes.get(window.skillgraph.labelled()[0]);
                   return n.font.size * window.network.getScale(); }"""
    )
    assert on_screen == pytest.approx(13, abs=0.01)  # the same size on screen at any zoom
    boxes = page.evaluate(
        """() => { const net = window.network, ids = window.skillgraph.labelled();
            const pos = net.getPositions(ids);
            return ids.map(id => { const p = net.canvasToDOM(pos[id]);
                                   const n = window.nodes.get(id);
                                   return [p.x, p.y + (n.size || 10) * net.getScale(), n.label.length]; }); }"""
    )
    for i, (x1, y1, n1) in enumerate(boxes):  # no two shown labels overlap
        for x2, y2, n2 in boxes[i + 1 :]:
            apart_x = abs(x1 - x2) >= (n1 + n2) * 13 * 0.58 / 2
            apart_y = abs(y1 - y2) >= 13 * 1.35
            assert apart_x or apart_y
    if len(overview) < total:  # zooming in on a hidden label's node reveals it
        hidden = page.evaluate(
            "(shown) => window.skillgraph.nodeView.getIds().find(id => !shown.includes(id))",
            sorted(overview),
        )
        page.evaluate("(id) => { window.network.focus(id, {scale: 6, animation: false});"
                      " window.skillgraph.layoutLabels(); }", hidden)  # fmt: skip
        assert hidden in page.evaluate("window.skillgraph.labelled()")
    assert tab.errors == []
