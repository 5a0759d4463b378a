"""The coordinators' report, made by the server from its own store: a page and two downloads."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from api.analyses import duplicates_of, fragmentation_of, gaps_of, overlaps_of, priorities_of
from api.cache import RevisionCache
from api.deps import CacheDep, StoreDep
from api.pages.rendering import render
from api.pages.shared import names_of, stats_of
from api.routes.decisions import triage_of
from graph.store import Store
from queries.bundle import AnalysisBundle, decided_clusters
from viz.charts import report_charts
from viz.report import html_report, markdown_report

router = APIRouter(prefix="/app")

TITLE = "skillgraph report"


def bundle_of(cache: RevisionCache, store: Store) -> AnalysisBundle:
    """Every analysis of the current revision, from the cache the analysis endpoints fill."""
    return AnalysisBundle(
        revision=cache.revision(),
        duplicates=duplicates_of(cache),
        overlaps=overlaps_of(cache),
        gaps=gaps_of(cache),
        fragmentation=fragmentation_of(cache),
        priorities=priorities_of(cache, store),
        names=names_of(cache),
        decided=decided_clusters(triage_of(cache, store)),
    )


def _preface(cache: RevisionCache, store: Store) -> list[str]:
    made = datetime.now(UTC).isoformat(timespec="minutes")
    sources = stats_of(cache, store).sources
    listed = "; ".join(f"{s.file} ({s.kind}, {s.rows} rows, {s.ingested_at[:10]})" for s in sources)
    return [f"Made on {made[:10]} at {made[11:16]} UTC from {len(sources)} sources: "
            f"{listed or 'none'}.", ""]  # fmt: skip


def report_markdown(cache: RevisionCache, store: Store, *, charts: bool) -> str:
    """The report as Markdown, with or without links to its charts; made once per revision
    (its preface says when)."""

    def build() -> str:
        links = (
            {name.removesuffix(".svg"): name for name in charts_of(cache, store)} if charts else {}
        )
        return markdown_report(bundle_of(cache, store), title=TITLE, charts=links or None,
                               preface=_preface(cache, store))  # fmt: skip

    return cache.get(("report-markdown", charts), build)


def charts_of(cache: RevisionCache, store: Store) -> dict[str, str]:
    """The report's charts (SVG text by file name), drawn once per revision."""
    return cache.get(("report-charts",), lambda: report_charts(bundle_of(cache, store)))


def report_html(cache: RevisionCache, store: Store) -> str:
    """The report as one standalone HTML page (charts inline), made once per revision."""
    return cache.get(
        ("report-html",),
        lambda: html_report(report_markdown(cache, store, charts=True), title=TITLE,
                            images=charts_of(cache, store)),
    )  # fmt: skip


@router.get("/report", response_class=HTMLResponse)
def report_page(request: Request, cache: CacheDep, store: StoreDep) -> HTMLResponse:
    """The report in the app's layout, with its charts and links to download it."""
    inner = report_html(cache, store).split("<body>", 1)[1].rsplit("</body>", 1)[0]
    return render(request, "report.html.j2", title="Report", body=Markup(inner))


@router.get("/report.md")
def report_markdown_file(cache: CacheDep, store: StoreDep) -> Response:
    """The report as a Markdown file to download."""
    return Response(report_markdown(cache, store, charts=False),
                    media_type="text/markdown; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="skillgraph-report.md"'})  # fmt: skip


@router.get("/report.html")
def report_html_file(cache: CacheDep, store: StoreDep) -> Response:
    """The report as one standalone HTML file (charts inline) to download."""
    return Response(report_html(cache, store), media_type="text/html; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="skillgraph-report.html"'})  # fmt: skip
