"""The plugin's answers to the site-wide search: published sites, coming events, walks."""

from __future__ import annotations

from datetime import UTC, datetime

from balai import toolkit as tk

from balai_wisata_heritage.events.rules import PUBLIC_STATES
from balai_wisata_heritage.events.tables import Event
from balai_wisata_heritage.sites.tables import Site
from balai_wisata_heritage.walks.tables import Walk

MAX_RESULTS = 10
SNIPPET_LENGTH = 140


def shorten(text: str) -> str:
    """``text`` cut at a word to at most :data:`SNIPPET_LENGTH` characters."""
    if len(text) <= SNIPPET_LENGTH:
        return text
    return text[: SNIPPET_LENGTH - 1].rsplit(" ", 1)[0] + "…"


async def find(query: str) -> list[tk.SearchResult]:
    """Public sites, coming events and walks holding every word of ``query`` (any case).

    Sites first, then events, then walks, at most :data:`MAX_RESULTS` in all.
    """
    site_words = tk.keyword_filter(query, [Site.name, Site.description, Site.district])
    if site_words is None:
        return []
    sites = await (
        Site.select(Site.id, Site.name, Site.description)
        .where(site_words & (Site.status == "published"))
        .order_by(Site.name)
        .limit(MAX_RESULTS)
    )
    found = [
        tk.SearchResult(
            title=row["name"],
            href=f"/wisata-heritage/situs/{row['id']}",
            snippet=shorten(row["description"]),
            kind=tk._("Heritage site"),
        )
        for row in sites
    ]
    event_words = tk.keyword_filter(query, [Event.title, Event.summary])
    events = await (
        Event.select(Event.id, Event.title, Event.summary)
        .where(
            event_words
            & Event.status.is_in(list(PUBLIC_STATES))
            & (Event.ends_at >= datetime.now(UTC))
        )
        .order_by(Event.starts_at)
        .limit(MAX_RESULTS)
    )
    found += [
        tk.SearchResult(
            title=row["title"],
            href=f"/wisata-heritage/acara/{row['id']}",
            snippet=shorten(row["summary"]),
            kind=tk._("Heritage event"),
        )
        for row in events
    ]
    walk_words = tk.keyword_filter(query, [Walk.name, Walk.summary])
    walks = await (
        Walk.select(Walk.id, Walk.name, Walk.summary)
        .where(walk_words & (Walk.status == "published"))
        .order_by(Walk.name)
        .limit(MAX_RESULTS)
    )
    found += [
        tk.SearchResult(
            title=row["name"],
            href=f"/wisata-heritage/jalan-kaki/{row['id']}",
            snippet=shorten(row["summary"]),
            kind=tk._("Heritage walk"),
        )
        for row in walks
    ]
    return found[:MAX_RESULTS]
