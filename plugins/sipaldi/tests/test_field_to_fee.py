"""From the household's answer to the crew, the plant's gate, the disposal fee and its receipt."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from balai.payments import ledger
from balai.testing import write_config
from balai_sipaldi.tables import Delivery, Fee, Premises, Visit
from sipaldi_setup import (
    add_operator,
    add_premises,
    add_visit,
    demo_sipaldi,
    link_staff,
    photo,
    table_rows,
)

CREW = "/malang/kelola/sipaldi/kru/"
GATE = "/malang/kelola/sipaldi/iplt/"


def today() -> date:
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


def setup_visit(city_run, owner_id, day=None, status="scheduled"):
    premises = city_run("malang", add_premises(owner_id=owner_id, litres=2500))
    _op, [truck] = city_run("malang", add_operator(trucks=(("N 1 AB", 3000, 2),)))
    visit = city_run("malang", add_visit(premises, truck, day or today(), status=status))
    return premises, truck, visit


def as_crew(client, login_as, city_run, truck):
    """Log in as a crew account linked to ``truck``."""
    client.cookies.clear()
    crew = login_as("sipaldi.crew")
    city_run("malang", link_staff(crew["id"], truck))


def done(post_form, visit, volume="2,5"):
    return post_form(
        f"{CREW}kunjungan/{visit}/selesai",
        {"volume": volume},
        files={"photo": ("tangki.png", photo(), "image/png")},
    )


def test_the_household_confirms_moves_within_the_window_or_declines(
    client, login_as, post_form, city_run
):
    user = login_as()
    _p, _t, visit = setup_visit(city_run, user["id"], today() + timedelta(days=5))
    page = client.get(f"/malang/sipaldi/kunjungan/{visit}").text
    assert "CV Uji Sedot" in page and "Rp250.000" in page  # the operator's service fee
    far = (today() + timedelta(days=40)).isoformat()
    refused = post_form(f"/malang/sipaldi/kunjungan/{visit}", {"answer": "reschedule", "day": far})
    assert refused.status_code == 400 and "Pilih tanggal dari" in refused.text
    no_reason = post_form(f"/malang/sipaldi/kunjungan/{visit}", {"answer": "decline"})
    assert no_reason.status_code == 400
    assert city_run("malang", table_rows(Visit))[0]["status"] == "scheduled"
    new_day = today() + timedelta(days=9)
    moved = post_form(
        f"/malang/sipaldi/kunjungan/{visit}", {"answer": "reschedule", "day": new_day.isoformat()}
    )
    assert moved.status_code == 303
    assert city_run("malang", table_rows(Visit))[0]["day"] == new_day
    assert post_form(f"/malang/sipaldi/kunjungan/{visit}", {"answer": "confirm"}).status_code == 303
    assert city_run("malang", table_rows(Visit))[0]["status"] == "confirmed"
    declined = post_form(
        f"/malang/sipaldi/kunjungan/{visit}", {"answer": "decline", "reason": "Rumah dijual"}
    )
    assert declined.status_code == 303
    row = city_run("malang", table_rows(Visit))[0]
    assert (row["status"], row["reason"]) == ("declined", "Rumah dijual")


def test_another_households_visit_is_not_found(client, login_as, post_form, city_run):
    user = login_as()
    _p, _t, visit = setup_visit(city_run, user["id"] + 1000)
    assert client.get(f"/malang/sipaldi/kunjungan/{visit}").status_code == 404
    assert post_form(f"/malang/sipaldi/kunjungan/{visit}", {"answer": "confirm"}).status_code == 404


def test_the_crew_refuses_impossible_volumes_and_records_a_good_one(
    client, login_as, post_form, city_run
):
    _premises, truck, visit = setup_visit(city_run, None)
    as_crew(client, login_as, city_run, truck)
    route = client.get(CREW).text
    assert "Jl. Semeru No. 9" in route
    for bad in ("-1", "0", "3,5", "abc"):
        response = done(post_form, visit, bad)
        assert response.status_code == 400, bad
    assert city_run("malang", table_rows(Visit))[0]["status"] == "scheduled"
    missing_photo = post_form(f"{CREW}kunjungan/{visit}/selesai", {"volume": "2,5"})
    assert missing_photo.status_code == 400
    assert done(post_form, visit).status_code == 303
    row = city_run("malang", table_rows(Visit))[0]
    assert (row["status"], row["volume_litres"]) == ("done", 2500)
    assert row["photo"].startswith("/berkas/")
    [tank] = city_run("malang", table_rows(Premises))
    assert tank["last_desludged"] == today()
    assert tank["next_due"].year == today().year + 3
    assert done(post_form, visit).status_code == 400  # already recorded


def test_not_home_plans_the_visit_again(client, login_as, post_form, city_run):
    _premises, truck, visit = setup_visit(city_run, None)
    as_crew(client, login_as, city_run, truck)
    response = post_form(f"{CREW}kunjungan/{visit}/gagal", {"outcome": "not_home"})
    assert response.status_code == 303
    first, retry = city_run("malang", table_rows(Visit))
    assert first["status"] == "not_home"
    assert (retry["status"], retry["kind"]) == ("scheduled", "retry")
    assert retry["day"] > first["day"] and retry["day"].weekday() != 6


def test_the_gate_logs_a_delivery_bills_the_household_and_refuses_it_twice(
    client, login_as, post_form, city_run, balai_app
):
    user = login_as()
    _premises, truck, visit = setup_visit(city_run, user["id"])
    as_crew(client, login_as, city_run, truck)
    assert done(post_form, visit).status_code == 303
    client.cookies.clear()
    login_as("sipaldi.plant")
    assert "N 1 AB" in client.get(GATE, params={"truck": truck}).text
    for bad in ("0", "-2", "3,1"):
        answer = post_form(GATE, {"truck": str(truck), "visit": str(visit), "volume": bad})
        assert answer.status_code == 400, bad
    assert post_form(GATE, {"truck": str(truck), "volume": "2,5"}).status_code == 400  # no visit
    assert city_run("malang", table_rows(Delivery)) == []
    assert (
        post_form(GATE, {"truck": str(truck), "visit": str(visit), "volume": "2,5"}).status_code
        == 303
    )
    twice = post_form(GATE, {"truck": str(truck), "visit": str(visit), "volume": "2,5"})
    assert twice.status_code == 400 and "sudah dikirim" in twice.text
    assert len(city_run("malang", table_rows(Delivery))) == 1
    [fee] = city_run("malang", table_rows(Fee))
    assert (fee["litres"], fee["per_m3"], fee["amount"], fee["owner_id"]) == (
        2500,
        15000,
        37500,
        user["id"],
    )
    # the household pays online and gets its receipt
    client.cookies.clear()
    login_again(client, user)
    assert "Rp37.500" in client.get("/malang/sipaldi/tangki/").text
    answer = post_form(f"/malang/sipaldi/biaya/{fee['id']}/bayar", {})
    assert answer.status_code == 303 and "/malang/bayar/INV-" in answer.headers["location"]
    number = answer.headers["location"].rsplit("/", 1)[1]
    settle(balai_app, city_run, number)
    [paid] = city_run("malang", table_rows(Fee))
    assert paid["paid"] and paid["invoice_number"] == number
    page = client.get(f"/malang/sipaldi/kunjungan/{visit}").text
    assert "Lunas" in page and ">Kuitansi</a>" in page
    assert "Rp37.500" not in client.get("/malang/sipaldi/tangki/").text  # nothing left to pay


def login_again(client, user):
    response = client.get("/malang/masuk")
    assert response.status_code == 200
    token = re.search(r'name="_csrf_token"\s+value="([^"]+)"', response.text).group(1)
    client.post(
        "/malang/masuk",
        data={"_csrf_token": token, "login": user["login"], "password": user["password"]},
    )


def settle(balai_app, city_run, number):
    async def pay():
        invoice = await ledger.invoice_by_number(number)
        return await ledger.settle(
            invoice,
            ledger.SettlementEvent(
                event_key=f"qris:{number}",
                external_id=f"ext-{number}",
                provider="qris",
                kind="paid",
                amount=invoice.amount,
            ),
            registry=balai_app.ui.registry,
        )

    return city_run("malang", pay)


def test_a_gap_beyond_the_tolerance_is_flagged(client, login_as, post_form, city_run):
    _premises, truck, visit = setup_visit(city_run, None)
    as_crew(client, login_as, city_run, truck)
    done(post_form, visit)
    client.cookies.clear()
    login_as("sipaldi.plant")
    assert (
        post_form(GATE, {"truck": str(truck), "visit": str(visit), "volume": "2"}).status_code
        == 303
    )
    page = client.get(GATE).text
    assert "Selisih 0,5 m³" in page


def test_a_visit_of_another_truck_is_refused(client, login_as, post_form, city_run):
    _premises, truck, visit = setup_visit(city_run, None)
    _op, [other] = city_run(
        "malang", add_operator(name="CV Lain", licence="L/2", trucks=(("N 9 ZZ", 3000, 2),))
    )
    as_crew(client, login_as, city_run, truck)
    done(post_form, visit)
    client.cookies.clear()
    login_as("sipaldi.plant")
    answer = post_form(GATE, {"truck": str(other), "visit": str(visit), "volume": "2,5"})
    assert answer.status_code == 400 and "truk lain" in answer.text
    assert city_run("malang", table_rows(Delivery)) == []


class TestOperatorPays:
    @pytest.fixture
    def balai_config(self, tmp_path, balai_cities):
        settings = {**demo_sipaldi("malang"), "bill_disposal_to": "operator"}
        return write_config(
            tmp_path / "instance",
            balai_cities,
            city_options={"malang": {"region_code": "35.73", "settings": {"sipaldi": settings}}},
        )

    def test_the_operator_is_billed_for_the_delivered_volume(
        self, client, login_as, post_form, city_run
    ):
        _premises, truck, visit = setup_visit(city_run, None)
        as_crew(client, login_as, city_run, truck)
        done(post_form, visit)
        client.cookies.clear()
        login_as("sipaldi.plant")
        post_form(GATE, {"truck": str(truck), "visit": str(visit), "volume": "2,4"})
        [fee] = city_run("malang", table_rows(Fee))
        assert (fee["visit_id"], fee["litres"], fee["amount"]) == (None, 2400, 36000)
        assert fee["operator_id"] is not None
