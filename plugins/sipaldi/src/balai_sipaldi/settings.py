"""The per-city settings of the ``sipaldi`` plugin (``[cities.<city>.settings.sipaldi]``).

Nothing here holds a city's numbers: a city without schedule rules has no
due dates, and one without tariffs bills nothing; the pages say so. Malang's
values (with their sources, and whether they were checked) are in
``examples/demo.toml``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec

Rupiah = Annotated[int, msgspec.Meta(ge=0, le=10_000_000)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=60)]


class Kelurahan(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One kelurahan of the city and the kecamatan it lies in (the planning zones)."""

    name: Name
    kecamatan: Name


class ScheduleRule(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """How often a tank is emptied, from ``effective_from`` on.

    Attributes:
        effective_from: The first day the interval applies to.
        interval_months: Months between two desludgings of one tank.
        regulation: Where the interval comes from (shown with it).
        verified: ``False`` while nobody checked it against the regulation's
            text (shown as "belum diverifikasi / unverified").
    """

    effective_from: date
    interval_months: Annotated[int, msgspec.Meta(ge=1, le=240)]
    regulation: str
    verified: bool = False


class TariffRule(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The disposal fee (retribution) per m³ delivered at the plant, from ``effective_from`` on."""

    effective_from: date
    per_m3: Rupiah
    regulation: str
    verified: bool = False


class SipaldiSettings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What a city can set for scheduled desludging (LLTT).

    Attributes:
        kelurahan: The city's kelurahan with their kecamatan; premises are
            registered in one of them, and the planner works zone by zone.
        schedule: Desludging intervals, each from a date on (any order).
        tariffs: Disposal fees per m³, each from a date on (any order).
        notify_days: How many days before a visit the household is told
            (each number one message).
        reschedule_window_days: How far from the planned day a household may
            move its visit (either way).
        gap_tolerance_percent: A truck's day whose delivered volume falls
            short of what its crews pumped by more than this is flagged.
        bill_disposal_to: Who pays the disposal fee: ``household`` or ``operator``.
        plant_capacity_m3_per_day: What the treatment plant (IPLT) takes in a
            day, for the utilisation figure (0: not shown).
        plan_days: How many days ahead the nightly planner proposes visits.
        lead_days: How many days before its due day a tank may be visited.
        max_instalments: At most this many monthly parts a household may pay
            a disposal fee in (1: no instalments).
        min_instalment: No part smaller than this, in whole rupiah.
    """

    kelurahan: tuple[Kelurahan, ...] = ()
    schedule: tuple[ScheduleRule, ...] = ()
    tariffs: tuple[TariffRule, ...] = ()
    notify_days: tuple[Annotated[int, msgspec.Meta(ge=1, le=60)], ...] = (14, 3)
    reschedule_window_days: Annotated[int, msgspec.Meta(ge=0, le=60)] = 14
    gap_tolerance_percent: Annotated[int, msgspec.Meta(ge=0, le=100)] = 5
    bill_disposal_to: Annotated[str, msgspec.Meta(pattern="^(household|operator)$")] = "household"
    plant_capacity_m3_per_day: Annotated[int, msgspec.Meta(ge=0, le=100_000)] = 0
    plan_days: Annotated[int, msgspec.Meta(ge=1, le=366)] = 28
    lead_days: Annotated[int, msgspec.Meta(ge=0, le=180)] = 30
    max_instalments: Annotated[int, msgspec.Meta(ge=1, le=12)] = 3
    min_instalment: Rupiah = 10_000

    def __post_init__(self) -> None:
        for rules, what in ((self.schedule, "schedule"), (self.tariffs, "tariff")):
            days = [rule.effective_from for rule in rules]
            if len(set(days)) != len(days):
                raise ValueError(f"two {what} rules start on the same day")
        names = [k.name for k in self.kelurahan]
        if len(set(names)) != len(names):
            raise ValueError("a kelurahan is listed twice")

    def kecamatan_of(self, kelurahan: str) -> str | None:
        """The kecamatan of ``kelurahan`` (``None`` when it is not one of the city's)."""
        for row in self.kelurahan:
            if row.name == kelurahan:
                return row.kecamatan
        return None


def settings_of(city) -> SipaldiSettings:
    """The validated settings of ``city`` (defaults when it set none)."""
    return city.settings_for("sipaldi") or SipaldiSettings()
