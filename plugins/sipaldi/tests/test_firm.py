"""The operator's office: linked accounts, its disposal-fee statement and paying it.

The city bills the disposal fee to the operator here; each delivery is one
fee (one ledger invoice), listed on the firm's monthly statement. Crews
linked to a truck see only that truck's route.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from balai.testing import write_config
from balai_sipaldi.tables import Delivery, Fee, Instalment, Staff, Visit
from sipaldi_setup import (
    add_operator,
    add_premises,
    add_visit,
    demo_sipaldi,
    link_staff,
    photo,
    table_rows,
)
from test_field_to_fee import GATE, today

FIRM = "/malang/kelola/sipaldi/firma/"
CREW = "/malang/kelola/sipaldi/kru/"
SANDBOX_HREF = re.compile(r'href="([^"]*sandbox-bank/[^"]+)"')


@pytest.fixture
def balai_cities():
    return {"malang": ["sipaldi"], "semarang": ["sipaldi"]}


@pytest.fixture
def balai_config(tmp_path, balai_cities):
    settings = {**demo_sipaldi("malang"), "bill_disposal_to": "operator"}
    return write_config(
        tmp_path / "instance",
        balai_cities,
        city_options={
            "malang": {"region_code": "35.73", "settings": {"sipaldi": settings}},
            "semarang": {"region_code": "33.74", "settings": {"sipaldi": settings}},
        },
    )


def add_fee(truck_id: int, operator_id: int, litres: int = 2400, per_m3: int = 15_000):
    """An async function adding a delivery of today and its fee billed to the operator."""

    async def insert():
        delivery = await Delivery.insert(
            Delivery(
                truck_id=truck_id,
                day=today(),
                arrived_at=datetime.now(UTC),
                volume_litres=litres,
                collected_litres=litres,
            )
        ).returning(Delivery.id)
        fee = await Fee.insert(
            Fee(
                delivery_id=delivery[0]["id"],
                operator_id=operator_id,
                litres=litres,
                per_m3=per_m3,
                amount=litres * per_m3 // 1000,
                created_at=datetime.now(UTC),
            )
        ).returning(Fee.id)
        return fee[0]["id"]

    return insert


@pytest.fixture
def firms(city_run):
    """Two operators (A and B), each with a truck and a fee of today."""
    a, [truck_a] = city_run("malang", add_operator())
    b, [truck_b] = city_run(
        "malang", add_operator(name="CV Lain", licence="L/2", trucks=(("N 9 ZZ", 3000, 2),))
    )
    return {
        "a": a,
        "b": b,
        "truck_a": truck_a,
        "truck_b": truck_b,
        "fee_a": city_run("malang", add_fee(truck_a, a)),
        "fee_b": city_run("malang", add_fee(truck_b, b, litres=1000)),
    }


def as_office(client, login_as, city_run, operator_id, city="malang"):
    client.cookies.clear()
    account = login_as("sipaldi.operator", city)
    city_run(city, link_staff(account["id"], None, operator_id))
    return account


def pay_with_sandbox_va(client, post_form, location: str) -> None:
    """Choose the virtual account on the ledger's page and play the bank paying it."""
    path = location.split("?", 1)[0]
    assert post_form(f"{path}/mulai", {"method": "va"}).status_code == 303
    bank = SANDBOX_HREF.search(client.get(location).text)
    assert bank, "no sandbox bank link on the invoice page"
    assert post_form(f"{bank.group(1)}/pay", {}).status_code == 303


# --- officers link accounts -------------------------------------------------------


def test_an_officer_links_office_and_crew_accounts_and_bad_input_writes_nothing(
    client, login_as, post_form, city_run, firms
):
    crew = login_as("sipaldi.crew", email="kru.a@example.id")
    office = login_as("sipaldi.operator", email="kantor.a@example.id")
    client.cookies.clear()
    login_as("sipaldi.officer")
    url = f"/malang/kelola/sipaldi/operator/{firms['a']}/akun"
    for bad in (
        {"login": "tidak.ada@example.id"},  # no such account
        {"login": "kru.a@example.id", "plate": "N 9 ZZ"},  # operator B's truck
        {"login": "kru.a@example.id", "plate": "bukan plat"},
        {"login": ""},
    ):
        answer = post_form(url, bad)
        assert answer.status_code == 400, bad
    assert city_run("malang", table_rows(Staff)) == []
    assert post_form(url, {"login": "kru.a@example.id", "plate": "n 1 ab"}).status_code == 303
    assert post_form(url, {"login": "kantor.a@example.id"}).status_code == 303
    links = {
        (s["user_id"], s["operator_id"], s["truck_id"])
        for s in city_run("malang", table_rows(Staff))
    }
    assert links == {(crew["id"], firms["a"], firms["truck_a"]), (office["id"], firms["a"], None)}
    page = client.get(f"/malang/kelola/sipaldi/operator/{firms['a']}").text
    assert "kru.a@example.id" in page and "N 1 AB" in page
    assert (
        post_form("/malang/kelola/sipaldi/operator/999999/akun", {"login": "x"}).status_code == 404
    )


# --- crews see only their truck ---------------------------------------------------


def test_a_crew_sees_only_its_trucks_route(client, login_as, post_form, city_run, firms):
    mine = city_run("malang", add_premises(address="Jl. Milik A No. 1"))
    theirs = city_run("malang", add_premises(address="Jl. Milik B No. 2"))
    visit_a = city_run("malang", add_visit(mine, firms["truck_a"], today()))
    visit_b = city_run("malang", add_visit(theirs, firms["truck_b"], today()))
    client.cookies.clear()
    login_as("sipaldi.crew")  # not linked yet
    page = client.get(CREW).text
    assert "Jl. Milik" not in page
    assert client.get(f"{CREW}kunjungan/{visit_a}").status_code == 404
    client.cookies.clear()
    crew = login_as("sipaldi.crew")
    city_run("malang", link_staff(crew["id"], firms["truck_a"]))
    page = client.get(CREW).text
    assert "Jl. Milik A No. 1" in page and "Jl. Milik B" not in page
    assert "Jl. Milik B" not in client.get(CREW, params={"truck": firms["truck_b"]}).text
    assert client.get(f"{CREW}kunjungan/{visit_b}").status_code == 404
    answer = post_form(
        f"{CREW}kunjungan/{visit_b}/selesai",
        {"volume": "2"},
        files={"photo": ("t.png", photo(), "image/png")},
    )
    assert answer.status_code == 404
    assert post_form(f"{CREW}kunjungan/{visit_b}/gagal", {"outcome": "not_home"}).status_code == 404
    statuses = {v["id"]: v["status"] for v in city_run("malang", table_rows(Visit))}
    assert statuses[visit_b] == "scheduled"
    assert client.get(f"{CREW}kunjungan/{visit_a}").status_code == 200


# --- the firm's statement and its payment -------------------------------------------


def test_the_firm_sees_its_own_fees_only(client, login_as, post_form, city_run, firms):
    client.cookies.clear()
    login_as("sipaldi.operator")  # holds the role, linked to no firm
    assert client.get(FIRM).status_code == 403
    assert post_form(f"{FIRM}biaya/{firms['fee_a']}/bayar", {}).status_code == 404
    as_office(client, login_as, city_run, firms["a"])
    page = client.get(FIRM).text
    assert "Rp36.000" in page and "N 1 AB" in page
    assert "Rp15.000" not in page.replace("× Rp15.000", "")  # B's fee of 1 m³ is not listed
    assert "N 9 ZZ" not in page
    for path in (f"biaya/{firms['fee_b']}/bayar", f"biaya/{firms['fee_b']}/cicil"):
        assert post_form(f"{FIRM}{path}", {"parts": "2"}).status_code == 404
    assert [f["invoice_number"] for f in city_run("malang", table_rows(Fee))] == ["", ""]
    assert city_run("malang", table_rows(Instalment)) == []
    assert client.get(FIRM, params={"bulan": "2026-13"}).status_code == 400
    assert client.get(FIRM, params={"bulan": "kemarin"}).status_code == 400
    last_month = (today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    assert "Rp36.000" not in client.get(FIRM, params={"bulan": last_month}).text


def test_another_citys_firm_finds_nothing(client, login_as, post_form, city_run, firms):
    other, _trucks = city_run("semarang", add_operator())
    client.cookies.clear()
    account = login_as("sipaldi.operator", "semarang")
    city_run("semarang", link_staff(account["id"], None, other))
    assert "Rp36.000" not in client.get("/semarang/kelola/sipaldi/firma/").text
    answer = post_form(f"/semarang/kelola/sipaldi/firma/biaya/{firms['fee_a']}/bayar", {})
    assert answer.status_code == 404
    assert [f["invoice_number"] for f in city_run("malang", table_rows(Fee))] == ["", ""]


def test_the_firm_pays_a_fee_with_the_sandbox_bank_once(
    client, login_as, post_form, city_run, firms
):
    as_office(client, login_as, city_run, firms["a"])
    first = post_form(f"{FIRM}biaya/{firms['fee_a']}/bayar", {})
    assert first.status_code == 303 and "/malang/bayar/INV-" in first.headers["location"]
    again = post_form(f"{FIRM}biaya/{firms['fee_a']}/bayar", {})
    assert again.headers["location"] == first.headers["location"]  # the same open invoice
    pay_with_sandbox_va(client, post_form, first.headers["location"])
    fee = {f["id"]: f for f in city_run("malang", table_rows(Fee))}[firms["fee_a"]]
    assert fee["paid"] and fee["paid_at"] is not None
    assert first.headers["location"].split("/")[-1].startswith(fee["invoice_number"])
    page = client.get(FIRM).text
    assert "Lunas" in page and ">Kuitansi</a>" in page
    paid_twice = post_form(f"{FIRM}biaya/{firms['fee_a']}/bayar", {})
    assert paid_twice.status_code == 303 and paid_twice.headers["location"].endswith("/firma/")
    # a colleague of the same office opens the statement and its receipt
    as_office(client, login_as, city_run, firms["a"])
    assert ">Kuitansi</a>" in client.get(FIRM).text


def test_the_firm_pays_in_instalments(client, login_as, post_form, city_run, firms):
    as_office(client, login_as, city_run, firms["a"])
    for bad in ("1", "13", "dua", ""):
        assert post_form(f"{FIRM}biaya/{firms['fee_a']}/cicil", {"parts": bad}).status_code == 303
    assert city_run("malang", table_rows(Instalment)) == []
    assert post_form(f"{FIRM}biaya/{firms['fee_a']}/cicil", {"parts": "3"}).status_code == 303
    parts = city_run("malang", table_rows(Instalment))
    assert [p["amount"] for p in parts] == [12_000, 12_000, 12_000]
    refused = post_form(f"{FIRM}biaya/{firms['fee_a']}/bayar", {})
    assert refused.headers["location"].endswith("/firma/")  # split: pay the parts
    for part in parts:
        started = post_form(f"{FIRM}cicilan/{part['id']}/bayar", {})
        assert started.status_code == 303
        pay_with_sandbox_va(client, post_form, started.headers["location"])
    fee = {f["id"]: f for f in city_run("malang", table_rows(Fee))}[firms["fee_a"]]
    assert fee["paid"]
    assert all(p["paid"] for p in city_run("malang", table_rows(Instalment)))


def test_another_firms_instalment_is_not_found(client, login_as, post_form, city_run, firms):
    as_office(client, login_as, city_run, firms["a"])
    post_form(f"{FIRM}biaya/{firms['fee_a']}/cicil", {"parts": "2"})
    [part, _second] = city_run("malang", table_rows(Instalment))
    as_office(client, login_as, city_run, firms["b"])
    assert post_form(f"{FIRM}cicilan/{part['id']}/bayar", {}).status_code == 404
    assert post_form(f"{FIRM}cicilan/999999/bayar", {}).status_code == 404
    assert all(p["invoice_number"] == "" for p in city_run("malang", table_rows(Instalment)))


def test_from_the_gate_to_the_firms_statement_the_household_sees_only_the_service_fee(
    client, login_as, post_form, city_run, firms
):
    household = login_as()
    premises = city_run("malang", add_premises(owner_id=household["id"], litres=2500))
    visit = city_run("malang", add_visit(premises, firms["truck_a"], today()))
    client.cookies.clear()
    crew = login_as("sipaldi.crew")
    city_run("malang", link_staff(crew["id"], firms["truck_a"]))
    post_form(
        f"{CREW}kunjungan/{visit}/selesai",
        {"volume": "2,5"},
        files={"photo": ("t.png", photo(), "image/png")},
    )
    client.cookies.clear()
    login_as("sipaldi.plant")
    gate = {"truck": str(firms["truck_a"]), "visit": str(visit), "volume": "2,5"}
    assert post_form(GATE, gate).status_code == 303
    as_office(client, login_as, city_run, firms["a"])
    assert "Rp37.500" in client.get(FIRM).text
    client.cookies.clear()
    from test_field_to_fee import login_again

    login_again(client, household)
    page = client.get(f"/malang/sipaldi/kunjungan/{visit}").text
    assert "Rp250.000" in page and "Rp37.500" not in page
    assert "/sipaldi/biaya/" not in page
    assert "Anda hanya membayar biaya jasa operator" in page


def test_a_deleted_account_leaves_its_firm(client, login_as, city_run, balai_app, firms):
    from balai_sipaldi import plugin

    account = as_office(client, login_as, city_run, firms["a"])
    city = balai_app.ui.config.cities["malang"]
    city_run("malang", plugin.user_deleted, city, account["id"])
    assert city_run("malang", table_rows(Staff)) == []
