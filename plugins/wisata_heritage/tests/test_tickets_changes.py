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
GATE = "/malang/kelola/wisata-heritage/gerbang"


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


def _invoice(city_run, number):
    async def read():
        return await ledger.invoice_by_number(number)

    return city_run("malang", read)


def test_cancelling_one_ticket_refunds_its_price_less_the_fee_and_the_gate_refuses_it(
    client, city_run, post_form, login_as
):
    product, order = paid_order(
        client, city_run, post_form, login_as, cancel_hours=24, cancel_fee=5000
    )
    page = client.get(f"{ORDERS}/{order['number']}")
    assert "Rp5.000" in page.text and page.text.count("/batal") == 3  # each ticket, and all
    first, _ = tickets_of(city_run, order["number"])
    answer = post_form(f"{ORDERS}/{order['number']}/tiket/{first['code']}/batal", {})
    assert answer.status_code == 303, answer.text
    assert [t["status"] for t in tickets_of(city_run, order["number"])] == ["refunded", "valid"]
    assert remaining(city_run, product.slots[0]) == 9
    invoice = _invoice(city_run, order["invoice_number"])
    # Rp20.000 paid per adult ticket, Rp5.000 kept: Rp15.000 back, the invoice still paid.
    assert (invoice.status.value, invoice.refunded_amount) == ("paid", 15000)
    assert order_by_invoice(city_run, order["invoice_number"])["refunded"] == 15000
    assert "Rp15.000" in client.get(f"{ORDERS}/{order['number']}").text
    # Once only: the same ticket again is refused, nothing more refunded.
    again = post_form(f"{ORDERS}/{order['number']}/tiket/{first['code']}/batal", {})
    assert again.status_code == 400
    assert _invoice(city_run, order["invoice_number"]).refunded_amount == 15000
    # The gate refuses the refunded ticket with that reason.
    login_as("wisata_heritage.gate_officer")
    refused = post_form(GATE, {"kode": first["code"], "gerbang": "1"})
    assert "DITOLAK" in refused.text and "dikembalikan" in refused.text.lower()


def test_cancelling_all_with_a_fee_cancels_the_order_and_keeps_the_fees(
    client, city_run, post_form, login_as
):
    product, order = paid_order(
        client, city_run, post_form, login_as, cancel_hours=24, cancel_fee=5000
    )
    assert post_form(f"{ORDERS}/{order['number']}/batal", {}).status_code == 303
    assert {t["status"] for t in tickets_of(city_run, order["number"])} == {"refunded"}
    assert remaining(city_run, product.slots[0]) == 10
    invoice = _invoice(city_run, order["invoice_number"])
    assert (invoice.status.value, invoice.refunded_amount) == ("paid", 30000)
    assert order_by_invoice(city_run, order["invoice_number"])["status"] == "cancelled"
    assert post_form(f"{ORDERS}/{order['number']}/batal", {}).status_code == 400


def test_a_fee_as_large_as_the_price_refunds_nothing_and_the_ticket_is_cancelled(
    client, city_run, post_form, login_as
):
    product, order = paid_order(
        client, city_run, post_form, login_as, cancel_hours=24, cancel_fee=20000
    )
    first, _ = tickets_of(city_run, order["number"])
    answer = post_form(f"{ORDERS}/{order['number']}/tiket/{first['code']}/batal", {})
    assert answer.status_code == 303
    assert tickets_of(city_run, order["number"])[0]["status"] == "cancelled"
    assert _invoice(city_run, order["invoice_number"]).refunded_amount == 0
    assert remaining(city_run, product.slots[0]) == 9


def test_someone_elses_order_cannot_be_changed(client, city_run, post_form, login_as):
    product, order = paid_order(client, city_run, post_form, login_as, cancel_hours=24)
    login_as()
    assert post_form(f"{ORDERS}/{order['number']}/batal", {}).status_code == 404
    assert (
        post_form(f"{ORDERS}/{order['number']}/pindah", {"slot": product.slots[1]}).status_code
        == 404
    )
