"""The words of heritage law and the rules of a site's opening hours.

Categories and the protection ladder follow UU 11/2010 on Cagar Budaya: an
object is designated by the regional head (city, province) or the minister
(national) on the advice of an expert team (TACB) and entered in the
national register; before that it is an object suspected to be heritage
(ODCB). The labels are msgids.
"""

from __future__ import annotations

from datetime import date

from balai import toolkit as tk

CATEGORIES = [
    ("object", tk.N_("Object (benda)")),
    ("building", tk.N_("Building (bangunan)")),
    ("structure", tk.N_("Structure (struktur)")),
    ("site", tk.N_("Site (situs)")),
    ("area", tk.N_("Area (kawasan)")),
]
PROTECTIONS = [
    ("suspected", tk.N_("Suspected heritage (ODCB), not yet designated")),
    ("city", tk.N_("Designated by the city")),
    ("province", tk.N_("Designated by the province")),
    ("national", tk.N_("Designated nationally")),
]
CATEGORY_LABELS = dict(CATEGORIES)
PROTECTION_LABELS = dict(PROTECTIONS)


def exception_on(exceptions: list[dict], day: date) -> dict | None:
    """The exception in force on ``day`` (the latest-starting one), if any."""
    found = [e for e in exceptions if e["starts_on"] <= day <= e["ends_on"]]
    return max(found, key=lambda e: e["starts_on"]) if found else None


def hours_on(usual: str, exceptions: list[dict], day: date) -> tuple[bool, str, str]:
    """Whether the site opens on ``day``, its hours then, and the exception's note.

    ``usual`` is the site's (or the city's default) hours; an exception
    either closes the site or replaces the hours for its days.
    """
    exception = exception_on(exceptions, day)
    if exception is None:
        return True, usual, ""
    if exception["closed"]:
        return False, "", exception["note"]
    return True, exception["hours"] or usual, exception["note"]


def facility_lines(text: str) -> list[str]:
    """The facilities written one a line, blank lines dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]
