"""A disposal fee paid in monthly instalments: exact parts, one invoice each, paid with the last."""

from __future__ import annotations

from balai_sipaldi.fees.instalments import split
from balai_sipaldi.tables import Fee, Instalment
from hypothesis import given
from hypothesis import strategies as st
from sipaldi_setup import table_rows
from test_field_to_fee import GATE, as_crew, done, login_again, settle, setup_visit


def test_parts_add_up_exactly_the_first_taking_the_rest():
    assert split(37_500, 3) == [12_500, 12_500, 12_500]
    assert split(10_001, 3) == [3_335, 3_333, 3_333]


@given(st.integers(0, 10**9), st.integers(1, 12))
def test_parts_always_add_up(amount, parts):
    pieces = split(amount, parts)
    assert sum(pieces) == amount and len(pieces) == parts
    assert max(pieces) - min(pieces) < parts


def test_a_household_pays_a_fee_in_three_instalments(
    client, login_as, post_form, city_run, balai_app
):
    user = login_as()
    _premises, truck, visit = setup_visit(city_run, user["id"])
    as_crew(client, login_as, city_run, truck)
    done(post_form, visit)
    client.cookies.clear()
    login_as("sipaldi.plant")
    post_form(GATE, {"truck": str(truck), "visit": str(visit), "volume": "2,5"})
    client.cookies.clear()
    login_again(client, user)
    [fee] = city_run("malang", table_rows(Fee))
    assert "3 kali cicilan" in client.get(f"/malang/sipaldi/kunjungan/{visit}").text
    post_form(f"/malang/sipaldi/biaya/{fee['id']}/cicil", {"parts": "5"})  # parts under Rp10.000
    assert city_run("malang", table_rows(Instalment)) == []
    assert post_form(f"/malang/sipaldi/biaya/{fee['id']}/cicil", {"parts": "3"}).status_code == 303
    parts = city_run("malang", table_rows(Instalment))
    assert [p["amount"] for p in parts] == [12_500, 12_500, 12_500]
    assert parts[1]["due_day"] > parts[0]["due_day"]
    post_form(f"/malang/sipaldi/biaya/{fee['id']}/cicil", {"parts": "2"})  # already split
    assert len(city_run("malang", table_rows(Instalment))) == 3
    whole = post_form(f"/malang/sipaldi/biaya/{fee['id']}/bayar", {})
    assert "/bayar/INV-" not in whole.headers["location"]  # the whole fee is no longer offered
    for number, part in enumerate(parts, start=1):
        answer = post_form(f"/malang/sipaldi/cicilan/{part['id']}/bayar", {})
        assert "/malang/bayar/INV-" in answer.headers["location"]
        settle(balai_app, city_run, answer.headers["location"].rsplit("/", 1)[1])
        assert city_run("malang", table_rows(Fee))[0]["paid"] is (number == 3)
    page = client.get(f"/malang/sipaldi/kunjungan/{visit}").text
    assert page.count(">Kuitansi</a>") == 3


def test_another_households_instalment_is_not_found(client, login_as, post_form, city_run):
    user = login_as()
    assert post_form("/malang/sipaldi/cicilan/999/bayar", {}).status_code == 404
    assert post_form("/malang/sipaldi/biaya/999/cicil", {"parts": "2"}).status_code == 404
    assert user
