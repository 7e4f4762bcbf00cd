"""The per-city settings of the ``e_jkn`` plugin: quota, districts and effective-dated rules."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from balai import toolkit as tk

# The priority groups an applicant may claim (code -> English msgid of the label).
# ``miskin`` is a household listed in the social-welfare registry (DTKS, being
# replaced by DTSEN); the names are as understood (belum diverifikasi / unverified).
PRIORITY_GROUPS = {
    "miskin": tk.N_("Poor or vulnerable household (listed in DTKS/DTSEN)"),
    "lansia": tk.N_("Elderly (60 or older)"),
    "disabilitas": tk.N_("Person with a disability"),
    "ibu_hamil": tk.N_("Pregnant woman"),
}

# Kota Malang's five districts (kecamatan); another city lists its own.
MALANG_KECAMATAN = ("Blimbing", "Kedungkandang", "Klojen", "Lowokwaru", "Sukun")


class EligibilityRules(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Who the city pays for, from a date on, and the regulation that says so.

    A city lists one entry per change (``[[cities.<city>.settings.e_jkn.rules]]``);
    the entry with the latest ``effective_from`` on or before a day applies
    on that day.

    Attributes:
        effective_from: First day (city time) the rules apply.
        regulation: The regulation the rules come from (name, number, article).
        verified: Whether someone checked ``regulation`` says this; an
            unverified rule is shown to officers as "belum diverifikasi".
        annual_quota: Residents the year's budget (APBD) can enrol.
        care_class: The care class (kelas rawat) the city pays for.
        resident_only: Only residents domiciled in the city per Dukcapil.
        refuse_paid_elsewhere: Refuse people already active in a segment
            someone else pays (PBI APBN, wage workers).
        priority_groups: Groups served first when the quota is short, which
            an applicant may claim (codes of :data:`PRIORITY_GROUPS`).
        welfare_checked: The claimed groups Dinsos checks against the
            social-welfare registry before Dinkes sees the application.
    """

    effective_from: dt.date
    regulation: str
    verified: bool = False
    annual_quota: Annotated[int, msgspec.Meta(ge=0)] = 5000
    care_class: Annotated[int, msgspec.Meta(ge=1, le=3)] = 3
    resident_only: bool = True
    refuse_paid_elsewhere: bool = True
    priority_groups: tuple[str, ...] = ()
    welfare_checked: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = {*self.priority_groups, *self.welfare_checked} - set(PRIORITY_GROUPS)
        if unknown:
            raise ValueError(f"unknown priority groups {sorted(unknown)}; known: {PRIORITY_GROUPS}")
        if set(self.welfare_checked) - set(self.priority_groups):
            raise ValueError("welfare_checked lists a group that is not in priority_groups")


DEFAULT_RULES = EligibilityRules(
    effective_from=dt.date(2020, 5, 1),
    regulation=(
        "Perpres 82/2018 as amended; Peraturan BPJS Kesehatan 5/2018 art. 3 "
        "(belum diverifikasi / unverified)"
    ),
    priority_groups=("miskin", "lansia", "disabilitas"),
    welfare_checked=("miskin",),
)


class EnrolmentSettings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What a city can set for its health cover (``[cities.<city>.settings.e_jkn]``).

    Attributes:
        annual_quota: Residents the year's budget can enrol when no rule
            sets it (the public page shows the places left).
        kecamatan: The city's districts, offered in the address.
        rules: Eligibility rules, each from its date (see :class:`EligibilityRules`).
        max_members: Most people in one application (one KK).
        batch_size: People sent to BPJS per registration job run.
        open_data_threshold: Groups smaller than this are suppressed in open data.
        population: The city's population, for the coverage figure (0: not shown).
        population_source: Where ``population`` comes from (shown with the figure).
    """

    annual_quota: Annotated[int, msgspec.Meta(ge=0)] = 5000
    kecamatan: tuple[str, ...] = MALANG_KECAMATAN
    rules: tuple[EligibilityRules, ...] = ()
    max_members: Annotated[int, msgspec.Meta(ge=1, le=12)] = 8
    batch_size: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 50
    open_data_threshold: Annotated[int, msgspec.Meta(ge=1)] = 5
    population: Annotated[int, msgspec.Meta(ge=0)] = 0
    population_source: str = ""

    def rules_on(self, day: dt.date) -> EligibilityRules:
        """The rules in force on ``day`` (the quota setting when no rule is listed)."""
        current = [r for r in self.rules if r.effective_from <= day]
        if current:
            return max(current, key=lambda r: r.effective_from)
        return msgspec.structs.replace(DEFAULT_RULES, annual_quota=self.annual_quota)
