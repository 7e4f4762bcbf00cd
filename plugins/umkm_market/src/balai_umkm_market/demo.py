"""Demo market for the cities of the demo instance: merchants, products, orders and reviews.

Deterministic (a random generator seeded by the city's slug) and quick: the
whole city is planned in memory and written with a few bulk inserts. Malang
gets 73 businesses across its five districts (65 verified, the rest waiting,
rejected or suspended), Semarang and Yogyakarta a dozen each. Orders are
cash on delivery, most of them completed over the last 45 days, some still
open; they are counted in the dashboard's metrics as the order code would.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from balai import toolkit as tk

from balai_umkm_market import demo_photos
from balai_umkm_market.demo_catalog import (
    BUYERS,
    FALLBACK_DEPARTMENTS,
    MALANG_KINDS,
    OWNERS,
    REVIEWS,
    SEMARANG_KINDS,
    STREETS,
    YOGYAKARTA_KINDS,
    ProductSpec,
    ShopKind,
)
from balai_umkm_market.orders.service import (
    METRIC_ASN_ORDERS,
    METRIC_ASN_SALES,
    METRIC_CATEGORY_SALES,
    METRIC_COMPLETED,
    METRIC_DEPARTMENT_SALES,
    METRIC_ORDERS,
    METRIC_SALES,
    department_slug,
)
from balai_umkm_market.orders.states import ORDER_NUMBERS, ORDERS
from balai_umkm_market.settings import settings_of
from balai_umkm_market.tables import (
    Fulfilment,
    Merchant,
    MerchantStatus,
    Order,
    OrderItem,
    OrderStatus,
    PaymentMethod,
    Product,
    Review,
)

ORDER_DAYS = 45
CHUNK = 300

# Opening hours of the shops that publish to delivery partners (as merchants write them).
OPENING_HOURS = (
    "Senin-Sabtu 08.00-20.00",
    "Setiap hari 07.00-21.00",
    "Senin-Jumat 09.00-17.00",
)


@dataclass(frozen=True)
class CityPlan:
    """How many businesses of which kinds a city's demo market has, and its districts."""

    kinds: tuple[ShopKind, ...]
    verified: int
    pending: int
    rejected: int
    suspended: int
    districts: tuple[str, ...]


PLANS = {
    "malang": CityPlan(
        MALANG_KINDS, 65, 5, 2, 1, ("Klojen", "Blimbing", "Kedungkandang", "Lowokwaru", "Sukun")
    ),
    "semarang": CityPlan(
        SEMARANG_KINDS, 10, 2, 0, 0, ("Semarang Tengah", "Pedurungan", "Tembalang", "Banyumanik")
    ),
    "yogyakarta": CityPlan(
        YOGYAKARTA_KINDS, 10, 2, 0, 0, ("Kraton", "Kotagede", "Ngampilan", "Gondokusuman")
    ),
}


@dataclass
class PlannedProduct:
    """A product before it has an id."""

    name: str
    category: str
    price: int
    unit: str
    stock: int
    is_active: bool
    rating_sum: int = 0
    rating_count: int = 0
    sold_count: int = 0


@dataclass
class PlannedMerchant:
    """A merchant and its products before they have ids."""

    row: dict[str, Any]
    products: list[PlannedProduct] = field(default_factory=list)


@dataclass
class PlannedOrder:
    """An order with its lines ``(product index, quantity)``, events and reviews."""

    merchant: int
    row: dict[str, Any]
    lines: list[tuple[int, int]]
    events: list[tuple[str, datetime]]
    reviews: dict[int, tuple[int, str, str]] = field(default_factory=dict)


def chunks(rows: list[Any]) -> Iterable[list[Any]]:
    """``rows`` in slices of :data:`CHUNK` (one bulk insert each)."""
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def local_day(moment: datetime, city: tk.City) -> date:
    """The city's date of a UTC time."""
    return moment.astimezone(city.tz).date()


class Planner:
    """Plans one city's demo market in memory from a seeded random generator."""

    def __init__(self, city: tk.City, plan: CityPlan, now: datetime) -> None:
        self.city = city
        self.plan = plan
        self.now = now
        self.rng = random.Random(f"balai-umkm-demo-{city.slug}")  # noqa: S311 (demo data, on purpose repeatable)
        self.districts = settings_of(city).districts or plan.districts
        self.departments = settings_of(city).asn_departments or FALLBACK_DEPARTMENTS
        self.merchants: list[PlannedMerchant] = []
        self.orders: list[PlannedOrder] = []
        self.numbers: set[str] = set()

    def statuses(self) -> list[str]:
        """The status of each planned merchant, verified ones first."""
        plan = self.plan
        return (
            [MerchantStatus.VERIFIED.value] * plan.verified
            + [MerchantStatus.PENDING.value] * plan.pending
            + [MerchantStatus.REJECTED.value] * plan.rejected
            + [MerchantStatus.SUSPENDED.value] * plan.suspended
        )

    def plan_merchants(self) -> None:
        """Plan the merchants, spread over the districts and kinds, with their products."""
        rng, taken = self.rng, set()
        for index, status in enumerate(self.statuses()):
            kind = self.plan.kinds[index % len(self.plan.kinds)]
            full_name, nickname = OWNERS[(index * 7) % len(OWNERS)]
            district = self.districts[index % len(self.districts)]
            name = kind.pattern.format(owner=nickname)
            if name in taken:
                name = f"{name} {district}"
            if name in taken:
                name = f"{name} {index}"
            taken.add(name)
            created = self.now - timedelta(days=400 - index * 5, hours=rng.randint(0, 9))
            if status == MerchantStatus.PENDING.value:
                created = self.now - timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 9))
            offers_delivery = rng.random() < 0.8
            # Every other verified shop offers its products to the city's delivery partners.
            publishes = status == MerchantStatus.VERIFIED.value and index % 2 == 0
            row = {
                "name": name,
                "owner_name": full_name,
                "nib": f"91{rng.randrange(10**10, 10**11)}",
                "phone": f"08{rng.randrange(10**9, 10**10)}",
                "address": f"{rng.choice(STREETS)} No. {rng.randint(1, 120)}, {district}",
                "district": district,
                "category": kind.category.value,
                "description": kind.description,
                "status": status,
                "rejection_reason": self.reason(status),
                "verified_at": created + timedelta(days=3)
                if status in (MerchantStatus.VERIFIED.value, MerchantStatus.SUSPENDED.value)
                else None,
                "delivery_fee": rng.choice((0, 5_000, 8_000, 10_000, 12_000, 15_000))
                if offers_delivery
                else 0,
                "offers_delivery": offers_delivery,
                "offers_pickup": (not offers_delivery) or rng.random() < 0.7,
                "created_at": created,
                "partner_feed": publishes,
                "opening_hours": OPENING_HOURS[index % len(OPENING_HOURS)] if publishes else "",
                "partner_feed_changed_at": created + timedelta(days=5) if publishes else None,
            }
            merchant = PlannedMerchant(row)
            count = rng.randint(min(3, len(kind.products)), min(6, len(kind.products)))
            for spec in rng.sample(kind.products, count):
                merchant.products.append(self.product(spec))
            self.merchants.append(merchant)

    @staticmethod
    def reason(status: str) -> str:
        """The officer's reason kept with a rejected or suspended merchant."""
        if status == MerchantStatus.REJECTED.value:
            return "NIB tidak ditemukan di OSS atas nama pemohon."
        if status == MerchantStatus.SUSPENDED.value:
            return "Beberapa pesanan tidak dikirim tanpa kabar kepada pembeli."
        return ""

    def product(self, spec: ProductSpec) -> PlannedProduct:
        """A shop's product: the catalogue's price varied a little, some stock."""
        name, category, price, unit = spec
        varied = max(500, round(price * self.rng.uniform(0.92, 1.1) / 500) * 500)
        return PlannedProduct(
            name=name,
            category=category,
            price=varied,
            unit=unit,
            stock=self.rng.randint(8, 150),
            is_active=self.rng.random() < 0.95,
        )

    def plan_orders(self) -> None:
        """Plan two to six orders for every verified merchant."""
        rng = self.rng
        for index, merchant in enumerate(self.merchants):
            if merchant.row["status"] != MerchantStatus.VERIFIED.value:
                continue
            on_sale = [i for i, p in enumerate(merchant.products) if p.is_active]
            for _ in range(rng.randint(2, 6)):
                self.orders.append(self.order(index, merchant, on_sale))

    def order(self, index: int, merchant: PlannedMerchant, on_sale: list[int]) -> PlannedOrder:
        """One cash-on-delivery order of the last days: completed (maybe reviewed) or still open."""
        rng, row = self.rng, merchant.row
        placed = self.now - timedelta(days=rng.randint(0, ORDER_DAYS - 1), hours=rng.randint(1, 12))
        lines = []
        for product in rng.sample(on_sale, min(len(on_sale), rng.randint(1, 3))):
            planned = merchant.products[product]
            quantity = min(rng.randint(1, 4), planned.stock)
            lines.append((product, quantity))
        subtotal = sum(merchant.products[p].price * q for p, q in lines)
        delivery = row["offers_delivery"] and (not row["offers_pickup"] or rng.random() < 0.7)
        fee = row["delivery_fee"] if delivery else 0
        is_asn = rng.random() < 0.35
        open_order = self.now - placed < timedelta(days=2) and rng.random() < 0.5
        status = rng.choice(("new", "confirmed")) if open_order else OrderStatus.COMPLETED.value
        done = min(placed + timedelta(hours=rng.randint(3, 30)), self.now)
        moving = OrderStatus.DELIVERING.value if delivery else OrderStatus.READY_FOR_PICKUP.value
        # every step at most at its end (done, or now for an open order): none in the future
        last = done if status == OrderStatus.COMPLETED.value else self.now
        events = [(OrderStatus.NEW.value, placed)]
        if status != OrderStatus.NEW.value:
            events.append((OrderStatus.CONFIRMED.value, min(placed + timedelta(minutes=40), last)))
        if status == OrderStatus.COMPLETED.value:
            events += [(moving, min(placed + timedelta(minutes=90), done)), (status, done)]
        buyer = rng.choice(BUYERS)
        number = self.order_number(placed)
        order = PlannedOrder(
            merchant=index,
            row={
                "number": number,
                "checkout_ref": f"{rng.getrandbits(96):024x}",
                "buyer_name": buyer,
                "buyer_phone": f"08{rng.randrange(10**9, 10**10)}",
                "status": status,
                "fulfilment": (Fulfilment.DELIVERY if delivery else Fulfilment.PICKUP).value,
                "address": f"{rng.choice(STREETS)} No. {rng.randint(1, 200)}" if delivery else "",
                "delivery_fee": fee,
                "subtotal": subtotal,
                "total": subtotal + fee,
                "payment_method": PaymentMethod.COD.value,
                "buyer_is_asn": is_asn,
                "buyer_department": rng.choice(self.departments) if is_asn else "",
                "created_at": placed,
                "updated_at": events[-1][1],
                "completed_at": done if status == OrderStatus.COMPLETED.value else None,
            },
            lines=lines,
            events=events,
        )
        for product, quantity in lines:
            planned = merchant.products[product]
            if status == OrderStatus.COMPLETED.value:
                planned.sold_count += quantity
                if rng.random() < 0.55:
                    order.reviews[product] = self.review(planned)
            else:
                planned.stock -= quantity  # reserved by the open order
        return order

    def order_number(self, placed: datetime) -> str:
        """A new order number in the checkout's format, drawn from the seeded generator."""
        while True:
            number = ORDER_NUMBERS.from_bits(self.rng.getrandbits(40), placed)
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def review(self, product: PlannedProduct) -> tuple[int, str, str]:
        """A buyer's rating, text and perhaps the merchant's reply; counted in the product."""
        rating = self.rng.choices((5, 4, 3, 2, 1), weights=(50, 30, 12, 5, 3))[0]
        product.rating_sum += rating
        product.rating_count += 1
        reply = "Terima kasih, ditunggu pesanan berikutnya." if self.rng.random() < 0.2 else ""
        return rating, self.rng.choice(REVIEWS[rating]), reply


def metrics_of(planner: Planner) -> dict[tuple[str, date], int]:
    """The dashboard metrics the planned orders add up to, per metric and city-local day."""
    totals: dict[tuple[str, date], int] = defaultdict(int)
    for order in planner.orders:
        row, merchant = order.row, planner.merchants[order.merchant]
        day = local_day(row["created_at"], planner.city)
        totals[(METRIC_ORDERS, day)] += 1
        totals[(METRIC_SALES, day)] += row["subtotal"]
        if row["buyer_is_asn"]:
            totals[(METRIC_ASN_ORDERS, day)] += 1
            totals[(METRIC_ASN_SALES, day)] += row["subtotal"]
            slug = department_slug(row["buyer_department"])
            totals[(METRIC_DEPARTMENT_SALES + slug, day)] += row["subtotal"]
        for product, quantity in order.lines:
            planned = merchant.products[product]
            totals[(METRIC_CATEGORY_SALES + planned.category, day)] += planned.price * quantity
        if row["completed_at"] is not None:
            totals[(METRIC_COMPLETED, local_day(row["completed_at"], planner.city))] += 1
    return totals


async def write(planner: Planner) -> tuple[int, int, int, int]:
    """Insert the planned city; returns (merchants, products, orders, reviews) written."""
    for part in chunks(planner.merchants):
        merchant_rows = []
        for m in part:
            ratings = [p for p in m.products if p.rating_count]
            merchant_rows.append(
                Merchant(
                    **m.row,
                    rating_sum=sum(p.rating_sum for p in ratings),
                    rating_count=sum(p.rating_count for p in ratings),
                )
            )
        await Merchant.insert(*merchant_rows)
    merchant_ids = {r["name"]: r["id"] for r in await Merchant.select(Merchant.id, Merchant.name)}
    product_rows = [
        Product(
            merchant=merchant_ids[m.row["name"]],
            created_at=m.row["created_at"] + timedelta(days=4),
            updated_at=m.row["created_at"] + timedelta(days=4),
            description="",
            **vars(p),
        )
        for m in planner.merchants
        for p in m.products
    ]
    for part in chunks(product_rows):
        await Product.insert(*part)
    product_ids = {
        (r["merchant"], r["name"]): r["id"]
        for r in await Product.select(Product.id, Product.merchant, Product.name)
    }
    shown = [m for m in planner.merchants if m.row["status"] == MerchantStatus.VERIFIED.value]
    await demo_photos.photograph(
        [
            (product_ids[(merchant_ids[m.row["name"]], first.name)], first.name, first.category)
            for m in shown[: demo_photos.PHOTOGRAPHED_MERCHANTS]
            for first in [p for p in m.products if p.is_active][:1]
        ]
    )

    def product_id(order: PlannedOrder, index: int) -> int:
        merchant = planner.merchants[order.merchant]
        return product_ids[(merchant_ids[merchant.row["name"]], merchant.products[index].name)]

    for part in chunks(planner.orders):
        await Order.insert(
            *(
                Order(merchant=merchant_ids[planner.merchants[o.merchant].row["name"]], **o.row)
                for o in part
            )
        )
    order_ids = {r["number"]: r["id"] for r in await Order.select(Order.id, Order.number)}
    items, events = [], []
    for order in planner.orders:
        merchant = planner.merchants[order.merchant]
        order_id = order_ids[order.row["number"]]
        for index, quantity in order.lines:
            product = merchant.products[index]
            items.append(
                OrderItem(
                    order=order_id,
                    product=product_id(order, index),
                    product_name=product.name,
                    unit_price=product.price,
                    quantity=quantity,
                    line_total=product.price * quantity,
                )
            )
        events += [
            {"record_id": order_id, "to_state": status, "transition": "demo", "at": when}
            for status, when in order.events
        ]
    for part in chunks(items):
        await OrderItem.insert(*part)
    await ORDERS.record_steps(events)
    item_ids = {
        (r["order"], r["product"]): r["id"]
        for r in await OrderItem.select(OrderItem.id, OrderItem.order, OrderItem.product)
    }
    reviews = []
    for order in planner.orders:
        order_id = order_ids[order.row["number"]]
        merchant_id = merchant_ids[planner.merchants[order.merchant].row["name"]]
        for index, (rating, text, reply) in order.reviews.items():
            # a day after the handover, a reply five hours later; never after now
            when = min(order.row["completed_at"] + timedelta(days=1), planner.now)
            reviews.append(
                Review(
                    order_item=item_ids[(order_id, product_id(order, index))],
                    order=order_id,
                    product=product_id(order, index),
                    merchant=merchant_id,
                    buyer_name=order.row["buyer_name"],
                    rating=rating,
                    text=text,
                    reply=reply,
                    replied_at=min(when + timedelta(hours=5), planner.now) if reply else None,
                    created_at=when,
                )
            )
    for part in chunks(reviews):
        await Review.insert(*part)
    for (metric, day), amount in sorted(metrics_of(planner).items()):
        await tk.bump_metric(metric, amount, day=day)
    return len(planner.merchants), len(product_rows), len(planner.orders), len(reviews)


async def seed(city: tk.City, now: datetime | None = None) -> tk.DemoReport:
    """Create the demo market of ``city`` (inside its scope), once."""
    report = tk.DemoReport()
    plan = PLANS.get(city.slug)
    if plan is None or await Merchant.count() > 0:
        return report
    planner = Planner(city, plan, (now or datetime.now(UTC)).replace(microsecond=0))
    planner.plan_merchants()
    planner.plan_orders()
    merchants, products, orders, reviews = await write(planner)
    report.summary.append(
        f"umkm_market: {merchants} merchants, {products} products, "
        f"{orders} orders, {reviews} reviews"
    )
    return report
