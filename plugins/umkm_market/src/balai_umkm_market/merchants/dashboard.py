"""The figures of one merchant's dashboard: sales per day, top products, rating.

Read from the merchant's completed orders of the last :data:`DAYS` days (a
merchant's own rows, so a scan of them stays small); days are the city's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from balai import toolkit as tk

from balai_umkm_market.catalogue.pages import rating_text
from balai_umkm_market.tables import Order, OrderStatus

DAYS = 30
TOP = 5
CHART_WIDTH = 600
CHART_HEIGHT = 160

_TOP_PRODUCTS = (
    "SELECT oi.product AS product, MAX(oi.product_name) AS name, "
    "SUM(oi.quantity) AS quantity, SUM(oi.line_total) AS revenue "
    'FROM umkm_market_order_item oi JOIN umkm_market_order o ON o.id = oi."order" '
    "WHERE oi.city = {} AND o.city = {} AND o.merchant = {} AND o.status = {} "
    "GROUP BY oi.product ORDER BY quantity DESC, revenue DESC LIMIT {}"
)


@dataclass(frozen=True)
class DayBar:
    """One day of the sales chart, with its bar's geometry in the SVG."""

    day: date
    sales: int
    orders: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Dashboard:
    """What the merchant's dashboard shows."""

    days: list[DayBar]
    total_sales: int
    total_orders: int
    top_products: list[dict[str, Any]]
    rating: str  # the average in the visitor's notation (``4,5``), '' without reviews
    rating_count: int
    chart_width: int = CHART_WIDTH
    chart_height: int = CHART_HEIGHT


def local_day(moment: datetime, city: tk.City) -> date:
    """The city's date of a stored UTC time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(city.tz).date()


def bars(per_day: dict[date, tuple[int, int]], first: date, count: int) -> list[DayBar]:
    """One bar per day from ``first``, scaled so the best day fills the chart's height."""
    top = max((sales for sales, _ in per_day.values()), default=0) or 1
    width = CHART_WIDTH / count
    out: list[DayBar] = []
    for i in range(count):
        day = first + timedelta(days=i)
        sales, orders = per_day.get(day, (0, 0))
        height = round(sales * (CHART_HEIGHT - 10) / top, 1)
        out.append(
            DayBar(
                day=day,
                sales=sales,
                orders=orders,
                x=round(i * width + 1, 1),
                y=round(CHART_HEIGHT - height, 1),
                width=round(max(width - 2, 1), 1),
                height=height,
            )
        )
    return out


async def figures(merchant: dict[str, Any], now: datetime | None = None) -> Dashboard:
    """The dashboard of ``merchant`` (a row) for the last :data:`DAYS` days up to today."""
    city = tk.current_city()
    now = now or datetime.now(UTC)
    today = local_day(now, city)
    first = today - timedelta(days=DAYS - 1)
    since = datetime.combine(first, datetime.min.time(), tzinfo=city.tz).astimezone(UTC)
    rows = await Order.select(Order.total, Order.completed_at).where(
        (Order.merchant == merchant["id"])
        & (Order.status == OrderStatus.COMPLETED.value)
        & (Order.completed_at >= since)
    )
    per_day: dict[date, tuple[int, int]] = {}
    for row in rows:
        day = local_day(row["completed_at"], city)
        sales, orders = per_day.get(day, (0, 0))
        per_day[day] = (sales + int(row["total"]), orders + 1)
    top = await Order.raw(
        _TOP_PRODUCTS,
        city.slug,
        city.slug,
        merchant["id"],
        OrderStatus.COMPLETED.value,
        TOP,
    )
    count = int(merchant.get("rating_count") or 0)
    return Dashboard(
        days=bars(per_day, first, DAYS),
        total_sales=sum(s for s, _ in per_day.values()),
        total_orders=sum(o for _, o in per_day.values()),
        top_products=[
            {"name": r["name"], "quantity": int(r["quantity"]), "revenue": int(r["revenue"])}
            for r in top
        ],
        rating=rating_text(int(merchant.get("rating_sum") or 0), count),
        rating_count=count,
    )
