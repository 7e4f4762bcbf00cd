"""Audit pages and what the core records: logins, failures, logouts, denials, officers."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from functools import partial

from balai.audit.log import record
from balai.audit.tables import AuditEntry

OFFICE = "/malang/kelola/audit/"
MY_DATA = "/malang/audit/data-saya"


async def _entries() -> list[dict]:
    return await AuditEntry.select().order_by(AuditEntry.seq)


def _actions(city_run, city="malang") -> list[str]:
    return [e["action"] for e in city_run(city, _entries)]


def _text(response) -> str:
    return html.unescape(response.text)


# --- what the core records ----------------------------------------------------


def test_login_failed_login_and_logout_are_recorded(client, post_form, login_as, city_run):
    user = login_as(None, name="Siti Rahayu")
    assert post_form("/malang/keluar", {}).status_code == 303
    answer = post_form("/malang/masuk", {"login": user["login"], "password": "salah-sekali-123"})
    assert answer.status_code == 400

    entries = city_run("malang", _entries)
    assert [e["action"] for e in entries] == ["core.login", "core.logout", "core.login_failed"]
    login, logout, failed = entries
    assert (login["actor_id"], login["actor_label"], login["subject"]) == (
        user["id"],
        "Siti Rahayu",
        user["login"],
    )
    assert login["client_addr"] == "testclient"
    assert login["user_agent"] == "testclient"
    assert logout["actor_id"] == user["id"]
    assert failed["actor_id"] is None
    assert failed["subject"] == user["login"]
    assert all("salah-sekali" not in str(value) for e in entries for value in e.values())
    assert city_run("semarang", _entries) == []


def test_a_throttled_login_is_recorded(client, post_form, city_run):
    for _ in range(12):
        answer = post_form("/malang/masuk", {"login": "budi@example.id", "password": "tebakan-123"})
    assert answer.status_code == 429
    actions = _actions(city_run)
    assert "core.login_throttled" in actions
    assert actions.count("core.login_failed") >= 5


def test_a_refused_page_is_recorded_with_who_asked(client, login_as, city_run):
    citizen = login_as(None, name="Warga Biasa")
    assert client.get(OFFICE).status_code == 403
    assert client.get("/malang/kelola/pengguna").status_code == 403
    denials = [e for e in city_run("malang", _entries) if e["action"] == "core.permission_denied"]
    assert [d["subject"] for d in denials] == [
        "GET /malang/kelola/audit",
        "GET /malang/kelola/pengguna",
    ]
    assert {d["actor_id"] for d in denials} == {citizen["id"]}
    assert "officers only" in denials[0]["detail"]


def test_an_expired_form_is_not_recorded_as_a_permission_denial(client, login_as, city_run):
    login_as(None)
    answer = client.post("/malang/keluar", data={"_csrf_token": "forged"})
    assert answer.status_code == 403
    assert "core.permission_denied" not in _actions(city_run)


def test_creating_an_officer_is_recorded(client, login_as, post_form, city_run):
    admin = login_as("city_admin", name="Admin Kota")
    form = {
        "name": "Petugas Baru",
        "email": "petugas.baru@example.id",
        "password": "rahasia-panjang-42",
        "role": "audit.auditor",
    }
    assert post_form("/malang/kelola/pengguna", form).status_code == 303
    created = [e for e in city_run("malang", _entries) if e["action"] == "core.officer_created"]
    assert len(created) == 1
    assert created[0]["actor_id"] == admin["id"]
    assert created[0]["actor_label"] == "Admin Kota"
    assert created[0]["subject"].startswith("user:")
    assert '"role":"audit.auditor"' in created[0]["detail"]
    assert "rahasia-panjang" not in created[0]["detail"]


# --- the officers' search -----------------------------------------------------


def test_the_log_needs_login_and_the_audit_permission(client, login_as):
    assert client.get(OFFICE, follow_redirects=False).status_code == 303
    login_as("core.user_manager")
    assert client.get(OFFICE).status_code == 403


def test_an_auditor_searches_by_action_actor_subject_and_dates(client, login_as, city_run):
    auditor = login_as("audit.auditor", name="Ibu Auditor")

    async def seed():
        await record("payments.cash_confirmed", actor_id=auditor["id"], subject="invoice:INV-7KQ2")
        await record("e_jkn.nik_viewed", actor_id=None, subject="enrolment:12")

    city_run("malang", seed)
    city_run(
        "semarang",
        partial(record, "payments.cash_confirmed", actor_id=None, subject="invoice:SMG-1"),
    )

    page = _text(client.get(OFFICE))
    assert "invoice:INV-7KQ2" in page and "enrolment:12" in page and "core.login" in page
    assert "SMG-1" not in page  # another city's log

    page = _text(client.get(OFFICE, params={"action": "payments.cash_confirmed"}))
    assert "invoice:INV-7KQ2" in page and "enrolment:12" not in page

    page = _text(client.get(OFFICE, params={"actor": "ibu audit"}))
    assert "invoice:INV-7KQ2" in page and "enrolment:12" not in page

    page = _text(client.get(OFFICE, params={"actor": str(auditor["id"])}))
    assert "invoice:INV-7KQ2" in page and "enrolment:12" not in page

    page = _text(client.get(OFFICE, params={"subject": "ENROLMENT"}))
    assert "enrolment:12" in page and "INV-7KQ2" not in page

    today = datetime.now(UTC).date()
    page = _text(
        client.get(
            OFFICE,
            params={"from": str(today - timedelta(days=1)), "to": str(today + timedelta(days=1))},
        )
    )
    assert "enrolment:12" in page
    page = _text(client.get(OFFICE, params={"from": str(today + timedelta(days=2))}))
    assert "enrolment:12" not in page and "INV-7KQ2" not in page


def test_the_log_is_paginated(client, login_as, city_run):
    login_as("audit.auditor")

    async def seed():
        for n in range(60):
            await record("core.test", actor_id=None, subject=f"item-{n:02d}")

    city_run("malang", seed)
    first = _text(client.get(OFFICE))
    assert "item-59" in first and "item-10" in first and "item-09" not in first
    second = _text(client.get(OFFICE, params={"page": "2"}))
    assert "item-09" in second and "item-00" in second and "item-59" not in second
    assert "page=2" in first


def test_bad_search_input_answers_400_with_a_message(client, login_as, city_run):
    login_as("audit.auditor")
    cases = [
        ({"from": "17-08-2026"}, "2026-08-17"),
        ({"to": "2026-02-30"}, "2026-08-17"),
        ({"from": "2026-08-17", "to": "2026-08-01"}, "Tanggal akhir"),
        ({"page": "abc"}, "Nomor halaman"),
        ({"page": "0"}, "Nomor halaman"),
        ({"action": "'; DROP TABLE balai_audit_entry; --"}, "tindakan"),
        ({"subject": "x" * 101}, "100"),
    ]
    for params, message in cases:
        answer = client.get(OFFICE, params=params)
        assert answer.status_code == 400, params
        assert message in _text(answer), params
    assert city_run("malang", _entries)  # still there


# --- the citizen's "who viewed my data" ---------------------------------------


def test_a_citizen_sees_who_viewed_their_data(client, login_as, post_form, city_run):
    officer = login_as("audit.auditor", name="Pak Petugas Dinkes")
    post_form("/malang/keluar", {})
    citizen = login_as(None, name="Siti Warga")

    async def seed():
        await record(
            "e_jkn.nik_viewed",
            actor_id=officer["id"],
            subject="enrolment:3",
            personal_data_of=citizen["id"],
        )
        await record(
            "e_jkn.nik_viewed",
            actor_id=officer["id"],
            subject="enrolment:4",
            personal_data_of=citizen["id"] + 1000,
        )

    city_run("malang", seed)
    page = _text(client.get(MY_DATA))
    assert "Pak Petugas Dinkes" in page
    assert "e_jkn.nik_viewed" in page and "enrolment:3" in page
    assert "enrolment:4" not in page  # someone else's data


def test_who_viewed_my_data_is_empty_paginated_and_needs_login(client, login_as, city_run):
    assert client.get(MY_DATA, follow_redirects=False).status_code == 303
    citizen = login_as(None)
    assert client.get(MY_DATA).status_code == 200

    async def seed():
        for n in range(25):
            await record(
                "e_jkn.nik_viewed",
                actor_id=None,
                subject=f"v-{n:02d}",
                personal_data_of=citizen["id"],
            )

    city_run("malang", seed)
    assert "v-24" in client.get(MY_DATA).text and "v-04" not in client.get(MY_DATA).text
    assert "v-04" in client.get(MY_DATA, params={"page": "2"}).text
    bad = client.get(MY_DATA, params={"page": "-1"})
    assert bad.status_code == 400
    assert "Nomor halaman" in _text(bad)


def test_the_pages_are_in_the_navigation_of_those_who_may_open_them(client, login_as, post_form):
    assert "/malang/audit/data-saya" not in client.get("/malang/").text  # anonymous
    login_as(None)
    home = client.get("/malang/").text
    assert "/malang/audit/data-saya" in home and "/malang/notifikasi/" in home
    assert client.get("/malang/kelola/", follow_redirects=False).status_code == 403
    post_form("/malang/keluar", {})
    login_as("audit.auditor")
    assert "/malang/kelola/audit/" in client.get("/malang/kelola/").text
