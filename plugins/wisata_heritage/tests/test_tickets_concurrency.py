"""No overselling, no double admission: concurrent purchases and scans, SQLite and PostgreSQL.

Fifty buyers ask for the last five places of a slot at the same moment, each
purchase in its own transaction: exactly five are sold, the others are told
too few places are left with nothing of theirs written. Ten gates scan the
same ticket at once: exactly one admits it.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from balai.auth.accounts import create_user
from balai_wisata_heritage.tickets import gate, purchase
from balai_wisata_heritage.tickets.rules import BuyRefused, Channel
from balai_wisata_heritage.tickets.tables import Admission, Ticket, TicketOrder
from ticket_support import add_product, counts, remaining

BUYERS = 50
PLACES = 5
GATES = 10


def a_buyer(city_run) -> int:
    async def make() -> int:
        return await create_user(
            name="Pembeli", password="rahasia-123456", email="serbu@contoh.id", verified=True
        )

    return city_run("malang", make)


def rush(city_run, product, buyer_id: int, channel: Channel = Channel.ONLINE) -> list[object]:
    async def one() -> object:
        return await purchase.buy(
            product.id,
            {"slot": str(product.slots[0]), "qty_adult": "1"},
            channel=channel,
            buyer_id=buyer_id,
            buyer_name="Pembeli",
            sold_by=buyer_id if channel == Channel.COUNTER else None,
        )

    async def all_at_once() -> list[object]:
        return await asyncio.gather(*(one() for _ in range(BUYERS)), return_exceptions=True)

    return city_run("malang", all_at_once)


def check_exactly_five_sold(city_run, channel: Channel = Channel.ONLINE) -> None:
    quotas = (
        {"online": PLACES, "counter": 20}
        if channel == Channel.ONLINE
        else {
            "online": 20,
            "counter": PLACES,
        }
    )
    product = add_product(city_run, **quotas)
    results = rush(city_run, product, a_buyer(city_run), channel)
    won = [r for r in results if isinstance(r, purchase.Bought)]
    lost = [r for r in results if not isinstance(r, purchase.Bought)]
    assert len(won) == PLACES, lost[:3]
    assert all(isinstance(r, BuyRefused) for r in lost), lost[:3]
    assert remaining(city_run, product.slots[0], channel.value) == 0
    other = "counter" if channel == Channel.ONLINE else "online"
    assert remaining(city_run, product.slots[0], other) == 20  # the other quota untouched
    assert counts(city_run) == (PLACES, PLACES)  # nothing left behind by the losers
    if channel == Channel.ONLINE:
        assert len({r.invoice.number for r in won}) == PLACES


def test_fifty_purchases_for_the_last_five_places_sell_five(client, city_run):
    check_exactly_five_sold(city_run)


def test_the_counter_quota_is_kept_apart_under_a_rush(client, city_run):
    check_exactly_five_sold(city_run, Channel.COUNTER)


@pytest.mark.postgres
def test_fifty_purchases_for_five_places_on_postgresql(postgres_url, client, city_run, balai_app):
    assert TicketOrder._meta.db.engine_type == "postgres"
    check_exactly_five_sold(city_run)


def check_one_admission(city_run) -> None:
    product = add_product(city_run, starts_in=timedelta(minutes=5), counter=5)
    buyer = a_buyer(city_run)

    async def sell_and_scan() -> list[gate.GateAnswer]:
        bought = await purchase.buy(
            product.id,
            {"slot": str(product.slots[0]), "qty_adult": "1"},
            channel=Channel.COUNTER,
            buyer_id=None,
            buyer_name="Loket",
            sold_by=buyer,
        )
        code = bought.ticket_codes[0]
        return await asyncio.gather(
            *(gate.check(code, str(number), buyer) for number in range(1, GATES + 1))
        )

    answers = city_run("malang", sell_and_scan)
    assert [a.admitted for a in answers].count(True) == 1
    assert {a.reason for a in answers if not a.admitted} == {"used"}

    async def written() -> tuple[int, int]:
        return await Admission.count(), await Ticket.count().where(Ticket.status == "used")

    assert city_run("malang", written) == (1, 1)


def test_ten_gates_scanning_one_ticket_at_once_admit_it_once(client, city_run):
    check_one_admission(city_run)


@pytest.mark.postgres
def test_one_admission_on_postgresql(postgres_url, client, city_run, balai_app):
    assert Ticket._meta.db.engine_type == "postgres"
    check_one_admission(city_run)
