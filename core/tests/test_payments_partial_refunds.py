"""Partial refunds: never more than was paid, once per key, whole only when all is back."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest
import test_payments_support as support
from balai.payments import ledger
from balai.payments.tables import PaymentRefund
from balai.testing import open_client, run_in_city
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_payments_support import count_rows, invoice_status, new_invoice, payments_app

balai_cities = support.balai_cities
balai_app = support.balai_app
toko = support.toko

_refs = itertools.count()


def _paid_invoice(city_run: Any, registry: Any, amount: int = 15000) -> Any:
    invoice = new_invoice(city_run, amount=amount, ref=f"order-{next(_refs)}")

    async def pay() -> Any:
        key = f"cash:{invoice.number}"
        event = ledger.SettlementEvent(key, key, "cash", "paid", invoice.amount)
        await ledger.settle(invoice, event, registry=registry)
        return await ledger.invoice_by_id(invoice.id)

    return city_run("malang", pay)


def _refund(registry: Any, invoice: Any, amount: int | None, key: str = "") -> Any:
    async def run() -> bool:
        return await ledger.refund(
            invoice, officer_id=None, reason="Batal", registry=registry, amount=amount, key=key
        )

    return run


def _read(invoice: Any) -> Any:
    async def run() -> Any:
        return await ledger.invoice_by_id(invoice.id)

    return run


def test_a_part_refund_keeps_it_paid_and_the_rest_makes_it_refunded(
    client, balai_app, city_run, toko
):
    registry = balai_app.ui.registry
    invoice = _paid_invoice(city_run, registry)
    assert city_run("malang", _refund(registry, invoice, 4000, "ticket:1")) is True
    after = city_run("malang", _read(invoice))
    assert (after.status.value, after.refunded_amount) == ("paid", 4000)
    assert toko.refunded == []  # the plugin is told only when all is given back
    # The same key again gives nothing back twice.
    assert city_run("malang", _refund(registry, invoice, 4000, "ticket:1")) is True
    assert city_run("malang", _read(invoice)).refunded_amount == 4000
    # The same key for another amount is refused.
    with pytest.raises(ledger.LedgerError):
        city_run("malang", _refund(registry, invoice, 5000, "ticket:1"))
    # More than is left is refused, nothing written.
    with pytest.raises(ledger.LedgerError, match="left to refund"):
        city_run("malang", _refund(registry, invoice, 11001, "ticket:2"))
    for bad in (0, -1, True, 10.5):
        with pytest.raises(ledger.LedgerError, match="positive whole rupiah"):
            city_run("malang", _refund(registry, invoice, bad))
    assert count_rows(city_run, PaymentRefund) == 1
    # The whole rest: refunded, the plugin told once.
    assert city_run("malang", _refund(registry, invoice, None)) is True
    after = city_run("malang", _read(invoice))
    assert (after.status.value, after.refunded_amount) == ("refunded", 15000)
    assert toko.refunded == [("malang", invoice.number)]
    assert city_run("malang", _refund(registry, invoice, None)) is False
    assert count_rows(city_run, PaymentRefund) == 2


def test_parts_adding_up_to_the_amount_make_it_refunded(client, balai_app, city_run, toko):
    registry = balai_app.ui.registry
    invoice = _paid_invoice(city_run, registry, amount=10000)
    assert city_run("malang", _refund(registry, invoice, 6000)) is True
    assert city_run("malang", _refund(registry, invoice, 4000)) is True
    assert invoice_status(city_run, invoice) == "refunded"
    assert toko.refunded == [("malang", invoice.number)]


def test_an_unpaid_invoice_is_not_refunded(client, balai_app, city_run):
    invoice = new_invoice(city_run, ref="unpaid")
    assert city_run("malang", _refund(balai_app.ui.registry, invoice, 1000)) is False
    assert count_rows(city_run, PaymentRefund) == 0


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(parts=st.lists(st.integers(min_value=1, max_value=12000), min_size=1, max_size=6))
def test_refunds_never_add_up_to_more_than_was_paid(client, balai_app, city_run, parts):
    registry = balai_app.ui.registry
    invoice = _paid_invoice(city_run, registry, amount=15000)
    given_back = 0
    for n, part in enumerate(parts):
        if given_back + part > 15000:
            with pytest.raises(ledger.LedgerError):
                city_run("malang", _refund(registry, invoice, part, f"p{n}"))
        else:
            assert city_run("malang", _refund(registry, invoice, part, f"p{n}")) is True
            given_back += part
        after = city_run("malang", _read(invoice))
        assert after.refunded_amount == given_back <= after.amount
        assert after.status.value == ("refunded" if given_back == 15000 else "paid")


def _concurrent_parts(app: Any) -> None:
    def city_run(slug, fn, *args):
        return run_in_city(app, slug, fn, *args)

    registry = app.ui.registry
    invoice = _paid_invoice(city_run, registry, amount=10000)

    async def race() -> list[str]:
        async def one(n: int) -> str:
            try:
                done = await ledger.refund(
                    invoice,
                    officer_id=None,
                    reason="Batal",
                    registry=registry,
                    amount=3000,
                    key=f"k{n}",
                )
            except ledger.LedgerError:
                return "refused"
            return "refunded" if done else "not paid"

        return list(await asyncio.gather(*(one(n) for n in range(8))))

    outcomes = city_run("malang", race)
    assert outcomes.count("refunded") == 3
    assert city_run("malang", _read(invoice)).refunded_amount == 9000
    assert count_rows(city_run, PaymentRefund) == 3


def test_concurrent_parts_never_overshoot_sqlite(client, balai_app):
    _concurrent_parts(balai_app)


@pytest.mark.postgres
def test_concurrent_parts_never_overshoot_postgres(
    postgres_url, balai_config, balai_test_databases, balai_fast_passwords, toko
):
    app = payments_app(balai_config, balai_test_databases, postgres_url, toko)
    with open_client(app):
        _concurrent_parts(app)
