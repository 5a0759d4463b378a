"""A coordinator reads the gaps heat map and opens a cell; priorities, overlaps, fragmentation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import Tab

pytestmark = pytest.mark.browser


def test_a_heat_map_cell_opens_who_needs_it_offers_abroad_and_projects(
    tab: Tab, sample_graph: Any
) -> None:
    from queries.gaps import gaps

    page = tab.page
    tab.goto("/app/gaps")
    cells = page.locator("#heatmap td a")
    assert cells.count() >= 3
    tab.check("gaps")
    # the cell of a gap that members need: the page names them and the offers abroad
    needed = next(g for g in gaps(sample_graph).gaps if g.needed_by and g.offers_elsewhere)
    link = page.locator(f"#heatmap a[href='/app/gaps/{needed.competence}/{needed.country}']")
    link.focus()
    page.keyboard.press("Enter")  # keyboard only
    page.wait_for_url(f"**/app/gaps/{needed.competence}/{needed.country}")
    text = page.locator("main").inner_text()
    assert f"Who needs it in {needed.country}" in text
    member = sample_graph.nodes[("Organisation", needed.needed_by[0])]["name"]
    assert member in text
    abroad = next(iter(needed.offers_elsewhere.values()))[0]
    assert sample_graph.nodes[("TrainingOffer", abroad)]["title"] in text
    tab.check("gap")


@pytest.mark.parametrize("path, table", [("/app/priorities", "#priorities"),
                                         ("/app/overlaps", "#overlaps"),
                                         ("/app/fragmentation", "#communities")])  # fmt: skip
def test_analysis_page_shows_its_table_and_chart(tab: Tab, path: str, table: str) -> None:
    tab.goto(path)
    assert tab.page.locator(f"{table} tbody tr").count() >= 1
    if path != "/app/overlaps":
        assert tab.page.locator("figure.chart svg").count() == 1
    tab.check(path.rsplit("/", 1)[1])
