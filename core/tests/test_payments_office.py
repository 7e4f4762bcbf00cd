"""Officer pages: search, detail, cash confirmation (guarded, audited), refunds, reconciliation."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import test_payments_support as support
from balai.audit.tables import AuditEntry
from balai.payments.snap import WIB
from balai.payments.tables import Payment, ReconciliationDiff, SandboxTransaction
from test_payments_support import (
    count_rows,
    invoice_status,
    latest_attempt,
    new_invoice,
    sandbox_link,
    start_payment,
)

# The payments app and its test plugin (fixtures shared by every payments test module).
balai_cities = support.balai_cities
balai_app = support.balai_app
toko = support.toko


def _audit_actions(city_run) -> list[str]:
    async def read():
        return [
            r["action"] for r in await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.id)
        ]

    return city_run("malang", read)


def test_office_pages_need_the_permission(client, login_as, city_run):
    invoice = new_invoice(city_run)
    assert client.get("/malang/kelola/bayar/", follow_redirects=False).status_code in (
        302,
        303,
        401,
    )
    login_as(None)
    assert client.get("/malang/kelola/bayar/").status_code == 403
    assert client.get(f"/malang/kelola/bayar/{invoice.number}").status_code == 403
    assert client.get("/malang/kelola/bayar/rekonsiliasi").status_code == 403


def test_search_and_detail(client, login_as, city_run):
    invoice = new_invoice(city_run, ref="pesanan-77")
    new_invoice(city_run, ref="pesanan-78")
    login_as("payments.cashier")
    page = client.get("/malang/kelola/bayar/", params={"q": "pesanan-77"})
    assert page.status_code == 200 and invoice.number in page.text and "pesanan-78" not in page.text
    page = client.get("/malang/kelola/bayar/", params={"q": invoice.number[-4:].lower()})
    assert invoice.number in page.text
    assert client.get("/malang/kelola/bayar/", params={"status": "pending"}).status_code == 200
    assert client.get("/malang/kelola/bayar/", params={"status": "stolen"}).status_code == 400
    assert client.get("/malang/kelola/bayar/", params={"page": "x"}).status_code == 400
    detail = client.get(f"/malang/kelola/bayar/{invoice.number}")
    assert detail.status_code == 200 and "Siti Rahayu" in detail.text
    never_issued = "INV-2026-7KQ4-M9TZ"  # well-formed, but no such invoice
    assert client.get(f"/malang/kelola/bayar/{never_issued}").status_code == 404
    assert client.get("/malang/kelola/bayar/not-a-number").status_code == 404


def test_an_officer_of_another_city_sees_nothing(client, login_as, city_run):
    invoice = new_invoice(city_run)
    login_as("payments.officer", city="semarang")
    assert client.get(f"/semarang/kelola/bayar/{invoice.number}").status_code == 404


def test_cash_confirmation_is_guarded_checked_and_audited(
    client, login_as, post_form, city_run, toko, caplog
):
    invoice = new_invoice(city_run)
    url = f"/malang/kelola/bayar/{invoice.number}/tunai"
    login_as(None)
    assert post_form(url, {"amount": "15000"}).status_code == 403
    assert invoice_status(city_run, invoice) == "pending"

    login_as("payments.cashier")
    with caplog.at_level(logging.WARNING, logger="balai.payments.office"):
        wrong = post_form(url, {"amount": "14000"})
    assert wrong.status_code == 400
    assert "cash confirmation of" in caplog.text and "refused" in caplog.text
    assert post_form(url, {"amount": "lima belas ribu"}).status_code == 400
    assert invoice_status(city_run, invoice) == "pending"
    assert "payments.cash_confirmed" not in _audit_actions(city_run)

    done = post_form(url, {"amount": "15.000"})
    assert done.status_code == 303
    assert invoice_status(city_run, invoice) == "paid"
    assert toko.settled == [("malang", invoice.number)]
    assert _audit_actions(city_run).count("payments.cash_confirmed") == 1

    again = post_form(url, {"amount": "15000"})
    assert again.status_code == 303
    assert count_rows(city_run, Payment) == 1
    assert _audit_actions(city_run).count("payments.cash_confirmed") == 1
    assert toko.settled == [("malang", invoice.number)]


def test_refund_needs_permission_and_reason(client, login_as, post_form, city_run, toko):
    invoice = new_invoice(city_run)
    login_as("payments.cashier")
    post_form(f"/malang/kelola/bayar/{invoice.number}/tunai", {"amount": "15000"})
    url = f"/malang/kelola/bayar/{invoice.number}/refund"
    assert post_form(url, {"reason": "Double payment"}).status_code == 403
    login_as("payments.officer")
    assert post_form(url, {"reason": "   "}).status_code == 400
    assert post_form(url, {"reason": "x" * 301}).status_code == 400
    assert invoice_status(city_run, invoice) == "paid"
    assert post_form(url, {"reason": "Double payment"}).status_code == 303
    assert invoice_status(city_run, invoice) == "refunded"
    assert toko.refunded == [("malang", invoice.number)]
    assert "payments.refunded" in _audit_actions(city_run)


def test_reconciliation_lists_differences(client, login_as, post_form, city_run, balai_app):
    invoice = new_invoice(city_run)
    start_payment(client, post_form, invoice, "qris")
    second = latest_attempt(city_run, invoice)
    page = client.get(start_payment(client, post_form, invoice, "va").headers["location"])
    post_form(f"{sandbox_link(page.text)}/pay", {})
    assert invoice_status(city_run, invoice) == "paid"
    assert start_payment(client, post_form, invoice, "va").status_code == 303  # refused: paid
    assert latest_attempt(city_run, invoice)["provider"] == "va"
    # The QRIS code is paid too, at the bank: credited once, so missing in the ledger.

    async def bank_settles_it():
        await SandboxTransaction.update(
            {SandboxTransaction.status: "paid", SandboxTransaction.settled_at: datetime.now(UTC)}
        ).where(SandboxTransaction.reference == second["external_id"])

    city_run("malang", bank_settles_it)
    today = datetime.now(UTC).astimezone(WIB).date().isoformat()

    login_as("payments.officer")
    assert post_form("/malang/kelola/bayar/rekonsiliasi", {"day": "kemarin"}).status_code == 400
    future = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    assert post_form("/malang/kelola/bayar/rekonsiliasi", {"day": future}).status_code == 400
    assert post_form("/malang/kelola/bayar/rekonsiliasi", {"day": today}).status_code == 303

    async def diffs():
        return [(d["kind"], d["reference"]) for d in await ReconciliationDiff.select()]

    assert city_run("malang", diffs) == [("missing_in_ledger", second["reference"])]
    page = client.get("/malang/kelola/bayar/rekonsiliasi")
    assert page.status_code == 200 and second["reference"] in page.text
    # Running the same day again replaces the day's differences.
    assert post_form("/malang/kelola/bayar/rekonsiliasi", {"day": today}).status_code == 303
    assert len(city_run("malang", diffs)) == 1
    # Semarang's report is its own.
    login_as("payments.officer", city="semarang")
    assert (
        post_form(
            "/semarang/kelola/bayar/rekonsiliasi",
            {"day": today},
        ).status_code
        == 303
    )

    async def semarang_diffs():
        return await ReconciliationDiff.count()

    assert city_run("semarang", semarang_diffs) == 0


def test_reconcile_compare_rules():
    from balai.payments.reconcile import compare

    matched, diffs = compare({"a": 10, "b": 20, "c": 30}, {"a": 10, "b": 25, "d": 40})
    assert matched == 1
    assert [(d.kind, d.reference) for d in diffs] == [
        ("amount_mismatch", "b"),
        ("missing_at_gateway", "c"),
        ("missing_in_ledger", "d"),
    ]
