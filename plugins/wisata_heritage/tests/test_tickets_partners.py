"""Heritage tickets sold by a partner over the signed API: list, hold, confirm once, cancel.

Every refusal answers a SNAP code and writes nothing but the partner's
message id (the replay guard); a partner's ticket passes the gate once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from balai.partners.partner_side import (
    TICKETS_CANCEL_PATH,
    TICKETS_CONFIRM_PATH,
    TICKETS_HOLD_PATH,
    TICKETS_LIST_PATH,
)
from balai.partners.tables import PartnerTicketOrder
from balai.payments.tables import Payment, PaymentInvoice
from heritage_partner_support import add_partner, call, code, seller, token_of
from ticket_support import add_product, counts, remaining, tickets_of

seller = seller  # the fixture
GATE = "/malang/kelola/wisata-heritage/gerbang"


@pytest.fixture
def balai_cities():
    """Both cities run the heritage plugin (another city's slot must stay unknown)."""
    return {"malang": ["wisata_heritage"], "semarang": ["wisata_heritage"]}


def hold_body(product, reference="HOLD-1", slot=None, **extra):
    body = {
        "partnerReferenceNo": reference,
        "slotId": f"wisata_heritage:{slot if slot is not None else product.slots[0]}",
        "quantities": {"adult": 2, "child": 1},
    }
    body.update(extra)
    return body


def confirm_body(reference="HOLD-1", payment="PAY-1", amount=50000):
    return {
        "partnerReferenceNo": reference,
        "paymentRequestId": payment,
        "paidAmount": {"value": f"{amount}.00", "currency": "IDR"},
    }


def rows(city_run, city="malang"):
    """What a ticket cycle writes: partner orders, orders, tickets, invoices, payments."""

    async def read():
        return (
            await PartnerTicketOrder.count(),
            *(await _heritage_counts()),
            await PaymentInvoice.count(),
            await Payment.count(),
        )

    async def _heritage_counts():
        from balai_wisata_heritage.tickets.tables import Ticket, TicketOrder

        return await TicketOrder.count(), await Ticket.count()

    return city_run(city, read)


def test_the_list_shows_slots_with_the_partner_quota_and_prices(client, city_run, seller):
    sold = add_product(city_run, partner=7, slots=2)
    add_product(city_run)  # no partner quota: not offered
    answer = call(client, seller, TICKETS_LIST_PATH, {})
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["responseCode"] == "2006000"
    assert [s["slotId"] for s in data["slots"]] == [f"wisata_heritage:{i}" for i in sold.slots]
    first = data["slots"][0]
    assert first["available"] == 7 and first["place"] == "Museum Mpu Purwa"
    assert {p["category"]: p["price"]["value"] for p in first["prices"]} == {
        "adult": "20000.00",
        "child": "10000.00",
        "foreign": "50000.00",
    }
    assert first["startsAt"].endswith("+07:00")


def test_a_hold_then_a_confirmation_issues_signed_tickets_once(client, city_run, seller):
    product = add_product(city_run, partner=5)
    slot = product.slots[0]
    held = call(client, seller, TICKETS_HOLD_PATH, hold_body(product))
    assert held.status_code == 200, held.text
    assert code(held) == "2006100"
    assert held.json()["totalAmount"]["value"] == "50000.00"
    assert held.json()["status"] == "held"
    assert remaining(city_run, slot, "partner") == 2
    assert remaining(city_run, slot, "online") == 10
    again = call(client, seller, TICKETS_HOLD_PATH, hold_body(product))  # a retry
    assert again.json()["orderNumber"] == held.json()["orderNumber"]
    assert remaining(city_run, slot, "partner") == 2

    confirmed = call(client, seller, TICKETS_CONFIRM_PATH, confirm_body())
    assert confirmed.status_code == 200, confirmed.text
    assert code(confirmed) == "2006200"
    issued = confirmed.json()["tickets"]
    assert sorted(t["category"] for t in issued) == ["adult", "adult", "child"]
    assert all(t["payload"].count(".") >= 1 for t in issued)
    number = confirmed.json()["orderNumber"]
    assert {t["status"] for t in tickets_of(city_run, number)} == {"valid"}
    retried = call(client, seller, TICKETS_CONFIRM_PATH, confirm_body())
    assert retried.status_code == 200
    assert [t["code"] for t in retried.json()["tickets"]] == [t["code"] for t in issued]
    assert rows(city_run) == (1, 1, 3, 1, 1)

    async def provider():
        return (await Payment.select().first())["provider"]

    assert city_run("malang", provider) == "partner"


def test_a_second_confirmation_of_another_reference_is_refused(client, city_run, seller):
    product = add_product(city_run, partner=5)
    call(client, seller, TICKETS_HOLD_PATH, hold_body(product))
    assert call(client, seller, TICKETS_CONFIRM_PATH, confirm_body()).status_code == 200
    before = rows(city_run)
    double = call(client, seller, TICKETS_CONFIRM_PATH, confirm_body(payment="PAY-2"))
    assert double.status_code == 409 and code(double) == "4096200"
    assert "already confirmed" in double.json()["responseMessage"]
    assert rows(city_run) == before


def test_more_than_the_partner_quota_is_sold_out_and_nothing_is_written(client, city_run, seller):
    product = add_product(city_run, partner=3)
    call(client, seller, TICKETS_HOLD_PATH, hold_body(product))  # 3 of 3
    before = rows(city_run)
    answer = call(client, seller, TICKETS_HOLD_PATH, hold_body(product, "HOLD-2"))
    assert answer.status_code == 409 and code(answer) == "4096101"
    assert "Sold out" in answer.json()["responseMessage"]
    assert rows(city_run) == before
    assert remaining(city_run, product.slots[0], "partner") == 0
    assert remaining(city_run, product.slots[0], "online") == 10  # other channels untouched


def test_a_slot_without_a_partner_quota_is_sold_out(client, city_run, seller):
    product = add_product(city_run)
    answer = call(client, seller, TICKETS_HOLD_PATH, hold_body(product))
    assert answer.status_code == 409 and code(answer) == "4096101"
    assert rows(city_run)[:2] == (0, 0)


@pytest.mark.parametrize(
    ("change", "status", "expected"),
    [
        ({"quantities": {"adult": 0}}, 400, "4006101"),
        ({"quantities": {"adult": 51}}, 400, "4006101"),
        ({"quantities": {"adult": 11}}, 400, "4006101"),  # the product allows 10
        ({"quantities": {"student": 1}}, 400, "4006101"),  # not sold for this product
        ({"quantities": {"adult": True}}, 400, "4006101"),
        ({"quantities": []}, 400, "4006101"),
        ({"holdMinutes": 0}, 400, "4006101"),
        ({"holdMinutes": 31}, 400, "4006101"),
        ({"slotId": "wisata_heritage:999999"}, 404, "4046112"),
        ({"slotId": "pasar:1"}, 404, "4046112"),
        ({"slotId": "12"}, 400, "4006101"),
        ({"partnerReferenceNo": ""}, 400, "4006102"),
        ({"customerName": "a\nb"}, 400, "4006101"),
    ],
)
def test_bad_holds_are_refused_and_write_nothing(
    client, city_run, seller, change, status, expected
):
    product = add_product(city_run, partner=5)
    answer = call(client, seller, TICKETS_HOLD_PATH, hold_body(product, **change))
    assert answer.status_code == status, answer.text
    assert code(answer) == expected
    assert rows(city_run) == (0, 0, 0, 0, 0)
    assert remaining(city_run, product.slots[0], "partner") == 5


def test_another_citys_slot_is_unknown(client, city_run, seller):
    theirs = add_product(city_run, "semarang", partner=5)
    answer = call(client, seller, TICKETS_HOLD_PATH, hold_body(theirs))
    assert answer.status_code == 404 and code(answer) == "4046112"
    assert rows(city_run, "semarang")[:3] == (0, 0, 0)
    assert remaining(city_run, theirs.slots[0], "partner", city="semarang") == 5


def test_a_begun_slot_is_not_on_sale(client, city_run, seller):
    product = add_product(city_run, partner=5, starts_in=timedelta(minutes=-10))
    answer = call(client, seller, TICKETS_HOLD_PATH, hold_body(product))
    assert answer.status_code == 403 and code(answer) == "4036115"
    assert rows(city_run) == (0, 0, 0, 0, 0)


def test_a_reference_reused_for_another_hold_is_inconsistent(client, city_run, seller):
    product = add_product(city_run, partner=5)
    call(client, seller, TICKETS_HOLD_PATH, hold_body(product))
    before = rows(city_run)
    other = call(client, seller, TICKETS_HOLD_PATH, hold_body(product, quantities={"adult": 1}))
    assert other.status_code == 404 and code(other) == "4046118"
    assert rows(city_run) == before


def test_an_expired_hold_frees_its_places_and_cannot_be_confirmed(
    client, city_run, seller, balai_app
):
    from balai.payments.ledger import expire_overdue

    product = add_product(city_run, partner=5)
    held = call(client, seller, TICKETS_HOLD_PATH, hold_body(product, holdMinutes=1))
    expires = datetime.fromisoformat(held.json()["expiresAt"])
    assert timedelta(seconds=30) < expires - datetime.now(UTC) <= timedelta(minutes=1)

    async def expire():
        later = datetime.now(UTC) + timedelta(minutes=2)
        return await expire_overdue(registry=balai_app.ui.registry, now=later)

    assert len(city_run("malang", expire)) == 1
    assert remaining(city_run, product.slots[0], "partner") == 5
    answer = call(client, seller, TICKETS_CONFIRM_PATH, confirm_body())
    assert answer.status_code == 404 and code(answer) == "4046219"
    assert rows(city_run)[-1] == 0  # no payment

    async def reference():
        return (await PartnerTicketOrder.select().first())["payment_reference"]

    assert city_run("malang", reference) is None


def _lapse_holds(city_run):
    """The holds' time has passed (their invoices are due), and no expiry job has run."""

    async def backdate():
        past = datetime.now(UTC) - timedelta(seconds=1)
        await PaymentInvoice.update({PaymentInvoice.due_at: past}, force=True)
        await PartnerTicketOrder.update({PartnerTicketOrder.expires_at: past}, force=True)

    city_run("malang", backdate)


def test_a_lapsed_hold_frees_its_places_when_the_list_is_read(client, city_run, seller):
    product = add_product(city_run, partner=5)
    call(client, seller, TICKETS_HOLD_PATH, hold_body(product))
    assert remaining(city_run, product.slots[0], "partner") == 2
    _lapse_holds(city_run)
    answer = call(client, seller, TICKETS_LIST_PATH, {})
    assert answer.status_code == 200, answer.text
    assert answer.json()["slots"][0]["available"] == 5
    assert remaining(city_run, product.slots[0], "partner") == 5
    confirm = call(client, seller, TICKETS_CONFIRM_PATH, confirm_body())
    assert confirm.status_code == 404 and code(confirm) == "4046219"


def test_a_lapsed_hold_frees_its_places_for_a_new_hold(client, city_run, seller):
    product = add_product(city_run, partner=5)
    first = call(client, seller, TICKETS_HOLD_PATH, hold_body(product))
    _lapse_holds(city_run)
    whole = hold_body(product, reference="HOLD-2", quantities={"adult": 5})
    second = call(client, seller, TICKETS_HOLD_PATH, whole)
    assert second.status_code == 200, second.text
    assert remaining(city_run, product.slots[0], "partner") == 0
    number = first.json()["orderNumber"]
    assert {t["status"] for t in tickets_of(city_run, number)} == {"void"}


def test_a_cancelled_hold_frees_its_places_at_once(client, city_run, seller):
    product = add_product(city_run, partner=5)
    held = call(client, seller, TICKETS_HOLD_PATH, hold_body(product))
    cancelled = call(client, seller, TICKETS_CANCEL_PATH, {"partnerReferenceNo": "HOLD-1"})
    assert cancelled.status_code == 200, cancelled.text
    assert code(cancelled) == "2006300" and cancelled.json()["status"] == "cancelled"
    assert remaining(city_run, product.slots[0], "partner") == 5
    number = held.json()["orderNumber"]
    assert {t["status"] for t in tickets_of(city_run, number)} == {"cancelled"}
    twice = call(client, seller, TICKETS_CANCEL_PATH, {"partnerReferenceNo": "HOLD-1"})
    assert twice.status_code == 409 and code(twice) == "4096300"
    late = call(client, seller, TICKETS_CONFIRM_PATH, confirm_body())
    assert late.status_code == 409 and code(late) == "4096200"
    assert rows(city_run)[-1] == 0


def test_confirming_or_cancelling_an_unknown_hold_and_a_wrong_amount_are_refused(
    client, city_run, seller
):
    product = add_product(city_run, partner=5)
    unknown = call(client, seller, TICKETS_CONFIRM_PATH, confirm_body("NOPE"))
    assert unknown.status_code == 404 and code(unknown) == "4046212"
    assert (
        call(client, seller, TICKETS_CANCEL_PATH, {"partnerReferenceNo": "NOPE"}).status_code == 404
    )
    call(client, seller, TICKETS_HOLD_PATH, hold_body(product))
    before = rows(city_run)
    wrong = call(client, seller, TICKETS_CONFIRM_PATH, confirm_body(amount=49000))
    assert wrong.status_code == 404 and code(wrong) == "4046213"
    assert rows(city_run) == before


def test_a_confirmed_order_is_not_cancelled_by_the_partner(client, city_run, seller):
    product = add_product(city_run, partner=5)
    call(client, seller, TICKETS_HOLD_PATH, hold_body(product))
    call(client, seller, TICKETS_CONFIRM_PATH, confirm_body())
    answer = call(client, seller, TICKETS_CANCEL_PATH, {"partnerReferenceNo": "HOLD-1"})
    assert answer.status_code == 403 and code(answer) == "4036315"
    assert remaining(city_run, product.slots[0], "partner") == 2


def test_a_partner_without_the_tickets_service_is_refused(client, city_run, balai_app):
    keys = add_partner(balai_app, city_run, services=("bills",))
    partner = (keys, token_of(client, keys))
    product = add_product(city_run, partner=5)
    answer = call(client, partner, TICKETS_HOLD_PATH, hold_body(product))
    assert answer.status_code == 403 and code(answer) == "4036115"
    assert counts(city_run) == (0, 0)


def test_a_partner_sold_ticket_is_admitted_once_at_the_gate(
    client, city_run, seller, post_form, login_as
):
    product = add_product(city_run, partner=5, starts_in=timedelta(minutes=10))
    call(client, seller, TICKETS_HOLD_PATH, hold_body(product))
    issued = call(client, seller, TICKETS_CONFIRM_PATH, confirm_body()).json()["tickets"]
    login_as("wisata_heritage.gate_officer")
    first = post_form(GATE, {"kode": issued[0]["payload"], "gerbang": "1"})
    assert first.status_code == 200
    assert "BOLEH MASUK" in first.text and issued[0]["code"] in first.text
    second = post_form(GATE, {"kode": issued[0]["payload"], "gerbang": "2"})
    assert "DITOLAK" in second.text and "Sudah dipakai" in second.text
