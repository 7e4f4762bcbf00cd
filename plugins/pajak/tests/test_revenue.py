"""Revenue of local taxes: the summary kept by payments, dashboard widgets, open datasets."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from balai.payments import ledger
from balai.testing import write_config
from balai_pajak.months import Month
from balai_pajak.pbjt.tables import Business, TaxReturn
from balai_pajak.retribusi import billing
from balai_pajak.retribusi.tables import Market, Stall, StallBill
from balai_pajak.revenue.record import record_payment
from balai_pajak.revenue.tables import RevenueMonth

WIB = ZoneInfo("Asia/Jakarta")
YEAR = datetime.now(WIB).year


@pytest.fixture
def balai_cities():
    return {"malang": ["pajak"], "semarang": ["pajak"]}


@pytest.fixture
def balai_config(tmp_path, balai_cities):
    settings = {
        "pajak": {
            "targets": [{"year": YEAR, "pbb": 1_000_000, "pbjt": 2_000_000, "retribusi": 400_000}],
        }
    }
    return write_config(
        tmp_path / "instance", balai_cities, city_options={"malang": {"settings": settings}}
    )


def pay_cash_bills(city_run, fees, district="Klojen", city="malang"):
    """A market with one stall per fee, this month's bills, every one paid to a collector."""

    async def run():
        market = Market(name=f"Pasar {district}", district=district, created_at=datetime.now(UTC))
        await market.save()
        for number, fee in enumerate(fees):
            await Stall(
                market=market.id, number=str(number), monthly_fee=fee, created_at=datetime.now(UTC)
            ).save()
        await billing.generate_bills(Month.of(datetime.now(WIB).date()))
        for bill in await StallBill.select(StallBill.id).where(StallBill.market == market.id):
            await billing.record_cash(bill["id"], 1, None)

    city_run(city, run)


def test_payments_add_up_per_month_type_and_district(client, city_run):
    paid_at = datetime(2026, 3, 31, 18, 30, tzinfo=UTC)  # 1 April in Malang

    async def run():
        await record_payment("pbjt", {"Klojen": 1_000}, "va", paid_at)
        await record_payment("pbjt", {"Klojen": 500}, "qris", paid_at)
        await record_payment("pbb", {"Sukun": 300, "Klojen": 200}, "va", paid_at)
        return (
            await RevenueMonth.select()
            .order_by(RevenueMonth.tax_type)
            .order_by(RevenueMonth.district)
        )

    rows = city_run("malang", run)
    assert [
        (r["year"], r["month"], r["tax_type"], r["district"], r["amount"], r["payments"])
        for r in rows
    ] == [
        (2026, 4, "pbb", "Klojen", 200, 1),
        (2026, 4, "pbb", "Sukun", 300, 0),
        (2026, 4, "pbjt", "Klojen", 1_500, 2),
    ]
    with pytest.raises(ValueError):
        city_run("malang", lambda: record_payment("bphtb", {"": 1}, "va", paid_at))


def test_a_refund_takes_the_payment_off_the_revenue(
    client, city_run, balai_app, login_as, post_form
):
    async def seed():
        business = Business(
            name="Kafe Uji",
            npwpd="P.1",
            kind="restaurant",
            district="Lowokwaru",
            started_on=date(2020, 1, 1),
            created_at=datetime.now(UTC),
        )
        await business.save()
        row = TaxReturn(
            business=business.id,
            year=2026,
            month=1,
            tax_due=10_000,
            filing_deadline=date(2026, 2, 10),
            payment_deadline=date(2099, 2, 15),
            filed_at=datetime.now(UTC),
        )
        await row.save()
        invoice = await ledger.create_invoice(
            payer_id=None,
            payer_name="Kafe Uji",
            items=[ledger.InvoiceItem("PBJT", 10_000)],
            due_at=datetime.now(UTC) + timedelta(hours=1),
            source="pajak",
            source_ref=f"pbjt:{row.id}",
        )
        await TaxReturn.update({TaxReturn.invoice_number: invoice.number}).where(
            TaxReturn.id == row.id
        )
        await ledger.settle(
            invoice,
            ledger.SettlementEvent(
                event_key="va:r1", external_id="r1", provider="va", kind="paid", amount=10_000
            ),
            registry=balai_app.ui.registry,
        )
        paid = await TaxReturn.select().where(TaxReturn.id == row.id).first()
        await ledger.refund(
            await ledger.invoice_by_number(invoice.number),
            officer_id=1,
            reason="salah bayar",
            registry=balai_app.ui.registry,
        )
        after = await TaxReturn.select().where(TaxReturn.id == row.id).first()
        return paid, after, await RevenueMonth.select()

    paid, after, summary = city_run("malang", seed)
    assert (
        paid["status"] == "paid" and after["status"] == "unpaid" and after["invoice_number"] == ""
    )
    assert sum(r["amount"] for r in summary) == 0 and sum(r["payments"] for r in summary) == 0


def test_the_dashboard_shows_revenue_target_collection_and_channels(client, login_as, city_run):
    pay_cash_bills(city_run, [100_000, 100_000])
    login_as("city_admin")
    page = client.get("/malang/dasbor/", params={"period": "month"})
    assert page.status_code == 200
    for title in (
        "Pendapatan pajak daerah",
        "Pendapatan dibanding target tahun ini",
        "Tunggakan pajak",
        "Pembayaran pajak per kanal",
        "Tingkat penagihan pajak",
    ):
        assert title in page.text
    target = client.get("/malang/dasbor/widget/pajak.target.csv", params={"period": "month"})
    rows = list(csv.reader(io.StringIO(target.text)))
    market_row = next(r for r in rows if r[0] == "Retribusi pasar")
    assert (
        market_row[2] == "Rp200.000" and market_row[3] == "Rp400.000" and market_row[4] == "50,0%"
    )
    channels = list(
        csv.reader(
            io.StringIO(
                client.get(
                    "/malang/dasbor/widget/pajak.per_channel.csv", params={"period": "month"}
                ).text
            )
        )
    )
    collection = client.get(
        "/malang/dasbor/widget/pajak.collection.csv", params={"period": "month"}
    )
    rows = list(csv.reader(io.StringIO(collection.text)))
    assert next(r for r in rows if r[0] == "Retribusi pasar")[1:4] == [
        "Rp200.000",
        "Rp200.000",
        "100,0%",
    ]
    collector = next(r for r in channels if r[0] == "Juru pungut pasar (tunai)")
    assert collector[1:] == ["2", "Rp200.000"]
    rate = client.get("/malang/dasbor/widget/pajak.collection_rate.csv", params={"period": "month"})
    assert list(csv.reader(io.StringIO(rate.text)))[1][0] == "100"


def test_open_data_publishes_totals_and_hides_small_district_groups(client, city_run):
    pay_cash_bills(city_run, [10_000, 20_000, 30_000], district="Klojen")
    pay_cash_bills(city_run, [5_000], district="Sukun")
    month = str(Month.of(datetime.now(WIB).date()))
    monthly = client.get("/malang/data/pajak-revenue-monthly.csv")
    assert monthly.status_code == 200
    rows = list(csv.DictReader(io.StringIO(monthly.text)))
    assert rows == [
        {"month": month, "tax_type": "retribusi", "revenue_rupiah": "65000", "payments": "4"}
    ]
    district = list(
        csv.DictReader(io.StringIO(client.get("/malang/data/pajak-revenue-district.csv").text))
    )
    assert [(r["district"], r["revenue_rupiah"]) for r in district] == [("Klojen", "60000")]
    semarang = client.get("/semarang/data/pajak-revenue-monthly.csv")
    assert semarang.status_code == 200 and "retribusi" not in semarang.text


def test_a_pbb_invoice_counts_per_district_of_its_objects(client, city_run):
    from balai_pajak.revenue.record import count_settled
    from balai_pajak.tables import BillPayment, Sppt, TaxObject

    async def run():
        ids = []
        for nop, district, tax in (
            ("357301000100100010", "Sukun", 300_000),
            ("357301000100100020", "Klojen", 200_000),
        ):
            obj = TaxObject(
                nop=nop,
                address="Jl. Uji",
                district=district,
                village="Uji",
                updated_at=datetime.now(UTC),
            )
            await obj.save()
            bill = Sppt(
                tax_object=obj.id,
                nop=nop,
                year=2025,
                tax_due=tax,
                due_date=date(2025, 8, 31),
                created_at=datetime.now(UTC),
            )
            await bill.save()
            ids.append((bill.id, tax))
        invoice = await ledger.create_invoice(
            payer_id=None,
            payer_name="Wajib Pajak",
            items=[ledger.InvoiceItem("PBB", 503_000)],
            due_at=datetime.now(UTC) + timedelta(hours=1),
            source="pajak",
            source_ref="pbb:1,2",
        )
        for (bill_id, tax), penalty in zip(ids, (3_000, 0), strict=True):
            await BillPayment(
                invoice_number=invoice.number,
                sppt=bill_id,
                principal=tax,
                penalty=penalty,
                created_at=datetime.now(UTC),
            ).save()
        paid = replace(invoice, paid_at=datetime(2026, 5, 2, 3, 0, tzinfo=UTC), provider_key="va")
        await count_settled(paid)
        return await RevenueMonth.select().order_by(RevenueMonth.district)

    rows = city_run("malang", run)
    assert [(r["tax_type"], r["district"], r["amount"]) for r in rows] == [
        ("pbb", "Klojen", 200_000),
        ("pbb", "Sukun", 303_000),
    ]
    assert sum(r["payments"] for r in rows) == 1


def test_paid_pbb_bills_without_a_payment_are_counted_once_by_the_backfill(client, city_run):
    from balai_pajak.revenue.record import backfill_pbb
    from balai_pajak.tables import Sppt, TaxObject

    async def run():
        obj = TaxObject(
            nop="357301000100100010",
            address="Jl. Uji",
            district="Blimbing",
            updated_at=datetime.now(UTC),
        )
        await obj.save()
        for year, status in ((2024, "paid"), (2025, "unpaid")):
            await Sppt(
                tax_object=obj.id,
                nop=obj.nop,
                year=year,
                tax_due=100_000,
                due_date=date(year, 8, 31),
                status=status,
                paid_principal=100_000 if status == "paid" else 0,
                paid_penalty=2_000 if status == "paid" else 0,
                paid_at=datetime(2024, 8, 31, 17, 30, tzinfo=UTC) if status == "paid" else None,
                created_at=datetime.now(UTC),
            ).save()
        counted = await backfill_pbb()
        return counted, await RevenueMonth.select()

    counted, rows = city_run("malang", run)
    assert counted == 1
    assert [(r["year"], r["month"], r["district"], r["amount"], r["payments"]) for r in rows] == [
        (2024, 9, "Blimbing", 102_000, 1)  # 1 September in Malang
    ]
