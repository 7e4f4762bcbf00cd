"""Demo PBJT businesses with a few months of returns: paid, late, unpaid, missing.

Paid returns are paid through settled ledger invoices (``tk.seed_paid_invoices``,
``source_ref="pbjt:<return id>"``, the lines the payment page makes), so the
payments office and the channel widget show them.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from balai import toolkit as tk

from balai_pajak.months import Month, local_today
from balai_pajak.pbjt import rules
from balai_pajak.pbjt.service import PREFIX, SOURCE, invoice_items, settings_of
from balai_pajak.pbjt.tables import Business, ReturnStatus, TaxReturn
from balai_pajak.revenue.record import record_payment

# name, NPWPD, kind, address, district, monthly turnover (rupiah, around)
BUSINESSES: dict[str, list[tuple[str, str, str, str, str, int]]] = {
    "malang": [
        (
            "Warung Rawon Kayutangan",
            "P.2.0001001.11.01",
            "restaurant",
            "Jl. Basuki Rahmat No. 31",
            "Klojen",
            85_000_000,
        ),
        (
            "Kedai Kopi Ijen",
            "P.2.0001002.11.01",
            "restaurant",
            "Jl. Ijen No. 12",
            "Klojen",
            42_000_000,
        ),
        (
            "Hotel Bromo Asri",
            "P.2.0002001.12.02",
            "hotel",
            "Jl. Letjen Sutoyo No. 80",
            "Lowokwaru",
            310_000_000,
        ),
        (
            "Parkir Pasar Blimbing",
            "P.2.0003001.13.03",
            "parking",
            "Jl. Borobudur No. 2",
            "Blimbing",
            18_000_000,
        ),
        (
            "Bioskop Sukun Raya",
            "P.2.0004001.14.04",
            "entertainment",
            "Jl. S. Supriadi No. 5",
            "Sukun",
            120_000_000,
        ),
        (
            "Depot Bakso Sawojajar",
            "P.2.0001003.11.05",
            "restaurant",
            "Jl. Danau Toba No. 7",
            "Kedungkandang",
            30_000_000,
        ),
    ],
}


def _at(day, hour: int, city: tk.City) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=city.tz).astimezone(UTC)


async def seed(city: tk.City) -> tk.DemoReport:
    """Businesses of ``city`` and four months of returns, once (needs the city's PBJT rules)."""
    report = tk.DemoReport()
    plan = BUSINESSES.get(city.slug, [])
    settings = settings_of(city)
    if not plan or not settings.rules or await Business.count() > 0:
        return report
    chance = random.Random(f"pbjt-{city.slug}")  # noqa: S311 (demo data, not security)
    today = local_today(city.tz)
    months = [Month.of(today).previous()]
    for _ in range(3):
        months.append(months[-1].previous())
    started = months[-1].previous()
    codes = []
    for index, (name, npwpd, kind, address, district, turnover) in enumerate(plan):
        code = "".join(chance.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))
        business = Business(
            name=name,
            npwpd=npwpd,
            kind=kind,
            address=address,
            district=district,
            started_on=started.first_day,
            link_code=code,
            created_at=datetime.now(UTC),
        )
        await business.save()
        codes.append(f"{name}: NPWPD {npwpd}, code {code}")
        for age, month in enumerate(months):
            fate = (index + age) % 5
            if fate == 4 and age < 2:
                continue  # not filed (shows on the officers' non-filer list)
            try:
                rule = rules.rule_for(settings, month)
                rules.rate_ppm(rule, kind)
            except rules.NoRuleError:
                continue
            filing_deadline = rules.filing_deadline(rule, month)
            filed_on = (
                filing_deadline + timedelta(days=6)
                if fate == 3
                else filing_deadline - timedelta(days=3)
            )
            if filed_on > today:
                filed_on = today
            amount = turnover + chance.randrange(-turnover // 10, turnover // 10)
            assessment = rules.assess(settings, kind, month, amount, filed_on)
            row = TaxReturn(
                business=business.id,
                year=month.year,
                month=month.month,
                turnover=amount,
                rate_ppm=assessment.rate_ppm,
                tax_due=assessment.tax_due,
                regulation=assessment.regulation[:200],
                filing_deadline=assessment.filing_deadline,
                payment_deadline=assessment.payment_deadline,
                late_filing=assessment.late_filing,
                late_filing_fine=assessment.late_filing_fine,
                status=ReturnStatus.UNPAID.value,
                filed_at=_at(filed_on, 10, city),
            )
            await row.save()
            if fate == 0 or (fate in (1, 3) and age > 0):
                paid_on = assessment.payment_deadline + timedelta(days=20 if fate == 1 else -1)
                if paid_on > today or paid_on < filed_on:
                    continue
                owed = rules.amount_owed(
                    settings,
                    month,
                    assessment.tax_due,
                    assessment.late_filing_fine,
                    assessment.payment_deadline,
                    paid_on,
                )
                paid_at = _at(paid_on, 14, city)
                channel = "va" if index % 2 else "qris"
                (paid,) = await tk.seed_paid_invoices(
                    [
                        tk.DemoPayment(
                            payer_id=None,
                            payer_name=name,
                            items=invoice_items(name, month, owed),
                            source=SOURCE,
                            source_ref=f"{PREFIX}{row.id}",
                            channel=channel,
                            paid_at=paid_at,
                        )
                    ]
                )
                await TaxReturn.update(
                    {
                        TaxReturn.status: ReturnStatus.PAID.value,
                        TaxReturn.paid_at: paid_at,
                        TaxReturn.paid_amount: owed.total,
                        TaxReturn.paid_penalty: owed.penalty,
                        TaxReturn.paid_channel: channel,
                        TaxReturn.invoice_number: paid.invoice_number,
                    }
                ).where(TaxReturn.id == row.id)
                await record_payment("pbjt", {district: owed.total}, channel, paid_at)
    report.summary.append(f"pajak: {len(plan)} PBJT businesses with returns of four months")
    report.summary.extend(f"pajak: link {line}" for line in codes[:2])
    return report
