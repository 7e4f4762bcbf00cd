"""A stall's market fee paid through a partner: by stall code, the oldest unpaid month first."""

from __future__ import annotations

import partner_support
import pytest
from balai.partners.partner_side import INQUIRY_PATH, PAYMENT_PATH
from balai_pajak.retribusi import partner_bill
from balai_pajak.retribusi.tables import StallBill
from test_retribusi_pages import add_market, bills, generate, this_month

partner = partner_support.partner
_call = partner_support.call


@pytest.fixture
def balai_cities():
    return {"malang": ["pajak"], "semarang": ["pajak"]}


def test_the_stall_code_is_read_strictly():
    assert partner_bill.CODE.match("RTB-S0000042")
    assert not partner_bill.CODE.match("RTB-S42")
    assert partner_bill.stall_code(42) == "RTB-S0000042"


def test_a_partner_pays_the_oldest_unpaid_month_once(client, city_run, partner):
    _, stalls = add_market(city_run)
    month = this_month()
    generate(city_run, month.previous())
    generate(city_run, month)
    code = partner_bill.stall_code(stalls[0])
    asked = _call(client, partner, INQUIRY_PATH, {"customerNo": code, "inquiryRequestId": "Q1"})
    assert asked.status_code == 200, asked.text
    data = asked.json()["virtualAccountData"]
    assert data["totalAmount"]["value"] == "50000.00"
    assert data["virtualAccountName"] == "B* P******* 1"
    pay = {
        "customerNo": code,
        "inquiryRequestId": "Q1",
        "paymentRequestId": "P1",
        "paidAmount": {"value": "50000.00", "currency": "IDR"},
    }
    assert _call(client, partner, PAYMENT_PATH, pay).status_code == 200
    assert _call(client, partner, PAYMENT_PATH, pay).status_code == 200
    rows = [b for b in bills(city_run) if b["stall"] == stalls[0]]
    assert [(b["month"], b["status"]) for b in rows] == [
        (month.previous().month, "paid"),
        (month.month, "unpaid"),
    ]
    assert rows[0]["paid_channel"] == "partner"


def test_a_stall_of_another_city_is_unknown(client, city_run, partner):
    _, stalls = add_market(city_run, city="semarang")
    generate(city_run, this_month(), city="semarang")
    code = partner_bill.stall_code(stalls[0])
    answer = _call(client, partner, INQUIRY_PATH, {"customerNo": code, "inquiryRequestId": "Q1"})
    assert answer.status_code == 404

    async def none_held():
        return await StallBill.count().where(StallBill.invoice_number != "")

    assert city_run("semarang", none_held) == 0
