"""Shared helpers of the ticket tests: a site with a product, slots, buying and paying."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from balai_wisata_heritage.sites.tables import Site
from balai_wisata_heritage.tickets import setup
from balai_wisata_heritage.tickets.rules import Category, Channel
from balai_wisata_heritage.tickets.tables import Ticket, TicketOrder, TicketStock

PRICES = {Category.ADULT: 20000, Category.CHILD: 10000, Category.FOREIGN: 50000}


@dataclass
class Product:
    """A product made for a test: its id and its slots' ids."""

    id: int
    site_id: int
    slots: list[int]


def add_product(
    city_run: Any,
    city: str = "malang",
    *,
    online: int = 10,
    counter: int = 5,
    partner: int = 0,
    starts_in: timedelta = timedelta(days=1),
    prices: dict | None = None,
    per_order_max: int = 10,
    slot_hours: int = 2,
    slots: int = 1,
    cancel_hours: int | None = None,
    cancel_fee: int = 0,
) -> Product:
    """A site with one product and ``slots`` consecutive slots starting ``starts_in`` from now."""

    async def make() -> Product:
        site = Site(name="Museum Mpu Purwa", description="Arca.", district="Lowokwaru")
        await site.save()
        product_id = await setup.add_product(
            "Tiket masuk museum",
            site_id=site.id,
            prices=prices or PRICES,
            per_order_max=per_order_max,
            cancel_hours=cancel_hours,
            cancel_fee=cancel_fee,
        )
        start = datetime.now(UTC).replace(second=0, microsecond=0) + starts_in
        quotas = {Channel.ONLINE: online, Channel.COUNTER: counter}
        if partner:
            quotas[Channel.PARTNER] = partner
        made = []
        for number in range(slots):
            begins = start + timedelta(hours=slot_hours * number)
            made.append(
                await setup.add_slot(
                    product_id, begins, begins + timedelta(hours=slot_hours), quotas
                )
            )
        return Product(product_id, site.id, made)

    return city_run(city, make)


def remaining(city_run: Any, slot_id: int, channel: str = "online", city: str = "malang") -> int:
    async def read() -> int:
        row = (
            await TicketStock.select(TicketStock.remaining)
            .where((TicketStock.slot == slot_id) & (TicketStock.channel == channel))
            .first()
        )
        return row["remaining"]

    return city_run(city, read)


def counts(city_run: Any, city: str = "malang") -> tuple[int, int]:
    """Orders and tickets written in the city."""

    async def read() -> tuple[int, int]:
        return await TicketOrder.count(), await Ticket.count()

    return city_run(city, read)


def tickets_of(city_run: Any, number: str, city: str = "malang") -> list[dict]:
    async def read() -> list[dict]:
        order = await TicketOrder.select(TicketOrder.id).where(TicketOrder.number == number).first()
        return await Ticket.select().where(Ticket.purchase == order["id"]).order_by(Ticket.id)

    return city_run(city, read)


def order_by_invoice(city_run: Any, invoice_number: str, city: str = "malang") -> dict:
    async def read() -> dict:
        return (
            await TicketOrder.select().where(TicketOrder.invoice_number == invoice_number).first()
        )

    return city_run(city, read)


def buy(post_form: Any, product: Product, city: str = "malang", slot: int | None = None, **qty):
    """Post the buy form; ``qty`` as ``adult=2``."""
    data = {"slot": slot if slot is not None else product.slots[0]}
    data.update({f"qty_{category}": count for category, count in qty.items()})
    return post_form(f"/{city}/wisata-heritage/tiket/{product.id}/beli", data)


_SANDBOX = re.compile(r'href="([^"]*sandbox-bank/[^"]+)"')


def pay_with_sandbox_qris(client: Any, post_form: Any, invoice_number: str, city="malang") -> None:
    """Choose QRIS on the invoice page and let the sandbox bank pay it."""
    started = post_form(f"/{city}/bayar/{invoice_number}/mulai", {"method": "qris"})
    assert started.status_code == 303, started.text
    page = client.get(started.headers["location"])
    found = _SANDBOX.search(page.text)
    assert found, "no sandbox bank link on the invoice page"
    paid = post_form(f"{found.group(1)}/pay", {})
    assert paid.status_code == 303


def invoice_of(response: Any) -> str:
    """The invoice number a buy answer redirects to."""
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert "/bayar/" in location, location
    return location.rsplit("/", 1)[1]
