"""The payments service's dashboard widgets: revenue, and payments per channel.

They read the daily aggregates that settlement and refunds keep
(``payments.revenue.<provider>``, ``payments.count.<provider>``), never the
ledger's rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from balai.dashboard.metrics import bump_metric, metric_total
from balai.dashboard.period import Period
from balai.dashboard.widgets import Widget
from balai.i18n import rupiah
from balai.payments.labels import provider_title
from balai.types import Dimension


def revenue_metric(provider: str) -> str:
    """The daily metric of net rupiah received through ``provider``."""
    return f"payments.revenue.{provider}"


def count_metric(provider: str) -> str:
    """The daily metric of payments received through ``provider``."""
    return f"payments.count.{provider}"


async def count_payment(provider: str, amount: int) -> None:
    """Count a settled payment (call inside the settlement's transaction)."""
    await bump_metric(count_metric(provider), 1)
    await bump_metric(revenue_metric(provider), amount)


async def count_refund(provider: str, amount: int) -> None:
    """Take a refunded amount off its channel's revenue (inside the refund's transaction)."""
    await bump_metric(revenue_metric(provider), -amount)


async def payment_widgets(period: Period, providers: Iterable[tuple[str, str]]) -> list[Widget]:
    """Revenue for the period with its trend, and a table of payments per channel.

    Args:
        period: The dashboard's period.
        providers: ``(key, title msgid)`` of every payment provider.
    """
    rows: list[list[Any]] = []
    total = previous_total = 0
    before = period.previous()
    for key, title in providers:
        revenue = await metric_total(revenue_metric(key), period)
        total += revenue
        previous_total += await metric_total(revenue_metric(key), before)
        rows.append(
            [
                provider_title(key, title),
                await metric_total(count_metric(key), period),
                rupiah(revenue),
            ]
        )
    return [
        Widget.figure(
            "payments.revenue",
            Dimension.GOVERNANCE,
            "Revenue received",
            total,
            previous=previous_total,
            unit="rupiah",
            note="Payments for all city services, net of refunds.",
            order=40,
        ),
        Widget.table(
            "payments.per_channel",
            Dimension.GOVERNANCE,
            "Payments per channel",
            ("Channel", "Payments", "Revenue"),
            rows,
            order=41,
        ),
    ]
