"""Households register and correct their own tanks; officers list the registry."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sipaldi_setup import add_premises, premises_rows

NEW = "/malang/sipaldi/tangki/baru"
GOOD = {
    "address": "Jl. Candi Panggung No. 17",
    "kelurahan": "Mojolangu",
    "nop": "35.73.050.006.001-0017.0",
    "tank_type": "sealed",
    "tank_litres": "2,5",
    "year_built": "2010",
    "hose_metres": "15",
    "last_desludged": "2024-02-29",
}


def today() -> date:
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


def test_a_household_registers_a_tank_and_gets_its_due_date(client, login_as, post_form, city_run):
    user = login_as()
    assert client.get(NEW).status_code == 200
    response = post_form(NEW, GOOD)
    assert response.status_code == 303
    [row] = city_run("malang", premises_rows())
    assert row["owner_id"] == user["id"]
    assert row["kecamatan"] == "Lowokwaru"
    assert row["tank_litres"] == 2500
    assert row["nop"] == "357305000600100170"
    assert row["last_desludged"] == date(2024, 2, 29)
    assert row["next_due"] == date(2027, 2, 28)  # 36 months, no 29 February in 2027
    page = client.get("/malang/sipaldi/tangki/").text
    assert "Jl. Candi Panggung No. 17" in page
    assert "2,5 m³" in page
    assert "28 Februari 2027" in page


def test_a_tank_never_emptied_is_due_at_once(client, login_as, post_form, city_run):
    login_as()
    post_form(NEW, {**GOOD, "last_desludged": "", "nop": ""})
    [row] = city_run("malang", premises_rows())
    assert row["next_due"] == today()
    assert row["nop"] == ""


def test_bad_values_are_refused_and_nothing_is_written(client, login_as, post_form, city_run):
    login_as()
    tomorrow = (today() + timedelta(days=1)).isoformat()
    bad = [
        {"tank_litres": "-2"},
        {"tank_litres": "0"},
        {"tank_litres": "31"},
        {"kelurahan": "Sekayu"},  # a kelurahan of Semarang
        {"nop": "33.74.130.001.002-0003.0"},  # a Semarang NOP
        {"nop": "35.73.050"},
        {"last_desludged": tomorrow},
        {"year_built": str(today().year + 1)},
        {"year_built": "2015", "last_desludged": "2012-01-01"},
        {"hose_metres": "500"},
    ]
    for change in bad:
        response = post_form(NEW, {**GOOD, **change})
        assert response.status_code == 400, change
        assert 'aria-invalid="true"' in response.text, change
    assert city_run("malang", premises_rows()) == []


def test_a_household_corrects_its_own_tank_only(client, login_as, post_form, city_run):
    owner = login_as()
    mine = city_run("malang", add_premises(owner_id=owner["id"]))
    theirs = city_run("malang", add_premises(owner_id=owner["id"] + 1000, address="Jl. Ijen 2"))
    form = client.get(f"/malang/sipaldi/tangki/{mine}/ubah")
    assert form.status_code == 200
    assert "Jl. Semeru No. 9" in form.text
    assert client.get(f"/malang/sipaldi/tangki/{theirs}/ubah").status_code == 404
    refused = post_form(f"/malang/sipaldi/tangki/{theirs}/ubah", GOOD)
    assert refused.status_code == 404
    assert post_form(f"/malang/sipaldi/tangki/{mine}/ubah", GOOD).status_code == 303
    rows = {row["id"]: row for row in city_run("malang", premises_rows())}
    assert rows[mine]["address"] == GOOD["address"]
    assert rows[theirs]["address"] == "Jl. Ijen 2"
    assert "Jl. Ijen 2" not in client.get("/malang/sipaldi/tangki/").text


def test_registering_needs_a_verified_account(client, login_as, post_form, city_run):
    login_as(verified=False)
    assert post_form(NEW, GOOD).status_code == 403
    assert city_run("malang", premises_rows()) == []


def test_officers_list_the_registry_overdue_first(client, login_as, city_run):
    city_run("malang", add_premises(address="Jl. Lama 1", next_due=today() - timedelta(days=9)))
    city_run(
        "malang",
        add_premises(
            address="Jl. Baru 2",
            kelurahan="Sukun",
            kecamatan="Sukun",
            next_due=today() + timedelta(days=300),
        ),
    )
    login_as("sipaldi.officer")
    page = client.get("/malang/kelola/sipaldi/").text
    assert page.index("Jl. Lama 1") < page.index("Jl. Baru 2")
    assert "Terlambat" in page
    overdue = client.get("/malang/kelola/sipaldi/", params={"overdue": "1"}).text
    assert "Jl. Lama 1" in overdue and "Jl. Baru 2" not in overdue
    sukun = client.get("/malang/kelola/sipaldi/", params={"kelurahan": "Sukun"}).text
    assert "Jl. Baru 2" in sukun and "Jl. Lama 1" not in sukun


def test_semarang_premises_never_show_in_malang(client, city_run, login_as):
    city_run("semarang", add_premises(address="Jl. Pemuda No. 1"))
    login_as("sipaldi.officer")
    assert "Jl. Pemuda" not in client.get("/malang/kelola/sipaldi/").text
