"""Demo tickets: products for the demo sites, slots for two weeks, sales and admissions.

Prices are examples, **not verified** against any regulation: each product
says so in its price note. Sales go through the real purchase code: online
sales by the demo citizen (paid, recorded in the ledger as the demo's past
payments), counter sales for cash, one slot sold out, and today's first
visitors admitted at the gate.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from balai import toolkit as tk

from balai_wisata_heritage.sites.tables import Site
from balai_wisata_heritage.tickets import gate, purchase, setup
from balai_wisata_heritage.tickets.rules import SLUG, Category, Channel
from balai_wisata_heritage.tickets.tables import TicketOrder, TicketProduct

UNVERIFIED = (
    "Harga dan biaya pembatalan contoh, belum diverifikasi"
    " (unverified demo prices and cancellation fee)."
)
DAYS = 14
SLOT_TIMES = (time(9, 0), time(13, 0))
SLOT_HOURS = 2

# city → (site name, product title, prices)
DEMO_PRODUCTS: dict[str, list[tuple[str, str, dict[Category, int]]]] = {
    "malang": [
        (
            "Museum Mpu Purwa",
            "Tiket masuk Museum Mpu Purwa",
            {
                Category.ADULT: 5000,
                Category.CHILD: 3000,
                Category.STUDENT: 3000,
                Category.FOREIGN: 20000,
                Category.RESIDENT: 2000,
            },
        ),
        (
            "Balai Kota dan Alun-Alun Tugu",
            "Tur berpemandu Balai Kota Malang",
            {Category.ADULT: 15000, Category.CHILD: 7500, Category.FOREIGN: 50000},
        ),
    ],
    "yogyakarta": [
        (
            "Taman Sari",
            "Tiket masuk Taman Sari",
            {Category.ADULT: 15000, Category.CHILD: 7500, Category.FOREIGN: 25000},
        ),
    ],
}


async def _slots(product_id: int, city: tk.City, now: datetime) -> list[int]:
    today = now.astimezone(city.tz).date()
    made = []
    soon = (now + timedelta(minutes=20)).replace(second=0, microsecond=0)
    made.append(  # today's walk-in slot, starting shortly: its visitors are admitted below
        await setup.add_slot(
            product_id,
            soon,
            soon + timedelta(hours=SLOT_HOURS),
            {Channel.ONLINE: 30, Channel.COUNTER: 10},
        )
    )
    for offset in range(1, DAYS + 1):
        for start in SLOT_TIMES:
            begins = datetime.combine(today + timedelta(days=offset), start, city.tz)
            small = offset == 1 and start == SLOT_TIMES[0]  # tomorrow morning: to sell out
            made.append(
                await setup.add_slot(
                    product_id,
                    begins.astimezone(UTC),
                    (begins + timedelta(hours=SLOT_HOURS)).astimezone(UTC),
                    {Channel.ONLINE: 4, Channel.COUNTER: 2}
                    if small
                    else {Channel.ONLINE: 40, Channel.COUNTER: 10, Channel.PARTNER: 10},
                )
            )
    return made


async def _sell_online(
    product_id: int, slot_id: int, buyer: tk.DemoUser, name: str, wanted: dict
) -> str:
    form = {"slot": str(slot_id), **{f"qty_{c}": str(n) for c, n in wanted.items()}}
    bought = await purchase.buy(
        product_id,
        form,
        channel=Channel.ONLINE,
        buyer_id=buyer.id,
        buyer_name=name,
        prepaid=True,
    )
    order = await TicketOrder.select().where(TicketOrder.number == bought.order_number).first()
    seeded = await tk.seed_paid_invoices(
        [
            tk.DemoPayment(
                payer_id=buyer.id,
                payer_name=name,
                items=[tk.InvoiceItem(f"Tiket {bought.order_number}", order["total"])],
                source=SLUG,
                source_ref=purchase.SOURCE_PREFIX + bought.order_number,
                channel="qris",
                paid_at=datetime.now(UTC) - timedelta(minutes=5),
            )
        ]
    )
    await TicketOrder.update({TicketOrder.invoice_number: seeded[0].invoice_number}).where(
        TicketOrder.id == order["id"]
    )
    return bought.order_number


async def seed(city: tk.City) -> tk.DemoReport:
    """Create the demo tickets of ``city`` (inside its scope), once, after its sites."""
    report = tk.DemoReport()
    wanted = DEMO_PRODUCTS.get(city.slug, [])
    if not wanted or await TicketProduct.count() > 0:
        return report
    names = {row["name"]: row["id"] for row in await Site.select(Site.id, Site.name)}
    citizen_name = f"Warga {city.name}"
    citizen = await tk.demo_user(f"warga@{city.slug}.test", citizen_name)
    officer = await tk.demo_user(
        f"wisata_heritage.gate_officer@{city.slug}.test",
        "Petugas gerbang",
        role="wisata_heritage.gate_officer",
    )
    now = datetime.now(UTC)
    products = admitted = sold = 0
    for site_name, title, prices in wanted:
        if site_name not in names:
            continue
        product_id = await setup.add_product(
            title,
            site_id=names[site_name],
            prices=prices,
            per_order_max=10,
            cancel_hours=24,
            cancel_fee=2000,
            price_note=UNVERIFIED,
        )
        products += 1
        today, tomorrow, *_ = await _slots(product_id, city, now)
        await _sell_online(product_id, today, citizen, citizen_name, {"adult": 2})
        counter = await purchase.buy(
            product_id,
            {"slot": str(today), "qty_adult": "3", "qty_child": "2"},
            channel=Channel.COUNTER,
            buyer_id=None,
            buyer_name="Rombongan sekolah",
            sold_by=officer.id,
        )
        sold += 7
        for code in counter.ticket_codes[:3]:
            answer = await gate.check(code, "1", officer.id, now=now + timedelta(minutes=20))
            admitted += answer.admitted
        await _sell_online(product_id, tomorrow, citizen, citizen_name, {"adult": 2, "child": 2})
        await purchase.buy(
            product_id,
            {"slot": str(tomorrow), "qty_adult": "2"},
            channel=Channel.COUNTER,
            buyer_id=None,
            buyer_name="Pengunjung loket",
            sold_by=officer.id,
        )
        sold += 6
    if products:
        report.summary.append(
            f"wisata_heritage: {products} ticket products, {sold} tickets sold, "
            f"{admitted} visitors admitted; tomorrow 09:00 sold out; prices unverified"
        )
    return report
