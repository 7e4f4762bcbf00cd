"""The disposal fee: delivered volume × the tariff in force, in whole rupiah.

Rounding rule: the fee is counted from whole litres and the tariff per m³
(1,000 litres), then rounded to the nearest whole rupiah, halves up:
``(litres × per_m3 + 500) // 1000``. 2,5 m³ at Rp15.000 is exactly
Rp37.500; 1 litre at Rp15.001 is Rp15 (15,001 rounded down); 500 litres at
Rp15.001 is Rp7.501 (7.500,5 rounded up).
"""

from __future__ import annotations

from datetime import date

from balai_sipaldi.dated import rule_on
from balai_sipaldi.settings import SipaldiSettings, TariffRule
from balai_sipaldi.volumes import LITRES_PER_M3


def disposal_fee(litres: int, per_m3: int) -> int:
    """The fee for ``litres`` at ``per_m3`` rupiah per m³, rounded half up to whole rupiah."""
    if litres < 0 or per_m3 < 0:
        raise ValueError("a volume and a tariff are never negative")
    return (litres * per_m3 + LITRES_PER_M3 // 2) // LITRES_PER_M3


def tariff_on(settings: SipaldiSettings, day: date) -> TariffRule | None:
    """The tariff in force on ``day`` (``None`` before the first, or when the city sets none)."""
    return rule_on(settings.tariffs, day)
