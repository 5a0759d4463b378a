"""The coordinators' report: every analysis as Markdown, and the same content as HTML."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from markdown_it import MarkdownIt

from queries.bundle import AnalysisBundle
from queries.decisions import Decision, cluster_key
from queries.gaps import Gap

TOP = 15


def _name(bundle: AnalysisBundle, entity_id: str) -> str:
    name = bundle.names.get(entity_id)
    return f"{name} ({entity_id})" if name and name != entity_id else entity_id


def _names(bundle: AnalysisBundle, ids: Iterable[str]) -> str:
    return ", ".join(_name(bundle, i) for i in ids) or "none"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _summary(b: AnalysisBundle) -> list[str]:
    f = b.fragmentation
    return [
        "## Summary",
        "",
        f"- **{_count(len(b.duplicates.clusters), 'cluster', 'clusters')} of duplicated initiatives**, "
        f"{_count(len(b.duplicates.recognition_candidates), 'recognition candidate', 'recognition candidates')}.",
        f"- **{_count(len(b.gaps.member_needs), 'gap', 'gaps')} in members' stated needs**, "
        f"{len(b.gaps.project_targets)} more in project targets; "
        f"{_count(len(b.gaps.unaddressed_priorities), 'priority', 'priorities')} that nothing addresses.",
        f"- **Fragmentation index {f.fragmentation_index:.2f}**: {f.components} separate groups, "
        f"the largest holding {f.largest_component_share:.0%} of {f.organisations} organisations; "
        f"{len(f.isolated_members)} members in no project.",
        "",
    ]


_DECISION_WORDS = {"confirmed": "confirmed as a duplicate", "dismissed": "not a duplicate"}


def _decision_line(decision: Decision) -> str:
    note = f": {decision.note}" if decision.note else ""
    return (f"**Decided: {_DECISION_WORDS.get(decision.status, decision.status)}** by "
            f"{decision.decided_by} on {decision.decided_at[:10]}{note}")  # fmt: skip


def _duplicates(b: AnalysisBundle) -> list[str]:
    settled = len(b.decided)
    lines = ["## Duplicated efforts", "",
             f"Pairs scoring at least {b.duplicates.min_score} are joined into clusters; "
             f"coordinators have decided {settled} of {len(b.duplicates.clusters)}.", ""]  # fmt: skip
    for number, cluster in enumerate(b.duplicates.clusters, start=1):
        lines.append(f"### {number}. {cluster.kind.replace('_', ' ')}s, score {cluster.score:.2f}")
        lines.append("")
        runners: dict[str, list[str]] = {}
        for pair in cluster.pairs:
            runners[pair.a] = pair.evidence.organisations_a
            runners[pair.b] = pair.evidence.organisations_b
        lines += [f"- {_name(b, i)}, run by {_names(b, runners.get(i, []))}" for i in cluster.ids]
        lines.append("")
        decision = b.decided.get(cluster_key(cluster.kind, cluster.ids))
        if decision is not None:
            lines += [_decision_line(decision), ""]
        rows = []
        for pair in cluster.pairs:
            ev = pair.evidence
            parts = ", ".join(f"{k} {v:.2f}" for k, v in ev.components.items() if v is not None)
            together = "yes: " + ", ".join(ev.shared_projects) if ev.already_work_together else "no"
            rows.append([f"{pair.a} / {pair.b}", f"{pair.score:.2f}", parts,
                         _names(b, ev.shared_competences), together])  # fmt: skip
        lines += _table(
            ["pair", "score", "components", "shared competences", "already work together"], rows
        )
    if b.duplicates.recognition_candidates:
        lines += ["### Recognition candidates", "",
                  "The same competences at the same EQF level taught in several countries.", ""]  # fmt: skip
        candidates = [[_names(b, c.ids), _names(b, c.competences), c.eqf_level, ", ".join(c.countries)]
                      for c in b.duplicates.recognition_candidates]  # fmt: skip
        lines += _table(["offers", "competences", "EQF", "countries"], candidates)
    return lines


def _chart(charts: Mapping[str, str], name: str, alt: str) -> list[str]:
    """A Markdown image of a chart written beside the report, when there is one."""
    return [f"![{alt}]({charts[name]})", ""] if name in charts else []


def _gap_rows(found: Sequence[Gap], b: AnalysisBundle) -> list[list[object]]:
    return [[_name(b, g.competence), g.country, g.demand, g.supply, g.coverage.value.replace("_", " "),
             ", ".join(g.nearest_supply) or "none", f"{g.score:.2f}"] for g in found[:TOP]]  # fmt: skip


def _gaps(b: AnalysisBundle) -> list[str]:
    header = ["competence", "country", "demand", "supply", "coverage", "taught in", "score"]
    r, counts = b.gaps, b.gaps.counts
    cut = counts.project_targets_found - counts.project_targets_listed
    lines = ["## Gaps between needed and offered competences", "",
             "Demand from what members say they need and demand from what projects target, "
             "ranked apart.", "",
             "### In members' stated needs", "",
             f"The {min(TOP, len(r.member_needs))} largest of {len(r.member_needs)}; demand is "
             "the number of members in the country that need it.", ""]  # fmt: skip
    lines += _table(header, _gap_rows(r.member_needs, b))
    lines += ["### In project targets", "",
              f"The {min(TOP, len(r.project_targets))} largest of {len(r.project_targets)}; demand "
              "is the number of projects active in the country that target it. Listed when at "
              f"least {r.thresholds.min_project_demand} projects target it or it is taught "
              f"nowhere: {cut} with fewer projects, taught elsewhere, are left out.", ""]  # fmt: skip
    lines += _table(header, _gap_rows(r.project_targets, b))
    lines += ["### Priorities nothing addresses", ""]
    lines += [
        f"- {_name(b, p.priority)}: support {p.support}" for p in b.gaps.unaddressed_priorities
    ] or ["- none"]
    lines.append("")
    if b.gaps.member_gaps:
        lines += ["### Members whose needs have no offer in their country", ""]
        lines += [
            f"- {_name(b, m)}: {_names(b, needs)}"
            for m, needs in sorted(b.gaps.member_gaps.items())
        ]
        lines.append("")
    return lines


def _fragmentation(b: AnalysisBundle) -> list[str]:
    f = b.fragmentation
    lines = ["## Fragmentation", "",
             f"- Organisations: {f.organisations} ({f.members} members), collaborations: {f.collaborations}",
             f"- Separate groups: {f.components}; largest share {f.largest_component_share:.0%}",
             f"- Communities: {len(f.communities)}, modularity {f.modularity:.2f}",
             f"- Fragmentation index: **{f.fragmentation_index:.3f}** (the chance that two members "
             "cannot reach each other through project links)", "",
             "### Brokers", ""]  # fmt: skip
    rows = [
        [_name(b, br.id), f"{br.betweenness:.3f}", "yes" if br.cut_vertex else "no"]
        for br in f.brokers
    ]
    lines += _table(["organisation", "betweenness", "only link between groups"], rows)
    lines += ["### Members in no project", "", _names(b, f.isolated_members), ""]
    return lines


def _more(hidden: int) -> str:
    return f" and {hidden} more" if hidden > 0 else ""


def _overlaps(b: AnalysisBundle) -> list[str]:
    opportunities = [o for o in b.overlaps.overlaps if o.unconnected][:TOP]
    rows = [[_name(b, o.competence), o.country or "all", len(o.initiatives),
             _names(b, o.organisations) + _more(o.organisations_count - len(o.organisations))]
            for o in opportunities]  # fmt: skip
    lines = ["## Coordination opportunities", "",
             "Initiatives on the same competence whose organisations have never worked together; "
             "a few organisations to bring together are named (one of each group first), the rest "
             "counted.", ""]  # fmt: skip
    return lines + _table(["competence", "country", "initiatives", "organisations"], rows)


def _priorities(b: AnalysisBundle) -> list[str]:
    rows = [[p.label, p.kind or "", p.support, len(p.raised_by), len(p.addressed_by)]
            for p in b.priorities.priorities]  # fmt: skip
    lines = ["## Member priorities", ""]
    lines += _table(
        ["priority", "kind", "support", "members who raised it", "initiatives addressing it"], rows
    )
    lines += [f"{b.priorities.unclassified_answers} poll answers matched no priority.", ""]
    return lines


#: Where each chart goes: after the first line (the heading and its blank line) of a section.
_CHART_PLACES = {
    "## Gaps between needed and offered competences": (
        "gaps",
        "Gap heat map: competence by country",
    ),
    "## Fragmentation": ("fragmentation", "Fragmentation: sizes of the separate groups"),
    "## Member priorities": ("priorities", "Priority support by kind"),
}


def markdown_report(
    bundle: AnalysisBundle,
    *,
    title: str = "skillgraph report",
    charts: Mapping[str, str] | None = None,
    preface: Sequence[str] = (),
) -> str:
    """The whole report as Markdown.

    ``charts`` maps a chart's name (``gaps``, ``fragmentation``, ``priorities``; see
    :func:`viz.charts.report_charts`) to the path the Markdown links it by. ``preface``
    lines come right after the title (e.g. when the report was made, from which sources).
    """
    lines = [f"# {title}", "", *preface, f"Graph revision {bundle.revision}.", ""]
    for section in (_summary, _duplicates, _gaps, _fragmentation, _overlaps, _priorities):
        part = section(bundle)
        place = _CHART_PLACES.get(part[0]) if charts else None
        if place and charts:
            part = [*part[:2], *_chart(charts, *place), *part[2:]]
        lines += part
    return "\n".join(lines)


def _inline_images(body: str, images: Mapping[str, str]) -> str:
    """Replace the ``src`` of each image written beside the report by a data URI of it."""
    for path, svg in images.items():
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        body = body.replace(f'src="{html.escape(path)}"', f'src="data:image/svg+xml;base64,{data}"')
    return body


#: A table's delimiter row as :func:`_table` writes it (no alignment).
_DELIMITER = re.compile(r"^\|(?:---\|)+$")
#: A cell pipe that is not escaped (markdown-it splits cells on these).
_CELL_PIPE = re.compile(r"(?<!\\)\|")
#: Characters that may start inline Markdown or need normalising: a cell without any is
#: plain text, rendered by escaping alone.
_INLINE_MARKUP = re.compile(r"[\\`*_\[\]!<>&~\r\0]")


def _cells(line: str) -> list[str]:
    """A table row's cells as markdown-it's table rule splits and trims them."""
    cells = [cell.replace("\\|", "|") for cell in _CELL_PIPE.split(line.strip())]
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return [cell.strip() for cell in cells]


def _inline(md: MarkdownIt, text: str) -> str:
    if _INLINE_MARKUP.search(text):
        return md.renderInline(text)
    return text.replace('"', "&quot;")


def _html_table(md: MarkdownIt, lines: list[str]) -> str:
    """A table as markdown-it renders it (header, delimiter row, body rows)."""
    header = _cells(lines[0])
    parts = ["<table>\n<thead>\n<tr>\n"]
    parts += [f"<th>{_inline(md, cell)}</th>\n" for cell in header]
    parts.append("</tr>\n</thead>\n")
    if len(lines) > 2:
        parts.append("<tbody>\n")
        for line in lines[2:]:
            cells = _cells(line)
            cells = (cells + [""] * len(header))[: len(header)]
            parts.append("<tr>\n")
            parts += [f"<td>{_inline(md, cell)}</td>\n" for cell in cells]
            parts.append("</tr>\n")
        parts.append("</tbody>\n")
    parts.append("</table>\n")
    return "".join(parts)


def _blocks(markdown: str) -> Iterator[tuple[bool, list[str]]]:
    """The Markdown cut into runs of lines: ``(True, lines)`` for each table written by
    :func:`_table` (after a blank line, up to the next one), ``(False, lines)`` between."""
    lines = markdown.split("\n")
    start = k = 0
    while k < len(lines):
        opens = (
            (k == 0 or not lines[k - 1].strip())
            and lines[k].startswith("|")
            and k + 1 < len(lines)
            and _DELIMITER.match(lines[k + 1]) is not None
            and lines[k + 1].count("|") - 1 == len(_cells(lines[k]))
        )
        if not opens:
            k += 1
            continue
        end = k + 2
        while end < len(lines) and lines[end].startswith("|"):
            end += 1
        if start < k:
            yield False, lines[start:k]
        yield True, lines[k:end]
        start = k = end
    if start < len(lines):
        yield False, lines[start:]


def render_html(markdown: str) -> str:
    """The Markdown as HTML, the same as markdown-it's CommonMark with tables renders it.

    The report's tables (thousands of rows at the sector's scale) are rendered here: the
    table rule splits cells character by character in Python, most of the rendering's time.
    The text between them goes through markdown-it; a table written otherwise is left to it.
    """
    md = MarkdownIt("commonmark").enable("table")
    return "".join(
        _html_table(md, lines) if is_table else md.render("\n".join(lines))
        for is_table, lines in _blocks(markdown)
    )


def html_report(
    markdown: str, *, title: str = "skillgraph report", images: Mapping[str, str] | None = None
) -> str:
    """The Markdown report as a standalone HTML page (no outside resources).

    ``images`` maps the path of an SVG chart the Markdown links to its text: the page
    carries it inline (a data URI), so the HTML file stands alone.
    """
    body = render_html(markdown)
    body = _inline_images(body, images or {})
    style = (
        "body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.45}table{border-collapse:collapse;margin:.5rem 0 1rem}"
        "td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}"
        "th{background:#f3f3f3}img{max-width:100%}"
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{style}</style></head><body>{body}</body></html>"
    )
