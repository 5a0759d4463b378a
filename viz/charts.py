"""The report's charts as SVG, drawn with matplotlib's Agg canvas (no display, no fonts fetched).

Figures are made with :class:`matplotlib.figure.Figure` and an Agg canvas directly, not
through ``pyplot``: no global backend is switched and no figure is left registered.

Each function takes an analysis report and returns the SVG text; the same report gives
the same bytes (no date in the metadata, fixed ids). :func:`report_charts` returns all of
them by file name, for the report writer to save beside ``report.md`` and to inline in
``report.html``.
"""

from __future__ import annotations

import io
from collections import defaultdict

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from queries.bundle import AnalysisBundle
from queries.fragmentation import FragmentationReport
from queries.gaps import GapReport
from queries.priorities import PriorityReport

#: At most this many competences (rows) in the gap heat map: those with the largest gaps.
HEATMAP_ROWS = 20
KIND_COLOURS = {"blocker": "#D55E00", "goal": "#0072B2", "unknown": "#999999"}


def _figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    return figure


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": "skillgraph", "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def _empty(message: str) -> str:
    figure = _figure(6, 1.2)
    figure.text(0.5, 0.5, message, ha="center", va="center")
    return _svg(figure)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def gap_heatmap(report: GapReport, names: dict[str, str] | None = None) -> str:
    """Competence (rows) by country (columns), coloured by gap score; blank where no gap."""
    if not report.gaps:
        return _empty("No gaps between needed and offered competences.")
    names = names or {}
    totals: dict[str, float] = defaultdict(float)
    for gap in report.gaps:
        totals[gap.competence] += gap.score
    rows = sorted(totals, key=lambda c: (-totals[c], c))[:HEATMAP_ROWS]
    columns = sorted({g.country for g in report.gaps if g.competence in rows})
    values = np.full((len(rows), len(columns)), np.nan)
    for gap in report.gaps:
        if gap.competence in rows:
            values[rows.index(gap.competence), columns.index(gap.country)] = gap.score
    figure = _figure(1.2 + 0.45 * len(columns), 1.2 + 0.32 * len(rows))
    axes = figure.subplots()
    image = axes.imshow(np.ma.masked_invalid(values), cmap="Reds", aspect="auto", vmin=0)
    axes.set_xticks(range(len(columns)), columns)
    axes.set_yticks(range(len(rows)), [_short(names.get(c, c)) for c in rows])
    axes.tick_params(labelsize=8)
    axes.set_title("Gaps: demand without enough training (score)", fontsize=10)
    axes.set_xticks(np.arange(-0.5, len(columns)), minor=True)
    axes.set_yticks(np.arange(-0.5, len(rows)), minor=True)
    axes.grid(which="minor", color="#eeeeee", linewidth=0.5)
    axes.tick_params(which="minor", length=0)
    figure.colorbar(image, ax=axes, shrink=0.6, label="gap score")
    return _svg(figure)


def priority_chart(report: PriorityReport) -> str:
    """Poll support of each priority, coloured by kind (blocker or goal), largest first."""
    if not report.priorities:
        return _empty("No priorities.")
    entries = sorted(report.priorities, key=lambda p: (-p.support, p.id))
    kinds = [p.kind.value if p.kind else "unknown" for p in entries]
    figure = _figure(7, 0.9 + 0.4 * len(entries))
    axes = figure.subplots()
    axes.barh(
        range(len(entries)), [p.support for p in entries], color=[KIND_COLOURS[k] for k in kinds]
    )
    axes.set_yticks(range(len(entries)), [_short(p.label, 50) for p in entries])
    axes.invert_yaxis()
    axes.set_xlabel("members' answers supporting it")
    totals: dict[str, int] = defaultdict(int)
    for entry, kind in zip(entries, kinds, strict=True):
        totals[kind] += entry.support
    handles = [
        Rectangle((0, 0), 1, 1, color=KIND_COLOURS[k], label=f"{k} (total {totals[k]})")
        for k in sorted(totals)
    ]
    axes.legend(handles=handles, loc="lower right", fontsize=8)
    axes.set_title("Priority support by kind", fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def fragmentation_chart(report: FragmentationReport) -> str:
    """Sizes of the separate groups of collaborating organisations, and the isolated members."""
    sizes = [len(c) for c in report.component_members]
    labels = [f"group {n}" for n in range(1, len(sizes) + 1)]
    if report.isolated_members:
        sizes.append(len(report.isolated_members))
        labels.append("members in\nno project")
    if not sizes:
        return _empty("No organisations.")
    figure = _figure(max(4.0, 0.7 * len(sizes) + 1.5), 3.2)
    axes = figure.subplots()
    colours = ["#0072B2"] * len(report.component_members) + ["#999999"] * bool(
        report.isolated_members
    )
    bars = axes.bar(range(len(sizes)), sizes, color=colours)
    axes.bar_label(bars, fontsize=8)
    axes.set_xticks(range(len(sizes)), labels, fontsize=8, rotation=0)
    axes.set_ylabel("organisations")
    axes.set_title(
        f"Fragmentation index {report.fragmentation_index:.2f}: {report.components} separate "
        f"groups,\nlargest share {report.largest_component_share:.0%}, "
        f"{len(report.communities)} communities (modularity {report.modularity:.2f})",
        fontsize=10,
    )
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def report_charts(bundle: AnalysisBundle) -> dict[str, str]:
    """Every chart of the report as SVG text, by file name."""
    return {
        "gaps.svg": gap_heatmap(bundle.gaps, bundle.names),
        "priorities.svg": priority_chart(bundle.priorities),
        "fragmentation.svg": fragmentation_chart(bundle.fragmentation),
    }
