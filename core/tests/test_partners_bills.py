"""The biller cycle through the signed partner API: inquiry, payment once, same-day reversal.

Every refusal answers a SNAP code and writes nothing but, for a request
that passed authentication, the partner's message id (the replay guard).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import test_partners_support as support
import test_payments_support as payments
from balai.partners.bills import mask_name
from balai.partners.partner_side import INQUIRY_PATH, PAYMENT_PATH, REVERSAL_PATH
from balai.partners.tables import PartnerPayment
from balai.payments.tables import Payment
from hypothesis import given
from hypothesis import strategies as st
from test_partners_support import add_partner, call, code, counts, get_token, inquiry, payment
from test_payments_support import invoice_status, new_invoice

balai_cities = support.balai_cities
toko = payments.toko
lapak = support.lapak
balai_app = support.balai_app


@pytest.fixture
def partner(balai_app, city_run):
    """A Malang partner allowed to pay bills."""
    return add_partner(balai_app, city_run)


@pytest.fixture
def token(client, partner):
    """Its access token."""
    return get_token(client, partner)


def test_inquiry_answers_the_amount_a_masked_name_and_the_lines(client, city_run, partner, token):
    invoice = new_invoice(city_run, amount=15000)
    answer = call(client, partner, token, INQUIRY_PATH, inquiry(invoice.number))
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["responseCode"] == "2002400"
    bill = data["virtualAccountData"]
    assert bill["totalAmount"] == {"value": "15000.00", "currency": "IDR"}
    assert bill["virtualAccountName"] == "S*** R*****"
    assert [line["billAmount"]["value"] for line in bill["billDetails"]] == ["10000.00", "5000.00"]
    assert counts(city_run)["inquiries"] == 1


def test_a_payment_settles_once_through_retries_and_duplicates(
    client, city_run, partner, token, toko
):
    invoice = new_invoice(city_run, amount=15000)
    call(client, partner, token, INQUIRY_PATH, inquiry(invoice.number))
    first = call(client, partner, token, PAYMENT_PATH, payment(invoice.number, 15000))
    assert first.status_code == 200, first.text
    assert code(first) == "2002500"
    reference = first.json()["virtualAccountData"]["referenceNo"]
    assert reference.startswith("PAY-")
    retries = [
        call(client, partner, token, PAYMENT_PATH, payment(invoice.number, 15000)) for _ in range(3)
    ]  # each a new X-EXTERNAL-ID: a partner retrying after a time-out
    assert {r.json()["virtualAccountData"]["referenceNo"] for r in retries} == {reference}
    assert invoice_status(city_run, invoice) == "paid"
    assert toko.settled == [("malang", invoice.number)]
    rows = counts(city_run)
    assert rows["payments"] == 1 and rows["partner_payments"] == 1 and rows["events"] == 1

    async def provider() -> str:
        return (await Payment.select().first())["provider"]

    assert city_run("malang", provider) == "partner"


def test_a_replayed_message_is_refused_and_writes_nothing(client, city_run, partner, token):
    invoice = new_invoice(city_run, amount=15000)
    call(client, partner, token, INQUIRY_PATH, inquiry(invoice.number))
    before = counts(city_run)
    body = payment(invoice.number, 15000)
    first = call(client, partner, token, PAYMENT_PATH, body, external_id="11112222333344445555")
    assert code(first) == "2002500"
    after_first = counts(city_run)
    replay = call(client, partner, token, PAYMENT_PATH, body, external_id="11112222333344445555")
    assert replay.status_code == 409 and code(replay) == "4092500"
    assert counts(city_run) == after_first
    assert after_first["payments"] == before["payments"] + 1


def test_an_amount_other_than_the_inquiry_is_refused(client, city_run, partner, token):
    invoice = new_invoice(city_run, amount=15000)
    call(client, partner, token, INQUIRY_PATH, inquiry(invoice.number))
    before = counts(city_run)
    answer = call(client, partner, token, PAYMENT_PATH, payment(invoice.number, 14000))
    assert answer.status_code == 404 and code(answer) == "4042513"
    after = counts(city_run)
    assert {k: v for k, v in after.items() if k != "messages"} == {
        k: v for k, v in before.items() if k != "messages"
    }
    assert invoice_status(city_run, invoice) == "pending"


def test_a_payment_without_an_inquiry_of_that_bill_is_refused(client, city_run, partner, token):
    invoice = new_invoice(city_run, amount=15000)
    answer = call(client, partner, token, PAYMENT_PATH, payment(invoice.number, 15000))
    assert answer.status_code == 404 and code(answer) == "4042512"
    assert counts(city_run)["partner_payments"] == 0


def test_another_citys_bill_is_unknown(client, city_run, partner, token):
    semarang = new_invoice(city_run, city="semarang", amount=15000)
    answer = call(client, partner, token, INQUIRY_PATH, inquiry(semarang.number))
    assert answer.status_code == 404 and code(answer) == "4042412"
    assert counts(city_run)["inquiries"] == 0


def test_an_unknown_customer_number_is_refused(client, city_run, partner, token):
    answer = call(client, partner, token, INQUIRY_PATH, inquiry("INV-2026-AAAA-BBBB"))
    assert answer.status_code == 404 and code(answer) == "4042412"


def test_a_malformed_body_is_a_field_error(client, city_run, partner, token):
    answer = call(client, partner, token, INQUIRY_PATH, {"customerNo": "<script>"})
    assert answer.status_code == 400 and code(answer) == "4002401"
    answer = call(client, partner, token, INQUIRY_PATH, {"customerNo": "INV-1"})
    assert answer.status_code == 400 and code(answer) == "4002402"


def test_a_reversal_voids_the_payment_once_and_tells_the_plugin(
    client, city_run, partner, token, toko
):
    invoice = new_invoice(city_run, amount=15000)
    call(client, partner, token, INQUIRY_PATH, inquiry(invoice.number))
    call(client, partner, token, PAYMENT_PATH, payment(invoice.number, 15000))
    first = call(client, partner, token, REVERSAL_PATH, {"paymentRequestId": "PAY-1"})
    assert first.status_code == 200 and code(first) == "2003100"
    assert invoice_status(city_run, invoice) == "refunded"
    assert toko.refunded == [("malang", invoice.number)]
    again = call(client, partner, token, REVERSAL_PATH, {"paymentRequestId": "PAY-1"})
    assert again.status_code == 409 and code(again) == "4093100"
    assert toko.refunded == [("malang", invoice.number)]
    paid_again = call(client, partner, token, PAYMENT_PATH, payment(invoice.number, 15000))
    assert paid_again.status_code == 404 and code(paid_again) == "4042518"


def test_a_reversal_after_the_business_day_is_refused(client, city_run, partner, token):
    invoice = new_invoice(city_run, amount=15000)
    call(client, partner, token, INQUIRY_PATH, inquiry(invoice.number))
    call(client, partner, token, PAYMENT_PATH, payment(invoice.number, 15000))

    async def yesterday() -> None:
        day = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
        await PartnerPayment.update({PartnerPayment.day: day}).where(PartnerPayment.id > 0)

    city_run("malang", yesterday)
    answer = call(client, partner, token, REVERSAL_PATH, {"paymentRequestId": "PAY-1"})
    assert answer.status_code == 403 and code(answer) == "4033115"
    assert invoice_status(city_run, invoice) == "paid"


def test_a_partner_without_the_bills_service_is_refused(client, balai_app, city_run):
    keys = add_partner(balai_app, city_run, services=("catalogue",))
    token = get_token(client, keys)
    invoice = new_invoice(city_run, amount=15000)
    answer = call(client, keys, token, INQUIRY_PATH, inquiry(invoice.number))
    assert answer.status_code == 403 and code(answer) == "4032415"
    assert counts(city_run)["inquiries"] == 0


def test_a_plugins_payable_opens_its_invoice_only_when_paid(
    client, city_run, partner, token, lapak
):
    answer = call(client, partner, token, INQUIRY_PATH, inquiry("LAPAK-12"))
    assert answer.json()["virtualAccountData"]["totalAmount"]["value"] == "12000.00"
    assert lapak.opened == 0
    paid = call(client, partner, token, PAYMENT_PATH, payment("LAPAK-12", 12000))
    assert paid.status_code == 200, paid.text
    assert lapak.opened == 1 and lapak.paid == {"LAPAK-12"}
    again = call(client, partner, token, PAYMENT_PATH, payment("LAPAK-12", 12000))
    assert again.json() == paid.json() and lapak.opened == 1
    later = call(client, partner, token, INQUIRY_PATH, inquiry("LAPAK-12", "INQ-2"))
    assert later.status_code == 404 and code(later) == "4042412"


@given(st.lists(st.text(min_size=1, max_size=12).filter(lambda w: w.strip() == w), max_size=8))
def test_a_masked_name_shows_only_each_words_first_letter(words):
    name = " ".join(w for w in words if w and not any(c.isspace() for c in w))
    masked = mask_name(name)
    assert len(masked) <= 120
    for shown, word in zip(masked.split(" "), name.split()[:6], strict=False):
        assert shown[0] == word[0] and set(shown[1:]) <= {"*"}
