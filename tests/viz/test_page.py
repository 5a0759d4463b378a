"""Pages: offline (no CDN, nothing fetched from another host), data escaped, assets served."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest

from graph.errors import NotFound
from viz.network import View
from viz.page import ASSET_TYPES, asset, render_page
from viz.views import ecosystem_view

#: The only addresses inside the vendored vis-network files: licence comments, project pages
#: in comments or error messages, and XML namespaces. None of them is fetched.
VENDORED_ADDRESSES = {
    "http://almende.com",
    "http://opensource.org/licenses/MIT",
    "http://www.apache.org/licenses/LICENSE-2.0",
    "http://www.w3.org/2000/svg",
    "https://github.com/uuidjs/uuid#getrandomvalues-not-supported",
    "https://github.com/visjs",
    "https://github.com/zloirock/core-js",
    "https://github.com/zloirock/core-js/blob/v3.21.1/LICENSE",
    "https://visjs.github.io/vis-network/",
}
ADDRESS = re.compile(r"https?://[^\s\"'<>)\\]+")
FETCHING = re.compile(
    r"""(src|href)\s*=\s*["']?\s*(https?:)?//|url\(\s*["']?\s*(https?:)?//|@import""", re.I
)


def test_a_linked_page_names_no_other_host_at_all(sample_graph: nx.MultiDiGraph) -> None:
    html = render_page(ecosystem_view(sample_graph), inline=False)
    assert "http" not in html and "//" not in re.sub(r"<script.*?</script>", "", html, flags=re.S)
    assert '<script src="/viz/assets/vis-network.min.js"></script>' in html
    assert "cdn" not in html.lower()


def test_an_inline_page_carries_every_asset_and_fetches_nothing(
    sample_graph: nx.MultiDiGraph,
) -> None:
    html = render_page(ecosystem_view(sample_graph), inline=True)
    assert (
        "/viz/assets" not in html and 'rel="stylesheet"' not in html and "<script src" not in html
    )
    assert not FETCHING.search(html)
    outside = html
    for name in ASSET_TYPES:
        text, _ = asset(name)
        assert text[:200].replace("</script", "<\\/script") in outside
        outside = outside.replace(text, "")
    assert "http" not in outside  # our template, script, style and data: no address at all
    assert set(ADDRESS.findall(html)) <= VENDORED_ADDRESSES


def test_the_vendored_assets_are_pyvis_own_vis_network_and_fetch_nothing() -> None:
    js, media = asset("vis-network.min.js")
    assert media.startswith("text/javascript") and "vis-network" in js[:200]
    assert "sourceMappingURL" not in js
    css, _ = asset("vis-network.min.css")
    assert not FETCHING.search(js) and not FETCHING.search(css)
    assert set(ADDRESS.findall(js + css)) <= VENDORED_ADDRESSES
    with pytest.raises(NotFound):
        asset("../../etc/passwd")


def test_data_cannot_break_out_of_the_page() -> None:
    evil = "</script><script>alert(1)</script><!--"
    view = View(title=evil, nodes=[{"id": "a", "label": evil, "name": evil, "x": 0, "y": 0}],
                edges=[], notes=[evil])  # fmt: skip
    html = render_page(view, inline=False)
    assert "<script>alert(1)" not in html
    raw = re.search(r'<script type="application/json" id="view-data">(.*?)</script>', html, re.S)
    assert raw is not None and json.loads(raw.group(1))["nodes"][0]["label"] == evil


def test_api_links_can_be_absolute_for_exported_files(sample_graph: nx.MultiDiGraph) -> None:
    html = render_page(ecosystem_view(sample_graph, budget=5), inline=False,
                       api_url="http://127.0.0.1:8000/")  # fmt: skip
    assert '"apiUrl":"http://127.0.0.1:8000"' in html
