"""My bills (amount owed today, itemised) and paying them through the core's ledger."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import partner_support
import pbb_citizen_support as support
import pytest
from balai_pajak.pbb import payment as pbb_payment
from balai_pajak.tables import BillPayment, Sppt
from pbb_citizen_support import (
    NOP,
    NOP_SHOWN,
    OTHER_NOP,
    SANDBOX_HREF,
    SEMARANG_NOP,
    STANDARD_BILLS,
    add_object,
    link,
    today,
)

balai_config = support.balai_config

# Today's amounts of STANDARD_BILLS: 2019 one month late at 2 %, 2024 one month late at
# 1 %, 2025 not yet due, 2023 paid.
OWED_2019 = 200_000 + 4_000
OWED_2024 = 300_000 + 3_000
OWED_2025 = 500_000


@pytest.fixture
def owner(client, post_form, city_run, login_as):
    """A citizen who linked NOP with the standard bills; their bill ids by year."""
    ids = city_run("malang", add_object(bills=STANDARD_BILLS))
    user = login_as(name="Siti Rahayu")
    assert link(post_form).status_code == 303
    return {**user, "bills": ids}


def bill_row(city_run, bill_id: int, city: str = "malang") -> dict:
    async def read():
        return await Sppt.select().where(Sppt.id == bill_id).first()

    return city_run(city, read)


def payments_of(city_run, number: str) -> list[dict]:
    async def read():
        return await (
            BillPayment.select()
            .where(BillPayment.invoice_number == number)
            .order_by(BillPayment.sppt)
        )

    return city_run("malang", read)


def invoice_number(response) -> str:
    assert response.status_code == 303, response.text[:300]
    found = re.fullmatch(r"/malang/bayar/(INV-[0-9A-Z-]+)", response.headers["location"])
    assert found, response.headers["location"]
    return found.group(1)


def pay(post_form, *bill_ids):
    return post_form("/malang/pajak/tagihan/bayar", {"bill": [str(i) for i in bill_ids]})


def pay_with_sandbox_va(client, post_form, number: str) -> str:
    """Choose the virtual account and play the bank paying it; returns the bank page."""
    started = post_form(f"/malang/bayar/{number}/mulai", {"method": "va"})
    assert started.status_code == 303
    page = client.get(f"/malang/bayar/{number}")
    bank = SANDBOX_HREF.search(page.text)
    assert bank, "no sandbox bank link on the invoice page"
    assert post_form(f"{bank.group(1)}/pay", {}).status_code == 303
    return bank.group(1)


# --- my bills -----------------------------------------------------------------


def test_my_bills_needs_login(client):
    response = client.get("/malang/pajak/tagihan", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/malang/masuk")


def test_without_links_the_page_invites_to_link(client, login_as):
    login_as()
    page = client.get("/malang/pajak/tagihan")
    assert page.status_code == 200
    assert "Belum ada objek pajak yang ditautkan" in page.text
    assert 'href="/malang/pajak/tautkan"' in page.text


def test_my_bills_itemises_what_each_bill_costs_today(client, owner):
    page = client.get("/malang/pajak/tagihan")
    assert page.status_code == 200
    text = page.text
    assert NOP_SHOWN in text and "Jl. Ki Ageng Gribig No. 45" in text
    # 2019: old regime, 2 % for the month started; 2024: HKPD, 1 %.
    assert "Rp4.000" in text and "1 bulan × 2%" in text and "Rp204.000" in text
    assert "Rp3.000" in text and "1 bulan × 1%" in text and "Rp303.000" in text
    assert "Rp500.000" in text
    total = OWED_2019 + OWED_2024 + OWED_2025
    assert f"berjumlah Rp{total:,}".replace(",", ".") in text
    bills = owner["bills"]
    for year in (2019, 2024, 2025):
        assert f'name="bill" value="{bills[year]}"' in text
    assert f'value="{bills[2023]}"' not in text  # paid: nothing to choose
    assert "Lunas" in text and "Lewat jatuh tempo" in text


def test_another_users_page_does_not_show_my_bills(client, owner, login_as):
    client.cookies.clear()
    login_as()
    page = client.get("/malang/pajak/tagihan")
    assert NOP_SHOWN not in page.text


# --- paying -------------------------------------------------------------------


def test_two_bills_make_one_invoice_with_principal_and_penalty_lines(
    client, post_form, city_run, owner
):
    bills = owner["bills"]
    number = invoice_number(pay(post_form, bills[2024], bills[2025]))
    rows = payments_of(city_run, number)
    assert [(r["sppt"], r["principal"], r["penalty"], r["status"]) for r in rows] == [
        (bills[2024], 300_000, 3_000, "pending"),
        (bills[2025], 500_000, 0, "pending"),
    ]
    page = client.get(f"/malang/bayar/{number}")
    assert page.status_code == 200
    text = page.text
    assert f"PBB-P2 2024, NOP {NOP_SHOWN}: pokok" in text
    assert f"PBB-P2 2024, NOP {NOP_SHOWN}: denda keterlambatan, 1 bulan × 1%" in text
    assert f"PBB-P2 2025, NOP {NOP_SHOWN}: pokok" in text
    assert "denda keterlambatan" not in text.split("PBB-P2 2025", 1)[1].split("</tr>", 1)[0]
    assert "Rp803.000" in text
    assert "Siti Rahayu" in text
    # My bills now points at the invoice instead of offering the bills again.
    mine = client.get("/malang/pajak/tagihan").text
    assert f"Menunggu pembayaran: {number}" in mine
    assert f'name="bill" value="{bills[2024]}"' not in mine


def test_the_same_bills_again_reuse_the_pending_invoice(client, post_form, owner):
    bills = owner["bills"]
    first = invoice_number(pay(post_form, bills[2024], bills[2025]))
    assert invoice_number(pay(post_form, bills[2025], bills[2024])) == first


def test_a_bill_in_another_pending_invoice_is_not_billed_twice(client, post_form, city_run, owner):
    bills = owner["bills"]
    first = invoice_number(pay(post_form, bills[2024]))
    response = pay(post_form, bills[2019], bills[2024])
    assert response.status_code == 409
    assert first in response.text and "menunggu dibayar" in response.text
    assert f'value="{bills[2019]}" checked' in response.text  # the choice is kept
    assert len(payments_of(city_run, first)) == 1

    async def count():
        return await BillPayment.count()

    assert city_run("malang", count) == 1


def test_paying_through_the_sandbox_va_marks_the_bills_paid_once(
    client, post_form, city_run, owner
):
    bills = owner["bills"]
    number = invoice_number(pay(post_form, bills[2024], bills[2025]))
    bank = pay_with_sandbox_va(client, post_form, number)
    for year, principal, fine in ((2024, 300_000, 3_000), (2025, 500_000, 0)):
        row = bill_row(city_run, bills[year])
        assert row["status"] == "paid"
        assert (row["paid_principal"], row["paid_penalty"]) == (principal, fine)
        assert row["invoice_number"] == number
        assert row["paid_at"] is not None
    assert [r["status"] for r in payments_of(city_run, number)] == ["paid", "paid"]
    assert bill_row(city_run, bills[2019])["status"] == "unpaid"

    # The bank sends its callback again: nothing changes.
    page = client.get(f"/malang/bayar/{number}")
    receipt = re.search(r'href="([^"]*/bayar/kuitansi/[^"]+)"', page.text)
    assert receipt
    first_paid_at = bill_row(city_run, bills[2024])["paid_at"]
    assert post_form(f"{bank}/resend", {}).status_code == 303
    assert bill_row(city_run, bills[2024])["paid_at"] == first_paid_at
    assert [r["status"] for r in payments_of(city_run, number)] == ["paid", "paid"]

    # My bills: paid, with a link straight to the same receipt (token included: the
    # owner of the NOP may see it whoever paid), which opens even without the session.
    mine = client.get("/malang/pajak/tagihan").text
    from_bills = re.findall(r'href="([^"]*/bayar/kuitansi/[^"]+)">Bukti pembayaran<', mine)
    assert len(from_bills) == 2  # 2024 and 2025, one invoice
    assert from_bills[0].split("?")[0] == receipt.group(1).split("?")[0]
    assert client.get(from_bills[0].replace("&amp;", "&")).status_code == 200
    assert f'name="bill" value="{bills[2024]}"' not in mine
    # The receipt lists the NOP and year lines, and its QR code leads to the verification.
    shown = client.get(receipt.group(1).replace("&amp;", "&"))
    assert shown.status_code == 200
    assert f"PBB-P2 2024, NOP {NOP_SHOWN}: pokok" in shown.text
    assert f"PBB-P2 2025, NOP {NOP_SHOWN}: pokok" in shown.text
    # The QR code leads to the city's own host (its base URL, https://malang.localhost);
    # this test client answers Malang under /malang/.
    verify = re.search(r"https://malang\.localhost(/bayar/verifikasi/[^<\s\"]+)", shown.text)
    assert verify
    checked = client.get("/malang" + verify.group(1).replace("&amp;", "&"))
    assert checked.status_code == 200 and "Rp803.000" in checked.text


def test_a_paid_bill_cannot_be_paid_again(client, post_form, owner):
    bills = owner["bills"]
    response = pay(post_form, bills[2023])
    assert response.status_code == 409
    assert "Tagihan tahun 2023 untuk NOP 35.73.010.001.001-0001.0 sudah dibayar." in response.text


def test_bills_of_unlinked_objects_other_users_and_other_cities_are_404(
    client, post_form, city_run, owner, login_as
):
    foreign = city_run("malang", add_object(OTHER_NOP, "Jl. Kol. Sugiono No. 88", STANDARD_BILLS))
    semarang = city_run("semarang", add_object(SEMARANG_NOP, "Jl. Pemuda", STANDARD_BILLS))
    assert pay(post_form, foreign[2024]).status_code == 404
    assert pay(post_form, semarang[2024]).status_code == 404
    assert pay(post_form, owner["bills"][2024], foreign[2025]).status_code == 404
    assert pay(post_form, 999_999).status_code == 404
    assert pay(post_form, "abc").status_code == 404
    client.cookies.clear()
    login_as()  # another citizen, who linked nothing
    assert pay(post_form, owner["bills"][2024]).status_code == 404

    async def count():
        return await BillPayment.count()

    assert city_run("malang", count) == 0


def test_choosing_nothing_is_a_400_on_the_bills_page(client, post_form, owner):
    response = post_form("/malang/pajak/tagihan/bayar", {})
    assert response.status_code == 400
    assert "Pilih sedikitnya satu tagihan untuk dibayar." in response.text
    assert NOP_SHOWN in response.text


def test_pay_form_needs_login_and_csrf(client, post_form, owner):
    refused = client.post("/malang/pajak/tagihan/bayar", data={"bill": str(owner["bills"][2024])})
    assert refused.status_code == 403
    client.cookies.clear()
    response = pay(post_form, owner["bills"][2024])
    assert response.status_code in (401, 303)


def test_an_expired_invoice_frees_its_bills(client, post_form, city_run, balai_app, owner):
    from balai.payments.ledger import expire_overdue

    bills = owner["bills"]
    number = invoice_number(pay(post_form, bills[2024]))

    async def expire():
        later = datetime.now(UTC) + timedelta(days=pbb_payment.MAX_DAYS_OPEN + 2)
        return await expire_overdue(registry=balai_app.ui.registry, now=later)

    assert city_run("malang", expire) == [number]
    assert [r["status"] for r in payments_of(city_run, number)] == ["expired"]
    assert bill_row(city_run, bills[2024])["status"] == "unpaid"
    again = invoice_number(pay(post_form, bills[2024]))
    assert again != number


def test_a_refunded_invoice_makes_its_bills_unpaid_again(
    client, post_form, city_run, balai_app, owner
):
    from balai.payments.ledger import invoice_by_number, refund

    bills = owner["bills"]
    number = invoice_number(pay(post_form, bills[2025]))
    pay_with_sandbox_va(client, post_form, number)
    assert bill_row(city_run, bills[2025])["status"] == "paid"

    async def give_back():
        invoice = await invoice_by_number(number)
        return await refund(
            invoice, officer_id=1, reason="dibayar dua kali", registry=balai_app.ui.registry
        )

    assert city_run("malang", give_back) is True
    row = bill_row(city_run, bills[2025])
    assert (row["status"], row["paid_principal"], row["invoice_number"]) == ("unpaid", 0, "")


# --- rules --------------------------------------------------------------------


def test_the_invoice_is_due_before_the_amount_owed_changes(balai_app):
    city = balai_app.ui.config.cities["malang"]
    day = today()

    def bill(due_in: int) -> dict:
        return {
            "id": 1,
            "year": 2025,
            "tax_due": 100_000,
            "due_date": day + timedelta(days=due_in),
            "status": "unpaid",
        }

    far = pbb_payment.invoice_due_at([bill(60)], day, city)
    assert far.astimezone(city.tz).date() == day + timedelta(days=pbb_payment.MAX_DAYS_OPEN + 1)
    # Due tomorrow: the day after it the first penalty month starts, so the invoice ends first.
    soon = pbb_payment.invoice_due_at([bill(1)], day, city)
    assert soon.astimezone(city.tz).date() == day + timedelta(days=2)
    assert soon.astimezone(city.tz).hour == 0


def test_source_ref_names_the_bills_and_stays_short():
    assert pbb_payment.source_ref([3, 17]) == "pbb:3,17"
    long = pbb_payment.source_ref(list(range(100_000, 100_025)))
    assert long.startswith("pbb:100000+24") and len(long) <= 120


def test_the_database_keeps_a_bill_in_one_pending_payment_at_most(city_run, owner):
    bill = owner["bills"][2024]

    def payment(number: str, status: str = "pending") -> BillPayment:
        return BillPayment(
            invoice_number=number,
            sppt=bill,
            principal=300_000,
            penalty=3_000,
            created_at=datetime.now(UTC),
            status=status,
        )

    async def add(*rows):
        await BillPayment.insert(*rows)

    city_run("malang", add, payment("INV-2026-AAAA-0001"), payment("INV-2026-AAAA-0000", "expired"))
    with pytest.raises(Exception, match=r"(?i)unique"):
        city_run("malang", add, payment("INV-2026-AAAA-0002"))


def test_a_settled_payment_gets_its_receipt_document_once(
    client, post_form, city_run, owner, balai_app
):
    from balai import toolkit as tk
    from balai.testing import run_queued_jobs
    from balai_pajak.pbb import receipts

    bills = owner["bills"]
    number = invoice_number(pay(post_form, bills[2024]))
    pay_with_sandbox_va(client, post_form, number)
    run_queued_jobs(balai_app, "malang")
    [receipt] = city_run("malang", lambda: tk.issued_documents(receipts.PBB_RECEIPT.key))
    assert receipt.status is tk.DocumentStatus.ISSUED  # a receipt needs no signature
    assert receipt.subject_id == owner["id"]
    again = city_run("malang", lambda: receipts.issue_receipt(None, invoice_number=number))
    assert again == receipt.number  # the invoice is its reference: one receipt
    mine = client.get("/malang/dokumen/")
    assert receipt.number in mine.text
    pdf = client.get(f"/malang/dokumen/unduh/{receipt.number}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


# --- a partner pays one bill of a citizen's pending invoice -----------------------

partner = partner_support.partner


def test_a_partner_paying_one_bill_of_a_pending_invoice_cancels_it_and_frees_the_other(
    client, post_form, city_run, owner, partner
):
    """The citizen's invoice for 2024 + 2025 gives way; 2025 can be paid again; no double."""
    from balai.partners.partner_side import INQUIRY_PATH, PAYMENT_PATH
    from balai.payments.tables import PaymentEvent, PaymentInvoice

    bills = owner["bills"]
    number = invoice_number(pay(post_form, bills[2024], bills[2025]))
    assert post_form(f"/malang/bayar/{number}/mulai", {"method": "va"}).status_code == 303
    bank = SANDBOX_HREF.search(client.get(f"/malang/bayar/{number}").text).group(1)

    customer = {"customerNo": NOP + "2024", "inquiryRequestId": "Q9"}
    assert partner_support.call(client, partner, INQUIRY_PATH, customer).status_code == 200
    paid_by_partner = partner_support.call(
        client,
        partner,
        PAYMENT_PATH,
        {
            **customer,
            "paymentRequestId": "P9",
            "paidAmount": {"value": f"{OWED_2024}.00", "currency": "IDR"},
        },
    )
    assert paid_by_partner.status_code == 200, paid_by_partner.text

    def invoice(num):
        return city_run(
            "malang", lambda: PaymentInvoice.select().where(PaymentInvoice.number == num).first()
        )

    assert invoice(number)["status"] == "cancelled"
    assert [r["status"] for r in payments_of(city_run, number)] == ["expired", "expired"]
    by_partner = bill_row(city_run, bills[2024])
    assert by_partner["status"] == "paid" and by_partner["invoice_number"] != number
    assert bill_row(city_run, bills[2025])["status"] == "unpaid"
    again = invoice_number(pay(post_form, bills[2025]))  # the citizen pays 2025 on its own
    assert again != number and invoice(again)["amount"] == OWED_2025

    post_form(f"{bank}/pay", {})  # the bank pays the old VA after all: flagged, not credited
    assert invoice(number)["status"] == "cancelled"
    assert bill_row(city_run, bills[2024])["paid_principal"] == by_partner["paid_principal"]
    assert bill_row(city_run, bills[2025])["status"] == "unpaid"
    old_id = invoice(number)["id"]
    late = city_run(
        "malang", lambda: PaymentEvent.select().where(PaymentEvent.invoice_id == old_id)
    )
    assert late and all(e["outcome"] == "not_pending" and e["flagged"] for e in late)
