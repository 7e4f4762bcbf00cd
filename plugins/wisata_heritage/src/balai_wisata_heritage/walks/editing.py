"""How officers edit walks: the form, with the stops written one a line, and the workflow.

A stop line is ``name | minutes | note``: the name of one of the city's
heritage sites (any case), or a point of its own written
``name @ latitude, longitude``. For example::

    Balai Kota dan Alun-Alun Tugu | 15 | Mulai di depan Tugu
    Rumah Namsin @ -7.97725, 112.62960 | 10
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

from balai import toolkit as tk

from balai_wisata_heritage.geo import read_degrees
from balai_wisata_heritage.markdown import MAX_MARKDOWN
from balai_wisata_heritage.office_kit import publication_workflow, reason_field
from balai_wisata_heritage.sites.tables import Site
from balai_wisata_heritage.walks.tables import Walk

WALKS = publication_workflow(
    "wisata_heritage.walk", Walk, end="withdrawn", end_label=tk.N_("Withdrawn")
)
MAX_STOPS = 30
MAX_MINUTES = 240
# The city's site names (lower case) -> id, read by the handler before the form is checked.
_sites: contextvars.ContextVar[dict[str, int]] = contextvars.ContextVar(
    "wisata_heritage_walk_sites",
    default={},  # noqa: B039 (never mutated: replaced per request)
)


@dataclass(frozen=True)
class StopLine:
    """One parsed stop: a site, or a named point with coordinates."""

    name: str
    site: int | None
    latitude: float | None
    longitude: float | None
    minutes: int
    note: str


async def load_sites() -> None:
    """Read the city's site names for the stops field (call before checking the form)."""
    rows = await Site.select(Site.id, Site.name)
    _sites.set({r["name"].casefold(): r["id"] for r in rows})


def _line(number: int, text: str) -> StopLine:
    parts = [p.strip() for p in text.split("|")]
    if len(parts) > 3 or not parts[0]:
        raise tk.FieldError(tk._("Line %(n)s: write 'name | minutes | note'.", n=number))
    place = parts[0]
    minutes_text = parts[1] if len(parts) > 1 else "10"
    minutes = tk.plain_int(minutes_text)
    if minutes is None or not 0 <= minutes <= MAX_MINUTES:
        raise tk.FieldError(
            tk._(
                "Line %(n)s: minutes are a whole number from 0 to %(max)s.",
                n=number,
                max=MAX_MINUTES,
            )
        )
    note = parts[2] if len(parts) > 2 else ""
    if len(note) > 240 or len(place) > 160:
        raise tk.FieldError(tk._("Line %(n)s is too long.", n=number))
    if "@" in place:
        name, _, where = (p.strip() for p in place.partition("@"))
        lat_text, _, lon_text = (p.strip() for p in where.partition(","))
        lat, lon = read_degrees(lat_text, 90), read_degrees(lon_text, 180)
        if not name or lat is None or lon is None:
            raise tk.FieldError(
                tk._("Line %(n)s: write a point as 'name @ -7.97725, 112.62960'.", n=number)
            )
        return StopLine(name[:120], None, lat, lon, minutes, note)
    site = _sites.get().get(place.casefold())
    if site is None:
        raise tk.FieldError(
            tk._("Line %(n)s: no heritage site is called '%(name)s'.", n=number, name=place)
        )
    return StopLine("", site, None, None, minutes, note)


class StopsField(tk.Field):
    """The stops of a walk in order, one a line (see the module's docstring)."""

    widget = "textarea"
    max_input = 8000

    def raw(self, data) -> str:
        """The lines as typed, line ends unified."""
        value = data.get(self.name, "") if data is not None else ""
        if not isinstance(value, str):
            return ""
        return "\n".join(line.strip() for line in value.replace("\r\n", "\n").split("\n")).strip()

    def parse(self, text: str) -> list[StopLine]:
        """The stops, or the first line's problem."""
        if len(text) > self.max_input:
            raise self.too_long()
        lines = [line for line in text.split("\n") if line.strip()]
        if len(lines) > MAX_STOPS:
            raise tk.FieldError(tk._("A walk has at most %(n)s stops.", n=MAX_STOPS))
        return [_line(n, line) for n, line in enumerate(lines, 1)]

    def show(self, value) -> str:
        """Stops as lines again (strings are shown as they are)."""
        if isinstance(value, str) or value is None:
            return value or ""
        return "\n".join(value)


class WalkForm(tk.Form):
    """A walk as officers write it; a new walk starts as a draft."""

    name = tk.TextField("Name", max_length=120)
    summary = tk.TextField("Summary", max_length=240, required=False)
    stops = StopsField(
        tk.N_("Stops, one a line"),
        hint=tk.N_(
            "'Site name | minutes | note', or 'Name @ latitude, longitude | minutes | note'."
        ),
    )
    description_id = tk.TextField(
        "Description in Indonesian (Markdown)",
        multiline=True,
        max_length=MAX_MARKDOWN,
        required=False,
    )
    description_en = tk.TextField(
        "Description in English (Markdown)", multiline=True, max_length=MAX_MARKDOWN, required=False
    )
    reason = reason_field()


def stop_lines(stops: list[dict]) -> list[str]:
    """A walk's stored stops as the lines of the form."""
    lines = []
    for stop in stops:
        if stop["site"] is not None:
            place = stop["site.name"]
        else:
            place = f"{stop['name']} @ {stop['latitude']}, {stop['longitude']}"
        lines.append(" | ".join(p for p in (place, str(stop["minutes"]), stop["note"]) if p != ""))
    return lines
