"""Colours and shapes shared by every view, so that a kind looks the same everywhere."""

from __future__ import annotations

from graph.schema import NodeKind

#: One colour per node kind (colour-blind-safe Okabe-Ito palette).
KIND_COLOURS: dict[NodeKind, str] = {
    NodeKind.ORGANISATION: "#0072B2",
    NodeKind.PROJECT: "#E69F00",
    NodeKind.TRAINING_OFFER: "#009E73",
    NodeKind.COMPETENCE: "#CC79A7",
    NodeKind.PRIORITY: "#D55E00",
    NodeKind.COUNTRY: "#999999",
}

#: What a kind is called on a page.
KIND_LABELS: dict[NodeKind, str] = {
    NodeKind.ORGANISATION: "organisation",
    NodeKind.PROJECT: "project",
    NodeKind.TRAINING_OFFER: "training offer",
    NodeKind.COMPETENCE: "competence",
    NodeKind.PRIORITY: "priority",
    NodeKind.COUNTRY: "country",
}

#: The same, several of them.
KIND_PLURALS: dict[NodeKind, str] = {
    kind: "priorities"
    if kind is NodeKind.PRIORITY
    else "countries"
    if kind is NodeKind.COUNTRY
    else f"{label}s"
    for kind, label in KIND_LABELS.items()
}

#: Communities of the fragmentation view, in order (the largest community first).
COMMUNITY_COLOURS = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442",
    "#8C564B", "#7F7F7F", "#BCBD22", "#17BECF", "#9467BD",
]  # fmt: skip

EDGE_COLOUR = "#b0b0b0"
RECOMMENDED = "#E0218A"
RECOGNITION = "#7B3FBF"
DUPLICATE = "#C0392B"
GAP = "#D62728"
SUPPLIED = "#2CA02C"
MUTED = "#c8c8c8"
NON_MEMBER_FILL = "#ffffff"


def organisation_colour(member: bool) -> dict[str, object]:
    """Members are filled; non-members are hollow with the kind's colour as border."""
    colour = KIND_COLOURS[NodeKind.ORGANISATION]
    if member:
        return {"background": colour, "border": "#003f63"}
    return {"background": NON_MEMBER_FILL, "border": colour}
