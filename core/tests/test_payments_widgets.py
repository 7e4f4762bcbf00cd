"""The dashboard widgets: revenue and payments per channel, from aggregates kept at settlement."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import test_payments_support as support
from balai.dashboard.period import Period
from balai.payments import ledger, service, widgets
from test_payments_support import new_invoice

# The payments app and its test plugin (fixtures shared by every payments test module).
balai_cities = support.balai_cities
balai_app = support.balai_app
toko = support.toko


def _widgets(balai_app, city_run, city="malang"):
    today = datetime.now(UTC).astimezone(balai_app.ui.config.cities[city].tz).date()
    period = Period(today - timedelta(days=6), today)
    found = [(k, p.title) for k, p in service.providers(balai_app.ui.registry).items()]

    async def build():
        return await widgets.payment_widgets(period, found)

    return {w.key: w for w in city_run(city, build)}


def test_revenue_per_channel_counts_settlements_and_refunds(client, balai_app, city_run):
    registry = balai_app.ui.registry
    cash = new_invoice(city_run, amount=15000)
    va = new_invoice(city_run, amount=40000)

    async def settle_both():
        for invoice, provider in ((cash, "cash"), (va, "va")):
            event = ledger.SettlementEvent(
                f"{provider}:e", f"{provider}:r", provider, "paid", invoice.amount
            )
            await ledger.settle(invoice, event, registry=registry)
            await ledger.settle(invoice, event, registry=registry)  # a duplicate counts nothing

    city_run("malang", settle_both)
    shown = _widgets(balai_app, city_run)
    assert shown["payments.revenue"].value == 55000
    assert shown["payments.revenue"].previous == 0
    rows = [list(row[1:]) for row in shown["payments.per_channel"].rows]
    assert rows == [
        [1, "Rp15.000"],
        [1, "Rp40.000"],
        [0, "Rp0"],
        [0, "Rp0"],
    ]  # cash, va, qris, ewallet

    async def refund_cash():
        await ledger.refund(cash, officer_id=1, reason="Returned", registry=registry)

    city_run("malang", refund_cash)
    assert _widgets(balai_app, city_run)["payments.revenue"].value == 40000
    assert _widgets(balai_app, city_run, "semarang")["payments.revenue"].value == 0
