"""Every view opened in headless Chromium, served by a real uvicorn server on the sample data.

Checks: the network is drawn (the vis DataSet holds the expected nodes), no JavaScript
error, no request to any host other than the test server, a click on a node lights its
neighbours and fades the rest, filters and the search box work. Each test saves a
screenshot in its ``tmp_path``. Without ``/usr/bin/chromium`` (or Playwright) the tests are
skipped with the reason; no browser is ever downloaded.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import networkx as nx
import pytest

from api.settings import Settings
from queries.duplicates import duplicates
from queries.fragmentation import fragmentation
from queries.gaps import gaps
from queries.partners import partners
from tests.conftest import copy_store
from tests.live_server import chromium, live_server
from viz.network import View
from viz.page import render_page
from viz.views import (
    competence_view,
    duplicates_view,
    ecosystem_view,
    fragmentation_view,
    organisation_view,
)

pytestmark = pytest.mark.browser

READY = "window.skillgraph && window.skillgraph.ready"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright; skipped, with the reason, where it is missing."""
    with chromium("browser tests") as browser:
        yield browser


@pytest.fixture(scope="module")
def server(sample_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn server in a thread, on its own copy of the sample store."""
    store = copy_store(sample_store_dir, tmp_path_factory.mktemp("viz-browser") / "graph")
    with live_server(Settings(data_dir=store)) as port:
        yield f"http://127.0.0.1:{port}"


@dataclass
class Visit:
    """What a page did while it was open."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds_to_ready: float = 0.0


def _open(browser: Any, url: str) -> Visit:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    visit = Visit(page)
    page.on("request", lambda request: visit.requests.append(request.url))
    page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: visit.errors.append(str(error)))
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function(READY, timeout=20_000)
    visit.seconds_to_ready = time.perf_counter() - started
    return visit


def _hosts(visit: Visit) -> set[str]:
    return {urlsplit(url).netloc for url in visit.requests if not url.startswith("data:")}


def _click_a_linked_node(visit: Visit) -> tuple[str, list[str]]:
    """Click the best-connected node on screen; return what is selected and its neighbours."""
    page = visit.page
    target = page.evaluate(
        """() => {
        const net = window.network;
        const ids = window.skillgraph.nodeView.getIds();
        ids.sort((a, b) => net.getConnectedNodes(b).length - net.getConnectedNodes(a).length);
        net.focus(ids[0], {scale: 2.0, animation: false});
        return ids[0];
    }"""
    )
    page.wait_for_timeout(100)
    point = page.evaluate(
        "(id) => window.network.canvasToDOM(window.network.getPositions([id])[id])", target
    )
    box = page.locator("#network canvas").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_function("window.network.getSelectedNodes().length === 1", timeout=5_000)
    selected = page.evaluate("window.network.getSelectedNodes()[0]")
    neighbours = page.evaluate("(id) => window.network.getConnectedNodes(id)", selected)
    return selected, neighbours


def _check(visit: Visit, server: str, expected: View, shot: Path) -> None:
    page = visit.page
    assert page.evaluate("window.nodes.length") == len(expected.nodes)
    assert page.evaluate("window.edges.length") == len(expected.edges)
    assert page.evaluate("window.skillgraph.nodeView.length") == len(expected.nodes)
    assert visit.errors == []
    assert _hosts(visit) == {urlsplit(server).netloc}, visit.requests
    selected, neighbours = _click_a_linked_node(visit)
    assert neighbours, "the clicked node has neighbours"
    lit = set(page.evaluate("window.skillgraph.highlighted()"))
    assert lit == {selected, *neighbours}
    faded = page.evaluate(
        """(lit) => window.nodes.get().filter(n => !lit.includes(n.id))
                    .every(n => String(n.color).startsWith('rgba(200,200,200'))""",
        sorted(lit),
    )
    assert faded, "the nodes that are not neighbours fade"
    assert page.locator("#details-link").get_attribute("href").startswith("/")
    page.screenshot(path=str(shot))
    assert visit.errors == []
    page.close()


@pytest.fixture(scope="module")
def graph(sample_graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    return sample_graph


def test_ecosystem(browser: Any, server: str, graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    visit = _open(browser, f"{server}/viz")
    page = visit.page
    expected = ecosystem_view(graph)
    assert page.locator("#legend").inner_text().count("organisation") >= 2
    # filters: a country keeps its entities and those without a country
    page.select_option("#filter-country", "DE")
    after = page.evaluate("window.skillgraph.nodeView.length")
    assert 0 < after < len(expected.nodes)
    page.select_option("#filter-kind", "organisation")
    only = page.evaluate("window.skillgraph.nodeView.get().map(n => n.kind + n.countries)")
    assert only and set(only) == {"organisationDE"}
    page.click("#reset")
    # search by name
    page.fill("#search", "Voltaria Mobility GmbH")
    page.press("#search", "Enter")
    assert page.evaluate("window.network.getSelectedNodes()") == ["Organisation:m-001"]
    assert "Voltaria" in page.locator("#details").inner_text()
    page.click("#reset")
    _check(visit, server, expected, tmp_path / "ecosystem.png")


def test_organisation(browser: Any, server: str, graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    visit = _open(browser, f"{server}/viz/organisations/m-004?depth=2")
    expected = organisation_view(graph, "m-004", partners(graph, "m-004"), depth=2)
    assert visit.page.evaluate("window.edges.get().filter(e => e.rel === 'RECOMMENDED').length")
    _check(visit, server, expected, tmp_path / "organisation.png")


def test_duplicates(browser: Any, server: str, graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    visit = _open(browser, f"{server}/viz/duplicates")
    _check(visit, server, duplicates_view(graph, duplicates(graph)), tmp_path / "duplicates.png")


def test_competence(browser: Any, server: str, graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    visit = _open(browser, f"{server}/viz/competences/c-hv-safety")
    expected = competence_view(graph, "c-hv-safety", gaps(graph, competence="c-hv-safety"))
    _check(visit, server, expected, tmp_path / "competence.png")


def test_fragmentation(browser: Any, server: str, graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    visit = _open(browser, f"{server}/viz/fragmentation")
    expected = fragmentation_view(graph, fragmentation(graph))
    assert "members in no project" in visit.page.locator(".note").inner_text()
    _check(visit, server, expected, tmp_path / "fragmentation.png")


def test_a_1500_node_exported_file_opens_offline_and_interactive(
    browser: Any, large_graph: nx.MultiDiGraph, tmp_path: Path, record_property: Any
) -> None:
    view = ecosystem_view(large_graph)
    assert len(view.nodes) == 1500
    file = tmp_path / "ecosystem-1500.html"
    file.write_text(render_page(view, inline=True), encoding="utf-8")
    visit = _open(browser, file.as_uri())
    record_property("seconds_to_interactive_1500_nodes", round(visit.seconds_to_ready, 2))
    page = visit.page
    assert page.evaluate("window.nodes.length") == 1500
    assert visit.errors == [] and {urlsplit(u).scheme for u in visit.requests} == {"file"}
    assert len(visit.requests) == 1  # the file itself, nothing else
    assert "1,500 most connected" in page.locator(".note").inner_text()
    selected, neighbours = _click_a_linked_node(visit)
    assert set(page.evaluate("window.skillgraph.highlighted()")) == {selected, *neighbours}
    page.screenshot(path=str(tmp_path / "ecosystem-1500.png"))
    page.close()
