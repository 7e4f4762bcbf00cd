"""Buying tickets over HTTP: the product page, one invoice, e-tickets on payment, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from balai_wisata_heritage.tickets.tables import TicketOrder
from ticket_support import (
    add_product,
    buy,
    counts,
    invoice_of,
    order_by_invoice,
    pay_with_sandbox_qris,
    remaining,
    tickets_of,
)


def test_the_product_page_shows_prices_slots_and_places_left(client, city_run):
    product = add_product(city_run, online=7)
    page = client.get(f"/malang/wisata-heritage/tiket/{product.id}")
    assert page.status_code == 200
    assert "Rp20.000" in page.text and "Rp50.000" in page.text
    assert "7 tempat tersisa" in page.text
    assert "Tiket masuk museum" in client.get("/malang/wisata-heritage/tiket/").text


def test_buying_needs_a_verified_account(client, city_run, post_form):
    product = add_product(city_run)
    response = buy(post_form, product, adult=1)
    assert response.status_code in (302, 303, 401)
    assert counts(city_run) == (0, 0)


def test_two_tickets_one_invoice_paid_by_qris_become_valid_tickets(
    client, city_run, post_form, login_as
):
    product = add_product(city_run, online=10)
    login_as()
    invoice = invoice_of(buy(post_form, product, adult=1, child=1))
    assert remaining(city_run, product.slots[0]) == 8
    order = order_by_invoice(city_run, invoice)
    assert order["total"] == 30000 and order["status"] == "awaiting_payment"
    assert [t["status"] for t in tickets_of(city_run, order["number"])] == ["pending", "pending"]
    unpaid = client.get(f"/malang/wisata-heritage/tiket/pesanan/{order['number']}")
    assert "qr-code" not in unpaid.text  # no QR code before payment

    pay_with_sandbox_qris(client, post_form, invoice)
    tickets = tickets_of(city_run, order["number"])
    assert [t["status"] for t in tickets] == ["valid", "valid"]
    assert [t["category"] for t in tickets] == ["adult", "child"]
    page = client.get(f"/malang/wisata-heritage/tiket/pesanan/{order['number']}")
    assert page.status_code == 200
    assert page.text.count('class="qr-code"') == 2
    assert tickets[0]["code"] in page.text
    assert "private" in page.headers["cache-control"]
    assert "<script" not in page.text.split("<main", 1)[-1]  # the tickets themselves need no JS
    mine = client.get("/malang/wisata-heritage/tiket/saya")
    assert order["number"] in mine.text


def test_another_buyer_cannot_open_an_order(client, city_run, post_form, login_as):
    product = add_product(city_run)
    login_as()
    order = order_by_invoice(city_run, invoice_of(buy(post_form, product, adult=1)))
    login_as()
    assert client.get(f"/malang/wisata-heritage/tiket/pesanan/{order['number']}").status_code == 404


@pytest.mark.parametrize(
    ("quantities", "message"),
    [
        ({"adult": -1}, "bilangan bulat"),
        ({"adult": "2.5"}, "bilangan bulat"),
        ({"adult": 99999999}, "bilangan bulat"),
        ({"adult": 11}, "Paling banyak 10 tiket"),
        ({"adult": 6, "child": 5}, "Paling banyak 10 tiket"),
        ({"adult": 0}, "Pilih paling sedikit satu tiket"),
        ({"student": 1}, "tidak menjual jenis tiket itu"),
        ({"bogus": 1}, "tidak menjual jenis tiket itu"),
    ],
)
def test_bad_quantities_are_refused_and_nothing_written(
    client, city_run, post_form, login_as, quantities, message
):
    product = add_product(city_run)
    login_as()
    response = buy(post_form, product, **quantities)
    assert response.status_code == 400
    assert message in response.text
    assert counts(city_run) == (0, 0)
    assert remaining(city_run, product.slots[0]) == 10


def test_a_slot_in_the_past_is_refused(client, city_run, post_form, login_as):
    product = add_product(city_run, starts_in=timedelta(hours=-1))
    login_as()
    response = buy(post_form, product, adult=1)
    assert response.status_code == 400
    assert "sudah dimulai" in response.text
    assert counts(city_run) == (0, 0)


def test_another_products_slot_or_no_slot_is_refused(client, city_run, post_form, login_as):
    first = add_product(city_run)
    second = add_product(city_run)
    login_as()
    assert buy(post_form, first, slot=second.slots[0], adult=1).status_code == 400
    no_slot = buy(post_form, first, slot="abc", adult=1)
    assert no_slot.status_code == 400 and "Pilih sesi waktu." in no_slot.text
    assert counts(city_run) == (0, 0)


def test_more_than_is_left_is_refused(client, city_run, post_form, login_as):
    product = add_product(city_run, online=2)
    login_as()
    response = buy(post_form, product, adult=3)
    assert response.status_code == 400
    assert "Tempat yang tersisa di sesi ini tidak cukup" in response.text
    assert counts(city_run) == (0, 0)
    assert remaining(city_run, product.slots[0]) == 2


def test_another_citys_product_is_not_found(client, city_run, post_form, login_as):
    product = add_product(city_run, "semarang")
    login_as()
    assert client.get(f"/malang/wisata-heritage/tiket/{product.id}").status_code == 404
    assert buy(post_form, product, adult=1).status_code == 404
    assert counts(city_run) == (0, 0)


def test_a_lapsed_invoice_frees_its_places(client, city_run, post_form, login_as, balai_app):
    from datetime import UTC, datetime

    from balai.payments import ledger

    product = add_product(city_run, online=5)
    login_as()
    invoice = invoice_of(buy(post_form, product, adult=2))
    assert remaining(city_run, product.slots[0]) == 3

    async def lapse() -> list[str]:
        return await ledger.expire_overdue(
            registry=balai_app.ui.registry, now=datetime.now(UTC) + timedelta(hours=1)
        )

    assert city_run("malang", lapse) == [invoice]
    assert remaining(city_run, product.slots[0]) == 5
    order = order_by_invoice(city_run, invoice)
    assert order["status"] == "lapsed"
    assert {t["status"] for t in tickets_of(city_run, order["number"])} == {"void"}


def test_a_refund_refunds_the_tickets_and_frees_the_places(
    client, city_run, post_form, login_as, balai_app
):
    from balai.payments import ledger

    product = add_product(city_run, online=5)
    login_as()
    invoice = invoice_of(buy(post_form, product, adult=2))
    pay_with_sandbox_qris(client, post_form, invoice)

    async def refund() -> bool:
        found = await ledger.invoice_by_number(invoice)
        return await ledger.refund(
            found, officer_id=1, reason="Museum tutup", registry=balai_app.ui.registry
        )

    assert city_run("malang", refund) is True
    order = order_by_invoice(city_run, invoice)
    assert order["status"] == "refunded"
    assert {t["status"] for t in tickets_of(city_run, order["number"])} == {"refunded"}
    assert remaining(city_run, product.slots[0]) == 5

    async def statuses() -> list[str]:
        return [row["status"] for row in await TicketOrder.select(TicketOrder.status)]

    assert city_run("malang", statuses) == ["refunded"]


def test_free_entry_needs_no_invoice(client, city_run, post_form, login_as):
    product = add_product(city_run, prices={"adult": 0, "child": 0})
    login_as()
    answer = buy(post_form, product, adult=2)
    assert answer.status_code == 303
    assert "/wisata-heritage/tiket/pesanan/" in answer.headers["location"]
    page = client.get(answer.headers["location"])
    assert page.text.count('class="qr-code"') == 2


def test_an_events_products_are_listed_for_it(client, city_run):
    from datetime import UTC, datetime

    from balai_wisata_heritage.events.tables import Event
    from balai_wisata_heritage.tickets import setup

    async def make() -> int:
        starts = datetime.now(UTC) + timedelta(days=5)
        event = Event(
            title="Malang Tempo Doeloe", starts_at=starts, ends_at=starts, status="published"
        )
        await event.save()
        await setup.add_product(
            "Tiket Malang Tempo Doeloe", site_id=None, event_id=event.id, prices={"adult": 10000}
        )
        return event.id

    event_id = city_run("malang", make)
    add_product(city_run)
    page = client.get("/malang/wisata-heritage/tiket/", params={"acara": event_id})
    assert "Tiket Malang Tempo Doeloe" in page.text
    assert "Tiket masuk museum" not in page.text
    assert "Tiket masuk museum" in client.get("/malang/wisata-heritage/tiket/").text
    assert client.get("/malang/wisata-heritage/tiket/", params={"acara": "x"}).status_code == 200


def test_the_buyer_sees_their_ticket_orders_among_their_data(client, city_run, post_form, login_as):
    product = add_product(city_run)
    login_as()
    order = order_by_invoice(city_run, invoice_of(buy(post_form, product, adult=2)))
    page = client.get("/malang/akun/data")
    assert page.status_code == 200
    assert order["number"] in page.text
    for ticket in tickets_of(city_run, order["number"]):
        assert ticket["code"] in page.text
    login_as()
    assert order["number"] not in client.get("/malang/akun/data").text
