"""The report's charts: SVG from matplotlib, stable, linked by report.md, inline in report.html."""

from __future__ import annotations

import base64
import re

import networkx as nx
import pytest

from queries.bundle import AnalysisBundle, all_analyses
from queries.fragmentation import FragmentationReport
from queries.gaps import GapReport
from queries.priorities import PriorityReport
from viz.charts import fragmentation_chart, gap_heatmap, priority_chart, report_charts
from viz.report import html_report, markdown_report


@pytest.fixture(scope="module")
def bundle(sample_graph: nx.MultiDiGraph) -> AnalysisBundle:
    return all_analyses(sample_graph)


def test_each_chart_is_an_svg_showing_its_analysis(bundle: AnalysisBundle) -> None:
    charts = report_charts(bundle)
    assert set(charts) == {"gaps.svg", "priorities.svg", "fragmentation.svg"}
    for svg in charts.values():
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "</svg>" in svg
    assert "High-voltage safety" in charts["gaps.svg"]  # text kept as text: names searchable
    assert "Networking" in charts["priorities.svg"] and "blocker" in charts["priorities.svg"]
    assert f"{bundle.fragmentation.fragmentation_index:.2f}" in charts["fragmentation.svg"]
    assert report_charts(bundle) == charts  # the same report gives the same bytes


def test_empty_reports_still_give_a_chart() -> None:
    assert "No gaps" in gap_heatmap(GapReport(gaps=[], unaddressed_priorities=[], member_gaps={}))
    assert "No priorities" in priority_chart(PriorityReport(priorities=[], unclassified_answers=0))
    empty = FragmentationReport(
        organisations=0, members=0, collaborations=0, components=0, collaborating_components=0,
        component_members=[], largest_component_share=0.0, isolated_members=[], communities=[],
        modularity=0.0, brokers=[], fragmentation_index=0.0, competence_fragmentation=[],
    )  # fmt: skip
    assert "No organisations" in fragmentation_chart(empty)


def test_the_markdown_links_the_charts_and_the_html_carries_them_inline(
    bundle: AnalysisBundle,
) -> None:
    charts = {f"charts/{name}": svg for name, svg in report_charts(bundle).items()}
    markdown = markdown_report(bundle, charts={"gaps": "charts/gaps.svg",
                               "priorities": "charts/priorities.svg",
                               "fragmentation": "charts/fragmentation.svg"})  # fmt: skip
    gaps_section = markdown.split("## Gaps between")[1].split("\n## ")[0]
    assert "![Gap heat map: competence by country](charts/gaps.svg)" in gaps_section
    assert "(charts/fragmentation.svg)" in markdown.split("## Fragmentation")[1]
    assert "(charts/priorities.svg)" in markdown.split("## Member priorities")[1]
    html = html_report(markdown, images=charts)
    assert 'src="charts/' not in html
    uris = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert len(uris) == 3 and base64.b64decode(uris[0]).decode() in charts.values()
    assert not re.search(r"""(src|href)=["']https?:""", html)
    # without charts the report is what it was
    assert "![" not in markdown_report(bundle) and "<img" not in html_report(
        markdown_report(bundle)
    )
