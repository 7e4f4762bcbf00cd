"""PBB-P2 demo data: thousands of Malang objects, five years of bills by the assessment code."""

from __future__ import annotations

import time as clock
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from balai import toolkit as tk
from balai.testing import as_demo_seeding, write_config
from balai_pajak import demo
from balai_pajak.pbb.assessment import assess, njop_of, njoptkp_holders
from balai_pajak.pbb.penalty import amount_owed
from balai_pajak.tables import AssessmentRun, Sppt, TaxObject, Taxpayer
from pbb_data import demo_pbb


@pytest.fixture
def balai_config(tmp_path, balai_cities):
    return write_config(
        tmp_path / "instance",
        {**balai_cities, "yogyakarta": ["pajak"]},
        city_options={
            "malang": {"settings": {"pajak": {"pbb": demo_pbb("malang")}}},
            "yogyakarta": {"settings": {"pajak": {"pbb": demo_pbb("yogyakarta")}}},
        },
    )


def test_malang_demo_has_thousands_of_objects_and_five_years_of_bills(balai_app, city_run):
    city = balai_app.ui.config.cities["malang"]
    started = clock.perf_counter()
    report = city_run("malang", as_demo_seeding(demo.seed), city)
    seconds = clock.perf_counter() - started
    print(f"Malang PBB demo seeded in {seconds:.2f}s")
    assert report.summary[0].startswith("pajak: 3000 tax objects of ")

    objects = city_run("malang", lambda: TaxObject.select())
    assert len(objects) == 3000
    assert {o["district"] for o in objects} == {
        "Blimbing",
        "Kedungkandang",
        "Klojen",
        "Lowokwaru",
        "Sukun",
    }
    assert len({(o["district"], o["village"]) for o in objects}) == 57
    assert all(o["nop"].startswith("3573") and len(o["nop"]) == 18 for o in objects)
    kotalama = next(o for o in objects if o["nop"] == "357301000100100010")
    assert (kotalama["district"], kotalama["village"]) == ("Kedungkandang", "Kotalama")
    payers = Counter(o["taxpayer"] for o in objects)
    assert city_run("malang", Taxpayer.count) == len(payers)
    assert max(payers.values()) > 1  # some own several objects

    bills = city_run("malang", lambda: Sppt.select())
    active = [o for o in objects if o["is_active"]]
    assert Counter(b["year"] for b in bills) == {y: len(active) for y in range(2022, 2027)}
    today = datetime.now(UTC).astimezone(city.tz).date()
    statuses = Counter((b["year"], b["status"] == "paid" or b["due_date"] >= today) for b in bills)
    for year in range(2022, 2026):
        assert statuses[(year, True)] > 0 and statuses[(year, False)] > 0  # paid and overdue

    # Every bill is what the assessment code makes of its object under the year's rule.
    rules = city.settings_for("pajak").pbb
    holders = njoptkp_holders((o["nop"], o["taxpayer"], njop_of(o)[2]) for o in active)
    by_id = {o["id"]: o for o in objects}
    for bill in bills[::97]:
        obj = by_id[bill["tax_object"]]
        figures = assess(
            obj,
            rules.rule_for(bill["year"]),
            bill["year"],
            issued_on=date(bill["year"], 1, 2),
            gets_njoptkp=obj["nop"] in holders,
        )
        assert (bill["tax_due"], bill["rate_ppm"], bill["regulation"]) == (
            figures.tax_due,
            figures.rate_ppm,
            figures.regulation,
        )
        if bill["status"] == "paid":
            paid_on = bill["paid_at"].astimezone(city.tz).date()
            owed = amount_owed({**bill, "status": "unpaid", "paid_principal": 0}, paid_on, city)
            assert (bill["paid_principal"], bill["paid_penalty"]) == (owed.principal, owed.penalty)
    runs = city_run("malang", lambda: AssessmentRun.select())
    assert sorted(r["year"] for r in runs) == [2022, 2023, 2024, 2025, 2026]

    again = city_run("malang", as_demo_seeding(demo.seed), city)
    assert again.summary == []
    assert city_run("malang", TaxObject.count) == 3000


def test_yogyakarta_demo_uses_its_own_rule(balai_app, city_run):
    city = balai_app.ui.config.cities["yogyakarta"]
    city_run("yogyakarta", as_demo_seeding(demo.seed), city)
    bills = city_run("yogyakarta", lambda: Sppt.select().where(Sppt.year == 2025))
    assert bills and all(b["due_date"].isoformat() == "2025-07-02" for b in bills)
    assert all(b["tax_due"] >= 10_000 for b in bills if b["njop_total"])  # minimum tax
    assert all(b["tax_due"] % 100 == 0 for b in bills)  # rounded to Rp100
    assert city_run("malang", TaxObject.count) == 0


def test_demo_paid_bills_are_settled_ledger_payments_and_the_citizen_has_nops(balai_app, city_run):
    from balai.dashboard.tables import DailyMetric
    from balai.payments.tables import Payment, PaymentInvoice, PaymentInvoiceItem
    from balai.tables import User
    from balai_pajak.tables import BillPayment, NopLink

    city = balai_app.ui.config.cities["malang"]
    report = city_run("malang", as_demo_seeding(demo.seed), city)

    paid = city_run("malang", lambda: Sppt.select().where(Sppt.status == "paid"))
    invoices = {i["number"]: i for i in city_run("malang", lambda: PaymentInvoice.select())}
    payments = {p["invoice_id"]: p for p in city_run("malang", lambda: Payment.select())}
    assert len(paid) == len(invoices) == len(payments) > 5000
    for bill in paid[::53]:
        invoice = invoices[bill["invoice_number"]]
        assert invoice["status"] == "paid" and invoice["source"] == "pajak"
        assert invoice["source_ref"] == f"pbb:{bill['id']}"
        assert invoice["amount"] == bill["paid_principal"] + bill["paid_penalty"]
        assert payments[invoice["id"]]["amount"] == invoice["amount"]
        assert payments[invoice["id"]]["paid_at"] == invoice["paid_at"] == bill["paid_at"]
        lines = city_run(
            "malang",
            lambda i=invoice: PaymentInvoiceItem.select().where(
                PaymentInvoiceItem.invoice_id == i["id"]
            ),
        )
        assert f"PBB-P2 {bill['year']}, NOP {tk.format_nop(bill['nop'])}" in lines[0]["description"]
        assert sum(line["amount"] for line in lines) == invoice["amount"]
    channels = Counter(p["provider"] for p in payments.values())
    assert set(channels) == {"va", "qris", "ewallet", "cash"}
    assert min(channels.values()) > len(payments) // 10  # a mix, not one channel
    assert city_run("malang", BillPayment.count) == len(paid)

    # The payments widget's metrics count every demo payment, on its local day.
    metrics = city_run(
        "malang", lambda: DailyMetric.select().where(DailyMetric.metric.like("payments.%"))
    )
    assert sum(m["value"] for m in metrics if m["metric"].startswith("payments.count.")) == len(
        payments
    )
    assert sum(m["value"] for m in metrics if m["metric"] == "payments.revenue.qris") == sum(
        invoices_amount
        for invoices_amount in (
            i["amount"] for i in invoices.values() if payments[i["id"]]["provider"] == "qris"
        )
    )
    # So do the tax dashboard's per-channel metrics (pajak.channel_*), channel by channel.
    pajak = city_run(
        "malang", lambda: DailyMetric.select().where(DailyMetric.metric.like("pajak.channel_%"))
    )
    for channel, count in channels.items():
        assert sum(
            m["value"] for m in pajak if m["metric"] == f"pajak.channel_count.{channel}"
        ) == (count)
        assert sum(
            m["value"] for m in pajak if m["metric"] == f"pajak.channel_amount.{channel}"
        ) == sum(i["amount"] for i in invoices.values() if payments[i["id"]]["provider"] == channel)

    # The demo citizen has NOPs linked, with paid and unpaid bills, and paid them from the account.
    citizen = city_run("malang", lambda: User.select().where(User.email == "warga@malang.test"))[0]
    links = city_run("malang", lambda: NopLink.select().where(NopLink.user_id == citizen["id"]))
    nops = {link["nop"] for link in links}
    assert 1 <= len(nops) <= 3 and nops <= {nop for nop, _ in demo.FIRST_OBJECTS["malang"]}
    theirs = [b for b in city_run("malang", lambda: Sppt.select()) if b["nop"] in nops]
    assert {b["status"] for b in theirs} == {"paid", "unpaid"}
    assert all(
        invoices[b["invoice_number"]]["payer_id"] == citizen["id"]
        for b in theirs
        if b["status"] == "paid"
    )
    assert [a.login for a in report.accounts] == ["warga@malang.test"]
    assert any("payments ledger" in line for line in report.summary)


def test_demo_only_tools_refuse_outside_the_demo_seeding(balai_app, city_run):
    from balai import toolkit as tk

    with pytest.raises(tk.NotSeedingError):
        city_run("malang", tk.demo_user, "x@malang.test", "X")
    with pytest.raises(tk.NotSeedingError):
        city_run("malang", tk.seed_paid_invoices, [])


def test_the_citizens_notices_of_the_last_year_await_the_heads_signature(balai_app, city_run):
    from balai.documents.tables import Document
    from balai_pajak.tables import NopLink

    city = balai_app.ui.config.cities["malang"]
    report = city_run("malang", as_demo_seeding(demo.seed), city)

    linked = {r["nop"]: r["user_id"] for r in city_run("malang", lambda: NopLink.select())}
    last = max(demo.YEARS)
    noticed = city_run(
        "malang", lambda: Sppt.select().where((Sppt.year == last) & (Sppt.notice_number != ""))
    )
    assert linked and {b["nop"] for b in noticed} == set(linked)
    documents = {d["number"]: d for d in city_run("malang", lambda: Document.select())}
    for bill in noticed:
        document = documents[bill["notice_number"]]
        assert document["status"] == "awaiting" and document["type_key"] == "pajak.sppt"
        assert document["subject_id"] == linked[bill["nop"]]  # among the citizen's documents
    assert f"pajak: {len(noticed)} SPPT notices of {last}" in " ".join(report.summary)
