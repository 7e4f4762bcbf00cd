"""Kinds of heritage events and which events the public sees."""

from __future__ import annotations

from balai import toolkit as tk

KINDS = [
    ("festival", tk.N_("Festival")),
    ("guided_walk", tk.N_("Guided walk")),
    ("exhibition", tk.N_("Exhibition")),
    ("performance", tk.N_("Performance")),
    ("workshop", tk.N_("Workshop")),
]
KIND_LABELS = dict(KINDS)
#: States of the editing workflow that the public sees (a cancelled event stays, marked).
PUBLIC_STATES = ("published", "cancelled")
#: How far back the calendar feed reaches (days), so recent events stay in calendars.
FEED_PAST_DAYS = 30
#: Most events in one feed.
FEED_LIMIT = 500
