"""e-Retribusi over HTTP: markets, stalls, the bill job, online and cash payment, arrears."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from balai.audit.tables import AuditEntry
from balai.payments import ledger
from balai_pajak.months import Month
from balai_pajak.retribusi import billing
from balai_pajak.retribusi.tables import Market, Stall, StallBill
from balai_pajak.revenue.tables import RevenueMonth

WIB = ZoneInfo("Asia/Jakarta")


def this_month() -> Month:
    return Month.of(datetime.now(WIB).date())


@pytest.fixture
def balai_cities():
    return {"malang": ["pajak"], "semarang": ["pajak"]}


def add_market(
    city_run, city="malang", *, name="Pasar Oro-Oro Dowo", fees=(50_000, 75_000), holder_id=None
):
    async def insert():
        market = Market(
            name=name, district="Klojen", address="Jl. Guntur", created_at=datetime.now(UTC)
        )
        await market.save()
        ids = []
        for number, fee in enumerate(fees, start=1):
            stall = Stall(
                market=market.id,
                number=f"A-{number:02d}",
                size_m2=6,
                holder_name=f"Bu Pemegang {number}",
                holder_id=holder_id if number == 1 else None,
                monthly_fee=fee,
                link_code=f"KODE{number:04d}",
                created_at=datetime.now(UTC),
            )
            await stall.save()
            ids.append(stall.id)
        return market.id, ids

    return city_run(city, insert)


def bills(city_run, city="malang"):
    async def read():
        return (
            await StallBill.select()
            .order_by(StallBill.stall)
            .order_by(StallBill.year)
            .order_by(StallBill.month)
        )

    return city_run(city, read)


def generate(city_run, month, city="malang"):
    return city_run(city, lambda: billing.generate_bills(month))


def audit_actions(city_run, city="malang"):
    async def read():
        return [r["action"] for r in await AuditEntry.select(AuditEntry.action)]

    return city_run(city, read)


# --- the monthly job ---------------------------------------------------------------------


def test_bills_are_made_once_per_stall_and_month(client, city_run):
    add_market(city_run)
    month = this_month()
    assert generate(city_run, month) == 2
    assert generate(city_run, month) == 0
    assert generate(city_run, month.previous()) == 2
    rows = bills(city_run)
    assert len(rows) == 4
    assert {r["amount"] for r in rows} == {50_000, 75_000}
    assert all(r["due_date"] == Month(r["year"], r["month"]).day(28) for r in rows)


def test_the_scheduled_job_runs_per_city_and_makes_nothing_twice(client, city_run, balai_app):
    add_market(city_run)
    add_market(city_run, "semarang", name="Pasar Johar", fees=(30_000,))
    runner = balai_app.ui.jobs.runner
    at_one = datetime.now(WIB).replace(hour=1, minute=0, second=5, microsecond=0).astimezone(UTC)

    async def run(moment):
        return [r.job for r in await runner.run_due(moment)]

    assert "pajak.retribusi_bills" in city_run("malang", lambda: run(at_one))
    assert len(bills(city_run)) == 2 and len(bills(city_run, "semarang")) == 1
    city_run("malang", lambda: run(at_one + timedelta(days=1)))
    assert len(bills(city_run)) == 2 and len(bills(city_run, "semarang")) == 1


def test_a_stall_added_mid_month_is_billed_by_the_next_run(client, city_run):
    market, _stalls = add_market(city_run, fees=(50_000,))
    generate(city_run, this_month())

    async def add():
        await Stall(
            market=market, number="B-01", monthly_fee=90_000, created_at=datetime.now(UTC)
        ).save()

    city_run("malang", add)
    assert generate(city_run, this_month()) == 1
    assert sorted(r["amount"] for r in bills(city_run)) == [50_000, 90_000]


# --- officers ----------------------------------------------------------------------------


def test_market_pages_need_the_officer_permission(client, login_as):
    assert client.get("/malang/kelola/pajak/retribusi/", follow_redirects=False).status_code in (
        302,
        303,
        401,
    )
    login_as("pajak.collector")
    assert client.get("/malang/kelola/pajak/retribusi/").status_code == 403


def test_an_officer_adds_a_market_and_a_stall(client, login_as, post_form, city_run):
    login_as("pajak.officer")
    assert client.get("/malang/kelola/pajak/retribusi/").status_code == 200
    bad = post_form(
        "/malang/kelola/pajak/retribusi/pasar", {"name": "Pasar Besar Malang", "district": ""}
    )
    assert (
        bad.status_code == 400
        and 'value="Pasar Besar Malang"' in bad.text
        and "Masukkan kecamatan" in bad.text
    )
    assert (
        post_form(
            "/malang/kelola/pajak/retribusi/pasar",
            {"name": "Pasar Besar Malang", "district": "Klojen"},
        ).status_code
        == 303
    )
    (market,) = city_run("malang", lambda: Market.select())
    url = f"/malang/kelola/pajak/retribusi/pasar/{market['id']}/kios"
    bad = post_form(
        url, {"number": "C-01", "size_m2": "0", "holder_name": "Pak Slamet", "monthly_fee": "-100"}
    )
    assert bad.status_code == 400 and 'value="Pak Slamet"' in bad.text
    assert bad.text.count('aria-invalid="true"') == 2
    assert (
        post_form(
            url,
            {
                "number": "C-01",
                "size_m2": "6",
                "holder_name": "Pak Slamet",
                "monthly_fee": "75.000",
            },
        ).status_code
        == 303
    )
    dup = post_form(
        url, {"number": "C-01", "size_m2": "6", "holder_name": "Bu Lain", "monthly_fee": "75000"}
    )
    assert dup.status_code == 400 and "sudah memiliki kios dengan nomor ini" in dup.text
    (stall,) = city_run("malang", lambda: Stall.select())
    assert stall["monthly_fee"] == 75_000 and len(stall["link_code"]) == 8


@pytest.mark.parametrize("size", ["0", "1001", "12a", "-5", "\u0661\u0662", "6.5", "", "1234567"])
def test_a_stall_size_out_of_range_is_explained_and_every_value_shown_again(
    client, login_as, post_form, city_run, size
):
    add_market(city_run, fees=())
    (market,) = city_run("malang", lambda: Market.select())
    login_as("pajak.officer")
    typed = {
        "number": "C-<9>",
        "size_m2": size,
        "holder_name": "Pak Slamet",
        "monthly_fee": "75.000",
    }
    bad = post_form(f"/malang/kelola/pajak/retribusi/pasar/{market['id']}/kios", typed)
    assert bad.status_code == 400
    assert "Masukkan luas dalam meter persegi bulat (1 sampai 1000)." in bad.text
    assert bad.text.count('aria-invalid="true"') == 1
    assert 'value="C-&lt;9&gt;"' in bad.text and 'value="Pak Slamet"' in bad.text
    assert 'value="75.000"' in bad.text
    assert f'value="{size}"' in bad.text or not size  # an empty input has no value
    assert city_run("malang", lambda: Stall.select()) == []


@pytest.mark.parametrize(
    ("size", "stored"), [("1", 1), ("1000", 1000), ("1.000", 1000), (" 6 ", 6)]
)
def test_stall_sizes_in_range_are_stored(client, login_as, post_form, city_run, size, stored):
    add_market(city_run, fees=())
    (market,) = city_run("malang", lambda: Market.select())
    login_as("pajak.officer")
    typed = {"number": "C-01", "size_m2": size, "holder_name": "Pak Slamet", "monthly_fee": "1"}
    url = f"/malang/kelola/pajak/retribusi/pasar/{market['id']}/kios"
    assert post_form(url, typed).status_code == 303
    (stall,) = city_run("malang", lambda: Stall.select())
    assert stall["size_m2"] == stored


def test_a_market_name_too_long_is_refused_not_cut(client, login_as, post_form, city_run):
    login_as("pajak.officer")
    long_name = "Pasar " + "x" * 115
    bad = post_form(
        "/malang/kelola/pajak/retribusi/pasar", {"name": long_name, "district": "Klojen"}
    )
    assert bad.status_code == 400 and f'value="{long_name}"' in bad.text
    assert "120" in bad.text and 'aria-invalid="true"' in bad.text
    assert city_run("malang", lambda: Market.select()) == []


def test_arrears_per_market_count_only_bills_past_due(client, login_as, city_run):
    market, _ = add_market(city_run)
    generate(city_run, this_month().previous().previous())
    generate(city_run, this_month().next())  # not yet due
    login_as("pajak.officer")
    page = client.get("/malang/kelola/pajak/retribusi/")
    row = page.text.split("Pasar Oro-Oro Dowo</a>")[1].split("</tr>")[0]
    assert "Rp125.000" in row
    detail = client.get(f"/malang/kelola/pajak/retribusi/pasar/{market}")
    assert "Rp50.000" in detail.text and "1 bulan" in detail.text


def test_the_officer_can_make_this_months_bills_now_audited(client, login_as, post_form, city_run):
    add_market(city_run)
    login_as("pajak.officer")
    assert post_form("/malang/kelola/pajak/retribusi/tagihan", {}).status_code == 303
    assert post_form("/malang/kelola/pajak/retribusi/tagihan", {}).status_code == 303
    assert len(bills(city_run)) == 2
    assert audit_actions(city_run).count("pajak.retribusi_bills_generated") == 2


def test_another_citys_market_is_not_found(client, login_as, city_run):
    other, _ = add_market(city_run, "semarang", name="Pasar Johar")
    generate(city_run, this_month(), "semarang")
    (bill, *_) = bills(city_run, "semarang")
    login_as("city_admin")
    assert client.get(f"/malang/kelola/pajak/retribusi/pasar/{other}").status_code == 404
    assert client.get(f"/malang/kelola/pajak/pungut/{other}").status_code == 404
    assert client.get(f"/malang/kelola/pajak/pungut/tagihan/{bill['id']}").status_code == 404


# --- collectors ----------------------------------------------------------------------------


def test_a_collector_records_cash_once_with_a_receipt(client, login_as, post_form, city_run):
    market, _ = add_market(city_run)
    generate(city_run, this_month())
    first = bills(city_run)[0]
    collector = login_as("pajak.collector")
    assert (
        market
        and f"/kelola/pajak/pungut/{market}" in client.get("/malang/kelola/pajak/pungut/").text
    )
    listing = client.get(f"/malang/kelola/pajak/pungut/{market}", params={"kios": "A-01"})
    assert "Bu Pemegang 1" in listing.text and "Bu Pemegang 2" not in listing.text
    url = f"/malang/kelola/pajak/pungut/tagihan/{first['id']}"
    assert "Rp50.000" in client.get(url).text
    answer = post_form(url, {})
    assert answer.status_code == 303
    receipt = client.get(answer.headers["location"])
    paid = bills(city_run)[0]
    assert paid["status"] == "paid" and paid["paid_channel"] == "collector"
    assert paid["collected_by"] == collector["id"]
    assert paid["receipt_number"].startswith("RTB-") and paid["receipt_number"] in receipt.text
    again = post_form(url, {})
    assert again.status_code == 409 and "sudah dibayar" in again.text
    assert audit_actions(city_run).count("pajak.retribusi_cash_received") == 1
    (summary,) = city_run("malang", lambda: RevenueMonth.select())
    assert (summary["tax_type"], summary["district"], summary["amount"], summary["payments"]) == (
        "retribusi",
        "Klojen",
        50_000,
        1,
    )


def test_collector_pages_refuse_citizens_and_forms_without_csrf(client, login_as, city_run):
    add_market(city_run)
    generate(city_run, this_month())
    first = bills(city_run)[0]
    login_as()
    assert client.get("/malang/kelola/pajak/pungut/").status_code == 403
    client.cookies.clear()
    login_as("pajak.collector")
    client.get(f"/malang/kelola/pajak/pungut/tagihan/{first['id']}")
    forged = client.post(f"/malang/kelola/pajak/pungut/tagihan/{first['id']}", data={})
    assert forged.status_code == 403
    assert bills(city_run)[0]["status"] == "unpaid"


def test_a_receipt_exists_only_for_cash(client, login_as, city_run):
    add_market(city_run)
    generate(city_run, this_month())
    first = bills(city_run)[0]
    login_as("pajak.collector")
    assert client.get(f"/malang/kelola/pajak/pungut/kuitansi/{first['id']}").status_code == 404
    assert client.get("/malang/kelola/pajak/pungut/tagihan/999999").status_code == 404


# --- holders paying online -------------------------------------------------------------------


def settle(balai_app, city_run, number, provider="qris"):
    async def pay():
        invoice = await ledger.invoice_by_number(number)
        return await ledger.settle(
            invoice,
            ledger.SettlementEvent(
                event_key=f"{provider}:{number}",
                external_id=f"ext-{number}",
                provider=provider,
                kind="paid",
                amount=invoice.amount,
            ),
            registry=balai_app.ui.registry,
        )

    return city_run("malang", pay)


def test_a_holder_links_a_stall_and_pays_online(client, login_as, post_form, city_run, balai_app):
    add_market(city_run)
    generate(city_run, this_month())
    user = login_as()
    assert post_form("/malang/pajak/retribusi/tautkan", {"code": "SALAH123"}).status_code == 400
    assert post_form("/malang/pajak/retribusi/tautkan", {"code": "kode 0001"}).status_code == 303
    page = client.get("/malang/pajak/retribusi")
    assert "Rp50.000" in page.text and "Rp75.000" not in page.text
    first = bills(city_run)[0]
    answer = post_form(f"/malang/pajak/retribusi/tagihan/{first['id']}/bayar", {})
    assert answer.status_code == 303 and "/malang/bayar/INV-" in answer.headers["location"]
    number = answer.headers["location"].rsplit("/", 1)[1]
    invoice = city_run("malang", lambda: ledger.invoice_by_number(number))
    assert (invoice.amount, invoice.source_ref, invoice.payer_id) == (
        50_000,
        f"retribusi:{first['id']}",
        user["id"],
    )
    client.cookies.clear()
    login_as("pajak.collector")
    refused = post_form(f"/malang/kelola/pajak/pungut/tagihan/{first['id']}", {})
    assert refused.status_code == 409 and "daring" in refused.text  # online payment open
    assert settle(balai_app, city_run, number).outcome == "settled"
    paid = bills(city_run)[0]
    assert paid["status"] == "paid" and paid["paid_channel"] == "qris"
    (summary,) = city_run("malang", lambda: RevenueMonth.select())
    assert (summary["amount"], summary["payments"]) == (50_000, 1)


def test_another_holders_bill_cannot_be_paid(client, login_as, post_form, city_run):
    add_market(city_run, holder_id=None)
    generate(city_run, this_month())
    login_as()
    for bill in bills(city_run):
        assert (
            post_form(f"/malang/pajak/retribusi/tagihan/{bill['id']}/bayar", {}).status_code == 404
        )


def test_an_expired_online_payment_lets_the_collector_take_cash(
    client, login_as, post_form, city_run, balai_app
):
    add_market(city_run)
    generate(city_run, this_month())
    login_as()
    post_form("/malang/pajak/retribusi/tautkan", {"code": "KODE0001"})
    first = bills(city_run)[0]
    number = (
        post_form(f"/malang/pajak/retribusi/tagihan/{first['id']}/bayar", {})
        .headers["location"]
        .rsplit("/", 1)[1]
    )

    async def expire():
        return await ledger.expire_overdue(
            registry=balai_app.ui.registry, now=datetime.now(UTC) + timedelta(days=2)
        )

    assert city_run("malang", expire) == [number]
    assert bills(city_run)[0]["invoice_number"] == ""
    client.cookies.clear()
    login_as("pajak.collector")
    assert post_form(f"/malang/kelola/pajak/pungut/tagihan/{first['id']}", {}).status_code == 303
