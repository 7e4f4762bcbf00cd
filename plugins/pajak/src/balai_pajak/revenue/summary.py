"""Billed, paid and overdue amounts per tax type: one aggregate statement each.

Read by the dashboard; each is a single ``SUM ... GROUP BY`` over indexed
columns of one table, never a scan into Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from piccolo.query.functions.aggregate import Sum

from balai_pajak.pbjt.tables import ReturnStatus, TaxReturn
from balai_pajak.retribusi.tables import BillStatus, StallBill
from balai_pajak.revenue.tables import RevenueMonth
from balai_pajak.tables import Sppt, SpptStatus


@dataclass(frozen=True)
class Collection:
    """One tax type's year: what was billed, what of it is paid, what is overdue now."""

    billed: int
    paid: int
    arrears: int

    @property
    def rate_percent(self) -> float | None:
        """Paid as a share of billed, in percent (``None`` when nothing was billed)."""
        return round(self.paid * 100.0 / self.billed, 1) if self.billed else None


async def _sum(query) -> int:
    row = await query.first()
    return int((row or {}).get("total") or 0)


async def pbb(year: int, today: date) -> Collection:
    """PBB-P2 bills (SPPT) of ``year``; arrears over all years."""
    live = Sppt.status != SpptStatus.CANCELLED.value
    return Collection(
        billed=await _sum(
            Sppt.select(Sum(Sppt.tax_due, alias="total")).where(live & (Sppt.year == year))
        ),
        paid=await _sum(
            Sppt.select(Sum(Sppt.tax_due, alias="total")).where(
                (Sppt.year == year) & (Sppt.status == SpptStatus.PAID.value)
            )
        ),
        arrears=await _sum(
            Sppt.select(Sum(Sppt.tax_due, alias="total")).where(
                (Sppt.status == SpptStatus.UNPAID.value) & (Sppt.due_date < today)
            )
        ),
    )


async def _pbjt_sum(where) -> int:
    row = await (
        TaxReturn.select(
            Sum(TaxReturn.tax_due, alias="tax"), Sum(TaxReturn.late_filing_fine, alias="fines")
        )
        .where(where)
        .first()
    )
    return int((row or {}).get("tax") or 0) + int((row or {}).get("fines") or 0)


async def pbjt(year: int, today: date) -> Collection:
    """PBJT returns (current ones, tax and fines) of months of ``year``; arrears over all months."""
    current = TaxReturn.replaced_by.is_null()
    return Collection(
        billed=await _pbjt_sum(current & (TaxReturn.year == year)),
        paid=await _pbjt_sum(
            current & (TaxReturn.year == year) & (TaxReturn.status == ReturnStatus.PAID.value)
        ),
        arrears=await _pbjt_sum(
            current
            & (TaxReturn.status == ReturnStatus.UNPAID.value)
            & (TaxReturn.payment_deadline < today)
        ),
    )


async def retribusi(year: int, today: date) -> Collection:
    """Stall bills of months of ``year``; arrears over all months."""
    return Collection(
        billed=await _sum(
            StallBill.select(Sum(StallBill.amount, alias="total")).where(StallBill.year == year)
        ),
        paid=await _sum(
            StallBill.select(Sum(StallBill.amount, alias="total")).where(
                (StallBill.year == year) & (StallBill.status == BillStatus.PAID.value)
            )
        ),
        arrears=await _sum(
            StallBill.select(Sum(StallBill.amount, alias="total")).where(
                (StallBill.status == BillStatus.UNPAID.value) & (StallBill.due_date < today)
            )
        ),
    )


async def collections(year: int, today: date) -> dict[str, Collection]:
    """Each tax type's collection for ``year``."""
    return {
        "pbb": await pbb(year, today),
        "pbjt": await pbjt(year, today),
        "retribusi": await retribusi(year, today),
    }


async def received_in_year(year: int) -> dict[str, int]:
    """Rupiah received per tax type in ``year`` (from the monthly summary)."""
    rows = await (
        RevenueMonth.select(RevenueMonth.tax_type, Sum(RevenueMonth.amount, alias="total"))
        .where(RevenueMonth.year == year)
        .group_by(RevenueMonth.tax_type)
    )
    return {r["tax_type"]: int(r["total"] or 0) for r in rows}
