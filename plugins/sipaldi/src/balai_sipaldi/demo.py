"""Demo premises (made-up addresses, spread over the city's kelurahan).

Deterministic: the same city gets the same premises every time; seeded once.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from balai import toolkit as tk

from balai_sipaldi.dated import city_today
from balai_sipaldi.premises.schedule import next_due
from balai_sipaldi.settings import settings_of
from balai_sipaldi.tables import Premises, TankType

PREMISES_PER_KELURAHAN = 6
STREETS = ("Jl. Melati", "Jl. Mawar", "Jl. Kenanga", "Jl. Flamboyan", "Jl. Cempaka", "Jl. Anggrek")
# Kelurahan used when a city enables the plugin without listing its own (kecamatan in brackets).
FALLBACK_KELURAHAN = {
    "malang": (("Kauman", "Klojen"), ("Mojolangu", "Lowokwaru"), ("Bunulrejo", "Blimbing")),
    "semarang": (("Sekayu", "Semarang Tengah"), ("Pleburan", "Semarang Selatan")),
}


async def seed(city: tk.City) -> tk.DemoReport:
    """Create the demo premises of ``city`` (inside its scope), once."""
    report = tk.DemoReport()
    settings = settings_of(city)
    zones = [(k.name, k.kecamatan) for k in settings.kelurahan]
    zones = zones or list(FALLBACK_KELURAHAN.get(city.slug, ()))
    if not zones or await Premises.count() > 0:
        return report
    rng = random.Random(f"sipaldi-{city.slug}")  # noqa: S311 (demo data, not secrets)
    today = city_today()
    now = datetime.now(UTC).replace(microsecond=0)
    citizen = await tk.demo_user(f"warga@{city.slug}.test", f"Warga {city.name}")
    rows = []
    for kelurahan, kecamatan in zones:
        for number in range(PREMISES_PER_KELURAHAN):
            last = today - timedelta(days=rng.randint(60, 1300))
            rows.append(
                Premises(
                    owner_id=citizen.id if not rows else None,
                    address=f"{rng.choice(STREETS)} No. {rng.randint(1, 120)}, {kelurahan}",
                    kelurahan=kelurahan,
                    kecamatan=kecamatan,
                    tank_type=rng.choice(list(TankType)).value,
                    tank_litres=rng.choice((1500, 2000, 2500, 3000)),
                    year_built=rng.randint(1985, 2020),
                    hose_metres=rng.randint(5, 40),
                    last_desludged=last,
                    next_due=next_due(settings, last, today),
                    created_at=now - timedelta(days=number),
                )
            )
    await Premises.insert(*rows)
    report.summary.append(f"sipaldi: {len(rows)} premises with septic tanks")
    return report
