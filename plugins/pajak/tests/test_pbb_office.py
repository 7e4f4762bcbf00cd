"""Officers' PBB-P2 pages: an object with its bills, correcting it with a reason, arrears."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from balai.audit.tables import AuditEntry
from balai.testing import write_config
from balai_pajak.pbb.penalty import amount_owed
from balai_pajak.tables import ObjectCorrection, Sppt, TaxObject, Taxpayer
from pbb_data import city_with, demo_pbb
from pbb_seed import add_bill, add_object, add_taxpayer

NOP = "357303000200100050"
SHOWN = "35.73.030.002.001-0005.0"
MALANG = city_with(demo_pbb("malang"))


@pytest.fixture
def balai_config(tmp_path, balai_cities):
    return write_config(
        tmp_path / "instance",
        balai_cities,
        city_options={"malang": {"settings": {"pajak": {"pbb": demo_pbb("malang")}}}},
    )


def seed_object(city_run, *, nik="3573010101800001"):
    async def seed():
        payer = await add_taxpayer("Budi Santoso", nik)
        object_id = await add_object(NOP, payer, district="Klojen", village="Kauman")
        await add_bill(object_id, NOP, 2023, 400_000, date(2023, 8, 31))
        await add_bill(object_id, NOP, 2024, 500_000, date(2024, 8, 31), status="paid")
        return object_id

    return city_run("malang", seed)


def audits(city_run, action):
    async def read():
        return await AuditEntry.select().where(AuditEntry.action == action)

    return city_run("malang", read)


def today():
    return datetime.now(UTC).astimezone(MALANG.tz).date()


# --- guards -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/objek/357303000200100050", "/objek/357303000200100050/koreksi", "/tunggakan"],
)
def test_office_pbb_pages_need_the_permission(client, login_as, path):
    response = client.get(f"/malang/kelola/pajak{path}", follow_redirects=False)
    assert response.status_code == 303
    login_as()
    assert client.get(f"/malang/kelola/pajak{path}").status_code == 403


def test_a_citizen_cannot_post_a_correction(client, login_as, post_form, city_run):
    seed_object(city_run)
    login_as()
    response = post_form(f"/malang/kelola/pajak/objek/{NOP}/koreksi", {"reason": "x" * 20})
    assert response.status_code == 403
    assert city_run("malang", ObjectCorrection.count) == 0


# --- the object page --------------------------------------------------------------------


def test_object_page_shows_bills_with_the_amount_owed_today(client, login_as, city_run):
    seed_object(city_run)
    user = login_as("pajak.officer")
    page = client.get(f"/malang/kelola/pajak/objek/{SHOWN}")
    assert page.status_code == 200
    assert SHOWN in page.text and "Budi Santoso" in page.text
    assert "3573010101800001" not in page.text and "************0001" in page.text
    owed = amount_owed(
        {"year": 2023, "tax_due": 400_000, "due_date": date(2023, 8, 31), "status": "unpaid"},
        today(),
        MALANG,
    )
    assert owed.penalty == 400_000 * 20_000 * 24 // 1_000_000  # 2 % a month, capped at 24
    assert "Rp" + f"{owed.total:,}".replace(",", ".") in page.text
    assert "Denda keterlambatan: 2% per bulan × 24 bulan (UU 28/2009)" in page.text
    assert "Lunas" in page.text or "Dibayar" in page.text
    entries = audits(city_run, "pajak.object_viewed")
    assert [(e["actor_id"], e["subject"]) for e in entries] == [(user["id"], f"nop:{NOP}")]


@pytest.mark.parametrize("nop", ["35.73.030", "abc", "337413000100200030"])
def test_unknown_malformed_or_foreign_nop_is_a_404(client, login_as, city_run, nop):
    async def semarang():
        await add_object("337413000100200030", None)

    city_run("semarang", semarang)
    login_as("pajak.officer")
    assert client.get(f"/malang/kelola/pajak/objek/{nop}").status_code == 404
    assert client.get(f"/malang/kelola/pajak/objek/{nop}/koreksi").status_code == 404


# --- correcting an object ---------------------------------------------------------------


def form_of(**changes) -> dict:
    values = {
        "address": "Jl. Uji No. 00050",
        "district": "Klojen",
        "village": "Kauman",
        "land_area": "200",
        "building_area": "100",
        "land_class": "A12",
        "building_class": "B3",
        "land_njop_per_m2": "2000000",
        "building_njop_per_m2": "3000000",
        "taxpayer_name": "Budi Santoso",
        "taxpayer_nik": "3573010101800001",
        "taxpayer_address": "",
        "reason": "Hasil pengukuran ulang BPN 2025",
    }
    values.update(changes)
    return values


def test_correction_form_is_filled_with_the_current_data(client, login_as, city_run):
    seed_object(city_run)
    login_as("pajak.officer")
    page = client.get(f"/malang/kelola/pajak/objek/{NOP}/koreksi")
    assert page.status_code == 200
    assert 'value="Jl. Uji No. 00050"' in page.text and 'value="2000000"' in page.text
    assert 'name="_csrf_token"' in page.text


def test_a_correction_is_saved_audited_and_kept_as_history(client, login_as, post_form, city_run):
    object_id = seed_object(city_run)
    user = login_as("pajak.officer")
    response = post_form(
        f"/malang/kelola/pajak/objek/{NOP}/koreksi",
        form_of(land_area="250", building_class="c1", address="Jl. Uji Baru No. 1"),
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/malang/kelola/pajak/objek/{NOP}"
    obj = city_run("malang", lambda: TaxObject.select().where(TaxObject.id == object_id).first())
    assert (obj["land_area"], obj["building_class"], obj["address"]) == (
        250,
        "C1",
        "Jl. Uji Baru No. 1",
    )
    history = city_run("malang", lambda: ObjectCorrection.select())
    assert len(history) == 1
    assert history[0]["reason"] == "Hasil pengukuran ulang BPN 2025"
    assert history[0]["officer_id"] == user["id"]
    assert json.loads(history[0]["changes"]) == {
        "address": ["Jl. Uji No. 00050", "Jl. Uji Baru No. 1"],
        "land_area": ["200", "250"],
        "building_class": ["B3", "C1"],
    }
    entry = audits(city_run, "pajak.object_corrected")[0]
    assert entry["subject"] == f"nop:{NOP}" and entry["actor_id"] == user["id"]
    page = client.get(response.headers["location"])
    assert "Hasil pengukuran ulang BPN 2025" in page.text
    assert "Koreksi telah disimpan." in page.text
    bills = city_run("malang", lambda: Sppt.select(Sppt.tax_due).order_by(Sppt.year))
    assert [b["tax_due"] for b in bills] == [400_000, 500_000]  # issued bills keep their figures


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reason": "   "}, "reason", "Jelaskan koreksi ini dalam sedikitnya 10 karakter"),
        ({"reason": "ukur"}, "reason", "Jelaskan koreksi ini"),
        ({"land_area": "dua ratus", "land_class": "X"}, "land_area", "Masukkan bilangan bulat"),
        ({"land_njop_per_m2": "-5"}, "land_njop_per_m2", "Masukkan bilangan bulat"),
        ({"building_area": "999999999999"}, "building_area", "Masukkan bilangan bulat"),
        ({"land_class": "A/12!"}, "land_class", "Kelas terdiri atas paling banyak 4"),
        ({"taxpayer_nik": "12345"}, "taxpayer_nik", "NIK terdiri atas tepat 16 angka"),
        ({"address": ""}, "address", "Kolom ini wajib diisi."),
        ({"taxpayer_name": " "}, "taxpayer_name", "Kolom ini wajib diisi."),
    ],
)
def test_bad_corrections_are_a_400_with_values_kept_and_nothing_changed(
    client, login_as, post_form, city_run, changes, field, message
):
    object_id = seed_object(city_run)
    login_as("pajak.officer")
    sent = form_of(**changes)
    response = post_form(f"/malang/kelola/pajak/objek/{NOP}/koreksi", sent)
    assert response.status_code == 400
    assert message in response.text
    assert f'id="f-{field}"' in response.text and 'aria-invalid="true"' in response.text
    if sent["land_area"].strip():
        assert f'value="{sent["land_area"]}"' in response.text
    obj = city_run("malang", lambda: TaxObject.select().where(TaxObject.id == object_id).first())
    assert obj["land_area"] == 200 and obj["address"] == "Jl. Uji No. 00050"
    assert city_run("malang", ObjectCorrection.count) == 0


def test_a_correction_that_changes_nothing_is_refused(client, login_as, post_form, city_run):
    seed_object(city_run)
    login_as("pajak.officer")
    response = post_form(f"/malang/kelola/pajak/objek/{NOP}/koreksi", form_of())
    assert response.status_code == 400
    assert "Tidak ada yang diubah." in response.text
    assert city_run("malang", ObjectCorrection.count) == 0


def test_taxpayer_corrections_fix_move_or_register(client, login_as, post_form, city_run):
    object_id = seed_object(city_run)

    async def other():
        return await add_taxpayer("Sri Wahyuni", "3573015505900002")

    sri = city_run("malang", other)
    login_as("pajak.officer")
    url = f"/malang/kelola/pajak/objek/{NOP}/koreksi"

    def owner():
        async def read():
            obj = await TaxObject.select().where(TaxObject.id == object_id).first()
            return obj["taxpayer"]

        return city_run("malang", read)

    budi = owner()
    # same NIK: the name of the same taxpayer is corrected
    assert post_form(url, form_of(taxpayer_name="Budi Santosa")).status_code == 303
    assert owner() == budi
    names = city_run("malang", lambda: Taxpayer.select(Taxpayer.name).where(Taxpayer.id == budi))
    assert names[0]["name"] == "Budi Santosa"
    # another taxpayer's NIK: the object moves to them
    moved = form_of(taxpayer_name="Sri Wahyuni", taxpayer_nik="3573015505900002")
    assert post_form(url, moved).status_code == 303
    assert owner() == sri
    # a new NIK: a new taxpayer
    new = form_of(taxpayer_name="Ahmad Fauzi", taxpayer_nik="3573010303850003")
    assert post_form(url, new).status_code == 303
    assert owner() not in (budi, sri)
    assert city_run("malang", Taxpayer.count) == 3


def test_correcting_another_citys_object_is_a_404(client, login_as, post_form, city_run):
    async def semarang():
        await add_object(NOP, None, land=1)

    city_run("semarang", semarang)
    login_as("pajak.officer")
    response = post_form(f"/malang/kelola/pajak/objek/{NOP}/koreksi", form_of(land_area="5"))
    assert response.status_code == 404

    async def land():
        return (await TaxObject.select(TaxObject.land_area).first())["land_area"]

    assert city_run("semarang", land) == 1


# --- arrears ----------------------------------------------------------------------------


def seed_arrears(city_run):
    """Overdue bills in two districts, a paid one, one not yet due."""
    past = date(2024, 8, 31)
    future = today() + timedelta(days=30)

    async def seed():
        a = await add_object("357303000200100010", None, district="Klojen", village="Kauman")
        b = await add_object("357303000200100020", None, district="Klojen", village="Oro-oro Dowo")
        c = await add_object("357305000300200040", None, district="Lowokwaru", village="Dinoyo")
        await add_bill(a, "357303000200100010", 2023, 300_001, date(2023, 8, 31))
        await add_bill(a, "357303000200100010", 2024, 200_000, past)
        await add_bill(b, "357303000200100020", 2024, 123_457, past)
        await add_bill(c, "357305000300200040", 2024, 1_000_000, past, status="paid")
        await add_bill(c, "357305000300200040", 2025, 999_999, date(2025, 8, 31))
        await add_bill(c, "357305000300200040", 2026, 50_000, future)

    city_run("malang", seed)


def owed(year, tax_due, due):
    bill = {"year": year, "tax_due": tax_due, "due_date": due, "status": "unpaid"}
    return amount_owed(bill, today(), MALANG)


def rp(amount: int) -> str:
    return "Rp" + f"{amount:,}".replace(",", ".")


def test_arrears_by_district_sum_what_each_bill_owes_today(client, login_as, city_run):
    seed_arrears(city_run)
    login_as("pajak.officer")
    page = client.get("/malang/kelola/pajak/tunggakan")
    assert page.status_code == 200
    klojen = [
        owed(2023, 300_001, date(2023, 8, 31)),
        owed(2024, 200_000, date(2024, 8, 31)),
        owed(2024, 123_457, date(2024, 8, 31)),
    ]
    lowokwaru = [owed(2025, 999_999, date(2025, 8, 31))]
    for bills in (klojen, lowokwaru):
        assert rp(sum(o.principal for o in bills)) in page.text
        assert rp(sum(o.penalty for o in bills)) in page.text
        assert rp(sum(o.total for o in bills)) in page.text
    everything = klojen + lowokwaru
    assert rp(sum(o.total for o in everything)) in page.text
    assert rp(50_000) not in page.text  # not yet due
    assert 'href="/malang/kelola/pajak/tunggakan?kecamatan=Klojen"' in page.text


def test_arrears_of_one_district_by_village(client, login_as, city_run):
    seed_arrears(city_run)
    login_as("pajak.officer")
    page = client.get("/malang/kelola/pajak/tunggakan", params={"kecamatan": "Klojen"})
    assert page.status_code == 200
    assert "Oro-oro Dowo" in page.text and "Kauman" in page.text
    assert "Dinoyo" not in page.text
    kauman = (
        owed(2023, 300_001, date(2023, 8, 31)).total + owed(2024, 200_000, date(2024, 8, 31)).total
    )
    assert rp(kauman) in page.text
    assert (
        client.get("/malang/kelola/pajak/tunggakan", params={"kecamatan": "Atlantis"}).status_code
        == 404
    )


def test_arrears_never_show_another_citys_bills(client, login_as, city_run):
    async def semarang():
        obj = await add_object("337413000100200030", None, district="Semarang Tengah")
        await add_bill(obj, "337413000100200030", 2024, 777_777, date(2024, 8, 31))

    city_run("semarang", semarang)
    login_as("pajak.officer")
    page = client.get("/malang/kelola/pajak/tunggakan")
    assert "Semarang Tengah" not in page.text and "Tidak ada tunggakan" in page.text


def test_office_list_and_menu_lead_to_the_pbb_pages(client, login_as, city_run):
    seed_object(city_run)
    login_as("pajak.officer")
    page = client.get("/malang/kelola/pajak/")
    assert f'href="/malang/kelola/pajak/objek/{NOP}"' in page.text
    office = client.get("/malang/kelola/").text
    for href in (
        "/malang/kelola/pajak/penetapan",
        "/malang/kelola/pajak/tunggakan",
        "/malang/impor/pajak.objects/",
    ):
        assert f'href="{href}"' in office
