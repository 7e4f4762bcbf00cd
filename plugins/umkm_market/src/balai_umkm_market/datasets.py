"""The market's open datasets: merchants per district and category, monthly sales per category.

Aggregates only: counts of verified businesses (which are public anyway) and
the goods' value of placed orders per product category and month, read from
the dashboard's daily metrics. No buyer appears in either.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from balai import toolkit as tk
from piccolo.query.functions.aggregate import Count

from balai_umkm_market.orders.service import METRIC_CATEGORY_SALES
from balai_umkm_market.tables import Merchant, MerchantStatus, ProductCategory

MONTHS = 24
PUBLISHER = "Diskopindag"


async def merchants_per_district(city: tk.City) -> list[dict[str, Any]]:
    """Verified merchants counted per district and merchant category."""
    with tk.city_scope(city):
        rows = await (
            Merchant.select(Merchant.district, Merchant.category, Count(alias="merchants"))
            .where(Merchant.status == MerchantStatus.VERIFIED.value)
            .group_by(Merchant.district, Merchant.category)
            .order_by(Merchant.district)
            .order_by(Merchant.category)
        )
    return [
        {"district": r["district"], "category": r["category"], "merchants": int(r["merchants"])}
        for r in rows
    ]


def months_back(today: date, count: int) -> date:
    """The first day of the month ``count - 1`` months before ``today``'s."""
    index = today.year * 12 + today.month - 1 - (count - 1)
    return date(index // 12, index % 12 + 1, 1)


async def monthly_sales_per_category(city: tk.City) -> list[dict[str, Any]]:
    """The goods' value of placed orders per month (last :data:`MONTHS`) and product category."""
    today = datetime.now(UTC).astimezone(city.tz).date()
    period = tk.Period(months_back(today, MONTHS), today, "month", "custom", city.tz)
    out: list[dict[str, Any]] = []
    with tk.city_scope(city):
        for category in ProductCategory:
            series = await tk.metric_series(METRIC_CATEGORY_SALES + category.value, period)
            out += [
                {"month": month, "category": category.value, "sales_rupiah": int(value)}
                for month, value in series
            ]
    out.sort(key=lambda r: (r["month"], r["category"]))
    return out


MERCHANTS_PER_DISTRICT = tk.Dataset(
    slug="umkm-merchants-per-district",
    title="Local businesses per district and category",
    description="How many local businesses (UMKM) verified by Diskopindag sell in the city's "
    "market, per district and category. Counts only; changes as businesses are verified.",
    dimension=tk.Dimension.ECONOMY,
    columns=(
        tk.DatasetColumn("district", "string", "District (kecamatan) of the business."),
        tk.DatasetColumn(
            "category",
            "string",
            "What the business sells: food, craft, fashion, farm or services.",
        ),
        tk.DatasetColumn("merchants", "integer", "Verified businesses."),
    ),
    fetch=merchants_per_district,
    publisher=PUBLISHER,
)

MONTHLY_SALES_PER_CATEGORY = tk.Dataset(
    slug="umkm-monthly-sales-per-category",
    title="Monthly purchases from local businesses per product category",
    description="The value in rupiah of the goods ordered from the city's local businesses each "
    "month (last 24 months), per product category: orders paid cashless or to be paid on "
    "delivery, cancellations taken off, delivery fees left out. Totals only.",
    dimension=tk.Dimension.ECONOMY,
    columns=(
        tk.DatasetColumn("month", "month", "Calendar month (YYYY-MM), in the city's time zone."),
        tk.DatasetColumn(
            "category",
            "string",
            "Product category: sembako, makanan, minuman, kerajinan, fashion, pertanian, "
            "kesehatan or jasa.",
        ),
        tk.DatasetColumn("sales_rupiah", "integer", "Value of the goods ordered, in rupiah."),
    ),
    fetch=monthly_sales_per_category,
    publisher=PUBLISHER,
)

DATASETS = [MERCHANTS_PER_DISTRICT, MONTHLY_SALES_PER_CATEGORY]
