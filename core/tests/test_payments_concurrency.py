"""Exactly-once settlement under concurrency, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import test_payments_support as support
from balai.payments import ledger
from balai.payments.tables import Payment, PaymentEvent
from balai.testing import make_post_form, open_client, run_in_city
from test_payments_support import (
    TokoPlugin,
    callback_body,
    callback_path,
    count_rows,
    invoice_status,
    latest_attempt,
    new_invoice,
    partner_of,
    payments_app,
    signed,
    start_payment,
)

# The payments app and its test plugin (fixtures shared by every payments test module).
balai_cities = support.balai_cities
balai_app = support.balai_app
toko = support.toko


COPIES = 50


def _fifty_identical_callbacks(app: Any, client: Any, toko: TokoPlugin) -> None:
    def city_run(slug, fn, *args):
        return run_in_city(app, slug, fn, *args)

    invoice = new_invoice(city_run)
    assert start_payment(client, make_post_form(client), invoice, "va").status_code == 303
    attempt = latest_attempt(city_run, invoice)
    partner = partner_of(app)
    path = callback_path("va")
    body = callback_body(attempt, partner=partner)

    async def burst() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            answers = await asyncio.gather(
                *(
                    http.post(path, content=body, headers=signed(path, body, partner=partner))
                    for _ in range(COPIES)
                )
            )
        return [a.status_code for a in answers]

    statuses = city_run("malang", burst)
    assert statuses == [200] * COPIES
    assert invoice_status(city_run, invoice) == "paid"
    assert count_rows(city_run, Payment) == 1
    assert count_rows(city_run, PaymentEvent) == 1
    assert toko.settled == [("malang", invoice.number)]


def _fifty_different_events(app: Any, toko: TokoPlugin) -> None:
    def city_run(slug, fn, *args):
        return run_in_city(app, slug, fn, *args)

    invoice = new_invoice(city_run)

    async def race() -> list[str]:
        events = [
            ledger.SettlementEvent(
                event_key=f"va:event-{n}",
                external_id=f"va:request-{n}",
                provider="va",
                kind="paid",
                amount=invoice.amount,
            )
            for n in range(COPIES)
        ]
        results = await asyncio.gather(
            *(ledger.settle(invoice, e, registry=app.ui.registry) for e in events)
        )
        return [r.outcome for r in results]

    outcomes = city_run("malang", race)
    assert outcomes.count("settled") == 1
    assert outcomes.count("not_pending") == COPIES - 1
    assert count_rows(city_run, Payment) == 1
    assert count_rows(city_run, PaymentEvent, where=PaymentEvent.flagged == True) == COPIES - 1  # noqa: E712
    assert toko.settled == [("malang", invoice.number)]


def test_fifty_identical_callbacks_credit_once_sqlite(balai_app, client, toko):
    _fifty_identical_callbacks(balai_app, client, toko)


def test_fifty_payments_of_one_invoice_credit_once_sqlite(balai_app, client, toko):
    _fifty_different_events(balai_app, toko)


@pytest.mark.postgres
def test_fifty_identical_callbacks_credit_once_postgres(
    postgres_url, balai_config, balai_test_databases, balai_fast_passwords, toko
):
    app = payments_app(balai_config, balai_test_databases, postgres_url, toko)
    with open_client(app) as client:
        _fifty_identical_callbacks(app, client, toko)


@pytest.mark.postgres
def test_fifty_payments_of_one_invoice_credit_once_postgres(
    postgres_url, balai_config, balai_test_databases, balai_fast_passwords, toko
):
    app = payments_app(balai_config, balai_test_databases, postgres_url, toko)
    with open_client(app):
        _fifty_different_events(app, toko)
