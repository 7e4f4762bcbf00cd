"""Demo premises (made-up addresses, spread over the city's kelurahan).

Deterministic: the same city gets the same premises every time; seeded once.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from balai import toolkit as tk

from balai_sipaldi.dated import city_today
from balai_sipaldi.demo_history import seed_history
from balai_sipaldi.firm import staff
from balai_sipaldi.planning.service import propose
from balai_sipaldi.premises.schedule import next_due
from balai_sipaldi.settings import settings_of
from balai_sipaldi.tables import (
    Operator,
    Premises,
    ServiceArea,
    TankType,
    Truck,
    Visit,
    VisitStatus,
)
from balai_sipaldi.visits import VISITS

PREMISES_PER_KELURAHAN = 6
PLAN_DAYS = 14
PUBLISHED_DAYS = 4
STREETS = ("Jl. Melati", "Jl. Mawar", "Jl. Kenanga", "Jl. Flamboyan", "Jl. Cempaka", "Jl. Anggrek")
# Kelurahan used when a city enables the plugin without listing its own (kecamatan in brackets).
FALLBACK_KELURAHAN = {
    "malang": (("Kauman", "Klojen"), ("Mojolangu", "Lowokwaru"), ("Bunulrejo", "Blimbing")),
    "semarang": (("Sekayu", "Semarang Tengah"), ("Pleburan", "Semarang Selatan")),
}


# Made-up firms (names, licences and fees are demo data, not real operators):
# name, licence, service fee, trucks (plate, litres, trips per day), kecamatan served
OPERATORS = (
    (
        "CV Tirta Bersih",
        "503/DLH-LLTT/001",
        250_000,
        (("N 8123 AB", 3000, 3), ("N 8124 AB", 4000, 2)),
        0,
    ),
    (
        "PT Sedot Jaya Abadi",
        "503/DLH-LLTT/002",
        300_000,
        (("N 9011 CD", 4000, 2), ("N 9012 CD", 3000, 3)),
        1,
    ),
    (
        "CV Lestari Sanitasi",
        "503/DLH-LLTT/003",
        275_000,
        (("N 7301 EF", 3000, 3), ("N 7302 EF", 5000, 2)),
        2,
    ),
)


async def seed_operators(zones: list[tuple[str, str]]) -> int:
    """Three operators with two trucks each, sharing the city's kecamatan between them."""
    now = datetime.now(UTC).replace(microsecond=0)
    kecamatan = sorted({kec for _name, kec in zones})
    for name, licence, fee, trucks, turn in OPERATORS:
        rows = await Operator.insert(
            Operator(name=name, licence_number=licence, service_fee=fee, created_at=now)
        ).returning(Operator.id)
        operator_id = rows[0]["id"]
        await Truck.insert(
            *(
                Truck(
                    operator_id=operator_id,
                    plate=plate,
                    capacity_litres=litres,
                    trips_per_day=trips,
                )
                for plate, litres, trips in trucks
            )
        )
        served = set(kecamatan[turn :: len(OPERATORS)]) or set(kecamatan)
        await ServiceArea.insert(
            *(
                ServiceArea(operator_id=operator_id, kelurahan=kel, kecamatan=kec)
                for kel, kec in zones
                if kec in served
            )
        )
    return len(OPERATORS)


async def link_demo_staff(city: tk.City) -> None:
    """The demo's crew account works on the first truck; its office account at that firm."""
    truck = await Truck.select(Truck.id, Truck.operator_id).order_by(Truck.id).first()
    crew = await tk.demo_user(f"sipaldi.crew@{city.slug}.test", "Kru", "sipaldi.crew")
    office = await tk.demo_user(f"sipaldi.operator@{city.slug}.test", "Kantor", "sipaldi.operator")
    await staff.link(crew.id, truck["operator_id"], truck["id"])
    await staff.link(office.id, truck["operator_id"], None)


async def publish_first_days(today, days: int) -> None:
    """Publish the proposals of the first ``days`` days (as an officer would)."""
    last = today + timedelta(days=days)
    for visit in await Visit.select().where(
        (Visit.status == VisitStatus.PROPOSED.value) & (Visit.day <= last)
    ):
        await VISITS.move(visit, "publish", tk.Actor.system())


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
            last = today - timedelta(days=rng.randint(1, 1300))
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
    operators = await seed_operators(zones)
    await link_demo_staff(city)
    history = await seed_history(rng)
    planned = await propose(today + timedelta(days=1), PLAN_DAYS)
    await publish_first_days(today, PUBLISHED_DAYS)
    report.summary.append(
        f"sipaldi: {len(rows)} premises with septic tanks, "
        f"{operators} operators with two trucks each, {history['visits']} visits over three years "
        f"({history['gap_days']} truck days with a gap at the plant), "
        f"{planned['proposed']} visits planned"
    )
    return report
