"""The core's ticket API against a plugin's ``partner_tickets`` seller (no heritage plugin).

A small seller (``loket``) sells slot 1 with places counted in memory and
pays through the ledger; the core must roll its own row back when the
seller refuses, settle a confirmation once, and answer the seller's tickets.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import test_partners_support as support
import test_payments_support as payments
from balai import toolkit as tk
from balai.builtins import builtin_plugins
from balai.partners.partner_side import TICKETS_CONFIRM_PATH, TICKETS_HOLD_PATH, TICKETS_LIST_PATH
from balai.partners.tables import PartnerTicketOrder
from balai.payments.tables import PaymentInvoice
from balai.plugins import PluginRegistry
from balai.testing import build_app
from test_partners_support import add_partner, call, code, get_token

LOKET = "loket"
toko = payments.toko


class Loket:
    """Sells slot 1 (3 places, Rp 10.000 each) to partners; a ticket per place once paid."""

    def __init__(self) -> None:
        self.left = 3
        self.paid: set[str] = set()

    @tk.hookimpl
    def plugin_info(self) -> tk.PluginInfo:
        return tk.PluginInfo(
            slug=LOKET, title="Test counter", dimension=tk.Dimension.ECONOMY, version="0.0.1"
        )

    @tk.hookimpl
    def partner_tickets(self, city: tk.City) -> Loket:
        return self

    @tk.hookimpl
    def invoice_settled(self, city: tk.City, invoice: tk.Invoice) -> None:
        if invoice.source == LOKET:
            self.paid.add(invoice.source_ref)

    async def offers(self, now: datetime) -> list[tk.TicketOffer]:
        start = now + timedelta(days=1)
        return [
            tk.TicketOffer(
                1, "Loket", start, start + timedelta(hours=1), self.left, {"adult": 10000}, 5
            )
        ]

    async def hold(self, slot_id, quantities, buyer_name, hold_for) -> tk.TicketHold:
        if slot_id != 1:
            raise tk.TicketRefused(tk.TicketRefusal.UNKNOWN_SLOT, "No such slot")
        count = sum(quantities.values())
        invoice = await tk.create_invoice(  # written before a refusal: must be rolled back
            payer_id=None,
            payer_name=buyer_name,
            items=[tk.InvoiceItem("Loket", 10000 * count)],
            due_at=datetime.now(UTC) + hold_for,
            source=LOKET,
            source_ref=f"order-{count}",
        )
        if count > self.left:
            raise tk.TicketRefused(tk.TicketRefusal.SOLD_OUT, "Sold out")
        self.left -= count
        return tk.TicketHold(f"order-{count}", invoice.number, invoice.amount, invoice.due_at)

    async def release(self, order_number: str) -> bool:
        return False

    async def tickets(self, order_number: str) -> list[tk.IssuedTicket]:
        if order_number not in self.paid:
            return []
        now = datetime.now(UTC)
        return [tk.IssuedTicket(f"T-{order_number}", "adult", now, now, "signed")]


@pytest.fixture
def loket() -> Loket:
    return Loket()


@pytest.fixture
def balai_cities():
    return {"malang": [payments.TOKO, LOKET], "semarang": []}


@pytest.fixture
def balai_app(balai_config, balai_database_url, balai_test_databases, toko, loket):
    registry = PluginRegistry()
    builtins = builtin_plugins()
    for slug in support.BUILTINS_USED:
        registry.register(builtins[slug], slug)
    registry.register(toko, payments.TOKO)
    registry.register(loket, LOKET)
    return build_app(
        balai_config, balai_test_databases, database_url=balai_database_url, registry=registry
    )


def written(city_run):
    async def read():
        return await PartnerTicketOrder.count(), await PaymentInvoice.count()

    return city_run("malang", read)


def test_a_sellers_offers_holds_and_tickets_go_through_the_core(client, city_run, balai_app):
    keys = add_partner(balai_app, city_run, services=("tickets",))
    token = get_token(client, keys)
    listed = call(client, keys, token, TICKETS_LIST_PATH, {}).json()["slots"]
    assert [(s["slotId"], s["available"]) for s in listed] == [("loket:1", 3)]

    def hold(reference, count):
        body = {
            "partnerReferenceNo": reference,
            "slotId": "loket:1",
            "quantities": {"adult": count},
        }
        return call(client, keys, token, TICKETS_HOLD_PATH, body)

    refused = hold("H-1", 4)
    assert refused.status_code == 409 and code(refused) == "4096101"
    assert written(city_run) == (0, 0)  # the core's row and the seller's invoice rolled back
    held = hold("H-2", 2)
    assert held.status_code == 200 and held.json()["totalAmount"]["value"] == "20000.00"
    assert written(city_run) == (1, 1)
    confirm = {
        "partnerReferenceNo": "H-2",
        "paymentRequestId": "P-2",
        "paidAmount": {"value": "20000.00", "currency": "IDR"},
    }
    paid = call(client, keys, token, TICKETS_CONFIRM_PATH, confirm)
    assert paid.status_code == 200, paid.text
    assert [t["code"] for t in paid.json()["tickets"]] == ["T-order-2"]
