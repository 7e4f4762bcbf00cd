"""How officers edit events: the form (times in the city's zone) and the workflow."""

from __future__ import annotations

import contextvars
import re
from datetime import UTC, datetime, timedelta

from balai import toolkit as tk

from balai_wisata_heritage.events import rules
from balai_wisata_heritage.events.tables import Event
from balai_wisata_heritage.markdown import MAX_MARKDOWN
from balai_wisata_heritage.office_kit import publication_workflow, reason_field
from balai_wisata_heritage.sites.tables import Site

EVENTS = publication_workflow(
    "wisata_heritage.event", Event, end="cancelled", end_label=tk.N_("Cancelled")
)
#: The longest event (days): a festival of a fortnight, an exhibition of months.
MAX_EVENT_DAYS = 180
#: How far ahead an event may be announced (days).
MAX_AHEAD_DAYS = 3 * 366
# "2026-12-24T19:30" (a datetime-local input) or "24/12/2026 19.30" / "24-12-2026 19:30".
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$", re.ASCII)
_DAY_FIRST = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4}) (\d{1,2})[.:](\d{2})$", re.ASCII)
# The sites an event may be at, read by the handler before the form is checked (per request).
_site_choices: contextvars.ContextVar[tuple[tuple[str, str], ...]] = contextvars.ContextVar(
    "wisata_heritage_site_choices", default=()
)


class LocalDateTimeField(tk.Field):
    """A date and time in the city's zone, stored as UTC."""

    input_type = "datetime-local"
    max_input = 20

    def parse(self, text: str) -> datetime:
        """The moment in UTC, or a field error naming the expected form."""
        iso = _ISO.match(text)
        found = iso or _DAY_FIRST.match(text)
        if found is None:
            raise tk.FieldError(tk._("Write a date and time like 24/12/2026 19.30."))
        a, b, c, hour, minute = (int(p) for p in found.groups())
        year, month, day = (a, b, c) if iso else (c, b, a)
        try:
            local = datetime(year, month, day, hour, minute, tzinfo=tk.current_city().tz)
        except ValueError:
            raise tk.FieldError(tk._("This date does not exist.")) from None
        return local.astimezone(UTC)

    def show(self, value) -> str:
        """A stored UTC moment as the city's local ``YYYY-MM-DDTHH:MM``."""
        if isinstance(value, datetime):
            return value.astimezone(tk.current_city().tz).strftime("%Y-%m-%dT%H:%M")
        return "" if value is None else str(value)


async def load_site_choices() -> None:
    """Read the city's sites for the event form's site list (call before building the form)."""
    rows = await Site.select(Site.id, Site.name).order_by(Site.name)
    _site_choices.set(tuple((str(r["id"]), r["name"]) for r in rows))


class EventForm(tk.Form):
    """An event as officers write it; a new event starts as a draft."""

    title = tk.TextField("Title", max_length=120)
    kind = tk.ChoiceField("Type of event", choices=rules.KINDS)
    site = tk.ChoiceField(
        "Heritage site",
        choices=lambda: _site_choices.get(),
        translate=False,
        required=False,
        placeholder="Elsewhere (give the venue)",
    )
    venue = tk.TextField("Venue", max_length=160, required=False)
    starts_at = LocalDateTimeField(tk.N_("Starts"))
    ends_at = LocalDateTimeField(tk.N_("Ends"))
    summary = tk.TextField("Summary", max_length=240, required=False)
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

    def check(self) -> None:
        """A place; an end after the start, within limits; not far in the past or future."""
        clean = self.clean
        if not clean.get("site") and not clean.get("venue"):
            self.add_error("venue", tk._("Choose a heritage site or give the venue."))
        starts, ends = clean.get("starts_at"), clean.get("ends_at")
        if starts and ends:
            now = datetime.now(UTC)
            if ends <= starts:
                self.add_error("ends_at", tk._("The end must come after the start."))
            elif ends - starts > timedelta(days=MAX_EVENT_DAYS):
                self.add_error(
                    "ends_at", tk._("An event lasts at most %(n)s days.", n=MAX_EVENT_DAYS)
                )
            if starts > now + timedelta(days=MAX_AHEAD_DAYS):
                self.add_error("starts_at", tk._("Announce events at most three years ahead."))
            if ends < now - timedelta(days=366):
                self.add_error("ends_at", tk._("This event ended more than a year ago."))


def event_values(clean: dict) -> dict:
    """The columns a valid :class:`EventForm` sets."""
    values = {k: v for k, v in clean.items() if k != "reason"}
    values["site"] = int(clean["site"]) if clean.get("site") else None
    return values
