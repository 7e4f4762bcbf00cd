"""The mayor's dashboard cards of local taxes and fees.

Revenue comes from the daily metrics and the monthly summary that each
payment updates; billed, paid and overdue amounts from one aggregate
statement per tax type (:mod:`balai_pajak.revenue.summary`).
"""

from __future__ import annotations

from balai import toolkit as tk

from balai_pajak.months import local_today
from balai_pajak.revenue import summary
from balai_pajak.revenue.record import COLLECTOR, TAX_TYPES, channel_metrics, revenue_metric
from balai_pajak.revenue.settings import RevenueTarget


def channels() -> list[tuple[str, str]]:
    """The channels shown, translated: the core's providers and the market collectors."""
    return [
        ("va", tk._("Virtual account")),
        ("qris", tk._("QRIS")),
        ("ewallet", tk._("E-wallet")),
        ("cash", tk._("Cash at the counter")),
        (COLLECTOR, tk._("Market collector (cash)")),
    ]


def tax_type_title(tax_type: str) -> str:
    """The translated name of a tax type."""
    return {
        "pbb": tk._("PBB-P2"),
        "pbjt": tk._("PBJT"),
        "retribusi": tk._("Market fees"),
    }[tax_type]


def target_of(city: tk.City, year: int) -> RevenueTarget | None:
    """The city's targets for ``year``, if set."""
    settings = city.settings_for("pajak")
    for target in settings.targets if settings is not None else ():
        if target.year == year:
            return target
    return None


def percent_text(value: float) -> str:
    """A share in percent with one decimal, in the language's notation (``10,8%``)."""
    return f"{value:.1f}".replace(".", tk.pgettext("decimal separator", ".")) + "%"


def _percent(part: int, whole: int) -> str:
    return percent_text(part * 100.0 / whole) if whole else "–"


async def widgets(period: tk.Period) -> list[tk.Widget]:
    """Revenue against the year's target, collection and arrears, payments per channel."""
    city = tk.current_city()
    year = period.end.year
    target = target_of(city, year)
    received_year = await summary.received_in_year(year)
    before = period.previous()
    period_total = previous_total = 0
    target_rows = []
    for tax_type in TAX_TYPES:
        received = await tk.metric_total(revenue_metric(tax_type), period)
        period_total += received
        previous_total += await tk.metric_total(revenue_metric(tax_type), before)
        aim = getattr(target, tax_type) if target else 0
        in_year = received_year.get(tax_type, 0)
        target_rows.append(
            [
                tax_type_title(tax_type),
                tk.rupiah(received),
                tk.rupiah(in_year),
                tk.rupiah(aim) if aim else "–",
                _percent(in_year, aim),
            ]
        )
    chart: dict[str, int] = {}
    for tax_type in TAX_TYPES:
        for label, value in await tk.metric_series(revenue_metric(tax_type), period):
            chart[label] = chart.get(label, 0) + value
    collections = await summary.collections(year, local_today(city.tz))
    collection_rows = [
        [
            tax_type_title(t),
            tk.rupiah(c.billed),
            tk.rupiah(c.paid),
            percent_text(c.rate_percent) if c.rate_percent is not None else "–",
            tk.rupiah(c.arrears),
        ]
        for t, c in collections.items()
    ]
    billed = sum(c.billed for c in collections.values())
    paid = sum(c.paid for c in collections.values())
    channel_rows = []
    for key, title in channels():
        count_metric, amount_metric = channel_metrics(key)
        channel_rows.append(
            [
                title,
                await tk.metric_total(count_metric, period),
                tk.rupiah(await tk.metric_total(amount_metric, period)),
            ]
        )
    return [
        tk.Widget.figure(
            "pajak.revenue",
            tk.Dimension.GOVERNANCE,
            "Local tax revenue",
            period_total,
            previous=previous_total,
            unit="rupiah",
            note="PBB-P2, PBJT and market fees received in the period.",
            order=20,
        ),
        tk.Widget.chart(
            "pajak.revenue_chart",
            tk.Dimension.GOVERNANCE,
            "Local tax revenue over time",
            list(chart.items()),
            unit="rupiah",
            order=21,
        ),
        tk.Widget.table(
            "pajak.target",
            tk.Dimension.GOVERNANCE,
            "Revenue against the year's target",
            ("Tax type", "In the period", "This year", "Year's target", "Of target"),
            target_rows,
            note="The year is the one in which the period ends.",
            order=22,
        ),
        tk.Widget.figure(
            "pajak.collection_rate",
            tk.Dimension.GOVERNANCE,
            "Tax collection rate",
            round(paid * 100.0 / billed, 1) if billed else 0,
            unit="percent",
            note="Share of this year's bills that is paid.",
            order=23,
        ),
        tk.Widget.table(
            "pajak.collection",
            tk.Dimension.GOVERNANCE,
            "Billed, paid and overdue per tax type",
            ("Tax type", "Billed this year", "Paid", "Collection rate", "Overdue (all years)"),
            collection_rows,
            order=24,
        ),
        tk.Widget.figure(
            "pajak.arrears",
            tk.Dimension.GOVERNANCE,
            "Tax arrears",
            sum(c.arrears for c in collections.values()),
            unit="rupiah",
            note="Bills past their due date and still unpaid, all years (principal and fines).",
            order=25,
        ),
        tk.Widget.table(
            "pajak.per_channel",
            tk.Dimension.GOVERNANCE,
            "Tax payments per channel",
            ("Channel", "Payments", "Revenue"),
            channel_rows,
            order=26,
        ),
    ]
