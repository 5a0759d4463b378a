"""An analyst runs read-only Cypher in the console: a table, a graph, and refused writes."""

from __future__ import annotations

import pytest

from tests.web.conftest import Tab

pytestmark = pytest.mark.browser
READY = "window.skillgraph && window.skillgraph.ready"


def test_console_shows_rows_draws_them_and_refuses_a_write(tab: Tab) -> None:
    page = tab.page
    tab.goto("/app/cypher")
    page.fill("#query", "MATCH (o:Organisation)-[:PARTICIPATES_IN]->(p:Project) "
                        "WHERE o.id = 'm-001' RETURN o.id AS organisation, p.id AS project")  # fmt: skip
    page.click("#console button")
    rows = page.locator("#results tbody tr")
    assert rows.count() >= 1
    assert set(page.locator("#results tbody td:first-child").all_inner_texts()) == {"m-001"}
    tab.check("cypher")
    projects = len(set(page.locator("#results tbody td:nth-child(2)").all_inner_texts()))
    page.click("#as-graph")
    page.wait_for_function(READY, timeout=20_000)
    assert page.evaluate("window.nodes.length") == projects + 1
    assert page.evaluate("window.edges.length") >= projects  # m-001 takes part in each
    tab.goto("/app/cypher")
    page.fill("#query", "MATCH (o:Organisation) DETACH DELETE o")
    page.click("#console button")
    assert "DETACH DELETE is not allowed here" in page.locator("#refused").inner_text()
    assert page.locator("#results").count() == 0
    tab.goto("/app/organisations")
    assert "0 organisations" not in page.locator("#org-count").inner_text()
