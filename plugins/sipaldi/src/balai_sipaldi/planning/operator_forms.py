"""Forms for operators, their trucks, service areas and published fee."""

from __future__ import annotations

import re

from balai import toolkit as tk

from balai_sipaldi.settings import settings_of
from balai_sipaldi.volumes import CubicMetreField

MAX_SERVICE_FEE = 10_000_000
MAX_TRUCK_LITRES = 20_000
_PLATE = re.compile(r"^([A-Z]{1,2}) ?([0-9]{1,4}) ?([A-Z]{0,3})$")
WHOLE_KECAMATAN = "kecamatan:"


class PlateField(tk.Field):
    """An Indonesian number plate (``N 1234 AB``), stored upper case with single spaces."""

    max_input = 16

    def parse(self, text: str) -> str:
        """The plate in its usual spelling."""
        found = _PLATE.match(" ".join(text.upper().split()))
        if not found:
            raise tk.FieldError(tk._("Enter a number plate such as N 1234 AB."))
        return " ".join(part for part in found.groups() if part)


class OperatorForm(tk.Form):
    """A licensed desludging firm."""

    name = tk.TextField("Firm's name", max_length=120)
    licence_number = tk.TextField("Licence number", max_length=60)
    phone = tk.PhoneField("Phone", required=False)
    service_fee = tk.RupiahField(
        "Service fee per visit",
        max_value=MAX_SERVICE_FEE,
        hint="The firm's own price for pumping one tank; the disposal fee is separate.",
    )


class ServiceFeeForm(tk.Form):
    """The operator's published service fee."""

    service_fee = tk.RupiahField("Service fee per visit", max_value=MAX_SERVICE_FEE)


class TruckForm(tk.Form):
    """A vacuum truck."""

    plate = PlateField(tk.N_("Number plate"))
    capacity_litres = CubicMetreField(
        tk.N_("Capacity (m³)"),
        min_litres=500,
        max_litres=MAX_TRUCK_LITRES,
        hint=tk.N_("What one trip carries."),
    )
    trips_per_day = tk.IntegerField("Trips per day", min_value=1, max_value=8)


def area_choices() -> list[tuple[str, str]]:
    """Each kecamatan whole (all its kelurahan), then each kelurahan."""
    settings = settings_of(tk.current_city())
    kecamatan = sorted({k.kecamatan for k in settings.kelurahan})
    whole = [
        (WHOLE_KECAMATAN + name, tk._("Kecamatan %(name)s (all)", name=name)) for name in kecamatan
    ]
    return whole + [(k.name, f"{k.name} ({k.kecamatan})") for k in settings.kelurahan]


class AreaForm(tk.Form):
    """A kelurahan (or a whole kecamatan) the operator serves."""

    area = tk.ChoiceField("Service area", choices=area_choices, translate=False)


def kelurahan_of_area(area: str) -> list[tuple[str, str]]:
    """The ``(kelurahan, kecamatan)`` pairs a chosen area stands for."""
    settings = settings_of(tk.current_city())
    if area.startswith(WHOLE_KECAMATAN):
        name = area.removeprefix(WHOLE_KECAMATAN)
        return [(k.name, k.kecamatan) for k in settings.kelurahan if k.kecamatan == name]
    kecamatan = settings.kecamatan_of(area)
    return [(area, kecamatan)] if kecamatan else []


class StaffForm(tk.Form):
    """An account of the firm's office, or of a truck's crew (with the truck's plate)."""

    login = tk.TextField(
        "Account's e-mail or phone",
        max_length=120,
        hint="The account holds the operator or crew role given by the city's administrator.",
    )
    plate = PlateField(
        tk.N_("Truck's number plate"),
        required=False,
        hint=tk.N_("For a crew account; empty for the firm's office."),
    )
