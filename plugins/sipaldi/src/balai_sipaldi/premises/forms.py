"""The household's tank form: where the premises is and what the crew will find."""

from __future__ import annotations

from balai import toolkit as tk

from balai_sipaldi.dated import city_today
from balai_sipaldi.settings import settings_of
from balai_sipaldi.tables import TankType
from balai_sipaldi.volumes import CubicMetreField

TANK_TYPES = [
    (TankType.SEALED.value, tk.N_("Sealed septic tank")),
    (TankType.BIOFILTER.value, tk.N_("Biofilter tank")),
    (TankType.CESSPIT.value, tk.N_("Cesspit (not sealed)")),
]
MIN_TANK_LITRES = 100
MAX_TANK_LITRES = 30_000
MAX_HOSE_METRES = 150


def kelurahan_choices() -> list[tuple[str, str]]:
    """The city's kelurahan, each with its kecamatan."""
    return [(k.name, f"{k.name} ({k.kecamatan})") for k in settings_of(tk.current_city()).kelurahan]


class PremisesForm(tk.Form):
    """A premises as the household (or an officer) registers or corrects it."""

    address = tk.TextField("Street address", max_length=200, autocomplete="street-address")
    kelurahan = tk.ChoiceField(
        "Kelurahan", choices=kelurahan_choices, translate=False, placeholder="Choose a kelurahan"
    )
    nop = tk.NopField(
        "PBB tax object number (NOP)",
        required=False,
        hint="Optional: on your land and building tax bill.",
    )
    tank_type = tk.ChoiceField("Tank type", choices=TANK_TYPES)
    tank_litres = CubicMetreField(
        tk.N_("Tank volume (m³)"),
        min_litres=MIN_TANK_LITRES,
        max_litres=MAX_TANK_LITRES,
        hint=tk.N_("Length × width × depth of the tank; 2 m³ is common for a house."),
    )
    year_built = tk.IntegerField("Year built", min_value=1900, max_value=2100, required=False)
    hose_metres = tk.IntegerField(
        "Hose length needed (m)",
        min_value=0,
        max_value=MAX_HOSE_METRES,
        hint="From where a truck can stop to the tank's opening.",
    )
    last_desludged = tk.DateField(
        "Last emptied",
        max_value=city_today,
        required=False,
        hint="Leave empty if never or not known: the tank is then due now.",
    )

    def check(self) -> None:
        """A tank cannot be built in the future, nor emptied before it was built."""
        year = self.clean.get("year_built")
        if year and year > city_today().year:
            self.add_error("year_built", tk._("The year built cannot be in the future."))
        last = self.clean.get("last_desludged")
        if year and last and last.year < year:
            self.add_error("last_desludged", tk._("The tank was emptied before it was built."))
