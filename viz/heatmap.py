"""The gap heat map as a grid of cells (competence by country) for an HTML table.

Each cell carries its score, a background shade and a text colour that stays readable on
it (WCAG AA contrast), so that the page needs no script and every cell can be a link.

Example
-------
>>> from queries.gaps import GapReport
>>> gap_grid(GapReport(gaps=[], unaddressed_priorities=[], member_gaps={})).rows
[]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from queries.gaps import Gap, GapReport
from viz.charts import HEATMAP_ROWS

#: Shades from a light to a dark red, by fifth of the largest score.
SHADES = ["#fde0dd", "#fcbba1", "#fc9272", "#cb181d", "#99000d"]
#: Text on the two darkest shades is white, on the others near-black.
DARK_FROM = 3


@dataclass(frozen=True)
class Cell:
    """One competence in one country: its gap, if any, and how to draw it."""

    gap: Gap | None
    background: str
    ink: str


@dataclass(frozen=True)
class GapGrid:
    """Rows (competence id, label), columns (country codes) and the cells, row by row."""

    rows: list[tuple[str, str]]
    columns: list[str]
    cells: list[list[Cell]]
    largest: float


def gap_grid(report: GapReport, names: dict[str, str] | None = None, *,
             max_rows: int = HEATMAP_ROWS) -> GapGrid:  # fmt: skip
    """The competences with the largest gaps (summed over countries) by the countries they are in."""
    names = names or {}
    totals: dict[str, float] = defaultdict(float)
    for gap in report.gaps:
        totals[gap.competence] += gap.score
    rows = sorted(totals, key=lambda c: (-totals[c], c))[:max_rows]
    kept = [g for g in report.gaps if g.competence in set(rows)]
    columns = sorted({g.country for g in kept})
    by_place = {(g.competence, g.country): g for g in kept}
    largest = max((g.score for g in kept), default=0.0)
    cells = []
    for competence in rows:
        line = []
        for country in columns:
            found = by_place.get((competence, country))
            if found is None:
                line.append(Cell(None, "#ffffff", "#1b1b1b"))
                continue
            shade = min(int(found.score / largest * len(SHADES)), len(SHADES) - 1) if largest else 0
            line.append(Cell(found, SHADES[shade], "#ffffff" if shade >= DARK_FROM else "#1b1b1b"))
        cells.append(line)
    return GapGrid([(c, names.get(c, c)) for c in rows], columns, cells, largest)
