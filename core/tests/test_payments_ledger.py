"""The ledger's rules: creating invoices, expiry, refunds, cancelling, the jobs."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import test_payments_support as support
from balai import toolkit as tk
from balai.payments import jobs, ledger, reconcile
from balai.payments.tables import PaymentInvoice
from test_payments_support import (
    TOKO,
    invoice_status,
    new_invoice,
)

# The payments app and its test plugin (fixtures shared by every payments test module).
balai_cities = support.balai_cities
balai_app = support.balai_app
toko = support.toko


def _create(**overrides):
    values = {
        "payer_id": None,
        "payer_name": "Budi",
        "items": [tk.InvoiceItem("Retribusi", 10000)],
        "due_at": datetime.now(UTC) + timedelta(days=1),
        "source": TOKO,
        "source_ref": "r-1",
    }
    values.update(overrides)
    return tk.create_invoice(**values)


def test_create_invoice_sums_items_and_scopes_to_the_city(client, city_run):
    invoice = new_invoice(city_run, amount=42000)
    assert invoice.amount == 42000
    assert [i.amount for i in invoice.items] == [37000, 5000]
    assert invoice.status == tk.InvoiceStatus.PENDING and invoice.city == "malang"
    assert invoice.number.startswith(f"INV-{datetime.now(UTC).year}-")

    async def lookup():
        return await ledger.invoice_by_number(invoice.number)

    assert city_run("malang", lookup).id == invoice.id
    assert city_run("semarang", lookup) is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"items": []}, "at least one item"),
        ({"items": [tk.InvoiceItem("x", 0)]}, "positive"),
        ({"items": [tk.InvoiceItem("x", -5)]}, "positive"),
        ({"items": [tk.InvoiceItem("x", 10.5)]}, "whole rupiah"),  # type: ignore[arg-type]
        ({"items": [tk.InvoiceItem(" ", 10)]}, "description"),
        ({"items": [tk.InvoiceItem("x", 10, quantity=0)]}, "quantity"),
        ({"items": [tk.InvoiceItem("x", 1)] * 51}, "at most"),
        (
            {"items": [tk.InvoiceItem("x", 6_000_000_000), tk.InvoiceItem("y", 6_000_000_000)]},
            "larger",
        ),
        ({"due_at": datetime.now(UTC) - timedelta(minutes=1)}, "future"),
        ({"due_at": datetime.now() + timedelta(days=1)}, "time zone"),
        ({"source": ""}, "required"),
        ({"payer_name": "  "}, "payer_name"),
    ],
)
def test_create_invoice_refuses_bad_input(client, city_run, overrides, message):
    async def attempt():
        with pytest.raises(tk.LedgerError, match=message):
            await _create(**overrides)
        return await PaymentInvoice.count()

    assert city_run("malang", attempt) == 0


def test_create_invoice_outside_a_city_fails_loudly(balai_app):
    with pytest.raises(tk.NoCityError):
        asyncio.run(_create())


def test_expiry_moves_overdue_invoices_once_and_tells_the_plugin(client, balai_app, city_run, toko):
    overdue = new_invoice(city_run, due_in=timedelta(seconds=2), ref="late")
    fresh = new_invoice(city_run, ref="fresh")
    later = datetime.now(UTC) + timedelta(minutes=1)

    async def expire():
        return await ledger.expire_overdue(registry=balai_app.ui.registry, now=later)

    assert city_run("malang", expire) == [overdue.number]
    assert city_run("malang", expire) == []
    assert invoice_status(city_run, overdue) == "expired"
    assert invoice_status(city_run, fresh) == "pending"
    assert toko.expired == [("malang", overdue.number)]


def test_expiry_and_reconciliation_run_through_the_job_runner(client, balai_app, city_run, toko):
    invoice = new_invoice(city_run, due_in=timedelta(seconds=1))
    city = balai_app.ui.config.cities["malang"]

    async def wait_and_run():
        await asyncio.sleep(1.2)
        expiry = await balai_app.ui.jobs.runner.run_now("payments.expire_invoices", city)
        recon = await balai_app.ui.jobs.runner.run_now("payments.reconcile", city)
        return expiry.status, expiry.error, recon.status, recon.error

    assert city_run("malang", wait_and_run) == ("ok", "", "ok", "")
    assert invoice_status(city_run, invoice) == "expired"
    assert toko.expired == [("malang", invoice.number)]

    async def runs():
        from balai.payments.tables import ReconciliationRun

        return [r["day"] for r in await ReconciliationRun.select(ReconciliationRun.day)]

    assert city_run("malang", runs) == [reconcile.yesterday_wib().isoformat()]


def test_jobs_are_declared_with_namespaced_names():
    declared = {job.name: job for job in jobs.declared_jobs()}
    assert declared["payments.expire_invoices"].every == timedelta(minutes=5)
    assert declared["payments.reconcile"].daily_at is not None


def test_a_paid_invoice_does_not_expire_and_refund_happens_once(client, balai_app, city_run, toko):
    invoice = new_invoice(city_run, due_in=timedelta(seconds=2))
    registry = balai_app.ui.registry

    async def pay_then_expire_then_refund():
        event = ledger.SettlementEvent("cash:x", "cash:x", "cash", "paid", invoice.amount)
        settled = await ledger.settle(invoice, event, registry=registry)
        expired = await ledger.expire_overdue(
            registry=registry, now=datetime.now(UTC) + timedelta(hours=1)
        )
        with pytest.raises(ledger.LedgerError):
            await ledger.refund(invoice, officer_id=1, reason="  ", registry=registry)
        first = await ledger.refund(
            invoice, officer_id=1, reason="Paid twice at the counter", registry=registry
        )
        second = await ledger.refund(invoice, officer_id=1, reason="again", registry=registry)
        return settled.outcome, expired, first, second

    assert city_run("malang", pay_then_expire_then_refund) == ("settled", [], True, False)
    assert invoice_status(city_run, invoice) == "refunded"
    assert toko.settled == [("malang", invoice.number)]
    assert toko.refunded == [("malang", invoice.number)]


def test_settle_refuses_a_wrong_amount_and_cancel_only_pending(client, balai_app, city_run, toko):
    invoice = new_invoice(city_run)

    async def run():
        with pytest.raises(ledger.AmountMismatch):
            await ledger.settle(
                invoice,
                ledger.SettlementEvent("va:e", "va:r", "va", "paid", invoice.amount + 1),
                registry=balai_app.ui.registry,
            )
        return await tk.cancel_invoice(invoice), await tk.cancel_invoice(invoice)

    assert city_run("malang", run) == (True, False)
    assert invoice_status(city_run, invoice) == "cancelled"
    assert toko.settled == []


def test_a_failing_plugin_hook_rolls_the_settlement_back(client, balai_app, city_run, toko):
    invoice = new_invoice(city_run)

    def explode(city, invoice):
        raise RuntimeError("the shop's own write failed")

    impl = next(
        i
        for i in balai_app.ui.registry.pm.hook.invoice_settled.get_hookimpls()
        if i.plugin_name == TOKO
    )
    original = impl.function
    impl.function = explode
    try:

        async def run():
            with pytest.raises(RuntimeError):
                await ledger.settle(
                    invoice,
                    ledger.SettlementEvent("va:e1", "va:r1", "va", "paid", invoice.amount),
                    registry=balai_app.ui.registry,
                )

        city_run("malang", run)
    finally:
        impl.function = original
    assert invoice_status(city_run, invoice) == "pending"

    async def retry():
        return await ledger.settle(
            invoice,
            ledger.SettlementEvent("va:e1", "va:r1", "va", "paid", invoice.amount),
            registry=balai_app.ui.registry,
        )

    assert city_run("malang", retry).outcome == "settled"
    assert toko.settled == [("malang", invoice.number)]
