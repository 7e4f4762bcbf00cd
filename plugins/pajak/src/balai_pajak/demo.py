"""PBB-P2 demo data: tax objects, taxpayers and five years of bills per city.

Kota Malang gets 3,000 objects across its five districts and 57 villages
(the ten hand-written objects of the first demo among them), Semarang and
Yogyakarta a few hundred each. Bills of 2022–2026 are computed by
:func:`balai_pajak.pbb.assessment.assess` under each year's rule from the city's
settings (no rule: no bills). Most bills of past years are paid, with the
penalty they owed on the day they were paid, each through a settled ledger
invoice (:mod:`balai_pajak.demo_payments`, which also links a few NOPs to
the demo citizen); the rest are overdue. Everything
is drawn from a random generator seeded per city, so the demo is the same
every time, and written with multi-row inserts, so it takes a second or two.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from balai import toolkit as tk

from balai_pajak import demo_payments
from balai_pajak.bulk import insert_rows
from balai_pajak.pbb.assessment import njop_of, njoptkp_holders
from balai_pajak.pbb.assessment_run import BILL_COLUMNS, bill_row
from balai_pajak.pbb.notices import issue_notices
from balai_pajak.pbb.penalty import amount_owed
from balai_pajak.pbb.rules import NoRuleError, pbb_settings
from balai_pajak.tables import AssessmentRun, NopLink, Sppt, TaxObject, Taxpayer

YEARS = range(2022, 2027)
# Share of each year's bills paid (bills not yet due stay unpaid).
PAID_SHARE = {2022: 0.9, 2023: 0.86, 2024: 0.82, 2025: 0.75, 2026: 0.62}

# Per city: objects to make, region, and districts as (NOP code, name, villages by NOP code).
# Village codes are the position in the list, from 001.
CITIES: dict[str, dict] = {
    "malang": {
        "objects": 3000,
        "region": "3573",
        "nik_region": "3573",
        "price": {"Klojen": (3_000_000, 12_000_000)},
        "districts": [
            (
                "010",
                "Kedungkandang",
                [
                    "Kotalama",
                    "Arjowinangun",
                    "Bumiayu",
                    "Buring",
                    "Sawojajar",
                    "Cemorokandang",
                    "Kedungkandang",
                    "Lesanpuro",
                    "Madyopuro",
                    "Mergosono",
                    "Tlogowaru",
                    "Wonokoyo",
                ],
            ),
            (
                "020",
                "Sukun",
                [
                    "Bakalan Krajan",
                    "Bandungrejosari",
                    "Gadang",
                    "Ciptomulyo",
                    "Karangbesuki",
                    "Kebonsari",
                    "Mulyorejo",
                    "Bandulan",
                    "Pisang Candi",
                    "Sukun",
                    "Tanjungrejo",
                ],
            ),
            (
                "030",
                "Klojen",
                [
                    "Bareng",
                    "Kauman",
                    "Gadingkasri",
                    "Kasin",
                    "Kiduldalem",
                    "Klojen",
                    "Oro-oro Dowo",
                    "Penanggungan",
                    "Rampal Celaket",
                    "Samaan",
                    "Sukoharjo",
                ],
            ),
            (
                "040",
                "Blimbing",
                [
                    "Purwantoro",
                    "Balearjosari",
                    "Blimbing",
                    "Arjosari",
                    "Bunulrejo",
                    "Jodipan",
                    "Kesatrian",
                    "Pandanwangi",
                    "Polehan",
                    "Polowijen",
                    "Purwodadi",
                ],
            ),
            (
                "050",
                "Lowokwaru",
                [
                    "Ketawanggede",
                    "Lowokwaru",
                    "Dinoyo",
                    "Merjosari",
                    "Mojolangu",
                    "Sumbersari",
                    "Tasikmadu",
                    "Tlogomas",
                    "Jatimulyo",
                    "Tulusrejo",
                    "Tunggulwulung",
                    "Tunjungsekar",
                ],
            ),
        ],
    },
    "semarang": {
        "objects": 300,
        "region": "3374",
        "nik_region": "3374",
        "price": {"Semarang Tengah": (4_000_000, 15_000_000)},
        "districts": [
            ("130", "Semarang Tengah", ["Sekayu", "Pekunden", "Miroto", "Kembangsari"]),
            ("060", "Candisari", ["Jatingaleh", "Candi", "Kaliwiru"]),
            ("030", "Banyumanik", ["Pedalangan", "Padangsari", "Srondol Kulon"]),
            ("070", "Tembalang", ["Tembalang", "Sendangmulyo", "Rowosari", "Meteseh", "Bulusan"]),
        ],
    },
    "yogyakarta": {
        "objects": 300,
        "region": "3471",
        "nik_region": "3471",
        "price": {"Kraton": (5_000_000, 14_000_000)},
        "districts": [
            ("020", "Kraton", ["Kadipaten", "Panembahan", "Patehan"]),
            ("060", "Gondokusuman", ["Baciro", "Demangan", "Terban", "Kotabaru"]),
            ("040", "Umbulharjo", ["Muja Muju", "Warungboto", "Giwangan"]),
            ("130", "Jetis", ["Cokrodiningratan", "Gowongan", "Bumijo"]),
        ],
    },
}

# The objects of the first demo, kept with their NOPs (some tests and pages mention them).
FIRST_OBJECTS: dict[str, list[tuple[str, str]]] = {
    "malang": [
        ("357301000100100010", "Jl. Ki Ageng Gribig No. 45"),
        ("357301000500200070", "Jl. Danau Toba E5 No. 12"),
        ("357302000300400120", "Jl. Kol. Sugiono No. 88"),
        ("357302000800100030", "Jl. Raya Bandulan No. 21"),
        ("357303000200100050", "Jl. Basuki Rahmat No. 7"),
        ("357303000700300020", "Jl. Ijen No. 30"),
        ("357304000100200110", "Jl. Letjen S. Parman No. 54"),
        ("357304000400100090", "Jl. Ahmad Yani No. 102"),
        ("357305000300200040", "Jl. MT Haryono No. 16"),
        ("357305000900500010", "Jl. Soekarno Hatta No. 9"),
    ],
    "semarang": [
        ("337413000100200030", "Jl. Pemuda No. 118"),
        ("337406000300100080", "Jl. Sisingamangaraja No. 4"),
        ("337403000300400050", "Jl. Setiabudi No. 27"),
        ("337407000500100060", "Jl. Bulusan Raya No. 3"),
    ],
    "yogyakarta": [
        ("347102000100100020", "Jl. Rotowijayan No. 5"),
        ("347106000300200070", "Jl. Sagan No. 14"),
        ("347104000100300010", "Jl. Kusumanegara No. 88"),
        ("347113000100400030", "Jl. AM Sangaji No. 41"),
    ],
}

FIRST_NAMES = (
    "Budi",
    "Siti",
    "Agus",
    "Sri",
    "Ahmad",
    "Dewi",
    "Eko",
    "Nur",
    "Hadi",
    "Rina",
    "Joko",
    "Wahyu",
    "Lestari",
    "Bambang",
    "Endang",
    "Slamet",
    "Yuni",
    "Rudi",
    "Ani",
    "Dian",
    "Hendra",
    "Fitri",
    "Imam",
    "Ratna",
    "Teguh",
    "Sugeng",
    "Puji",
    "Heru",
    "Indah",
    "Yusuf",
)
LAST_NAMES = (
    "Santoso",
    "Wahyuni",
    "Setiawan",
    "Rahayu",
    "Hidayat",
    "Kurniawan",
    "Susanto",
    "Lestari",
    "Pratama",
    "Saputra",
    "Wibowo",
    "Handayani",
    "Nugroho",
    "Purnomo",
    "Utomo",
    "Fauzi",
    "Hartono",
    "Suryani",
    "Maulana",
    "Prasetyo",
)
STREETS = (
    "Jl. Mawar",
    "Jl. Melati",
    "Jl. Kenanga",
    "Jl. Anggrek",
    "Jl. Flamboyan",
    "Jl. Cempaka",
    "Jl. Dahlia",
    "Jl. Sakura",
    "Jl. Teratai",
    "Jl. Merpati",
    "Jl. Kutilang",
    "Jl. Rajawali",
    "Jl. Sudirman",
    "Jl. Diponegoro",
    "Jl. Gajah Mada",
    "Jl. Veteran",
)
LAND_CLASSES = ("A10", "A12", "A15", "A18", "A20", "A23", "A25")
BUILDING_CLASSES = ("B1", "B2", "B3", "B4", "B5")
OBJECT_COLUMNS = (
    "city",
    "nop",
    "address",
    "district",
    "village",
    "land_area",
    "building_area",
    "land_class",
    "building_class",
    "land_njop_per_m2",
    "building_njop_per_m2",
    "taxpayer",
    "is_active",
    "updated_at",
)


def _nik(rng: random.Random, region: str, district: str, serial: int) -> str:
    """A made-up NIK of the region's layout (demo only: no real person)."""
    day = rng.randint(1, 28) + (40 if rng.random() < 0.5 else 0)
    born = f"{day:02d}{rng.randint(1, 12):02d}{rng.randint(50, 99):02d}"
    return f"{region}{district[1:]}{born}{serial % 10000:04d}"


def _objects(rng: random.Random, spec: dict, slug: str) -> list[dict]:
    """The city's tax objects as plain rows (without ids and taxpayers yet)."""
    first = dict(FIRST_OBJECTS.get(slug, []))
    districts = spec["districts"]
    candidates = [(nop, *_place(districts, nop)) for nop in first]
    seen = set(first)
    serial = 0
    while len(candidates) < spec["objects"]:
        serial += 1
        code, district, villages = districts[serial % len(districts)]
        village_code = rng.randrange(len(villages))
        block = rng.randint(1, 20)
        nop = f"{spec['region']}{code}{village_code + 1:03d}{block:03d}{serial:04d}0"
        if nop in seen:
            continue
        seen.add(nop)
        candidates.append((nop, district, villages[village_code]))
    rows: list[dict] = []
    low, high = 800_000, 5_000_000
    for nop, district, village in sorted(candidates):
        price_low, price_high = spec["price"].get(district, (low, high))
        big = rng.random() < 0.03
        land = rng.randint(1_000, 6_000) if big else rng.randint(60, 600)
        building = 0 if rng.random() < 0.1 else int(land * rng.uniform(0.4, 1.6))
        rows.append(
            {
                "nop": nop,
                "address": first.get(nop) or f"{rng.choice(STREETS)} No. {rng.randint(1, 150)}",
                "district": district,
                "village": village,
                "land_area": land,
                "building_area": building,
                "land_class": rng.choice(LAND_CLASSES),
                "building_class": rng.choice(BUILDING_CLASSES) if building else "",
                "land_njop_per_m2": rng.randrange(price_low, price_high, 50_000),
                "building_njop_per_m2": rng.randrange(1_000_000, 4_000_000, 50_000)
                if building
                else 0,
                "is_active": rng.random() > 0.01,
            }
        )
    return rows


def _place(districts: list, nop: str) -> tuple[str, str]:
    """District and village names of a NOP from the city's district list."""
    code, village_code = nop[4:7], int(nop[7:10])
    for district_code, name, villages in districts:
        if district_code == code:
            return name, villages[(village_code - 1) % len(villages)]
    return districts[0][1], districts[0][2][0]


def _paid(rng, bill: dict, city: tk.City, today: date) -> tuple | None:
    """When a bill was paid and what it owed that day, or ``None`` when it is still unpaid."""
    due = bill["due_date"]
    share = PAID_SHARE.get(bill["year"], 0.5)
    if due >= today and rng.random() > 0.3:
        return None
    if rng.random() > share:
        return None
    issued = date(bill["year"], 1, 2)
    late = rng.random() < 0.15
    last = min(today, due + timedelta(days=200) if late else due)
    if last <= issued:
        return None
    day = issued + timedelta(days=rng.randrange((last - issued).days + 1))
    owed = amount_owed(bill, day, city)
    moment = datetime.combine(day, time(10, rng.randrange(60)), tzinfo=city.tz).astimezone(UTC)
    moment = min(moment, datetime.now(UTC) - timedelta(minutes=1))  # today: not in the future
    return moment, owed


async def seed(city: tk.City) -> tk.DemoReport:
    """Create the city's PBB-P2 demo data (inside its scope), once."""
    report = tk.DemoReport()
    spec = CITIES.get(city.slug)
    if spec is None or await TaxObject.count() > 0:
        return report
    rng = random.Random(f"pajak-pbb-{city.slug}")  # noqa: S311 (demo data, not secrets)
    now = datetime.now(UTC)
    today = now.astimezone(city.tz).date()
    objects = _objects(rng, spec, city.slug)

    # Taxpayers: most own one object, some two to four.
    taxpayers: list[tuple] = []
    owner_of: list[int] = []
    index = 0
    while index < len(objects):
        owned = 1 if rng.random() < 0.85 else rng.randint(2, 4)
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        district_code = objects[index]["nop"][4:7]
        nik = _nik(rng, spec["nik_region"], district_code, len(taxpayers) + 1)
        taxpayers.append(
            (city.slug, name, nik, f"{rng.choice(STREETS)} No. {rng.randint(1, 150)}", now)
        )
        owner_of.extend([len(taxpayers) - 1] * owned)
        index += owned
    await insert_rows(Taxpayer, ("city", "name", "nik", "address", "created_at"), taxpayers)
    by_nik = {r["nik"]: r["id"] for r in await Taxpayer.select(Taxpayer.id, Taxpayer.nik)}
    taxpayer_ids = [by_nik[t[2]] for t in taxpayers]
    names = [t[1] for t in taxpayers]
    for obj, owner in zip(objects, owner_of, strict=False):
        obj["taxpayer"] = taxpayer_ids[owner]
        obj["taxpayer_name"] = names[owner]
    await insert_rows(
        TaxObject,
        OBJECT_COLUMNS,
        [(city.slug, *(o[c] for c in OBJECT_COLUMNS[1:-1]), now) for o in objects],
    )
    ids = {r["nop"]: r["id"] for r in await TaxObject.select(TaxObject.id, TaxObject.nop)}
    for obj in objects:
        obj["id"] = ids[obj["nop"]]
    report.summary.append(f"pajak: {len(objects)} tax objects of {len(taxpayers)} taxpayers")

    active = [o for o in objects if o["is_active"]]
    holders = njoptkp_holders((o["nop"], o["taxpayer"], njop_of(o)[2]) for o in active)
    settings = pbb_settings(city)
    bills: list[tuple] = []
    runs: list[tuple] = []
    overdue = 0
    for year in YEARS:
        try:
            rule = settings.rule_for(year)
        except NoRuleError:
            continue
        issued = date(year, 1, 2)
        for obj in active:
            row = list(bill_row(obj, rule, year, issued, obj["nop"] in holders, now, city.slug))
            bill = dict(zip(BILL_COLUMNS, row, strict=True))
            paid = _paid(rng, bill, city, today)
            if paid is not None:
                bill["status"] = "paid"
                bill["paid_at"], bill["owed"] = paid
                bill["paid_principal"], bill["paid_penalty"] = paid[1].principal, paid[1].penalty
            elif bill["due_date"] < today:
                overdue += 1
            bills.append(bill)
        runs.append(
            (
                city.slug,
                year,
                "done",
                len(active),
                len(active),
                len(active),
                0,
                active[-1]["nop"],
                now,
                now,
            )
        )
    columns = (*BILL_COLUMNS, "paid_at")
    await insert_rows(Sppt, columns, [tuple(b.get(c) for c in columns) for b in bills])
    await insert_rows(
        AssessmentRun,
        (
            "city",
            "year",
            "status",
            "total",
            "done",
            "created",
            "kept",
            "last_nop",
            "started_at",
            "finished_at",
        ),
        runs,
    )
    if bills:
        report.summary.append(
            f"pajak: {len(bills)} PBB-P2 bills {YEARS.start}–{YEARS.stop - 1}, {overdue} overdue"
        )
        ledger = await demo_payments.seed(
            city, bills, [nop for nop, _ in FIRST_OBJECTS.get(city.slug, [])], today, rng
        )
        report.accounts.extend(ledger.accounts)
        report.summary.extend(ledger.summary)
        report.summary.append(await _notices_to_sign(city, max(b["year"] for b in bills)))
    return report


async def _notices_to_sign(city: tk.City, year: int) -> str:
    """SPPT notices of ``year`` awaiting the head of Bapenda's signature.

    Those of the NOPs linked to the demo citizen (who then finds them among
    their documents), or the first three when none is linked.
    """
    linked = sorted({row["nop"] for row in await NopLink.select(NopLink.nop)})
    if linked:
        issued = await issue_notices(city, year=year, nops=linked)
    else:
        issued = await issue_notices(city, year=year, limit=3)
    return f"pajak: {issued} SPPT notices of {year} awaiting pajak.head's signature"
