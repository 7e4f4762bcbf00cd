"""PBJT pages over HTTP: registering, linking, filing, correcting, paying, non-filers."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from balai.audit.tables import AuditEntry
from balai.payments import ledger
from balai.testing import write_config
from balai_pajak.months import Month
from balai_pajak.pbjt.tables import Business, TaxReturn
from balai_pajak.revenue.tables import RevenueMonth

RULE = {
    "effective_from": date(2020, 1, 1),
    "regulation": "Perda Uji 1/2020",
    "restaurant_ppm": 100_000,
    "hotel_ppm": 100_000,
    "parking_ppm": 200_000,
    "filing_day": 10,
    "payment_day": 15,
    "late_filing_fine": 100_000,
    "late_payment_ppm_per_month": 10_000,
    "late_payment_max_months": 24,
}
TODAY = datetime.now(ZoneInfo("Asia/Jakarta")).date()


def this_month() -> Month:
    return Month.of(datetime.now(ZoneInfo("Asia/Jakarta")).date())


@pytest.fixture
def balai_cities():
    return {"malang": ["pajak"], "semarang": ["pajak"]}


@pytest.fixture
def balai_config(tmp_path, balai_cities):
    settings = {"pajak": {"pbjt": {"rules": [RULE]}}}
    return write_config(
        tmp_path / "instance",
        balai_cities,
        city_options={"malang": {"settings": settings}, "semarang": {"settings": settings}},
    )


def add_business(
    city_run, city="malang", *, owner_id=None, kind="restaurant", npwpd="P.2.0001.01", started=None
):
    start = started or Month(2020, 1)

    async def insert():
        row = Business(
            name=f"Warung Uji {npwpd}",
            npwpd=npwpd,
            kind=kind,
            address="Jl. Uji No. 1",
            district="Klojen",
            started_on=start.first_day,
            owner_id=owner_id,
            link_code="ABCD2345",
            created_at=datetime.now(UTC),
        )
        await row.save()
        return row.id

    return city_run(city, insert)


def returns_of(city_run, business_id, city="malang"):
    async def read():
        return (
            await TaxReturn.select().where(TaxReturn.business == business_id).order_by(TaxReturn.id)
        )

    return city_run(city, read)


def audit_actions(city_run, city="malang"):
    async def read():
        return [r["action"] for r in await AuditEntry.select(AuditEntry.action)]

    return city_run(city, read)


def file(post_form, business_id, month, turnover):
    return post_form(
        f"/malang/pajak/usaha/{business_id}/lapor", {"month": str(month), "turnover": turnover}
    )


# --- officers: registering and watching -----------------------------------------------


def test_office_pages_need_the_tax_officer_permission(client, login_as):
    assert client.get("/malang/kelola/pajak/pbjt/", follow_redirects=False).status_code in (
        302,
        303,
        401,
    )
    login_as()
    assert client.get("/malang/kelola/pajak/pbjt/").status_code == 403
    assert client.get("/malang/kelola/pajak/pbjt/baru").status_code == 403


def test_an_officer_registers_a_business_and_it_is_audited(client, login_as, post_form, city_run):
    login_as("pajak.officer")
    assert client.get("/malang/kelola/pajak/pbjt/baru").status_code == 200
    answer = post_form(
        "/malang/kelola/pajak/pbjt/baru",
        {
            "name": "Depot Soto Lombok",
            "npwpd": "P.2.0009.01",
            "kind": "restaurant",
            "address": "Jl. Lombok 3",
            "district": "Klojen",
            "started_on": "2025-01",
        },
    )
    assert answer.status_code == 303
    page = client.get(answer.headers["location"])
    assert "Depot Soto Lombok" in page.text
    code = re.search(r"<dd>([A-Z2-9]{8})</dd>", page.text)
    assert code, "the link code for the owner is shown"
    assert "pajak.pbjt_business_registered" in audit_actions(city_run)
    assert "pajak.pbjt_business_viewed" in audit_actions(city_run)


def test_an_officer_links_the_owner_by_login_and_sees_their_contact_audited(
    client, login_as, post_form, city_run
):
    from balai.auth.accounts import create_user

    citizen = login_as(name="Siti Rahayu", email="siti@contoh.id")
    city_run(
        "semarang",
        lambda: create_user(name="Other City", password="x" * 12, email="lain@contoh.id"),
    )
    business_id = add_business(city_run)
    login_as("pajak.officer", name="Petugas Pajak")
    page = client.get(f"/malang/kelola/pajak/pbjt/{business_id}")
    assert "Belum tertaut" in page.text and 'name="login"' in page.text
    url = f"/malang/kelola/pajak/pbjt/{business_id}/pemilik"
    empty = post_form(url, {"login": ""})
    assert empty.status_code == 400 and "Masukkan alamat email atau nomor telepon" in empty.text
    for unknown in ("nobody@contoh.id", "lain@contoh.id", "bukan login"):
        refused = post_form(url, {"login": unknown})
        assert refused.status_code == 400, unknown
        assert "Tidak ada akun di kota ini" in refused.text
        assert f'value="{unknown}"' in refused.text
    linked = post_form(url, {"login": " SITI@contoh.id "})
    assert linked.status_code == 303
    page = client.get(f"/malang/kelola/pajak/pbjt/{business_id}")
    assert "Siti Rahayu" in page.text and "siti@contoh.id" in page.text
    assert 'name="login"' not in page.text and "ABCD2345" not in page.text

    async def views():
        return await AuditEntry.select(
            AuditEntry.action, AuditEntry.subject, AuditEntry.personal_data_of
        ).where(AuditEntry.personal_data_of == citizen["id"])

    seen = city_run("malang", views)
    subject = f"pbjt_business:{business_id}"
    assert {
        "action": "pajak.person_looked_up",
        "subject": subject,
        "personal_data_of": citizen["id"],
    } in seen
    assert {
        "action": "pajak.person_viewed",
        "subject": subject,
        "personal_data_of": citizen["id"],
    } in seen
    assert "pajak.pbjt_owner_linked" in audit_actions(city_run)
    # the citizen sees each view on "who viewed my data"
    assert post_form("/malang/keluar", {}).status_code in (302, 303)
    post_form("/malang/masuk", {"login": citizen["login"], "password": citizen["password"]})
    mine = client.get("/malang/audit/data-saya").text
    assert "Petugas Pajak" in mine and "pajak.person_viewed" in mine and subject in mine


def test_a_citizen_cannot_link_an_owner(client, login_as, post_form, city_run):
    business_id = add_business(city_run)
    login_as()
    answer = post_form(f"/malang/kelola/pajak/pbjt/{business_id}/pemilik", {"login": "a@b.id"})
    assert answer.status_code == 403


def test_registering_with_bad_input_keeps_the_values_and_explains(
    client, login_as, post_form, city_run
):
    add_business(city_run, npwpd="P.2.0001.01")
    login_as("pajak.officer")
    answer = post_form(
        "/malang/kelola/pajak/pbjt/baru",
        {
            "name": "Kafe Baru",
            "npwpd": "P.2.0001.01",
            "kind": "casino",
            "district": "",
            "started_on": "2099-01",
        },
    )
    assert answer.status_code == 400
    assert 'value="Kafe Baru"' in answer.text
    assert "NPWPD ini sudah terdaftar" in answer.text or "already registered" in answer.text
    assert answer.text.count('aria-invalid="true"') >= 3
    assert city_run("malang", Business.count) == 1


def test_after_an_error_every_registration_value_is_shown_again(
    client, login_as, post_form, city_run
):
    login_as("pajak.officer")
    typed = {
        "name": "Kafe <Baru>",
        "npwpd": "P.2.0009.01",
        "kind": "hotel",
        "address": "Jl.  Ijen   5",
        "district": "Klojen",
        "started_on": "2026-13",
    }
    answer = post_form("/malang/kelola/pajak/pbjt/baru", typed)
    assert answer.status_code == 400
    assert "Masukkan bulan mulai usaha, dengan format TTTT-BB." in answer.text
    assert answer.text.count('aria-invalid="true"') == 1
    assert 'value="Kafe &lt;Baru&gt;"' in answer.text and 'value="P.2.0009.01"' in answer.text
    assert 'value="Jl. Ijen 5"' in answer.text and 'value="2026-13"' in answer.text
    assert 'value="hotel" selected' in answer.text
    assert city_run("malang", Business.count) == 0


def test_the_non_filer_list_names_who_has_not_filed(client, login_as, city_run):
    last = this_month().previous()
    filed = add_business(city_run, npwpd="P.2.0001.01")
    missing = add_business(city_run, npwpd="P.2.0002.01")
    add_business(city_run, npwpd="P.2.0003.01", started=this_month())  # not operating yet

    async def one_return():
        await TaxReturn(
            business=filed,
            year=last.year,
            month=last.month,
            turnover=0,
            filing_deadline=TODAY,
            payment_deadline=TODAY,
            status="nil",
            filed_at=datetime.now(UTC),
        ).save()

    city_run("malang", one_return)
    login_as("pajak.officer")
    page = client.get("/malang/kelola/pajak/pbjt/", params={"bulan": str(last)})
    section = page.text.split('id="nonfilers-title"')[1].split("</section>")[0]
    assert "P.2.0002.01" in section and f"/kelola/pajak/pbjt/{missing}" in section
    assert f'/kelola/pajak/pbjt/{filed}"' not in section
    assert "P.2.0003.01" not in section
    bad = client.get("/malang/kelola/pajak/pbjt/", params={"bulan": "2999-01"})
    assert bad.status_code == 400


def test_the_office_page_shows_the_rates_and_deadlines_in_force(client, login_as):
    login_as("pajak.officer")
    page = client.get("/malang/kelola/pajak/pbjt/")
    section = page.text.split('id="rules-title"')[1].split("</section>")[0]
    assert "Perda Uji 1/2020" in section
    assert "Restoran 10% · Hotel 10% · Parkir 20% · Hiburan 0%" in section
    assert "Lapor paling lambat tanggal 10 dan bayar paling lambat tanggal 15" in section


def test_another_citys_business_is_not_found(client, login_as, city_run):
    other = add_business(city_run, "semarang", npwpd="P.9.0001.01")
    login_as("pajak.officer")
    assert client.get(f"/malang/kelola/pajak/pbjt/{other}").status_code == 404


# --- citizens: linking and filing ----------------------------------------------------------


def test_a_citizen_links_a_business_with_its_code_once(client, login_as, post_form, city_run):
    business = add_business(city_run)
    user = login_as()
    wrong = post_form("/malang/pajak/usaha/tautkan", {"npwpd": "P.2.0001.01", "code": "ZZZZ9999"})
    assert wrong.status_code == 400 and 'value="P.2.0001.01"' in wrong.text
    right = post_form("/malang/pajak/usaha/tautkan", {"npwpd": "P.2.0001.01", "code": "abcd-2345"})
    assert right.status_code == 303
    row = city_run("malang", lambda: Business.select().where(Business.id == business).first())
    assert row["owner_id"] == user["id"] and row["link_code"] == ""
    assert "pajak.pbjt_business_linked" in audit_actions(city_run)
    again = post_form("/malang/pajak/usaha/tautkan", {"npwpd": "P.2.0001.01", "code": "ABCD2345"})
    assert again.status_code == 400


def test_filing_computes_the_tax_at_the_citys_rate(client, login_as, post_form, city_run):
    user = login_as()
    business = add_business(city_run, owner_id=user["id"], kind="parking")
    last = this_month().previous()
    answer = file(post_form, business, last, "12.500.000")
    assert answer.status_code == 303
    (row,) = returns_of(city_run, business)
    assert (row["turnover"], row["rate_ppm"], row["tax_due"]) == (12_500_000, 200_000, 2_500_000)
    assert row["regulation"] == "Perda Uji 1/2020" and row["status"] == "unpaid"
    page = client.get(f"/malang/pajak/usaha/{business}")
    assert "Rp2.500.000" in page.text and "(20%)" in page.text
    assert f"/malang/pajak/usaha/{business}/spt/{row['id']}/bayar" in page.text
    assert f"/malang/pajak/usaha/{business}/spt/{row['id']}/pembetulan" in page.text
    officer_view = client.get(f"/malang/kelola/pajak/pbjt/{business}")
    assert officer_view.status_code == 403


def test_a_return_filed_after_the_deadline_is_flagged_late_and_fined(
    client, login_as, post_form, city_run
):
    user = login_as()
    business = add_business(city_run, owner_id=user["id"])
    old = this_month().previous().previous().previous()
    assert file(post_form, business, old, "1000000").status_code == 303
    (row,) = returns_of(city_run, business)
    assert row["late_filing"] and row["late_filing_fine"] == 100_000
    page = client.get(f"/malang/pajak/usaha/{business}")
    assert "Terlambat lapor" in page.text or "Filed late" in page.text


@pytest.mark.parametrize(
    ("month", "turnover", "message"),
    [
        ("last", "-5000", "bilangan bulat"),
        ("last", "satu juta", "bilangan bulat"),
        ("current", "1000", "sudah berakhir"),
        ("future", "1000", "sudah berakhir"),
        ("2026-13", "1000", "Pilih bulan"),
        ("2010-01", "1000", "belum terdaftar"),
    ],
)
def test_bad_returns_are_refused_with_the_values_kept(
    client, login_as, post_form, city_run, month, turnover, message
):
    user = login_as()
    business = add_business(city_run, owner_id=user["id"])
    typed = {
        "last": str(this_month().previous()),
        "current": str(this_month()),
        "future": str(this_month().next()),
    }.get(month, month)
    answer = post_form(
        f"/malang/pajak/usaha/{business}/lapor", {"month": typed, "turnover": turnover}
    )
    assert answer.status_code == 400
    assert message in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert returns_of(city_run, business) == []


def test_a_month_is_filed_once(client, login_as, post_form, city_run):
    user = login_as()
    business = add_business(city_run, owner_id=user["id"])
    last = this_month().previous()
    assert file(post_form, business, last, "1000000").status_code == 303
    again = file(post_form, business, last, "2000000")
    assert again.status_code == 400 and "pembetulan" in again.text
    assert len(returns_of(city_run, business)) == 1


def test_another_owners_business_and_returns_are_not_found(client, login_as, post_form, city_run):
    owner = login_as(email="pemilik@example.id")
    business = add_business(city_run, owner_id=owner["id"])
    assert file(post_form, business, this_month().previous(), "1000000").status_code == 303
    (row,) = returns_of(city_run, business)
    client.cookies.clear()
    login_as(email="lain@example.id")
    assert client.get(f"/malang/pajak/usaha/{business}").status_code == 404
    assert file(post_form, business, this_month().previous().previous(), "5").status_code == 404
    assert post_form(f"/malang/pajak/usaha/{business}/spt/{row['id']}/bayar", {}).status_code == 404
    assert (
        client.get(f"/malang/pajak/usaha/{business}/spt/{row['id']}/pembetulan").status_code == 404
    )


def test_a_return_of_another_business_of_the_same_owner_is_not_found(
    client, login_as, post_form, city_run
):
    user = login_as()
    first = add_business(city_run, owner_id=user["id"], npwpd="P.2.0001.01")
    second = add_business(city_run, owner_id=user["id"], npwpd="P.2.0002.01")
    assert file(post_form, first, this_month().previous(), "1000000").status_code == 303
    (row,) = returns_of(city_run, first)
    assert post_form(f"/malang/pajak/usaha/{second}/spt/{row['id']}/bayar", {}).status_code == 404


def test_business_pages_need_login_and_forms_need_the_csrf_token(client, login_as, city_run):
    business = add_business(city_run)
    assert client.get("/malang/pajak/usaha", follow_redirects=False).status_code in (302, 303, 401)
    user = login_as()
    city_run(
        "malang",
        lambda: Business.update({Business.owner_id: user["id"]}).where(Business.id == business),
    )
    client.get(f"/malang/pajak/usaha/{business}")
    forged = client.post(
        f"/malang/pajak/usaha/{business}/lapor",
        data={"month": str(this_month().previous()), "turnover": "1000"},
    )
    assert forged.status_code == 403
    assert returns_of(city_run, business) == []


# --- corrections -----------------------------------------------------------------------------


def test_a_correction_replaces_the_return_with_a_reason_and_is_audited(
    client, login_as, post_form, city_run
):
    user = login_as()
    business = add_business(city_run, owner_id=user["id"])
    assert file(post_form, business, this_month().previous(), "1000000").status_code == 303
    (old,) = returns_of(city_run, business)
    url = f"/malang/pajak/usaha/{business}/spt/{old['id']}/pembetulan"
    assert client.get(url).status_code == 200
    no_reason = post_form(url, {"turnover": "3000000", "reason": "  "})
    assert no_reason.status_code == 400 and 'value="3000000"' in no_reason.text
    answer = post_form(url, {"turnover": "3000000", "reason": "Salah ketik omzet"})
    assert answer.status_code == 303
    first, second = returns_of(city_run, business)
    assert first["status"] == "replaced" and first["replaced_by"] == second["id"]
    assert second["replaces"] == first["id"] and second["tax_due"] == 300_000
    assert second["correction_reason"] == "Salah ketik omzet"
    assert "pajak.pbjt_return_corrected" in audit_actions(city_run)
    assert (
        post_form(url, {"turnover": "5", "reason": "lagi"}).status_code == 400
    )  # replaced already


# --- paying ----------------------------------------------------------------------------------


def settle(balai_app, city_run, number, provider="va"):
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


def test_paying_a_late_return_charges_fine_and_penalty_once(
    client, login_as, post_form, city_run, balai_app
):
    user = login_as()
    business = add_business(city_run, owner_id=user["id"])
    old = this_month().previous().previous().previous()
    assert file(post_form, business, old, "10.000.000").status_code == 303
    (row,) = returns_of(city_run, business)
    answer = post_form(f"/malang/pajak/usaha/{business}/spt/{row['id']}/bayar", {})
    assert answer.status_code == 303 and "/malang/bayar/INV-" in answer.headers["location"]
    number = answer.headers["location"].rsplit("/", 1)[1]
    again = post_form(f"/malang/pajak/usaha/{business}/spt/{row['id']}/bayar", {})
    assert again.headers["location"].endswith(number), "an open invoice is reused"
    invoice = city_run("malang", lambda: ledger.invoice_by_number(number))
    months = (datetime.now(UTC).date() - row["payment_deadline"]).days // 28
    assert invoice.amount > 1_000_000 + 100_000 and months >= 1
    assert invoice.source == "pajak" and invoice.source_ref == f"pbjt:{row['id']}"
    assert settle(balai_app, city_run, number).outcome == "settled"
    (paid,) = returns_of(city_run, business)
    assert paid["status"] == "paid" and paid["paid_amount"] == invoice.amount
    assert paid["paid_penalty"] == invoice.amount - 1_100_000 and paid["paid_channel"] == "va"
    summary = city_run(
        "malang", lambda: RevenueMonth.select().where(RevenueMonth.tax_type == "pbjt")
    )
    assert [(r["district"], r["amount"], r["payments"]) for r in summary] == [
        ("Klojen", invoice.amount, 1)
    ]
    refused = post_form(
        f"/malang/pajak/usaha/{business}/spt/{row['id']}/bayar", {}, follow_redirects=True
    )
    assert (
        "tidak ada lagi yang perlu dibayar" in refused.text.lower()
        or "nothing left to pay" in refused.text
    )
    url = f"/malang/pajak/usaha/{business}/spt/{row['id']}/pembetulan"
    assert post_form(url, {"turnover": "5", "reason": "telat"}).status_code == 400


def test_an_expired_invoice_is_forgotten_and_a_correction_allowed_again(
    client, login_as, post_form, city_run, balai_app
):
    user = login_as()
    business = add_business(city_run, owner_id=user["id"])
    assert file(post_form, business, this_month().previous(), "1000000").status_code == 303
    (row,) = returns_of(city_run, business)
    number = (
        post_form(f"/malang/pajak/usaha/{business}/spt/{row['id']}/bayar", {})
        .headers["location"]
        .rsplit("/", 1)[1]
    )
    url = f"/malang/pajak/usaha/{business}/spt/{row['id']}/pembetulan"
    assert post_form(url, {"turnover": "5", "reason": "ubah"}).status_code == 400  # payment open

    async def expire():
        return await ledger.expire_overdue(
            registry=balai_app.ui.registry, now=datetime.now(UTC) + timedelta(days=2)
        )

    assert city_run("malang", expire) == [number]
    (row,) = returns_of(city_run, business)
    assert row["invoice_number"] == "" and row["invoice_due_at"] is None
    assert post_form(url, {"turnover": "5", "reason": "ubah"}).status_code == 303


def test_zero_turnover_owes_nothing_but_a_late_filing_fine(client, login_as, post_form, city_run):
    user = login_as()
    business = add_business(city_run, owner_id=user["id"])
    assert file(post_form, business, this_month().previous(), "0").status_code == 303
    (row,) = returns_of(city_run, business)
    assert row["tax_due"] == 0
    on_time = row["filing_deadline"] >= row["filed_at"].astimezone(ZoneInfo("Asia/Jakarta")).date()
    answer = post_form(f"/malang/pajak/usaha/{business}/spt/{row['id']}/bayar", {})
    if on_time:
        assert row["status"] == "nil" and row["late_filing_fine"] == 0
        assert "/bayar/" not in answer.headers["location"]
    else:
        assert row["status"] == "unpaid" and row["late_filing_fine"] == 100_000
        number = answer.headers["location"].rsplit("/", 1)[1]
        invoice = city_run("malang", lambda: ledger.invoice_by_number(number))
        assert invoice.amount == 100_000


def test_errors_are_in_english_when_switched(client, login_as, post_form, city_run):
    user = login_as()
    business = add_business(city_run, owner_id=user["id"])
    client.get("/malang/bahasa/en")
    answer = file(post_form, business, this_month().previous(), "-1")
    assert answer.status_code == 400
    assert "Enter the turnover as a whole number of rupiah, 0 or more." in answer.text


def test_a_deleted_account_loses_its_businesses_but_returns_stay(
    client, login_as, post_form, city_run, balai_app
):
    user = login_as()
    business = add_business(city_run, owner_id=user["id"])
    assert file(post_form, business, this_month().previous(), "1000").status_code == 303

    async def delete():
        city = balai_app.ui.config.cities["malang"]
        await balai_app.ui.registry.gather(city, "user_deleted", city=city, user_id=user["id"])

    city_run("malang", delete)
    row = city_run("malang", lambda: Business.select().where(Business.id == business).first())
    (tax_return,) = returns_of(city_run, business)
    assert (
        row["owner_id"] is None
        and tax_return["filed_by"] is None
        and tax_return["turnover"] == 1000
    )
