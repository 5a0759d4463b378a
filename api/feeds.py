"""Atom feeds of changes, so that members can subscribe."""

from __future__ import annotations

from datetime import datetime

from feedgen.feed import FeedGenerator

from queries.changes import ChangeReport

#: The web app's page of each kind of change (people follow the links, not programs).
ENTITY_PATHS = {
    "project": "app/projects",
    "training_offer": "app/training-offers",
    "organisation": "app/organisations",
}


def atom(report: ChangeReport, *, base_url: str, feed_url: str, title: str) -> bytes:
    """The report as an Atom 1.0 document, one entry per change, linking to the web pages."""
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(title)
    feed.link(href=feed_url, rel="self")
    feed.language("en")
    newest = report.changes[0].updated_at if report.changes else f"{report.since}T00:00:00+00:00"
    feed.updated(datetime.fromisoformat(newest))
    for change in reversed(report.changes):  # feedgen prepends: keep newest first in the output
        entry = feed.add_entry()
        url = f"{base_url}/{ENTITY_PATHS[change.kind]}/{change.id}"
        entry.id(url)
        entry.title(f"{change.change}: {change.name}")
        entry.link(href=url)
        entry.updated(datetime.fromisoformat(change.updated_at))
        summary = f"{change.kind.replace('_', ' ')} {change.change}"
        entry.summary(f"{summary} {change.reason}" if change.reason else summary)
    return feed.atom_str(pretty=True)  # type: ignore[no-any-return]
