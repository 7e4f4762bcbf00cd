"""The sandbox bank: retries with backoff, duplicate deliveries, and off in production."""

from __future__ import annotations

from dataclasses import replace

import test_payments_support as support
from balai.payments import callbacks
from balai.payments.sandbox import bank
from balai.payments.tables import Payment, SandboxTransaction
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


def _deliveries(city_run, reference: str) -> int:
    async def read() -> int:
        row = (
            await SandboxTransaction.select(SandboxTransaction.deliveries)
            .where(SandboxTransaction.reference == reference)
            .first()
        )
        return row["deliveries"]

    return city_run("malang", read)


def test_callbacks_are_retried_with_backoff_until_accepted(
    client, post_form, city_run, monkeypatch, toko
):
    invoice = new_invoice(city_run)
    page = client.get(start_payment(client, post_form, invoice, "va").headers["location"])
    attempt = latest_attempt(city_run, invoice)
    waits: list[float] = []

    async def no_wait(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(bank, "pause", no_wait)
    real = callbacks.ledger.settle
    failures = {"left": 2}

    async def flaky(*args, **kwargs):
        if failures["left"]:
            failures["left"] -= 1
            raise RuntimeError("database briefly unavailable")
        return await real(*args, **kwargs)

    monkeypatch.setattr(callbacks.ledger, "settle", flaky)
    assert post_form(f"{sandbox_link(page.text)}/pay", {}).status_code == 303
    assert invoice_status(city_run, invoice) == "paid"
    assert _deliveries(city_run, attempt["external_id"]) == 3
    assert waits == [bank.BACKOFF_SECONDS, bank.BACKOFF_SECONDS * 2]
    assert toko.settled == [("malang", invoice.number)]


def test_delivery_gives_up_after_the_last_attempt(client, post_form, city_run, monkeypatch, toko):
    invoice = new_invoice(city_run)
    page = client.get(start_payment(client, post_form, invoice, "va").headers["location"])
    attempt = latest_attempt(city_run, invoice)

    async def no_wait(seconds: float) -> None:
        return None

    async def broken(*args, **kwargs):
        raise RuntimeError("down")

    monkeypatch.setattr(bank, "pause", no_wait)
    monkeypatch.setattr(callbacks.ledger, "settle", broken)
    answer = post_form(f"{sandbox_link(page.text)}/pay", {})
    assert answer.status_code == 303
    assert _deliveries(city_run, attempt["external_id"]) == bank.MAX_DELIVERY_ATTEMPTS
    assert invoice_status(city_run, invoice) == "pending"
    monkeypatch.undo()
    # The bank sends it again later (two copies at once): credited once.
    assert post_form(f"{sandbox_link(page.text)}/resend", {}).status_code == 303
    assert invoice_status(city_run, invoice) == "paid"
    assert count_rows(city_run, Payment) == 1
    assert toko.settled == [("malang", invoice.number)]


def test_sandbox_bank_is_off_in_production(client, balai_app, post_form, city_run, monkeypatch):
    invoice = new_invoice(city_run)
    page = client.get(start_payment(client, post_form, invoice, "va").headers["location"])
    link = sandbox_link(page.text)
    monkeypatch.delenv("BALAI_SANDBOX_BANK", raising=False)
    monkeypatch.setenv("BALAI_GATEWAY_SECRET", "a-production-secret")
    monkeypatch.setattr(balai_app.ui, "config", replace(balai_app.ui.config, development=False))
    assert client.get(link).status_code == 404
    assert (
        client.post("/api/sandbox-bank/v1.0/transfer-va/create-va", content=b"{}").status_code
        == 404
    )


def test_a_replayed_create_request_is_refused(client, balai_app, city_run):
    from balai.payments import snap
    from balai.payments.settings import DEVELOPMENT_GATEWAY_SECRET

    path = "/api/sandbox-bank/v1.0/transfer-va/create-va"
    body = snap.minify(
        {
            "partnerReferenceNo": "INV-2026-AAAA-BBBB-CCCC",
            "amount": {"value": "10000.00", "currency": "IDR"},
            "additionalInfo": {"callbackUrl": "http://testserver/malang/api/bayar/callback/va"},
        }
    )
    partner = support.partner_of(balai_app)
    headers = snap.signed_headers(DEVELOPMENT_GATEWAY_SECRET, partner, "POST", path, body).as_dict()
    first = client.post(path, content=body, headers=headers)
    assert first.status_code == 200 and first.json()["virtualAccountNo"].startswith("8808")
    again = client.post(path, content=body, headers=headers)
    assert again.status_code == 409

    async def count() -> int:
        return await SandboxTransaction.count()

    assert city_run("malang", count) == 1
