"""The whole journey: a citizen pays through the sandbox bank.

The bank's callback settles the invoice, once.
"""

from __future__ import annotations

import re

import test_payments_support as support
from balai.payments.qris import parse
from balai.payments.tables import Payment, PaymentEvent
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


def test_va_payment_through_the_sandbox_bank_settles_once(client, post_form, city_run, toko):
    invoice = new_invoice(city_run)
    page = client.get(f"/malang/bayar/{invoice.number}?t={invoice.access_token}")
    assert page.status_code == 200
    assert "Rp15.000" in page.text
    assert 'hx-trigger="load, every 3s"' in page.text

    started = start_payment(client, post_form, invoice, "va")
    assert started.status_code == 303
    attempt = latest_attempt(city_run, invoice)
    assert attempt["provider"] == "va" and attempt["va_number"].startswith("8808")
    page = client.get(started.headers["location"])
    assert attempt["va_number"] in page.text

    bank = sandbox_link(page.text)
    assert client.get(bank).status_code == 200
    paid = post_form(f"{bank}/pay", {})
    assert paid.status_code == 303
    assert invoice_status(city_run, invoice) == "paid"
    assert toko.settled == [("malang", invoice.number)]

    again = post_form(f"{bank}/resend", {})  # the gateway retries: two more copies at once
    assert again.status_code == 303
    assert toko.settled == [("malang", invoice.number)]
    assert count_rows(city_run, Payment) == 1
    assert count_rows(city_run, PaymentEvent) == 1

    fragment = client.get(f"/malang/bayar/{invoice.number}/status?t={invoice.access_token}")
    assert "hx-trigger" not in fragment.text
    receipt = re.search(r'href="([^"]*/bayar/kuitansi/[^"]+)"', fragment.text)
    assert receipt
    assert client.get(receipt.group(1).replace("&amp;", "&")).status_code == 200


def test_qris_payment_shows_a_valid_payload_as_inline_svg(client, post_form, city_run):
    invoice = new_invoice(city_run, amount=27500)
    page = client.get(start_payment(client, post_form, invoice, "qris").headers["location"])
    attempt = latest_attempt(city_run, invoice)
    fields = parse(attempt["qris_payload"])
    assert fields["01"] == "12" and fields["54"] == "27500" and fields["53"] == "360"
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page.text
    assert "style=" not in page.text.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_ewallet_redirects_to_the_bank_and_the_return_does_not_decide(
    client, post_form, city_run, toko
):
    invoice = new_invoice(city_run)
    started = start_payment(client, post_form, invoice, "ewallet")
    assert started.status_code == 303 and "/sandbox-bank/" in started.headers["location"]
    # Coming back from the bank without paying changes nothing.
    back = client.get(f"/malang/bayar/{invoice.number}?t={invoice.access_token}&status=paid")
    assert back.status_code == 200
    assert invoice_status(city_run, invoice) == "pending"
    failed = post_form(started.headers["location"] + "/fail", {})
    assert failed.status_code == 303
    assert invoice_status(city_run, invoice) == "pending"
    assert toko.settled == []
    closed = post_form(started.headers["location"] + "/pay", {})
    assert closed.status_code == 303  # the bank refuses: already closed
    assert invoice_status(city_run, invoice) == "pending"
