"""The report form: what, where, up to four photos."""

from __future__ import annotations

from balai import toolkit as tk

from balai_pengaduan.geo import LatitudeField, LongitudeField
from balai_pengaduan.settings import city_settings


def _categories() -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in city_settings().categories]


def _kelurahan() -> list[tuple[str, str]]:
    return [(name, name) for name in city_settings().kelurahan]


#: The report form's photo fields; a report holds at most this many photos.
PHOTO_FIELDS = ("photo", "photo_2", "photo_3", "photo_4")
PHOTO_LIMIT = len(PHOTO_FIELDS)


class ReportForm(tk.Form):
    """A citizen's report. A place is required: a map point, or a kelurahan or address."""

    category = tk.ChoiceField("Category", choices=_categories, translate=False)
    description = tk.TextField("What is wrong?", multiline=True, min_length=10, max_length=2000)
    kelurahan = tk.ChoiceField("Kelurahan", choices=_kelurahan, translate=False, required=False)
    address = tk.TextField(
        "Address or landmark", max_length=200, required=False, hint="Street, number, landmark."
    )
    latitude = LatitudeField("Latitude", required=False)
    longitude = LongitudeField("Longitude", required=False)
    # Up to PHOTO_LIMIT photos, one file field each: every photo goes through the files
    # service's checks and is kept across an error like any tk.FileField.
    photo = tk.FileField("Photo", kind="image", visibility="officer", required=False)
    photo_2 = tk.FileField("Second photo", kind="image", visibility="officer", required=False)
    photo_3 = tk.FileField("Third photo", kind="image", visibility="officer", required=False)
    photo_4 = tk.FileField("Fourth photo", kind="image", visibility="officer", required=False)
    # Sent (hidden) once nearby open reports were offered: "it is another problem".
    baru = tk.CheckboxField("It is another problem")

    def photos(self) -> tuple[str, ...]:
        """The file ids of the photos given (each once, in the fields' order)."""
        ids = (self.clean.get(name) for name in PHOTO_FIELDS)
        return tuple(dict.fromkeys(stored.id for stored in ids if stored is not None))

    def check(self) -> None:
        """The place: a whole point inside the city, or words saying where."""
        lat, lon = self.clean.get("latitude"), self.clean.get("longitude")
        if (lat is None) != (lon is None):
            self.add_error("longitude", tk._("Give both latitude and longitude, or neither."))
            return
        if lat is not None:
            bounds = city_settings().bounds
            if bounds is not None and not bounds.contains(lat, lon):
                self.add_error(
                    "latitude", tk._("This place is outside the city. Choose a place in the city.")
                )
        elif not (self.clean.get("kelurahan") or self.clean.get("address")):
            self.add_error(
                "address", tk._("Say where it is: a kelurahan, an address or a map point.")
            )


class PhoneForm(tk.Form):
    """A number to confirm before reporting without an account."""

    name = tk.TextField("Your name", max_length=120, autocomplete="name")
    phone = tk.PhoneField("Mobile number", hint="We text you a code, and news of your report.")


class CodeForm(tk.Form):
    """The code texted to the number."""

    code = tk.TextField("Code", max_length=6, min_length=6, autocomplete="one-time-code")


class ReporterStepForm(tk.Form):
    """The reporter confirms the fix or reopens the report (saying what is still wrong)."""

    step = tk.TextField("Step", max_length=40, missing="Choose confirm or reopen.")
    comment = tk.TextField("What is still wrong?", multiline=True, max_length=1000, required=False)
    seen = tk.TextField("State shown", max_length=20, required=False)
