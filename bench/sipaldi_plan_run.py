"""``python -m bench.sipaldi_plan_run``: the desludging planner over a year for a city's registry.

Not a page: the ``sipaldi`` plugin's planner job body
(:func:`balai_sipaldi.planning.service.propose`) on a fresh SQLite database
with the core's and ``sipaldi``'s migrations, Kota Malang's 57 kelurahan and
schedule from ``examples/demo.toml``, ``--premises`` premises (default
200,000) due evenly over three years, and a fleet sized for a year's visits
(operators serving every kelurahan, trucks of 3–5 m³ making 2–3 trips a day).

One timing: reading the due registry and the fleet (three statements),
planning ``--days`` days (default 365 calendar days, Sundays left out) in
pure Python over plain tuples, and writing the proposals as multi-row
inserts of 1,000. Goal (issue 13): under 60 s on the project's 2-core machine.
Then every trip is checked against its truck's capacity and every truck's day
against its trips (exit 1 on a breach).

``--check-only``: 3,000 premises over 30 days, the checks only, no timing
printed (for CI and a busy machine).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
import tomllib
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import msgspec

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
APPS = ["balai.piccolo_app", "balai_sipaldi.piccolo_app"]
START = date(2027, 1, 4)
TANKS = (1500, 2000, 2000, 2500, 3000)


def malang():
    """Kota Malang with the demo instance's sipaldi settings."""
    from balai import toolkit as tk
    from balai_sipaldi.settings import SipaldiSettings

    document = tomllib.loads((ROOT / "examples" / "demo.toml").read_text(encoding="utf-8"))
    raw = document["cities"]["malang"]["settings"]["sipaldi"]
    settings = msgspec.convert(raw, SipaldiSettings, strict=False)
    return tk.City(slug="malang", name="Kota Malang", settings={"sipaldi": settings})


async def seed(city, premises: int, days: int) -> int:
    """``premises`` premises due over three years from START, and a fleet for the load."""
    from balai_sipaldi.tables import Operator, Premises, ServiceArea, Truck

    settings = city.settings_for("sipaldi")
    rng = random.Random(13)
    now = datetime.now(UTC)
    zones = [(k.name, k.kecamatan) for k in settings.kelurahan]
    batch = []
    for n in range(premises):
        kelurahan, kecamatan = zones[n % len(zones)]
        batch.append(
            Premises(
                address=f"Jl. Uji No. {n}",
                kelurahan=kelurahan,
                kecamatan=kecamatan,
                tank_litres=rng.choice(TANKS),
                hose_metres=10,
                next_due=START + timedelta(days=rng.randrange(3 * 365)),
                created_at=now,
            )
        )
        if len(batch) == 1000:
            await Premises.insert(*batch)
            batch = []
    if batch:
        await Premises.insert(*batch)
    # a year's visits ÷ working days ÷ (about two tanks a trip × 2.5 trips)
    trucks_needed = max(2, round(premises / 3 * days / 365 / (days * 6 / 7) / 5 * 1.15))
    operators = max(3, trucks_needed // 10)
    for number in range(operators):
        made = await Operator.insert(
            Operator(name=f"CV Uji {number}", licence_number=f"UJI/{number}", created_at=now)
        ).returning(Operator.id)
        operator_id = made[0]["id"]
        await ServiceArea.insert(
            *(ServiceArea(operator_id=operator_id, kelurahan=k, kecamatan=c) for k, c in zones)
        )
        await Truck.insert(
            *(
                Truck(
                    operator_id=operator_id,
                    plate=f"N {number * 100 + t + 1} UJ",
                    capacity_litres=rng.choice((3000, 4000, 5000)),
                    trips_per_day=rng.choice((2, 3)),
                )
                for t in range(trucks_needed // operators + 1)
            )
        )
    return await Truck.count()


async def breaches() -> list[str]:
    """Trips above their truck's capacity and truck days above their trips."""
    from balai_sipaldi.tables import Truck, Visit

    trucks = {t["id"]: t for t in await Truck.select()}
    load: dict = defaultdict(int)
    trips: dict = defaultdict(set)
    for visit in await Visit.select(Visit.day, Visit.truck_id, Visit.trip, Visit.planned_litres):
        load[(visit["day"], visit["truck_id"], visit["trip"])] += visit["planned_litres"]
        trips[(visit["day"], visit["truck_id"])].add(visit["trip"])
    found = [
        f"{key}: {litres} l > {trucks[key[1]]['capacity_litres']} l"
        for key, litres in load.items()
        if litres > trucks[key[1]]["capacity_litres"]
    ]
    found += [
        f"{key}: {len(numbers)} trips > {trucks[key[1]]['trips_per_day']}"
        for key, numbers in trips.items()
        if len(numbers) > trucks[key[1]]["trips_per_day"]
    ]
    return found


async def run(path: Path, premises: int, days: int, check_only: bool) -> dict:
    """Seed, plan a period once (timed), check it."""
    from balai import toolkit as tk
    from balai.db.database import Database
    from balai_sipaldi.planning.service import propose, working_days

    database = Database(f"sqlite:///{path}", APPS)
    await database.migrate()
    database.bind()
    city = malang()
    try:
        with tk.city_scope(city):
            trucks = await seed(city, premises, days)
            count = len([d for d in working_days(START, days) if d < START + timedelta(days=days)])
            started = time.perf_counter()
            done = await propose(START, count)
            seconds = time.perf_counter() - started
            found = await breaches()
    finally:
        await database.close()
    return {
        "premises": premises,
        "days": days,
        "trucks": trucks,
        **done,
        "seconds": None if check_only else round(seconds, 2),
        "breaches": found[:20],
    }


def main(argv: list[str] | None = None) -> int:
    """Run the bench; print the figures (and write them as JSON unless --check-only)."""
    parser = argparse.ArgumentParser(prog="python -m bench.sipaldi_plan_run")
    parser.add_argument("--premises", type=int, help="premises in the registry (default 200,000)")
    parser.add_argument("--days", type=int, help="calendar days planned (default 365)")
    parser.add_argument(
        "--check-only", action="store_true", help="3,000 premises, 30 days, no timing"
    )
    args = parser.parse_args(argv)
    premises = args.premises or (3_000 if args.check_only else 200_000)
    days = args.days or (30 if args.check_only else 365)
    with tempfile.TemporaryDirectory(prefix="sipaldi-bench-") as work:
        result = asyncio.run(run(Path(work) / "bench.db", premises, days, args.check_only))
    print(
        f"sipaldi planner: {result['premises']:,} premises, {result['trucks']} trucks, "
        f"{result['days']} days: {result['proposed']:,} visits proposed "
        f"({result['due']:,} due, {result['unplannable']} unplannable)"
    )
    if not args.check_only:
        print(f"  plan and write: {result['seconds']} s (goal: under 60 s)")
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "sipaldi_plan_run.json").write_text(json.dumps(result, indent=2, default=str))
    if result["breaches"]:
        print("capacity or trips exceeded:\n  " + "\n  ".join(result["breaches"]))
        return 1
    if not result["proposed"]:
        print("nothing was planned")
        return 1
    print("checks: every trip within its truck's capacity, every day within its trips")
    return 0


if __name__ == "__main__":
    sys.exit(main())
