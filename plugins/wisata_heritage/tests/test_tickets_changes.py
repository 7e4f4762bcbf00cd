"""A buyer moves or cancels a paid order by the product's rules; refunds through the ledger."""

from __future__ import annotations

from datetime import timedelta

from balai.payments import ledger
from ticket_support import (
    add_product,
    buy,
    invoice_of,
    order_by_invoice,
    pay_with_sandbox_qris,
    remaining,
    tickets_of,
)

ORDERS = "/malang/wisata-heritage/tiket/pesanan"


def paid_order(client, city_run, post_form, login_as, **rules):
    product = add_product(city_run, online=10, slots=2, starts_in=timedelta(days=3), **rules)
    login_as()
    invoice = invoice_of(buy(post_form, product, adult=2))
    pay_with_sandbox_qris(client, post_form, invoice)
    return product, order_by_invoice(city_run, invoice)


def test_moving_to_another_slot_moves_the_places(client, city_run, post_form, login_as):
    product, order = paid_order(client, city_run, post_form, login_as, cancel_hours=24)
    page = client.get(f"{ORDERS}/{order['number']}")
    assert "/pindah" in page.text and "/batal" in page.text
    moved = post_form(f"{ORDERS}/{order['number']}/pindah", {"slot": product.slots[1]})
    assert moved.status_code == 303, moved.text
    assert remaining(city_run, product.slots[0]) == 10
    assert remaining(city_run, product.slots[1]) == 8
    assert {t["slot"] for t in tickets_of(city_run, order["number"])} == {product.slots[1]}


def test_moving_to_a_bad_slot_is_refused_with_nothing_changed(
    client, city_run, post_form, login_as
):
    product, order = paid_order(client, city_run, post_form, login_as, cancel_hours=24)
    other = add_product(city_run)
    for slot in (product.slots[0], other.slots[0], "x", "99999"):
        answer = post_form(f"{ORDERS}/{order['number']}/pindah", {"slot": slot})
        assert answer.status_code == 400
    assert remaining(city_run, product.slots[0]) == 8
    assert remaining(city_run, product.slots[1]) == 10


def test_no_change_without_rules_or_after_the_deadline(client, city_run, post_form, login_as):
    product, order = paid_order(client, city_run, post_form, login_as)  # no cancel_hours
    assert "/pindah" not in client.get(f"{ORDERS}/{order['number']}").text
    assert (
        post_form(f"{ORDERS}/{order['number']}/pindah", {"slot": product.slots[1]}).status_code
        == 400
    )
    late, late_order = paid_order(client, city_run, post_form, login_as, cancel_hours=24 * 5)
    answer = post_form(f"{ORDERS}/{late_order['number']}/batal", {})
    assert answer.status_code == 400
    assert "tidak dapat dibatalkan" in answer.text
    assert remaining(city_run, late.slots[0]) == 8


def test_cancelling_refunds_the_invoice_and_the_tickets(client, city_run, post_form, login_as):
    product, order = paid_order(client, city_run, post_form, login_as, cancel_hours=24)
    answer = post_form(f"{ORDERS}/{order['number']}/batal", {})
    assert answer.status_code == 303, answer.text
    assert {t["status"] for t in tickets_of(city_run, order["number"])} == {"refunded"}
    assert remaining(city_run, product.slots[0]) == 10

    async def invoice_status() -> str:
        return (await ledger.invoice_by_number(order["invoice_number"])).status.value

    assert city_run("malang", invoice_status) == "refunded"
    assert post_form(f"{ORDERS}/{order['number']}/batal", {}).status_code == 400  # once


def test_a_product_with_a_fee_sends_the_buyer_to_the_counter(client, city_run, post_form, login_as):
    product, order = paid_order(
        client, city_run, post_form, login_as, cancel_hours=24, cancel_fee=5000
    )
    page = client.get(f"{ORDERS}/{order['number']}")
    assert "/batal" not in page.text and "Rp5.000" in page.text
    assert post_form(f"{ORDERS}/{order['number']}/batal", {}).status_code == 400
    assert remaining(city_run, product.slots[0]) == 8


def test_someone_elses_order_cannot_be_changed(client, city_run, post_form, login_as):
    product, order = paid_order(client, city_run, post_form, login_as, cancel_hours=24)
    login_as()
    assert post_form(f"{ORDERS}/{order['number']}/batal", {}).status_code == 404
    assert (
        post_form(f"{ORDERS}/{order['number']}/pindah", {"slot": product.slots[1]}).status_code
        == 404
    )
