"""How officers edit heritage sites: the form, the publication workflow, the exceptions form."""

from __future__ import annotations

from datetime import timedelta

from balai import toolkit as tk

from balai_wisata_heritage.geo import LatitudeField, LongitudeField
from balai_wisata_heritage.markdown import MAX_MARKDOWN
from balai_wisata_heritage.office_kit import publication_workflow, reason_field
from balai_wisata_heritage.sites import rules
from balai_wisata_heritage.sites.tables import Site

SITES = publication_workflow(
    "wisata_heritage.site", Site, end="withdrawn", end_label=tk.N_("Withdrawn")
)
#: The longest exception an officer may enter at once (days).
MAX_EXCEPTION_DAYS = 366


class SiteForm(tk.Form):
    """A heritage site as officers write it; a new site starts as a draft."""

    name = tk.TextField("Name", max_length=120)
    description = tk.TextField("Short description", multiline=True, max_length=600)
    district = tk.TextField("District", max_length=60)
    category = tk.ChoiceField("Category", choices=rules.CATEGORIES)
    protection = tk.ChoiceField("Protection", choices=rules.PROTECTIONS)
    registration_number = tk.TextField(
        "National registration number", max_length=40, required=False
    )
    decree = tk.TextField("City designation decree", max_length=200, required=False)
    legal_verified = tk.CheckboxField(
        "The legal data was checked against the national register and the decree"
    )
    legal_source = tk.TextField("Source of the legal data", max_length=200, required=False)
    story_id = tk.TextField(
        "Story in Indonesian (Markdown)",
        multiline=True,
        max_length=MAX_MARKDOWN,
        required=False,
        hint="**bold**, *italic*, ## heading, - list, [link](https://…). No HTML.",
    )
    story_en = tk.TextField(
        "Story in English (Markdown)", multiline=True, max_length=MAX_MARKDOWN, required=False
    )
    opening_hours = tk.TextField(
        "Usual opening hours",
        max_length=80,
        required=False,
        hint="As the site announces them, e.g. 'Senin–Sabtu 07.30–14.00'. "
        "Empty: the city's default.",
    )
    address = tk.TextField("Address", max_length=200, required=False)
    latitude = LatitudeField(tk.N_("Latitude"), required=False)
    longitude = LongitudeField(tk.N_("Longitude"), required=False)
    facilities = tk.TextField(
        "Facilities, one a line", multiline=True, max_length=2000, required=False
    )
    accessibility = tk.TextField(
        "Accessibility notes", multiline=True, max_length=1000, required=False
    )
    photo = tk.FileField("Photo", kind="image", visibility="public", required=False)
    reason = reason_field()

    def check(self) -> None:
        """Coordinates come in pairs."""
        if (self.clean.get("latitude") is None) != (self.clean.get("longitude") is None):
            missing = "longitude" if self.clean.get("longitude") is None else "latitude"
            self.add_error(missing, tk._("Give both latitude and longitude, or neither."))


def site_values(clean: dict) -> dict:
    """The columns a valid :class:`SiteForm` sets (the photo only when a new one came)."""
    values = {k: v for k, v in clean.items() if k not in ("reason", "photo")}
    if clean.get("photo") is not None:
        values["photo"] = clean["photo"].id
    return values


class ExceptionForm(tk.Form):
    """Days a site keeps other hours: a closure or special hours, with why."""

    starts_on = tk.DateField("First day")
    ends_on = tk.DateField("Last day")
    closed = tk.CheckboxField("Closed on these days")
    hours = tk.TextField(
        "Hours on these days", max_length=80, required=False, hint="When it is not closed."
    )
    note = tk.TextField("Why", max_length=120, hint="e.g. 'Idulfitri', 'Renovasi atap'.")

    def check(self) -> None:
        """The days run forwards, at most a year; open days say their hours."""
        starts, ends = self.clean.get("starts_on"), self.clean.get("ends_on")
        if starts and ends:
            if ends < starts:
                self.add_error("ends_on", tk._("The last day cannot be before the first."))
            elif ends - starts > timedelta(days=MAX_EXCEPTION_DAYS):
                self.add_error("ends_on", tk._("Enter at most a year at a time."))
        if not self.clean.get("closed") and not self.clean.get("hours"):
            self.add_error("hours", tk._("Give the hours, or tick 'Closed on these days'."))
