"""The market's cards on the mayor's dashboard.

Purchases are read from the daily metrics the order code keeps (placed
orders and their goods' value, in total, by ASN buyers, per department and
per product category; see :mod:`balai_umkm_market.orders.service`), so the page
costs the same whatever the number of orders. Merchants and ratings come
from the merchants table (one row per business, a few hundred per city).
"""

from __future__ import annotations

from typing import Any

from balai import toolkit as tk
from piccolo.query.functions.aggregate import Sum

from balai_umkm_market.labels import product_categories
from balai_umkm_market.orders.service import (
    METRIC_ASN_SALES,
    METRIC_CATEGORY_SALES,
    METRIC_DEPARTMENT_SALES,
    METRIC_ORDERS,
    METRIC_SALES,
    department_slug,
)
from balai_umkm_market.orders.states import OPEN
from balai_umkm_market.settings import settings_of
from balai_umkm_market.tables import AsnProfile, Merchant, MerchantStatus, Order

ECONOMY = tk.Dimension.ECONOMY
TOP_ROWS = 10


def share(part: int, whole: int) -> float:
    """``part`` as a percentage of ``whole``, one decimal (0 when there is no whole)."""
    return round(part * 100.0 / whole, 1) if whole else 0.0


async def active_merchants() -> int:
    """Verified merchants of the city (the ones buyers see)."""
    return await Merchant.count().where(Merchant.status == MerchantStatus.VERIFIED.value)


async def open_orders() -> int:
    """Orders not completed or cancelled yet, now (read through the status index)."""
    return await Order.count().where(Order.status.is_in([s.value for s in OPEN]))


async def average_rating() -> float | None:
    """The average review rating over the city's verified merchants (``None`` without reviews)."""
    row = await (
        Merchant.select(
            Sum(Merchant.rating_sum, alias="total"), Sum(Merchant.rating_count, alias="count")
        )
        .where(Merchant.status == MerchantStatus.VERIFIED.value)
        .first()
    )
    count = int((row or {}).get("count") or 0)
    return round(int(row["total"] or 0) / count, 2) if count else None


async def departments() -> dict[str, str]:
    """Department metric slug -> name: the city's list and the departments ASN typed."""
    names = list(settings_of(tk.current_city()).asn_departments)
    typed = await AsnProfile.select(AsnProfile.department).distinct()
    names += [r["department"] for r in typed if r["department"]]
    return {department_slug(name): name for name in names}


async def department_rows(period: tk.Period, all_sales: int) -> list[tuple[Any, ...]]:
    """(department, ASN purchases, share of all purchases %) for the period, largest first."""
    rows = []
    for slug, name in (await departments()).items():
        amount = await tk.metric_total(METRIC_DEPARTMENT_SALES + slug, period)
        if amount:
            rows.append((name, amount, share(amount, all_sales)))
    rows.sort(key=lambda r: (-r[1], r[0]))
    return rows[:TOP_ROWS]


async def category_rows(period: tk.Period, all_sales: int) -> list[tuple[Any, ...]]:
    """(category, purchases, share %) for the period, largest first, categories with sales only."""
    rows = []
    for code, label in product_categories().items():
        amount = await tk.metric_total(METRIC_CATEGORY_SALES + code, period)
        if amount:
            rows.append((label, amount, share(amount, all_sales)))
    rows.sort(key=lambda r: (-r[1], r[0]))
    return rows[:TOP_ROWS]


async def market_widgets(period: tk.Period) -> list[tk.Widget]:
    """Every card of the market for ``period`` (with the period before for trends)."""
    before = period.previous()
    orders = await tk.metric_total(METRIC_ORDERS, period)
    sales = await tk.metric_total(METRIC_SALES, period)
    asn_sales = await tk.metric_total(METRIC_ASN_SALES, period)
    rating = await average_rating()
    return [
        tk.Widget.gauge(
            "umkm_market.active_merchants",
            ECONOMY,
            "Active verified local businesses",
            await active_merchants(),
            note="Businesses Diskopindag has verified, shown in the market now.",
            order=10,
        ),
        tk.Widget.gauge(
            "umkm_market.open_orders",
            ECONOMY,
            "Open orders",
            await open_orders(),
            note="Orders waiting for payment, confirmation, delivery or pickup.",
            order=11,
        ),
        tk.Widget.figure(
            "umkm_market.orders",
            ECONOMY,
            "Orders from local businesses",
            orders,
            previous=await tk.metric_total(METRIC_ORDERS, before),
            note="Orders placed (cash on delivery, or paid), cancellations taken off.",
            order=11,
        ),
        tk.Widget.figure(
            "umkm_market.sales",
            ECONOMY,
            "Purchases from local businesses",
            sales,
            previous=await tk.metric_total(METRIC_SALES, before),
            unit="rupiah",
            note="Value of the goods ordered, without delivery.",
            order=12,
        ),
        tk.Widget.chart(
            "umkm_market.sales_chart",
            ECONOMY,
            "Purchases from local businesses over time",
            await tk.metric_series(METRIC_SALES, period),
            unit="rupiah",
            order=13,
        ),
        tk.Widget.figure(
            "umkm_market.asn_share",
            ECONOMY,
            "ASN share of purchases (Beli produk lokal)",
            share(asn_sales, sales),
            previous=share(
                await tk.metric_total(METRIC_ASN_SALES, before),
                await tk.metric_total(METRIC_SALES, before),
            ),
            unit="percent",
            note="Purchases by civil servants who marked their account with their NIP.",
            order=14,
        ),
        tk.Widget.table(
            "umkm_market.asn_departments",
            ECONOMY,
            "ASN purchases per department",
            ("Department", "Purchases (Rp)", "Share of all purchases (percent)"),
            await department_rows(period, sales),
            note="Civil servants' purchases by their department (OPD).",
            order=15,
        ),
        tk.Widget.table(
            "umkm_market.top_categories",
            ECONOMY,
            "Top product categories",
            ("Category", "Purchases (Rp)", "Share of all purchases (percent)"),
            await category_rows(period, sales),
            order=16,
        ),
        tk.Widget.figure(
            "umkm_market.average_rating",
            ECONOMY,
            "Average rating of local businesses",
            rating if rating is not None else 0,
            note="Buyers' reviews, 1 to 5, over all verified businesses.",
            order=17,
        ),
    ]
