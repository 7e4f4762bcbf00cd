"""Citizen pages: invoice access, starting payments, status polling, receipts, verification."""

from __future__ import annotations

import re

import test_payments_support as support
from balai import toolkit as tk
from balai.payments import numbers
from balai.payments.tables import PaymentAttempt
from test_payments_support import (
    count_rows,
    invoice_status,
    new_invoice,
    sandbox_link,
    start_payment,
)

# The payments app and its test plugin (fixtures shared by every payments test module).
balai_cities = support.balai_cities
balai_app = support.balai_app
toko = support.toko


def _pay_by_cash(client, login_as, post_form, invoice):
    login_as("payments.cashier")
    assert (
        post_form(
            f"/malang/kelola/bayar/{invoice.number}/tunai", {"amount": str(invoice.amount)}
        ).status_code
        == 303
    )


def _payment_number(client, invoice) -> str:
    page = client.get(f"/malang/bayar/{invoice.number}/status?t={invoice.access_token}")
    found = re.search(r"/bayar/kuitansi/(PAY-[0-9A-Z-]+)", page.text)
    assert found, page.text
    return found.group(1)


def test_invoice_page_needs_the_payer_or_the_token(client, login_as, city_run):
    anonymous = new_invoice(city_run)
    assert client.get(f"/malang/bayar/{anonymous.number}").status_code == 404
    assert client.get(f"/malang/bayar/{anonymous.number}?t=wrong").status_code == 404
    assert (
        client.get(f"/malang/bayar/{anonymous.number}?t={anonymous.access_token}").status_code
        == 200
    )
    assert (
        client.get(f"/semarang/bayar/{anonymous.number}?t={anonymous.access_token}").status_code
        == 404
    )
    assert client.get("/malang/bayar/INV-2026-0000-0000").status_code == 404
    assert client.get("/malang/bayar/%3Cscript%3E").status_code == 404

    payer = login_as(None)
    mine = new_invoice(city_run, payer_id=payer["id"])
    page = client.get(f"/malang/bayar/{mine.number}")
    assert page.status_code == 200 and "Kopi Dampit 250 g" in page.text and "Rp10.000" in page.text
    listing = client.get("/malang/bayar/")
    assert (
        listing.status_code == 200
        and mine.number in listing.text
        and anonymous.number not in listing.text
    )
    login_as(None)  # someone else
    assert client.get(f"/malang/bayar/{mine.number}").status_code == 404


def test_my_invoices_needs_login(client):
    assert client.get("/malang/bayar/", follow_redirects=False).status_code in (302, 303, 401)


def test_starting_a_payment_rejects_bad_input(client, post_form, city_run):
    invoice = new_invoice(city_run)
    url = f"/malang/bayar/{invoice.number}/mulai"
    assert post_form(url, {"method": "bitcoin", "t": invoice.access_token}).status_code == 400
    assert post_form(url, {"t": invoice.access_token}).status_code == 400
    assert post_form(url, {"method": "va", "t": "wrong"}).status_code == 404
    assert count_rows(city_run, PaymentAttempt) == 0


def test_cash_method_shows_instructions(client, post_form, city_run):
    invoice = new_invoice(city_run)
    page = client.get(start_payment(client, post_form, invoice, "cash").headers["location"])
    assert "pay the amount in cash" in page.text or "tunai" in page.text.lower()
    assert invoice_status(city_run, invoice) == "pending"


def test_gateway_failure_is_reported_and_records_nothing(
    client, post_form, city_run, monkeypatch, caplog
):
    invoice = new_invoice(city_run)
    from balai.payments import providers

    async def refuse(self, context):
        from balai.payments.gateway_client import GatewayError

        raise GatewayError("down")

    monkeypatch.setattr(providers.GatewayProvider, "start", refuse)
    answer = start_payment(client, post_form, invoice, "va")
    assert answer.status_code == 303
    assert "could not start: down" in caplog.text
    assert count_rows(city_run, PaymentAttempt) == 0


def test_gateway_secret_comes_from_the_environment(balai_config, monkeypatch):
    from dataclasses import replace

    from balai.payments.settings import (
        DEVELOPMENT_GATEWAY_SECRET,
        GATEWAY_SECRET_ENV,
        gateway_secret,
    )

    monkeypatch.delenv(GATEWAY_SECRET_ENV, raising=False)
    assert gateway_secret(balai_config) == DEVELOPMENT_GATEWAY_SECRET
    assert gateway_secret(replace(balai_config, development=False)) is None
    monkeypatch.setenv(GATEWAY_SECRET_ENV, "from-the-environment")
    assert gateway_secret(replace(balai_config, development=False)) == "from-the-environment"


def test_the_cash_method_is_named_after_what_is_paid(client, city_run):
    goods = new_invoice(city_run, ref="order-2")
    bill = new_invoice(city_run, ref="levy-1", kind=tk.InvoiceKind.BILL)
    goods_page = client.get(f"/malang/bayar/{goods.number}?t={goods.access_token}")
    bill_page = client.get(f"/malang/bayar/{bill.number}?t={bill.access_token}")
    assert "Tunai saat barang diterima" in goods_page.text and "di loket" not in goods_page.text
    assert "Tunai di loket" in bill_page.text and "barang diterima" not in bill_page.text


def test_without_scripts_the_invoice_offers_a_reload_link(client, city_run):
    invoice = new_invoice(city_run)
    page = client.get(f"/malang/bayar/{invoice.number}?t={invoice.access_token}")
    # As served: no claim that it updates itself; a link that reloads it (token kept).
    assert "diperbarui otomatis" not in page.text
    reload = re.search(r'class="payment-reload" href="([^"]+)">Muat ulang halaman</a>', page.text)
    assert reload and reload.group(1) == f"/malang/bayar/{invoice.number}?t={invoice.access_token}"
    # htmx asks for the status at once; its answer says the page now updates by itself.
    assert 'hx-trigger="load, every 3s"' in page.text
    fragment = client.get(f"/malang/bayar/{invoice.number}/status?t={invoice.access_token}")
    assert 'hx-trigger="every 3s"' in fragment.text and "payment-reload" not in fragment.text
    assert "diperbarui otomatis" in fragment.text


def test_status_fragment_polls_until_paid(client, login_as, post_form, city_run):
    invoice = new_invoice(city_run)
    fragment = client.get(f"/malang/bayar/{invoice.number}/status?t={invoice.access_token}")
    assert fragment.status_code == 200
    assert 'hx-get="/malang/bayar/' in fragment.text and "<html" not in fragment.text
    _pay_by_cash(client, login_as, post_form, invoice)
    fragment = client.get(f"/malang/bayar/{invoice.number}/status?t={invoice.access_token}")
    assert "hx-get" not in fragment.text and "/bayar/kuitansi/PAY-" in fragment.text
    assert client.get(f"/malang/bayar/{invoice.number}/status").status_code == 404


def test_receipt_and_public_verification(client, login_as, post_form, city_run, balai_app):
    invoice = new_invoice(city_run)
    _pay_by_cash(client, login_as, post_form, invoice)
    number = _payment_number(client, invoice)
    assert (
        client.get(f"/malang/bayar/kuitansi/{number}").status_code == 404
    )  # no token, not the payer
    # Opened with a forged Host (development answers any): links still name the city's address.
    receipt = client.get(
        f"/malang/bayar/kuitansi/{number}?t={invoice.access_token}",
        headers={"host": "evil.example"},
    )
    assert receipt.status_code == 200 and "evil.example" not in receipt.text
    assert (
        "Siti Rahayu" in receipt.text and "<svg" in receipt.text and "payments.css" in receipt.text
    )
    # The channel by its name; the items in the table that wraps on a phone (payments.css).
    assert "Tunai saat barang diterima" in receipt.text
    assert '<table class="table receipt-items">' in receipt.text
    css = client.get(re.search(r'href="([^"]*payments\.css[^"]*)"', receipt.text).group(1))
    assert ".receipt-items { min-width: 0; }" in css.text
    # On the city's configured address (its base URL), whatever address the receipt was opened on.
    link = re.search(r"https://malang\.localhost(/bayar/verifikasi/[^\s<\"]+)", receipt.text)
    assert link
    verify_url = "/malang" + link.group(1).replace("&amp;", "&")

    check = client.get(verify_url)
    assert check.status_code == 200
    assert number in check.text and "Rp15.000" in check.text and "Kota Malang" in check.text
    for private in ("Siti Rahayu", "Kopi Dampit", invoice.number):
        assert private not in check.text

    code = numbers.check_code(balai_app.ui.config.secret_key, "malang", number)
    wrong = code[:-1] + ("B" if code.endswith("A") else "A")
    assert client.get(f"/malang/bayar/verifikasi/{number}?k={wrong}").status_code == 404
    assert client.get(f"/malang/bayar/verifikasi/{number}").status_code == 404
    assert client.get(f"/malang/bayar/verifikasi/{number}?k={'A' * 500}").status_code == 404
    assert client.get(f"/semarang/bayar/verifikasi/{number}?k={code}").status_code == 404
    assert client.get("/malang/bayar/verifikasi/PAY-2026-0000-0000?k=" + code).status_code == 404

    login_as("payments.officer")
    post_form(
        f"/malang/kelola/bayar/{invoice.number}/refund", {"reason": "Returned at the counter"}
    )
    after = client.get(verify_url)
    assert after.status_code == 200 and (
        "Refunded" in after.text or "dikembalikan" in after.text.lower()
    )


def test_sandbox_bank_pages_reject_bad_input(client, post_form, city_run):
    invoice = new_invoice(city_run)
    page = client.get(start_payment(client, post_form, invoice, "va").headers["location"])
    bank = sandbox_link(page.text)
    assert client.get("/sandbox-bank/SBXNOPE").status_code == 404
    assert client.get("/sandbox-bank/..%2F..%2Fetc").status_code == 404
    assert post_form(f"{bank}/steal", {}).status_code == 404
    assert post_form(f"{bank}/resend", {}).status_code == 303  # nothing to resend while open
    assert client.post(f"{bank}/pay").status_code == 403  # CSRF
    assert invoice_status(city_run, invoice) == "pending"
    assert post_form(f"{bank}/expire", {}).status_code == 303
    assert post_form(f"{bank}/pay", {}).status_code == 303  # refused: closed
    assert invoice_status(city_run, invoice) == "pending"


def test_sandbox_api_refuses_unsigned_and_malformed_requests(client):
    from balai.payments import snap
    from balai.payments.settings import DEVELOPMENT_GATEWAY_SECRET

    path = "/api/sandbox-bank/v1.0/transfer-va/create-va"
    assert client.post(path, content=b"{}").status_code == 401
    body = snap.minify({"partnerReferenceNo": "X", "amount": {"value": "12.50", "currency": "IDR"}})
    headers = snap.signed_headers(
        DEVELOPMENT_GATEWAY_SECRET, "BALAI-MALANG", "POST", path, body
    ).as_dict()
    assert client.post(path, content=body, headers=headers).status_code == 400
    report = "/api/sandbox-bank/v1.0/settlement-report"
    body = snap.minify({"settlementDate": "yesterday"})
    headers = snap.signed_headers(
        DEVELOPMENT_GATEWAY_SECRET, "BALAI-MALANG", "POST", report, body
    ).as_dict()
    assert client.post(report, content=body, headers=headers).status_code == 400
