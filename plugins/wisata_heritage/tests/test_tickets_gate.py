"""The gate over HTTP: admitted once, refused with the reason; codes, payloads, offline sync."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from balai import toolkit as tk
from balai_wisata_heritage.tickets.qr import ticket_payload
from balai_wisata_heritage.tickets.tables import Admission, Ticket
from ticket_support import (
    add_product,
    buy,
    invoice_of,
    order_by_invoice,
    pay_with_sandbox_qris,
    tickets_of,
)

GATE = "/malang/kelola/wisata-heritage/gerbang"


def paid_tickets(client, city_run, post_form, login_as, starts_in=timedelta(minutes=10), **qty):
    """Buy and pay tickets as a citizen; returns the ticket rows."""
    product = add_product(city_run, starts_in=starts_in)
    login_as()
    invoice = invoice_of(buy(post_form, product, **(qty or {"adult": 2})))
    pay_with_sandbox_qris(client, post_form, invoice)
    return tickets_of(city_run, order_by_invoice(city_run, invoice)["number"])


def payload_of(city_run, ticket):
    async def make() -> str:
        from balai_wisata_heritage.tickets.tables import TicketSlot

        slot = await TicketSlot.select().where(TicketSlot.id == ticket["slot"]).first()
        return ticket_payload(
            ticket["code"], ticket["category"], slot["starts_at"], slot["ends_at"]
        )

    return city_run("malang", make)


def scan(post_form, code, gate="1"):
    return post_form(GATE, {"kode": code, "gerbang": gate})


def admissions(city_run):
    async def read():
        return await Admission.select().order_by(Admission.id)

    return city_run("malang", read)


def test_the_gate_needs_a_gate_officer(client, login_as):
    login_as()
    assert client.get(GATE).status_code == 403
    login_as("wisata_heritage.gate_officer")
    page = client.get(GATE)
    assert page.status_code == 200
    assert 'name="kode"' in page.text


def test_a_typed_code_admits_once_and_the_second_scan_says_when_and_where(
    client, city_run, post_form, login_as
):
    ticket = paid_tickets(client, city_run, post_form, login_as)[0]
    login_as("wisata_heritage.gate_officer")
    first = scan(post_form, ticket["code"].lower(), gate="2")
    assert first.status_code == 200
    assert "BOLEH MASUK" in first.text and "gate-admitted" in first.text
    second = scan(post_form, ticket["code"], gate="3")
    assert "DITOLAK" in second.text and "gate-refused" in second.text
    local = datetime.now(UTC).astimezone(tk.City("malang", "Malang").tz)
    assert "Sudah dipakai pukul" in second.text and "di gerbang 2" in second.text
    assert f"{local:%H}." in second.text
    rows = admissions(city_run)
    assert [(r["gate"], r["admitted"], r["flagged"]) for r in rows] == [("2", True, False)]


def test_a_signed_payload_admits(client, city_run, post_form, login_as):
    ticket = paid_tickets(client, city_run, post_form, login_as)[1]
    login_as("wisata_heritage.gate_officer")
    answer = scan(post_form, payload_of(city_run, ticket))
    assert "BOLEH MASUK" in answer.text
    assert ticket["code"] in answer.text


def test_a_forged_payload_is_refused_and_nothing_written(client, city_run, post_form, login_as):
    ticket = paid_tickets(client, city_run, post_form, login_as)[0]
    token = payload_of(city_run, ticket)
    head, purpose, body, signature = token.split(".")
    fields = json.loads(base64.urlsafe_b64decode(body + "=="))
    fields["k"] = "foreign"
    forged = base64.urlsafe_b64encode(json.dumps(fields).encode()).rstrip(b"=").decode()
    login_as("wisata_heritage.gate_officer")
    answer = scan(post_form, f"{head}.{purpose}.{forged}.{signature}")
    assert "DITOLAK" in answer.text and "Tiket palsu" in answer.text
    assert admissions(city_run) == []


def test_another_citys_ticket_is_refused(client, city_run, post_form, login_as):
    ticket = paid_tickets(client, city_run, post_form, login_as)[0]
    now = datetime.now(UTC)

    async def sign_in_semarang() -> str:
        return ticket_payload(ticket["code"], "adult", now, now + timedelta(hours=2))

    other = city_run("semarang", sign_in_semarang)
    login_as("wisata_heritage.gate_officer")
    answer = scan(post_form, other)
    assert "Tiket ini milik kota lain" in answer.text
    assert admissions(city_run) == []


@pytest.mark.parametrize("typed", ["hello", "B1.heritage_ticket.xx.yy", "WHT-0000-0000-0"])
def test_malformed_or_unknown_codes_are_refused(client, city_run, post_form, login_as, typed):
    login_as("wisata_heritage.gate_officer")
    answer = scan(post_form, typed)
    assert answer.status_code == 200
    assert "DITOLAK" in answer.text
    assert admissions(city_run) == []


def test_an_empty_code_asks_for_one(client, post_form, login_as):
    login_as("wisata_heritage.gate_officer")
    answer = scan(post_form, "  ")
    assert answer.status_code == 400
    assert "Ketik kode tiket" in answer.text


def test_a_too_long_code_or_gate_name_is_refused_with_nothing_written(
    client, city_run, post_form, login_as
):
    login_as("wisata_heritage.gate_officer")
    long_code = scan(post_form, "W" * 1001)
    assert long_code.status_code == 400 and "Terlalu panjang" in long_code.text
    long_gate = scan(post_form, "WHT-ABCD-EFGH-1", gate="G" * 41)
    assert long_gate.status_code == 400 and "Nama gerbang paling banyak 40" in long_gate.text
    assert admissions(city_run) == []


def test_an_unpaid_ticket_is_refused(client, city_run, post_form, login_as):
    product = add_product(city_run, starts_in=timedelta(minutes=5))
    login_as()
    invoice = invoice_of(buy(post_form, product, adult=1))
    ticket = tickets_of(city_run, order_by_invoice(city_run, invoice)["number"])[0]
    login_as("wisata_heritage.gate_officer")
    assert "Tiket ini belum dibayar" in scan(post_form, ticket["code"]).text


def test_a_ticket_for_another_day_or_a_later_slot_is_refused(client, city_run, post_form, login_as):
    tomorrow = paid_tickets(client, city_run, post_form, login_as, starts_in=timedelta(days=2))
    login_as("wisata_heritage.gate_officer")
    assert "Hari salah" in scan(post_form, tomorrow[0]["code"]).text
    now = datetime.now(UTC).astimezone(tk.City("malang", "Malang").tz)
    if now.hour < 21:  # a slot three hours on is still today
        later = paid_tickets(client, city_run, post_form, login_as, starts_in=timedelta(hours=2))
        login_as("wisata_heritage.gate_officer")
        assert "Sesi salah" in scan(post_form, later[0]["code"]).text


def test_a_resident_ticket_asks_to_check_the_ktp(client, city_run, post_form, login_as):
    product = add_product(
        city_run, starts_in=timedelta(minutes=5), prices={"adult": 20000, "resident": 5000}
    )
    login_as()
    invoice = invoice_of(buy(post_form, product, resident=1))
    pay_with_sandbox_qris(client, post_form, invoice)
    ticket = tickets_of(city_run, order_by_invoice(city_run, invoice)["number"])[0]
    login_as("wisata_heritage.gate_officer")
    assert "periksa KTP pengunjung" in scan(post_form, ticket["code"]).text


def test_the_public_key_verifies_a_tickets_payload(client, city_run, post_form, login_as):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    ticket = paid_tickets(client, city_run, post_form, login_as)[0]
    token = payload_of(city_run, ticket)
    login_as("wisata_heritage.gate_officer")
    key = client.get(GATE + "/kunci.json").json()
    assert key["city"] == "malang" and key["algorithm"] == "Ed25519"
    signed, _, signature = token.rpartition(".")
    Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(key["public_key"] + "=")).verify(
        base64.urlsafe_b64decode(signature + "=="), signed.encode()
    )


def sync(client, gate, scans):
    token = client.get(GATE).text.split('name="_csrf_token" value="', 1)[1].split('"', 1)[0]
    return client.post(
        GATE + "/sinkron",
        json={"gate": gate, "scans": scans},
        headers={"x-csrftoken": token},
    )


def test_a_ticket_admitted_offline_at_two_gates_is_flagged_on_sync(
    client, city_run, post_form, login_as
):
    tickets = paid_tickets(client, city_run, post_form, login_as)
    token = payload_of(city_run, tickets[0])
    login_as("wisata_heritage.gate_officer")
    at = (datetime.now(UTC) - timedelta(minutes=3)).isoformat()
    first = sync(client, "1", [{"kode": token, "at": at}, {"kode": tickets[1]["code"], "at": at}])
    assert first.status_code == 200, first.text
    assert [r["outcome"] for r in first.json()["results"]] == ["recorded", "recorded"]
    second = sync(client, "4", [{"kode": token, "at": at}])
    assert second.json()["results"] == [
        {"code": tickets[0]["code"], "outcome": "flagged", "reason": "used"}
    ]
    rows = admissions(city_run)
    assert [(r["gate"], r["offline"], r["flagged"]) for r in rows] == [
        ("1", True, False),
        ("1", True, False),
        ("4", True, True),
    ]
    assert "Sudah dipakai" in scan(post_form, tickets[0]["code"]).text


@pytest.mark.parametrize(
    "body",
    [
        {"gate": "1", "scans": []},
        {"gate": "1", "scans": [{"kode": "WHT"}]},
        {"gate": "1", "scans": [{"kode": "WHT", "at": "2020-01-01T00:00:00+00:00"}]},
        {"gate": "1", "scans": [{"kode": "WHT", "at": "2026-01-01T00:00:00"}]},
        {"gate": "1", "scans": [{"at": "2026-01-01T00:00:00+00:00"}]},
        {"gate": "1", "scans": "x"},
        [],
    ],
)
def test_bad_sync_bodies_are_refused_with_nothing_written(client, city_run, login_as, body):
    login_as("wisata_heritage.gate_officer")
    token = client.get(GATE).text.split('name="_csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post(GATE + "/sinkron", json=body, headers={"x-csrftoken": token})
    assert answer.status_code == 400
    assert admissions(city_run) == []


def test_a_forged_offline_scan_is_refused_and_not_recorded(client, city_run, post_form, login_as):
    login_as("wisata_heritage.gate_officer")
    at = datetime.now(UTC).isoformat()
    answer = sync(client, "1", [{"kode": "B1.heritage_ticket.e30.AAAA", "at": at}])
    assert answer.json()["results"][0]["outcome"] == "refused"
    assert admissions(city_run) == []

    async def used() -> int:
        return await Ticket.count().where(Ticket.status == "used")

    assert city_run("malang", used) == 0


def test_an_oversized_code_or_gate_name_is_refused_as_bad_input(
    client, city_run, post_form, login_as
):
    login_as("wisata_heritage.gate_officer")
    too_long = scan(post_form, "x" * 2000)
    assert too_long.status_code == 400 and "Terlalu panjang" in too_long.text
    assert scan(post_form, "WHT-0000-0000-0", gate="g" * 41).status_code == 400
    assert admissions(city_run) == []
