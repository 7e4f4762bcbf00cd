"""A PBB bill paid through a partner: by NOP and year, the penalty recomputed for today.

The partner asks over the signed API (``balai.partners``); the bill is found
through pajak's ``payables`` answer, paid through the ledger and marked paid
by pajak's own settlement hook.
"""

from __future__ import annotations

import partner_support
import pbb_citizen_support as support
from balai.partners.partner_side import INQUIRY_PATH, PAYMENT_PATH, REVERSAL_PATH
from balai_pajak.pbb import partner_bill
from balai_pajak.tables import BillPayment, Sppt
from pbb_citizen_support import NOP, SEMARANG_NOP, STANDARD_BILLS, add_object

balai_config = support.balai_config
partner = partner_support.partner
_call = partner_support.call

# Today's amounts (see pbb_citizen_support): 2019 one month late at 2 %, 2024 at 1 %.
OWED_2019 = 200_000 + 4_000
OWED_2024 = 300_000 + 3_000


def _bill(city_run, bill_id):
    async def read():
        return await Sppt.select().where(Sppt.id == bill_id).first()

    return city_run("malang", read)


def test_the_customer_number_is_the_nop_and_the_year():
    assert partner_bill.read_number("35.73.010.001.001-0001.0/2024") == (NOP, 2024)
    assert partner_bill.read_number(NOP + "2024") == (NOP, 2024)
    assert partner_bill.read_number(NOP) is None
    assert partner_bill.read_number("INV-2026-AAAA-BBBB") is None


def test_a_late_bill_is_inquired_with_todays_penalty_and_paid_once(client, city_run, partner):
    ids = city_run("malang", add_object(bills=STANDARD_BILLS))
    customer = NOP + "2024"
    asked = _call(client, partner, INQUIRY_PATH, {"customerNo": customer, "inquiryRequestId": "Q1"})
    assert asked.status_code == 200, asked.text
    bill = asked.json()["virtualAccountData"]
    assert bill["totalAmount"]["value"] == f"{OWED_2024}.00"
    assert bill["virtualAccountName"] == "H* M**** S******"
    assert [d["billAmount"]["value"] for d in bill["billDetails"]] == ["300000.00", "3000.00"]
    pay = {
        "customerNo": customer,
        "inquiryRequestId": "Q1",
        "paymentRequestId": "P1",
        "paidAmount": {"value": f"{OWED_2024}.00", "currency": "IDR"},
    }
    first = _call(client, partner, PAYMENT_PATH, pay)
    assert first.status_code == 200, first.text
    assert _call(client, partner, PAYMENT_PATH, pay).json() == first.json()
    paid = _bill(city_run, ids[2024])
    assert paid["status"] == "paid" and paid["paid_penalty"] == 3000
    assert _bill(city_run, ids[2019])["status"] == "unpaid"
    again = _call(client, partner, INQUIRY_PATH, {"customerNo": customer, "inquiryRequestId": "Q2"})
    assert again.status_code == 404  # nothing owed any more


def test_a_reversal_makes_the_bill_unpaid_again(client, city_run, partner):
    ids = city_run("malang", add_object(bills=STANDARD_BILLS))
    customer = NOP + "2019"
    _call(client, partner, INQUIRY_PATH, {"customerNo": customer, "inquiryRequestId": "Q1"})
    pay = {
        "customerNo": customer,
        "inquiryRequestId": "Q1",
        "paymentRequestId": "P1",
        "paidAmount": {"value": f"{OWED_2019}.00", "currency": "IDR"},
    }
    assert _call(client, partner, PAYMENT_PATH, pay).status_code == 200
    assert _bill(city_run, ids[2019])["status"] == "paid"
    reversed_ = _call(client, partner, REVERSAL_PATH, {"paymentRequestId": "P1"})
    assert reversed_.status_code == 200, reversed_.text
    assert _bill(city_run, ids[2019])["status"] == "unpaid"


def test_a_bill_of_another_city_or_a_paid_year_is_not_payable(client, city_run, partner):
    city_run("malang", add_object(bills=STANDARD_BILLS))
    city_run("semarang", add_object(nop=SEMARANG_NOP, bills=STANDARD_BILLS))
    for customer in (SEMARANG_NOP + "2024", NOP + "2023", NOP + "2031"):
        answer = _call(
            client, partner, INQUIRY_PATH, {"customerNo": customer, "inquiryRequestId": "Q9"}
        )
        assert answer.status_code == 404 and answer.json()["responseCode"] == "4042412"

    async def held():
        return await BillPayment.count()

    assert city_run("malang", held) == 0
