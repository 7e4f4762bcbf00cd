"""Open datasets: monthly revenue per tax type, and per district (aggregated only).

Read from the monthly summary, never from bills. A district's row for a
month and tax type with fewer than :data:`MIN_PAYMENTS` payments is left out,
so that no single taxpayer's payment can be read off the data.
"""

from __future__ import annotations

from balai import toolkit as tk
from piccolo.query.functions.aggregate import Sum

from balai_pajak.revenue.tables import RevenueMonth

MIN_PAYMENTS = 3
PUBLISHER = "Bapenda"


async def monthly_revenue(city: tk.City) -> list[dict]:
    """Rupiah and payments per month and tax type."""
    rows = await (
        RevenueMonth.select(
            RevenueMonth.year,
            RevenueMonth.month,
            RevenueMonth.tax_type,
            Sum(RevenueMonth.amount, alias="amount"),
            Sum(RevenueMonth.payments, alias="payments"),
        )
        .group_by(RevenueMonth.year, RevenueMonth.month, RevenueMonth.tax_type)
        .order_by(RevenueMonth.year)
        .order_by(RevenueMonth.month)
        .order_by(RevenueMonth.tax_type)
    )
    return [
        {
            "month": f"{r['year']:04d}-{r['month']:02d}",
            "tax_type": r["tax_type"],
            "revenue_rupiah": int(r["amount"] or 0),
            "payments": int(r["payments"] or 0),
        }
        for r in rows
    ]


async def district_revenue(city: tk.City) -> list[dict]:
    """Rupiah and payments per month, tax type and district; small groups left out."""
    rows = await (
        RevenueMonth.select()
        .where(RevenueMonth.payments >= MIN_PAYMENTS)
        .order_by(RevenueMonth.year)
        .order_by(RevenueMonth.month)
        .order_by(RevenueMonth.tax_type)
        .order_by(RevenueMonth.district)
    )
    return [
        {
            "month": f"{r['year']:04d}-{r['month']:02d}",
            "tax_type": r["tax_type"],
            "district": r["district"] or "-",
            "revenue_rupiah": int(r["amount"]),
            "payments": int(r["payments"]),
        }
        for r in rows
    ]


_MONTH = tk.DatasetColumn("month", "month", "Calendar month (YYYY-MM), in the city's time zone.")
_TYPE = tk.DatasetColumn(
    "tax_type",
    "string",
    "Tax type: pbb (land and building), pbjt (self-assessed), retribusi (market fees).",
)
_AMOUNT = tk.DatasetColumn(
    "revenue_rupiah", "integer", "Rupiah received in the month, net of refunds."
)
_PAYMENTS = tk.DatasetColumn(
    "payments", "integer", "Payments received in the month, net of refunds."
)

DATASETS = (
    tk.Dataset(
        slug="pajak-revenue-monthly",
        title="Local tax revenue per month",
        description="Rupiah received each month per tax type (PBB-P2, PBJT, market fees), "
        "online and in cash. Totals only; updated with every payment.",
        dimension=tk.Dimension.GOVERNANCE,
        columns=(_MONTH, _TYPE, _AMOUNT, _PAYMENTS),
        fetch=monthly_revenue,
        publisher=PUBLISHER,
    ),
    tk.Dataset(
        slug="pajak-revenue-district",
        title="Local tax revenue per month and district",
        description="Rupiah received each month per tax type and district (kecamatan). "
        "A district with fewer than three payments in a month is left out.",
        dimension=tk.Dimension.GOVERNANCE,
        columns=(
            _MONTH,
            _TYPE,
            tk.DatasetColumn(
                "district", "string", "District (kecamatan) of the tax object, business or market."
            ),
            _AMOUNT,
            _PAYMENTS,
        ),
        fetch=district_revenue,
        publisher=PUBLISHER,
    ),
)
